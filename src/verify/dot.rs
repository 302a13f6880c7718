//! Verifying a dot-product unit (spec section 8): vectors `(a[], b[],
//! acc_in)` through the Verilog in Verilator and Icarus, each result
//! against the reference `crate::formats::dot`.
//!
//! The vectors: for one lane of an 8-bit (or smaller) format, every pair
//! `(a, b)` against each accumulator edge of [`edges`]; otherwise the
//! directed cases of [`directed`] followed by seeded random vectors
//! (codes uniform, `acc_in` half the time an edge, else uniform; the
//! binary32 units draw theirs in `dot_float`).

use rand::Rng;
use rayon::prelude::*;

use crate::catalog::DotInstance;
use crate::formats::dot::{Accumulator, DotUnit, Product};
use crate::sim::bus::{self, BusDut};
use crate::sim::Simulator;
use crate::unit::Unit;
use crate::verify::{DotOutcome, DotReport, Options, VerifyError};

use super::bus_vector::pack;
pub use super::bus_vector::Vector;

/// Accumulator values at the edges of W bits (headroom `h`): zero, +-1
/// LSB, the largest and smallest, the largest product inside each of those,
/// and one other. Binary32 units: +-0, +-1, +-Inf, NaN, the largest
/// finite and the smallest subnormal.
pub fn edges(unit: &DotUnit, h: u32) -> Vec<u64> {
    match unit.accumulator {
        Accumulator::Fixed { product_bits, .. } => {
            let w = unit.acc_width(h);
            let mask = (1u64 << w) - 1;
            let max = (1u64 << (w - 1)) - 1;
            let big = (1u64 << product_bits) - 1;
            [0, 1, mask, max, max + 1, max - big, max + 1 + big, 12345]
                .into_iter()
                .map(|v| v & mask)
                .collect()
        }
        Accumulator::Float32 => vec![
            0,
            0x8000_0000,
            0x3F80_0000,
            0xBF80_0000,
            0x7F80_0000,
            0xFF80_0000,
            0x7FC0_0000,
            0x7F7F_FFFF,
            0x0000_0001,
        ],
    }
}

/// The product of every pair of codes, in LSBs (fixed-point units; NaN
/// pairs left out).
pub(crate) fn products(unit: &DotUnit) -> Vec<(u32, u32, i64)> {
    let codes = 1u32 << unit.operands.width();
    (0..codes)
        .flat_map(|a| (0..codes).map(move |b| (a, b)))
        .filter_map(|(a, b)| match (unit.product)(a, b) {
            Product::Fixed {
                lsbs,
                invalid: false,
            } => Some((a, b, lsbs)),
            _ => None,
        })
        .collect()
}

