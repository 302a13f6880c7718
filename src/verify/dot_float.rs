//! The vectors of the binary32 units (`dot_fp16`, `dot_bf16`; spec section
//! 8): directed cases for every IEEE rule the unit must follow, and random
//! codes drawn so that rounding and cancellation happen often (uniform
//! 16-bit codes mostly add numbers 2^20 apart, where the smaller one only
//! sets the sticky bit).
//!
//! Directed cases: signed zeros (`x + (-x) = +0`, `-0 + -0 = -0`); NaN and
//! `Inf * 0` in each lane; `Inf - Inf` between lanes and against `acc_in`;
//! overflow to Inf and a tie at the largest finite value; subnormal
//! accumulators and (BF16) subnormal products that sum past the normal
//! boundary; and a tie in every adder of the tree and in the accumulator
//! adder, both to even and away from odd, by addition and by subtraction.

use std::collections::HashMap;

use rand::Rng;

use super::bus_vector::{pack, Vector};
use crate::formats::dot::{DotUnit, Product};

/// The operand codes of a unit, found by value: every code's value, and
/// pairs `(a, b)` whose product is a given binary32 value.
struct Codes {
    by_value: HashMap<u64, u32>,
    /// Codes of the positive powers of two (candidates for `b`).
    powers: Vec<u32>,
    width: u32,
}

impl Codes {
    fn of(unit: &DotUnit) -> Codes {
        let width = unit.operands.width();
        let mut by_value = HashMap::new();
        let mut powers = Vec::new();
        for code in 0..1u32 << width {
            let v = unit.operands.decode(code);
            if v.is_finite() {
                by_value.entry(v.to_bits()).or_insert(code);
                if v > 0.0 && v.log2().fract() == 0.0 {
                    powers.push(code);
                }
            }
        }
        Codes {
            by_value,
            powers,
            width,
        }
    }

    fn code(&self, v: f64) -> Option<u32> {
        self.by_value.get(&v.to_bits()).copied()
    }

    /// A pair whose exact product is `v` (which must then also be the
    /// unit's product: the tests only ask for values binary32 holds).
    fn pair(&self, unit: &DotUnit, v: f64) -> Option<(u32, u32)> {
        self.powers.iter().find_map(|&b| {
            let a = self.code(v / unit.operands.decode(b))?;
            let exact = matches!((unit.product)(a, b), Product::Float(p) if p as f64 == v);
            exact.then_some((a, b))
        })
    }
}

/// A vector of `lanes` products, each given as a value (0 elsewhere), and
/// `acc_in` as binary32 bits. `None` when a value is not a product.
fn with_values(
    unit: &DotUnit,
    codes: &Codes,
    lanes: usize,
    values: &[(usize, f64)],
    acc: u32,
) -> Option<Vector> {
    let zero = codes.pair(unit, 0.0)?;
    let (mut a, mut b) = (vec![zero.0; lanes], vec![zero.1; lanes]);
    for &(lane, v) in values {
        (a[lane], b[lane]) = codes.pair(unit, v)?;
    }
    Some([pack(&a, codes.width), pack(&b, codes.width), acc as u128])
}

/// The same vector with raw codes in some lanes (specials).
fn with_codes(codes: &Codes, lanes: usize, set: &[(usize, u32, u32)], acc: u32) -> Vector {
    let one = codes.code(1.0).unwrap_or(0);
    let (mut a, mut b) = (vec![0; lanes], vec![one; lanes]);
    for &(lane, x, y) in set {
        (a[lane], b[lane]) = (x, y);
    }
    [pack(&a, codes.width), pack(&b, codes.width), acc as u128]
}

/// Lanes that meet first at each adder of the tree: for a node of level L
/// covering lanes `[s, s + 2^L)`, the pair `(s, s + 2^(L-1))`.
fn meetings(lanes: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut span = 2;
    while span <= lanes {
        for s in (0..lanes).step_by(span) {
            out.push((s, s + span / 2));
        }
        span *= 2;
    }
    out
}

