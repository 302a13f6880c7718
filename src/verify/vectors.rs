//! Test vectors: every pair for the 8-bit formats; for the 16-bit ones a
//! directed catalogue in the spirit of Berkeley TestFloat (special values,
//! rounding ties, overflow and underflow boundaries) plus seeded random
//! pairs.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::exact::Exact;
use crate::formats::minifloat::{Class, MiniFloat};
use crate::Multiplier;

/// A seeded generator: the same seed gives the same vectors everywhere.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// Every pair of an 8-bit format, `a` major.
pub fn all_pairs_8() -> Vec<(u16, u16)> {
    (0..1u32 << 16)
        .map(|i| ((i >> 8) as u16, (i & 0xFF) as u16))
        .collect()
}

/// The special classes of a binary format with `e` exponent and `f`
/// fraction bits, both signs: zeros, the three smallest and the largest
/// subnormal, the smallest normal and its successor, 1.0 and its
/// neighbours, 1.5, 2.0, the two largest finite values, infinity, a
/// signalling NaN, a quiet NaN and the all-ones NaN (36 codes).
pub fn specials(e: u32, f: u32) -> Vec<u16> {
    let exp_all = ((1u32 << e) - 1) << f;
    let one = ((1u32 << (e - 1)) - 1) << f;
    let mags: [u32; 18] = [
        0,
        1,
        2,
        3,
        (1 << f) - 1,
        1 << f,
        (1 << f) + 1,
        one - 1,
        one,
        one + 1,
        one + (1 << (f - 1)),
        one + (1 << f),
        exp_all - 1,
        exp_all - 2,
        exp_all,
        exp_all | 1,
        exp_all | (1 << (f - 1)),
        exp_all | ((1 << f) - 1),
    ];
    mags.iter()
        .flat_map(|&m| [m as u16, (m | 1 << (e + f)) as u16])
        .collect()
}

/// All pairs of the special classes.
pub fn special_pairs(fmt: &MiniFloat) -> Vec<(u16, u16)> {
    let s = specials(fmt.exp_bits, fmt.frac_bits);
    s.iter()
        .flat_map(|&a| s.iter().map(move |&b| (a, b)))
        .collect()
}

/// Pairs whose exact product lies exactly halfway between two codes:
/// `count` in the normal range and `count` with a subnormal result.
pub fn tie_pairs(fmt: &MiniFloat, count: usize, seed: u64) -> Vec<(u16, u16)> {
    let mut rng = rng(seed);
    let mask = (1u32 << fmt.width()) - 1;
    let mut out = Vec::new();
    for tiny in [false, true] {
        let mut found = 0;
        for _ in 0..(count << 14) {
            if found == count {
                break;
            }
            let a = rng.gen::<u32>() & mask;
            let mut b = rng.gen::<u32>() & mask;
            if tiny {
                // Put b's exponent where the product falls below 2^emin.
                let a_exp = (a >> fmt.frac_bits) & ((1 << fmt.exp_bits) - 1);
                let target =
                    (fmt.bias as i64 - a_exp as i64 - rng.gen_range(1..=fmt.frac_bits as i64))
                        .max(0);
                b = (b & !(((1 << fmt.exp_bits) - 1) << fmt.frac_bits))
                    | ((target as u32) << fmt.frac_bits);
            }
            if let (Class::Finite(x), Class::Finite(y)) = (fmt.classify(a), fmt.classify(b)) {
                if fmt.is_tie(x * y) {
                    out.push((a as u16, b as u16));
                    found += 1;
                }
            }
        }
    }
    out
}

/// Pairs around the overflow threshold (largest finite value and half an
/// ulp above it) and around the underflow thresholds (smallest normal,
/// smallest subnormal and half of it): for random `a`, the codes `b`
/// nearest to `threshold / a` and their neighbours, with random signs.
pub fn boundary_pairs(fmt: &MiniFloat, per_target: usize, seed: u64) -> Vec<(u16, u16)> {
    let mut rng = rng(seed);
    let max = fmt.to_f64(fmt.max_finite_mag());
    let ulp_max = max - fmt.to_f64(fmt.max_finite_mag() - 1);
    let min_normal = fmt.to_f64(1 << fmt.frac_bits);
    let min_sub = fmt.to_f64(1);
    let targets = [max, max + ulp_max / 2.0, min_normal, min_sub, min_sub / 2.0];
    // Positive finite non-zero codes, ascending in value.
    let positive: Vec<u32> = (1..=fmt.max_finite_mag())
        .filter(|&c| fmt.to_f64(c) > 0.0)
        .collect();
    let mut out = Vec::new();
    for &t in &targets {
        for _ in 0..per_target {
            let a = positive[rng.gen_range(0..positive.len())];
            let want = t / fmt.to_f64(a);
            let i = positive.partition_point(|&c| fmt.to_f64(c) < want);
            for &b in &positive[i.saturating_sub(2)..(i + 3).min(positive.len())] {
                let sa = if rng.gen() { fmt.sign_mask() } else { 0 };
                let sb = if rng.gen() { fmt.sign_mask() } else { 0 };
                out.push(((a | sa) as u16, (b | sb) as u16));
            }
        }
    }
    out
}

/// `n` seeded uniform pairs of `width`-bit codes.
pub fn random_pairs(width: u32, n: u64, seed: u64) -> Vec<(u16, u16)> {
    let mut rng = rng(seed);
    let mask = ((1u32 << width) - 1) as u16;
    (0..n)
        .map(|_| (rng.gen::<u16>() & mask, rng.gen::<u16>() & mask))
        .collect()
}

/// The default vector set of a design: all pairs for 8 bits; for 16 bits
/// the directed catalogue followed by `random` seeded pairs.
pub fn default_set(m: &dyn Multiplier, random: u64, seed: u64) -> Vec<(u16, u16)> {
    if m.width() == 8 {
        return all_pairs_8();
    }
    let mut v = directed(m, seed);
    v.extend(random_pairs(m.width(), random, seed));
    v
}

/// The directed part of the 16-bit catalogue (empty for formats that are
/// not binary floats).
pub fn directed(m: &dyn Multiplier, seed: u64) -> Vec<(u16, u16)> {
    let Some(fmt) = m.minifloat() else {
        return Vec::new();
    };
    let mut v = special_pairs(fmt);
    v.extend(tie_pairs(fmt, 256, seed ^ 0x7133));
    v.extend(boundary_pairs(fmt, 64, seed ^ 0xB0DE));
    v
}

/// The exact product of two codes, for counterexample reports (`None` when
/// an operand is NaN or infinite).
pub fn exact_product(m: &dyn Multiplier, a: u32, b: u32) -> Option<f64> {
    let (x, y) = (m.decode(a), m.decode(b));
    if !x.is_finite() || !y.is_finite() {
        return None;
    }
    // At most 11 significant bits each: the f64 product is exact.
    let p = Exact::from_f64(x)? * Exact::from_f64(y)?;
    Some(p.to_f64())
}
