//! Step `verify`: every unit's Verilog in Verilator and Icarus against
//! its reference, through the one engine (`verify_unit`): multipliers with
//! at most 2^20 pairs (the 8-, 6- and 4-bit ones) on every pair, 16-bit
//! ones on the directed catalogue plus seeded random pairs; dot-product
//! units at one 8-bit-or-narrower lane on every pair x accumulator edges,
//! otherwise directed plus seeded random vectors. Then the RF8 reference's
//! own exhaustive property check.

use crate::check::rf8_mul_property;
use crate::sim::Simulator;
use crate::unit::Unit;
use crate::verify::{verify_unit, Options};
use indicatif::ProgressBar;
use rayon::prelude::*;

use super::{Ctx, Results, StepFail, StepOut};
use crate::table::{fixed, Table};

/// One unit in one simulator.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Row {
    pub design: String,
    /// `multiplier` or `dot-product unit`.
    pub kind: &'static str,
    pub simulator: &'static str,
    /// Pairs (a multiplier) or vectors (a dot-product unit) simulated.
    pub pairs: u64,
    pub mismatches: u64,
    pub seconds: f64,
    /// Why it could not run, if it could not.
    pub error: Option<String>,
}

/// Random vectors per run: 10^6 (the quick report: 10^4 pairs, 10^3 unit
/// vectors); Icarus gets a tenth of the full run's, as in `make verify`.
/// A MAC unit: 10^5 random groups in Verilator and 10^4 in Icarus, after
/// its directed sequences (at N = 1 and H = 20 those alone are 2.1
/// million cycles); 10^3 in the quick report.
fn budget(u: &Unit, sim: Simulator, quick: bool) -> u64 {
    match (u, quick, sim) {
        (Unit::Mul(_), true, _) => 10_000,
        (Unit::Dot(_), true, _) => 1_000,
        (Unit::Mac(_), true, _) => 1_000,
        (Unit::Mac(_), false, Simulator::Verilator) => 100_000,
        (Unit::Mac(_), false, Simulator::Icarus) => 10_000,
        (_, false, Simulator::Verilator) => 1_000_000,
        (_, false, Simulator::Icarus) => 100_000,
    }
}

/// The headroom a unit is simulated at: the default, except MAC units in
/// Icarus and in the quick report, which run the same generator at
/// H = 12, so that their longest directed dot product is 4,096 products
/// instead of 2^20 (Icarus takes 6 minutes for the 15 units at H = 20).
fn headroom(u: &Unit, sim: Simulator, quick: bool) -> u32 {
    if u.is_sequential() && (quick || sim == Simulator::Icarus) {
        12
    } else {
        crate::designs::dot::DEFAULT_HEADROOM
    }
}

/// One unit in one simulator, as a row (an error is a row too).
fn simulate(sim: Simulator, u: &Unit, quick: bool) -> Row {
    let opts = Options {
        vectors: budget(u, sim, quick),
        simulators: vec![sim],
        max_mismatches: 0,
        headroom: headroom(u, sim, quick),
        ..Options::default()
    };
    let row = |pairs, mismatches, seconds, error| Row {
        design: u.name(),
        kind: u.kind(),
        simulator: sim.name(),
        pairs,
        mismatches,
        seconds,
        error,
    };
    match verify_unit(u, &opts) {
        Ok(o) => {
            let r = o.runs().remove(0);
            row(r.vectors, r.mismatches, r.seconds, r.error)
        }
        Err(e) => row(0, 0, 0.0, Some(e.to_string())),
    }
}

