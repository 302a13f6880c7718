//! Verification of Verilog against the references: the generated RTL, or
//! a user's design connected through [`interface`], is simulated on a
//! vector set (or every pair) in Verilator, Icarus or both, and each output
//! is compared bit for bit with the reference multiplier. Mismatches are
//! counted per [`cause::Cause`]; where the reference result is NaN the
//! [`cause::NanPolicy`] says which codes count as right.

pub mod bus_vector;
pub mod cause;
pub mod dot;
pub mod dot_float;
pub mod interface;
pub mod render;
pub mod replay;
pub mod scan;
pub mod source;
pub mod vectors;
pub mod vectors_file;

use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::designs::module_name;
use crate::generate::rtl;
use crate::sim::verilator::{finish, read_u16s_into, VerilatorModel};
use crate::sim::{icarus, Dut, SimError, Simulator};
use crate::{Design, Multiplier};
use cause::{Cause, Judge, NanPolicy};
use interface::Interface;
use source::Sources;

/// Counterexamples kept per cause.
pub const EXAMPLES_PER_CAUSE: usize = 3;

/// Clock cycles the reset is held by default.
pub const RESET_CYCLES: usize = 4;

/// The largest latency `--latency auto` tries.
pub const MAX_LATENCY: usize = 16;

/// How the design's results are timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Latency {
    /// Results appear this many rising clock edges after the operands.
    Fixed(usize),
    /// Found by trying 0..=[`MAX_LATENCY`] on directed vectors.
    Auto,
}

impl std::str::FromStr for Latency {
    type Err = String;

    /// `auto`, or a number of clock cycles.
    fn from_str(text: &str) -> Result<Latency, String> {
        match text {
            "auto" => Ok(Latency::Auto),
            t => t
                .parse()
                .map(Latency::Fixed)
                .map_err(|_| format!("--latency {t}: a number of clock cycles, or auto")),
        }
    }
}

/// A user's design: its sources and how to connect it.
#[derive(Clone, Debug, Default)]
pub struct UserRtl {
    pub sources: Sources,
    pub request: interface::Request,
}

/// What to verify and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Every pair of a design with more than 2^20 (the 16-bit ones: 2^32);
    /// smaller designs are always simulated on every pair.
    pub exhaustive: bool,
    /// Seeded random pairs added to a large design's directed catalogue.
    pub vectors: u64,
    /// Seed of the random pairs.
    pub seed: u64,
    /// Simulators, in order (two: their outputs are also compared).
    pub simulators: Vec<Simulator>,
    /// Pipeline depth of the generated design (0: combinational); with a
    /// user's design, the default latency and top `<design>_p<N>`.
    pub pipeline: usize,
    /// A user's design instead of the generated one.
    pub user: Option<UserRtl>,
    /// The latency of a user's design (default: `pipeline`).
    pub latency: Option<Latency>,
    /// Clock cycles of the reset sequence (a user's design with a reset).
    pub reset_cycles: usize,
    /// Which NaN codes are right where the reference gives NaN.
    pub nan: NanPolicy,
    /// Mismatches kept for `--mismatches` (all are counted).
    pub max_mismatches: usize,
    /// Pairs from a file instead of the default set.
    pub vectors_file: Option<PathBuf>,
    /// Exactly these pairs (`--replay`).
    pub pairs: Option<Vec<(u16, u16)>>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Copies of the design per Verilator evaluation (see [`Dut::lanes`]).
    pub lanes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            exhaustive: false,
            vectors: 1_000_000,
            seed: 1,
            simulators: vec![Simulator::Verilator],
            pipeline: 0,
            user: None,
            latency: None,
            reset_cycles: RESET_CYCLES,
            nan: NanPolicy::Canonical,
            max_mismatches: 1_000_000,
            vectors_file: None,
            pairs: None,
            progress: false,
            lanes: crate::sim::verilator::LANES,
        }
    }
}

