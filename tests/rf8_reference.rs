//! The RF8 reference against its definitions: the multiplier property over
//! all 65,536 pairs, and both encoders against brute-force searches.

mod common;

use rand::Rng;
use rf8::{Rf8, Rounding};

/// `mul(a, b) == encode_truncate(decode(a) * decode(b))` for every pair
/// (spec section 3); the f64 product of two RF8 values is exact.
#[test]
fn mul_is_truncated_exact_product_for_all_pairs() {
    let mut pairs = 0;
    for a in Rf8::all() {
        for b in Rf8::all() {
            let want = Rf8::from_f64(a.to_f64() * b.to_f64());
            let got = a * b;
            assert_eq!(got, want, "{a:?} * {b:?}");
            assert_eq!(
                got.is_sign_negative(),
                a.is_sign_negative() ^ b.is_sign_negative()
            );
            assert_eq!(b * a, got, "commutative");
            pairs += 1;
        }
    }
    assert_eq!(pairs, 65_536);
}

/// The statistics the spec quotes: at most 20%, mean about 7.8%.
#[test]
fn mul_error_statistics_match_the_spec() {
    let p = rf8::check::rf8_mul_property();
    assert_eq!((p.pairs, p.mismatches), (65_536, 0));
    assert!(
        (p.max_rel_error - 0.2).abs() < 1e-12,
        "max {}",
        p.max_rel_error
    );
    assert!(
        (0.077..0.079).contains(&p.mean_rel_error),
        "mean {}",
        p.mean_rel_error
    );
}

/// The 125 non-negative values: zero and 124 magnitudes (with their
/// negatives, the spec's 248 non-zero values).
fn magnitudes() -> Vec<(f64, Rf8)> {
    let mut v: Vec<(f64, Rf8)> = Rf8::all()
        .filter(|x| !x.is_sign_negative() && x.canonical() == *x)
        .map(|x| (x.to_f64(), x))
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    assert_eq!(v.len(), 125);
    v
}

/// `|x| * 2^80` as an exact integer; `None` outside [2^-20, 2^17) (zero
/// excepted). In that range the shift is 8..=45, so 53 + 45 bits fit.
fn scaled(x: f64) -> Option<i128> {
    let m = x.abs();
    if m == 0.0 {
        return Some(0);
    }
    if !(2f64.powi(-20)..131072.0).contains(&m) {
        return None;
    }
    let e = rf8::exact::Exact::from_f64(m)?;
    Some((e.sig as i128) << (e.exp + 80))
}

/// Brute-force nearest: smallest exact distance, ties to the larger value.
fn brute_nearest(x: f64, mags: &[(f64, Rf8)]) -> Rf8 {
    let neg = x.is_sign_negative();
    let signed = |c: Rf8| if neg { -c } else { c };
    let Some(xs) = scaled(x) else {
        return signed(if x.abs() >= 131072.0 {
            Rf8::MAX
        } else {
            Rf8::ZERO
        });
    };
    let mut best = (i128::MAX, Rf8::ZERO);
    for &(v, code) in mags {
        let d = (xs - scaled(v).expect("RF8 values are in range")).abs();
        if d <= best.0 {
            best = (d, code); // ascending values: `<=` picks the larger on a tie
        }
    }
    signed(best.1)
}

/// Brute-force truncation: the exponent by halving/doubling, then the
/// largest mantissa of that octave not above |x| (1.0625 if none).
fn brute_truncate(x: f64) -> Rf8 {
    let neg = x.is_sign_negative();
    let m = x.abs();
    if m == 0.0 {
        return Rf8::zero(neg);
    }
    if m.is_infinite() || m >= 65536.0 {
        return Rf8::max_magnitude(neg);
    }
    if m < 2f64.powi(-15) {
        return Rf8::zero(neg);
    }
    let mut e = 0i8;
    while 2f64.powi(e as i32) > m {
        e -= 1;
    }
    while 2f64.powi(e as i32 + 1) <= m {
        e += 1;
    }
    let r = (0..4u8)
        .find(|&r| 2f64.powi(e as i32) * (1.0 + 0.5f64.powi(r as i32 + 1)) <= m)
        .unwrap_or(3);
    Rf8::from_parts(neg, e, r).unwrap()
}

