//! f32 matrix products for the forward pass, by `gemm` on the calling
//! thread (sentences run in parallel, one per core), with operands given
//! as strided views so that attention heads and transposed weights need
//! no copies.

/// A `rows x cols` matrix inside `data`: element `(i, j)` at
/// `i * row_stride + j * col_stride`.
#[derive(Clone, Copy, Debug)]
pub struct View<'a> {
    pub data: &'a [f32],
    pub row_stride: usize,
    pub col_stride: usize,
}

impl<'a> View<'a> {
    /// Row-major with `cols` columns.
    pub fn rows(data: &'a [f32], cols: usize) -> View<'a> {
        View {
            data,
            row_stride: cols,
            col_stride: 1,
        }
    }

    /// The transpose of a row-major matrix with `cols` columns.
    pub fn transposed(data: &'a [f32], cols: usize) -> View<'a> {
        View {
            data,
            row_stride: 1,
            col_stride: cols,
        }
    }

    /// Whether a `rows x cols` matrix fits in `data`.
    fn holds(&self, rows: usize, cols: usize) -> bool {
        rows == 0
            || cols == 0
            || (rows - 1) * self.row_stride + (cols - 1) * self.col_stride < self.data.len()
    }
}

/// `dst = lhs (m x k) * rhs (k x n)`, `dst` row-major `m x n` with row
/// stride `dst_stride` (only the `m x n` elements are written).
pub fn matmul(
    m: usize,
    n: usize,
    k: usize,
    dst: &mut [f32],
    dst_stride: usize,
    lhs: View,
    rhs: View,
) {
    assert!(
        lhs.holds(m, k) && rhs.holds(k, n),
        "matmul operands out of bounds"
    );
    assert!(
        m == 0 || n == 0 || (m - 1) * dst_stride + n <= dst.len(),
        "matmul destination out of bounds"
    );
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        for i in 0..m {
            dst[i * dst_stride..i * dst_stride + n].fill(0.0);
        }
        return;
    }
    // SAFETY: every index gemm reads or writes is inside its slice (the
    // asserts above); dst does not alias lhs or rhs (a &mut and two &).
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            dst_stride as isize,
            false,
            lhs.data.as_ptr(),
            lhs.col_stride as isize,
            lhs.row_stride as isize,
            rhs.data.as_ptr(),
            rhs.col_stride as isize,
            rhs.row_stride as isize,
            0.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strided_products_match_a_plain_loop() {
        // lhs 2 x 3 row-major, rhs the transpose of a 4 x 3 row-major matrix.
        let a: Vec<f32> = (0..6).map(|v| v as f32 - 2.0).collect();
        let b: Vec<f32> = (0..12).map(|v| (v * 7 % 5) as f32).collect();
        let mut d = vec![9.0f32; 2 * 5];
        matmul(
            2,
            4,
            3,
            &mut d,
            5,
            View::rows(&a, 3),
            View::transposed(&b, 3),
        );
        for i in 0..2 {
            for j in 0..4 {
                let want: f32 = (0..3).map(|k| a[i * 3 + k] * b[j * 3 + k]).sum();
                assert_eq!(d[i * 5 + j], want);
            }
            assert_eq!(d[i * 5 + 4], 9.0, "outside the product: untouched");
        }
    }
}
