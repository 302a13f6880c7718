//! `rf8 prove`: formal equivalence, where simulation can only sample.
//!
//! Every proof is a miter ([`miter::Sides`]) of two And-Inverter Graphs
//! that Yosys makes from Verilog or from a mapped netlist ([`side`]),
//! handed to ABC ([`abc`]). Its verdict is one of three, never more
//! optimistic than the solver: proved (UNSAT), a counterexample (an input
//! assignment, replayed on both graphs before it is believed, then shown
//! as operands and both outputs and replayed in simulation by the
//! caller), or unknown (the deadline passed, or the solver gave up).
//!
//! The obligations ([`obligation`]) say what is compared with what:
//! a mapped netlist with its RTL, a pipelined unit with its combinational
//! one delayed, a dot-product unit with the specification model, a
//! user's design with the generated one.

pub mod abc;
pub mod exhaust;
pub mod graph;
pub mod miter;
pub mod netlists;
pub mod obligation;
pub mod render;
pub mod replay;
pub mod side;
pub mod spec;
pub mod user;

use std::collections::HashMap;
use std::time::Duration;

use abc::Outcome;
use miter::{Sides, FRAME, STATE};

/// Default deadline of one solver run (`--timeout`).
pub const DEFAULT_TIMEOUT_SECS: u64 = 120;

/// A proof's verdict.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Verdict {
    Proved,
    Counterexample(Box<Counterexample>),
    /// No verdict, with the reason.
    Unknown {
        reason: String,
    },
}

impl Verdict {
    /// One word for tables: `proved`, `counterexample`, `unknown`.
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Proved => "proved",
            Verdict::Counterexample(_) => "counterexample",
            Verdict::Unknown { .. } => "unknown",
        }
    }
}

/// An input assignment on which the two sides differ, as port values.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Counterexample {
    /// Each input port of the first clock frame (hex).
    pub inputs: Vec<(String, String)>,
    /// Inputs of later frames and first register states that the solver
    /// also chose (a pipelined side), as port values.
    pub others: Vec<(String, String)>,
    /// What each side is called, and its output ports (hex).
    pub sides: [(String, Vec<(String, String)>); 2],
    /// What the bit-exact reference gives for these operands, where the
    /// obligation has one.
    pub reference: Option<String>,
    /// What simulating the design on these operands gave.
    pub replay: Option<String>,
}

impl Counterexample {
    /// The value of input port `name` (first frame).
    pub fn input(&self, name: &str) -> Option<u128> {
        self.inputs
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| u128::from_str_radix(v.trim_start_matches("0x"), 16).ok())
    }
}

/// One obligation's result.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Proof {
    /// The unit (`rf8_mul`, `dot_int8_n8`).
    pub unit: String,
    /// What was shown equal to what (`iCE40 default netlist = RTL`).
    pub obligation: String,
    /// What the proof covers, in one sentence.
    pub covers: String,
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The solver (or structural hashing, when the miter folded to a
    /// constant).
    pub solver: String,
    /// Wall time of the solver run, seconds.
    pub seconds: f64,
    /// AND gates of the miter.
    pub gates: usize,
}

/// Solves the miter of `sides` within `limit` seconds. A counterexample
/// is evaluated on both graphs by the construction that built the miter;
/// one that does not make them differ is reported as unknown.
pub fn solve(sides: &Sides, limit: Duration) -> Result<(Verdict, abc::Run, usize), String> {
    let (graph, out) = sides.miter()?;
    let work = crate::area::work_dir("prove").map_err(|e| e.to_string())?;
    let run = cached(&graph, out, || engines(&graph, out, &work, limit));
    if std::env::var_os("RF8_PROVE_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(&work);
    } else {
        eprintln!("kept {}", work.display());
    }
    let run = run?;
    let verdict = match &run.outcome {
        Outcome::Proved => Verdict::Proved,
        Outcome::Unknown(reason) => Verdict::Unknown {
            reason: reason.clone(),
        },
        Outcome::Counterexample(bits) => {
            let assignment: HashMap<String, bool> = graph
                .input_names()
                .into_iter()
                .zip(bits.iter().copied())
                .collect();
            let (l, r) = sides.evaluate(&assignment);
            if l.iter()
                .all(|(n, v)| r.iter().any(|(m, w)| m == n && w == v))
            {
                Verdict::Unknown {
                    reason: "the solver's counterexample does not make the two sides differ".into(),
                }
            } else {
                let first = |(n, _): &(&str, bool)| !n.contains(FRAME) && !n.starts_with(STATE);
                let named: Vec<(&str, bool)> =
                    assignment.iter().map(|(n, v)| (n.as_str(), *v)).collect();
                let (inputs, others): (Vec<_>, Vec<_>) = named.into_iter().partition(first);
                let hex = |bits: Vec<(&str, bool)>| {
                    ports(&bits)
                        .into_iter()
                        .map(|(n, v)| (n, format!("{v:#x}")))
                        .collect()
                };
                let outs =
                    |v: &[(String, bool)]| hex(v.iter().map(|(n, b)| (n.as_str(), *b)).collect());
                Verdict::Counterexample(Box::new(Counterexample {
                    inputs: hex(inputs),
                    others: hex(others),
                    sides: [
                        (sides.names[0].to_string(), outs(&l)),
                        (sides.names[1].to_string(), outs(&r)),
                    ],
                    reference: None,
                    replay: None,
                }))
            }
        }
    };
    Ok((verdict, run, graph.and_count()))
}