/// Most random pairs: 2^32 is every pair of a 16-bit design
/// (`--exhaustive` simulates them all without holding them in memory).
pub const MAX_VECTORS: u64 = 1 << 32;

/// Bytes held per pair while it is simulated and compared: the pair, the
/// simulator's output twice over and the index of a mismatch.
const BYTES_PER_PAIR: u128 = 24;

impl Options {
    /// Checks the sizes and the pipeline depth against every design to be
    /// verified, before anything runs (one-line reasons).
    pub fn check(&self, designs: &[&Design]) -> Result<(), VerifyError> {
        use crate::limits::{bytes_for, check_memory, check_range};
        let input = |e: crate::limits::LimitError| VerifyError::Input(e.to_string());
        check_range(
            "--vectors",
            self.vectors as u128,
            0,
            MAX_VECTORS as u128,
            "2^32 is every pair of a 16-bit design; --exhaustive simulates all of them",
        )
        .map_err(input)?;
        check_memory(
            &format!("--vectors {}", self.vectors),
            bytes_for(self.vectors as u128, BYTES_PER_PAIR, 0),
        )
        .map_err(input)?;
        check_range(
            "--max-mismatches",
            self.max_mismatches as u128,
            0,
            1 << 28,
            "each kept mismatch is a CSV line; all of them are counted",
        )
        .map_err(input)?;
        check_range(
            "--lanes",
            self.lanes as u128,
            1,
            64,
            "copies of the design per evaluation",
        )
        .map_err(input)?;
        check_range(
            "--reset-cycles",
            self.reset_cycles as u128,
            1,
            1 << 20,
            "a reset sequence of up to 2^20 clock cycles",
        )
        .map_err(input)?;
        if let Some(Latency::Fixed(l)) = self.latency {
            check_range(
                "--latency",
                l as u128,
                0,
                1024,
                "a multiplier's result within 1024 clock cycles",
            )
            .map_err(input)?;
        }
        if self.user.is_none() {
            for d in designs {
                crate::generate::check_depth(d, self.pipeline).map_err(VerifyError::Input)?;
            }
        }
        if self.exhaustive && self.simulators.contains(&Simulator::Icarus) {
            return Err(VerifyError::Input(
                "an exhaustive 16-bit sweep needs --simulator verilator (Icarus would take weeks)"
                    .into(),
            ));
        }
        Ok(())
    }
}

/// One disagreement between the Verilog and the reference.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Counterexample {
    pub a: u32,
    pub b: u32,
    /// The Verilog's output ([`icarus::X_CODE`] for an X or Z output).
    pub got: u32,
    pub expected: u32,
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

/// Why verification could not run (as opposed to finding mismatches).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error("{0}")]
    Input(String),
}

/// The design under test, connected.
pub struct Prepared {
    pub dut: Dut,
    pub interface: Interface,
    pub rtl: String,
    pub notes: Vec<String>,
    pub latency: Latency,
}

