//! `rf8 error`: quantisation and product error on GGD weights.

mod common;

use common::{rf8, rf8_json as json};
use rf8::catalog::STORAGE;

fn sqnr(r: &serde_json::Value, format: &str) -> f64 {
    r["formats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["format"] == format)
        .unwrap()["sqnr_db"]
        .as_f64()
        .unwrap()
}

#[test]
fn formats_rank_as_their_precision_says() {
    let r = json(&[
        "error",
        "--json",
        "--ggd",
        "llama3-1b",
        "--samples",
        "200000",
    ]);
    assert_eq!(r["formats"].as_array().unwrap().len(), STORAGE.len());
    assert_eq!(r["source"]["gamma"], 1.2563);
    for f in r["formats"].as_array().unwrap() {
        for key in [
            "format",
            "rmse",
            "relative_rmse",
            "sqnr_db",
            "mean_rel_error",
            "max_rel_error",
            "flushed",
            "saturated",
            "bits_per_value",
        ] {
            assert!(f.get(key).is_some(), "{key} missing in {f}");
        }
    }
    assert!(sqnr(&r, "rf8-nearest") > sqnr(&r, "rf8-truncate") + 2.0);
    assert!(sqnr(&r, "e4m3-scaled") > sqnr(&r, "e4m3"));
    assert!(sqnr(&r, "fp16") > sqnr(&r, "bf16") && sqnr(&r, "bf16") > sqnr(&r, "e4m3-scaled"));
    // The per-row and per-block formats: storage per value, and the
    // ranking their precision implies.
    let bits = |name: &str| {
        r["formats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["format"] == name)
            .unwrap()["bits_per_value"]
            .as_f64()
            .unwrap()
    };
    // 200,000 values are 49 rows of up to 4096, each with an f32 scale.
    assert_eq!(bits("int8"), 8.0 + 32.0 * 49.0 / 200_000.0);
    assert_eq!((bits("mxfp8"), bits("mxfp4")), (8.25, 4.25));
    assert!(sqnr(&r, "int8") > sqnr(&r, "mxfp8") && sqnr(&r, "mxfp8") > sqnr(&r, "rf8-nearest"));
    assert!(sqnr(&r, "mxfp4") < sqnr(&r, "rf8-truncate"));
    // RF8 truncation keeps about 19 dB on this distribution (a 2-bit
    // residual grid), whatever the scale: a regression guard.
    assert!(
        (17.0..21.0).contains(&sqnr(&r, "rf8-truncate")),
        "{}",
        sqnr(&r, "rf8-truncate")
    );
}

#[test]
fn same_seed_same_numbers() {
    let args = [
        "error",
        "--json",
        "--gamma",
        "0.8",
        "--beta",
        "0.01",
        "--mu",
        "-0.001",
        "--samples",
        "10000",
        "--seed",
        "9",
    ];
    assert_eq!(json(&args), json(&args));
}

#[test]
fn products_cover_every_multiplier() {
    let r = json(&["error", "--products", "--json", "--samples", "50000"]);
    let m = r["multipliers"].as_array().unwrap();
    assert_eq!(m.len(), rf8::DESIGNS.len());
    // INT8 and FP4 products are exact: their datapath error is zero.
    for exact in ["int8_mul", "fp4_e2m1_mul"] {
        let row = m.iter().find(|x| x["design"] == exact).unwrap();
        assert_eq!(row["datapath_max_rel"].as_f64(), Some(0.0), "{exact}");
    }
    let rf8 = m.iter().find(|x| x["design"] == "rf8_mul").unwrap();
    // Against the decoded operands, RF8's mean error is the datapath's
    // (spec: about 7.8% over all pairs); flushed tiny products add to it.
    let mean = rf8["datapath_mean_rel"].as_f64().unwrap();
    assert!((0.05..0.15).contains(&mean), "{mean}");
}

#[test]
fn bad_input_is_a_usage_error() {
    for args in [
        vec!["error", "--ggd", "llama9"],
        vec!["error", "--ggd", "phi-5"],
        vec!["error", "--formats", "rf8,e4m3"],
        vec!["error", "--gamma", "1.0"],
        vec!["error", "--gamma", "-1", "--beta", "0.1"],
        vec!["error", "--samples", "0"],
        vec!["error", "--gamma", "1", "--beta", "1e300"],
        vec!["error", "--gamma", "1e-300", "--beta", "0.1"],
    ] {
        let out = rf8(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).lines().count(),
            1,
            "{args:?}"
        );
    }
}

#[test]
fn plot_writes_one_svg_per_format() {
    let dir = common::temp_dir("error-plot");
    let out = rf8(&[
        "error",
        "--ggd",
        "gemma3-2b",
        "--samples",
        "20000",
        "--plot",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), STORAGE.len(), "{names:?}");
    let svg = std::fs::read_to_string(dir.join("relerr-rf8-nearest.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("gemma3-2b"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn matvec_error_ranks_the_formats() {
    let r = json(&["error", "--matvec", "--samples", "200000", "--json"]);
    assert_eq!(r["cols"], 1024);
    assert_eq!(r["rows"], 195);
    let get = |n: &str| {
        r["formats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["format"] == n)
            .unwrap()["relative_l2"]
            .as_f64()
            .unwrap()
    };
    assert!(get("fp16") < get("bf16") && get("bf16") < get("e4m3-scaled"));
    assert!(get("rf8-nearest") < get("rf8-truncate"));
    assert!(get("rf8-truncate") < get("rf8-w8a8-exact"));
    let out = rf8(&["error", "--matvec", "--samples", "100"]);
    assert_eq!(out.status.code(), Some(2));
}
