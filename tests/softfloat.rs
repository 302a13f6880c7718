//! IEEE FP16 and BF16 references (and the truncating lite FP16) against
//! Berkeley SoftFloat, on every pair of a special-value catalogue and on
//! 10^7 seeded random pairs per design.
//!
//! * `fp16_mul`: SoftFloat's own `f16_mul`, round to nearest even.
//! * `bf16_mul`: SoftFloat has no bfloat16 arithmetic (softfloat-wrapper's
//!   `BF16::mul` truncates an f32 product, which is not a correct bfloat16
//!   multiply), so the oracle is SoftFloat's `f32_mul` rounded to odd
//!   (toward zero, then the inexact flag ORed into the last bit), followed
//!   by `half`'s round-to-nearest-even f32 -> bf16. Round-to-odd with 16
//!   spare bits makes that double rounding exact.
//! * `fp16_mul_lite`: SoftFloat's `f32_mul` (exact for two 11-bit
//!   significands), then truncation, flush and saturation by the spec's
//!   table.
//!
//! Any NaN result must be the design's canonical NaN code.

mod common;

use rand::Rng;
use rf8::by_name;
use rf8::formats::minifloat::Rounding;
use softfloat_wrapper::{ExceptionFlags, Float, RoundingMode, F16, F32};

const RANDOM_PAIRS: u64 = 10_000_000;

/// Special pairs first (all of them, from the library's vector catalogue),
/// then seeded random pairs.
fn pairs(m: &rf8::Design, seed: u64) -> impl Iterator<Item = (u16, u16)> {
    let special = rf8::verify::vectors::special_pairs(m.reference);
    assert_eq!(special.len(), 36 * 36, "{}", m.name());
    let mut rng = common::rng(seed);
    let random = (0..RANDOM_PAIRS).map(move |_| (rng.gen::<u16>(), rng.gen::<u16>()));
    special.into_iter().chain(random)
}

fn is_nan16(bits: u16, exp_bits: u32) -> bool {
    let f = 15 - exp_bits;
    let exp_all = ((1u16 << exp_bits) - 1) << f;
    bits & exp_all == exp_all && bits & ((1 << f) - 1) != 0
}

fn run(design: &str, e: u32, seed: u64, oracle: impl Fn(u16, u16) -> u16) -> u64 {
    let m = by_name(design).unwrap();
    let mut n = 0;
    for (a, b) in pairs(m, seed) {
        let want = oracle(a, b);
        let got = m.mul(a as u32, b as u32) as u16;
        if m.nan_code().is_some() && is_nan16(want, e) {
            assert_eq!(
                got as u32,
                m.nan_code().unwrap(),
                "{design} {a:#06x} * {b:#06x}: NaN"
            );
        } else {
            assert_eq!(got, want, "{design} {a:#06x} * {b:#06x}");
        }
        n += 1;
    }
    n
}

#[test]
fn fp16_mul_matches_softfloat() {
    let n = run("fp16_mul", 5, 0xF16, |a, b| {
        F16::from_bits(a)
            .mul(F16::from_bits(b), RoundingMode::TiesToEven)
            .to_bits()
    });
    assert_eq!(n, RANDOM_PAIRS + 36 * 36);
}

/// SoftFloat f32 product, rounded to odd.
fn f32_mul_round_to_odd(a: f32, b: f32) -> f32 {
    let mut flags = ExceptionFlags::default();
    flags.set();
    let p = F32::from_bits(a.to_bits()).mul(F32::from_bits(b.to_bits()), RoundingMode::TowardZero);
    flags.get();
    let bits = p.to_bits();
    let is_nan = bits & 0x7F80_0000 == 0x7F80_0000 && bits & 0x007F_FFFF != 0;
    f32::from_bits(if flags.is_inexact() && !is_nan {
        bits | 1
    } else {
        bits
    })
}

#[test]
fn bf16_mul_matches_softfloat_round_to_odd() {
    let n = run("bf16_mul", 8, 0xBF16, |a, b| {
        let (x, y) = (
            f32::from_bits((a as u32) << 16),
            f32::from_bits((b as u32) << 16),
        );
        half::bf16::from_f32(f32_mul_round_to_odd(x, y)).to_bits()
    });
    assert_eq!(n, RANDOM_PAIRS + 36 * 36);
}

