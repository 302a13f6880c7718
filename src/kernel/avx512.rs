//! The AVX-512 paths (F, BW, VBMI, VNNI): 64 codes per step, several rows
//! per activation load.
//!
//! **W8A32.** Every RF8 value is exact in bfloat16 (see `decode.rs`).
//! VBMI's `vpermb` looks a byte up in a 64-entry table by the low six bits
//! of each index byte: indexed by `code >> 2` (S Es M) it gives the
//! bfloat16's high byte, sign included. The low byte also depends on R, so
//! it takes `vpermi2b` (128 entries in two registers, indexed by the low
//! seven bits); both are 0 for the zero codes. Two byte unpacks pair them
//! into 64 bfloat16s, and a shift or a mask turns each word pair into two
//! f32 vectors. Per 64 codes: 1 shift, 2 lookups, 2 unpacks, 2 shifts, 2
//! ands, 4 FMAs; four rows share each activation load. The f32 vectors
//! come out in an order scrambled within 128-bit lanes ([`permute`] says
//! which); the activations are permuted the same way once per call.
//!
//! On Zen 4 a `vpermi2b` competes with the FMAs for their pipes and a
//! `vpermb` much less: the first version, two `vpermi2b` and an or for the
//! sign, took 9.4 cycles per 64 codes and row in L2, this one 8.1 (a
//! scratch C loop of the same intrinsics; docs/kernel.md says how).
//!
//! **W8A8 exact.** No decode, no multiply, no truncation: the product is
//! formed from the multiplier's datapath (spec section 3) in byte lanes,
//! 64 at a time, and summed exactly with VNNI. A product is `m * 2^k`
//! LSBs (2^-19) with `m` in {24, 20, 18} (R = 0, 1, 2; R = 3 never occurs
//! in a product) and `k = e + 15` in 0..30. One `vpdpbusd` per exponent
//! bucket `q` (k in 8q..8q+7) multiplies an unsigned byte `2^(k - 8q)` (0
//! outside the bucket) by the signed byte `+-m` and adds four such
//! products into each 32-bit lane; four buckets cover every k, and the row
//! total is `sum_q bucket_q * 2^(8q)`, exact in i64. Per 64 products: 7
//! table lookups (`vpermb`), 4 `vpdpbusd`, 8 other operations.

#![cfg(target_arch = "x86_64")]

use std::arch::x86_64::*;

use super::decode::{exponent_of_field, product_residual, ZERO_EXP};

/// Codes per step.
pub const BLOCK: usize = 64;

/// Rows that share one activation load in W8A32 (four and eight streamed
/// alike from DRAM on Zen 4; four leave more registers free).
const ROWS_W8A32: usize = 4;

/// Rows that share one activation load in W8A8 (its tables and four
/// accumulators per row leave room for two rows in 32 registers).
const ROWS_W8A8: usize = 2;

/// How far ahead of the current block each row's weights are prefetched
/// into L2 (`prefetcht1`), bytes of the row's own stream: the weights are
/// read once, so they go to L2 and L1 keeps the activations. On Zen 4 (2
/// threads, 8192 x 8192), hints T0, T1 and T2 and distances of 4 to 32 KiB
/// for this one prefetch were within the machine's noise.
const PREFETCH: usize = 16384;

/// How far ahead the weights are prefetched a second time, from L2 into L1
/// (`prefetcht0`), just before they are needed. On Zen 5, 8192 x 8192, 2
/// threads, caches evicted before each run, this second prefetch took the
/// four-row W8A32 loop from 31.9-35.3 to 37.4-43.2 G codes/s (three
/// interleaved runs); 512 B, 2 KiB and 4 KiB did no better than 1 KiB.
const PREFETCH_L1: usize = 1024;

