//! The RF8 number type (spec section 1).
//!
//! ```text
//! bit  7   6   5   4   3   2   1   0
//!      S   Es  M3  M2  M1  M0  R1  R0
//! ```
//!
//! value = `(-1)^S * 2^e * (1 + 2^-(R+1))` with `e = (Es ? -1 : +1) * M`;
//! the exponent field `10000` ("minus zero") encodes zero.
//!
//! ```
//! use rf8::{Rf8, Rounding};
//!
//! let w = Rf8::from_f64(-0.39); // truncation, the paper's rule
//! assert_eq!(w.to_bits(), 0xc8);
//! assert_eq!(w.to_f64(), -0.375);
//! assert_eq!(Rf8::from_f64_with(-0.39, Rounding::Nearest).to_f64(), -0.375);
//! assert_eq!((w * w).to_f64(), 0.140625); // 0.375^2, exact here
//! assert_eq!(Rf8::MAX.to_f64(), 49152.0);
//! ```

pub mod codec;
pub mod encode;
pub mod exponent;
pub mod info;
pub mod mul;

use std::fmt;

pub use encode::{EncodeError, Rounding};

use crate::exact::{exact_decimal, Exact};

/// An RF8 code: sign, 5-bit sign-magnitude exponent, 2-bit residual.
///
/// Equality and hashing compare codes bit for bit, so the zero codes
/// `0x40`, `0xc0` and the non-canonical `0x41..0x43` are all distinct;
/// compare [`Rf8::to_f64`] for numeric equality.
#[derive(Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Rf8(u8);

impl Rf8 {
    /// Positive zero, `0x40`.
    pub const ZERO: Rf8 = Rf8(0x40);
    /// Negative zero, `0xc0`.
    pub const NEG_ZERO: Rf8 = Rf8(0xC0);
    /// Largest value, `0x3c` = 1.5 * 2^15 = 49152.
    pub const MAX: Rf8 = Rf8(0x3C);
    /// Most negative value, `0xbc` = -49152.
    pub const MIN: Rf8 = Rf8(0xBC);
    /// Smallest positive value, `0x7f` = 1.0625 * 2^-15.
    pub const MIN_POSITIVE: Rf8 = Rf8(0x7F);
    /// Largest exponent.
    pub const MAX_EXP: i8 = 15;
    /// Smallest exponent.
    pub const MIN_EXP: i8 = -15;
    /// The exponent field that encodes zero ("minus zero", `10000`).
    pub const ZERO_EXP_FIELD: u8 = 0b10000;

    /// The code with these bits.
    pub const fn from_bits(bits: u8) -> Rf8 {
        Rf8(bits)
    }

    /// The code's bits.
    pub const fn to_bits(self) -> u8 {
        self.0
    }

    /// Builds a non-zero code from its sign, exponent (-15..=15) and
    /// residual (0..=3); `None` when a field is out of range.
    pub const fn from_parts(negative: bool, exp: i8, residual: u8) -> Option<Rf8> {
        if exp < Self::MIN_EXP || exp > Self::MAX_EXP || residual > 3 {
            return None;
        }
        let sign = if negative { 0x80 } else { 0 };
        Some(Rf8(sign | (exponent::to_field(exp) << 2) | residual))
    }

    /// Signed zero.
    pub const fn zero(negative: bool) -> Rf8 {
        if negative {
            Self::NEG_ZERO
        } else {
            Self::ZERO
        }
    }

    /// Signed largest magnitude.
    pub const fn max_magnitude(negative: bool) -> Rf8 {
        if negative {
            Self::MIN
        } else {
            Self::MAX
        }
    }

    /// Signed smallest non-zero magnitude.
    pub const fn min_magnitude(negative: bool) -> Rf8 {
        if negative {
            Rf8(Self::MIN_POSITIVE.0 | 0x80)
        } else {
            Self::MIN_POSITIVE
        }
    }

    /// Sign bit `S` (true = negative; zeros have a sign too).
    pub const fn is_sign_negative(self) -> bool {
        self.0 & 0x80 != 0
    }

    /// The 5-bit exponent field `Es M3..M0`.
    pub const fn exponent_field(self) -> u8 {
        (self.0 >> 2) & 0x1F
    }

    /// The 2-bit residual field `R`.
    pub const fn residual(self) -> u8 {
        self.0 & 0x3
    }

    /// True for the zero codes (exponent field `10000`, any residual).
    pub const fn is_zero(self) -> bool {
        self.exponent_field() == Self::ZERO_EXP_FIELD
    }

    /// The exponent `e` in -15..=15, or `None` for zero.
    pub const fn exponent(self) -> Option<i8> {
        if self.is_zero() {
            None
        } else {
            Some(exponent::from_field(self.exponent_field()))
        }
    }

    /// The mantissa `1 + 2^-(R+1)` (1.5, 1.25, 1.125, 1.0625), or 0 for zero.
    pub fn mantissa(self) -> f64 {
        if self.is_zero() {
            0.0
        } else {
            1.0 + 0.5f64.powi(self.residual() as i32 + 1)
        }
    }

