//! The options that describe a user's own design (`--rtl`, `-f`, `-I`,
//! `-D`, `--top`, `--port`, `--tie`, `--clock`, `--reset`, `--latency`),
//! shared by `rf8 verify` and `rf8 prove` so that both read a design the
//! same way.

use std::path::PathBuf;

use clap::Args;
use rf8::sim::source::gather;
use rf8::verify::interface::Request;
use rf8::verify::{Latency, UserRtl};

use super::Failure;

#[derive(Args)]
pub struct RtlArgs {
    /// Your own Verilog or SystemVerilog (.sv) instead of the generated
    /// design (repeatable; needs exactly one --design)
    #[arg(long, value_name = "FILE")]
    pub rtl: Vec<PathBuf>,
    /// Include directory for `include (repeatable)
    #[arg(short = 'I', value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Preprocessor define NAME or NAME=VALUE (repeatable)
    #[arg(short = 'D', value_name = "NAME[=VALUE]")]
    pub define: Vec<String>,
    /// File list: source files, +incdir+, +define+, -I, -D, -f (repeatable)
    #[arg(short = 'f', value_name = "FILELIST")]
    pub file_list: Vec<PathBuf>,
    /// Top module of --rtl (default: the module named after the design, else
    /// the only module no other instantiates)
    #[arg(long, value_name = "MODULE")]
    pub top: Option<String>,
    /// Connect a harness port to a port of the top: a=NAME, b=NAME, y=NAME
    /// (default: a, b, y)
    #[arg(long = "port", value_name = "ROLE=NAME")]
    pub ports: Vec<String>,
    /// Hold another input at a constant: NAME=VALUE (0, 5, 0x1f, 2'b01)
    #[arg(long = "tie", value_name = "NAME=VALUE")]
    pub ties: Vec<String>,
    /// Clock input of --rtl (default: an input named clk, clock, clk_i, i_clk or aclk)
    #[arg(long, value_name = "NAME")]
    pub clock: Option<String>,
    /// Reset input of --rtl, held for --reset-cycles cycles before the first
    /// pair; active high unless NAME:active-low
    #[arg(long, value_name = "NAME[:active-low]")]
    pub reset: Option<String>,
    /// Latency of --rtl in clock cycles, or `auto` to find it from directed
    /// vectors (default: --pipeline)
    #[arg(long, value_name = "N|auto")]
    pub latency: Option<String>,
}

impl RtlArgs {
    /// The user's design (`None`: the generated one), for `designs`
    /// designs named on the command line (it needs exactly one).
    pub fn user_rtl(&self, designs: usize) -> Result<Option<UserRtl>, Failure> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let sources = gather(
            &cwd,
            &self.file_list,
            &self.rtl,
            &self.include,
            &self.define,
        )
        .map_err(Failure::usage)?;
        let connection = !self.ports.is_empty()
            || !self.ties.is_empty()
            || self.clock.is_some()
            || self.reset.is_some()
            || self.top.is_some()
            || self.latency.is_some();
        if sources.files.is_empty() {
            if connection || !sources.include_dirs.is_empty() || !sources.defines.is_empty() {
                return Err(Failure::usage(
                    "--top, --port, --tie, --clock, --reset, --latency, -I and -D describe your own design: give it with --rtl FILE or -f FILELIST",
                ));
            }
            return Ok(None);
        }
        if designs != 1 {
            return Err(Failure::usage(
                "--rtl needs exactly one --design: the design the files implement",
            ));
        }
        Ok(Some(UserRtl {
            sources,
            request: Request {
                top: self.top.clone(),
                ports: self.ports.clone(),
                ties: self.ties.clone(),
                clock: self.clock.clone(),
                reset: self.reset.clone(),
            },
        }))
    }

    /// `--latency`, parsed.
    pub fn latency(&self) -> Result<Option<Latency>, Failure> {
        self.latency
            .as_deref()
            .map(|t| t.parse().map_err(Failure::usage))
            .transpose()
    }
}
