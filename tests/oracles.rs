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
