//! The AVX2 + FMA paths: 32 codes per step.
//!
//! Decoding (no gathers, no per-lane arithmetic on 32-bit lanes): a code's
//! value is a bfloat16 whose high byte is `S | (127 + e) >> 1` and whose
//! low byte is `((127 + e) & 1) << 7 | 0x40 >> R`. `vpshufb` looks up the
//! high byte from the 4-bit exponent magnitude (one table per exponent
//! sign, blended) and the low byte from `M0, R`; zero (E = 10000) is the one
//! code whose high-byte entry is 0, which also clears its low byte. Two
//! byte unpacks and four word unpacks then place the bfloat16s in the upper
//! halves of f32 lanes, in an order scrambled within 128-bit lanes:
//! lane group `j` (0..4), element `4L + t` holds code `16L + 4j + t` of the
//! block. The activations are permuted the same way once per call
//! ([`permute`]), so the scramble costs nothing per row.

#![cfg(target_arch = "x86_64")]

use std::arch::x86_64::*;

use super::decode::decode_f32;

/// Codes per step.
pub const BLOCK: usize = 32;

/// How far ahead of the current block the weights are prefetched, bytes.
const PREFETCH: usize = 8192;

/// Reorders `x` so that each block of 32 matches the decoded order
/// (the tail, shorter than a block, stays in order).
pub fn permute<T: Copy>(x: &[T]) -> Vec<T> {
    let mut out = x.to_vec();
    let full = x.len() / BLOCK * BLOCK;
    for b in (0..full).step_by(BLOCK) {
        for j in 0..4 {
            for l in 0..2 {
                for t in 0..4 {
                    out[b + 8 * j + 4 * l + t] = x[b + 16 * l + 4 * j + t];
                }
            }
        }
    }
    out
}

/// The byte tables, each repeated in both 128-bit lanes.
#[derive(Clone, Copy)]
struct Tables {
    hi_pos: __m256i,
    hi_neg: __m256i,
    lo: __m256i,
}

/// `(127 + e) >> 1` for e = +M (`pos`) and e = -M (`neg`, 0 for zero),
/// M = 0..15; and the low byte for index `M0 << 2 | R`.
fn byte_tables() -> ([u8; 16], [u8; 16], [u8; 16]) {
    let pos = std::array::from_fn(|m| ((127 + m) >> 1) as u8);
    let neg = std::array::from_fn(|m| if m == 0 { 0 } else { ((127 - m) >> 1) as u8 });
    let lo = std::array::from_fn(|i| {
        let even = i & 4 == 0; // e even <=> 127 + e odd: exponent LSB 1
        (if even { 0x80 } else { 0 }) | (0x40u8 >> (i & 3))
    });
    (pos, neg, lo)
}

#[target_feature(enable = "avx2")]
unsafe fn tables() -> Tables {
    let (pos, neg, lo) = byte_tables();
    let load = |t: &[u8; 16]| _mm256_broadcastsi128_si256(_mm_loadu_si128(t.as_ptr().cast()));
    Tables {
        hi_pos: load(&pos),
        hi_neg: load(&neg),
        lo: load(&lo),
    }
}

/// 32 codes to 32 f32 in the scrambled order described above.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn decode(c: __m256i, t: &Tables) -> [__m256; 4] {
    let m = _mm256_and_si256(_mm256_srli_epi16(c, 2), _mm256_set1_epi8(0x0f));
    let hi_pos = _mm256_shuffle_epi8(t.hi_pos, m);
    let hi_neg = _mm256_shuffle_epi8(t.hi_neg, m);
    // Bit 7 of c + c is the exponent sign Es (bit 6 of the code).
    let magnitude = _mm256_blendv_epi8(hi_pos, hi_neg, _mm256_add_epi8(c, c));
    let zero = _mm256_cmpeq_epi8(magnitude, _mm256_setzero_si256());
    let lo_index = _mm256_and_si256(c, _mm256_set1_epi8(0x07));
    let lo = _mm256_andnot_si256(zero, _mm256_shuffle_epi8(t.lo, lo_index));
    let sign = _mm256_and_si256(c, _mm256_set1_epi8(i8::MIN));
    let hi = _mm256_or_si256(magnitude, sign);
    let w0 = _mm256_unpacklo_epi8(lo, hi);
    let w1 = _mm256_unpackhi_epi8(lo, hi);
    let z = _mm256_setzero_si256();
    [
        _mm256_castsi256_ps(_mm256_unpacklo_epi16(z, w0)),
        _mm256_castsi256_ps(_mm256_unpackhi_epi16(z, w0)),
        _mm256_castsi256_ps(_mm256_unpacklo_epi16(z, w1)),
        _mm256_castsi256_ps(_mm256_unpackhi_epi16(z, w1)),
    ]
}

