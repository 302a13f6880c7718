//! Number formats: their bit-exact reference multipliers ([`Multiplier`])
//! and their storage codecs for the error statistics ([`codec::Codec`]).
//!
//! This layer knows nothing of the hardware: the catalogue
//! (`crate::catalog`) pairs each reference with its rust-hdl design and
//! its storage codec.

pub mod baselines;
pub mod codec;
pub mod dot;
pub mod fp4;
pub mod fp6;
pub mod int8;
pub mod mac;
pub mod minifloat;
pub mod mx_mul;
pub mod rf8;

use minifloat::MiniFloat;

/// A two-operand multiplier on codes of one format: the bit-exact
/// reference that the generated hardware is verified against.
pub trait Multiplier: Send + Sync {
    /// Design name (`rf8_mul`, `fp16_mul`, ...), also the RTL module name.
    fn name(&self) -> &'static str;
    /// One-line description of the format and its conventions.
    fn summary(&self) -> &'static str;
    /// Width of each operand, in bits.
    fn width(&self) -> u32;
    /// Width of the result, in bits (the operand width unless the product
    /// leaves the format, as INT8's 16-bit product does).
    fn out_width(&self) -> u32 {
        self.width()
    }
    /// The product code of two codes (only the low `width()` bits are read).
    fn mul(&self, a: u32, b: u32) -> u32;
    /// The exact value of an operand code as `f64` (NaN and +-Inf where the
    /// format has them).
    fn decode(&self, code: u32) -> f64;
    /// The exact value of a result code (`out_width()` bits).
    fn decode_output(&self, code: u32) -> f64 {
        self.decode(code)
    }
    /// The code returned whenever the exact result is NaN, if the format has
    /// NaN.
    fn nan_code(&self) -> Option<u32>;
    /// Operand codes that directed tests pair with each other: zeros, the
    /// extremes, one, and the format's special classes.
    fn specials(&self) -> Vec<u32>;
    /// One row of the product table: `out[b] = mul(a, b)` for every code
    /// `b` (`out.len() == 1 << width()`). Exhaustive sweeps use it; formats
    /// may override it with a faster equivalent.
    fn row(&self, a: u32, out: &mut [u16]) {
        for (b, o) in out.iter_mut().enumerate() {
            *o = self.mul(a, b as u32) as u16;
        }
    }
    /// The binary-float description, for formats that are one (the test
    /// vectors add rounding ties and overflow boundaries for them).
    fn minifloat(&self) -> Option<&MiniFloat> {
        None
    }
    /// The spec section that defines the arithmetic.
    fn spec_section(&self) -> &'static str;
}

impl Multiplier for MiniFloat {
    fn name(&self) -> &'static str {
        self.name
    }
    fn summary(&self) -> &'static str {
        self.summary
    }
    fn width(&self) -> u32 {
        MiniFloat::width(self)
    }
    fn mul(&self, a: u32, b: u32) -> u32 {
        MiniFloat::mul(self, a, b)
    }
    fn decode(&self, code: u32) -> f64 {
        self.to_f64(code)
    }
    fn nan_code(&self) -> Option<u32> {
        self.nan_code
    }
    fn specials(&self) -> Vec<u32> {
        MiniFloat::specials(self)
    }
    fn row(&self, a: u32, out: &mut [u16]) {
        thread_local! {
            static DECODED: std::cell::RefCell<Vec<(&'static str, Vec<minifloat::Class>)>> =
                const { std::cell::RefCell::new(Vec::new()) };
        }
        DECODED.with(|cache| {
            let mut cache = cache.borrow_mut();
            if !cache.iter().any(|(n, _)| *n == self.name) {
                cache.push((self.name, self.decode_all()));
            }
            let (_, table) = cache
                .iter()
                .find(|(n, _)| *n == self.name)
                .expect("just added");
            MiniFloat::row(self, a, table, out);
        });
    }
    fn minifloat(&self) -> Option<&MiniFloat> {
        Some(self)
    }
    fn spec_section(&self) -> &'static str {
        self.spec_section
    }
}
