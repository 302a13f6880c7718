//! The netlist check: each recipe's mapped netlist, flattened with its
//! family's cell models by the Yosys that made it, simulated in Verilator
//! against the design's bit-exact reference, so that no recipe can report
//! the area of a wrong circuit (Yosys 0.23's `synth_gowin` maps fp16_mul
//! to a circuit that gives 1 x 1 = 0.125).
//!
//! All netlists of one design share one Verilator build: lane `i` of the
//! harness is netlist `i`, and every pair is repeated once per lane so
//! that each netlist sees every pair.

use std::path::Path;

use super::{AreaError, AreaRow};
use crate::sim::verilator::VerilatorModel;
use crate::sim::{cache, Dut};
use crate::verify::source::{Source, Sources};
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
}

impl Check {
    /// Simulated, and equal to the reference on every pair.
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.pairs > 0 && self.mismatches == 0
    }

    /// One phrase for tables.
    pub fn verdict(&self) -> String {
        match (&self.error, self.mismatches) {
            (Some(e), _) => format!("not run: {e}"),
            (None, 0) => format!("pass ({} pairs)", self.pairs),
            (None, n) => format!(
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
        }
    }
}

/// Where a netlist's verdict is cached.
fn cached(flat: &Path) -> std::path::PathBuf {
    flat.with_extension(format!(
        "check-{}.json",
        cache::hash(&[&RANDOM_PAIRS.to_string(), &SEED.to_string(), "check-v1"])
    ))
}

/// Checks every row of design `m` that has a flattened netlist and no
/// verdict yet (combinational designs only), filling in `row.check`.
/// A simulator that cannot build is a verdict on those rows, not an error.
pub fn check_design(m: &Design, rows: &mut [&mut AreaRow]) -> Result<(), AreaError> {
    let mut todo: Vec<usize> = Vec::new();
    for (i, row) in rows.iter_mut().enumerate() {
        let Some(flat) = &row.flat else { continue };
        if row.ffs > 0 {
            continue;
        }
        match std::fs::read_to_string(cached(flat))
            .ok()
            .and_then(|t| serde_json::from_str::<Check>(&t).ok())
        {
            Some(c) => row.check = Some(c),
            None => todo.push(i),
        }
    }
    if todo.is_empty() {
        return Ok(());
    }
    let dut = Dut {
        top: format!("{}_netlists", m.name()),
        sources: Sources {
            files: todo
                .iter()
                .filter_map(|&i| rows[i].flat.clone().map(Source::File))
                .collect(),
            include_dirs: Vec::new(),
            defines: Vec::new(),
        },
        wrapper: String::new(),
        width: m.width(),
        out_width: m.out_width(),
        depth: 0,
        reset_cycles: 0,
        clocked: false,
        lanes: todo.len(),
        lane_tops: todo.iter().map(|&i| rows[i].flat_top.clone()).collect(),
    };
    let pairs = vectors::default_set(m.reference, RANDOM_PAIRS, SEED);
    let checks = match simulate(m, &dut, &pairs) {
        Ok(checks) => checks,
        Err(e) => vec![Check::failed_to_run(e.to_string()); todo.len()],
    };
    for (&i, check) in todo.iter().zip(checks) {
        if check.error.is_none() {
            if let Some(flat) = &rows[i].flat {
                let text = serde_json::to_string(&check).unwrap_or_default();
                crate::fsutil::write_atomic(&cached(flat), text)
                    .map_err(crate::sim::SimError::from)?;
            }
        }
        rows[i].check = Some(check);
    }
    Ok(())
}

/// Runs every pair on every lane; one verdict per lane.
fn simulate(
    m: &Design,
    dut: &Dut,
    pairs: &[(u16, u16)],
) -> Result<Vec<Check>, crate::sim::SimError> {
    let lanes = dut.lanes();
    let model = VerilatorModel::build(dut)?;
    let repeated: Vec<(u16, u16)> = pairs
        .iter()
        .flat_map(|&p| std::iter::repeat_n(p, lanes))
        .collect();
    let out = model.eval(&repeated)?;
    let mask = (1u32 << m.out_width()) - 1;
    let mut checks = vec![
        Check {
            pairs: pairs.len() as u64,
            mismatches: 0,
            first: None,
            error: None,
        };
        lanes
    ];
    for (j, &(a, b)) in pairs.iter().enumerate() {
        let want = m.reference.mul(a as u32, b as u32) & mask;
        for (lane, check) in checks.iter_mut().enumerate() {
            let got = out[j * lanes + lane] as u32 & mask;
            if got != want {
                check.mismatches += 1;
                check.first.get_or_insert_with(|| {
                    format!("a = {a:#06x}, b = {b:#06x}: netlist {got:#06x}, reference {want:#06x}")
                });
            }
        }
    }
    Ok(checks)
}
