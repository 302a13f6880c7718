//! Verification of Verilog against the references: the generated RTL (or a
//! user's file that claims to implement a design) is simulated on a vector
//! set, or on every pair, and each output is compared bit for bit with the
//! reference multiplier. Where the reference result is NaN the design must
//! return the format's canonical NaN code, which the reference already
//! does, so the comparison is plain equality.

pub mod vectors;

use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::designs::{module_name, rtl};
use crate::sim::verilator::{finish, read_u16s_into, VerilatorModel};
use crate::sim::{icarus, Dut, SimError, Simulator};
use crate::{Design, Multiplier};

/// At most this many counterexamples are kept per design.
pub const MAX_COUNTEREXAMPLES: usize = 10;

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
    /// Simulator.
    pub simulator: Simulator,
    /// Pipeline depth (0: combinational).
    pub pipeline: usize,
    /// A user's Verilog file to verify instead of the generated one.
    pub rtl: Option<PathBuf>,
    /// Show a progress bar on stderr.
    pub progress: bool,
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
        if self.rtl.is_none() {
            for d in designs {
                crate::designs::check_depth(d, self.pipeline).map_err(VerifyError::Input)?;
            }
        }
        Ok(())
    }
}

/// One disagreement between the Verilog and the reference.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Counterexample {
    pub a: u32,
    pub b: u32,
    /// The Verilog's output (0x10000 for an X or Z output; every result
    /// has at most 16 bits).
    pub got: u32,
    pub expected: u32,
    pub a_value: f64,
    pub b_value: f64,
    pub got_value: f64,
    pub expected_value: f64,
    /// The exact product of the decoded operands (`null` for NaN or Inf).
    pub exact_product: Option<f64>,
}

/// The outcome for one design.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    pub design: String,
    pub module: String,
    pub simulator: Simulator,
    /// `generated` or the path of the user's file.
    pub rtl: String,
    pub pipeline: usize,
    pub exhaustive: bool,
    pub pairs: u64,
    pub mismatches: u64,
    pub counterexamples: Vec<Counterexample>,
    /// Simulation and comparison time, without building the simulator.
    pub seconds: f64,
    pub pairs_per_second: f64,
    /// Time spent building (or finding in the cache) the simulator.
    pub build_seconds: f64,
}

/// Why verification could not run (as opposed to finding mismatches).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error("{0}")]
    Input(String),
}

/// The design under test: the generated module, or the user's file.
fn dut(m: &Design, opts: &Options) -> Result<(Dut, String), VerifyError> {
    let top = module_name(m.name(), opts.pipeline);
    let (verilog, source) = match &opts.rtl {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| VerifyError::Input(format!("cannot read {}: {e}", path.display())))?;
            if !text.contains(&format!("module {top}")) {
                return Err(VerifyError::Input(format!(
                    "{} has no module named {top} (the top must be named after the design)",
                    path.display()
                )));
            }
            (text, path.display().to_string())
        }
        None => {
            let (_, text) = rtl(m, opts.pipeline).map_err(|e| VerifyError::Input(e.to_string()))?;
            (text, "generated".to_string())
        }
    };
    let dut = Dut {
        top,
        verilog,
        width: m.width(),
        out_width: m.out_width(),
        depth: opts.pipeline,
    };
    Ok((dut, source))
}

/// Verifies one design.
pub fn verify(m: &Design, opts: &Options) -> Result<Report, VerifyError> {
    let (dut, source) = dut(m, opts)?;
    let small = vectors::exhaustive_by_default(m.reference);
    let sweep = opts.exhaustive && !small;
    if sweep && opts.simulator == Simulator::Icarus {
        return Err(VerifyError::Input(
            "an exhaustive 16-bit sweep needs --simulator verilator (Icarus would take weeks)"
                .into(),
        ));
    }
    if sweep && (m.width() != 16 || m.out_width() != 16) {
        return Err(VerifyError::Input(format!(
            "{}: the exhaustive sweep needs 16-bit operands and results",
            m.name()
        )));
    }
    let build = Instant::now();
    let model = match opts.simulator {
        Simulator::Verilator => Some(VerilatorModel::build(&dut)?),
        Simulator::Icarus => None,
    };
    let build_seconds = build.elapsed().as_secs_f64();
    let start = Instant::now();
    let (pairs, mismatches, counterexamples) = match &model {
        Some(model) if sweep => sweep_all(m.reference, model, opts.progress)?,
        Some(model) => {
            let vectors = vectors::default_set(m.reference, opts.vectors, opts.seed);
            let got: Vec<u32> = model.eval(&vectors)?.into_iter().map(u32::from).collect();
            compare(m.reference, &vectors, &got)
        }
        None => {
            let vectors = vectors::default_set(m.reference, opts.vectors, opts.seed);
            compare(m.reference, &vectors, &icarus::eval(&dut, &vectors)?)
        }
    };
    let seconds = start.elapsed().as_secs_f64();
    Ok(Report {
        design: m.name().to_string(),
        module: dut.top,
        simulator: opts.simulator,
        rtl: source,
        pipeline: opts.pipeline,
        exhaustive: sweep || small,
        pairs,
        mismatches,
        counterexamples,
        seconds,
        pairs_per_second: pairs as f64 / seconds.max(1e-9),
        build_seconds,
    })
}

