//! The FP6 dot-product units (spec section 8), `dot_fp6_e2m3_n<N>` and
//! `dot_fp6_e3m2_n<N>`, beside their references `DOT_FP6_E2M3` and
//! `DOT_FP6_E3M2` in `crate::formats::fp6`. As for INT8 and FP4, the
//! multiplier already returns the exact product in the accumulator's fixed
//! point, so a lane sign-extends it to W bits and adds it to the running
//! sum.

use rust_hdl::prelude::*;

use super::mul::{Fp6E2m3MulHdl, Fp6E3m2MulHdl};
use crate::designs::dot::exact::sign_extending_lane;
use crate::designs::dot::{dot_unit, fixed_point_generator, product_cuts, DotHardware};
use crate::designs::GenError;

sign_extending_lane!(Fp6E2m3Lane, Fp6E2m3MulHdl, 6, 13);
sign_extending_lane!(Fp6E3m2Lane, Fp6E3m2MulHdl, 6, 19);

dot_unit!(
    DotFp6E2m3,
    Fp6E2m3Lane,
    6,
    "`dot_fp6_e2m3_n<N>`: N MX FP6 E2M3 lanes; `a`, `b` are packed buses of N codes (`AW = 6 N` bits)."
);

dot_unit!(
    DotFp6E3m2,
    Fp6E3m2Lane,
    6,
    "`dot_fp6_e3m2_n<N>`: N MX FP6 E3M2 lanes; `a`, `b` are packed buses of N codes (`AW = 6 N` bits)."
);

fn e2m3_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    fixed_point_generator!(DotFp6E2m3, 6, 12, lanes, h, module)
}

fn e3m2_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    fixed_point_generator!(DotFp6E3m2, 6, 18, lanes, h, module)
}

/// `dot_fp6_e2m3`: P = 12.
pub const E2M3: DotHardware = DotHardware {
    verilog: e2m3_verilog,
    source: "src/designs/fp6/dot.rs",
    cuts: product_cuts,
};

/// `dot_fp6_e3m2`: P = 18.
pub const E3M2: DotHardware = DotHardware {
    verilog: e3m2_verilog,
    source: "src/designs/fp6/dot.rs",
    cuts: product_cuts,
};