/// The directed cases of a binary32 unit at `lanes` lanes.
pub fn directed(unit: &DotUnit, lanes: usize) -> Vec<Vector> {
    let codes = Codes::of(unit);
    let mut out = Vec::new();
    let sign = 1u32 << (codes.width - 1);
    let inf = (0..sign).find(|&c| unit.operands.decode(c) == f64::INFINITY);
    let nan = (0..sign).find(|&c| unit.operands.decode(c).is_nan());
    let one = codes.code(1.0).unwrap_or(0);
    let zero = codes.code(0.0).unwrap_or(0);
    let (pos0, neg0, pinf, ninf, fnan) = (
        0u32,
        0x8000_0000u32,
        0x7F80_0000u32,
        0xFF80_0000u32,
        0x7FC0_0001u32,
    );
    // Signed zeros.
    for acc in [pos0, neg0] {
        out.push(with_codes(&codes, lanes, &[], acc));
        let negs: Vec<(usize, u32, u32)> = (0..lanes).map(|i| (i, zero | sign, one)).collect();
        out.push(with_codes(&codes, lanes, &negs, acc));
    }
    out.extend(with_values(unit, &codes, lanes, &[(0, 1.0)], 0xBF80_0000));
    if lanes >= 2 {
        out.extend(with_values(
            unit,
            &codes,
            lanes,
            &[(0, 3.0), (lanes - 1, -3.0)],
            neg0,
        ));
    }
    // NaN, Inf * 0 and Inf in each lane; Inf - Inf.
    if let (Some(inf), Some(nan)) = (inf, nan) {
        for lane in 0..lanes {
            out.push(with_codes(&codes, lanes, &[(lane, nan, one)], pos0));
            out.push(with_codes(&codes, lanes, &[(lane, inf, zero)], pos0));
            out.push(with_codes(&codes, lanes, &[(lane, inf | sign, one)], pos0));
            out.push(with_codes(&codes, lanes, &[(lane, inf, one)], ninf));
            out.push(with_codes(&codes, lanes, &[(lane, inf, one)], pinf));
        }
        if lanes >= 2 {
            out.push(with_codes(
                &codes,
                lanes,
                &[(0, inf, one), (1, inf | sign, one)],
                pos0,
            ));
            out.push(with_codes(
                &codes,
                lanes,
                &[(0, inf, one), (lanes - 1, inf | sign, one)],
                pos0,
            ));
        }
        out.push(with_codes(&codes, lanes, &[], fnan));
        out.push(with_codes(&codes, lanes, &[], pinf));
    }
    // Overflow: the largest finite acc_in plus a product past half an ulp
    // (a tie at 2^103 rounds up to Inf; below it stays).
    for v in [2f64.powi(103), 2f64.powi(102), 2f64.powi(104), 1.0] {
        out.extend(with_values(unit, &codes, lanes, &[(0, v)], 0x7F7F_FFFF));
        out.extend(with_values(unit, &codes, lanes, &[(0, -v)], 0xFF7F_FFFF));
    }
    // Subnormals: acc_in subnormal; products (BF16) subnormal or summing
    // across 2^-126.
    for acc in [1u32, 0x0040_0000, 0x807F_FFFF, 0x0080_0000] {
        out.push(with_codes(&codes, lanes, &[], acc));
        out.extend(with_values(
            unit,
            &codes,
            lanes,
            &[(0, 2f64.powi(-127))],
            acc,
        ));
        out.extend(with_values(
            unit,
            &codes,
            lanes,
            &[(0, -2f64.powi(-149))],
            acc,
        ));
        out.extend(with_values(unit, &codes, lanes, &[(0, 1.0)], acc));
    }
    let tiny = 2f64.powi(-127);
    let mut subnormal = vec![(0, tiny)];
    if lanes >= 2 {
        subnormal.push((1, tiny));
    }
    out.extend(with_values(unit, &codes, lanes, &subnormal, 0x0040_0000));
    // Products rounded once (BF16): 2^-75 times values that put the exact
    // product below 2^-126, between subnormals (ties to even included:
    // 1.5, 2.5 and 3.5 times 2^-149) and under half the smallest.
    let quarter = 2f64.powi(-75);
    for x in [
        1.5 * 2f64.powi(-74),
        1.25 * 2f64.powi(-73),
        1.75 * 2f64.powi(-73),
        2f64.powi(-76),
        1.5 * 2f64.powi(-76),
        (1.0 + 2f64.powi(-7)) * 2f64.powi(-70),
        (2.0 - 2f64.powi(-7)) * 2f64.powi(-52),
    ] {
        if let (Some(a), Some(b)) = (codes.code(x), codes.code(quarter)) {
            for lane in 0..lanes {
                out.push(with_codes(&codes, lanes, &[(lane, a, b)], pos0));
                out.push(with_codes(
                    &codes,
                    lanes,
                    &[(lane, a | sign, b)],
                    0x0000_0001,
                ));
            }
        }
    }
    // Ties in every adder. Lanes i and j meet first at one node: i = 1 and
    // j = 2^-24 is a tie to even there (down); with i + 1 = 2^-23 beside
    // it (same pair, so the level-1 sum is odd) the tie rounds up. By
    // subtraction: 1 - 2^-25 ties between 1 - 2^-24 (odd) and 1.
    let ulp = 2f64.powi(-23);
    for (i, j) in meetings(lanes) {
        for (x, y) in [
            (1.0, ulp / 2.0),
            (ulp / 2.0, 1.0),
            (1.0, -ulp / 4.0),
            (-1.0, ulp / 2.0),
        ] {
            out.extend(with_values(unit, &codes, lanes, &[(i, x), (j, y)], pos0));
        }
        if j > i + 1 {
            out.extend(with_values(
                unit,
                &codes,
                lanes,
                &[(i, 1.0), (i + 1, ulp), (j, ulp / 2.0)],
                pos0,
            ));
            out.extend(with_values(
                unit,
                &codes,
                lanes,
                &[(i, -1.0), (i + 1, -ulp), (j, -ulp / 2.0)],
                pos0,
            ));
        }
    }
    // And in the accumulator adder: acc_in 1 (even) or 1 + 2^-23 (odd)
    // plus 2^-24 from one lane.
    for acc in [0x3F80_0000u32, 0x3F80_0001, 0xBF80_0001] {
        for lane in 0..lanes {
            out.extend(with_values(unit, &codes, lanes, &[(lane, ulp / 2.0)], acc));
            out.extend(with_values(unit, &codes, lanes, &[(lane, -ulp / 2.0)], acc));
        }
    }
    // Cancellation to zero in pairs, and across the tree.
    for v in [1.0, 3.0, 2f64.powi(-20), 1.5] {
        let pairs: Vec<(usize, f64)> = (0..lanes)
            .map(|i| (i, if i % 2 == 0 { v } else { -v }))
            .collect();
        out.extend(with_values(unit, &codes, lanes, &pairs, pos0));
        out.extend(with_values(
            unit,
            &codes,
            lanes,
            &[(0, v)],
            (-(v as f32)).to_bits(),
        ));
    }
    out
}

