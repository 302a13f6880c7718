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

use super::decode::{exponent_of_field, product_residual, ZERO_EXP};

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

/// The W8A8 datapath in byte lanes, 32 products per step (the AVX-512
/// path's, with the tools AVX2 has). A product is `m * 2^k` LSBs (2^-19),
/// `m` in {24, 20, 18}, `k = e + 15` in 0..30 (see `avx512.rs`). `vpshufb`
/// looks up 16-entry tables by a nibble and returns 0 where the index byte
/// is negative, which clears every underflowed k (< 0, zero operands
/// included) for free. With `kl = k & 15` and `kh = k >> 4`, the unsigned
/// multipliers are `2^kl` (kl < 8) and `2^(kl - 8)` (kl >= 8), and `kh`
/// picks which of two copies of `+-m` they meet: `vpmaddubsw` gives four
/// exponent buckets (weights 1, 2^8, 2^16, 2^24) of 16-bit pair sums,
/// widened to 32 bits every [`W8A8_WIDEN`] blocks.
pub struct W8a8Input {
    /// `e` of each activation, [`ZERO_EXP`] for zero.
    exp: Vec<i8>,
    /// `R << 2` of each activation.
    r: Vec<u8>,
    /// `S << 7 | 0x40`: the sign source for `vpsignb`, which `code ^ this`
    /// makes 0 only for a canonical zero weight (whose product is 0).
    sign: Vec<u8>,
}

impl W8a8Input {
    /// From RF8 codes.
    pub fn new(x: &[u8]) -> W8a8Input {
        W8a8Input {
            exp: x
                .iter()
                .map(|&c| exponent_of_field(usize::from(c >> 2) & 31).map_or(ZERO_EXP, |e| e as i8))
                .collect(),
            r: x.iter().map(|&c| (c & 3) << 2).collect(),
            sign: x.iter().map(|&c| (c & 0x80) | 0x40).collect(),
        }
    }
}

/// Blocks whose 16-bit bucket sums may pile up before widening: a pair sum
/// is at most 2 * 128 * 24 = 6,144, and 5 of them fit in i16.
const W8A8_WIDEN: usize = 4;

/// Blocks per 32-bit partial sum: a lane gains at most 2 * 6,144 per block.
const W8A8_CHUNK_BLOCKS: usize = 1 << 16;

#[derive(Clone, Copy)]
struct Datapath {
    exp_pos: __m256i,
    exp_neg: __m256i,
    carry: __m256i,
    mantissa: __m256i,
    pow_lo: __m256i,
    pow_hi: __m256i,
}

#[target_feature(enable = "avx2")]
unsafe fn datapath() -> Datapath {
    let load = |t: [i8; 16]| _mm256_broadcastsi128_si256(_mm_loadu_si128(t.as_ptr().cast()));
    let exp = |neg: bool| {
        std::array::from_fn(|m| {
            exponent_of_field(m | usize::from(neg) << 4).map_or(ZERO_EXP, |e| (e + 15) as i8)
        })
    };
    Datapath {
        exp_pos: load(exp(false)),
        exp_neg: load(exp(true)),
        carry: load(std::array::from_fn(|i| product_residual(i & 3, i >> 2).1)),
        mantissa: load(std::array::from_fn(|i| {
            16 + (8 >> product_residual(i & 3, i >> 2).0)
        })),
        pow_lo: load(std::array::from_fn(|i| {
            if i < 8 {
                (1u8 << i) as i8
            } else {
                0
            }
        })),
        pow_hi: load(std::array::from_fn(|i| {
            if i >= 8 {
                (1u8 << (i - 8)) as i8
            } else {
                0
            }
        })),
    }
}

