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
mod kind;
pub mod mac;
pub mod mac_seq;
pub mod render;
pub mod replay;
pub mod scan;
pub mod slice;
mod wiring;
/// The user's sources, as the simulators take them (moved to
/// [`crate::sim::source`]; this path stays for callers).
pub use crate::sim::source;
pub mod vectors;
pub mod vectors_file;

mod latency;
mod options;
mod outcome;
mod prepare;
mod sweep;
mod tally;

use latency::*;
pub use options::*;
pub use outcome::*;
pub use prepare::*;
pub use sweep::negate_row;
use sweep::*;
pub use tally::counterexample;
use tally::*;

use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::designs::module_name;
use crate::generate::rtl;
use crate::sim::source::Sources;
use crate::sim::verilator::{finish, read_u16s_into, VerilatorModel};
use crate::sim::{icarus, Dut, SimError, Simulator};
use crate::unit::Unit;
use crate::{Design, Multiplier};
use cause::{Cause, Judge, NanPolicy};
use interface::Interface;

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
            Backend::Verilator(m) => Ok((m.eval(pairs)?, m.warnings.clone())),
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

/// Verifies one unit in every requested simulator: a multiplier through
/// [`verify`], a dot-product unit through [`dot::verify`]. Options only a
/// multiplier takes ([`Options::multiplier_only`]) are ignored by a unit.
pub fn verify_unit(unit: &Unit, opts: &Options) -> Result<UnitOutcome, VerifyError> {
    opts.check(std::slice::from_ref(unit))?;
    match unit {
        Unit::Mul(m) => verify(m, opts).map(UnitOutcome::Multiplier),
        Unit::Dot(u) => dot::verify(u, opts).map(UnitOutcome::Dot),
        Unit::Mac(u) => mac::verify(u, opts).map(UnitOutcome::Dot),
    }
}

/// A unit's sources and top module: the user's (`--rtl`, `--top`, by
/// default the generated module's name), or the generated Verilog at the
/// options' headroom and pipeline depth.
pub(crate) fn unit_sources(unit: &Unit, opts: &Options) -> Result<(Sources, String), VerifyError> {
    let (h, depth) = (opts.headroom, opts.pipeline);
    Ok(match &opts.user {
        Some(user) => (
            user.sources.clone(),
            user.request
                .top
                .clone()
                .unwrap_or_else(|| unit.module_name(h, depth)),
        ),
        None => {
            let (module, text) = unit
                .rtl(h, depth)
                .map_err(|e| VerifyError::Input(e.to_string()))?;
            (Sources::text(&format!("{module}.v"), text), module)
        }
    })
}

/// Verifies one multiplier in every requested simulator.
pub fn verify(m: &Design, opts: &Options) -> Result<Outcome, VerifyError> {
    let judge = opts.judge(m.reference)?;
    let prepared = prepare(m, opts)?;
    let (pairs, file_expected) = vector_set(m, opts)?;
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
    let copies = prepared.dut.copies();
    if sim == Simulator::Verilator && build_seconds > 20.0 && copies > 4 {
        notes.push(format!(
            "the Verilator build took {build_seconds:.0} s for {copies} copies of the design; --copies 4 builds several times faster (each step then evaluates fewer pairs)"
        ));
    }
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
    if let Some(n) = rounding_hint(judge, &tally) {
        notes.push(n);
    }
    let file_disagreements = pairs.filter(|_| !file_expected.is_empty()).map(|pairs| {
        // A file's results have no flags: judged on the result alone.
        let plain = Judge::new(m.reference, opts.nan);
        let mut count = 0;
        let mut examples = Vec::new();
        for (&(a, b), e) in pairs.iter().zip(file_expected) {
            let r = m.reference.mul(a as u32, b as u32);
            if let Some(e) = *e {
                if !plain.accepts(r, e) {
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
        flags: tally.flag_counts(judge),
        flag_order: judge.flag_port().map(|p| p.order()),
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
        flags: Vec::new(),
        flag_order: None,
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