/// Prefetches the lines [`PREFETCH`] and [`PREFETCH_L1`] bytes ahead of
/// `row[at]` in the stream of one row of a group of `group` consecutive
/// rows of a matrix (rows `cols` bytes apart). Past the row's end that
/// stream goes on in the row `group` rows down. `row + at + PREFETCH` lands
/// in a row of the same group whenever PREFETCH < group x cols (16 KiB past
/// an 8 KiB row of a four-row group is two rows down), so it fetched what
/// the group was reading anyway: on Zen 5 (as above, L2 prefetch only) a
/// four-row W8A32 loop streamed 33.0-36.3 G codes/s that way and 37.0-38.2
/// with the stream followed, three runs each. Rows that are not
/// consecutive only waste the hint: a prefetch never faults.
#[inline(always)]
pub(super) unsafe fn prefetch_row<T>(row: &[T], at: usize, group: usize) {
    let bytes = std::mem::size_of_val(row);
    let ahead = |distance: usize| {
        let ahead = at * std::mem::size_of::<T>() + distance;
        let ahead = if ahead < bytes {
            ahead
        } else {
            ahead + (group - 1) * bytes
        };
        row.as_ptr().cast::<i8>().wrapping_add(ahead)
    };
    _mm_prefetch::<_MM_HINT_T1>(ahead(PREFETCH));
    _mm_prefetch::<_MM_HINT_T0>(ahead(PREFETCH_L1));
}

/// The features every function here needs.
pub fn available() -> bool {
    is_x86_feature_detected!("avx512f")
        && is_x86_feature_detected!("avx512bw")
        && is_x86_feature_detected!("avx512vbmi")
        && is_x86_feature_detected!("avx512vnni")
}

/// Position in a decoded block of 64 of the code at `i`: decoded vector
/// `j` (0..4), element `4l + d` holds code `16l + 8(j >> 1) + 2d + (j & 1)`.
fn position(i: usize) -> usize {
    let (l, within) = (i / 16, i % 16);
    let (half, d, odd) = (within / 8, (within % 8) / 2, within % 2);
    16 * (2 * half + odd) + 4 * l + d
}

/// `x` padded with `pad` to a whole number of blocks, each block reordered
/// to the decoded order.
pub fn permute<T: Copy>(x: &[T], pad: T) -> Vec<T> {
    permute_by(x, pad, position, |v| v)
}

/// `f(x)` padded with `pad` to a whole number of blocks, the element at
/// `i` of each block moved to `at(i)`: the activations in the order a SIMD
/// loop produces its products (RF8's decoders, the INT8 baseline's).
pub(super) fn permute_by<T: Copy, U: Copy>(
    x: &[T],
    pad: U,
    at: fn(usize) -> usize,
    f: impl Fn(T) -> U,
) -> Vec<U> {
    let at: [usize; BLOCK] = std::array::from_fn(at);
    let mut out = vec![pad; x.len().div_ceil(BLOCK) * BLOCK];
    for (o, v) in out.chunks_exact_mut(BLOCK).zip(x.chunks(BLOCK)) {
        for (&p, &v) in at.iter().zip(v) {
            o[p] = f(v);
        }
    }
    out
}

/// The bfloat16 bytes of every code: the high byte by `code >> 2` (sign
/// and exponent field, 64 entries), the low byte by `code & 0x7f` (128
/// entries; it needs the exponent field too, to be 0 for zero).
fn bf16_tables() -> ([u8; 64], [u8; 128]) {
    let biased = |field: usize| exponent_of_field(field).map(|e| (127 + e) as u8);
    let hi = std::array::from_fn(|i| ((i >> 5) << 7) as u8 | biased(i & 31).map_or(0, |b| b >> 1));
    let lo = std::array::from_fn(|i| biased(i >> 2).map_or(0, |b| (b & 1) << 7 | 0x40 >> (i & 3)));
    (hi, lo)
}

#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn load64(t: &[u8]) -> __m512i {
    debug_assert!(t.len() >= 64);
    _mm512_loadu_si512(t.as_ptr().cast())
}