/// Connects the generated design or the user's (finding the top and its
/// ports, checking every name) without running anything.
pub fn prepare(m: &Design, opts: &Options) -> Result<Prepared, VerifyError> {
    let default_top = module_name(m.name(), opts.pipeline);
    let (sources, interface, notes, label) = match &opts.user {
        None => {
            let (_, text) = rtl(m, opts.pipeline).map_err(|e| VerifyError::Input(e.to_string()))?;
            (
                Sources::text("design.v", text),
                Interface::generated(&default_top, opts.pipeline > 0),
                Vec::new(),
                "generated".to_string(),
            )
        }
        Some(user) => {
            let label = user
                .sources
                .files
                .iter()
                .map(|f| f.label())
                .collect::<Vec<_>>()
                .join(" ");
            let mut modules = Vec::new();
            for f in &user.sources.files {
                modules.extend(scan::modules(&f.read().map_err(VerifyError::Input)?));
            }
            let (top, mut notes) = match interface::choose_top(
                &modules,
                user.request.top.as_deref(),
                &default_top,
                &label,
            ) {
                Ok((top, note)) => (top, note.into_iter().collect::<Vec<_>>()),
                Err(e) => return Err(VerifyError::Input(e)),
            };
            let fixed = match opts.latency {
                Some(Latency::Fixed(l)) => Some(l),
                Some(Latency::Auto) => None,
                None => Some(opts.pipeline),
            };
            let (iface, more) =
                interface::resolve(top, &user.request, m.width(), m.out_width(), fixed)
                    .map_err(VerifyError::Input)?;
            if opts.latency == Some(Latency::Auto) && iface.clock.is_none() {
                notes.push("latency auto: the design has no clock, so its latency is 0".into());
            }
            notes.extend(more);
            (user.sources.clone(), iface, notes, label)
        }
    };
    let latency = match (opts.latency, &opts.user) {
        (Some(l), Some(_)) => l,
        _ => Latency::Fixed(opts.pipeline),
    };
    let depth = match latency {
        Latency::Fixed(l) => l,
        Latency::Auto => 0,
    };
    let dut = Dut {
        top: interface.top.clone(),
        sources,
        wrapper: interface.wrapper(m.width(), m.out_width()),
        width: m.width(),
        out_width: m.out_width(),
        depth,
        reset_cycles: if interface.reset.is_some() {
            opts.reset_cycles
        } else {
            0
        },
        clocked: interface.clock.is_some(),
        lanes: opts.lanes,
    };
    Ok(Prepared {
        dut,
        interface,
        rtl: label,
        notes,
        latency,
    })
}

/// The pairs to simulate (`None`: the exhaustive sweep), and the file's
/// own results where the pairs come from a file.
type VectorSet = (Option<Vec<(u16, u16)>>, Vec<Option<u32>>);

fn vector_set(m: &Design, opts: &Options) -> Result<VectorSet, VerifyError> {
    if let Some(p) = &opts.pairs {
        return Ok((Some(p.clone()), Vec::new()));
    }
    if let Some(path) = &opts.vectors_file {
        let f = vectors_file::read(path, m.name(), m.width(), m.out_width())
            .map_err(VerifyError::Input)?;
        return Ok((Some(f.pairs), f.expected));
    }
    let small = vectors::exhaustive_by_default(m.reference);
    if opts.exhaustive && !small {
        if m.width() != 16 || m.out_width() != 16 {
            return Err(VerifyError::Input(format!(
                "{}: the exhaustive sweep needs 16-bit operands and results",
                m.name()
            )));
        }
        return Ok((None, Vec::new()));
    }
    Ok((
        Some(vectors::default_set(m.reference, opts.vectors, opts.seed)),
        Vec::new(),
    ))
}

/// A simulator ready to run the design.
enum Backend {
    Verilator(VerilatorModel),
    Icarus(Dut),
}

impl Backend {
    fn build(sim: Simulator, dut: &Dut) -> Result<Backend, SimError> {
        Ok(match sim {
            Simulator::Verilator => Backend::Verilator(VerilatorModel::build(dut)?),
            Simulator::Icarus => Backend::Icarus(dut.clone()),
        })
    }

    fn with_depth(&self, depth: usize) -> Backend {
        match self {
            Backend::Verilator(m) => Backend::Verilator(m.with_depth(depth)),
            Backend::Icarus(d) => Backend::Icarus(d.with_depth(depth)),
        }
    }

    fn depth(&self) -> usize {
        match self {
            Backend::Verilator(m) => m.depth(),
            Backend::Icarus(d) => d.depth,
        }
    }

    /// Outputs for `pairs`, and the simulator's warnings.
    fn eval(&self, pairs: &[(u16, u16)]) -> Result<(Vec<u32>, Vec<String>), SimError> {
        match self {
            Backend::Verilator(m) => Ok((
                m.eval(pairs)?.into_iter().map(u32::from).collect(),
                m.warnings.clone(),
            )),
            Backend::Icarus(d) => icarus::eval(d, pairs).map(|r| (r.ys, r.warnings)),
        }
    }