/// The lite format by the spec's table: exponent field 0 reads as zero,
/// exponent 31 is ordinary, truncate, flush below 2^-14, saturate.
#[test]
fn fp16_mul_lite_matches_softfloat_truncation() {
    let lite_value = |c: u16| -> f32 {
        let (e, f) = ((c >> 10) & 31, (c & 1023) as f32);
        let mag = if e == 0 {
            0.0
        } else {
            (1024.0 + f) * 2f32.powi(e as i32 - 25)
        };
        if c & 0x8000 != 0 {
            -mag
        } else {
            mag
        }
    };
    let n = run("fp16_mul_lite", 5, 0x117E, |a, b| {
        let p = F32::from_bits(lite_value(a).to_bits())
            .mul(
                F32::from_bits(lite_value(b).to_bits()),
                RoundingMode::TowardZero,
            )
            .to_bits();
        let sign = ((p >> 16) & 0x8000) as u16;
        let (exp, frac) = (((p >> 23) & 0xFF) as i32 - 127, p & 0x7F_FFFF);
        if p & 0x7FFF_FFFF == 0 || exp < -14 {
            sign
        } else if exp > 16 {
            sign | 0x7FFF
        } else {
            sign | ((exp + 15) as u16) << 10 | (frac >> 13) as u16
        }
    });
    assert_eq!(n, RANDOM_PAIRS + 36 * 36);
}

/// `half` agrees too (a third implementation): an FP16 product is exact in
/// f32 (22 significant bits), so `f16::from_f32` rounds it once.
#[test]
fn fp16_mul_matches_half() {
    let n = run("fp16_mul", 5, 0x4A1F, |a, b| {
        let p = half::f16::from_bits(a).to_f32() * half::f16::from_bits(b).to_f32();
        half::f16::from_f32(p).to_bits()
    });
    assert_eq!(n, RANDOM_PAIRS + 36 * 36);
}

/// SoftFloat's rounding mode for each IEEE mode of the references.
fn softfloat_mode(r: Rounding) -> RoundingMode {
    match r {
        Rounding::NearestEven => RoundingMode::TiesToEven,
        Rounding::TowardZero => RoundingMode::TowardZero,
        Rounding::Down => RoundingMode::TowardNegative,
        Rounding::Up => RoundingMode::TowardPositive,
        Rounding::NearestAway => RoundingMode::TiesToAway,
        Rounding::TowardZeroFlush => unreachable!("not an IEEE mode"),
    }
}

/// Special pairs and 10^6 random pairs of `design` in mode `r` against
/// `oracle`; any NaN result must be the canonical NaN.
fn run_mode(design: &str, r: Rounding, e: u32, oracle: impl Fn(u16, u16) -> u16) {
    let m = rf8::catalog::with_rounding(by_name(design).unwrap(), r).unwrap();
    let special = rf8::verify::vectors::special_pairs(m.reference);
    let mut rng = common::rng(0x20DE + r as u64);
    let random = (0..1_000_000).map(|_| (rng.gen::<u16>(), rng.gen::<u16>()));
    for (a, b) in special.into_iter().chain(random) {
        let (want, got) = (oracle(a, b), m.mul(a as u32, b as u32) as u16);
        if is_nan16(want, e) {
            assert_eq!(
                Some(got as u32),
                m.nan_code(),
                "{design} {} {a:#06x} * {b:#06x}",
                r.name()
            );
        } else {
            assert_eq!(got, want, "{design} {} {a:#06x} * {b:#06x}", r.name());
        }
    }
}

/// `fp16_mul` in each of the five IEEE modes is SoftFloat's `f16_mul` in
/// that mode (`rf8 verify --rounding`).
#[test]
fn fp16_mul_matches_softfloat_in_every_ieee_mode() {
    for r in Rounding::IEEE {
        run_mode("fp16_mul", r, 5, |a, b| {
            F16::from_bits(a)
                .mul(F16::from_bits(b), softfloat_mode(r))
                .to_bits()
        });
    }
}

/// `bf16_mul` in each mode: SoftFloat's f32 product rounded to odd (16
/// spare bits keep the second rounding exact in every mode), then rounded
/// into bfloat16 in the mode, bit by bit here.
#[test]
fn bf16_mul_matches_softfloat_in_every_ieee_mode() {
    for r in Rounding::IEEE {
        run_mode("bf16_mul", r, 8, |a, b| {
            let (x, y) = (
                f32::from_bits((a as u32) << 16),
                f32::from_bits((b as u32) << 16),
            );
            let p = f32_mul_round_to_odd(x, y).to_bits();
            if p & 0x7F80_0000 == 0x7F80_0000 && p & 0x7F_FFFF != 0 {
                return 0x7FC0;
            }
            let (neg, kept, rem) = (p >> 31 == 1, p >> 16, p & 0xFFFF);
            let up = match r {
                Rounding::NearestEven => rem > 0x8000 || (rem == 0x8000 && kept & 1 == 1),
                Rounding::NearestAway => rem >= 0x8000,
                Rounding::TowardZero => false,
                Rounding::Down => neg && rem != 0,
                Rounding::Up => !neg && rem != 0,
                Rounding::TowardZeroFlush => unreachable!(),
            };
            let y = kept + up as u32;
            // Rounding up past the largest finite value reaches Inf, as the
            // mode says; the f32 product of two bf16 values never overflows
            // f32 by more than rounding can.
            y as u16
        });
    }
}