/// The directed cases of a fixed-point unit with `lanes` lanes: every lane
/// at the largest positive product from the largest accumulator (the sum
/// wraps) and at the most negative from the smallest; the smallest
/// positive and negative products against -1 LSB and 0 (a carry or borrow
/// through every bit); products that cancel in pairs (exactly zero); and
/// for each lane, that lane alone at the largest product.
fn directed_fixed(unit: &DotUnit, lanes: usize, h: u32) -> Vec<Vector> {
    let all = products(unit);
    let w = unit.operands.width();
    let acc_w = unit.acc_width(h);
    let mask = (1u64 << acc_w) - 1;
    let by = |f: fn(i64, i64) -> bool| {
        all.iter()
            .copied()
            .filter(|p| p.2 != 0)
            .reduce(|x, y| if f(y.2, x.2) { y } else { x })
            .expect("a nonzero product")
    };
    let largest = by(|y, x| y > x);
    let most_negative = by(|y, x| y < x);
    let smallest_pos = all
        .iter()
        .copied()
        .filter(|p| p.2 > 0)
        .min_by_key(|p| p.2)
        .expect("a positive product");
    let smallest_neg = all
        .iter()
        .copied()
        .filter(|p| p.2 < 0)
        .max_by_key(|p| p.2)
        .expect("a negative product");
    let zero = all.iter().find(|p| p.2 == 0).copied().unwrap_or((0, 0, 0));
    let max = (1u64 << (acc_w - 1)) - 1;
    let same = |p: (u32, u32, i64)| (pack(&vec![p.0; lanes], w), pack(&vec![p.1; lanes], w));
    let mut out = Vec::new();
    let mut push = |(a, b): (u128, u128), acc: u64| out.push([a, b, (acc & mask) as u128]);
    push(same(largest), max);
    push(same(most_negative), max + 1);
    push(same(largest), 0);
    push(same(most_negative), 0);
    push(same(zero), 0);
    // One smallest product in lane 0, zeros elsewhere.
    let single = |p: (u32, u32, i64), lane: usize| {
        let mut a = vec![zero.0; lanes];
        let mut b = vec![zero.1; lanes];
        a[lane] = p.0;
        b[lane] = p.1;
        (pack(&a, w), pack(&b, w))
    };
    push(single(smallest_pos, 0), mask);
    push(
        single(smallest_pos, 0),
        (smallest_pos.2 as u64).wrapping_neg(),
    );
    push(single(smallest_neg, 0), 0);
    push(single(smallest_neg, 0), max + 1);
    for lane in 0..lanes {
        push(single(largest, lane), 0);
        push(single(most_negative, lane), max);
    }
    // A NaN operand in each lane alone: its product counts as 0.
    if unit.has_invalid {
        let codes = 1u32 << w;
        let nan = (0..codes)
            .flat_map(|a| (0..codes).map(move |b| (a, b)))
            .find(|&(a, b)| matches!((unit.product)(a, b), Product::Fixed { invalid: true, .. }));
        if let Some(nan) = nan {
            for lane in 0..lanes {
                push(single((nan.0, nan.1, 0), lane), 0);
            }
        }
    }
    // Cancellation: lane 2k's product and lane 2k+1's are opposite.
    if lanes >= 2 {
        let mut rng = super::vectors::rng(8);
        for _ in 0..64 {
            let (mut a, mut b) = (vec![zero.0; lanes], vec![zero.1; lanes]);
            for k in 0..lanes / 2 {
                let p = all[rng.gen_range(0..all.len())];
                let opposite: Vec<&(u32, u32, i64)> = all.iter().filter(|q| q.2 == -p.2).collect();
                let q = opposite[rng.gen_range(0..opposite.len())];
                (a[2 * k], b[2 * k], a[2 * k + 1], b[2 * k + 1]) = (p.0, p.1, q.0, q.1);
            }
            push((pack(&a, w), pack(&b, w)), 0);
        }
    }
    out
}

/// The directed cases of a unit at `lanes` lanes (see [`directed_fixed`]).
pub fn directed(unit: &DotUnit, lanes: usize, h: u32) -> Vec<Vector> {
    match unit.accumulator {
        Accumulator::Fixed { .. } => directed_fixed(unit, lanes, h),
        Accumulator::Float32 => super::dot_float::directed(unit, lanes),
    }
}

/// True when every pair is simulated against every edge (one lane of a
/// format of at most 8 bits).
pub fn exhaustive(unit: &DotUnit, lanes: usize) -> bool {
    lanes == 1 && unit.operands.width() <= 8
}

/// The vectors of a unit: every pair x [`edges`] when [`exhaustive`],
/// else [`directed`] then `random` seeded vectors.
pub fn vectors(unit: &DotUnit, lanes: usize, h: u32, random: u64, seed: u64) -> Vec<Vector> {
    let edges = edges(unit, h);
    let w = unit.operands.width();
    if exhaustive(unit, lanes) {
        let codes = 1u128 << w;
        return edges
            .iter()
            .flat_map(|&acc| {
                (0..codes).flat_map(move |a| (0..codes).map(move |b| [a, b, acc as u128]))
            })
            .collect();
    }
    let mut out = directed(unit, lanes, h);
    if unit.accumulator == Accumulator::Float32 {
        out.extend(super::dot_float::random(unit, lanes, &edges, random, seed));
        return out;
    }
    let mut rng = super::vectors::rng(seed);
    let acc_mask = (1u128 << unit.acc_width(h)) - 1;
    let bus_mask = if w as usize * lanes >= 128 {
        u128::MAX
    } else {
        (1u128 << (w as usize * lanes)) - 1
    };
    for k in 0..random {
        let acc = if k % 2 == 0 {
            edges[rng.gen_range(0..edges.len())] as u128
        } else {
            rng.gen::<u128>() & acc_mask
        };
        out.push([
            rng.gen::<u128>() & bus_mask,
            rng.gen::<u128>() & bus_mask,
            acc,
        ]);
    }
    out
}

/// The reference's outputs for each vector: `acc_out`, then `invalid` for
/// units that have it.
pub fn expected(unit: &DotUnit, lanes: usize, h: u32, vectors: &[Vector]) -> Vec<u128> {
    let w = unit.operands.width();
    let split = |x: u128| -> Vec<u32> {
        (0..lanes)
            .map(|i| ((x >> (w as usize * i)) & ((1 << w) - 1)) as u32)
            .collect()
    };
    vectors
        .par_iter()
        .flat_map_iter(|v| {
            let out = unit.dot(&split(v[0]), &split(v[1]), v[2] as u64, h);
            let acc = std::iter::once(out.acc as u128);
            acc.chain(unit.has_invalid.then_some(out.invalid as u128))
        })
        .collect()
}

