//! The hardware: one rust-hdl design per multiplier, beside its reference
//! in `src/formats/`, and the generator that turns them into Verilog.
//!
//! Every design is a single combinational module with inputs `a`, `b` and
//! output `y`; see `docs/architecture.md`.

pub mod rf8_mul;
pub mod verilog;

use rust_hdl::prelude::*;

/// Access to a design's ports, for rust-hdl's simulator.
pub trait Ports {
    /// Drives the inputs.
    fn set_inputs(&mut self, a: u32, b: u32);
    /// Reads the output.
    fn output(&self) -> u32;
}

/// Why Verilog could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum GenError {
    /// rust-hdl's structural check rejected the design.
    #[error("rust-hdl check failed for {module}: {reason}")]
    Check { module: String, reason: String },
}

/// The hardware side of a multiplier: its Verilog and its rust-hdl model.
#[derive(Clone, Copy)]
pub struct Hardware {
    /// Verilog text of the combinational module, named `module`.
    pub verilog: fn(module: &str) -> Result<String, GenError>,
    /// Results of rust-hdl's own simulator for each pair.
    pub simulate: fn(pairs: &[(u32, u32)]) -> Vec<u32>,
}

impl Hardware {
    /// The hardware of design type `T`.
    pub const fn of<T: Block + Default + Ports>() -> Hardware {
        Hardware {
            verilog: verilog::generate::<T>,
            simulate: simulate::<T>,
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