/// The W8A32 decoder's tables and constants.
#[derive(Clone, Copy)]
struct Decoder {
    hi: __m512i,
    lo: [__m512i; 2],
    upper: __m512i,
}

#[target_feature(enable = "avx512f")]
unsafe fn decoder() -> Decoder {
    let (hi, lo) = bf16_tables();
    Decoder {
        hi: load64(&hi),
        lo: [load64(&lo[..64]), load64(&lo[64..])],
        upper: _mm512_set1_epi32(0xffff_0000u32 as i32),
    }
}

/// 64 codes to 64 f32 in the order of [`position`].
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
unsafe fn decode(c: __m512i, t: &Decoder) -> [__m512; 4] {
    // The low six bits of each byte of c >> 2 (16-bit shift) are the
    // code's S Es M3..M0; vpermb ignores the two above them.
    let hi = _mm512_permutexvar_epi8(_mm512_srli_epi16::<2>(c), t.hi);
    let lo = _mm512_permutex2var_epi8(t.lo[0], c, t.lo[1]);
    let w0 = _mm512_unpacklo_epi8(lo, hi);
    let w1 = _mm512_unpackhi_epi8(lo, hi);
    [
        _mm512_castsi512_ps(_mm512_slli_epi32::<16>(w0)),
        _mm512_castsi512_ps(_mm512_and_si512(w0, t.upper)),
        _mm512_castsi512_ps(_mm512_slli_epi32::<16>(w1)),
        _mm512_castsi512_ps(_mm512_and_si512(w1, t.upper)),
    ]
}

/// Loads block `b` of a row of byte codes (RF8 or INT8), `whole` or not;
/// the lanes past its end read as code 0 (the activations there are
/// padding that makes the product 0).
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
pub(super) unsafe fn load_codes<T>(row: &[T], b: usize, whole: bool) -> __m512i {
    debug_assert_eq!(std::mem::size_of::<T>(), 1, "byte codes");
    if whole {
        _mm512_loadu_si512(row.as_ptr().add(b).cast())
    } else {
        _mm512_maskz_loadu_epi8((1u64 << (row.len() - b)) - 1, row.as_ptr().add(b).cast())
    }
}

/// Runs `step(b, whole)` on every block of `cols` columns: the whole ones
/// in a loop without tail tests, then the partial one, if any.
#[inline(always)]
pub(super) fn blocks(cols: usize, mut step: impl FnMut(usize, bool)) {
    let whole = cols / BLOCK * BLOCK;
    for b in (0..whole).step_by(BLOCK) {
        step(b, true);
    }
    if whole < cols {
        step(whole, false);
    }
}

/// Decodes `codes` (whole blocks) into `out` in the order of [`position`];
/// for tests.
///
/// # Safety
/// The CPU must support the features of [`available`].
#[cfg(test)]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
pub unsafe fn decode_blocks(codes: &[u8], out: &mut [f32]) {
    let t = decoder();
    for (c, o) in codes.chunks_exact(BLOCK).zip(out.chunks_exact_mut(BLOCK)) {
        for (j, f) in decode(load64(c), &t).iter().enumerate() {
            _mm512_storeu_ps(o.as_mut_ptr().add(16 * j), *f);
        }
    }
}