    /// The pair that does not settle among `candidates` (each run alone).
    fn unsettled_pair(&self, candidates: &[(u16, u16)]) -> Option<(u16, u16)> {
        if let [one] = candidates {
            return Some(*one);
        }
        candidates
            .iter()
            .copied()
            .find(|&p| matches!(self.eval(&[p; 32]), Err(SimError::Unsettled { .. })))
    }
}

/// Verifies one design in every requested simulator.
pub fn verify(m: &Design, opts: &Options) -> Result<Outcome, VerifyError> {
    let prepared = prepare(m, opts)?;
    let (pairs, file_expected) = vector_set(m, opts)?;
    let judge = Judge::new(m.reference, opts.nan);
    let mut reports = Vec::new();
    for &sim in &opts.simulators {
        reports.push(run_one(
            m,
            opts,
            &prepared,
            sim,
            pairs.as_deref(),
            &file_expected,
            &judge,
        )?);
    }
    let disagreement = match (&pairs, reports.as_slice()) {
        (Some(pairs), [r1, r2]) if !r1.outputs.is_empty() && !r2.outputs.is_empty() => {
            Some(disagreement(m.reference, pairs, &r1.outputs, &r2.outputs))
        }
        _ => None,
    };
    Ok(Outcome {
        reports,
        disagreement,
    })
}

fn disagreement(m: &dyn Multiplier, pairs: &[(u16, u16)], y1: &[u32], y2: &[u32]) -> Disagreement {
    let mut differing = 0;
    let mut examples = Vec::new();
    for ((&(a, b), &p), &q) in pairs.iter().zip(y1).zip(y2) {
        if p != q {
            differing += 1;
            if examples.len() < EXAMPLES_PER_CAUSE {
                examples.push((a as u32, b as u32, p, q, m.mul(a as u32, b as u32)));
            }
        }
    }
    Disagreement {
        pairs: pairs.len() as u64,
        differing,
        examples,
    }
}

#[allow(clippy::too_many_arguments)]
fn run_one(
    m: &Design,
    opts: &Options,
    prepared: &Prepared,
    sim: Simulator,
    pairs: Option<&[(u16, u16)]>,
    file_expected: &[Option<u32>],
    judge: &Judge,
) -> Result<Report, VerifyError> {
    let build = Instant::now();
    let mut backend = Backend::build(sim, &prepared.dut)?;
    let build_seconds = build.elapsed().as_secs_f64();
    let mut notes = prepared.notes.clone();
    let mut search = None;
    // A design that does not settle is a result (a report naming the
    // pair), any other simulator failure an error.
    let not_settled = |e: SimError, backend: &Backend| match e {
        SimError::Unsettled { pairs, message } => {
            let unsettled = Unsettled {
                pair: backend
                    .unsettled_pair(&pairs)
                    .map(|(a, b)| (a as u32, b as u32)),
                message,
            };
            Ok(empty_report(
                m,
                opts,
                prepared,
                sim,
                backend,
                build_seconds,
                unsettled,
            ))
        }
        e => Err(e.into()),
    };
    let start = Instant::now();
    if prepared.latency == Latency::Auto && prepared.dut.clocked {
        match find_latency(&backend, m.reference, judge, opts.seed) {
            Ok(found) => {
                backend = backend.with_depth(found.chosen);
                search = Some(found);
            }
            Err(e) => return not_settled(e, &backend),
        }
    }
    let result = match (pairs, &backend) {
        (None, Backend::Verilator(model)) => {
            sweep_all(judge, model, opts.progress, opts.max_mismatches)
                .map(|t| (t, Vec::new(), model.warnings.clone()))
        }
        (None, Backend::Icarus(_)) => Err(SimError::Run(
            "an exhaustive 16-bit sweep needs Verilator (Icarus would take weeks)".into(),
        )),
        (Some(pairs), _) => backend.eval(pairs).map(|(ys, warnings)| {
            let tally = compare(judge, pairs, &ys, opts.max_mismatches);
            (tally, ys, warnings)
        }),
    };
    let (tally, outputs, warnings) = match result {
        Ok(r) => r,
        Err(e) => return not_settled(e, &backend),
    };
    let seconds = start.elapsed().as_secs_f64();
    let total = pairs.map_or(1u64 << 32, |p| p.len() as u64);
    if backend.depth() == 0 && prepared.dut.clocked && tally.mismatches * 2 > total {
        notes.push(
            "most results are wrong and the design has a clock: if its output is registered, give its latency (--latency N, or --latency auto to find it)"
                .into(),
        );
    }
    if let Some(n) = nan_hint(judge, &tally, opts.nan) {
        notes.push(n);
    }
    let file_disagreements = pairs.filter(|_| !file_expected.is_empty()).map(|pairs| {
        let mut count = 0;
        let mut examples = Vec::new();
        for (&(a, b), e) in pairs.iter().zip(file_expected) {
            let r = m.reference.mul(a as u32, b as u32);
            if let Some(e) = *e {
                if !judge.accepts(r, e) {
                    count += 1;
                    if examples.len() < EXAMPLES_PER_CAUSE {
                        examples.push((a as u32, b as u32, e, r));
                    }
                }
            }
        }
        FileDisagreements { count, examples }
    });
    Ok(Report {
        design: m.name().to_string(),
        module: prepared.dut.top.clone(),
        simulator: sim,
        rtl: prepared.rtl.clone(),
        interface: prepared.interface.describe(),
        latency: backend.depth(),
        latency_search: search,
        nan: opts.nan,
        exhaustive: pairs.is_none()
            || vectors::exhaustive_by_default(m.reference)
                && opts.vectors_file.is_none()
                && opts.pairs.is_none(),
        pairs: total,
        mismatches: tally.mismatches,
        causes: tally.causes(judge),
        unsettled: None,
        warnings,
        notes,
        file_disagreements,
        seconds,
        pairs_per_second: total as f64 / seconds.max(1e-9),
        build_seconds,
        list: tally.list,
        outputs,
    })
}

