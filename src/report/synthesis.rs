//! What the area and datapath steps share: running their synthesis jobs
//! with progress, sorting the outcomes into problems (a run or a check
//! that could not run) and netlists found wrong (a finding about the
//! synthesis tool, left out of every figure), and one table per family.

use indicatif::ProgressBar;

use super::Ctx;
use crate::area::{run_all, table, AreaRow, Device, Job};
use crate::table::Table;

/// The rows of `jobs`, the problems, and the netlists found wrong (one
/// line each).
pub fn run(
    ctx: &Ctx,
    bar: &ProgressBar,
    jobs: &[Job],
    check: bool,
) -> (Vec<AreaRow>, Vec<String>, Vec<String>) {
    bar.set_message(format!("{} synthesis runs", jobs.len()));
    let progress = |_: &Job, n: usize, total: usize| {
        bar.set_message(format!("{n}/{total} synthesis runs"));
    };
    let (mut rows, failed) = run_all(jobs, check, &progress);
    if check {
        // Proofs kept from `make prove`, and the 8-bit multipliers'
        // (milliseconds); the rest say "sampled".
        crate::prove::netlists::attach(&mut rows, std::time::Duration::ZERO);
    }
    let dsp = |on: bool| if on { ", DSPs allowed" } else { "" };
    let mut problems: Vec<String> = failed
        .iter()
        .map(|(j, e)| {
            let (unit, device) = (j.m.name(), j.device.name());
            format!("{unit} on {device} ({}{}): {e}", j.recipe.name, dsp(j.dsp))
        })
        .collect();
    let mut wrong = Vec::new();
    for r in &rows {
        ctx.log(format!(
            "{} {} {} dsp={}: {} LUTs, fmax {:?}, check {}",
            r.design,
            r.device,
            r.recipe,
            r.dsp_enabled,
            r.luts,
            r.fmax_mhz,
            r.check.as_ref().map_or("none".into(), |c| c.verdict())
        ));
        // The RTL itself is verified by the verify step.
        if let Some(c) = r.check.as_ref().filter(|c| !c.passed()) {
            let line = format!(
                "{} on {} ({}{}): {}",
                r.design,
                r.device,
                r.recipe,
                dsp(r.dsp_enabled),
                c.verdict()
            );
            if c.error.is_some() {
                problems.push(format!("netlist of {line}"));
            } else {
                wrong.push(line);
            }
        }
    }
    (rows, problems, wrong)
}

/// One Markdown table per family that has rows of `section`: its title,
/// then the units' cells.
pub fn tables(rows: &[AreaRow], dsp: bool, section: table::Section) -> String {
    let header = section.header();
    let mut out = String::new();
    for d in Device::ALL {
        let body = table::cells(rows, d.name(), dsp, section);
        if body.is_empty() {
            continue;
        }
        let mut t = Table::new(header);
        for mut line in body {
            line[0] = format!("`{}`", line[0]);
            t.push(line);
        }
        out += &format!(
            "{}\n\n{}\n",
            table::title(rows, d.name(), dsp),
            t.markdown()
        );
    }
    out
}
