//! The hardware: one rust-hdl design per multiplier, beside its reference
//! in `src/formats/`, and the generator that turns them into Verilog.
//! Designs read their constants from the reference's format description;
//! the reference never reads the designs (`crate::catalog` pairs them).
//!
//! Every design is a single combinational module with inputs `a`, `b` and
//! output `y`; see `docs/architecture.md`.

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
pub mod inline;
pub mod int8_mul;
pub mod lite_mul;
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

/// The generated Verilog file of a catalogue design at a pipeline depth:
/// module name and text, starting with the header comment.
/// Fails unless `d` can be pipelined `depth` deep (one register per step
/// boundary at most), with the one-line reason.
pub fn check_depth(d: &crate::catalog::Design, depth: usize) -> Result<(), String> {
    let max = d.hardware.stages.len();
    if depth > max {
        return Err(format!(
            "--pipeline {depth}: {} has at most {max} pipeline registers",
            d.reference.name()
        ));
    }
    Ok(())
}

/// The Verilog of `d` at pipeline depth `depth`: its module name and text.
pub fn rtl(d: &crate::catalog::Design, depth: usize) -> Result<(String, String), GenError> {
    let (m, hw) = (d.reference, &d.hardware);
    let comb = (hw.verilog)(m.name())?;
    let body = if depth == 0 {
        comb
    } else {
        pipeline::pipeline(&comb, m.name(), hw.stages, depth)?
    };
    let module = module_name(m.name(), depth);
    let timing = if depth == 0 {
        "combinational".to_string()
    } else {
        format!("clk, y appears {depth} cycle(s) after a and b")
    };
    let ports = if m.out_width() == m.width() {
        format!("a, b, y ({} bits)", m.width())
    } else {
        format!("a, b ({} bits), y ({} bits)", m.width(), m.out_width())
    };
    let header = format!(
        "// {module}: {summary}\n\
         // Arithmetic: rf8-spec.md section {section}. Ports: {ports}; {timing}.\n\
         // Generated by rf8 gen {version} (rust-hdl 0.46) from {source}.\n\
         // Generated file, do not edit: regenerate with `make rtl`.\n\n",
        summary = m.summary(),
        section = m.spec_section(),
        version = env!("CARGO_PKG_VERSION"),
        source = hw.source,
    );
    Ok((module, header + &body))
}

/// Module name of a dot-product unit at headroom `h` and pipeline depth
/// `depth`: `dot_rf8_n8`, with `_h<H>` when `h` is not the spec's default
/// and the unit is fixed-point, and `_p<N>` when pipelined.
pub fn dot_module_name(unit: &crate::catalog::DotInstance, h: u32, depth: usize) -> String {
    let fixed = matches!(
        unit.design.reference.accumulator,
        crate::formats::dot::Accumulator::Fixed { .. }
    );
    let base = if fixed && h != dot::DEFAULT_HEADROOM {
        format!("{}_h{h}", unit.name())
    } else {
        unit.name()
    };
    module_name(&base, depth)
}

/// Fails unless `unit` can be pipelined `depth` deep (one register per cut
/// at most), with the one-line reason.
pub fn check_dot_depth(unit: &crate::catalog::DotInstance, depth: usize) -> Result<(), String> {
    let max = (unit.design.hardware.cuts)(unit.lanes).len();
    if depth > max {
        return Err(format!(
            "--pipeline {depth}: {} has at most {max} pipeline registers",
            unit.name()
        ));
    }
    Ok(())
}

/// The Verilog of a dot-product unit at headroom `h` and pipeline depth
/// `depth`: its module name and text, starting with the header comment.
pub fn dot_rtl(
    unit: &crate::catalog::DotInstance,
    h: u32,
    depth: usize,
) -> Result<(String, String), GenError> {
    use crate::formats::dot::Accumulator;
    let comb = dot_module_name(unit, h, 0);
    let r = unit.design.reference;
    let hw = &unit.design.hardware;
    let mut body = (hw.verilog)(unit.lanes, h, &comb)?;
    if depth > 0 {
        let outputs: &[&str] = if r.has_invalid {
            &["acc_out", "invalid"]
        } else {
            &["acc_out"]
        };
        body = pipeline_cuts::pipeline_cuts(&body, &comb, &(hw.cuts)(unit.lanes), depth, outputs)?;
    }
    let module = module_name(&comb, depth);
    let cw = r.operands.width();
    let acc = match r.accumulator {
        Accumulator::Fixed { lsb_log2, .. } => format!(
            "acc_in, acc_out ({} bits, two's complement, LSB 2^{lsb_log2}, headroom {h}, wrapping)",
            r.acc_width(h)
        ),
        Accumulator::Float32 => "acc_in, acc_out (binary32 codes)".to_string(),
    };
    let invalid = if r.has_invalid {
        "; invalid (a NaN operand)"
    } else {
        ""
    };
    let timing = if depth == 0 {
        "combinational".to_string()
    } else {
        format!("clk, acc_out appears {depth} cycle(s) after a, b and acc_in")
    };
    let header = format!(
        "// {module}: {lanes}-lane {display} dot product, acc_out = acc_in + sum a[i] * b[i].\n\
         // Arithmetic: rf8-spec.md section 8. Ports: a, b ({bus} bits: lane i in [{cw}*i +: {cw}]); {acc}{invalid}; {timing}.\n\
         // Generated by rf8 gen {version} (rust-hdl 0.46) from {source}.\n\
         // Generated file, do not edit: regenerate with `make rtl`.\n\n",
        lanes = unit.lanes,
        display = unit.design.display,
        bus = cw as usize * unit.lanes,
        version = env!("CARGO_PKG_VERSION"),
        source = hw.source,
    );
    Ok((module, header + &body))
}
