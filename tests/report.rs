//! `rf8 report --quick` end to end (issue 8): every section, the JSON and
//! the CSVs are there, and the figures in `index.md` are those of
//! `summary.json`. Uses the simulators and Yosys like the other RTL tests.

mod common;

use common::rf8;

fn fixed(v: &serde_json::Value, digits: usize) -> String {
    match v.as_f64() {
        Some(x) => format!("{x:.digits$}"),
        None => "-".into(),
    }
}

#[test]
fn quick_report_is_complete_and_consistent() {
    let inputs = common::temp_dir("report-inputs");
    let dir = inputs.join("report");
    // A small checkpoint: one 64 x 128 matrix and one vector.
    let w: Vec<u8> = (0..64 * 128)
        .flat_map(|i| (((i * 37 % 101) as f32 - 50.0) * 1e-3).to_le_bytes())
        .collect();
    let b: Vec<u8> = (0..64)
        .flat_map(|i| (i as f32 * 1e-2).to_le_bytes())
        .collect();
    let model = inputs.join("model.safetensors");
    let tensors = vec![
        (
            "w",
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, vec![64, 128], &w)
                .unwrap(),
        ),
        (
            "b",
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, vec![64], &b).unwrap(),
        ),
    ];
    std::fs::write(
        &model,
        safetensors::tensor::serialize(tensors, &None).unwrap(),
    )
    .unwrap();
    // The model step on a tiny random BERT (the real one is in the cache
    // where `make deps` ran; tests do not need it).
    let bert = inputs.join("bert");
    common::tiny_bert::write(&bert, 3);
    let out = rf8(&[
        "report",
        "--quick",
        "--out",
        dir.to_str().unwrap(),
        "--tensor",
        model.to_str().unwrap(),
        "--model",
        bert.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let index = std::fs::read_to_string(dir.join("index.md")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    for section in [
        "## Summary",
        "## Generated Verilog",
        "## Verification",
        "## Area and Fmax",
        "## The inference datapath",
        "### Sequential MAC units",
        "* ice40 N = 8: RF8's cheapest is `mac_rf8",
        "## Error",
        "## GEMV kernels",
        "## The model",
        "**Against the paper.**",
        "## Appendix: the RF8 values",
    ] {
        assert!(index.contains(section), "missing {section}");
    }
    assert!(!index.contains("Step failed"), "{index}");
    assert!(index.contains("on 65536/65536 pairs") && index.contains("max 20.00%"));
    for file in [
        "summary.csv",
        "gen.csv",
        "verify.csv",
        "area.csv",
        "datapath.csv",
        "datapath.svg",
        "mac.csv",
        "mac.svg",
        "error_presets.csv",
        "error_products.csv",
        "error_matvec.csv",
        "bench.csv",
        "luts.svg",
        "bench.svg",
        "error/relerr-rf8-truncate.svg",
        "rtl/rf8_mul.v",
        "error_tensor.csv",
        "error_tensor_matvec.csv",
        "model.csv",
        "model.svg",
    ] {
        assert!(dir.join(file).is_file(), "missing {file}");
    }
    assert_eq!(json["quick"], true);
    assert_eq!(json["git_commit"].as_str().map(str::len), Some(40));
    assert!(json["date"].as_str().unwrap().starts_with("20"));
    assert_eq!(json["failed_steps"].as_array().unwrap().len(), 0);
    let steps: Vec<&str> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        steps,
        ["gen", "verify", "area", "datapath", "error", "bench", "model"]
    );
    // The gen step compares everything rtl/ holds: every multiplier and
    // every dot-product and MAC unit at its default lane counts.
    let generated = json["steps"][0]["result"]["designs"].as_array().unwrap();
    assert_eq!(generated.len(), rf8::unit::Unit::all().len());
    assert!(generated.iter().any(|g| g["design"] == "mac_rf8_eia_n8"));
    assert!(generated
        .iter()
        .all(|g| g["same_as_committed"] == true && g["lint_clean"] == true));
    assert!(generated.iter().any(|g| g["design"] == "dot_bf16_n8"));
    // The model step: every backend, the table's recall column from the JSON.
    let model_rows = json["steps"][6]["result"]["rows"].as_array().unwrap();
    assert_eq!(model_rows.len(), rf8::model::Backend::all().len());
    for r in model_rows {
        let line = format!(
            "| {} | {:.2} | {:.5} | {:.5} | {:.3} |",
            r["format"].as_str().unwrap(),
            r["bits_per_value"].as_f64().unwrap(),
            r["cos_mean"].as_f64().unwrap(),
            r["cos_min"].as_f64().unwrap(),
            r["recall_at_10"].as_f64().unwrap()
        );
        assert!(index.contains(&line), "{line}");
    }
    assert_eq!(json["summary"]["model"]["sentences"], 40);

    // The summary table of index.md row by row against summary.json.
    let rows = json["summary"]["multipliers"].as_array().unwrap();
    assert_eq!(rows.len(), rf8::DESIGNS.len());
    for r in rows {
        let design = r["design"].as_str().unwrap();
        let line = index
            .lines()
            .find(|l| l.starts_with(&format!("| `{design}` |")))
            .unwrap_or_else(|| panic!("no summary row for {design}"));
        let want = format!(
            "| `{design}` | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} | `{}` | {} | {} |",
            luts(&r["ice40"]),
            ratio(&r["ice40"]),
            fixed(&r["ice40"]["fmax_mhz"], 1),
            luts(&r["ecp5"]),
            ratio(&r["ecp5"]),
            fixed(&r["ecp5"]["fmax_mhz"], 1),
            luts(&r["xilinx"]),
            ratio(&r["xilinx"]),
            r["mismatches"],
            r["pairs_simulated"],
            r["storage_format"].as_str().unwrap(),
            fixed(&r["llama3_1b_sqnr_db"], 2),
            fixed(&r["product_sqnr_db"], 2),
        );
        assert_eq!(line, want);
        assert_eq!(r["mismatches"], 0);
        // Both simulators: every pair of a small design, else at least
        // the quick run's 10^4 random pairs each.
        let m = rf8::by_name(design).unwrap();
        let want = if rf8::verify::vectors::exhaustive_by_default(m.reference) {
            2 << (2 * m.width())
        } else {
            20_001
        };
        assert!(r["pairs_simulated"].as_u64().unwrap() >= want, "{r}");
    }
    let rf8_row = &rows[0];
    assert_eq!(rf8_row["design"], "rf8_mul");
    assert_eq!(rf8_row["ice40"]["x_rf8"]["max"].as_f64(), Some(1.0));
    assert_eq!(
        rf8_row["ice40"]["recipe"], "default",
        "the quick report's one recipe"
    );
    // The kernel line quotes the bench step's figures.
    let w8a32 = &json["summary"]["kernel"]["kernels"][0];
    assert_eq!(w8a32["name"], "rf8_w8a32");
    assert!(index.contains(&format!("`rf8_w8a32` {} GB/s", fixed(&w8a32["gbs"], 2))));
    // All 15 Table-1 presets are listed, each with every storage format.
    let presets = json["steps"][4]["result"]["presets"].as_array().unwrap();
    assert_eq!(presets.len(), 15);
    for p in presets {
        assert_eq!(
            p["formats"].as_array().unwrap().len(),
            rf8::catalog::STORAGE.len()
        );
    }
    let tensor = &json["steps"][4]["result"]["tensor"];
    assert_eq!(tensor["tensors"], 2);
    assert_eq!(tensor["matvec"]["tensors"].as_array().unwrap().len(), 1);
    let _ = std::fs::remove_dir_all(&inputs);
}

#[test]
fn a_failed_step_is_reported_and_the_others_still_run() {
    let dir = common::temp_dir("report-fail");
    let missing = dir.join("missing.safetensors");
    let bert = common::temp_dir("report-fail-bert");
    common::tiny_bert::write(&bert, 3);
    // A --model that is not a model directory is bad input, refused first.
    let out = rf8(&[
        "report",
        "--quick",
        "--out",
        dir.join("r").to_str().unwrap(),
        "--model",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--model:"));
    let out = rf8(&[
        "report",
        "--quick",
        "--out",
        dir.to_str().unwrap(),
        "--tensor",
        missing.to_str().unwrap(),
        "--model",
        bert.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = std::fs::read_to_string(dir.join("index.md")).unwrap();
    let error = &index[index.find("## Error").unwrap()..];
    assert!(
        error.contains("**Step failed** (log: [`logs/error.log`]"),
        "{error}"
    );
    assert!(error.contains("missing.safetensors"), "{error}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["failed_steps"], serde_json::json!(["error"]));
    // The steps after it ran.
    assert!(dir.join("bench.csv").is_file());
    assert!(String::from_utf8_lossy(&out.stdout).contains("failed steps: error"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `606 (nocarry)`, or `-`.
fn luts(a: &serde_json::Value) -> String {
    if a.is_null() {
        return "-".into();
    }
    format!("{} ({})", a["luts"], a["recipe"].as_str().unwrap())
}

/// `13.5-20.0 (16.8)`: the same-recipe range, then best over best.
fn ratio(a: &serde_json::Value) -> String {
    let x = &a["x_rf8"];
    if x.is_null() {
        return "-".into();
    }
    let (lo, hi) = (fixed(&x["min"], 1), fixed(&x["max"], 1));
    let span = if lo == hi { lo } else { format!("{lo}-{hi}") };
    format!("{span} ({})", fixed(&x["of_minima"], 1))
}