/// A random operand code within a factor 8 of 1 (either sign), so that
/// sums round and cancel.
fn near_one(codes: &Codes, rng: &mut impl Rng) -> u32 {
    let one = codes.code(1.0).unwrap_or(0) as i64;
    let step = codes.code(2.0).unwrap_or(1) as i64 - one;
    let code = (one + rng.gen_range(-3 * step..3 * step)) as u32;
    code | if rng.gen() { 1 << (codes.width - 1) } else { 0 }
}

/// `count` random vectors: half with uniform codes and `acc_in` (an edge
/// from `edges` every other time), half with codes and `acc_in` near 1.
pub fn random(unit: &DotUnit, lanes: usize, edges: &[u64], count: u64, seed: u64) -> Vec<Vector> {
    let codes = Codes::of(unit);
    let mut rng = super::vectors::rng(seed);
    let w = codes.width as usize;
    let bus_mask = if w * lanes >= 128 {
        u128::MAX
    } else {
        (1u128 << (w * lanes)) - 1
    };
    (0..count)
        .map(|k| match k % 4 {
            0 | 1 => {
                let acc = if k % 4 == 0 {
                    edges[rng.gen_range(0..edges.len())] as u128
                } else {
                    rng.gen::<u32>() as u128
                };
                [
                    rng.gen::<u128>() & bus_mask,
                    rng.gen::<u128>() & bus_mask,
                    acc,
                ]
            }
            _ => {
                let a: Vec<u32> = (0..lanes).map(|_| near_one(&codes, &mut rng)).collect();
                let b: Vec<u32> = (0..lanes).map(|_| near_one(&codes, &mut rng)).collect();
                let acc = (rng.gen_range(-8.0f32..8.0)).to_bits();
                [pack(&a, codes.width), pack(&b, codes.width), acc as u128]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::dot::{DOT_BF16, DOT_FP16};

    #[test]
    fn every_adder_is_a_meeting_point_once() {
        assert_eq!(meetings(1), vec![]);
        assert_eq!(meetings(2), vec![(0, 1)]);
        assert_eq!(meetings(8).len(), 7);
        assert!(meetings(8).contains(&(0, 4)));
    }

    #[test]
    fn directed_cases_round_and_special_as_intended() {
        for unit in [&DOT_FP16, &DOT_BF16] {
            let v = directed(unit, 8);
            let out = super::super::dot::expected(unit, 8, 0, &v);
            let has = |bits: u32| out.contains(&(bits as u128));
            assert!(has(0x7FC0_0000), "{}: NaN", unit.format);
            assert!(has(0x7F80_0000) && has(0xFF80_0000), "{}: Inf", unit.format);
            assert!(has(0) && has(0x8000_0000), "{}: signed zeros", unit.format);
            // A tie rounded up from odd: 1 + 2^-22.
            assert!(has(0x3F80_0002), "{}: tie away from odd", unit.format);
            // 1 - 2^-25 ties to 1.0, 1 + 2^-24 ties to 1.0.
            assert!(has(0x3F80_0000), "{}: tie to even", unit.format);
            // Every level of the tree has its ties: 7 meetings x 4 + 6 odd.
            assert!(v.len() > 7 * 4, "{}", unit.format);
        }
        // BF16 products reach the subnormal range.
        let v = directed(&DOT_BF16, 1);
        let out = super::super::dot::expected(&DOT_BF16, 1, 0, &v);
        assert!(out.iter().any(|&x| x > 0 && x < 0x0080_0000));
    }
}
