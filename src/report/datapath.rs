//! Step `datapath`: the dot-product units of spec section 8 (the datapath
//! that runs inference) at N = 1 and N = 8 (verified with every other
//! unit in the verify step): synthesised for the four families under the default recipe (each
//! netlist checked), Fmax on iCE40 and ECP5; LUTs per lane and "x RF8" per
//! lane beside the multiplier-only ratio of the same recipe.

use crate::area::range::{best, ratio};
use crate::area::{chart, plan, pnr, table, AreaRow, Device, Job, Unit};
use crate::catalog::dot_defaults;
use crate::formats::dot::Accumulator;
use indicatif::ProgressBar;

use super::{Ctx, Results, StepFail, StepOut};
use crate::table::Table;

/// Every unit at N = 1 and 8 on the four families, the default recipe
/// (see [`plan::default_recipe`]), logic only, except the 8-lane binary32
/// units, synthesised on Xilinx only (about 12,000 LUTs: 55 to 75 s of
/// Yosys each on this machine kind, the largest jobs of the report). Every
/// 1-lane netlist is checked, the 8-lane ones on iCE40 and ECP5 (the
/// check flattens the netlist through Yosys: 32 s for `dot_rf8_n8` on
/// Gowin, after 18 s of synthesis); Fmax on iCE40 for every unit that fits
/// an HX8K. The other families' 8-lane binary32 units and checks, the other
/// recipes, DSPs and the ECP5 Fmax would take the report past 20 minutes on
/// two cores: `make area-dot` runs them. The quick report: iCE40, N = 8,
/// the fixed-point units, no check, no Fmax.
fn jobs(quick: bool) -> Vec<Job> {
    let devices: &[Device] = if quick {
        &[Device::Ice40]
    } else {
        &Device::ALL
    };
    let mut v = Vec::new();
    for &device in devices {
        for u in dot_defaults().into_iter().map(Unit::Dot) {
            let float = plan::is_float(&u);
            if quick && (u.lanes() == 1 || float) || !plan::in_default_flow(device, &u) {
                continue;
            }
            if float && u.lanes() > 1 && device != Device::Xilinx {
                continue;
            }
            let Some(recipe) = plan::default_recipe(device, &u) else {
                continue;
            };
            let fits = plan::fits_hx8k(&u);
            let place =
                !quick && fits && device == Device::Ice40 && pnr::places(device, recipe, false);
            let job = |recipe| Job {
                m: u,
                device,
                recipe,
                dsp: false,
                pipeline: 0,
                place,
                check: !quick
                    && fits
                    && (u.lanes() == 1 || matches!(device, Device::Ice40 | Device::Ecp5)),
            };
            v.push(job(recipe));
            // The binary32 units' base: dot_rf8 under their recipe too.
            let other = plan::recipe_for(device, true).filter(|r| *r != recipe);
            if let (Some(r), true) = (other, u.name() == "dot_rf8_n1") {
                v.push(job(r));
            }
        }
    }
    v
}

/// Per device: each unit's LUTs at N = 1 and N = 8, per lane, the ratio
/// to `dot_rf8` with the same lane count (the per-lane ratio) beside the
/// multipliers' ratio from the area step, all under the default recipe.
fn per_lane(rows: &[AreaRow], muls: &[AreaRow]) -> Table {
    let mut t = Table::new(&[
        "family",
        "unit",
        "LUTs n1",
        "LUTs n8",
        "per lane n8",
        "x RF8 n1",
        "x RF8 per lane n8",
        "x RF8 multiplier alone",
        "Fmax n1 MHz",
        "Fmax n8 MHz",
    ]);
    // Each unit and its multiplier under the unit's recipe on the family.
    let under = |rows: &[AreaRow], d: Device, float: bool| -> Vec<AreaRow> {
        let name = plan::recipe_for(d, float).map_or("", |r| r.name);
        rows.iter().filter(|r| r.recipe == name).cloned().collect()
    };
    let x = |rows: &[AreaRow], name: &str, d: Device| {
        ratio(rows, name, d.name(), false).map_or("-".into(), |r| format!("{:.2}", r.min))
    };
    for d in Device::ALL {
        for design in crate::catalog::DOT_UNITS.iter() {
            let float = design.reference.accumulator == Accumulator::Float32;
            let (rows, muls) = (&under(rows, d, float), &under(muls, d, float));
            let n = |lanes: usize| design.reference.name(lanes);
            let (b1, b8) = (
                best(rows, &n(1), d.name(), false),
                best(rows, &n(8), d.name(), false),
            );
            if b1.is_none() && b8.is_none() {
                continue;
            }
            let fmax = |lanes: usize| {
                rows.iter()
                    .find(|r| r.design == n(lanes) && r.device == d.name())
                    .and_then(|r| r.fmax_mhz)
                    .map_or("-".into(), |f| format!("{f:.1}"))
            };
            t.push(vec![
                d.name().into(),
                format!("`dot_{}`", design.reference.format),
                b1.map_or("-".into(), |r| r.luts.to_string()),
                b8.map_or("-".into(), |r| r.luts.to_string()),
                b8.map_or("-".into(), |r| format!("{:.0}", r.luts as f64 / 8.0)),
                x(rows, &n(1), d),
                x(rows, &n(8), d),
                x(muls, design.multiplier, d),
                fmax(1),
                fmax(8),
            ]);
        }
    }
    t
}

