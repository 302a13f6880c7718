//! The solver: Berkeley ABC (`yosys-abc`, shipped with Debian's Yosys) on
//! a single-output miter, two engines in turn. `iprove` rewrites, fraigs
//! and calls SAT. `&cec -m` sweeps the miter with SAT: it merges
//! the internal nodes that random simulation suggests and SAT proves
//! equal (which is what makes the two sides of a netlist-against-RTL
//! miter collapse into one) and calls SAT on what is left. "Equivalent"
//! is a proof that the miter's output is always 0; "not equivalent" comes
//! with an input assignment that sets it. (`iprove`, tried first, took
//! 93 s on `dot_int8_n1` against its specification model, `&cec -m` 18.)
//!
//! A run that passes its deadline is killed with its process group and
//! reported as unknown, never as proved.

use std::path::Path;
use std::time::{Duration, Instant};

use super::graph::{Graph, FALSE, TRUE};

/// The ABC binary Debian's `yosys` package installs.
pub const ABC: &str = "yosys-abc";

/// What the solver concluded about one miter.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The miter's output is 0 for every input.
    Proved,
    /// An input assignment that sets the miter's output: one bit per input
    /// of the graph, in [`Graph::input_names`] order.
    Counterexample(Vec<bool>),
    /// Neither, with the reason (the deadline passed, the solver gave up).
    Unknown(String),
}

/// One solver run: its outcome, the engine and the wall time.
#[derive(Clone, Debug)]
pub struct Run {
    pub outcome: Outcome,
    pub solver: String,
    pub seconds: f64,
}

/// Proves `out` of `graph` constant 0 with ABC in `work`, within `limit`.
/// A miter that hashing has already folded to a constant needs no solver.
pub fn prove(graph: &Graph, out: u32, work: &Path, limit: Duration) -> Result<Run, String> {
    let start = Instant::now();
    let inputs = graph.input_names().len();
    let folded = |outcome| Run {
        outcome,
        solver: "structural hashing".into(),
        seconds: start.elapsed().as_secs_f64(),
    };
    if out == FALSE {
        return Ok(folded(Outcome::Proved));
    }
    if out == TRUE {
        return Ok(folded(Outcome::Counterexample(vec![false; inputs])));
    }
    crate::sim::require(ABC, "yosys").map_err(|e| e.to_string())?;
    std::fs::write(work.join("miter.aig"), graph.to_aiger(out))
        .map_err(|e| format!("cannot write the miter: {e}"))?;
    // Two engines, each strong where the other is weak: `iprove` proved
    // fp16_mul's mapped netlists where `&cec -m` gave no verdict in 30 s,
    // and `&cec -m` proves dot_int8_n8 against its model (two minutes)
    // where `iprove` does not. `iprove` gets a third of the time.
    let mut last = None;
    for (name, script, share) in [
        ("iprove", "read miter.aig; iprove; write_cex cex.txt", 3),
        (
            "&cec",
            "read miter.aig; &get; &cec -m; write_cex cex.txt",
            1,
        ),
    ] {
        let left = limit.saturating_sub(start.elapsed());
        let run = engine(work, script, left / share, inputs)?;
        let solver = format!("{} {name}", abc_version());
        match run {
            Outcome::Unknown(why) => last = Some((solver, why)),
            outcome => {
                return Ok(Run {
                    outcome,
                    solver,
                    seconds: start.elapsed().as_secs_f64(),
                })
            }
        }
    }
    let (solver, why) = last.unwrap_or_default();
    Ok(Run {
        outcome: Outcome::Unknown(format!("no verdict within {} s ({why})", limit.as_secs())),
        solver,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// One ABC run of `script` on `work/miter.aig` within `limit`.
fn engine(work: &Path, script: &str, limit: Duration, inputs: usize) -> Result<Outcome, String> {
    let _ = std::fs::remove_file(work.join("cex.txt"));
    if limit.is_zero() {
        return Ok(Outcome::Unknown("no time left".into()));
    }
    let run = crate::tools::output(
        ABC,
        crate::tools::command(ABC)
            .current_dir(work)
            .args(["-c", script]),
        limit,
    );
    let out = match run {
        Ok(out) => out,
        Err(crate::tools::ToolError::Timeout { seconds: s, .. }) => {
            return Ok(Outcome::Unknown(format!(
                "the last engine ran out of time after {s} s"
            )))
        }
        Err(e) => return Err(e.to_string()),
    };
    let log = String::from_utf8_lossy(&out.stdout).into_owned();
    Ok(verdict(
        &log,
        || std::fs::read_to_string(work.join("cex.txt")).unwrap_or_default(),
        inputs,
    ))
}

/// The outcome in ABC's log (and, when SAT, its `write_cex` file).
fn verdict(log: &str, cex: impl FnOnce() -> String, inputs: usize) -> Outcome {
    if log.contains("UNSATISFIABLE") || log.contains("Networks are equivalent") {
        return Outcome::Proved;
    }
    if log.contains("SATISFIABLE") || log.contains("NOT EQUIVALENT") {
        return match parse_cex(&cex(), inputs) {
            Some(bits) => Outcome::Counterexample(bits),
            None => Outcome::Unknown(
                "ABC found the miter satisfiable but wrote no counterexample".into(),
            ),
        };
    }
    let last = log
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("no output");
    Outcome::Unknown(format!("ABC gave no verdict: {}", last.trim()))
}

/// ABC's `write_cex` text: one `0`/`1` per primary input, in order (after
/// comment lines starting with `#`), possibly with a frame count first.
fn parse_cex(text: &str, inputs: usize) -> Option<Vec<bool>> {
    let bits: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(|l| l.chars())
        .filter(|c| *c == '0' || *c == '1')
        .collect();
    // A sequential counterexample writes the initial state first; a
    // combinational miter has none, so the last `inputs` bits are ours.
    (bits.len() >= inputs).then(|| {
        bits[bits.len() - inputs..]
            .chars()
            .map(|c| c == '1')
            .collect()
    })
}

/// `ABC 1.01`, from the banner that `yosys-abc -c version` prints (`UC
/// Berkeley, ABC 1.01 (compiled ...)`), once.
fn abc_version() -> String {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let out = crate::tools::output(
            ABC,
            crate::tools::command(ABC).args(["-c", "version"]),
            Duration::from_secs(30),
        );
        out.ok()
            .and_then(|o| {
                let text = String::from_utf8_lossy(&o.stdout).into_owned();
                let start = text.find("Berkeley, ABC ")? + "Berkeley, ".len();
                text[start..].split(" (").next().map(str::to_string)
            })
            .unwrap_or_else(|| "ABC".into())
    })
    .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_are_read_strictly() {
        assert_eq!(
            verdict("UNSATISFIABLE  Time = 0.01 sec", String::new, 2),
            Outcome::Proved
        );
        assert_eq!(
            verdict("SATISFIABLE (output = 0)", || "# c\n01\n".into(), 2),
            Outcome::Counterexample(vec![false, true])
        );
        assert!(matches!(
            verdict("SATISFIABLE", String::new, 2),
            Outcome::Unknown(_)
        ));
        assert!(matches!(
            verdict("Error: Empty network.", String::new, 2),
            Outcome::Unknown(_)
        ));
    }
}
