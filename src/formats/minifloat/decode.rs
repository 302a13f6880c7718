//! Decode step: a code becomes an exact value or a special class.

use super::{MiniFloat, Specials};
use crate::exact::Exact;

/// The meaning of one code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A finite value, zero included (zero has `sig == 0`).
    Finite(Exact),
    /// An infinity with its sign.
    Inf { neg: bool },
    /// Not a number.
    Nan,
}

impl MiniFloat {
    /// Decodes `code` (only the low `width()` bits are read).
    #[inline]
    pub fn classify(&self, code: u32) -> Class {
        let neg = code & self.sign_mask() != 0;
        let exp_field = (code >> self.frac_bits) & self.exp_field_max();
        let frac = code & ((1 << self.frac_bits) - 1);
        let all_ones = exp_field == self.exp_field_max();
        match self.specials {
            Specials::Ieee if all_ones && frac == 0 => return Class::Inf { neg },
            Specials::Ieee if all_ones => return Class::Nan,
            Specials::FiniteNan if all_ones && frac == (1 << self.frac_bits) - 1 => {
                return Class::Nan
            }
            _ => {}
        }
        if exp_field == 0 {
            // Subnormal (or zero). The lite format reads every such code as zero.
            let sig = if self.rounding.keeps_subnormals() {
                frac as u128
            } else {
                0
            };
            return Class::Finite(Exact {
                neg,
                sig,
                exp: self.emin() - self.frac_bits as i32,
            });
        }
        Class::Finite(Exact {
            neg,
            sig: (frac | (1 << self.frac_bits)) as u128,
            exp: exp_field as i32 - self.bias - self.frac_bits as i32,
        })
    }

    /// The exact value of `code` as an `f64` (NaN and +-Inf as such).
    pub fn to_f64(&self, code: u32) -> f64 {
        match self.classify(code) {
            Class::Finite(x) => x.to_f64(),
            Class::Inf { neg: false } => f64::INFINITY,
            Class::Inf { neg: true } => f64::NEG_INFINITY,
            Class::Nan => f64::NAN,
        }
    }
}
