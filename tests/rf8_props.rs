//! Property tests (proptest) of encoding and decoding, and of the number
//! type's conveniences.

use proptest::prelude::*;
use rf8::{Rf8, Rounding};

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![Just(Rounding::Truncate), Just(Rounding::Nearest)]
}

/// Finite doubles concentrated on and around the RF8 range, plus any f64.
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-20i32..=18, 1.0f64..2.0, any::<bool>())
            .prop_map(|(e, m, n)| if n { -m } else { m } * 2f64.powi(e)),
        any::<f64>().prop_filter("not NaN", |x| !x.is_nan()),
    ]
}

proptest! {
    /// Sign is kept, including for zeros and saturated values.
    #[test]
    fn sign_is_kept(x in value(), r in rounding()) {
        prop_assert_eq!(Rf8::from_f64_with(x, r).is_sign_negative(), x.is_sign_negative());
    }

    /// Encoding is monotonic: a larger input never gives a smaller value.
    #[test]
    fn encoding_is_monotonic(x in value(), y in value(), r in rounding()) {
        let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
        prop_assert!(Rf8::from_f64_with(lo, r).to_f64() <= Rf8::from_f64_with(hi, r).to_f64());
    }

    /// In range, truncation is within (-1/4, 1/16] of the input (the
    /// worst loss is 1.999.. -> 1.5; the clip gains at most 1.0625 / 1).
    #[test]
    fn truncation_error_is_bounded(x in value()) {
        prop_assume!(x.abs() >= 2f64.powi(-15) && x.abs() < 65536.0);
        let rel = (Rf8::from_f64(x).to_f64() - x) / x;
        prop_assert!(rel > -0.25 && rel <= 0.0625, "x = {x}, rel = {rel}");
    }

    /// Nearest is never further from the input than truncation.
    #[test]
    fn nearest_is_no_worse_than_truncation(x in value()) {
        prop_assume!(x.is_finite());
        let n = (Rf8::from_f64_with(x, Rounding::Nearest).to_f64() - x).abs();
        let t = (Rf8::from_f64_with(x, Rounding::Truncate).to_f64() - x).abs();
        prop_assert!(n <= t, "x = {x}");
    }

    /// Encoding is idempotent through decoding.
    #[test]
    fn encode_decode_encode(x in value(), r in rounding()) {
        let c = Rf8::from_f64_with(x, r);
        prop_assert_eq!(Rf8::from_f64_with(c.to_f64(), r), c);
    }

    /// f32, f16 and bf16 inputs encode as their exact f64 value does.
    #[test]
    fn narrow_inputs_encode_like_f64(bits in any::<u32>(), r in rounding()) {
        let x = f32::from_bits(bits);
        prop_assume!(!x.is_nan());
        prop_assert_eq!(Rf8::from_f32_with(x, r), Rf8::from_f64_with(x as f64, r));
        let h = half::f16::from_bits(bits as u16);
        if !h.is_nan() {
            prop_assert_eq!(Rf8::from_f16_with(h, r), Rf8::from_f64_with(h.to_f64(), r));
        }
    }

    /// Negation commutes with encoding and multiplication.
    #[test]
    fn negation_commutes(x in value(), a in any::<u8>(), b in any::<u8>()) {
        prop_assert_eq!(Rf8::from_f64(-x), -Rf8::from_f64(x));
        let (a, b) = (Rf8::from_bits(a), Rf8::from_bits(b));
        prop_assert_eq!(-a * b, -(a * b));
    }
}

#[test]
fn constants() {
    assert_eq!(Rf8::MAX.to_f64(), 49152.0);
    assert_eq!(Rf8::MIN.to_f64(), -49152.0);
    assert_eq!(Rf8::MIN_POSITIVE.to_f64(), 1.0625 * 2f64.powi(-15));
    assert_eq!(Rf8::ZERO.to_f64().to_bits(), 0.0f64.to_bits());
    assert_eq!(Rf8::NEG_ZERO.to_f64().to_bits(), (-0.0f64).to_bits());
    let max = Rf8::all().map(|x| x.to_f64()).fold(f64::MIN, f64::max);
    let min_pos = Rf8::all()
        .map(|x| x.to_f64())
        .filter(|&v| v > 0.0)
        .fold(f64::MAX, f64::min);
    assert_eq!(
        (max, min_pos),
        (Rf8::MAX.to_f64(), Rf8::MIN_POSITIVE.to_f64())
    );
    assert_eq!(Rf8::default(), Rf8::ZERO);
}

#[test]
fn fields_and_formatting() {
    let x = Rf8::from_bits(0xc8);
    assert!(x.is_sign_negative());
    assert_eq!(
        (x.exponent_field(), x.exponent(), x.residual()),
        (0b10010, Some(-2), 0)
    );
    assert_eq!(x.mantissa(), 1.5);
    assert_eq!(format!("{x}"), "-0.375");
    assert_eq!(format!("{x:#}"), "0xc8 [1 10010 00] -0.375");
    assert_eq!(format!("{x:?}"), "Rf8(0xc8 [1 10010 00] = -0.375)");
    assert_eq!(format!("{x:x}"), "c8");
    assert_eq!(Rf8::from_bits(0x41).exponent(), None);
    assert_eq!(Rf8::from_bits(0x41).canonical(), Rf8::ZERO);
    assert_eq!(Rf8::from_parts(true, -2, 0), Some(x));
    assert_eq!(Rf8::from_parts(false, 16, 0), None);
    assert_eq!(Rf8::from_parts(false, 0, 4), None);
    assert_eq!(f64::from(x), -0.375);
    assert_eq!(f32::from(x), -0.375f32);
}

#[test]
fn serde_round_trip_as_code() {
    let codes: Vec<Rf8> = Rf8::all().collect();
    let json = serde_json::to_string(&codes).unwrap();
    assert!(json.starts_with("[0,1,2,"));
    let back: Vec<Rf8> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, codes);
    assert!(serde_json::from_str::<Rf8>("256").is_err());
    assert_eq!(
        serde_json::to_string(&Rounding::Nearest).unwrap(),
        "\"nearest\""
    );
}

/// The decode table (used by `to_f64`) equals the exact formula.
#[test]
fn decode_table_matches_the_exact_value() {
    for c in Rf8::all() {
        assert_eq!(
            c.to_f64().to_bits(),
            c.to_exact().to_f64().to_bits(),
            "{c:?}"
        );
    }
}

#[test]
fn all_yields_every_code_once() {
    let codes: Vec<u8> = Rf8::all().map(Rf8::to_bits).collect();
    assert_eq!(codes, (0..=255).collect::<Vec<u8>>());
}
