//! Step `verify`: every design's Verilog in Verilator and Icarus against
//! its reference (8- and 4-bit designs on every pair, 16-bit designs on the
//! directed catalogue plus seeded random pairs), and the RF8 reference's
//! own exhaustive property check.

use indicatif::ProgressBar;
use rf8::check::rf8_mul_property;
use rf8::sim::Simulator;
use rf8::verify::{verify, Options};
use rf8::DESIGNS;

use super::{Ctx, Results, StepFail, StepOut};
use rf8::table::{fixed, Table};

/// One design in one simulator.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Row {
    pub design: String,
    pub simulator: &'static str,
    pub pairs: u64,
    pub mismatches: u64,
    pub seconds: f64,
    /// Why it could not run, if it could not.
    pub error: Option<String>,
}

pub fn run(ctx: &Ctx, results: &mut Results, bar: &ProgressBar) -> Result<StepOut, StepFail> {
    let vectors = if ctx.quick { 10_000 } else { 1_000_000 };
    let mut problems = Vec::new();
    let mut table = Table::new(&["design", "simulator", "pairs", "mismatches", "seconds"]);
    for sim in [Simulator::Verilator, Simulator::Icarus] {
        for m in DESIGNS.iter() {
            bar.set_message(format!("{} in {}", m.name(), sim.name()));
            let opts = Options {
                vectors,
                simulators: vec![sim],
                max_mismatches: 0,
                ..Options::default()
            };
            let row = match verify(m, &opts) {
                Ok(o) => Row {
                    design: m.name().into(),
                    simulator: sim.name(),
                    pairs: o.reports[0].pairs,
                    mismatches: o.reports[0].mismatches,
                    seconds: o.reports[0].seconds,
                    error: o.reports[0]
                        .unsettled
                        .as_ref()
                        .map(|u| format!("the design did not settle: {}", u.message)),
                },
                Err(e) => Row {
                    design: m.name().into(),
                    simulator: sim.name(),
                    pairs: 0,
                    mismatches: 0,
                    seconds: 0.0,
                    error: Some(e.to_string()),
                },
            };
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
    let markdown = format!(
        "The generated Verilog simulated and compared bit for bit with the software reference: \
         designs with at most 2^20 pairs (the 8- and 4-bit ones) on every pair, 16-bit designs on \
         the directed catalogue plus {vectors} \
         seeded random pairs (`rf8 verify --exhaustive` runs all 2^32; see docs/verification.md). \
         CSV: [`verify.csv`](verify.csv).\n\n{}\n\
         Reference self-check: `rf8_mul == encode_truncate(decode(a) * decode(b))` on {}/{} pairs; \
         relative error of the RF8 product over {} in-range pairs: max {:.2}%, mean {:.2}%.\n",
        table.markdown(),
        p.pairs - p.mismatches,
        p.pairs,
        p.in_range,
        100.0 * p.max_rel_error,
        100.0 * p.mean_rel_error
    );
    Ok(StepOut {
        markdown,
        json: serde_json::json!({ "runs": results.verify, "rf8_property": p, "random_vectors": vectors }),
        problems,
    })
}