/// W8A32 for `R` rows of equal length sharing each activation load. Every
/// row is summed in the same order whatever `R`, so a row's result does
/// not depend on which rows it was grouped with.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi,fma")]
unsafe fn w8a32_rows<const R: usize>(rows: [&[u8]; R], xp: &[f32], y: &mut [f32]) {
    let t = decoder();
    let cols = rows[0].len();
    debug_assert!(xp.len() == cols.div_ceil(BLOCK) * BLOCK);
    let mut acc = [[_mm512_setzero_ps(); 2]; R];
    blocks(cols, |b, whole| {
        let x = xp.as_ptr().add(b);
        let xv = [0, 1, 2, 3].map(|j| _mm512_loadu_ps(x.add(16 * j)));
        for (row, a) in rows.iter().zip(acc.iter_mut()) {
            // The hardware prefetcher alone leaves the core waiting on
            // DRAM (issue 7's measurements); one prefetch per line.
            prefetch_row(row, b, R);
            let w = decode(load_codes(row, b, whole), &t);
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

/// W8A32 for consecutive rows `rows(0..y.len())`: groups of
/// `ROWS_W8A32`, then single rows. `xp` = [`permute`]`(x, 0.0)`.
///
/// # Safety
/// The CPU must support the features of [`available`] and FMA; every row
/// has `x.len()` codes.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi,fma")]
pub unsafe fn gemv_w8a32<'a>(rows: impl Fn(usize) -> &'a [u8], xp: &[f32], y: &mut [f32]) {
    // SAFETY (both closures): the caller's guarantees are this function's.
    super::in_groups::<_, _, ROWS_W8A32>(
        rows,
        y,
        |g, out| unsafe { w8a32_rows(g, xp, out) },
        |row, out| unsafe { w8a32_rows([row], xp, std::slice::from_mut(out)) },
    );
}

/// Whether this CPU has `vdpbf16ps` (AVX-512 BF16), for [`gemv_w8abf16`].
pub fn has_bf16() -> bool {
    available() && is_x86_feature_detected!("avx512bf16")
}

/// Position among the 64 words of [`decode_bf16`]'s two vectors of the
/// code at `i` of a block: vector `(i % 16) / 8`, 128-bit lane `i / 16`,
/// word `i % 8`.
fn position_bf16(i: usize) -> usize {
    32 * ((i % 16) / 8) + 8 * (i / 16) + i % 8
}

/// `x` rounded to bfloat16 (nearest, ties to even), padded with zeros to
/// whole blocks and reordered like [`decode_bf16`]'s output, as bits.
pub fn permute_bf16(x: &[f32]) -> Vec<u16> {
    permute_by(x, 0, position_bf16, |v| half::bf16::from_f32(v).to_bits())
}

/// 64 codes to 64 bfloat16s (two vectors of words, [`position_bf16`]):
/// [`decode`] without the widening to f32.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
unsafe fn decode_bf16(c: __m512i, t: &Decoder) -> [__m512i; 2] {
    let hi = _mm512_permutexvar_epi8(_mm512_srli_epi16::<2>(c), t.hi);
    let lo = _mm512_permutex2var_epi8(t.lo[0], c, t.lo[1]);
    [_mm512_unpacklo_epi8(lo, hi), _mm512_unpackhi_epi8(lo, hi)]
}

/// W8ABF16 for `R` rows sharing each activation load: `vdpbf16ps` adds
/// two exact bfloat16 products into each f32 lane per instruction.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi,avx512bf16")]
unsafe fn w8abf16_rows<const R: usize>(rows: [&[u8]; R], xp: &[u16], y: &mut [f32]) {
    let t = decoder();
    let cols = rows[0].len();
    debug_assert!(xp.len() == cols.div_ceil(BLOCK) * BLOCK);
    let bh = |v: __m512i| std::mem::transmute::<__m512i, __m512bh>(v);
    let mut acc = [[_mm512_setzero_ps(); 2]; R];
    blocks(cols, |b, whole| {
        let x = xp.as_ptr().add(b);
        let xv = [0, 1].map(|j| bh(_mm512_loadu_si512(x.add(32 * j).cast())));
        for (row, a) in rows.iter().zip(acc.iter_mut()) {
            prefetch_row(row, b, R);
            let w = decode_bf16(load_codes(row, b, whole), &t);
            a[0] = _mm512_dpbf16_ps(a[0], bh(w[0]), xv[0]);
            a[1] = _mm512_dpbf16_ps(a[1], bh(w[1]), xv[1]);
        }
    });
    for (out, a) in y.iter_mut().zip(acc) {
        *out = _mm512_reduce_add_ps(_mm512_add_ps(a[0], a[1]));
    }
}

/// W8ABF16 for consecutive rows `rows(0..y.len())`; `xp` =
/// [`permute_bf16`]`(x)`.
///
/// # Safety
/// The CPU must pass [`has_bf16`]; every row has `x.len()` codes.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi,avx512bf16")]
pub unsafe fn gemv_w8abf16<'a>(rows: impl Fn(usize) -> &'a [u8], xp: &[u16], y: &mut [f32]) {
    // SAFETY (both closures): the caller's guarantees are this function's.
    super::in_groups::<_, _, ROWS_W8A32>(
        rows,
        y,
        |g, out| unsafe { w8abf16_rows(g, xp, out) },
        |row, out| unsafe { w8abf16_rows([row], xp, std::slice::from_mut(out)) },
    );
}

/// The activations as W8A8 needs them, in their natural order (no decode,
/// so no scramble), padded to whole blocks with zero operands.
pub struct W8a8Input {
    /// `e` of each activation, [`ZERO_EXP`] for zero.
    exp: Vec<i8>,
    /// `S << 5 | R << 2` of each activation.
    sign_r: Vec<u8>,
}

impl W8a8Input {
    /// From RF8 codes.
    pub fn new(x: &[u8]) -> W8a8Input {
        let n = x.len().div_ceil(BLOCK) * BLOCK;
        let mut exp = vec![ZERO_EXP; n];
        let mut sign_r = vec![0u8; n];
        for (k, &c) in x.iter().enumerate() {
            exp[k] = exponent_of_field(usize::from(c >> 2) & 31).map_or(ZERO_EXP, |e| e as i8);
            sign_r[k] = (c >> 7) << 5 | (c & 3) << 2;
        }
        W8a8Input { exp, sign_r }
    }
}

/// The W8A8 tables, as 64-byte `vpermb` tables:
/// * `exp[S Es M]`: `e + 15`, or [`ZERO_EXP`] for zero;
/// * index `i` = `Rw | Rx << 2 | saturate << 4 | S << 5` into `carry` (c)
///   and `mantissa` (`+-m`, 24 where saturated);
/// * `bucket[q][k & 63]` for k clamped to -17..46: `2^(k - 8q)` where k is
///   in bucket q, 64 in bucket 3 for every saturated k (> 30), else 0.
fn w8a8_tables() -> ([i8; 64], [i8; 64], [i8; 64], [[u8; 64]; 4]) {
    let exp =
        std::array::from_fn(|i| exponent_of_field(i & 31).map_or(ZERO_EXP, |e| (e + 15) as i8));
    let carry = std::array::from_fn(|i| product_residual(i & 3, (i >> 2) & 3).1);
    let mantissa = std::array::from_fn(|i| {
        let r = product_residual(i & 3, (i >> 2) & 3).0;
        let m = if i & 16 != 0 { 24 } else { 16 + (8 >> r) };
        if i & 32 != 0 {
            -m
        } else {
            m
        }
    });
    let bucket = std::array::from_fn(|q| {
        std::array::from_fn(|i| {
            let k = if i < 47 { i as i32 } else { i as i32 - 64 };
            let k = k.min(30);
            if k >= 0 && k / 8 == q as i32 {
                1u8 << (k - 8 * q as i32)
            } else {
                0
            }
        })
    });
    (exp, carry, mantissa, bucket)
}

/// The W8A8 tables and constants in registers.
#[derive(Clone, Copy)]
struct Datapath {
    exp: __m512i,
    carry: __m512i,
    mantissa: __m512i,
    bucket: [__m512i; 4],
}

#[target_feature(enable = "avx512f")]
unsafe fn datapath() -> Datapath {
    let (exp, carry, mantissa, bucket) = w8a8_tables();
    let load = |t: &[i8; 64]| _mm512_loadu_si512(t.as_ptr().cast());
    Datapath {
        exp: load(&exp),
        carry: load(&carry),
        mantissa: load(&mantissa),
        bucket: bucket.map(|t| _mm512_loadu_si512(t.as_ptr().cast())),
    }
}

/// Blocks per exact 32-bit partial sum: a lane gains at most 4 * 128 * 24
/// = 12,288 per block, so 2^17 blocks stay below 2^31.
const W8A8_CHUNK_BLOCKS: usize = 1 << 17;

/// One block of 64 products of one row into its four bucket accumulators.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi,avx512vnni")]
unsafe fn w8a8_block(w: __m512i, xe: __m512i, xs: __m512i, t: &Datapath, acc: &mut [__m512i; 4]) {
    let shifted = _mm512_srli_epi16::<2>(w); // S Es M in the low six bits
    let exp_sum = _mm512_add_epi8(_mm512_permutexvar_epi8(shifted, t.exp), xe);
    // (w & 3) | (shifted & !3): Rw in bits 0-1 and Sw in bit 5.
    let picked = _mm512_ternarylogic_epi32::<0xe4>(w, shifted, _mm512_set1_epi8(3));
    // (picked & 0x23) ^ xs: Rw | Rx << 2 | (Sw ^ Sx) << 5.
    let index = _mm512_ternarylogic_epi32::<0x6c>(picked, xs, _mm512_set1_epi8(0x23));
    let k = _mm512_add_epi8(exp_sum, _mm512_permutexvar_epi8(index, t.carry));
    let saturate = _mm512_cmpgt_epi8_mask(k, _mm512_set1_epi8(30));
    let index = _mm512_mask_add_epi8(index, saturate, index, _mm512_set1_epi8(16));
    let m = _mm512_permutexvar_epi8(index, t.mantissa);
    // Underflow and zero operands: every k below 0 clamps to a 0 entry.
    let k = _mm512_max_epi8(k, _mm512_set1_epi8(-17));
    for (q, a) in acc.iter_mut().enumerate() {
        *a = _mm512_dpbusd_epi32(*a, _mm512_permutexvar_epi8(k, t.bucket[q]), m);
    }
}

/// The sum of a bucket accumulator's sixteen lanes, widened.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn lanes_sum(a: __m512i) -> i64 {
    let lo = _mm512_cvtepi32_epi64(_mm512_castsi512_si256(a));
    let hi = _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64::<1>(a));
    _mm512_reduce_add_epi64(_mm512_add_epi64(lo, hi))
}

