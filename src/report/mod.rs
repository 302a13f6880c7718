//! `rf8 report`: the project's main job. From the Rust description to one
//! report: `gen` (the Verilog), `verify` (both simulators), `area` (four
//! FPGA families, Fmax), `datapath` (the dot-product units), `error` (the
//! paper's presets, products, y = W x), `bench` (the GEMV kernels) and
//! `model` (a real model through every format and kernel), written to DIR
//! as `index.md`, `summary.json`, one CSV per table and SVG charts.
//!
//! A step that fails is reported in its section with the reason and its
//! log; the other steps still run, and [`Built::failed`] names it. The
//! library does the work and renders every table, chart and file; `rf8
//! report` only parses its arguments and prints what [`run`] returns.

mod area;
mod bench;
mod datapath;
mod error;
mod format;
mod gen;
mod mac;
mod model;
mod summary;
mod synthesis;
mod verify;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};

/// What to build and where.
#[derive(Clone, Debug)]
pub struct Config {
    /// The report's directory (replaced whole at the end).
    pub out: PathBuf,
    /// Fewer samples, vectors and devices, a smaller GEMV.
    pub quick: bool,
    /// A tensor file whose error is measured too.
    pub tensor: Option<PathBuf>,
    /// The model of step "The model" (default: the cached
    /// all-MiniLM-L6-v2).
    pub model: Option<PathBuf>,
}

/// Why no report could be written: bad input or an unwritable directory
/// (a step that fails is not this; it is reported inside the report).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ReportError(pub String);

/// A report that was written: its summary as text, and the steps that
/// failed (empty when every step ran clean).
#[derive(Debug)]
pub struct Built {
    pub text: String,
    pub failed: Vec<&'static str>,
}

/// What every step sees.
pub struct Ctx {
    pub out: PathBuf,
    pub quick: bool,
    pub tensor: Option<PathBuf>,
    pub model: Option<PathBuf>,
    log: PathBuf,
}

impl Ctx {
    /// Appends a line to the current step's log.
    pub fn log(&self, line: impl AsRef<str>) {
        if let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
        {
            let _ = writeln!(f, "{}", line.as_ref());
        }
    }

    /// Writes a file of the report (through a temporary file); returns its
    /// path relative to the report directory.
    pub fn write(&self, name: &str, text: &str) -> Result<String, StepFail> {
        let path = self.out.join(name);
        crate::fsutil::write_atomic(&path, text)
            .map_err(|e| self.fail(format!("cannot write {}: {e}", path.display())))?;
        Ok(name.to_string())
    }

    /// Draws an SVG of the report with `draw(tmp_path)`.
    pub fn svg(
        &self,
        name: &str,
        draw: impl FnOnce(&Path) -> Result<(), String>,
    ) -> Result<String, StepFail> {
        let path = self.out.join(name);
        crate::fsutil::replace_with(&path, |tmp| draw(tmp).map_err(std::io::Error::other))
            .map_err(|e| self.fail(format!("cannot draw {}: {e}", path.display())))?;
        Ok(name.to_string())
    }

    /// A failure of the current step, logged, pointing at its log.
    pub fn fail(&self, reason: impl Into<String>) -> StepFail {
        let reason = reason.into();
        self.log(format!("FAILED: {reason}"));
        StepFail { reason }
    }
}

/// A step's result: its section of `index.md`, its JSON, and the problems
/// that did not stop it (a missing simulator, a mismatch).
#[derive(Default)]
pub struct StepOut {
    pub markdown: String,
    pub json: serde_json::Value,
    pub problems: Vec<String>,
}

/// A step that could not run at all (the reason; the details are in the
/// step's log).
#[derive(Debug)]
pub struct StepFail {
    pub reason: String,
}

/// What the steps measured, for the summary.
#[derive(Default)]
pub struct Results {
    pub area: Vec<crate::area::AreaRow>,
    pub verify: Vec<verify::Row>,
    pub presets: Vec<error::PresetRow>,
    pub products: Vec<crate::stats::products::ProductStats>,
    pub bench: Option<crate::kernel::bench::Report>,
    pub model: Option<crate::model::eval::Evaluation>,
}

type Step = fn(&Ctx, &mut Results, &ProgressBar) -> Result<StepOut, StepFail>;

const STEPS: [(&str, &str, Step); 7] = [
    ("gen", "Generated Verilog", gen::run),
    ("verify", "Verification", verify::run),
    ("area", "Area and Fmax", area::run),
    ("datapath", "The inference datapath", datapath::run),
    ("error", "Error", error::run),
    ("bench", "GEMV kernels", bench::run),
    ("model", "The model", model::run),
];

/// One step's outcome in `summary.json`.
#[derive(serde::Serialize)]
struct StepRecord {
    name: &'static str,
    ok: bool,
    seconds: f64,
    problems: Vec<String>,
    log: String,
    result: serde_json::Value,
}

