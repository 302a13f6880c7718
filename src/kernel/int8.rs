//! The INT8 weight-only baseline: int8 weights with one f32 scale per row
//! (the `int8` storage format, spec section 7), f32 activations and
//! output. This is the format RF8 has to beat or match on a CPU, so it gets
//! the same care as RF8's W8A32: the same row blocks and threads, a SIMD
//! path per instruction set (sign-extend, convert, fused multiply-add),
//! several rows per activation load and the same prefetching.
//!
//! `y_i = s_i * sum_k q_ik x_k`, the sum in f32 as W8A32's, then one
//! multiply by the scale.

use rayon::prelude::*;

use super::{check_len, check_shape, for_row_blocks, Isa, KernelError, Options};
use crate::formats::codec::Codec;
use crate::formats::int8::INT8;

/// A row-major int8 matrix with one f32 scale per row.
#[derive(Clone, Debug, PartialEq)]
pub struct Int8Matrix {
    rows: usize,
    cols: usize,
    q: Vec<i8>,
    scales: Vec<f32>,
}

impl Int8Matrix {
    /// Quantises row-major f32 data with the `int8` storage format's rule:
    /// `s = f32(max|x| / 127)` (1 for an all-zero row), `q = clamp(rne(x /
    /// s), -127, 127)`. NaN or an infinite value is an error naming its
    /// index: its row has no finite scale.
    pub fn from_f32(rows: usize, cols: usize, data: &[f32]) -> Result<Int8Matrix, KernelError> {
        check_len(rows, cols, data.len())?;
        if let Some(i) = data.iter().position(|v| !v.is_finite()) {
            return Err(KernelError::NotFinite(i));
        }
        let scaling = INT8.scaling();
        let mut q = vec![0i8; data.len()];
        let mut scales = vec![1f32; rows];
        if cols > 0 {
            q.par_chunks_mut(cols)
                .zip(scales.par_iter_mut())
                .zip(data.par_chunks(cols))
                .for_each(|((q, s), row)| {
                    let absmax = row.iter().fold(0f64, |m, &v| m.max(f64::from(v).abs()));
                    let scale = scaling.scale(absmax);
                    *s = scale as f32;
                    for (q, &v) in q.iter_mut().zip(row) {
                        *q = INT8.encode(f64::from(v) / scale) as u8 as i8;
                    }
                });
        }
        Ok(Int8Matrix {
            rows,
            cols,
            q,
            scales,
        })
    }

    /// Number of rows (outputs).
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns (inputs).
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Row `i`'s codes.
    pub fn row(&self, i: usize) -> &[i8] {
        &self.q[i * self.cols..(i + 1) * self.cols]
    }

    /// Row `i`'s scale.
    pub fn scale(&self, i: usize) -> f32 {
        self.scales[i]
    }
}

/// `y = W x` for an int8 matrix, on the instruction set and threads of
/// `opts`.
pub fn gemv_int8_w8a32_with(
    w: &Int8Matrix,
    x: &[f32],
    opts: &Options,
) -> Result<Vec<f32>, KernelError> {
    check_shape(w.rows, w.cols, x.len())?;
    opts.check()?;
    let mut y = vec![0f32; w.rows];
    let rows = |first: usize| move |j: usize| w.row(first + j);
    match opts.isa {
        Isa::Portable => for_row_blocks(&mut y, opts, |first, out| {
            for (j, v) in out.iter_mut().enumerate() {
                *v = portable_row(w.row(first + j), x);
            }
        })?,
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `opts.check` confirmed AVX2 and FMA; every row has x.len() codes.
        Isa::Avx2 => for_row_blocks(&mut y, opts, |first, out| unsafe {
            simd::avx2_rows(rows(first), x, out)
        })?,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => {
            let xp = simd::permute(x);
            // SAFETY: `opts.check` confirmed AVX-512 F/BW and FMA; every row
            // has x.len() codes.
            for_row_blocks(&mut y, opts, |first, out| unsafe {
                simd::avx512_rows(rows(first), &xp, out)
            })?
        }
        #[cfg(not(target_arch = "x86_64"))]
        Isa::Avx2 | Isa::Avx512 => unreachable!("checked by opts.check"),
    }
    for (i, v) in y.iter_mut().enumerate() {
        *v *= w.scales[i];
    }
    Ok(y)
}