/// W8A8 for `R` rows sharing each activation load.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi,avx512vnni")]
unsafe fn w8a8_rows<const R: usize>(rows: [&[u8]; R], x: &W8a8Input, y: &mut [i64]) {
    let t = datapath();
    let cols = rows[0].len();
    debug_assert!(x.exp.len() == cols.div_ceil(BLOCK) * BLOCK);
    let mut total = [0i64; R];
    let chunk_cols = W8A8_CHUNK_BLOCKS * BLOCK;
    for start in (0..cols).step_by(chunk_cols) {
        let mut acc = [[_mm512_setzero_si512(); 4]; R];
        let part: [&[u8]; R] = rows.map(|r| &r[start..cols.min(start + chunk_cols)]);
        blocks(part[0].len(), |b, whole| {
            let xe = _mm512_loadu_si512(x.exp.as_ptr().add(start + b).cast());
            let xs = _mm512_loadu_si512(x.sign_r.as_ptr().add(start + b).cast());
            for ((row, part), a) in rows.iter().zip(&part).zip(acc.iter_mut()) {
                prefetch_row(row, start + b, R);
                w8a8_block(load_codes(part, b, whole), xe, xs, &t, a);
            }
        });
        for (sum, a) in total.iter_mut().zip(acc) {
            for (q, bucket) in a.into_iter().enumerate() {
                *sum += lanes_sum(bucket) << (8 * q);
            }
        }
    }
    y[..R].copy_from_slice(&total);
}