fn check_both(x: f64, mags: &[(f64, Rf8)]) {
    assert_eq!(
        Rf8::from_f64_with(x, Rounding::Nearest),
        brute_nearest(x, mags),
        "nearest {x:e}"
    );
    assert_eq!(
        Rf8::from_f64_with(x, Rounding::Truncate),
        brute_truncate(x),
        "truncate {x:e}"
    );
}

/// Every decision point of every octave, and one ulp either side.
#[test]
fn encoders_match_brute_force_at_every_decision_point() {
    let mags = magnitudes();
    let mut points = vec![0.53125 * 2f64.powi(-15), 2f64.powi(-16), 65536.0, 59392.0];
    for e in -16..=16 {
        for m in [
            1.0, 1.0625, 1.09375, 1.125, 1.1875, 1.25, 1.375, 1.5, 1.8125,
        ] {
            points.push(m * 2f64.powi(e));
        }
    }
    let mut n = 0;
    for p in points {
        for x in [p, p.next_up(), p.next_down()] {
            check_both(x, &mags);
            check_both(-x, &mags);
            n += 2;
        }
    }
    assert!(n > 1500);
}

/// A large seeded sample, log-uniform over and beyond the RF8 range.
#[test]
fn encoders_match_brute_force_on_seeded_sample() {
    let mags = magnitudes();
    let mut rng = common::rng(0x5EED_0001);
    for _ in 0..1_000_000 {
        let e: i32 = rng.gen_range(-22..=18);
        let m: f64 = rng.gen_range(1.0..2.0);
        let x = m * 2f64.powi(e) * if rng.gen::<bool>() { -1.0 } else { 1.0 };
        check_both(x, &mags);
    }
}

/// Every f16 and bf16 bit pattern (NaNs excepted), through the typed
/// encoders, against brute force.
#[test]
fn encoders_match_brute_force_on_all_f16_and_bf16() {
    let mags = magnitudes();
    for bits in 0..=u16::MAX {
        let h = half::f16::from_bits(bits);
        let b = half::bf16::from_bits(bits);
        if !h.is_nan() {
            let x = h.to_f64();
            assert_eq!(
                Rf8::from_f16_with(h, Rounding::Nearest),
                brute_nearest(x, &mags),
                "f16 {bits:#06x}"
            );
            assert_eq!(Rf8::from_f16(h), brute_truncate(x), "f16 {bits:#06x}");
        }
        if !b.is_nan() {
            let x = b.to_f64();
            assert_eq!(
                Rf8::from_bf16_with(b, Rounding::Nearest),
                brute_nearest(x, &mags),
                "bf16 {bits:#06x}"
            );
            assert_eq!(Rf8::from_bf16(b), brute_truncate(x), "bf16 {bits:#06x}");
        }
    }
}

/// Decoding then encoding gives back the canonical code, in both modes.
#[test]
fn encode_of_decode_is_canonical() {
    for c in Rf8::all() {
        for r in [Rounding::Truncate, Rounding::Nearest] {
            assert_eq!(
                Rf8::from_f64_with(c.to_f64(), r),
                c.canonical(),
                "{c:?} {r:?}"
            );
            assert_eq!(
                Rf8::from_f32_with(c.to_f32(), r),
                c.canonical(),
                "{c:?} {r:?}"
            );
        }
    }
}

#[test]
fn there_are_248_distinct_non_zero_values() {
    let mut values: Vec<u64> = Rf8::all()
        .filter(|x| !x.is_zero())
        .map(|x| x.to_f64().to_bits())
        .collect();
    values.sort_unstable();
    values.dedup();
    assert_eq!(values.len(), 248);
    assert_eq!(Rf8::all().filter(|x| x.is_zero()).count(), 8);
}

#[test]
fn nan_is_a_typed_error() {
    for r in [Rounding::Truncate, Rounding::Nearest] {
        assert_eq!(Rf8::try_from_f64(f64::NAN, r), Err(rf8::EncodeError::Nan));
        assert_eq!(Rf8::try_from_f32(f32::NAN, r), Err(rf8::EncodeError::Nan));
        assert_eq!(
            Rf8::try_from_f16(half::f16::NAN, r),
            Err(rf8::EncodeError::Nan)
        );
        assert_eq!(
            Rf8::try_from_bf16(half::bf16::NAN, r),
            Err(rf8::EncodeError::Nan)
        );
    }
    assert_eq!(Rf8::from_f64(f64::NAN), Rf8::ZERO);
    assert_eq!(Rf8::from_f64(-f64::NAN), Rf8::NEG_ZERO);
}
