//! `rf8 prove`'s output: one row per obligation, then each counterexample
//! in full (operands, both sides' outputs, the reference, the replay) and
//! each unknown's reason.

use super::{Proof, Verdict};
use crate::table::Table;

/// The obligations as a table.
pub fn table(proofs: &[Proof]) -> Table {
    let mut t = Table::new(&[
        "unit",
        "obligation",
        "verdict",
        "solver",
        "seconds",
        "miter ANDs",
    ]);
    for p in proofs {
        t.push(vec![
            p.unit.clone(),
            p.obligation.clone(),
            p.verdict.word().to_string(),
            p.solver.clone(),
            format!("{:.2}", p.seconds),
            p.gates.to_string(),
        ]);
    }
    t
}

/// The details below the table: counterexamples and unknowns.
pub fn details(proofs: &[Proof]) -> String {
    let mut out = String::new();
    let list = |v: &[(String, String)]| {
        v.iter()
            .map(|(n, x)| format!("{n} = {x}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for p in proofs {
        match &p.verdict {
            Verdict::Proved => {}
            Verdict::Unknown { reason } => {
                out += &format!("{} ({}): unknown: {reason}\n", p.unit, p.obligation);
            }
            Verdict::Counterexample(c) => {
                out += &format!("{} ({}): COUNTEREXAMPLE\n", p.unit, p.obligation);
                out += &format!("  inputs: {}\n", list(&c.inputs));
                if !c.others.is_empty() {
                    out += &format!(
                        "  also chosen (later clocks, first register states): {}\n",
                        list(&c.others)
                    );
                }
                for (name, outs) in &c.sides {
                    out += &format!("  {name}: {}\n", list(outs));
                }
                if let Some(r) = &c.reference {
                    out += &format!("  reference: {r}\n");
                }
                if let Some(r) = &c.replay {
                    out += &format!("  replay: {r}\n");
                }
            }
        }
    }
    out
}

/// One line: how many obligations got each verdict.
pub fn summary(proofs: &[Proof]) -> String {
    let count = |w: &str| proofs.iter().filter(|p| p.verdict.word() == w).count();
    let seconds: f64 = proofs.iter().map(|p| p.seconds).sum();
    format!(
        "{} obligations: {} proved, {} counterexamples, {} unknown ({seconds:.1} s of solver time)",
        proofs.len(),
        count("proved"),
        count("counterexample"),
        count("unknown")
    )
}