/// When every NaN mismatch is another NaN code the policy would accept
/// under a looser one, say so.
fn nan_hint(judge: &Judge, tally: &Tally, policy: NanPolicy) -> Option<String> {
    let nan = tally.counts[Cause::Nan.index()];
    if nan == 0 || policy == NanPolicy::Any {
        return None;
    }
    let m = judge.multiplier();
    let examples = &tally.examples[Cause::Nan.index()];
    let all_nan_codes = examples.iter().all(|&(a, b, got)| {
        Some(m.mul(a, b)) == m.nan_code()
            && got >> m.out_width() == 0
            && m.decode_output(got).is_nan()
    });
    let looser = if policy == NanPolicy::Canonical {
        "--nan quiet (any quiet NaN) or --nan any"
    } else {
        "--nan any"
    };
    all_nan_codes.then(|| {
        format!(
            "the first NaN mismatches are NaN codes other than {:#x}; {looser} accepts them",
            m.nan_code().unwrap_or(0)
        )
    })
}

fn empty_report(
    m: &Design,
    opts: &Options,
    prepared: &Prepared,
    sim: Simulator,
    backend: &Backend,
    build_seconds: f64,
    unsettled: Unsettled,
) -> Report {
    Report {
        design: m.name().to_string(),
        module: prepared.dut.top.clone(),
        simulator: sim,
        rtl: prepared.rtl.clone(),
        interface: prepared.interface.describe(),
        latency: prepared.dut.depth,
        latency_search: None,
        nan: opts.nan,
        exhaustive: false,
        pairs: 0,
        mismatches: 0,
        causes: Vec::new(),
        unsettled: Some(unsettled),
        warnings: match backend {
            Backend::Verilator(model) => model.warnings.clone(),
            Backend::Icarus(_) => Vec::new(),
        },
        notes: prepared.notes.clone(),
        file_disagreements: None,
        seconds: 0.0,
        pairs_per_second: 0.0,
        build_seconds,
        list: Vec::new(),
        outputs: Vec::new(),
    }
}