/// Decodes `codes` (a multiple of 32) into `out` in the scrambled order;
/// for tests.
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(test)]
#[target_feature(enable = "avx2")]
pub unsafe fn decode_blocks(codes: &[u8], out: &mut [f32]) {
    let t = tables();
    for (c, o) in codes.chunks_exact(BLOCK).zip(out.chunks_exact_mut(BLOCK)) {
        let v = decode(_mm256_loadu_si256(c.as_ptr().cast()), &t);
        for (j, f) in v.iter().enumerate() {
            _mm256_storeu_ps(o.as_mut_ptr().add(8 * j), *f);
        }
    }
}

#[inline]
#[target_feature(enable = "avx2")]
unsafe fn hsum(v: __m256) -> f32 {
    let s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    let s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    let s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    _mm_cvtss_f32(s)
}

/// One W8A32 row: `sum decode(row[k]) * x[k]`, `xp` = [`permute`]`(x)`.
///
/// # Safety
/// The CPU must support AVX2 and FMA; `row.len() == xp.len()`.
#[target_feature(enable = "avx2,fma")]
pub unsafe fn dot_w8a32(row: &[u8], xp: &[f32]) -> f32 {
    let t = tables();
    let mut acc = [_mm256_setzero_ps(); 4];
    let full = row.len() / BLOCK * BLOCK;
    let (r, x) = (row.as_ptr(), xp.as_ptr());
    let pairs = full / (2 * BLOCK) * (2 * BLOCK);
    let step = |b: usize, acc: &mut [__m256; 4]| {
        let w = decode(_mm256_loadu_si256(r.add(b).cast()), &t);
        for j in 0..4 {
            acc[j] = _mm256_fmadd_ps(w[j], _mm256_loadu_ps(x.add(b + 8 * j)), acc[j]);
        }
    };
    for b in (0..pairs).step_by(2 * BLOCK) {
        // The hardware prefetcher alone leaves the core waiting on DRAM
        // (measured: 9.8 GB/s from DRAM against 14.8 G codes/s from L3);
        // one prefetch per 64-byte line.
        _mm_prefetch::<_MM_HINT_T0>(r.wrapping_add(b + PREFETCH).cast());
        step(b, &mut acc);
        step(b + BLOCK, &mut acc);
    }
    for b in (pairs..full).step_by(BLOCK) {
        step(b, &mut acc);
    }
    let sum = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
    let table = decode_f32();
    let tail: f32 = (full..row.len())
        .map(|k| table[row[k] as usize] * xp[k])
        .sum();
    hsum(sum) + tail
}

/// `bits` of exact products of two RF8 values, truncated to RF8 (spec
/// section 3: the multiplier's result is the exact product truncated to its
/// two leading set bits): keep sign and exponent, replace the fraction by
/// its leading set bit among the top three (1.0625 if none), saturate above
/// 2^15, flush below 2^-15.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn truncate(p: __m256) -> __m256 {
    const FRAC: [i32; 8] = [
        1 << 19,
        1 << 20,
        1 << 21,
        1 << 21,
        1 << 22,
        1 << 22,
        1 << 22,
        1 << 22,
    ];
    let bits = _mm256_castps_si256(p);
    let table = _mm256_loadu_si256(FRAC.as_ptr().cast());
    // The index is the fraction's top three bits (vpermd reads 3 bits).
    let frac = _mm256_permutevar8x32_epi32(table, _mm256_srli_epi32(bits, 20));
    let exp = _mm256_and_si256(bits, _mm256_set1_epi32(0x7f80_0000));
    // Every in-range magnitude is at most 1.5 * 2^15 (0x47400000) and every
    // magnitude above 2^15 * 2 exceeds it, so an unsigned min saturates.
    let magnitude = _mm256_min_epu32(_mm256_or_si256(exp, frac), _mm256_set1_epi32(0x4740_0000));
    let underflow = _mm256_cmpgt_epi32(_mm256_set1_epi32((127 - 15) << 23), exp);
    let magnitude = _mm256_andnot_si256(underflow, magnitude);
    let sign = _mm256_and_si256(bits, _mm256_set1_epi32(i32::MIN));
    _mm256_castsi256_ps(_mm256_or_si256(magnitude, sign))
}

