//! What a verification run found: per simulator a report (pairs,
//! mismatches by cause with counterexamples, warnings, timing), and the
//! disagreements between simulators.

use super::*;
use crate::formats::minifloat::Flags;

/// One disagreement between the Verilog and the reference.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Counterexample {
    pub a: u32,
    pub b: u32,
    /// The Verilog's output ([`icarus::X_CODE`] for an X or Z output).
    pub got: u32,
    pub expected: u32,
    /// The flags given and expected, with `--flags` (`nv,nx`, `-`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub got_flags: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_flags: Option<String>,
    pub cause: Cause,
    pub a_value: f64,
    pub b_value: f64,
    /// `null` for an X or Z output.
    pub got_value: Option<f64>,
    pub expected_value: f64,
    /// The exact product of the decoded operands (`null` for NaN or Inf).
    pub exact_product: Option<f64>,
}

/// Mismatches of one cause.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CauseCount {
    pub cause: Cause,
    pub count: u64,
    /// The first [`EXAMPLES_PER_CAUSE`] in vector order.
    pub examples: Vec<Counterexample>,
    /// The kinds of mismatch within the cause, each with its count and
    /// first example.
    pub kinds: Vec<KindCount>,
}

/// Mismatches of one kind within a cause ([`cause::Judge::kind`]).
#[derive(Clone, Debug, serde::Serialize)]
pub struct KindCount {
    pub kind: String,
    pub count: u64,
    pub example: Counterexample,
}

/// Mismatches of one exception flag (`--flags`).
#[derive(Clone, Debug, serde::Serialize)]
pub struct FlagCount {
    pub flag: String,
    pub count: u64,
}

/// A design that did not settle.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Unsettled {
    /// The pair applied when the simulator gave up (if it could be told).
    pub pair: Option<(u32, u32)>,
    pub message: String,
}

/// How `--latency auto` decided.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LatencySearch {
    /// Directed pairs tried at each latency.
    pub pairs: u64,
    /// `(latency, mismatches)` for each latency tried, in order.
    pub tried: Vec<(usize, u64)>,
    pub chosen: usize,
}

/// The outcome of one design in one simulator.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    pub design: String,
    pub module: String,
    pub simulator: Simulator,
    /// `generated` or the user's files.
    pub rtl: String,
    /// How the top's ports are connected.
    pub interface: String,
    pub latency: usize,
    pub latency_search: Option<LatencySearch>,
    pub nan: NanPolicy,
    pub exhaustive: bool,
    pub pairs: u64,
    pub mismatches: u64,
    /// Counts per cause (causes without mismatches left out).
    pub causes: Vec<CauseCount>,
    /// With `--flags`: mismatches per flag, whatever the result, and the
    /// flag order read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<FlagCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag_order: Option<String>,
    pub unsettled: Option<Unsettled>,
    /// The simulator's warnings about the design.
    pub warnings: Vec<String>,
    /// Things worth knowing (a clock found by its name, a hint).
    pub notes: Vec<String>,
    /// Lines of a `--vectors-file` whose result differs from the
    /// reference's (the file's conventions, not the design).
    pub file_disagreements: Option<FileDisagreements>,
    /// Simulation and comparison time, without building the simulator.
    pub seconds: f64,
    pub pairs_per_second: f64,
    /// Time spent building (or finding in the cache) the simulator.
    pub build_seconds: f64,
    /// Every mismatch up to `max_mismatches`, in vector order.
    #[serde(skip)]
    pub list: Vec<Mismatch>,
    /// Every output (kept for comparing two simulators; not for sweeps).
    #[serde(skip)]
    pub outputs: Vec<u32>,
}

impl Report {
    /// True when the design failed (mismatches, or it did not settle).
    pub fn failed(&self) -> bool {
        self.mismatches > 0 || self.unsettled.is_some()
    }
}

/// Disagreements between a vectors file and the reference.
#[derive(Clone, Debug, serde::Serialize)]
pub struct FileDisagreements {
    pub count: u64,
    /// First few: (a, b, file's result, reference's result).
    pub examples: Vec<(u32, u32, u32, u32)>,
}

