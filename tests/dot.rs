//! The dot-product units' references (spec section 8): the hand-worked
//! catalogue in `tests/data/dot.tsv`, the W8A8 exact kernel as a chain of
//! `dot_rf8` units, and the properties the hardware relies on.

mod common;

use rand::Rng;
use rf8::formats::dot::{Accumulator, DotUnit, DOT_FP16, DOT_RF8};

/// Every unit's reference, from the catalogue.
fn units() -> Vec<&'static DotUnit> {
    rf8::catalog::DOT_UNITS
        .iter()
        .map(|d| d.reference)
        .collect()
}
use rf8::kernel::{gemv_w8a8_exact, Rf8Matrix};
use rf8::Rf8;

fn codes(field: &str) -> Vec<u32> {
    field.split(',').map(common::hex).collect()
}

#[test]
fn every_catalogue_row_matches_the_reference() {
    let rows = common::catalogue("dot.tsv");
    for r in &rows {
        let unit = units()
            .into_iter()
            .find(|u| u.format == r[0])
            .unwrap_or_else(|| panic!("unknown unit {}", r[0]));
        let (a, b) = (codes(&r[1]), codes(&r[2]));
        let acc_in = u64::from_str_radix(r[3].trim_start_matches("0x"), 16).unwrap();
        let want = u64::from_str_radix(r[4].trim_start_matches("0x"), 16).unwrap();
        let out = unit.dot(&a, &b, acc_in, 20);
        assert_eq!(out.acc, want, "{}: got {:#x} ({})", r[0], out.acc, r[6]);
        assert_eq!(out.invalid, r[5] == "1", "{}: invalid ({})", r[0], r[6]);
    }
    // Every unit has rows.
    for u in units() {
        assert!(
            rows.iter().any(|r| r[0] == u.format),
            "{} has no rows",
            u.format
        );
    }
}

/// A row of `gemv_w8a8_exact` is `dot_rf8_n8` applied to successive groups
/// of 8 columns from `acc_in = 0` (spec section 8), bit for bit.
#[test]
fn chained_dot_rf8_units_are_the_w8a8_exact_kernel() {
    let mut rng = common::rng(8);
    let (rows, cols, lanes) = (64, 1024, 8);
    let w: Vec<u8> = (0..rows * cols).map(|_| rng.gen()).collect();
    let x: Vec<u8> = (0..cols).map(|_| rng.gen()).collect();
    let m = Rf8Matrix::from_codes(rows, cols, w.clone()).unwrap();
    let xs: Vec<Rf8> = x.iter().map(|&c| Rf8::from_bits(c)).collect();
    let kernel = gemv_w8a8_exact(&m, &xs).unwrap();
    let width = DOT_RF8.acc_width(20);
    for (i, &want) in kernel.iter().enumerate() {
        let mut acc = 0u64;
        for k in (0..cols).step_by(lanes) {
            let a: Vec<u32> = w[i * cols + k..i * cols + k + lanes]
                .iter()
                .map(|&c| c as u32)
                .collect();
            let b: Vec<u32> = x[k..k + lanes].iter().map(|&c| c as u32).collect();
            acc = DOT_RF8.dot(&a, &b, acc, 20).acc;
        }
        // Sign-extend the 56-bit accumulator.
        let got = ((acc << (64 - width)) as i64) >> (64 - width);
        assert_eq!(got, want, "row {i}");
    }
}

/// Fixed-point units are exact: any order of the lanes gives the same
/// accumulator (the hardware's adder tree may differ from the reference's
/// loop).
#[test]
fn fixed_point_units_do_not_depend_on_lane_order() {
    let mut rng = common::rng(9);
    for u in units()
        .into_iter()
        .filter(|u| matches!(u.accumulator, Accumulator::Fixed { .. }))
    {
        let mask = (1u32 << u.operands.width()) - 1;
        for _ in 0..200 {
            let a: Vec<u32> = (0..8).map(|_| rng.gen::<u32>() & mask).collect();
            let b: Vec<u32> = (0..8).map(|_| rng.gen::<u32>() & mask).collect();
            let acc_in = rng.gen::<u64>() & ((1u64 << u.acc_width(20)) - 1);
            let fwd = u.dot(&a, &b, acc_in, 20);
            let (mut ra, mut rb) = (a.clone(), b.clone());
            ra.reverse();
            rb.reverse();
            assert_eq!(u.dot(&ra, &rb, acc_in, 20), fwd, "{}", u.format);
        }
    }
}

/// With one lane, a float unit is one binary32 addition `acc_in + p_0`.
#[test]
fn one_lane_float_units_add_once() {
    let mut rng = common::rng(10);
    for _ in 0..10_000 {
        let (a, b): (u16, u16) = (rng.gen(), rng.gen());
        let acc_in: u32 = rng.gen();
        let p = half::f16::from_bits(a).to_f32() * half::f16::from_bits(b).to_f32();
        let sum = f32::from_bits(acc_in) + p;
        let want = if sum.is_nan() {
            0x7FC0_0000
        } else {
            sum.to_bits()
        };
        let got = DOT_FP16
            .dot(&[a as u32], &[b as u32], acc_in as u64, 20)
            .acc;
        assert_eq!(got as u32, want, "{a:#06x} * {b:#06x} + {acc_in:#010x}");
    }
}