/// A verdict the engines reached (proved, or a counterexample) on this
/// very miter, from the cache, else `run()`'s, cached when definitive.
/// The key is the miter's AIGER bytes: the same two circuits give the
/// same miter, whoever asks (`rf8 prove`, `rf8 area`, a rerun with
/// `--json`). An unknown is never cached: a longer deadline may settle it.
fn cached(
    graph: &graph::Graph,
    out: u32,
    run: impl FnOnce() -> Result<abc::Run, String>,
) -> Result<abc::Run, String> {
    #[derive(serde::Serialize, serde::Deserialize)]
    struct Saved {
        proved: bool,
        bits: Vec<bool>,
        solver: String,
        seconds: f64,
    }
    let bytes = graph.to_aiger(out);
    let key = crate::sim::cache::hash(&[&String::from_utf8_lossy(&bytes), "prove-v1"]);
    let path = crate::sim::cache::root()
        .join("prove")
        .join(format!("verdict-{key}.json"));
    if let Some(s) = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str::<Saved>(&t).ok())
    {
        return Ok(abc::Run {
            outcome: if s.proved {
                Outcome::Proved
            } else {
                Outcome::Counterexample(s.bits)
            },
            solver: format!("{} (cached)", s.solver),
            seconds: s.seconds,
        });
    }
    let r = run()?;
    let saved = match &r.outcome {
        Outcome::Proved => Some((true, Vec::new())),
        Outcome::Counterexample(bits) => Some((false, bits.clone())),
        Outcome::Unknown(_) => None,
    };
    if let Some((proved, bits)) = saved {
        let s = Saved {
            proved,
            bits,
            solver: r.solver.clone(),
            seconds: r.seconds,
        };
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = crate::fsutil::write_atomic(&path, serde_json::to_string(&s).unwrap_or_default());
    }
    Ok(r)
}

/// Inputs up to which enumeration is tried first: 2^20 assignments take
/// milliseconds, less than starting ABC.
const ENUMERATE_FIRST: usize = 20;

/// The engines in turn: none for a miter that folded to 0; enumeration
/// alone for a small cone (at least 10 s allowed: 2^20 assignments take
/// milliseconds); else, with a zero
/// `limit`, nothing (the cache may still hold a verdict); else ABC,
/// then (for a cone of at most [`exhaust::MAX_INPUTS`] inputs, with ABC
/// given a quarter of the time, at most 30 s) enumeration until the
/// deadline.
fn engines(
    graph: &graph::Graph,
    out: u32,
    work: &std::path::Path,
    limit: Duration,
) -> Result<abc::Run, String> {
    let start = std::time::Instant::now();
    let n = graph.cone(out).inputs.len();
    let enumerate = |solver: String| -> Option<abc::Run> {
        let outcome = exhaust::prove(graph, out, start + limit)?;
        Some(abc::Run {
            outcome,
            solver,
            seconds: start.elapsed().as_secs_f64(),
        })
    };
    if out == graph::FALSE {
        // Structural hashing merged the two sides gate for gate.
        return Ok(abc::Run {
            outcome: Outcome::Proved,
            solver: "structural hashing (the miter folds to 0)".into(),
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    let label = format!("exhaustive (2^{n} assignments)");
    if n <= ENUMERATE_FIRST {
        let limit = limit.max(Duration::from_secs(10));
        if let Some(outcome) = exhaust::prove(graph, out, start + limit) {
            return Ok(abc::Run {
                outcome,
                solver: label,
                seconds: start.elapsed().as_secs_f64(),
            });
        }
    }
    if limit.is_zero() {
        return Ok(abc::Run {
            outcome: Outcome::Unknown(format!(
                "not attempted here ({n} free inputs; `rf8 prove` or `make prove` proves it)"
            )),
            solver: String::new(),
            seconds: 0.0,
        });
    }
    let small = n <= exhaust::MAX_INPUTS;
    let abc_limit = if small {
        (limit / 4).min(Duration::from_secs(30))
    } else {
        limit
    };
    let run = abc::prove(graph, out, work, abc_limit)?;
    if !small || !matches!(run.outcome, Outcome::Unknown(_)) {
        return Ok(run);
    }
    Ok(enumerate(format!(
        "{label} after {} gave none in {} s",
        run.solver,
        abc_limit.as_secs()
    ))
    .unwrap_or(run))
}

/// Bits named `port[i]` (or `port` for one bit) gathered into port
/// values, sorted by name (at most 128 bits a port; higher bits dropped).
pub fn ports(bits: &[(&str, bool)]) -> Vec<(String, u128)> {
    let mut out: Vec<(String, u128)> = Vec::new();
    for &(full, value) in bits {
        // `a[3]@2` is bit 3 of port `a@2` (frame 2).
        let (name, frame) = match full.split_once(FRAME) {
            Some((n, f)) => (n, format!("{FRAME}{f}")),
            None => (full, String::new()),
        };
        let (base, index) = match name.strip_suffix(']').and_then(|n| n.rsplit_once('[')) {
            Some((b, i)) => match i.parse::<u32>() {
                Ok(i) => (b, i),
                Err(_) => (name, 0),
            },
            None => (name, 0),
        };
        let base = format!("{base}{frame}");
        let base = base.as_str();
        let slot = match out.iter().position(|(n, _)| n == base) {
            Some(p) => p,
            None => {
                out.push((base.to_string(), 0));
                out.len() - 1
            }
        };
        if value && index < 128 {
            out[slot].1 |= 1 << index;
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_gather_into_ports() {
        let bits = [
            ("a[1]", true),
            ("a[0]", false),
            ("y", true),
            ("b[3]", true),
            ("a[2]@1", true),
        ];
        assert_eq!(
            ports(&bits),
            vec![
                ("a".into(), 2),
                ("a@1".into(), 4),
                ("b".into(), 8),
                ("y".into(), 1)
            ]
        );
    }
}