/// Bytes a unit's vector costs while it is verified: the vector (three
/// u128), its flat copy for the harness, the expected and the simulated
/// outputs (up to two u128 each).
pub(super) const BYTES_PER_VECTOR: u128 = 3 * 16 * 2 + 2 * 16 * 2;

/// Simulates `unit` in each simulator and compares with the reference.
pub fn verify(unit: &DotInstance, opts: &Options) -> Result<DotOutcome, VerifyError> {
    let r = unit.design.reference;
    let h = opts.headroom;
    let (sources, top) = super::unit_sources(&Unit::Dot(*unit), opts)?;
    let (inputs, outputs) = Unit::Dot(*unit).ports(h);
    let dut = BusDut {
        top,
        sources,
        inputs,
        outputs,
        latency: opts.pipeline,
    };
    let vectors = vectors(r, unit.lanes, h, opts.vectors, opts.seed);
    let want = expected(r, unit.lanes, h, &vectors);
    let flat: Vec<u128> = vectors.iter().flatten().copied().collect();
    let mut reports = Vec::new();
    for &sim in &opts.simulators {
        let start = std::time::Instant::now();
        let got = bus::eval(sim, &dut, &flat)?;
        let mut report = compare(sim, &dut, &vectors, &want, &got);
        report.seconds = start.elapsed().as_secs_f64();
        reports.push(report);
    }
    Ok(DotOutcome {
        unit: dut.top.clone(),
        exhaustive: exhaustive(r, unit.lanes),
        sequential: false,
        directed: if exhaustive(r, unit.lanes) {
            0
        } else {
            directed(r, unit.lanes, h).len()
        },
        reports,
    })
}

fn compare(
    sim: Simulator,
    dut: &BusDut,
    vectors: &[Vector],
    want: &[u128],
    got: &[u128],
) -> DotReport {
    let per = dut.outputs.len();
    let mut report = DotReport {
        simulator: sim,
        vectors: vectors.len(),
        mismatches: 0,
        seconds: 0.0,
        first: Vec::new(),
    };
    for ((v, w), g) in vectors.iter().zip(want.chunks(per)).zip(got.chunks(per)) {
        if w == g {
            continue;
        }
        report.mismatches += 1;
        if report.first.len() < 5 {
            let show = |x: &[u128]| {
                x.iter()
                    .zip(&dut.outputs)
                    .map(|(x, p)| {
                        if *x == bus::X_VALUE {
                            format!("{} x", p.name)
                        } else {
                            format!("{} {x:#x}", p.name)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            report.first.push(format!(
                "a {:#x} b {:#x} acc_in {:#x}: rtl {}, reference {}",
                v[0],
                v[1],
                v[2],
                show(g),
                show(w)
            ));
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::dot::{DOT_FP4_E2M1, DOT_INT8, DOT_RF8};

    #[test]
    fn directed_cases_hit_wrap_carry_and_cancellation() {
        for unit in [&DOT_RF8, &DOT_INT8, &DOT_FP4_E2M1] {
            let v = directed(unit, 8, 20);
            let out = expected(unit, 8, 20, &v);
            let mask = (1u128 << unit.acc_width(20)) - 1;
            // The first vector wraps past the largest value: negative.
            assert!(out[0] >> (unit.acc_width(20) - 1) == 1, "{}", unit.format);
            // A carry through every bit: -1 LSB + 1 LSB product... = 0.
            assert!(
                out.iter().filter(|&&x| x == 0).count() >= 64,
                "{}",
                unit.format
            );
            assert!(out.iter().all(|&x| x <= mask));
        }
    }

    #[test]
    fn too_many_vectors_is_an_input_error_not_an_abort() {
        let unit = [Unit::parse("dot_rf8_n8").unwrap()];
        let opts = |vectors| Options {
            simulators: Vec::new(),
            vectors,
            ..Options::default()
        };
        for vectors in [1 << 33, u64::MAX] {
            assert!(matches!(
                opts(vectors).check(&unit),
                Err(VerifyError::Input(_))
            ));
        }
        assert!(opts(1_000).check(&unit).is_ok());
    }

    #[test]
    fn one_lane_8_bit_units_are_exhaustive() {
        assert_eq!(vectors(&DOT_INT8, 1, 20, 5, 1).len(), 65536 * 8);
        assert_eq!(
            vectors(&DOT_INT8, 8, 20, 5, 1).len(),
            directed(&DOT_INT8, 8, 20).len() + 5
        );
    }
}
