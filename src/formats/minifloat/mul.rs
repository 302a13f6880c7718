//! Raw operation: the exact product of two decoded operands, with the IEEE
//! special cases (NaN in, Inf * 0, Inf * x).

use super::{Class, MiniFloat};

impl MiniFloat {
    /// Multiplies two codes: exact product, rounded once (spec section 4).
    pub fn mul(&self, a: u32, b: u32) -> u32 {
        self.mul_classes(self.classify(a), self.classify(b))
    }

    /// Multiplies two decoded operands (see [`MiniFloat::row`] for sweeps
    /// that decode every code once).
    #[inline]
    pub fn mul_classes(&self, x: Class, y: Class) -> u32 {
        let nan = self.nan_code.unwrap_or(0);
        match (x, y) {
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

impl MiniFloat {
    /// The products `a * b` for every code `b` of the format, in order:
    /// one row of the multiplication table. Decodes each code once, which
    /// makes exhaustive sweeps several times faster than calling
    /// [`MiniFloat::mul`] per pair.
    pub fn row(&self, a: u32, decoded: &[Class], out: &mut [u16]) {
        let x = self.classify(a);
        match x {
            // The common case first: a finite operand, so finite codes b
            // need only the product and the rounding.
            Class::Finite(xa) => {
                for (y, o) in decoded.iter().zip(out.iter_mut()) {
                    *o = match *y {
                        Class::Finite(yb) => self.round(xa * yb),
                        other => self.mul_classes(x, other),
                    } as u16;
                }
            }
            _ => {
                for (y, o) in decoded.iter().zip(out.iter_mut()) {
                    *o = self.mul_classes(x, *y) as u16;
                }
            }
        }
    }

    /// Every code of the format, decoded (the table [`MiniFloat::row`] reads).
    pub fn decode_all(&self) -> Vec<Class> {
        (0..1u32 << self.width())
            .map(|c| self.classify(c))
            .collect()
    }
}
