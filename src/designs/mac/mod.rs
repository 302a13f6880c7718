//! The sequential MAC units of spec section 9 in rust-hdl, beside their
//! reference `crate::formats::mac::MacRef`: a stream of groups of N
//! operand pairs in (`in_valid`, `in_ready`, `in_last`, `a`, `b`), one
//! exact W-bit dot product out per `in_last` (`out_valid`, `acc`, and
//! `invalid` for E4M3). Each design is written as its next-state logic
//! with register port pairs `x_q`/`x_d`, which `registers.rs` turns into
//! clocked registers of the one module.
//!
//! * `register.rs`: a register accumulator; the lanes sum the group at the
//!   group's width and the W-bit accumulator takes one add per group.
//! * `eia.rs`: exponent-indexed bins, one bank per lane (`bin_decode.rs`
//!   gives each product's bin and integer), reconstructed after each dot
//!   product.

pub mod bin_decode;
pub mod eia;
pub mod register;
pub mod registers;

use super::verilog::generate;
use super::GenError;

pub use eia::{MacFp8E4m3Eia, MacRf8Eia};
pub use register::{MacFp8E4m3, MacInt8, MacRf8};

/// Lane counts the MAC generators are built for.
pub const LANES: [usize; 5] = [1, 2, 4, 8, 16];

/// The hardware of a MAC unit variant: its Verilog at any lane count of
/// [`LANES`] and headroom of `super::dot::HEADROOMS`, and its timing.
#[derive(Clone, Copy, Debug)]
pub struct MacHardware {
    /// Verilog of the unit with `lanes` lanes and headroom `h`, as module
    /// `module` (with `clk` first).
    pub verilog: fn(lanes: usize, h: u32, module: &str) -> Result<String, GenError>,
    /// The Rust source file of the design.
    pub source: &'static str,
    /// The most cycles from taking a dot product's last group to its
    /// `out_valid`, at `lanes` lanes.
    pub latency: fn(lanes: usize) -> usize,
    /// Cycles the unit stalls (`in_ready` low) after each dot product, at
    /// `lanes` lanes: 0 for a unit that never stalls.
    pub stall: fn(lanes: usize) -> usize,
    /// How the unit accumulates, for the file header and the docs.
    pub summary: &'static str,
}

/// A lane count or headroom the MAC generators are not built for.
fn unsupported(lanes: usize, h: u32) -> GenError {
    GenError::Check {
        module: format!("n{lanes} h{h}"),
        reason: format!(
            "MAC units are built for {LANES:?} lanes and headroom {:?}",
            super::dot::HEADROOMS
        ),
    }
}

/// `match (lanes, h)` generating `$unit<N, $cw N, $p + 1 + log2 N, $p + 1 + H>`,
/// then its registers.
macro_rules! mac_generator {
    ($unit:ident, $cw:literal, $p:literal, $lanes:expr, $h:expr, $module:expr) => {
        mac_generator!(@n $unit, $cw, $p, $lanes, $h, $module, [12, 20, 28],
            [(1, 0), (2, 1), (4, 2), (8, 3), (16, 4)])
    };
    (@n $unit:ident, $cw:literal, $p:literal, $lanes:expr, $h:expr, $module:expr, $hs:tt,
        [$(($n:literal, $log:literal)),*]) => {
        match $lanes {
            $($n => mac_generator!(@h $unit, $cw, $p, $n, $log, $h, $module, $hs),)*
            _ => Err(unsupported($lanes, $h)),
        }
    };
    (@h $unit:ident, $cw:literal, $p:literal, $n:literal, $log:literal, $h:expr, $module:expr,
        [$($hh:literal),*]) => {
        match $h {
            $($hh => generate::<$unit<$n, { $cw * $n }, { $p + 1 + $log }, { $p + 1 + $hh }>>($module)
                .and_then(|v| registers::registers(&v, $module)),)*
            _ => Err(unsupported($n, $h)),
        }
    };
}

fn rf8_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    mac_generator!(MacRf8, 8, 35, lanes, h, module)
}

fn int8_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    mac_generator!(MacInt8, 8, 15, lanes, h, module)
}

fn fp8_e4m3_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    mac_generator!(MacFp8E4m3, 8, 36, lanes, h, module)
}