/// Four partial sums, so that the adds pipeline.
fn portable_row(row: &[i8], x: &[f32]) -> f32 {
    let mut acc = [0f32; 4];
    let mut rows = row.chunks_exact(4);
    let mut xs = x.chunks_exact(4);
    for (r, v) in (&mut rows).zip(&mut xs) {
        for j in 0..4 {
            acc[j] += f32::from(r[j]) * v[j];
        }
    }
    let tail: f32 = rows
        .remainder()
        .iter()
        .zip(xs.remainder())
        .map(|(&c, &v)| f32::from(c) * v)
        .sum();
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[cfg(target_arch = "x86_64")]
mod simd {
    use std::arch::x86_64::*;

    /// Rows sharing one activation load, as in RF8's AVX-512 W8A32.
    const ROWS: usize = 4;

    /// Prefetch distance and level of the AVX2 path, as in RF8's AVX-512
    /// kernels (the AVX-512 path shares their `prefetch_row`).
    const PREFETCH: usize = 16384;

    use super::super::avx512::{blocks, load_codes, permute_by, prefetch_row, BLOCK};

    /// `x` padded with zeros to whole blocks, each block in the order the
    /// AVX-512 path extracts codes: vector `j` (0..4) of a block holds, in
    /// lane `i`, the code at `4i + j` (byte `j` of dword `i`).
    pub fn permute(x: &[f32]) -> Vec<f32> {
        permute_by(x, 0.0, |k| 16 * (k % 4) + k / 4, |v| v)
    }

    /// Sum of each row of `rows(0..y.len())` times `x`, before the scale:
    /// 64 codes per step, a masked tail. `xp` = [`permute`]`(x)`.
    ///
    /// # Safety
    /// AVX-512 F/BW and FMA; every row has as many codes as `x` had
    /// elements.
    #[target_feature(enable = "avx512f,avx512bw,fma")]
    pub unsafe fn avx512_rows<'a>(rows: impl Fn(usize) -> &'a [i8], xp: &[f32], y: &mut [f32]) {
        // SAFETY (both closures): the caller's guarantees are this function's.
        super::super::in_groups::<_, _, ROWS>(
            rows,
            y,
            |g, out| unsafe { avx512_group(g, xp, out) },
            |row, out| unsafe { avx512_group([row], xp, std::slice::from_mut(out)) },
        );
    }

    /// One 64-byte load, and each code sign-extended in place by two
    /// shifts of its dword (`vpmovsxbd` from memory, four 16-byte loads
    /// per line, streamed 3-8% slower from DRAM on Zen 5), 4 conversions,
    /// 4 FMAs.
    #[inline]
    #[target_feature(enable = "avx512f,avx512bw,fma")]
    unsafe fn avx512_group<const R: usize>(rows: [&[i8]; R], xp: &[f32], y: &mut [f32]) {
        let cols = rows[0].len();
        debug_assert!(xp.len() == cols.div_ceil(BLOCK) * BLOCK);
        let mut acc = [[_mm512_setzero_ps(); 2]; R];
        // Whole blocks in a loop without tail tests, then the partial one
        // with a masked load (codes 0 past the end, activations padded 0).
        blocks(cols, |b, whole| {
            let xv: [__m512; 4] =
                std::array::from_fn(|j| _mm512_loadu_ps(xp.as_ptr().add(b + 16 * j)));
            for (row, a) in rows.iter().zip(acc.iter_mut()) {
                prefetch_row(row, b, R);
                let c = load_codes(row, b, whole);
                let w = [
                    _mm512_srai_epi32::<24>(_mm512_slli_epi32::<24>(c)),
                    _mm512_srai_epi32::<24>(_mm512_slli_epi32::<16>(c)),
                    _mm512_srai_epi32::<24>(_mm512_slli_epi32::<8>(c)),
                    _mm512_srai_epi32::<24>(c),
                ]
                .map(|q| _mm512_cvtepi32_ps(q));
                a[0] = _mm512_fmadd_ps(w[0], xv[0], a[0]);
                a[1] = _mm512_fmadd_ps(w[1], xv[1], a[1]);
                a[0] = _mm512_fmadd_ps(w[2], xv[2], a[0]);
                a[1] = _mm512_fmadd_ps(w[3], xv[3], a[1]);
            }
        });
        for (out, a) in y.iter_mut().zip(acc) {
            *out = _mm512_reduce_add_ps(_mm512_add_ps(a[0], a[1]));
        }
    }

    /// As [`avx512_rows`] with AVX2: 32 codes per step, one row at a time
    /// (as RF8's AVX2 W8A32), a scalar tail.
    ///
    /// # Safety
    /// AVX2 and FMA; every row has `x.len()` codes.
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn avx2_rows<'a>(rows: impl Fn(usize) -> &'a [i8], x: &[f32], y: &mut [f32]) {
        for (i, out) in y.iter_mut().enumerate() {
            *out = avx2_row(rows(i), x);
        }
    }

    #[inline]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn avx2_row(row: &[i8], x: &[f32]) -> f32 {
        let full = row.len() / 32 * 32;
        let (r, xp) = (row.as_ptr(), x.as_ptr());
        let mut acc = [_mm256_setzero_ps(); 4];
        for b in (0..full).step_by(32) {
            if b % 64 == 0 {
                _mm_prefetch::<_MM_HINT_T1>(r.wrapping_add(b + PREFETCH).cast());
            }
            for (j, a) in acc.iter_mut().enumerate() {
                let q = _mm_loadl_epi64(r.add(b + 8 * j).cast());
                let w = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q));
                *a = _mm256_fmadd_ps(w, _mm256_loadu_ps(xp.add(b + 8 * j)), *a);
            }
        }
        let sum = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
        let s = _mm_add_ps(_mm256_castps256_ps128(sum), _mm256_extractf128_ps(sum, 1));
        let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
        let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
        let tail: f32 = (full..row.len()).map(|k| f32::from(row[k]) * x[k]).sum();
        _mm_cvtss_f32(s) + tail
    }
}
