//! Step `gen`: the Verilog of every multiplier and every dot-product unit
//! at its default lane counts (everything `rtl/` holds) into DIR/rtl,
//! compared with the committed `rtl/` and linted with `verilator
//! --lint-only -Wall`.

use crate::designs::dot::DEFAULT_HEADROOM;
use crate::unit::Unit;
use indicatif::ProgressBar;

use super::{Ctx, Results, StepFail, StepOut};
use crate::table::Table;

pub fn run(ctx: &Ctx, _results: &mut Results, bar: &ProgressBar) -> Result<StepOut, StepFail> {
    let dir = ctx.out.join("rtl");
    std::fs::create_dir_all(&dir)
        .map_err(|e| ctx.fail(format!("cannot create {}: {e}", dir.display())))?;
    let mut table = Table::new(&[
        "design",
        "module",
        "lines",
        "same as rtl/",
        "verilator -Wall",
    ]);
    let mut problems = Vec::new();
    let mut rows = Vec::new();
    // Every unit (the multipliers, then the dot-product units at their
    // default lane counts and headroom), each generated as the loop
    // reaches it.
    let units = Unit::all()
        .into_iter()
        .map(|u| (u.name(), u.rtl(DEFAULT_HEADROOM, 0)));
    for (unit, generated) in units {
        bar.set_message(unit.clone());
        let (module, verilog) = generated.map_err(|e| ctx.fail(format!("{unit}: {e}")))?;
        let name = format!("rtl/{module}.v");
        ctx.write(&name, &verilog)?;
        let committed = std::fs::read_to_string(format!("rtl/{module}.v")).ok();
        let same = committed.as_ref().map(|c| *c == verilog);
        if same == Some(false) {
            problems.push(format!(
                "{name} differs from the committed rtl/{module}.v (run `make rtl`)"
            ));
        }
        let lint = lint(ctx, &ctx.out.join(&name));
        if let Err(e) = &lint {
            problems.push(format!("{module}: {e}"));
        }
        table.push(vec![
            format!("`{unit}`"),
            format!("`{module}`"),
            verilog.lines().count().to_string(),
            match same {
                Some(true) => "yes".into(),
                Some(false) => "**no**".into(),
                None => "(no rtl/ here)".into(),
            },
            match &lint {
                Ok(()) => "clean".into(),
                Err(e) => format!("**{e}**"),
            },
        ]);
        rows.push(serde_json::json!({
            "design": unit, "module": module, "lines": verilog.lines().count(),
            "same_as_committed": same, "lint_clean": lint.is_ok(),
        }));
    }
    ctx.write("gen.csv", &table.csv())?;
    let markdown = format!(
        "Every multiplier and every dot-product unit (N = 1 and 8, headroom 20) of the catalogue, \
         generated from their rust-hdl descriptions into `rtl/` of this report (combinational). CSV: [`gen.csv`](gen.csv).\n\n{}",
        table.markdown()
    );
    Ok(StepOut {
        markdown,
        json: serde_json::json!({ "designs": rows }),
        problems,
    })
}

/// `verilator --lint-only -Wall` on one file: Ok when it prints nothing.
fn lint(ctx: &Ctx, file: &std::path::Path) -> Result<(), String> {
    let out = crate::tools::output(
        "verilator",
        crate::tools::command("verilator")
            .args(["--lint-only", "-Wall"])
            .arg(file),
        crate::tools::timeout(),
    )
    .map_err(|e| format!("cannot lint: {e}"))?;
    let text =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    ctx.log(format!(
        "verilator --lint-only -Wall {}: {}",
        file.display(),
        text.trim()
    ));
    if out.status.success() && text.trim().is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} lint warning(s)",
            text.lines().filter(|l| l.starts_with('%')).count().max(1)
        ))
    }
}
