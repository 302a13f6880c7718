//! What `rf8 area` measures: a catalogue multiplier or a dot-product unit
//! (at the spec's default headroom). Synthesis, place and route and the
//! netlist check see only a name, Verilog, and ports.

use crate::catalog::{Design, DotInstance};
use crate::designs::{dot::DEFAULT_HEADROOM, GenError};
use crate::sim::bus::Port;

/// A multiplier or a dot-product unit.
#[derive(Clone, Copy, Debug)]
pub enum Subject {
    Mul(&'static Design),
    Dot(DotInstance),
}

impl Subject {
    /// The design's name (`rf8_mul`, `dot_rf8_n8`).
    pub fn name(&self) -> String {
        match self {
            Subject::Mul(m) => m.name().to_string(),
            Subject::Dot(u) => u.name(),
        }
    }

    /// Lanes: 1 for a multiplier.
    pub fn lanes(&self) -> usize {
        match self {
            Subject::Mul(_) => 1,
            Subject::Dot(u) => u.lanes,
        }
    }

    /// The multiplier design the subject is (or is built around).
    pub fn multiplier(&self) -> &'static str {
        match self {
            Subject::Mul(m) => m.name(),
            Subject::Dot(u) => u.design.multiplier,
        }
    }

    /// Module name and Verilog at pipeline depth `pipeline`.
    pub fn rtl(&self, pipeline: usize) -> Result<(String, String), GenError> {
        match self {
            Subject::Mul(m) => crate::generate::rtl(m, pipeline),
            Subject::Dot(u) => crate::generate::dot_rtl(u, DEFAULT_HEADROOM, pipeline),
        }
    }

    /// Input and output ports.
    pub fn ports(&self) -> (Vec<Port>, Vec<Port>) {
        match self {
            Subject::Mul(m) => (
                vec![Port::new("a", m.width()), Port::new("b", m.width())],
                vec![Port::new("y", m.out_width())],
            ),
            Subject::Dot(u) => {
                crate::verify::dot::ports(u.design.reference, u.lanes, DEFAULT_HEADROOM)
            }
        }
    }
}