/// Tries latencies 0..=[`MAX_LATENCY`] on the directed catalogue and a few
/// random pairs; the first with no mismatch wins, else the one with the
/// fewest.
fn find_latency(
    backend: &Backend,
    m: &dyn Multiplier,
    judge: &Judge,
    seed: u64,
) -> Result<LatencySearch, SimError> {
    let mut pairs = vectors::special_pairs(m);
    pairs.truncate(2048);
    pairs.extend(vectors::random_pairs(m.width(), 512, seed ^ 0x1a7e));
    let mut tried = Vec::new();
    for l in 0..=MAX_LATENCY {
        let (ys, _) = backend.with_depth(l).eval(&pairs)?;
        let bad = pairs
            .iter()
            .zip(&ys)
            .filter(|(&(a, b), &y)| !judge.accepts(m.mul(a as u32, b as u32), y))
            .count() as u64;
        tried.push((l, bad));
        if bad == 0 {
            break;
        }
    }
    let chosen = tried
        .iter()
        .min_by_key(|&&(l, bad)| (bad, l))
        .map_or(0, |t| t.0);
    Ok(LatencySearch {
        pairs: pairs.len() as u64,
        tried,
        chosen,
    })
}

/// Mismatches counted per cause, with the first examples of each and the
/// first `max` of all.
#[derive(Clone, Debug, Default)]
struct Tally {
    mismatches: u64,
    counts: [u64; 8],
    examples: [Vec<(u32, u32, u32)>; 8],
    list: Vec<Mismatch>,
}

impl Tally {
    fn add(&mut self, judge: &Judge, a: u32, b: u32, got: u32, expected: u32, max: usize) {
        let cause = judge.cause(a, b, got, expected);
        let i = cause.index();
        self.mismatches += 1;
        self.counts[i] += 1;
        if self.examples[i].len() < EXAMPLES_PER_CAUSE {
            self.examples[i].push((a, b, got));
        }
        if self.list.len() < max {
            self.list.push(Mismatch {
                a,
                b,
                got,
                expected,
                cause,
            });
        }
    }

    /// `self` followed by `later`.
    fn merge(mut self, later: Tally, max: usize) -> Tally {
        self.mismatches += later.mismatches;
        for i in 0..8 {
            self.counts[i] += later.counts[i];
            let room = EXAMPLES_PER_CAUSE - self.examples[i].len();
            self.examples[i].extend(later.examples[i].iter().take(room));
        }
        let room = max - self.list.len();
        self.list.extend(later.list.into_iter().take(room));
        self
    }

    fn causes(&self, judge: &Judge) -> Vec<CauseCount> {
        Cause::ALL
            .iter()
            .filter(|c| self.counts[c.index()] > 0)
            .map(|&c| CauseCount {
                cause: c,
                count: self.counts[c.index()],
                examples: self.examples[c.index()]
                    .iter()
                    .map(|&(a, b, got)| counterexample(judge, a, b, got))
                    .collect(),
            })
            .collect()
    }
}

/// A mismatch with its values, for reports.
pub fn counterexample(judge: &Judge, a: u32, b: u32, got: u32) -> Counterexample {
    let m = judge.multiplier();
    let expected = m.mul(a, b);
    Counterexample {
        a,
        b,
        got,
        expected,
        cause: judge.cause(a, b, got, expected),
        a_value: m.decode(a),
        b_value: m.decode(b),
        got_value: (got >> m.out_width() == 0).then(|| m.decode_output(got)),
        expected_value: m.decode_output(expected),
        exact_product: vectors::exact_product(m, a, b),
    }
}

