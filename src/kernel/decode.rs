//! RF8 codes as f32, by table, and the fields the SIMD paths build their
//! tables from, taken from the reference. Every RF8 value is exact in
//! bfloat16, so a code decodes to the upper 16 bits of an f32: the SIMD
//! paths build those two bytes with byte shuffles (see `avx2.rs`,
//! `avx512.rs`); the portable path and the tails use the 256-entry table
//! here.

use std::sync::OnceLock;

use crate::Rf8;

/// The value of every code as f32 (`table[code]`), built once.
pub fn decode_f32() -> &'static [f32; 256] {
    static TABLE: OnceLock<[f32; 256]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|c| Rf8::from_bits(c as u8).to_f32()))
}

/// `e` of a code's exponent field `Es M3..M0` (its low five bits), `None`
/// for zero.
pub(super) fn exponent_of_field(field: usize) -> Option<i32> {
    Rf8::from_bits(((field & 31) << 2) as u8)
        .exponent()
        .map(i32::from)
}

/// The product's residual R and exponent carry c for operand residuals
/// `r1`, `r2` (spec section 3, step 3: the reference's comparator).
pub(super) fn product_residual(r1: usize, r2: usize) -> (usize, i8) {
    let (r, carry) = crate::formats::rf8::mul::residual::compare(r1 as u8, r2 as u8);
    (usize::from(r), i8::from(carry))
}

/// The exponent the byte-lane W8A8 datapaths give a zero operand: any sum
/// with it (two at the most, plus a carry) stays negative, so the product
/// reads as an underflow, that is 0.
pub(super) const ZERO_EXP: i8 = -60;