pub fn run(ctx: &Ctx, results: &mut Results, bar: &ProgressBar) -> Result<StepOut, StepFail> {
    let mut all_jobs = jobs(ctx.quick);
    all_jobs.extend(super::mac::jobs(ctx.quick));
    let (all_rows, problems, wrong) = super::synthesis::run(ctx, bar, &all_jobs, !ctx.quick);
    let (mac_rows, rows): (Vec<AreaRow>, Vec<AreaRow>) = all_rows
        .into_iter()
        .partition(|r| table::Section::of(&r.design) == table::Section::MacUnits);
    ctx.write("datapath.csv", &crate::area::csv(&rows))?;
    ctx.write("mac.csv", &crate::area::csv(&mac_rows))?;
    let summary = per_lane(&rows, &results.area);
    let mut markdown = format!(
        "No accelerator runs a multiplier alone: every product goes into an accumulator. The \
         dot-product units of spec section 8 (`acc_out = acc_in + sum a[i] * b[i]`; the \
         fixed-point units exact in W = P + 1 + 20 bits, wrapping) at N = 1 and N = 8 lanes, \
         each verified against its reference in both simulators in the verification step. \
         Logic only, the default recipe ({yosys}; for the binary32 units on Gowin Yosys \
         0.70's, as 0.23's Gowin netlists of the floating-point designs fail the netlist \
         check). The 8-lane binary32 units (about 12,000 LUTs, a minute of Yosys each) are \
         synthesised here on Xilinx only, and left to `make area-dot` on the other \
         families (`-` below); every 1-lane netlist is checked against the reference, the \
         8-lane ones on iCE40 and ECP5 (`make area-dot` checks the rest). **x RF8** is the ratio of LUTs to \
         `dot_rf8` with the same lane count (at N = 8 the per-lane ratio), **x RF8 \
         multiplier alone** the same ratio for the multipliers by themselves (the area \
         step, same recipe). Fmax: nextpnr on an iCE40 HX8K, which the 8-lane binary32 units \
         do not fit; their netlists are not checked here (the RTL is, in the verification \
         step). Other recipes, DSP blocks, ECP5 Fmax, pipelined units: `make area-dot` \
         (ranges in `docs/area.md`):\n\n{}\n",
        summary.markdown(),
        yosys = crate::tools::version("yosys").unwrap_or_default(),
    );
    markdown += "The two ratio columns differ because the multiplier is not where a lane's \
        area goes. An RF8 product is two set bits anywhere in 35 bit positions, so each lane \
        needs an alignment shifter and a wide adder into the accumulator; an INT8 product is \
        already a 16-bit two's complement number that only needs sign extension. So INT8, \
        several times RF8 as a multiplier, is cheaper per lane, and exact E4M3 costs about \
        what RF8 does. Against FP16 and BF16 with FP32 accumulation (the tensor-core \
        arrangement) RF8 keeps a lead per lane, but a far smaller one than its multiplier \
        alone suggests: their lanes pay for a binary32 adder each, and RF8's for its wide \
        exact accumulator. `docs/area.md` breaks the lanes down.\n\n";
    let mut all = Vec::new();
    markdown += &super::synthesis::tables(&rows, false, table::Section::DotUnits);
    for d in Device::ALL {
        for u in dot_defaults().iter().filter(|u| u.lanes == 8) {
            if let Some(b) = best(&rows, &u.name(), d.name(), false) {
                let mut lane = b.clone();
                lane.design = format!("dot_{}", u.design.reference.format);
                lane.luts = (b.luts as f64 / 8.0).round() as u64;
                all.push(lane);
            }
        }
    }
    let title = "LUTs per lane of an 8-lane dot-product unit (default recipe, logic only)";
    ctx.svg("datapath.svg", |p| chart::lut_chart(&all, p, title))?;
    markdown += &format!("![{title}](datapath.svg)\n\n");
    let figs = super::mac::figures(&mac_rows);
    markdown += &mac_section(ctx, &mac_rows, &figs)?;
    if !wrong.is_empty() {
        markdown += "Netlists found wrong (left out of the figures):\n\n";
        for line in &wrong {
            markdown += &format!("* {line}\n");
        }
        markdown += "\n";
    }
    Ok(StepOut {
        markdown,
        json: serde_json::json!({
            "rows": rows,
            "per_lane": summary.csv(),
            "mac_rows": mac_rows,
            "mac": figs,
        }),
        problems,
    })
}

