//! Test vectors: every pair wherever there are at most 2^20 of them (the
//! 8-bit and 4-bit formats); otherwise a directed catalogue in the spirit
//! of Berkeley TestFloat (each format's special values, and for binary
//! floats rounding ties, overflow and underflow boundaries) plus seeded
//! random pairs.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::formats::minifloat::{Class, MiniFloat};
use crate::Multiplier;

/// A seeded generator: the same seed gives the same vectors everywhere.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// The largest operand space verified pair by pair by default: 2^20 pairs
/// (operands of up to 10 bits).
pub const EXHAUSTIVE_PAIRS: u64 = 1 << 20;

/// True when every pair of `m` is simulated by default.
pub fn exhaustive_by_default(m: &dyn Multiplier) -> bool {
    1u64 << (2 * m.width()) <= EXHAUSTIVE_PAIRS
}

/// Every pair of `width`-bit operands, `a` major.
pub fn all_pairs(width: u32) -> Vec<(u16, u16)> {
    let n = 1u32 << width;
    (0..n * n)
        .map(|i| ((i / n) as u16, (i % n) as u16))
        .collect()
}

/// All pairs of the format's special codes ([`Multiplier::specials`]).
pub fn special_pairs(m: &dyn Multiplier) -> Vec<(u16, u16)> {
    let s = m.specials();
    s.iter()
        .flat_map(|&a| s.iter().map(move |&b| (a as u16, b as u16)))
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

/// The default vector set of a design: every pair when there are at most
/// [`EXHAUSTIVE_PAIRS`]; otherwise the directed catalogue followed by
/// `random` seeded pairs.
pub fn default_set(m: &dyn Multiplier, random: u64, seed: u64) -> Vec<(u16, u16)> {
    if exhaustive_by_default(m) {
        return all_pairs(m.width());
    }
    let mut v = directed(m, seed);
    v.extend(random_pairs(m.width(), random, seed));
    v
}

/// The directed catalogue: all pairs of the format's special codes, and
/// for binary floats pairs whose products are rounding ties or lie at the
/// overflow and underflow boundaries.
pub fn directed(m: &dyn Multiplier, seed: u64) -> Vec<(u16, u16)> {
    let mut v = special_pairs(m);
    if let Some(fmt) = m.minifloat() {
        v.extend(tie_pairs(fmt, 256, seed ^ 0x7133));
        v.extend(boundary_pairs(fmt, 64, seed ^ 0xB0DE));
    }
    v
}

/// The exact product of two codes, for counterexample reports (`None` when
/// an operand is NaN or infinite).
pub fn exact_product(m: &dyn Multiplier, a: u32, b: u32) -> Option<f64> {
    let (x, y) = (m.decode(a), m.decode(b));
    // Every format's significand has at most 11 bits and its exponents
    // stay far inside f64's range, so the f64 product is exact.
    (x.is_finite() && y.is_finite()).then_some(x * y)
}
