//! OCP MX FP6 in rust-hdl, beside its reference `crate::formats::fp6`:
//! the multipliers `fp6_e2m3_mul` and `fp6_e3m2_mul` ([`mul`]) and the
//! dot-product units `dot_fp6_e2m3_n<N>` and `dot_fp6_e3m2_n<N>`
//! ([`dot`]).

pub mod dot;
pub mod mul;