/// Columns per exact f64 partial sum: every product is a multiple of 2^-19
/// below 2^35 LSBs, so any sum of at most 2^18 of them is an integer
/// number of LSBs below 2^53, exact in f64 whatever the order.
pub const EXACT_CHUNK: usize = 1 << 18;

/// One W8A8 row: the exact sum of the RF8 products, in LSBs (2^-19).
/// `xdp` = [`permute`] of the decoded activations.
///
/// # Safety
/// The CPU must support AVX2 and FMA; `row.len() == xdp.len()`.
#[target_feature(enable = "avx2,fma")]
pub unsafe fn dot_w8a8(row: &[u8], xdp: &[f32], tail: impl Fn(u8, usize) -> i64) -> i64 {
    let t = tables();
    let full = row.len() / BLOCK * BLOCK;
    let (r, x) = (row.as_ptr(), xdp.as_ptr());
    let mut total = 0i64;
    for start in (0..full).step_by(EXACT_CHUNK) {
        let end = (start + EXACT_CHUNK).min(full);
        // Four f64 accumulators: eight would not leave the decoder's and
        // the truncation's constants in registers (sixteen ymm in all).
        let mut acc = [_mm256_setzero_pd(); 4];
        for b in (start..end).step_by(BLOCK) {
            _mm_prefetch::<_MM_HINT_T0>(r.wrapping_add(b + PREFETCH).cast());
            let w = decode(_mm256_loadu_si256(r.add(b).cast()), &t);
            for j in 0..4 {
                let q = truncate(_mm256_mul_ps(w[j], _mm256_loadu_ps(x.add(b + 8 * j))));
                let lo = _mm256_cvtps_pd(_mm256_castps256_ps128(q));
                let hi = _mm256_cvtps_pd(_mm256_extractf128_ps(q, 1));
                acc[j] = _mm256_add_pd(acc[j], _mm256_add_pd(lo, hi));
            }
        }
        let mut lanes = [0f64; 4];
        let mut sum = _mm256_setzero_pd();
        for a in acc {
            sum = _mm256_add_pd(sum, a);
        }
        _mm256_storeu_pd(lanes.as_mut_ptr(), sum);
        let chunk: f64 = lanes.iter().sum();
        total += (chunk * super::w8a8::LSB_PER_UNIT) as i64;
    }
    total + (full..row.len()).map(|k| tail(row[k], k)).sum::<i64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All 256 codes through the shuffle decoder equal the table, at the
    /// scrambled positions `permute` describes (bit for bit, signed zeros
    /// included).
    #[test]
    fn decodes_every_code() {
        if !super::super::Isa::Avx2.available() {
            eprintln!("skipped: no AVX2 on this CPU");
            return;
        }
        let codes: Vec<u8> = (0..=255).collect();
        let mut out = vec![0f32; 256];
        // SAFETY: AVX2 checked above; both slices hold 8 blocks.
        unsafe { decode_blocks(&codes, &mut out) };
        let want = permute(decode_f32().as_ref());
        for (i, (g, w)) in out.iter().zip(&want).enumerate() {
            assert_eq!(g.to_bits(), w.to_bits(), "position {i}");
        }
    }

    #[test]
    fn permute_is_a_permutation_that_keeps_the_tail() {
        let x: Vec<u32> = (0..70).collect();
        let p = permute(&x);
        let mut sorted = p.clone();
        sorted.sort();
        assert_eq!(sorted, x);
        assert_eq!(&p[64..], &x[64..]);
        assert_eq!(p[8], 4); // group 1, lane 0, element 0 is code 4
        assert_eq!(p[4], 16); // group 0, lane 1, element 0 is code 16
    }
}
