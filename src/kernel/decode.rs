//! RF8 codes as f32, by table. Every RF8 value is exact in bfloat16, so a
//! code decodes to the upper 16 bits of an f32: the SIMD paths build those
//! two bytes with byte shuffles (see `avx2.rs`); the portable path and the
//! tails use the 256-entry table here.

use std::sync::OnceLock;

use crate::Rf8;

/// The value of every code as f32 (`table[code]`), built once.
pub fn decode_f32() -> &'static [f32; 256] {
    static TABLE: OnceLock<[f32; 256]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|c| Rf8::from_bits(c as u8).to_f32()))
}