/// W8A8 exact for consecutive rows `rows(0..y.len())`, in LSBs of 2^-19.
///
/// # Safety
/// The CPU must support the features of [`available`]; every row has as
/// many codes as `x` was built from.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi,avx512vnni")]
pub unsafe fn gemv_w8a8<'a>(rows: impl Fn(usize) -> &'a [u8], x: &W8a8Input, y: &mut [i64]) {
    // SAFETY (both closures): the caller's guarantees are this function's.
    super::in_groups::<_, _, ROWS_W8A8>(
        rows,
        y,
        |g, out| unsafe { w8a8_rows(g, x, out) },
        |row, out| unsafe { w8a8_rows([row], x, std::slice::from_mut(out)) },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::decode_f32;

    /// All 256 codes through the shuffle decoder equal the table, at the
    /// positions `permute` describes (bit for bit, signed zeros included).
    #[test]
    fn decodes_every_code() {
        if !available() {
            eprintln!("skipped: no AVX-512 VBMI/VNNI on this CPU");
            return;
        }
        let codes: Vec<u8> = (0..=255).collect();
        let mut out = vec![0f32; 256];
        // SAFETY: features checked above; both slices hold 4 blocks.
        unsafe { decode_blocks(&codes, &mut out) };
        let want = permute(decode_f32().as_ref(), 0.0);
        for (i, (g, w)) in out.iter().zip(&want).enumerate() {
            assert_eq!(g.to_bits(), w.to_bits(), "position {i}");
        }
    }

    /// The bfloat16 decoder: every code's bits at the position
    /// `permute_bf16` gives it.
    #[test]
    fn decodes_every_code_to_bf16() {
        if !available() {
            eprintln!("skipped: no AVX-512 VBMI/VNNI on this CPU");
            return;
        }
        let codes: Vec<u8> = (0..=255).collect();
        let mut out = vec![0u16; 256];
        // SAFETY: features checked above; both hold 4 blocks.
        unsafe {
            let t = decoder();
            for (c, o) in codes.chunks_exact(BLOCK).zip(out.chunks_exact_mut(BLOCK)) {
                for (j, v) in decode_bf16(load64(c), &t).iter().enumerate() {
                    _mm512_storeu_si512(o.as_mut_ptr().add(32 * j).cast(), *v);
                }
            }
        }
        let want = permute_bf16(decode_f32().as_ref());
        for (i, (g, w)) in out.iter().zip(&want).enumerate() {
            assert_eq!(g, w, "position {i}");
        }
    }

    #[test]
    fn permute_is_a_permutation_padded_with_the_pad() {
        let x: Vec<u32> = (0..70).collect();
        let p = permute(&x, 999);
        assert_eq!(p.len(), 128);
        let mut sorted: Vec<u32> = p.iter().copied().filter(|&v| v != 999).collect();
        sorted.sort();
        assert_eq!(sorted, x);
        assert_eq!(p[16], 1); // vector 1, element 0 is code 1
        assert_eq!(p[4], 16); // vector 0, lane 1, element 0 is code 16
        assert_eq!(p[32], 8); // vector 2, element 0 is code 8
        assert_eq!(p.iter().filter(|&&v| v == 999).count(), 58);
    }

    /// The bucket tables scale `m` back to `m * 2^k` for every k.
    #[test]
    fn buckets_cover_every_exponent_once() {
        let (.., bucket) = w8a8_tables();
        for k in -17i32..=46 {
            let i = (k & 63) as usize;
            let scale: i64 = (0..4).map(|q| (bucket[q][i] as i64) << (8 * q)).sum();
            let want = match k {
                ..=-1 => 0,
                0..=30 => 1i64 << k,
                _ => 1 << 30,
            };
            assert_eq!(scale, want, "k = {k}");
            assert!((0..4).filter(|&q| bucket[q][i] != 0).count() <= 1);
        }
    }
}