pub fn run(ctx: &Ctx, results: &mut Results, bar: &ProgressBar) -> Result<StepOut, StepFail> {
    let mut problems = Vec::new();
    let mut table = Table::new(&[
        "unit",
        "simulator",
        "pairs or vectors",
        "mismatches",
        "seconds",
    ]);
    // The quick report leaves out the one-lane dot-product units.
    // MAC units at N = 8 only (the datapath step's; `make test` and `make
    // verify` run the others).
    let wanted = |u: &Unit| {
        !(ctx.quick && u.as_dot().is_some_and(|d| d.lanes == 1)
            || u.as_mac().is_some_and(|m| m.lanes != super::mac::LANES))
    };
    let runs: Vec<(Simulator, Unit)> = [Simulator::Verilator, Simulator::Icarus]
        .into_iter()
        .flat_map(|sim| {
            Unit::all()
                .into_iter()
                .filter(wanted)
                .map(move |u| (sim, u))
        })
        .collect();
    // Two at a time (Icarus is single-threaded and slow); rows in order.
    let done = std::sync::atomic::AtomicUsize::new(0);
    let rows: Vec<Row> = runs
        .par_iter()
        .map(|&(sim, u)| {
            let row = simulate(sim, &u, ctx.quick);
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            bar.set_message(format!("{n}/{} runs", runs.len()));
            row
        })
        .collect();
    for row in rows {
        ctx.log(format!("{row:?}"));
        if let Some(e) = &row.error {
            problems.push(format!("{} in {}: {e}", row.design, row.simulator));
        } else if row.mismatches > 0 {
            problems.push(format!(
                "{} in {}: {} mismatches (run `rf8 verify --design {} --simulator {}`)",
                row.design, row.simulator, row.mismatches, row.design, row.simulator
            ));
        }
        table.push(vec![
            format!("`{}`", row.design),
            row.simulator.into(),
            row.pairs.to_string(),
            match &row.error {
                Some(_) => "did not run".into(),
                None => row.mismatches.to_string(),
            },
            fixed(Some(row.seconds), 2),
        ]);
        results.verify.push(row);
    }
    bar.set_message("RF8 property");
    let p = rf8_mul_property();
    if p.mismatches > 0 {
        problems.push(format!(
            "the RF8 reference fails its property on {} pairs",
            p.mismatches
        ));
    }
    ctx.write("verify.csv", &table.csv())?;
    let vectors = if ctx.quick { 10_000 } else { 1_000_000 };
    let markdown = format!(
        "Every unit's generated Verilog simulated and compared bit for bit with the software \
         reference, in Verilator and in Icarus: multipliers with at most 2^20 pairs (the 8-, 6- \
         and 4-bit ones) on every pair, 16-bit ones on the directed catalogue plus seeded \
         random pairs (`rf8 verify --exhaustive` runs all 2^32); dot-product units at one \
         lane of 8 bits or fewer on every pair against each accumulator edge, otherwise \
         directed vectors (wrap, carry through every bit, cancellation, each lane alone; \
         specials for the binary32 units) plus seeded random ones; MAC units (spec section \
         9) in the sequence harness, cycle by cycle: the directed group sequences (the \
         longest dot product of the largest and of the most negative product, all in one \
         exponent bin; cancelling pairs; back-to-back one-group dot products; the smallest \
         product 1,000 times), a reset in the middle of a dot product, then random dot \
         products with idle cycles of junk inputs between groups, each result checked for \
         value, `invalid` and latency ({mac}). Random: {random}. See docs/verification.md. CSV: [`verify.csv`](verify.csv).\n\n{}\n\
         Reference self-check: `rf8_mul == encode_truncate(decode(a) * decode(b))` on {}/{} pairs; \
         relative error of the RF8 product over {} in-range pairs: max {:.2}%, mean {:.2}%.\n",
        table.markdown(),
        p.pairs - p.mismatches,
        p.pairs,
        p.in_range,
        100.0 * p.max_rel_error,
        100.0 * p.mean_rel_error,
        mac = if ctx.quick {
            "N = 8, H = 12 in both simulators"
        } else {
            "N = 8 here, N = 1 in `make test` and `make verify`; Verilator at H = 20 with 10^5 \
             random groups, Icarus on the same generator at H = 12 (longest dot product 4,096 \
             products) with 10^4"
        },
        random = if ctx.quick {
            "10^4 pairs, 10^3 vectors"
        } else {
            "10^6 in Verilator, 10^5 in Icarus (as `make verify`)"
        },
    );
    Ok(StepOut {
        markdown,
        json: serde_json::json!({ "runs": results.verify, "rf8_property": p, "random_vectors": vectors }),
        problems,
    })
}
