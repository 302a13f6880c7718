//! Independent oracles for the multipliers of spec section 7, written
//! without the references' code: exact integer arithmetic for INT8 and
//! FP4, a brute-force search over the value set for the lean FP8. Every
//! pair of each format.

use rf8::by_name;

/// INT8: the product of the bytes as `i32`, as a 16-bit pattern.
#[test]
fn int8_mul_is_integer_multiplication() {
    let m = by_name("int8_mul").unwrap();
    for a in 0..=255u32 {
        for b in 0..=255u32 {
            let want = (a as u8 as i8 as i32 * b as u8 as i8 as i32) as u16 as u32;
            assert_eq!(m.mul(a, b), want, "{a:#04x} * {b:#04x}");
            assert_eq!(m.decode_output(want), (want as u16 as i16) as f64);
        }
    }
}

/// FP4 E2M1: each magnitude in half units from the OCP table, the product
/// in quarters as an integer, as a 9-bit two's complement pattern.
#[test]
fn fp4_e2m1_mul_is_exact_fixed_point() {
    const HALVES: [i32; 8] = [0, 1, 2, 3, 4, 6, 8, 12]; // 0, 0.5, 1, 1.5, 2, 3, 4, 6
    let m = by_name("fp4_e2m1_mul").unwrap();
    let value = |c: u32| {
        let s = if c & 8 != 0 { -1 } else { 1 };
        s * HALVES[(c & 7) as usize]
    };
    for a in 0..16u32 {
        assert_eq!(m.decode(a), value(a) as f64 / 2.0, "{a:#x}");
        for b in 0..16u32 {
            let quarters = value(a) * value(b);
            let want = (quarters as u32) & 0x1FF;
            assert_eq!(m.mul(a, b), want, "{a:#x} * {b:#x} = {quarters} quarters");
            assert_eq!(m.decode_output(want), quarters as f64 / 4.0);
        }
    }
}

/// The FP6 multipliers: each element decoded in integers by the OCP MX
/// words (E = 0: `M` units of the smallest subnormal; else `(2^m + M)`
/// shifted by `E - 1`), the product multiplied in i64 and wrapped to the
/// output width; no floating point and no code of the reference.
#[test]
fn fp6_multipliers_are_exact_fixed_point() {
    // (name, exponent bits, mantissa bits, output bits)
    for (name, eb, mb, out) in [("fp6_e2m3_mul", 2, 3, 13), ("fp6_e3m2_mul", 3, 2, 19)] {
        let m = by_name(name).unwrap();
        // In units of the smallest subnormal, 2^(1 - bias - mb).
        let units = |c: u32| -> i64 {
            let (e, f) = ((c >> mb) & ((1 << eb) - 1), c & ((1 << mb) - 1));
            let mag = if e == 0 {
                f as i64
            } else {
                ((1i64 << mb) + f as i64) << (e - 1)
            };
            if c & 0x20 != 0 {
                -mag
            } else {
                mag
            }
        };
        let mut largest = 0;
        for a in 0..64u32 {
            for b in 0..64u32 {
                let p = units(a) * units(b);
                largest = largest.max(p.abs());
                let want = (p as u32) & ((1u32 << out) - 1);
                assert_eq!(m.mul(a, b), want, "{name} {a:#x} * {b:#x} = {p} LSB");
            }
        }
        // The spec's largest products: 56.25 = 3600 LSB, 784 = 200704 LSB.
        assert_eq!(largest, if eb == 2 { 3600 } else { 200704 }, "{name}");
    }
}

/// The lean FP8: decode by the spec's words, multiply exactly in f64
/// (4-bit significands), then pick the largest code whose magnitude does
/// not exceed the product's among all 127 non-negative codes, flushing
/// below 2^-6 and saturating above 480.
#[test]
fn fp8_e4m3_mul_lite_is_truncation_over_the_value_set() {
    let m = by_name("fp8_e4m3_mul_lite").unwrap();
    let magnitude = |c: u32| {
        let (e, f) = ((c >> 3) & 0xF, c & 7);
        if e == 0 {
            0.0 // exponent field 0 reads as zero
        } else {
            (8 + f) as f64 * 2f64.powi(e as i32 - 7 - 3)
        }
    };
    let codes: Vec<(u32, f64)> = (0..0x80).map(|c| (c, magnitude(c))).collect();
    assert_eq!(magnitude(0x7F), 480.0);
    for a in 0..=255u32 {
        for b in 0..=255u32 {
            let sign = (a ^ b) & 0x80;
            let p = magnitude(a) * magnitude(b);
            let mag = if p < 2f64.powi(-6) {
                0
            } else if p > 480.0 {
                0x7F
            } else {
                codes
                    .iter()
                    .filter(|(_, v)| *v <= p)
                    .max_by(|x, y| x.1.total_cmp(&y.1))
                    .map(|(c, _)| *c)
                    .unwrap()
            };
            assert_eq!(m.mul(a, b), sign | mag, "{a:#04x} * {b:#04x} = {p}");
        }
    }
}