/// Compares outputs with the reference on all cores.
fn compare(judge: &Judge, pairs: &[(u16, u16)], got: &[u32], max: usize) -> Tally {
    let m = judge.multiplier();
    let chunks: Vec<Tally> = pairs
        .par_chunks(1 << 14)
        .zip(got.par_chunks(1 << 14))
        .map(|(p, g)| {
            let mut t = Tally::default();
            for (&(a, b), &y) in p.iter().zip(g) {
                let (a, b) = (a as u32, b as u32);
                let want = m.mul(a, b);
                if !judge.accepts(want, y) {
                    t.add(judge, a, b, y, want, max);
                }
            }
            t
        })
        .collect();
    chunks
        .into_iter()
        .fold(Tally::default(), |acc, t| acc.merge(t, max))
}

/// All 2^32 pairs of a 16-bit design: two harness processes sweep half the
/// rows each; two threads compare their output with the reference rows.
///
/// Each worker takes a row `a` with the sign bit clear together with the
/// row `-a`. The reference row of `-a` is derived from the row of `a` by
/// the reference's sign symmetry (`mul(-a, b)` is `mul(a, b)` with the sign
/// flipped, or the canonical NaN code where that is the result), which
/// halves the reference's share of the work; `tests/verify.rs` checks that
/// symmetry for every design on the full catalogue and 10^6 random pairs.
fn sweep_all(
    judge: &Judge,
    model: &VerilatorModel,
    progress: bool,
    max: usize,
) -> Result<Tally, SimError> {
    let m = judge.multiplier();
    let rows = 1u32 << 16;
    let bar = if progress {
        ProgressBar::new(rows as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows, {per_sec}, ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(format!("{} exhaustive", m.name()));
    let quarter = rows / 4;
    let halves = [(0, quarter), (quarter, 2 * quarter)];
    let results: Vec<Result<Tally, SimError>> = std::thread::scope(|s| {
        let handles: Vec<_> = halves
            .iter()
            .map(|&(a0, a1)| {
                let bar = &bar;
                s.spawn(move || sweep_rows(judge, model, a0, a1, bar, max))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(SimError::Run("sweep thread panicked".into())))
            })
            .collect()
    });
    bar.finish_and_clear();
    let mut total = Tally::default();
    for r in results {
        total = total.merge(r?, max);
    }
    Ok(total)
}

fn sweep_rows(
    judge: &Judge,
    model: &VerilatorModel,
    a0: u32,
    a1: u32,
    bar: &ProgressBar,
    max: usize,
) -> Result<Tally, SimError> {
    let m = judge.multiplier();
    let sign = 1u32 << (m.width() - 1);
    let nan = m.nan_code();
    let mut child = model.sweep(a0, a1, sign)?;
    let mut stdout =
        std::io::BufReader::with_capacity(1 << 20, child.run.child.stdout.take().expect("piped"));
    let result = (|| -> std::io::Result<Tally> {
        let n = 1usize << model.width();
        let (mut got, mut want) = (vec![0u16; n], vec![0u16; n]);
        let mut bytes = Vec::with_capacity(2 * n);
        let mut tally = Tally::default();
        for a in a0..a1 {
            m.row(a, &mut want);
            for row in [a, a | sign] {
                if row != a {
                    negate_row(&mut want, sign as u16, nan);
                }
                read_u16s_into(&mut stdout, &mut bytes, &mut got)?;
                if got != want {
                    for (b, (&g, &w)) in got.iter().zip(&want).enumerate() {
                        if g != w && !judge.accepts(w as u32, g as u32) {
                            tally.add(judge, row, b as u32, g as u32, w as u32, max);
                        }
                    }
                }
                bar.inc(1);
            }
        }
        let mut rest = Vec::new();
        stdout.read_to_end(&mut rest)?;
        Ok(tally)
    })();
    finish(child, result).map_err(|e| crate::sim::verilator::unsettled_pairs(e, &[]))
}

/// The reference row of `-a` from the row of `a`: every code's sign
/// flipped, except the canonical NaN code.
pub fn negate_row(row: &mut [u16], sign: u16, nan: Option<u32>) {
    let nan = nan.map(|c| c as u16);
    for y in row.iter_mut() {
        if Some(*y) != nan {
            *y ^= sign;
        }
    }
}
