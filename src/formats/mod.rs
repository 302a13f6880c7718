//! Number formats and their bit-exact reference multipliers.
//!
//! Every multiplier of the project (RF8 and the five baselines) implements
//! [`Multiplier`]; verification, area and error code iterate over
//! [`ALL`] and look designs up with [`by_name`].

pub mod baselines;
pub mod minifloat;
pub mod rf8;

use minifloat::MiniFloat;

/// A two-operand multiplier on codes of one format: the shared interface of
/// the references (and, later, of the generated hardware).
pub trait Multiplier: Send + Sync {
    /// Design name (`rf8_mul`, `fp16_mul`, ...), also the RTL module name.
    fn name(&self) -> &'static str;
    /// One-line description of the format and its conventions.
    fn summary(&self) -> &'static str;
    /// Width of each operand and of the result, in bits (8 or 16).
    fn width(&self) -> u32;
    /// The product code of two codes (only the low `width()` bits are read).
    fn mul(&self, a: u32, b: u32) -> u32;
    /// The exact value of a code as `f64` (NaN and +-Inf where the format
    /// has them).
    fn decode(&self, code: u32) -> f64;
    /// The code returned whenever the exact result is NaN, if the format has
    /// NaN.
    fn nan_code(&self) -> Option<u32>;
    /// The rust-hdl design beside this reference.
    fn hardware(&self) -> crate::designs::Hardware;
    /// One row of the product table: `out[b] = mul(a, b)` for every code
    /// `b` (`out.len() == 1 << width()`). Exhaustive sweeps use it; formats
    /// may override it with a faster equivalent.
    fn row(&self, a: u32, out: &mut [u16]) {
        for (b, o) in out.iter_mut().enumerate() {
            *o = self.mul(a, b as u32) as u16;
        }
    }
    /// The binary-float description, for the baselines.
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
    fn hardware(&self) -> crate::designs::Hardware {
        self.hardware
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
        "4"
    }
}

/// Every multiplier, RF8 first, in the order reports list them.
pub static ALL: [&dyn Multiplier; 6] = [
    &rf8::Rf8Mul,
    &baselines::FP16_MUL,
    &baselines::FP16_MUL_LITE,
    &baselines::BF16_MUL,
    &baselines::FP8_E4M3_MUL,
    &baselines::FP8_E5M2_MUL,
];

/// A design name that is not one of [`ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown design '{name}' (valid: {valid})")]
pub struct UnknownDesign {
    /// The name asked for.
    pub name: String,
    /// Comma-separated valid names.
    pub valid: String,
}

/// Looks a multiplier up by its design name.
pub fn by_name(name: &str) -> Result<&'static dyn Multiplier, UnknownDesign> {
    ALL.iter()
        .copied()
        .find(|m| m.name() == name)
        .ok_or_else(|| UnknownDesign {
            name: name.to_string(),
            valid: ALL.iter().map(|m| m.name()).collect::<Vec<_>>().join(", "),
        })
}
