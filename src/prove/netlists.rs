//! The area table's netlist column: each checked netlist's proof against
//! the RTL, attached to its row's [`Check`] so that the table says
//! `proved`, `sampled` (no proof, the sampled check passed) or the
//! counterexample. `rf8 area` and the report call this after synthesis.

use std::time::Duration;

use rayon::prelude::*;

use super::miter::{Shape, Sides};
use super::side::{rtl_aig, Reduction};
use super::{solve, Verdict};
use crate::area::aig::Aig;
use crate::area::netlist::{aig_path, Formal};
use crate::area::AreaRow;
use crate::unit::Unit;

/// Proves each row whose sampled check passed, within `limit` each (zero:
/// only what the proof cache holds and what enumerating at most 2^20
/// assignments settles at once; see [`super::solve`]).
pub fn attach(rows: &mut [AreaRow], limit: Duration) {
    rows.par_iter_mut()
        .filter(|r| r.flat.is_some() && r.check.as_ref().is_some_and(|c| c.passed()))
        .for_each(|row| {
            let formal = prove(row, limit).unwrap_or_else(Formal::Unknown);
            if let Some(c) = row.check.as_mut() {
                c.proof = Some(formal);
            }
        });
}

/// Input bits up to which a zero `limit` still proves (by enumeration,
/// in milliseconds): the 8-bit multipliers.
const QUICK_BITS: u32 = 20;

/// The row's verdict: kept beside its netlist (the netlist's file name is
/// the hash of its RTL, recipe and tools, so a verdict there is this
/// netlist's), else proved now when `limit` allows.
fn prove(row: &AreaRow, limit: Duration) -> Result<Formal, String> {
    let unit = Unit::parse(&row.design).map_err(|e| e.to_string())?;
    let flat = row.flat.as_deref().ok_or("no netlist")?;
    let kept = flat.with_extension("proof.json");
    if let Some(f) = std::fs::read_to_string(&kept)
        .ok()
        .and_then(|t| serde_json::from_str::<Formal>(&t).ok())
    {
        return Ok(f);
    }
    let bits = super::side::input_bits(&unit);
    if limit.is_zero() && bits > QUICK_BITS {
        return Ok(Formal::Unknown(format!(
            "not attempted here ({bits} input bits); `rf8 prove --only netlist` proves it"
        )));
    }
    let f = solve_row(&unit, flat, limit)?;
    keep(flat, &f);
    Ok(f)
}

/// Keeps a definitive verdict beside the netlist `flat` (for the area
/// table of later runs and the report).
pub fn keep(flat: &std::path::Path, f: &Formal) {
    if !matches!(f, Formal::Unknown(_)) {
        let text = serde_json::to_string(f).unwrap_or_default();
        let _ = crate::fsutil::write_atomic(&flat.with_extension("proof.json"), text);
    }
}

fn solve_row(unit: &Unit, flat: &std::path::Path, limit: Duration) -> Result<Formal, String> {
    Ok(formal(&against_rtl(unit, flat, limit)?.0))
}

/// Solves the netlist whose flat AIG is beside `flat` against the unit's
/// generated RTL.
pub fn against_rtl(
    unit: &Unit,
    flat: &std::path::Path,
    limit: Duration,
) -> Result<(Verdict, super::abc::Run, usize), String> {
    let text = std::fs::read_to_string(aig_path(flat))
        .map_err(|e| format!("cannot read the netlist's AIG: {e}"))?;
    let net = Aig::parse(&text)?;
    let rtl = rtl_aig(unit, 0, Reduction::Optimised)?;
    let sides = Sides {
        left: &rtl,
        right: &net,
        names: ["RTL", "netlist"],
        shape: Shape::Combinational,
        ties: &[],
    };
    solve(&sides, limit)
}

/// A proof's verdict as the area table shows it.
pub fn formal(verdict: &Verdict) -> Formal {
    match verdict {
        Verdict::Proved => Formal::Proved,
        Verdict::Unknown { reason } => Formal::Unknown(reason.clone()),
        Verdict::Counterexample(c) => {
            let list = |v: &[(String, String)]| {
                v.iter()
                    .map(|(n, x)| format!("{n} = {x}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Formal::Counterexample(format!(
                "{}: RTL {}, netlist {}",
                list(&c.inputs),
                list(&c.sides[0].1),
                list(&c.sides[1].1)
            ))
        }
    }
}
