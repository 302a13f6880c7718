//! # rf8: Residual Floating-Point 8-bit arithmetic, references and hardware
//!
//! RF8 ("Residual Floating-Point", arXiv 2506.00486) stores a weight as a
//! sign, a 5-bit sign-magnitude exponent and a 2-bit residual; its value is
//! the sum of its two leading powers of two. This crate holds the bit-exact
//! software reference of RF8 and of the baseline multipliers (IEEE FP16, a
//! minimal FP16, BF16, OCP FP8 E4M3/E5M2) that the generated hardware is
//! verified against. `docs/format.md` states the arithmetic.
//!
//! ```
//! use rf8::{Rf8, Rounding};
//! let w = Rf8::from_f64(-0.39);
//! assert_eq!(format!("{w:#}"), "0xc8 [1 10010 00] -0.375");
//! let p = w * Rf8::from_f64(3.0);
//! assert_eq!(p.to_f64(), -1.125); // 1.5 * 1.5 = 2.25: R = 2 with a carry
//! ```

pub mod area;
pub mod catalog;
pub mod chart;
pub mod check;
pub mod exact;
pub mod formats;
pub mod fsutil;
pub mod generate;
pub mod kernel;
pub mod limits;
pub mod model;
pub mod prove;
pub mod report;
pub mod sim;
pub mod stats;
pub mod table;
pub mod tensors;
pub mod tools;
pub mod unit;
pub mod verify;

pub use catalog::{by_name, Design, DESIGNS};
pub use formats::rf8::{EncodeError, Rf8, Rounding};
pub use formats::Multiplier;

/// The README's Rust examples are compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// So are those of `docs/kernel.md`.
#[cfg(doctest)]
#[doc = include_str!("../docs/kernel.md")]
struct KernelDoctests;
pub mod designs;