/// SoftFloat's flags after one operation, in RISC-V's bit order (the
/// order of [`rf8::formats::minifloat::Flags`]).
fn softfloat_flags(op: impl FnOnce()) -> u8 {
    let mut flags = ExceptionFlags::default();
    flags.set();
    op();
    flags.get();
    (flags.is_inexact() as u8)
        | (flags.is_underflow() as u8) << 1
        | (flags.is_overflow() as u8) << 2
        | (flags.is_infinite() as u8) << 3
        | (flags.is_invalid() as u8) << 4
}

/// The exception flags of `fp16_mul` (`rf8 verify --flags`) are
/// SoftFloat's `f16_mul` flags in every mode, on the special catalogue
/// and 10^6 random pairs per mode: invalid, overflow, underflow (tininess
/// after rounding, SoftFloat's default) and inexact.
#[test]
fn fp16_flags_match_softfloat_in_every_ieee_mode() {
    let base = *by_name("fp16_mul").unwrap().reference.minifloat().unwrap();
    let mut seen = [0u64; 5];
    for r in Rounding::IEEE {
        let f = base.with_rounding(r);
        let special = rf8::verify::vectors::special_pairs(by_name("fp16_mul").unwrap().reference);
        let mut rng = common::rng(0xF1A6 + r as u64);
        let random = (0..1_000_000).map(|_| (rng.gen::<u16>(), rng.gen::<u16>()));
        for (a, b) in special.into_iter().chain(random) {
            let want = softfloat_flags(|| {
                F16::from_bits(a).mul(F16::from_bits(b), softfloat_mode(r));
            });
            let got = f.mul_flags(a as u32, b as u32).0;
            assert_eq!(got, want, "fp16 {} {a:#06x} * {b:#06x}", r.name());
            for (k, n) in seen.iter_mut().enumerate() {
                *n += (want >> k & 1) as u64;
            }
        }
    }
    // Every flag but divide-by-zero was raised somewhere: the check saw
    // each of them.
    assert!(
        seen[0] > 0 && seen[1] > 0 && seen[2] > 0 && seen[4] > 0,
        "{seen:?}"
    );
    assert_eq!(seen[3], 0);
}

/// The same rules with BF16's 8-bit exponent range: `MiniFloat` set to
/// binary32 against SoftFloat's `f32_mul` (a bfloat16 product has no
/// SoftFloat operation of its own), with products near the overflow and
/// underflow thresholds made likely.
#[test]
fn binary32_flags_match_softfloat_in_every_ieee_mode() {
    let bf16 = *by_name("bf16_mul").unwrap().reference.minifloat().unwrap();
    let f32_format = rf8::formats::minifloat::MiniFloat {
        frac_bits: 23,
        nan_code: Some(0x7FC0_0000),
        ..bf16
    };
    for r in Rounding::IEEE {
        let f = f32_format.with_rounding(r);
        let mut rng = common::rng(0xB32F + r as u64);
        for _ in 0..1_000_000 {
            // Exponent fields spread over the whole range, fractions random.
            let mut code = || -> u32 {
                let e: u32 = match rng.gen_range(0..4) {
                    0 => rng.gen_range(0..4),
                    1 => rng.gen_range(0xFC..0x100),
                    _ => rng.gen_range(0..0x100),
                };
                (rng.gen::<u32>() & 0x8000_0000) | e << 23 | (rng.gen::<u32>() & 0x7F_FFFF)
            };
            let (mut a, mut b) = (code(), code());
            if rng.gen_range(0..4) == 0 {
                // A product just below 2^-126, where tininess after rounding
                // differs from before: b's significand is a's reciprocal
                // rounded down, so the product of the significands is just
                // below 2^47, and the exponent fields sum to 127.
                let sig_a: u64 = (1 << 23) + rng.gen_range(1..1u64 << 23);
                let sig_b = (1u64 << 47) / sig_a;
                let ea: u32 = rng.gen_range(1..127);
                let eb = 127 - ea;
                a = (a & 0x8000_0000) | ea << 23 | (sig_a as u32 & 0x7F_FFFF);
                b = (b & 0x8000_0000) | eb << 23 | (sig_b as u32 & 0x7F_FFFF);
            }
            let want = softfloat_flags(|| {
                F32::from_bits(a).mul(F32::from_bits(b), softfloat_mode(r));
            });
            assert_eq!(
                f.mul_flags(a, b).0,
                want,
                "binary32 {} {a:#010x} * {b:#010x}",
                r.name()
            );
        }
    }
}
