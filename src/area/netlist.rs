//! The netlist check: each recipe's mapped netlist, flattened with its
//! family's cell models by the Yosys that made it and reduced by that
//! Yosys to an And-Inverter Graph ([`super::AIG`]), evaluated against the
//! design's bit-exact reference, so that no recipe can report the area of
//! a wrong circuit (Yosys 0.23's `synth_gowin` maps fp16_mul to a circuit
//! that gives 0x0400 x 0x4000 = 0).
//!
//! Why not Verilator or Icarus: Verilator 5.006 mis-simulates the mapped
//! netlists with their cell models (3,525 of 103,024 fp16_mul pairs wrong
//! for `synth_ecp5`, where Icarus finds none), compiling the flattened
//! ones takes minutes per design, and Icarus runs about 125 pairs/s on
//! them. The AIG evaluator runs 64 pairs per pass in microseconds; it is
//! checked against every pair of the generated designs in `tests/`.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::aig::Aig;
use super::{AreaError, AreaRow, Unit};
use crate::sim::cache;
use crate::verify::vectors;
use crate::Design;

/// Seeded random pairs per netlist, after the directed catalogue (designs
/// with at most 2^20 pairs get every pair instead).
pub const RANDOM_PAIRS: u64 = 100_000;
/// Seed of those pairs.
pub const SEED: u64 = 0x4e45_544c;

/// A netlist's verdict.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Check {
    /// Pairs simulated.
    pub pairs: u64,
    /// Outputs that differ from the reference, bit for bit.
    pub mismatches: u64,
    /// The first mismatch: `a b netlist reference` in hex.
    pub first: Option<String>,
    /// Why the check could not run.
    pub error: Option<String>,
    /// The formal proof of the netlist against the RTL (`rf8::prove`),
    /// where one was attempted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<Formal>,
}

/// A netlist's proof against the generated RTL.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Formal {
    /// Equal to the RTL for every input.
    Proved,
    /// Different, on the operands and outputs shown.
    Counterexample(String),
    /// No verdict (the deadline passed, or no proof was attempted), why.
    Unknown(String),
}

impl Check {
    /// Simulated, equal to the reference on every pair, and not refuted by
    /// a proof.
    pub fn passed(&self) -> bool {
        self.error.is_none()
            && self.pairs > 0
            && self.mismatches == 0
            && !matches!(self.proof, Some(Formal::Counterexample(_)))
    }

    /// Proved equal to the RTL.
    pub fn proved(&self) -> bool {
        self.passed() && self.proof == Some(Formal::Proved)
    }

    /// One phrase for tables: `proved (and N pairs simulated)`, `sampled
    /// (N pairs; no proof: why)`, a counterexample, or the mismatches.
    pub fn verdict(&self) -> String {
        match (&self.error, self.mismatches, &self.proof) {
            (Some(e), _, _) => format!("not run: {e}"),
            (None, 0, Some(Formal::Proved)) => {
                format!("proved (and {} pairs simulated)", self.pairs)
            }
            (None, 0, Some(Formal::Counterexample(c))) => {
                format!(
                    "FAIL: the proof found a counterexample: {c} ({} sampled pairs passed)",
                    self.pairs
                )
            }
            (None, 0, Some(Formal::Unknown(why))) => {
                format!("sampled ({} pairs pass; no proof: {why})", self.pairs)
            }
            (None, 0, None) => format!("pass ({} pairs)", self.pairs),
            (None, n, _) => format!(
                "FAIL: {n} of {} pairs wrong, first {}",
                self.pairs,
                self.first.as_deref().unwrap_or("?")
            ),
        }
    }

    /// A check that could not run.
    pub fn failed_to_run(message: String) -> Check {
        Check {
            pairs: 0,
            mismatches: 0,
            first: None,
            error: Some(message),
            proof: None,
        }
    }
}

/// Where a netlist's verdict is cached.
fn cached(flat: &Path) -> std::path::PathBuf {
    flat.with_extension(format!(
        "check-{}.json",
        cache::hash(&[&RANDOM_PAIRS.to_string(), &SEED.to_string(), "check-v2"])
    ))
}

/// The AIG written beside a flat netlist.
pub fn aig_path(flat: &Path) -> PathBuf {
    flat.with_extension("aag")
}

