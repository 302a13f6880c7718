//! W8A32: RF8 weights, f32 activations and output (spec section 5).
//!
//! Accumulated in f32 (one rounding per multiply-add), so the result
//! depends on the summation order: it is checked against an f64 reference
//! with the bound `|y - y_ref| <= (K + 1) u sum_k |w_k x_k|`, u = 2^-24.

use super::{check_shape, for_row_blocks, for_rows, Isa, KernelError, Options, Rf8Matrix};

/// `y = W x` with the default [`Options`].
pub fn gemv_w8a32(w: &Rf8Matrix, x: &[f32]) -> Result<Vec<f32>, KernelError> {
    gemv_w8a32_with(w, x, &Options::default())
}

/// `y = W x` with the given instruction set and threads.
pub fn gemv_w8a32_with(w: &Rf8Matrix, x: &[f32], opts: &Options) -> Result<Vec<f32>, KernelError> {
    check_shape(w.rows(), w.cols(), x.len())?;
    opts.check()?;
    let mut y = vec![0f32; w.rows()];
    match opts.isa {
        Isa::Portable => for_rows(&mut y, opts, |i| portable_row(w.row(i), x))?,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => {
            let xp = super::avx2::permute(x);
            // SAFETY: `opts.check` confirmed AVX2 and FMA; lengths match.
            for_rows(&mut y, opts, |i| unsafe {
                super::avx2::dot_w8a32(w.row(i), &xp)
            })?
        }
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => {
            let xp = super::avx512::permute(x, 0.0);
            // SAFETY: `opts.check` confirmed the features; lengths match.
            for_row_blocks(&mut y, opts, |first, out| unsafe {
                super::avx512::gemv_w8a32(|j| w.row(first + j), &xp, out)
            })?
        }
        #[cfg(not(target_arch = "x86_64"))]
        Isa::Avx2 | Isa::Avx512 => unreachable!("checked by opts.check"),
    }
    Ok(y)
}

/// Four partial sums, so that the adds pipeline.
fn portable_row(row: &[u8], x: &[f32]) -> f32 {
    let table = super::decode_f32();
    let mut acc = [0f32; 4];
    let mut rows = row.chunks_exact(4);
    let mut xs = x.chunks_exact(4);
    for (r, v) in (&mut rows).zip(&mut xs) {
        for j in 0..4 {
            acc[j] += table[r[j] as usize] * v[j];
        }
    }
    let tail: f32 = rows
        .remainder()
        .iter()
        .zip(xs.remainder())
        .map(|(&c, &v)| table[c as usize] * v)
        .sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}
