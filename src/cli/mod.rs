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
mod rtl_args;
mod table;
mod verify;

use std::ffi::OsString;
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