/// Checks every row of design `m` that has a flattened netlist and no
/// verdict yet (combinational designs only), filling in `row.check`. A
/// netlist that cannot be evaluated gets a "not run" verdict, not an error.
pub fn check_design(s: &Unit, rows: &mut [&mut AreaRow]) -> Result<(), AreaError> {
    let Some(vectors) = Vectors::of(s) else {
        // A MAC unit is sequential: its netlist is not a function of its
        // inputs, so the combinational check does not apply.
        return Ok(());
    };
    let todo: Vec<&mut &mut AreaRow> = rows
        .iter_mut()
        .filter(|r| r.flat.is_some() && r.ffs == 0)
        .collect();
    let verdicts: Vec<Result<Check, AreaError>> = todo
        .par_iter()
        .map(|row| {
            let flat = row.flat.as_deref().unwrap_or(Path::new(""));
            let known = std::fs::read_to_string(cached(flat))
                .ok()
                .and_then(|t| serde_json::from_str::<Check>(&t).ok());
            if let Some(check) = known {
                return Ok(check);
            }
            let check = vectors.evaluate(&aig_path(flat));
            if check.error.is_none() {
                let text = serde_json::to_string(&check).unwrap_or_default();
                crate::fsutil::write_atomic(&cached(flat), text)
                    .map_err(crate::sim::SimError::from)?;
            }
            Ok(check)
        })
        .collect();
    for (row, verdict) in todo.into_iter().zip(verdicts) {
        row.check = Some(verdict?);
    }
    Ok(())
}

/// The vectors a subject's netlists are checked on.
enum Vectors {
    /// A multiplier's default set (every pair of an 8-bit design; the
    /// directed catalogue and random pairs of a 16-bit one).
    Pairs(&'static Design, Vec<(u32, u32)>),
    /// A dot-product unit's vectors (every pair x the accumulator edges for
    /// one lane of an 8-bit format, else directed + random) and the
    /// reference's outputs.
    Dot(Unit, Vec<crate::verify::dot::Vector>, Vec<u128>),
}

impl Vectors {
    fn of(s: &Unit) -> Option<Vectors> {
        use crate::designs::dot::DEFAULT_HEADROOM as H;
        Some(match s {
            Unit::Mul(m) => Vectors::Pairs(
                m,
                vectors::default_set(m.reference, RANDOM_PAIRS, SEED)
                    .into_iter()
                    .map(|(a, b)| (a as u32, b as u32))
                    .collect(),
            ),
            Unit::Dot(u) => {
                let r = u.design.reference;
                let v = crate::verify::dot::vectors(r, u.lanes, H, RANDOM_PAIRS, SEED);
                let want = crate::verify::dot::expected(r, u.lanes, H, &v);
                Vectors::Dot(*s, v, want)
            }
            Unit::Mac(_) => return None,
        })
    }

    fn evaluate(&self, aig: &Path) -> Check {
        let graph = match std::fs::read_to_string(aig)
            .map_err(|e| format!("cannot read {}: {e}", aig.display()))
            .and_then(|text| Aig::parse(&text))
        {
            Ok(g) => g,
            Err(e) => return Check::failed_to_run(e),
        };
        match self {
            Vectors::Pairs(m, pairs) => evaluate(m, &graph, pairs),
            Vectors::Dot(s, v, want) => evaluate_dot(s, &graph, v, want),
        }
    }
}

/// A unit's netlist on its vectors.
fn evaluate_dot(s: &Unit, graph: &Aig, vectors: &[[u128; 3]], want: &[u128]) -> Check {
    let (inputs, outputs) = s.ports(crate::designs::dot::DEFAULT_HEADROOM);
    let ins: [(&str, u32); 3] = [0, 1, 2].map(|i| (inputs[i].name.as_str(), inputs[i].width));
    let outs: Vec<(&str, u32)> = outputs.iter().map(|p| (p.name.as_str(), p.width)).collect();
    let got = match graph.eval(&ins, &outs, vectors, [0, !0]) {
        Ok(out) => out,
        Err(e) => return Check::failed_to_run(e),
    };
    let mut check = Check {
        pairs: vectors.len() as u64,
        mismatches: 0,
        first: None,
        error: None,
        proof: None,
    };
    for ((v, g), w) in vectors.iter().zip(&got).zip(want.chunks(outs.len())) {
        if g.as_slice() != w {
            check.mismatches += 1;
            check.first.get_or_insert_with(|| {
                format!(
                    "a = {:#x}, b = {:#x}, acc_in = {:#x}: netlist {g:x?}, reference {w:x?}",
                    v[0], v[1], v[2]
                )
            });
        }
    }
    check
}

/// One multiplier netlist's verdict on `pairs`.
fn evaluate(m: &Design, graph: &Aig, pairs: &[(u32, u32)]) -> Check {
    let out = match graph.eval_pairs(pairs, m.width(), m.out_width(), [0, !0]) {
        Ok(out) => out,
        Err(e) => return Check::failed_to_run(e),
    };
    let mask = if m.out_width() >= 32 {
        u32::MAX
    } else {
        (1u32 << m.out_width()) - 1
    };
    let mut check = Check {
        pairs: pairs.len() as u64,
        mismatches: 0,
        first: None,
        error: None,
        proof: None,
    };
    for (&(a, b), &got) in pairs.iter().zip(&out) {
        let want = m.reference.mul(a, b) & mask;
        if got != want {
            check.mismatches += 1;
            check.first.get_or_insert_with(|| {
                format!("a = {a:#06x}, b = {b:#06x}: netlist {got:#06x}, reference {want:#06x}")
            });
        }
    }
    check
}