/// `match (lanes, h)` generating the exponent-indexed `$unit` with `m` of
/// `$mw` bits and a product of `$p` bits: `BW = $mw + H - log2 N`, then its
/// registers and banks.
macro_rules! eia_generator {
    ($unit:ident, $mw:literal, $p:literal, $lanes:expr, $h:expr, $module:expr) => {
        eia_generator!(@n $unit, $mw, $p, $lanes, $h, $module, [12, 20, 28],
            [(1, 0), (2, 1), (4, 2), (8, 3), (16, 4)])
    };
    (@n $unit:ident, $mw:literal, $p:literal, $lanes:expr, $h:expr, $module:expr, $hs:tt,
        [$(($n:literal, $log:literal)),*]) => {
        match $lanes {
            $($n => eia_generator!(@h $unit, $mw, $p, $n, $log, $h, $module, $hs),)*
            _ => Err(unsupported($lanes, $h)),
        }
    };
    (@h $unit:ident, $mw:literal, $p:literal, $n:literal, $log:literal, $h:expr, $module:expr,
        [$($hh:literal),*]) => {
        match $h {
            $($hh => generate::<$unit<
                $n,
                { 8 * $n },
                { $mw + $hh - $log },
                { $mw + $hh },
                { $p + 1 + $hh },
            >>($module)
                .and_then(|v| registers::registers(&v, $module)),)*
            _ => Err(unsupported($n, $h)),
        }
    };
}

fn rf8_eia_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    eia_generator!(MacRf8Eia, 6, 35, lanes, h, module)
}

fn fp8_e4m3_eia_verilog(lanes: usize, h: u32, module: &str) -> Result<String, GenError> {
    eia_generator!(MacFp8E4m3Eia, 9, 36, lanes, h, module)
}

fn register_latency(_lanes: usize) -> usize {
    register::LATENCY
}

fn never(_lanes: usize) -> usize {
    0
}

const REGISTER_SUMMARY: &str =
    "register accumulator: lanes summed at the group's width, one W-bit add per group";

/// `mac_rf8_n<N>`.
pub const RF8: MacHardware = MacHardware {
    verilog: rf8_verilog,
    source: "src/designs/mac/register.rs",
    latency: register_latency,
    stall: never,
    summary: REGISTER_SUMMARY,
};

const EIA_SUMMARY: &str =
    "exponent-indexed bins: each product's integer added into the bin of its exponent, one bank per lane, reconstructed after each dot product";

/// `mac_rf8_eia_n<N>`.
pub const RF8_EIA: MacHardware = MacHardware {
    verilog: rf8_eia_verilog,
    source: "src/designs/mac/eia.rs",
    latency: |_| eia::latency(eia::RF8_BINS),
    stall: |_| eia::stall(eia::RF8_BINS),
    summary: EIA_SUMMARY,
};

/// `mac_fp8_e4m3_eia_n<N>`.
pub const FP8_E4M3_EIA: MacHardware = MacHardware {
    verilog: fp8_e4m3_eia_verilog,
    source: "src/designs/mac/eia.rs",
    latency: |_| eia::latency(eia::FP8_E4M3_BINS),
    stall: |_| eia::stall(eia::FP8_E4M3_BINS),
    summary: EIA_SUMMARY,
};

/// `mac_int8_n<N>`.
pub const INT8: MacHardware = MacHardware {
    verilog: int8_verilog,
    source: "src/designs/mac/register.rs",
    latency: register_latency,
    stall: never,
    summary: REGISTER_SUMMARY,
};

/// `mac_fp8_e4m3_n<N>`.
pub const FP8_E4M3: MacHardware = MacHardware {
    verilog: fp8_e4m3_verilog,
    source: "src/designs/mac/register.rs",
    latency: register_latency,
    stall: never,
    summary: REGISTER_SUMMARY,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_one_clocked_module() {
        let v = (RF8.verilog)(4, 20, "mac_rf8_n4").unwrap();
        println!("{v}");
        assert!(v.starts_with(
            "module mac_rf8_n4(clk,rst,in_valid,in_ready,in_last,a,b,out_valid,acc);"
        ));
        assert_eq!(v.matches("\nmodule ").count(), 0);
        assert!(v.contains("always @(posedge clk)"));
    }
}