    /// The canonical form: zeros become `0x40` / `0xc0`.
    pub const fn canonical(self) -> Rf8 {
        if self.is_zero() {
            Self::zero(self.is_sign_negative())
        } else {
            self
        }
    }

    /// The exact value: significand `2^(R+1) + 1` times `2^(e - R - 1)`.
    pub fn to_exact(self) -> Exact {
        let neg = self.is_sign_negative();
        match self.exponent() {
            None => Exact::zero(neg),
            Some(e) => {
                let r = self.residual() as i32;
                Exact {
                    neg,
                    sig: (1 << (r + 1)) + 1,
                    exp: e as i32 - r - 1,
                }
            }
        }
    }

    /// The exact value as `f64` (a table lookup; the table is built at
    /// compile time from the same formula as [`Rf8::to_exact`], and a test
    /// checks the two agree for every code).
    pub fn to_f64(self) -> f64 {
        DECODE[self.0 as usize]
    }

    /// The exact value as `f32` (every RF8 value is exact in `f32`, and in
    /// `bf16` too: at most 5 significant bits, exponents within range).
    pub fn to_f32(self) -> f32 {
        self.to_f64() as f32
    }

    /// All 256 codes, `0x00` to `0xff`.
    pub fn all() -> impl Iterator<Item = Rf8> + Clone {
        (0..=255u8).map(Rf8)
    }
}

/// Every code's value: `(-1)^S * 2^(e - R - 1) * (2^(R+1) + 1)`, zero for
/// the exponent field `10000`.
static DECODE: [f64; 256] = decode_table();

const fn decode_table() -> [f64; 256] {
    let mut t = [0.0; 256];
    let mut c = 0;
    while c < 256 {
        let x = Rf8(c as u8);
        let neg = x.is_sign_negative();
        let value = if x.is_zero() {
            0.0
        } else {
            let r = x.residual() as i32;
            let e = exponent::from_field(x.exponent_field()) as i32;
            let sig = ((1 << (r + 1)) + 1) as f64;
            // 2^(e - r - 1) from its bits: e - r - 1 is within -19..=14.
            sig * f64::from_bits(((e - r - 1 + 1023) as u64) << 52)
        };
        t[c] = if neg { -value } else { value };
        c += 1;
    }
    t
}

impl Default for Rf8 {
    fn default() -> Self {
        Rf8::ZERO
    }
}

impl std::ops::Neg for Rf8 {
    type Output = Rf8;
    fn neg(self) -> Rf8 {
        Rf8(self.0 ^ 0x80)
    }
}

impl std::ops::Mul for Rf8 {
    type Output = Rf8;
    /// The RF8 hardware multiplier (spec section 3), see [`mul::mul`].
    fn mul(self, rhs: Rf8) -> Rf8 {
        mul::mul(self, rhs)
    }
}

impl From<Rf8> for f64 {
    fn from(x: Rf8) -> f64 {
        x.to_f64()
    }
}

impl From<Rf8> for f32 {
    fn from(x: Rf8) -> f32 {
        x.to_f32()
    }
}

impl fmt::Display for Rf8 {
    /// The exact value (`-0.375`); with `{:#}` the code and its fields
    /// (`0xc8 [1 10010 00] -0.375`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = exact_decimal(self.to_f64());
        if f.alternate() {
            write!(f, "{:#04x} [{}] {}", self.0, self.fields(), value)
        } else {
            f.write_str(&value)
        }
    }
}

impl fmt::Debug for Rf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Rf8({:#04x} [{}] = {})",
            self.0,
            self.fields(),
            exact_decimal(self.to_f64())
        )
    }
}

impl fmt::LowerHex for Rf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::LowerHex::fmt(&self.0, f)
    }
}

impl Rf8 {
    /// The fields as `S EEEEE RR` in binary, e.g. `1 10010 00`.
    pub fn fields(self) -> String {
        format!(
            "{} {:05b} {:02b}",
            self.0 >> 7,
            self.exponent_field(),
            self.residual()
        )
    }
}

/// The RF8 multiplier behind the shared [`Multiplier`](crate::Multiplier)
/// interface.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rf8Mul;

impl crate::formats::Multiplier for Rf8Mul {
    fn name(&self) -> &'static str {
        "rf8_mul"
    }
    fn summary(&self) -> &'static str {
        "RF8: sign XOR, 5-bit sign-magnitude exponent add, 2-bit residual compare"
    }
    fn width(&self) -> u32 {
        8
    }
    fn mul(&self, a: u32, b: u32) -> u32 {
        mul::mul(Rf8(a as u8), Rf8(b as u8)).0 as u32
    }
    fn decode(&self, code: u32) -> f64 {
        Rf8(code as u8).to_f64()
    }
    fn nan_code(&self) -> Option<u32> {
        None
    }
    fn specials(&self) -> Vec<u32> {
        // Zeros (canonical and not), the extremes, 1.0 and every residual.
        vec![
            0x40, 0xC0, 0x41, 0xC3, 0x3C, 0xBC, 0x7F, 0xFF, 0x00, 0x80, 0x01, 0x02, 0x03, 0x7C,
            0x3F, 0x04,
        ]
    }
    fn spec_section(&self) -> &'static str {
        "3"
    }
}