/// One mismatch, as written to the `--mismatches` file.
#[derive(Clone, Copy, Debug)]
pub struct Mismatch {
    pub a: u32,
    pub b: u32,
    pub got: u32,
    pub expected: u32,
    pub cause: Cause,
    /// With `--flags`: the flags given and expected.
    pub flags: Option<(Flags, Flags)>,
}

/// Where two simulators' outputs differ.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Disagreement {
    pub pairs: u64,
    pub differing: u64,
    /// First few: (a, b, first simulator's y, second's y, reference).
    pub examples: Vec<(u32, u32, u32, u32, u32)>,
}

/// The reports of one design (one per simulator), and how the simulators
/// compare.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Outcome {
    pub reports: Vec<Report>,
    pub disagreement: Option<Disagreement>,
}

impl Outcome {
    pub fn failed(&self) -> bool {
        self.reports.iter().any(Report::failed)
            || self.disagreement.as_ref().is_some_and(|d| d.differing > 0)
    }
}

/// One simulator's verdict on a dot-product unit.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DotReport {
    pub simulator: Simulator,
    pub vectors: usize,
    pub mismatches: usize,
    /// Wall time of the simulation (build included when not cached).
    pub seconds: f64,
    /// The first mismatches, described.
    pub first: Vec<String>,
}

/// A dot-product unit's verdicts (one per simulator).
#[derive(Clone, Debug, serde::Serialize)]
pub struct DotOutcome {
    pub unit: String,
    /// True when every pair was simulated against every accumulator edge.
    pub exhaustive: bool,
    pub directed: usize,
    /// True for a MAC unit: `vectors` and `directed` count groups, each
    /// one cycle of a dot product (spec section 9).
    pub sequential: bool,
    pub reports: Vec<DotReport>,
}

impl DotOutcome {
    /// True when some simulator found a mismatch.
    pub fn failed(&self) -> bool {
        self.reports.iter().any(|r| r.mismatches > 0)
    }
}

/// What verifying one unit found, whatever its kind: the one result type
/// of [`super::verify_unit`], rendered by [`super::render::summary`].
#[derive(Clone, Debug)]
pub enum UnitOutcome {
    /// A multiplier: reports per simulator with causes and counterexamples.
    Multiplier(Outcome),
    /// A dot-product unit: vectors and the first mismatches per simulator.
    Dot(DotOutcome),
}

impl UnitOutcome {
    /// True when a simulator found a mismatch (or the simulators disagree,
    /// or the design did not settle).
    pub fn failed(&self) -> bool {
        match self {
            UnitOutcome::Multiplier(o) => o.failed(),
            UnitOutcome::Dot(o) => o.failed(),
        }
    }

    /// Per simulator, in the order run: (simulator, vectors, mismatches,
    /// seconds, why it could not finish).
    pub fn runs(&self) -> Vec<Run> {
        match self {
            UnitOutcome::Multiplier(o) => o
                .reports
                .iter()
                .map(|r| Run {
                    simulator: r.simulator,
                    vectors: r.pairs,
                    mismatches: r.mismatches,
                    seconds: r.seconds,
                    error: r
                        .unsettled
                        .as_ref()
                        .map(|u| format!("the design did not settle: {}", u.message)),
                })
                .collect(),
            UnitOutcome::Dot(o) => o
                .reports
                .iter()
                .map(|r| Run {
                    simulator: r.simulator,
                    vectors: r.vectors as u64,
                    mismatches: r.mismatches as u64,
                    seconds: r.seconds,
                    error: None,
                })
                .collect(),
        }
    }
}

/// One simulator's run on one unit, whatever its kind.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Run {
    pub simulator: Simulator,
    /// Pairs (a multiplier) or vectors (a dot-product unit) simulated.
    pub vectors: u64,
    pub mismatches: u64,
    pub seconds: f64,
    /// Why the run could not finish, if it could not.
    pub error: Option<String>,
}

/// Why verification could not run (as opposed to finding mismatches).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error("{0}")]
    Input(String),
}