fn bar(name: &str) -> ProgressBar {
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        return ProgressBar::hidden();
    }
    let b = ProgressBar::new_spinner();
    b.set_style(
        ProgressStyle::with_template("{spinner} report: {prefix} {msg} [{elapsed}]")
            .expect("template"),
    );
    b.set_prefix(name.to_string());
    b.enable_steady_tick(std::time::Duration::from_millis(120));
    b
}

/// A directory `rf8 report` may replace: empty, or an earlier report.
fn replaceable(dir: &Path) -> bool {
    let empty = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none());
    let report = std::fs::read_to_string(dir.join("summary.json"))
        .is_ok_and(|t| t.contains("\"generated_by\": \"rf8 "));
    empty || report
}

/// Builds the report in a staging directory beside `--out` and puts it in
/// place at the end: a run that is killed or fails to write leaves the
/// previous report whole.
pub fn run(args: &Config) -> Result<Built, ReportError> {
    if let Some(dir) = &args.model {
        crate::model::check_dir(dir).map_err(|e| ReportError(format!("--model: {e}")))?;
    }
    let cannot = |e: std::io::Error| ReportError(format!("--out: {e}"));
    let staged = crate::fsutil::StagedDir::new(&args.out, replaceable).map_err(cannot)?;
    let mut built = build(args, staged.path())?;
    staged.commit().map_err(|e| {
        ReportError(format!(
            "cannot put the report in {}: {e}",
            args.out.display()
        ))
    })?;
    built.text += &format!("\nreport: {}\n", args.out.join("index.md").display());
    Ok(built)
}

/// Every step into `dir` (the staging directory; messages name `--out`).
fn build(args: &Config, dir: &Path) -> Result<Built, ReportError> {
    let logs = dir.join("logs");
    std::fs::create_dir_all(&logs)
        .map_err(|e| ReportError(format!("cannot create {}: {e}", logs.display())))?;
    let mut results = Results::default();
    let mut records = Vec::new();
    let mut sections = String::new();
    for (name, title, step) in STEPS {
        let ctx = Ctx {
            out: dir.to_path_buf(),
            quick: args.quick,
            tensor: args.tensor.clone(),
            model: args.model.clone(),
            log: logs.join(format!("{name}.log")),
        };
        let _ = std::fs::remove_file(&ctx.log);
        ctx.log(format!("rf8 report: step {name}"));
        let b = bar(name);
        let start = Instant::now();
        let outcome = step(&ctx, &mut results, &b);
        let seconds = start.elapsed().as_secs_f64();
        b.finish_and_clear();
        let log = format!("logs/{name}.log");
        if let Ok(o) = &outcome {
            for p in &o.problems {
                ctx.log(format!("PROBLEM: {p}"));
            }
        }
        let (ok, body, problems, json) = match outcome {
            Ok(o) => (o.problems.is_empty(), o.markdown, o.problems, o.json),
            Err(f) => (
                false,
                String::new(),
                vec![f.reason],
                serde_json::Value::Null,
            ),
        };
        eprintln!(
            "rf8 report: {name} {} in {seconds:.1} s{}",
            if ok { "done" } else { "FAILED" },
            if ok {
                String::new()
            } else {
                format!(" (see {})", args.out.join(&log).display())
            }
        );
        sections += &format!("## {title}\n\n");
        if !ok {
            sections += &format!("**Step failed** (log: [`{log}`]({log})):\n\n");
            for p in &problems {
                sections += &format!("* {p}\n");
            }
            sections.push('\n');
        }
        sections += &body;
        sections.push('\n');
        records.push(StepRecord {
            name,
            ok,
            seconds,
            problems,
            log,
            result: json,
        });
    }
    let failed: Vec<&str> = records.iter().filter(|r| !r.ok).map(|r| r.name).collect();
    let summary = summary::build(&results, args.quick);
    let json = serde_json::json!({
        "generated_by": format!("rf8 {}", env!("CARGO_PKG_VERSION")),
        "date": summary::utc_now(),
        "git_commit": summary::git_commit(),
        "tools": summary::tool_versions(),
        "quick": args.quick,
        "failed_steps": failed,
        "summary": summary.json,
        "steps": records,
    });
    let index = format!(
        "# RF8 evaluation report\n\n{}{}\n{sections}## Appendix: the RF8 values\n\n```text\n{}```\n",
        summary::header(&json),
        summary.markdown,
        format::value_grid()
    );
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        crate::fsutil::write_atomic(&path, text)
            .map_err(|e| ReportError(format!("cannot write {}: {e}", path.display())))
    };
    write("summary.csv", &summary.table.csv())?;
    write(
        "summary.json",
        &(serde_json::to_string_pretty(&json).unwrap_or_default() + "\n"),
    )?;
    write("index.md", &index)?;
    let mut text = summary.markdown.clone();
    if !failed.is_empty() {
        text += &format!("failed steps: {}\n", failed.join(", "));
    }
    Ok(Built { text, failed })
}