fn counterexample(m: &dyn Multiplier, a: u32, b: u32, got: u32) -> Counterexample {
    let expected = m.mul(a, b);
    Counterexample {
        a,
        b,
        got,
        expected,
        a_value: m.decode(a),
        b_value: m.decode(b),
        got_value: if got >> m.out_width() == 0 {
            m.decode_output(got)
        } else {
            f64::NAN
        },
        expected_value: m.decode_output(expected),
        exact_product: vectors::exact_product(m, a, b),
    }
}

/// Compares outputs with the reference on all cores.
fn compare(
    m: &dyn Multiplier,
    pairs: &[(u16, u16)],
    got: &[u32],
) -> (u64, u64, Vec<Counterexample>) {
    let bad: Vec<usize> = pairs
        .par_iter()
        .zip(got.par_iter())
        .enumerate()
        .filter(|(_, (&(a, b), &y))| m.mul(a as u32, b as u32) != y)
        .map(|(i, _)| i)
        .collect();
    let examples = bad
        .iter()
        .take(MAX_COUNTEREXAMPLES)
        .map(|&i| counterexample(m, pairs[i].0 as u32, pairs[i].1 as u32, got[i]))
        .collect();
    (pairs.len() as u64, bad.len() as u64, examples)
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
    m: &dyn Multiplier,
    model: &VerilatorModel,
    progress: bool,
) -> Result<(u64, u64, Vec<Counterexample>), VerifyError> {
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
                s.spawn(move || sweep_rows(m, model, a0, a1, bar))
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
    let mut mismatches = 0;
    let mut examples = Vec::new();
    for r in results {
        let (n, ex) = r?;
        mismatches += n;
        examples.extend(ex);
    }
    examples.truncate(MAX_COUNTEREXAMPLES);
    let examples = examples
        .into_iter()
        .map(|(a, b, y)| counterexample(m, a, b, y))
        .collect();
    Ok((1u64 << 32, mismatches, examples))
}

/// Mismatches of one sweep worker and its first (a, b, got) triples.
type Tally = (u64, Vec<(u32, u32, u32)>);

fn sweep_rows(
    m: &dyn Multiplier,
    model: &VerilatorModel,
    a0: u32,
    a1: u32,
    bar: &ProgressBar,
) -> Result<Tally, SimError> {
    let sign = 1u32 << (m.width() - 1);
    let nan = m.nan_code();
    let mut child = model.sweep(a0, a1, sign)?;
    let mut stdout =
        std::io::BufReader::with_capacity(1 << 20, child.run.child.stdout.take().expect("piped"));
    let result = (|| -> std::io::Result<Tally> {
        let n = 1usize << model.width();
        let (mut got, mut want) = (vec![0u16; n], vec![0u16; n]);
        let mut bytes = Vec::with_capacity(2 * n);
        let mut mismatches = 0u64;
        let mut examples = Vec::new();
        for a in a0..a1 {
            m.row(a, &mut want);
            for row in [a, a | sign] {
                if row != a {
                    negate_row(&mut want, sign as u16, nan);
                }
                read_u16s_into(&mut stdout, &mut bytes, &mut got)?;
                if got != want {
                    for (b, (&g, &w)) in got.iter().zip(&want).enumerate() {
                        if g != w {
                            mismatches += 1;
                            if examples.len() < MAX_COUNTEREXAMPLES {
                                examples.push((row, b as u32, g as u32));
                            }
                        }
                    }
                }
                bar.inc(1);
            }
        }
        let mut rest = Vec::new();
        stdout.read_to_end(&mut rest)?;
        Ok((mismatches, examples))
    })();
    finish(child, result)
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