/// The four bucket terms of 32 products: `[lo, hi] x [kh = 0, kh = 1]`,
/// each 16 pair sums.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn w8a8_block(
    w: __m256i,
    xe: __m256i,
    xr: __m256i,
    xs: __m256i,
    t: &Datapath,
) -> [__m256i; 4] {
    let nibble = _mm256_set1_epi8(0x0f);
    let field = _mm256_and_si256(_mm256_srli_epi16(w, 2), nibble); // M3..M0
                                                                   // Bit 7 of w + w is Es.
    let ew = _mm256_blendv_epi8(
        _mm256_shuffle_epi8(t.exp_pos, field),
        _mm256_shuffle_epi8(t.exp_neg, field),
        _mm256_add_epi8(w, w),
    );
    let index = _mm256_or_si256(_mm256_and_si256(w, _mm256_set1_epi8(3)), xr);
    let k = _mm256_add_epi8(_mm256_add_epi8(ew, xe), _mm256_shuffle_epi8(t.carry, index));
    let saturate = _mm256_cmpgt_epi8(k, _mm256_set1_epi8(30));
    let m = _mm256_blendv_epi8(
        _mm256_shuffle_epi8(t.mantissa, index),
        _mm256_set1_epi8(24),
        saturate,
    );
    let m = _mm256_sign_epi8(m, _mm256_xor_si256(w, xs));
    let k = _mm256_min_epi8(k, _mm256_set1_epi8(30));
    // Negative k (underflow, zero operands) have bit 7 set: both give 0.
    let lo = _mm256_shuffle_epi8(t.pow_lo, k);
    let hi = _mm256_shuffle_epi8(t.pow_hi, k);
    let upper = _mm256_cmpgt_epi8(k, _mm256_set1_epi8(15));
    let (m0, m1) = (_mm256_andnot_si256(upper, m), _mm256_and_si256(upper, m));
    [
        _mm256_maddubs_epi16(lo, m0),
        _mm256_maddubs_epi16(hi, m0),
        _mm256_maddubs_epi16(lo, m1),
        _mm256_maddubs_epi16(hi, m1),
    ]
}

/// One W8A8 row: the exact sum of the RF8 products, in LSBs (2^-19);
/// `tail(code, k)` gives the products past the last whole block.
///
/// # Safety
/// The CPU must support AVX2; `row.len()` equals the length `x` was built
/// from.
#[target_feature(enable = "avx2")]
pub unsafe fn dot_w8a8(row: &[u8], x: &W8a8Input, tail: impl Fn(u8, usize) -> i64) -> i64 {
    let t = datapath();
    let blocks = row.len() / BLOCK;
    let ones = _mm256_set1_epi16(1);
    let mut total = 0i64;
    for chunk in (0..blocks).step_by(W8A8_CHUNK_BLOCKS) {
        let end = blocks.min(chunk + W8A8_CHUNK_BLOCKS);
        let mut acc32 = [_mm256_setzero_si256(); 4];
        for group in (chunk..end).step_by(W8A8_WIDEN) {
            let mut acc16 = [_mm256_setzero_si256(); 4];
            for b in (group..end.min(group + W8A8_WIDEN)).map(|b| b * BLOCK) {
                _mm_prefetch::<_MM_HINT_T0>(row.as_ptr().wrapping_add(b + PREFETCH).cast());
                let load = |v: &[u8]| _mm256_loadu_si256(v.as_ptr().add(b).cast());
                let terms = w8a8_block(
                    load(row),
                    _mm256_loadu_si256(x.exp.as_ptr().add(b).cast()),
                    load(&x.r),
                    load(&x.sign),
                    &t,
                );
                for (a, v) in acc16.iter_mut().zip(terms) {
                    *a = _mm256_add_epi16(*a, v);
                }
            }
            for (a, v) in acc32.iter_mut().zip(acc16) {
                *a = _mm256_add_epi32(*a, _mm256_madd_epi16(v, ones));
            }
        }
        for (q, a) in acc32.into_iter().enumerate() {
            let mut lanes = [0i32; 8];
            _mm256_storeu_si256(lanes.as_mut_ptr().cast(), a);
            total += lanes.iter().map(|&v| i64::from(v)).sum::<i64>() << (8 * q);
        }
    }
    total
        + (blocks * BLOCK..row.len())
            .map(|k| tail(row[k], k))
            .sum::<i64>()
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