/// The MAC units' subsection: what they are, the figures, the verdict
/// (computed from the rows), the area tables and the chart.
fn mac_section(
    ctx: &Ctx,
    rows: &[AreaRow],
    figs: &[super::mac::Figures],
) -> Result<String, StepFail> {
    if figs.is_empty() {
        return Ok(String::new());
    }
    let mut md = format!(
        "### Sequential MAC units: the accumulator each format can have\n\n\
         An accelerator feeds N lanes per clock for K/N clocks, so the accumulator is free \
         to take any structure (spec section 9). Each MAC unit returns exactly what chaining \
         the format's section-8 unit from zero returns, and each was verified in the \
         sequence harness of both simulators in the verification step. Two designs per \
         format: `mac_<format>_n<N>`, a register accumulator whose lanes sum the group at \
         the group's width (P + 1 + log2 N bits) with one W-bit add per group, one group per \
         clock; and `mac_<format>_eia_n<N>` (RF8 and E4M3), exponent-indexed bins after \
         Liguori (arXiv 2406.05866): each product's small integer is added into the bin of \
         its exponent in a per-lane bank of block RAM, with no alignment shifter, and the \
         bins are read back once per dot product (Horner, from the top bin), stalling \
         `in_ready` for B + 1 cycles (35 for RF8, 30 for E4M3). N = 8 (N = 1, 2, 4 and 16: \
         `make area-mac`, `docs/area.md`), default recipe ({yosys}), logic only, and INT8 \
         also with DSP blocks on ECP5 and Xilinx; Fmax: nextpnr on an iCE40 HX8K. \
         **groups/clock** and **stall share** are for a K = {k} dot product; **kMAC/s per \
         LUT** is lanes x groups/clock x Fmax / LUTs. Block RAM is counted, never folded \
         into LUTs: an iCE40 SB_RAM40_4K is 4 kbit, the others' blocks 18 kbit.\n\n{}\n",
        super::mac::table(figs).markdown(),
        k = super::mac::K,
        yosys = crate::tools::version("yosys").unwrap_or_default(),
    );
    md += &format!(
        "**Verdict** (cheapest by LUTs; block RAM and DSPs beside):\n\n{}\n",
        super::mac::verdict(figs)
    );
    md += &super::synthesis::tables(rows, false, table::Section::MacUnits);
    md += &super::synthesis::tables(rows, true, table::Section::MacUnits);
    let chart_rows = super::mac::chart_rows(rows);
    if !chart_rows.is_empty() {
        let title = "LUTs per lane of an 8-lane MAC unit (default recipe, logic only)";
        ctx.svg("mac.svg", |p| chart::lut_chart(&chart_rows, p, title))?;
        md += &format!("![{title}](mac.svg)\n\n");
    }
    Ok(md)
}
