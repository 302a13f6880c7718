//! The hardware: one rust-hdl design per multiplier, beside its reference
//! in `src/formats/`, and the generator that turns them into Verilog.
//! Designs read their constants from the reference's format description;
//! the reference never reads the designs (`crate::catalog` pairs them),
//! and the designs never read the catalogue (`crate::generate` turns a
//! catalogue entry into its Verilog file).
//!
//! Every multiplier design is a single combinational module with inputs
//! `a`, `b` and output `y`; the dot-product units (`dot/`) take the packed
//! buses `a`, `b` and `acc_in` and give `acc_out`; see
//! `docs/architecture.md`.

use rust_hdl::prelude::*;

/// Bits of `v` as a rust-hdl constant (two's complement for negatives).
pub(crate) fn konst<const N: usize>(v: i64) -> Constant<Bits<N>> {
    let mask = if N >= 64 { u64::MAX } else { (1u64 << N) - 1 };
    Constant::new(((v as u64) & mask).to_bits())
}

/// Access to a design's ports, for rust-hdl's simulator.
pub trait Ports {
    /// Drives the inputs.
    fn set_inputs(&mut self, a: u32, b: u32);
    /// Reads the output.
    fn output(&self) -> u32;
}

/// Implements [`Ports`] for a design whose ports are `a`, `b` and `y`.
macro_rules! impl_ports {
    ($design:ty) => {
        impl $crate::designs::Ports for $design {
            fn set_inputs(&mut self, a: u32, b: u32) {
                self.a.next = (a as u64).to_bits();
                self.b.next = (b as u64).to_bits();
            }
            fn output(&self) -> u32 {
                self.y.val().to_u64() as u32
            }
        }
    };
}
pub(crate) use impl_ports;

pub mod dot;
pub mod fp4_mul;
pub mod fp6;
pub mod inline;
pub mod int8_mul;
pub mod lite_mul;
pub mod mac;
pub mod minifloat_mul;
pub mod pipeline;
pub mod pipeline_cuts;
pub mod rf8_mul;
pub mod verilog;

/// Why Verilog could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// rust-hdl's structural check rejected the design.
    #[error("rust-hdl check failed for {module}: {reason}")]
    Check { module: String, reason: String },
    /// The pipelining pass could not place the registers.
    #[error("cannot pipeline {module}: {reason}")]
    Pipeline { module: String, reason: String },
}

/// rust-hdl's simulation of a design: one output per pair.
pub type Simulate = fn(pairs: &[(u32, u32)]) -> Vec<u32>;

/// The hardware side of a multiplier: its Verilog and its rust-hdl model.
#[derive(Clone, Copy, Debug)]
pub struct Hardware {
    /// Verilog text of the combinational module, named `module`.
    pub verilog: fn(module: &str) -> Result<String, GenError>,
    /// Results of rust-hdl's own simulator for each pair; `None` where that
    /// simulator cannot run the design (the generated Verilog is simulated
    /// in Verilator and Icarus either way).
    pub simulate: Option<Simulate>,
    /// The Rust source file of the design (named in generated headers).
    pub source: &'static str,
    /// The signals that end the datapath steps, in order: the places where
    /// a pipelined variant may put its registers.
    pub stages: &'static [&'static str],
}

impl Hardware {
    /// The hardware of design type `T`.
    pub const fn of<T: Block + Default + Ports>(
        source: &'static str,
        stages: &'static [&'static str],
    ) -> Hardware {
        Hardware {
            verilog: verilog::generate::<T>,
            simulate: Some(simulate::<T>),
            source,
            stages,
        }
    }
}

impl Hardware {
    /// The same hardware, marked as beyond rust-hdl's simulator.
    pub const fn without_rust_hdl_simulation(self) -> Hardware {
        Hardware {
            simulate: None,
            ..self
        }
    }
}

/// Evaluates `pairs` in rust-hdl's simulator (settling the combinational
/// logic after each input change).
pub fn simulate<T: Block + Default + Ports>(pairs: &[(u32, u32)]) -> Vec<u32> {
    let mut uut = T::default();
    uut.connect_all();
    pairs
        .iter()
        .map(|&(a, b)| {
            uut.set_inputs(a, b);
            rust_hdl::core::simulate::simulate(&mut uut, 100);
            uut.output()
        })
        .collect()
}

/// Module name of a design at a pipeline depth: `<name>` or `<name>_p<N>`.
pub fn module_name(design: &str, depth: usize) -> String {
    if depth == 0 {
        design.to_string()
    } else {
        format!("{design}_p{depth}")
    }
}
