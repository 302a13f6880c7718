//! Step `area`: Yosys synthesis of every design for the four FPGA families,
//! logic only and with DSPs, and nextpnr Fmax on iCE40 and ECP5.

use indicatif::ProgressBar;
use rayon::prelude::*;
use rf8::area::{chart, lut_ratio, measure, pnr, AreaRow, Device};
use rf8::{Design, DESIGNS};

use super::md::{fixed, Table};
use super::{Ctx, Results, StepFail, StepOut};

struct Job {
    m: &'static Design,
    device: Device,
    dsp: bool,
    fmax: bool,
}

fn jobs(quick: bool) -> Vec<Job> {
    let devices: &[Device] = if quick {
        &[Device::Ice40, Device::Ecp5]
    } else {
        &Device::ALL
    };
    let dsps: &[bool] = if quick { &[false] } else { &[false, true] };
    let mut v = Vec::new();
    for &dsp in dsps {
        for &device in devices {
            for m in DESIGNS.iter() {
                // Fmax: logic only, where nextpnr exists (iCE40 HX8K has no
                // DSP blocks); not in the quick report.
                let fmax = !quick && !dsp && matches!(device, Device::Ice40 | Device::Ecp5);
                v.push(Job {
                    m,
                    device,
                    dsp,
                    fmax,
                });
            }
        }
    }
    v
}

pub fn run(ctx: &Ctx, results: &mut Results, bar: &ProgressBar) -> Result<StepOut, StepFail> {
    let jobs = jobs(ctx.quick);
    let mut problems = Vec::new();
    for d in [Device::Ice40, Device::Ecp5] {
        if !ctx.quick && pnr::nextpnr(d).is_none() {
            problems.push(format!(
                "no nextpnr for {} (`make deps` installs it): no Fmax there",
                d.name()
            ));
        }
    }
    bar.set_message(format!("{} synthesis runs", jobs.len()));
    let done = std::sync::atomic::AtomicUsize::new(0);
    let outcomes: Vec<Result<AreaRow, String>> = jobs
        .par_iter()
        .map(|j| {
            let place = j.fmax && pnr::nextpnr(j.device).is_some();
            let row = measure(j.m, j.device, j.dsp, 0, place).map_err(|e| e.to_string())?;

            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            bar.set_message(format!("{n}/{} runs", jobs.len()));
            Ok(row)
        })
        .collect();
    let mut rows = Vec::new();
    for (j, o) in jobs.iter().zip(outcomes) {
        match o {
            Ok(r) => {
                ctx.log(format!(
                    "{} {} dsp={}: {} LUTs, fmax {:?}",
                    r.design, r.device, r.dsp_enabled, r.luts, r.fmax_mhz
                ));
                rows.push(r);
            }
            Err(e) => problems.push(format!(
                "{} on {}{}: {e}",
                j.m.name(),
                j.device.name(),
                if j.dsp { " (DSP)" } else { "" }
            )),
        }
    }
    ctx.write("area.csv", &rf8::area::csv(&rows))?;
    let mut markdown = String::from(
        "Yosys 0.23 synthesis, DSP blocks off (\"logic only\") unless stated; Fmax from \
         nextpnr with the design between input and output registers (iCE40 HX8K, ECP5 25K). \
         CSV: [`area.csv`](area.csv) (every row, carries, DSPs, flip-flops, logic depth).\n\n",
    );
    for dsp in [false, true] {
        let part: Vec<AreaRow> = rows
            .iter()
            .filter(|r| r.dsp_enabled == dsp)
            .cloned()
            .collect();
        if part.is_empty() {
            continue;
        }
        markdown += &format!("{}\n\n", if dsp { "DSPs allowed:" } else { "Logic only:" });
        markdown += &wide(&part).markdown();
        let name = if dsp { "luts_dsp.svg" } else { "luts.svg" };
        let title = if dsp {
            "LUTs per multiplier (DSPs allowed)"
        } else {
            "LUTs per multiplier (logic only)"
        };
        ctx.svg(name, |p| chart::lut_chart(&part, p, title))?;
        markdown += &format!("\n![{title}]({name})\n\n");
    }
    results.area = rows;
    Ok(StepOut {
        markdown,
        json: serde_json::json!({ "rows": results.area }),
        problems,
    })
}

/// One row per design, LUTs per device, with DSP and Fmax columns only
/// where they hold something (DSPs when allowed, Fmax when placed).
fn wide(rows: &[AreaRow]) -> Table {
    let mut devices: Vec<&str> = Vec::new();
    for r in rows {
        if !devices.contains(&r.device.as_str()) {
            devices.push(&r.device);
        }
    }
    let dsp = rows.iter().any(|r| r.dsp_enabled);
    let has_fmax = |d: &str| rows.iter().any(|r| r.device == d && r.fmax_mhz.is_some());
    let mut header = vec!["design".to_string()];
    for d in &devices {
        header.push(format!("{d} LUTs"));
        header.push(format!("{d} x RF8"));
        if dsp {
            header.push(format!("{d} DSPs"));
        }
        if has_fmax(d) {
            header.push(format!("{d} Fmax MHz"));
        }
    }
    let mut t = Table {
        header,
        rows: Vec::new(),
    };
    for m in DESIGNS.iter() {
        let mut row = vec![format!("`{}`", m.name())];
        for d in &devices {
            let r = rows.iter().find(|r| r.design == m.name() && r.device == *d);
            row.push(r.map_or("-".into(), |r| r.luts.to_string()));
            row.push(fixed(r.and_then(|r| lut_ratio(rows, r)), 2));
            if dsp {
                row.push(r.map_or("-".into(), |r| r.dsps.to_string()));
            }
            if has_fmax(d) {
                row.push(fixed(r.and_then(|r| r.fmax_mhz), 1));
            }
        }
        t.push(row);
    }
    t
}
