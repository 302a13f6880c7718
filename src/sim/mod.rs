//! Simulating Verilog: Verilator (fast, compiled) and Icarus Verilog (an
//! independent second simulator). Both evaluate batches of operand pairs
//! on a design under test and return its outputs; neither knows anything
//! about the arithmetic, which stays in the references.

pub mod bus;
pub mod cache;
pub mod icarus;
pub mod seq;
pub mod source;
pub mod verilator;

use std::path::PathBuf;

use source::Sources;

/// A Verilog design under test, seen through `rf8_dut`: a generated
/// module with ports `clk`, `rst`, `a`, `b` and `y` that instantiates
/// the design's top and connects its ports by name (see
/// [`crate::verify::interface`]).
#[derive(Clone, Debug)]
pub struct Dut {
    /// Name of the design's top module (for messages and cache names).
    pub top: String,
    /// The design's sources.
    pub sources: Sources,
    /// The Verilog of `module rf8_dut(clk, rst, a, b, y)`.
    pub wrapper: String,
    /// Width of `a` and `b` (at most 16).
    pub width: u32,
    /// Width of `y` (at most 16).
    pub out_width: u32,
    /// Latency: `y` appears this many rising edges after `a`, `b`.
    pub depth: usize,
    /// Clock cycles with `rst` high before the first pair (0: none).
    pub reset_cycles: usize,
    /// True when the design has a clock (it toggles only then).
    pub clocked: bool,
    /// Copies of the design Verilator evaluates at once (more copies run
    /// faster and build slower: a mapped netlist of thousands of cells
    /// wants one). Not a dot-product unit's lanes.
    pub copies: usize,
}

impl Dut {
    /// Copies evaluated at once.
    pub fn copies(&self) -> usize {
        self.copies
    }

    /// The same design read with another latency.
    pub fn with_depth(&self, depth: usize) -> Dut {
        Dut {
            depth,
            ..self.clone()
        }
    }
}

/// Which simulator runs the Verilog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Simulator {
    /// Verilator, compiled to C++ (default).
    Verilator,
    /// Icarus Verilog, interpreted.
    Icarus,
}

impl Simulator {
    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Simulator::Verilator => "verilator",
            Simulator::Icarus => "icarus",
        }
    }
}

/// Why a simulation could not run.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A tool is not installed.
    #[error("{tool} not found: install the Debian package '{package}' (or run `make deps`)")]
    MissingTool {
        /// The command.
        tool: &'static str,
        /// The Debian package that provides it.
        package: &'static str,
    },
    /// The simulator rejected the Verilog or the harness did not build.
    #[error("{tool} could not build {top}: {first_line} (full log: {})", log.display())]
    Build {
        /// The tool that failed.
        tool: &'static str,
        /// The top module.
        top: String,
        /// The first error line of the log.
        first_line: String,
        /// The full log.
        log: PathBuf,
    },
    /// The simulation process failed while running.
    #[error("{0}")]
    Run(String),
    /// The design did not settle (a combinational loop that oscillates)
    /// while these pairs were applied.
    #[error("the design does not settle ({message})")]
    Unsettled {
        /// The pairs being evaluated when the simulator gave up.
        pairs: Vec<(u16, u16)>,
        /// What the simulator said.
        message: String,
    },
    /// File or pipe trouble.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A tool hung (killed at its deadline) or could not be started.
    #[error(transparent)]
    Tool(#[from] crate::tools::ToolError),
}

/// Fails with [`SimError::MissingTool`] unless `tool --version` starts
/// and ends (a tool that hangs there counts as missing).
pub fn require(tool: &'static str, package: &'static str) -> Result<(), SimError> {
    if crate::tools::starts(tool) {
        Ok(())
    } else {
        Err(SimError::MissingTool { tool, package })
    }
}

/// The first line of a build log that looks like an error.
pub fn first_error(log: &str) -> String {
    let line = log
        .lines()
        .find(|l| l.contains("%Error") || l.contains("error") || l.contains("Error"))
        .or_else(|| log.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("no output")
        .trim()
        .to_string();
    match missing_module(&line) {
        Some(m) => format!(
            "{line} (no file given defines module '{m}': add the file that does with another --rtl, or list it in the -f file)"
        ),
        None => line,
    }
}

/// [`first_error`] of a build of `sources`: a missing module's hint also
/// names the files that were read.
pub fn build_error(log: &str, sources: &source::Sources) -> String {
    let line = first_error(log);
    if !line.contains("no file given defines module") {
        return line;
    }
    let files: Vec<String> = sources.files.iter().map(|f| f.label()).collect();
    format!("{line}; files read: {}", files.join(", "))
}

/// The module a simulator could not find, from its error line (Verilator:
/// `Cannot find file containing module: 'X'`; Icarus: `Unknown module
/// type: X`).
fn missing_module(line: &str) -> Option<&str> {
    let rest = line
        .split_once("Cannot find file containing module: ")
        .or_else(|| line.split_once("Unknown module type: "))?
        .1;
    let name = rest.trim().trim_matches(|c| c == '\'' || c == '"');
    let end = name
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(name.len());
    (end > 0).then(|| &name[..end])
}

/// A wrapper module `rf8_lanes` with [`Dut::copies`] copies of the design, so that
/// one evaluation computes that many products.
pub fn copies_wrapper(dut: &Dut) -> String {
    let (w, wy) = (dut.width as usize, dut.out_width as usize);
    let lanes = dut.copies();
    let bits = lanes * w - 1;
    let ybits = lanes * wy - 1;
    let body = format!(
        "\x20   genvar i;\n\
         \x20   generate\n\
         \x20       for (i = 0; i < {lanes}; i = i + 1) begin : lane\n\
         \x20           rf8_dut u(.clk(clk), .rst(rst), .a(a[i*{w} +: {w}]), .b(b[i*{w} +: {w}]), .y(y[i*{wy} +: {wy}]));\n\
         \x20       end\n\
         \x20   endgenerate\n"
    );
    format!(
        "// Generated by rf8 verify: {lanes} lanes of {top}.\n\
         module rf8_lanes(clk, rst, a, b, y);\n\
         \x20   input wire clk;\n\
         \x20   input wire rst;\n\
         \x20   input wire [{bits}:0] a;\n\
         \x20   input wire [{bits}:0] b;\n\
         \x20   output wire [{ybits}:0] y;\n\
         {body}\
         endmodule\n",
        top = dut.top,
    )
}

#[cfg(test)]
mod missing_module_tests {
    use super::*;

    #[test]
    fn a_missing_module_is_named_with_a_hint() {
        let verilator =
            "%Warning-X: ...\n%Error: dut.v:3:5: Cannot find file containing module: 'fp16_core'\n";
        let icarus = "/x/fp16_trunc.v:4: error: Unknown module type: fp16_core\n2 error(s) during elaboration.\n";
        for log in [verilator, icarus] {
            let line = first_error(log);
            assert!(
                line.ends_with("(no file given defines module 'fp16_core': add the file that does with another --rtl, or list it in the -f file)"),
                "{line}"
            );
        }
        assert_eq!(
            first_error("%Error: syntax error\n"),
            "%Error: syntax error"
        );
    }
}
