//! `rf8 fit` and `rf8 error --tensor` on files the test writes itself.

mod common;

use std::path::Path;

use rf8::stats::ggd::Ggd;
use safetensors::tensor::TensorView;
use safetensors::Dtype;

use common::{rf8, rf8_json as json};

/// A checkpoint with an F32, an F16 and a BF16 tensor drawn from GGDs, and
/// an I32 tensor that must be skipped.
fn checkpoint(path: &Path) {
    let mut rng = rf8::verify::vectors::rng(5);
    let w = Ggd {
        mu: 0.0,
        gamma: 1.2,
        beta: 0.02,
    }
    .sample(&mut rng, 200_000);
    let f32s: Vec<u8> = w.iter().flat_map(|&x| (x as f32).to_le_bytes()).collect();
    let f16s: Vec<u8> = w[..50_000]
        .iter()
        .flat_map(|&x| half::f16::from_f64(x).to_le_bytes())
        .collect();
    let bf16s: Vec<u8> = w[..50_000]
        .iter()
        .flat_map(|&x| half::bf16::from_f64(x).to_le_bytes())
        .collect();
    let ints: Vec<u8> = (0..16i32).flat_map(|i| i.to_le_bytes()).collect();
    let tensors = vec![
        (
            "layers.0.weight",
            TensorView::new(Dtype::F32, vec![400, 500], &f32s).unwrap(),
        ),
        (
            "layers.1.weight",
            TensorView::new(Dtype::F16, vec![50_000], &f16s).unwrap(),
        ),
        (
            "layers.1.bias",
            TensorView::new(Dtype::BF16, vec![50_000], &bf16s).unwrap(),
        ),
        (
            "position_ids",
            TensorView::new(Dtype::I32, vec![16], &ints).unwrap(),
        ),
    ];
    let bytes = safetensors::tensor::serialize(tensors, &None).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn fit_reads_every_float_tensor_and_pools_them() {
    let dir = common::temp_dir("fit");
    let file = dir.join("model.safetensors");
    checkpoint(&file);
    let r = json(&["fit", "--json", "--tensor", file.to_str().unwrap()]);
    let tensors = r["tensors"].as_array().unwrap();
    assert_eq!(tensors.len(), 3);
    assert_eq!(r["skipped"][0]["name"], "position_ids");
    let w = tensors
        .iter()
        .find(|t| t["name"] == "layers.0.weight")
        .unwrap();
    assert_eq!(w["count"], 200_000);
    assert!((w["gamma"].as_f64().unwrap() - 1.2).abs() < 0.05, "{w}");
    assert!((w["beta"].as_f64().unwrap() - 0.02).abs() < 0.001, "{w}");
    assert_eq!(r["pooled"]["count"], 300_000);
    let f = json(&[
        "fit",
        "--json",
        "--tensor",
        file.to_str().unwrap(),
        "--filter",
        "weight$",
    ]);
    assert_eq!(f["tensors"].as_array().unwrap().len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn error_on_a_checkpoint_gives_pooled_and_per_tensor_rows() {
    let dir = common::temp_dir("error-tensor");
    let file = dir.join("model.safetensors");
    checkpoint(&file);
    let r = json(&[
        "error",
        "--json",
        "--tensor",
        file.to_str().unwrap(),
        "--formats",
        "rf8-nearest,e4m3-scaled",
    ]);
    assert_eq!(r["formats"].as_array().unwrap().len(), 2);
    assert_eq!(r["formats"][0]["count"], 300_000);
    assert_eq!(r["tensors"].as_array().unwrap().len(), 3);
    for t in r["tensors"].as_array().unwrap() {
        assert_eq!(t["formats"].as_array().unwrap().len(), 2);
    }
    // Three tensors, three f32 scales.
    let bits = r["formats"][1]["bits_per_value"].as_f64().unwrap();
    assert!((bits - (8.0 + 96.0 / 300_000.0)).abs() < 1e-12, "{bits}");
    // Pooled sums equal the per-tensor ones: RMSE^2 * count adds up.
    let sq =
        |f: &serde_json::Value| f["rmse"].as_f64().unwrap().powi(2) * f["count"].as_f64().unwrap();
    for (i, pooled) in r["formats"].as_array().unwrap().iter().enumerate() {
        let parts: f64 = r["tensors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| sq(&t["formats"][i]))
            .sum();
        assert!((sq(pooled) - parts).abs() <= 1e-9 * parts, "{pooled}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn error_on_a_checkpoint_draws_pooled_histograms() {
    let dir = common::temp_dir("error-tensor-plot");
    let file = dir.join("model.safetensors");
    checkpoint(&file);
    let plots = dir.join("plots");
    let out = rf8(&[
        "error",
        "--tensor",
        file.to_str().unwrap(),
        "--formats",
        "rf8-truncate,bf16",
        "--plot",
        plots.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in ["rf8-truncate", "bf16"] {
        let svg = std::fs::read_to_string(plots.join(format!("relerr-{f}.svg"))).unwrap();
        assert!(
            svg.contains("<svg") && svg.contains("model.safetensors"),
            "{f}"
        );
    }
    assert_eq!(std::fs::read_dir(&plots).unwrap().count(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn npy_files_are_read() {
    let dir = common::temp_dir("npy");
    let file = dir.join("w.npy");
    let mut rng = rf8::verify::vectors::rng(8);
    let w: Vec<f32> = Ggd {
        mu: 0.0,
        gamma: 0.8,
        beta: 0.01,
    }
    .sample(&mut rng, 100_000)
    .iter()
    .map(|&x| x as f32)
    .collect();
    rf8::tensors::write_npy_f32(&file, &w).unwrap();
    let r = json(&["fit", "--json", "--tensor", file.to_str().unwrap()]);
    assert_eq!(r["tensors"][0]["name"], "w");
    assert!((r["tensors"][0]["gamma"].as_f64().unwrap() - 0.8).abs() < 0.05);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn malformed_files_are_one_line_errors_naming_the_file() {
    let dir = common::temp_dir("bad-tensors");
    let good = dir.join("model.safetensors");
    checkpoint(&good);
    let bytes = std::fs::read(&good).unwrap();
    let truncated = dir.join("truncated.safetensors");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let garbage = dir.join("garbage.npy");
    std::fs::write(&garbage, b"not numpy at all").unwrap();
    let missing = dir.join("missing.safetensors");
    for (file, args) in [
        (&truncated, vec!["fit"]),
        (&garbage, vec!["fit"]),
        (&missing, vec!["error"]),
        (&truncated, vec!["error"]),
    ] {
        let mut a = args.clone();
        a.extend(["--tensor", file.to_str().unwrap()]);
        let out = rf8(&a);
        assert_eq!(out.status.code(), Some(2), "{a:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.contains(file.file_name().unwrap().to_str().unwrap()),
            "{err}"
        );
    }
    let out = rf8(&["fit", "--tensor", good.to_str().unwrap(), "--filter", "("]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn matvec_error_on_a_checkpoint_pools_its_matrices() {
    let dir = common::temp_dir("error-matvec-tensor");
    let file = dir.join("model.safetensors");
    checkpoint(&file);
    let r = json(&[
        "error",
        "--matvec",
        "--json",
        "--tensor",
        file.to_str().unwrap(),
    ]);
    // One 2-D tensor (400 x 500); the two vectors are left out.
    let tensors = r["tensors"].as_array().unwrap();
    assert_eq!(tensors.len(), 1);
    assert_eq!(
        (tensors[0]["rows"].as_u64(), tensors[0]["cols"].as_u64()),
        (Some(400), Some(500))
    );
    assert_eq!(r["not_matrices"].as_array().unwrap().len(), 2);
    assert_eq!(r["formats"], tensors[0]["formats"]);
    let l2 = |f: &str| {
        r["formats"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["format"] == f)
            .unwrap()["relative_l2"]
            .as_f64()
            .unwrap()
    };
    assert!(l2("fp16") < l2("e4m3-scaled") && l2("e4m3-scaled") < l2("rf8-nearest"));
    let _ = std::fs::remove_dir_all(&dir);
}
