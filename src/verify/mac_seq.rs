//! Group sequences for the MAC units of spec section 9 (issue 30): the
//! directed sequences that a sequence harness drives into a unit, and
//! seeded random dot products, each with its reference results from
//! [`MacRef::run`]. Cycle-level cases (`in_valid` gaps, a reset in the
//! middle of a dot product) belong to the harness; these are the values.
//!
//! Directed, in order:
//! 1. one product, the largest, repeated for the longest dot product
//!    without overflow (2^H / N groups): every term into one exponent bin
//!    of an exponent-indexed unit, and the accumulator's top bit reached;
//! 2. the same with the most negative product;
//! 3. products that cancel in pairs across lanes and groups, for 1,000
//!    groups: the result is exactly zero;
//! 4. back-to-back dot products of one group each (each a different lane
//!    carrying the largest product alone);
//! 5. the smallest positive product repeated 1,000 times, then a dot
//!    product of one group: a carry chain through the low bits.

use rand::Rng;

use crate::formats::dot::DotOut;
use crate::formats::mac::{Group, MacRef};

/// A dot product of `n` groups of the same pair in every lane.
fn repeated(mac: &MacRef, (a, b): (u32, u32), n: u64) -> Vec<Group> {
    (0..n)
        .map(|k| Group {
            a: vec![a; mac.lanes],
            b: vec![b; mac.lanes],
            last: k + 1 == n,
        })
        .collect()
}

/// The directed sequences (see the module docs), one after another.
pub fn directed(mac: &MacRef) -> Vec<Group> {
    let all = super::dot::products(mac.unit);
    let pick = |better: fn(i64, i64) -> bool| {
        all.iter()
            .copied()
            .reduce(|x, y| if better(y.2, x.2) { y } else { x })
            .expect("a product")
    };
    let largest = pick(|y, x| y > x);
    let most_negative = pick(|y, x| y < x);
    let smallest = all
        .iter()
        .copied()
        .filter(|p| p.2 > 0)
        .min_by_key(|p| p.2)
        .expect("a positive product");
    let zero = all
        .iter()
        .copied()
        .find(|p| p.2 == 0)
        .expect("a zero product");
    let longest = mac.max_groups();
    let mut out = repeated(mac, (largest.0, largest.1), longest);
    out.extend(repeated(mac, (most_negative.0, most_negative.1), longest));
    // Cancelling pairs, lane against neighbouring lane and group against
    // group (an odd lane count leaves one product over per group; the next
    // group's starts with its opposite): the largest product whose
    // negative is also a product (INT8's 16384 has none).
    let (plus, minus) = all
        .iter()
        .filter(|p| p.2 > 0)
        .filter_map(|&p| all.iter().find(|q| q.2 == -p.2).map(|&q| (p, q)))
        .max_by_key(|(p, _)| p.2)
        .expect("a product and its negative");
    for k in 0..1000 {
        let (mut a, mut b) = (vec![zero.0; mac.lanes], vec![zero.1; mac.lanes]);
        for lane in 0..mac.lanes {
            let p = if (lane + k * mac.lanes).is_multiple_of(2) {
                plus
            } else {
                minus
            };
            (a[lane], b[lane]) = (p.0, p.1);
        }
        out.push(Group {
            a,
            b,
            last: k == 999,
        });
    }
    for lane in 0..mac.lanes {
        let (mut a, mut b) = (vec![zero.0; mac.lanes], vec![zero.1; mac.lanes]);
        (a[lane], b[lane]) = (largest.0, largest.1);
        out.push(Group { a, b, last: true });
    }
    out.extend(repeated(mac, (smallest.0, smallest.1), 1000));
    out.extend(repeated(mac, (smallest.0, smallest.1), 1));
    out
}

/// `count` dot products of random lengths (1 to `max_groups` groups) and
/// uniformly random codes, seeded.
pub fn random(mac: &MacRef, count: usize, max_groups: u64, seed: u64) -> Vec<Group> {
    let mut rng = super::vectors::rng(seed);
    let codes = 1u32 << mac.unit.operands.width();
    let mut out = Vec::new();
    for _ in 0..count {
        let n = rng.gen_range(1..=max_groups.clamp(1, mac.max_groups()));
        for k in 0..n {
            out.push(Group {
                a: (0..mac.lanes).map(|_| rng.gen_range(0..codes)).collect(),
                b: (0..mac.lanes).map(|_| rng.gen_range(0..codes)).collect(),
                last: k + 1 == n,
            });
        }
    }
    out
}

/// The reference results of `groups`, one per dot product.
pub fn expected(mac: &MacRef, groups: &[Group]) -> Vec<DotOut> {
    mac.run(groups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::dot::{DOT_FP4_E2M1, DOT_FP8_E4M3, DOT_INT8, DOT_RF8};

    /// `x` as a signed W-bit number.
    fn signed(x: u64, w: u32) -> i64 {
        ((x << (64 - w)) as i64) >> (64 - w)
    }

    #[test]
    fn directed_sequences_reach_the_edges_without_overflow() {
        for unit in [&DOT_RF8, &DOT_INT8, &DOT_FP8_E4M3, &DOT_FP4_E2M1] {
            for lanes in [1, 4, 8] {
                let mac = MacRef::new(unit, lanes, 12).unwrap();
                let w = mac.acc_width();
                let out = expected(&mac, &directed(&mac));
                assert_eq!(out.len(), 2 + 1 + lanes + 2, "{}", mac.name(None));
                let n = (mac.max_groups() * lanes as u64) as i64;
                let (big, neg) = (signed(out[0].acc, w), signed(out[1].acc, w));
                // The longest dot products land within one product of
                // W's edges, without wrapping.
                assert!(big > 0 && neg < 0, "{}", mac.name(None));
                assert_eq!(big % n, 0);
                assert!(
                    big as i128 * 2 >= 1i128 << (w - 2),
                    "{}: {big}",
                    mac.name(None)
                );
                assert_eq!(signed(out[2].acc, w), 0, "cancellation: {}", mac.name(None));
                for lane_result in &out[3..3 + lanes] {
                    assert_eq!(signed(lane_result.acc, w) * n, big);
                }
                let small = signed(out[3 + lanes + 1].acc, w);
                assert_eq!(signed(out[3 + lanes].acc, w), 1000 * small);
            }
        }
    }

    #[test]
    fn random_dot_products_are_seeded_and_bounded() {
        let mac = MacRef::new(&DOT_RF8, 8, 20).unwrap();
        let a = random(&mac, 50, 100, 7);
        assert_eq!(a, random(&mac, 50, 100, 7));
        assert_eq!(a.iter().filter(|g| g.last).count(), 50);
        assert!(a.len() <= 50 * 100);
    }
}
