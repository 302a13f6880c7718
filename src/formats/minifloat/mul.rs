//! Raw operation: the exact product of two decoded operands, with the IEEE
//! special cases (NaN in, Inf * 0, Inf * x).

use super::{Class, MiniFloat};

impl MiniFloat {
    /// Multiplies two codes: exact product, rounded once (spec section 4).
    pub fn mul(&self, a: u32, b: u32) -> u32 {
        let nan = self.nan_code.unwrap_or(0);
        match (self.classify(a), self.classify(b)) {
            (Class::Nan, _) | (_, Class::Nan) => nan,
            (Class::Inf { .. }, Class::Finite(x)) | (Class::Finite(x), Class::Inf { .. })
                if x.is_zero() =>
            {
                nan
            }
            (Class::Inf { neg: p }, Class::Inf { neg: q }) => self.infinity(p ^ q),
            (Class::Inf { neg: p }, Class::Finite(x))
            | (Class::Finite(x), Class::Inf { neg: p }) => self.infinity(p ^ x.neg),
            (Class::Finite(x), Class::Finite(y)) => self.round(x * y),
        }
    }

    /// The infinity code of the given sign (only for formats with Inf).
    fn infinity(&self, neg: bool) -> u32 {
        let sign = if neg { self.sign_mask() } else { 0 };
        sign | (self.max_finite_mag() + 1)
    }
}
