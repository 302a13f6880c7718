//! The RF8 GEMV kernels (issue 7): exact mode identical across instruction
//! sets, thread counts and a naive loop over the reference multiplier;
//! W8A32 within its derived bound of an f64 reference; shapes and errors.

use rand::Rng;
use rf8::kernel::{
    acc_to_f64, acc_to_rf8, gemv_w8a32_with, gemv_w8a8_exact_with, Isa, KernelError, Options,
    Rf8Matrix, LSB,
};
use rf8::{Rf8, Rounding};

mod common;

/// The instruction sets this CPU runs (the portable one always).
fn isas() -> Vec<Isa> {
    let v: Vec<Isa> = Isa::ALL.into_iter().filter(|i| i.available()).collect();
    if v.len() < Isa::ALL.len() {
        eprintln!("note: only {v:?} available on this CPU");
    }
    v
}

fn opts(isa: Isa, threads: usize) -> Options {
    Options {
        isa,
        threads: Some(threads),
    }
}

/// The reference: each product by `Rf8 * Rf8` (the spec's multiplier),
/// its value scaled to LSBs, summed in i128.
fn naive_exact(w: &Rf8Matrix, x: &[Rf8]) -> Vec<i64> {
    (0..w.rows())
        .map(|i| {
            let s: i128 = w
                .row(i)
                .iter()
                .zip(x)
                .map(|(&c, &v)| ((Rf8::from_bits(c) * v).to_f64() / LSB) as i128)
                .sum();
            i64::try_from(s).unwrap()
        })
        .collect()
}

const SHAPES: [(usize, usize); 9] = [
    (0, 5),
    (3, 0),
    (1, 1),
    (7, 31),
    (33, 32),
    (5, 33),
    (65, 1000),
    (17, 4099),
    (300, 64),
];

fn random_matrix(rows: usize, cols: usize, seed: u64) -> Rf8Matrix {
    let mut rng = common::rng(seed);
    // Every code, the non-canonical zeros 0x41..0x43 included.
    let codes = (0..rows * cols).map(|_| rng.gen::<u8>()).collect();
    Rf8Matrix::from_codes(rows, cols, codes).unwrap()
}

fn random_codes(n: usize, seed: u64) -> Vec<Rf8> {
    let mut rng = common::rng(seed);
    (0..n).map(|_| Rf8::from_bits(rng.gen())).collect()
}

#[test]
fn exact_mode_is_the_same_everywhere() {
    for (s, &(rows, cols)) in SHAPES.iter().enumerate() {
        let w = random_matrix(rows, cols, s as u64);
        let x = random_codes(cols, 100 + s as u64);
        let want = naive_exact(&w, &x);
        for isa in isas() {
            for threads in [1, 2, 7] {
                let got = gemv_w8a8_exact_with(&w, &x, &opts(isa, threads)).unwrap();
                assert_eq!(got, want, "{rows}x{cols} {isa:?} {threads} threads");
            }
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(3)
                .build()
                .unwrap();
            let got = pool
                .install(|| gemv_w8a8_exact_with(&w, &x, &Options { isa, threads: None }).unwrap());
            assert_eq!(got, want, "{rows}x{cols} {isa:?} pool");
        }
    }
}

/// Row (a, b) holds code a in column b and zeros elsewhere, x holds every
/// code: each output is one product, so all 65,536 pairs are checked
/// through every path.
#[test]
fn exact_mode_gets_every_product_right() {
    let x: Vec<Rf8> = Rf8::all().collect();
    let mut codes = vec![Rf8::ZERO.to_bits(); 256 * 256 * 256];
    for a in 0..256 {
        for b in 0..256 {
            codes[(a * 256 + b) * 256 + b] = a as u8;
        }
    }
    let w = Rf8Matrix::from_codes(256 * 256, 256, codes).unwrap();
    for isa in isas() {
        let y = gemv_w8a8_exact_with(&w, &x, &opts(isa, 2)).unwrap();
        for a in 0..256u16 {
            for b in 0..256u16 {
                let p = Rf8::from_bits(a as u8) * Rf8::from_bits(b as u8);
                let got = acc_to_f64(y[(a * 256 + b) as usize]);
                assert_eq!(got, p.to_f64(), "{isa:?} {a:#04x} x {b:#04x}");
            }
        }
    }
}

/// Saturated products (1.5 * 2^15 each) over more columns than one exact
/// f64 partial sum may hold (2^18): no overflow, no rounding.
#[test]
fn exact_mode_holds_long_rows_of_the_largest_products() {
    let cols = (1 << 18) + 77;
    let w = Rf8Matrix::from_codes(2, cols, vec![Rf8::MAX.to_bits(); 2 * cols]).unwrap();
    let mut x = vec![Rf8::MAX; cols];
    x[5] = Rf8::MIN; // one negative product
    let want = (cols as i64 - 2) * (49152i64 << 19);
    for isa in isas() {
        let y = gemv_w8a8_exact_with(&w, &x, &opts(isa, 2)).unwrap();
        assert_eq!(y, vec![want, want], "{isa:?}");
    }
    assert_eq!(acc_to_rf8(want, Rounding::Truncate), Rf8::MAX);
}

/// One row of 2^25 + 77 saturated products (one negative): more blocks
/// than any path's 32-bit bucket sums may hold (AVX2 flushes them every
/// 2^16 blocks, AVX-512 every 2^17; without the flushes they would
/// overflow after about 2^18.4 blocks), so a lost flush shows.
#[test]
fn exact_mode_flushes_its_bucket_sums_on_very_long_rows() {
    let cols = (1 << 25) + 77;
    let w = Rf8Matrix::from_codes(1, cols, vec![Rf8::MAX.to_bits(); cols]).unwrap();
    let mut x = vec![Rf8::MAX; cols];
    x[cols / 2] = Rf8::MIN;
    let want = (cols as i64 - 2) * (49152i64 << 19);
    for isa in isas() {
        assert_eq!(
            gemv_w8a8_exact_with(&w, &x, &opts(isa, 1)).unwrap(),
            vec![want],
            "{isa:?}"
        );
    }
}

#[test]
fn accumulators_convert_exactly() {
    // 1.5 + 1.0625 * 2^-15 is not an RF8 value; truncation keeps 1.5.
    let acc = (1.5 / LSB) as i64 + 17;
    assert_eq!(acc_to_f64(acc), 1.5 + 17.0 * LSB);
    assert_eq!(acc_to_rf8(acc, Rounding::Truncate).to_f64(), 1.5);
    assert_eq!(acc_to_rf8(-acc, Rounding::Nearest).to_f64(), -1.5);
    assert_eq!(acc_to_rf8(0, Rounding::Nearest), Rf8::ZERO);
}

/// A random W (uniform in +-0.05, RF8 rounded to nearest) and x (uniform
/// in +-3), and the decoded W.
fn bound_case(seed: u64, rows: usize, cols: usize) -> (Rf8Matrix, Vec<f32>, Vec<f32>) {
    let mut rng = common::rng(seed);
    let data: Vec<f32> = (0..rows * cols)
        .map(|_| rng.gen_range(-1.0f32..1.0) * 0.05)
        .collect();
    let x: Vec<f32> = (0..cols).map(|_| rng.gen_range(-3.0f32..3.0)).collect();
    let w = Rf8Matrix::from_f32(rows, cols, &data, Rounding::Nearest).unwrap();
    let wf = w.to_f32();
    (w, x, wf)
}

/// `sum w x` in f64 and `sum |w x|`.
fn dot_and_magnitude(row: &[f32], x: &[f32]) -> (f64, f64) {
    row.iter().zip(x).fold((0.0, 0.0), |(s, m), (&a, &b)| {
        let t = a as f64 * b as f64;
        (s + t, m + t.abs())
    })
}

/// W8A32 against f64: |y - y_ref| <= (K + 1) u sum |w x|, u = 2^-24 (one
/// rounding per multiply or add along any summation order: the classic
/// recursive-summation bound, first order, with a little slack).
#[test]
fn w8a32_is_within_its_bound_of_f64() {
    for (s, &(rows, cols)) in SHAPES.iter().enumerate() {
        let (w, x, wf) = bound_case(50 + s as u64, rows, cols);
        let u = 2f64.powi(-24);
        let mut by_isa = Vec::new();
        for isa in isas() {
            let y = gemv_w8a32_with(&w, &x, &opts(isa, 2)).unwrap();
            assert_eq!(y.len(), rows);
            for (i, &yi) in y.iter().enumerate() {
                let (exact, mag) = dot_and_magnitude(&wf[i * cols..(i + 1) * cols], &x);
                let bound = (cols as f64 + 1.0) * u * mag * 1.01;
                assert!(
                    (yi as f64 - exact).abs() <= bound,
                    "{rows}x{cols} {isa:?} row {i}: {yi} vs {exact} (bound {bound:e})"
                );
            }
            // The thread count never changes a row's summation order.
            for threads in [1, 3] {
                assert_eq!(gemv_w8a32_with(&w, &x, &opts(isa, threads)).unwrap(), y);
            }
            by_isa.push(y);
        }
    }
}

/// W8ABF16 within its bound of the f64 product of the f32 activations,
/// `(2^-9 + (K + 2) 2^-24) sum |w x| + K 2^-125`, on every path and shape,
/// the same for every thread count; with activations that are bfloat16
/// already and sums that are exact, equal to W8A32 on every path.
#[test]
fn w8abf16_is_within_its_bound_on_every_path() {
    use rf8::kernel::gemv_w8abf16_with;
    for (s, &(rows, cols)) in SHAPES.iter().enumerate() {
        let (w, x, wf) = bound_case(90 + s as u64, rows, cols);
        for isa in isas() {
            let y = gemv_w8abf16_with(&w, &x, &opts(isa, 2)).unwrap();
            for (i, &yi) in y.iter().enumerate() {
                let (exact, mag) = dot_and_magnitude(&wf[i * cols..(i + 1) * cols], &x);
                let k = cols as f64;
                let bound =
                    (2f64.powi(-9) + (k + 2.0) * 2f64.powi(-24)) * mag + k * 2f64.powi(-125);
                assert!(
                    (yi as f64 - exact).abs() <= bound,
                    "{rows}x{cols} {isa:?} row {i}: {yi} vs {exact} (bound {bound:e})"
                );
            }
            for threads in [1, 3] {
                assert_eq!(gemv_w8abf16_with(&w, &x, &opts(isa, threads)).unwrap(), y);
            }
        }
    }
    // Activations that are bfloat16 already and exact sums: every path
    // gives the exact result.
    let (rows, cols) = (9, 1000);
    let codes: Vec<u8> = random_matrix(rows, cols, 19)
        .codes()
        .iter()
        .map(|&c| (c & 0x83) | 0x04)
        .collect();
    let w = Rf8Matrix::from_codes(rows, cols, codes).unwrap();
    let x: Vec<f32> = (0..cols).map(|k| ((k % 7) as f32) - 3.0).collect();
    for isa in isas() {
        let want = gemv_w8a32_with(&w, &x, &opts(Isa::Portable, 1)).unwrap();
        assert_eq!(
            gemv_w8abf16_with(&w, &x, &opts(isa, 2)).unwrap(),
            want,
            "{isa:?}"
        );
    }
}

/// Weights that are exact small dyadics and integer activations make every
/// partial sum exact in f32, so all paths must agree bit for bit.
#[test]
fn w8a32_paths_agree_exactly_when_no_rounding_happens() {
    let (rows, cols) = (9, 1000);
    let w = random_matrix(rows, cols, 9);
    let x: Vec<f32> = (0..cols).map(|k| ((k % 7) as f32) - 3.0).collect();
    // Sign and residual kept, exponent set to 1: every partial sum is a
    // multiple of 1/16 below 2^14, exact in f32.
    let codes: Vec<u8> = w
        .codes()
        .iter()
        .map(|&c| c & 0x83)
        .map(|c| c | 0x04)
        .collect();
    let w = Rf8Matrix::from_codes(rows, cols, codes).unwrap();
    let want: Vec<f32> = (0..rows)
        .map(|i| {
            w.row(i)
                .iter()
                .zip(&x)
                .map(|(&c, &v)| Rf8::from_bits(c).to_f64() * v as f64)
                .sum::<f64>() as f32
        })
        .collect();
    for isa in isas() {
        assert_eq!(
            gemv_w8a32_with(&w, &x, &opts(isa, 2)).unwrap(),
            want,
            "{isa:?}"
        );
    }
}

/// Rows of zero codes (canonical and not, both signs) give exactly 0 on
/// every path, even against activations near f32's largest: a decoder
/// that turned a zero into the smallest normal (2^-126) would give about 1
/// here.
#[test]
fn zero_codes_contribute_nothing_on_every_path() {
    // Row r: codes 0x40 + (k + r) % 4, negative in odd rows; x all
    // positive, so that no error could cancel within a row.
    let (rows, cols) = (9, 200);
    let codes: Vec<u8> = (0..rows * cols)
        .map(|i| {
            let (r, k) = (i / cols, i % cols);
            0x40 | ((k + r) % 4) as u8 | if r % 2 == 1 { 0x80 } else { 0 }
        })
        .collect();
    let w = Rf8Matrix::from_codes(rows, cols, codes).unwrap();
    let x: Vec<f32> = (0..cols).map(|k| 1.0e38 * (1 + k % 3) as f32).collect();
    let x8: Vec<Rf8> = x.iter().map(|&v| Rf8::from_f32(v)).collect();
    for isa in isas() {
        let y = gemv_w8a32_with(&w, &x, &opts(isa, 2)).unwrap();
        assert!(y.iter().all(|&v| v == 0.0), "{isa:?}: {y:?}");
        let acc = gemv_w8a8_exact_with(&w, &x8, &opts(isa, 2)).unwrap();
        assert!(acc.iter().all(|&v| v == 0), "{isa:?}: {acc:?}");
    }
}

#[test]
fn bad_shapes_and_nan_are_errors() {
    let w = random_matrix(3, 4, 1);
    let e = gemv_w8a32_with(&w, &[1.0; 5], &Options::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape mismatch: the matrix is 3 x 4 but the vector has 5 elements"
    );
    assert!(matches!(
        gemv_w8a8_exact_with(&w, &[Rf8::ZERO; 3], &Options::default()),
        Err(KernelError::Shape(_))
    ));
    assert!(matches!(
        Rf8Matrix::from_codes(2, 2, vec![0; 3]),
        Err(KernelError::Shape(_))
    ));
    assert_eq!(
        Rf8Matrix::from_f32(1, 3, &[0.0, f32::NAN, 1.0], Rounding::Truncate),
        Err(KernelError::Nan(1))
    );
    let inf = Rf8Matrix::from_f32(1, 1, &[f32::NEG_INFINITY], Rounding::Truncate).unwrap();
    assert_eq!(inf.codes(), &[Rf8::MIN.to_bits()]);
}

/// The data section of a version-1 `.npy` file.
fn npy_data(path: &std::path::Path) -> Vec<u8> {
    let bytes = std::fs::read(path).unwrap();
    let header = u16::from_le_bytes([bytes[8], bytes[9]]) as usize;
    bytes[10 + header..].to_vec()
}

#[test]
fn matvec_runs_on_a_safetensors_layer_and_on_codes() {
    use safetensors::{tensor::TensorView, Dtype};
    let dir = common::temp_dir("matvec");
    let (rows, cols) = (37, 70);
    let mut rng = common::rng(3);
    let w: Vec<f32> = (0..rows * cols)
        .map(|_| rng.gen_range(-0.1f32..0.1))
        .collect();
    let x: Vec<f32> = (0..cols).map(|_| rng.gen_range(-2.0f32..2.0)).collect();
    let wb: Vec<u8> = w.iter().flat_map(|v| v.to_le_bytes()).collect();
    let codes = Rf8Matrix::from_f32(rows, cols, &w, Rounding::Nearest).unwrap();
    let bias = [0u8; 8];
    let tensors = vec![
        (
            "layer.weight",
            TensorView::new(Dtype::F32, vec![rows, cols], &wb).unwrap(),
        ),
        (
            "layer.codes",
            TensorView::new(Dtype::U8, vec![rows, cols], codes.codes()).unwrap(),
        ),
        (
            "layer.bias",
            TensorView::new(Dtype::F32, vec![2], &bias).unwrap(),
        ),
    ];
    let model = dir.join("model.safetensors");
    std::fs::write(
        &model,
        safetensors::tensor::serialize(tensors, &None).unwrap(),
    )
    .unwrap();
    let input = dir.join("x.npy");
    rf8::tensors::write_npy_f32(&input, &x).unwrap();
    let out = dir.join("y.npy");
    let run = |weights: String, mode: &str| {
        let o = common::rf8(&[
            "matvec",
            "--weights",
            &weights,
            "--input",
            input.to_str().unwrap(),
            "--mode",
            mode,
            "--rounding",
            "nearest",
            "--output",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        npy_data(&out)
    };
    let m = model.to_str().unwrap();
    let want32 = rf8::kernel::gemv_w8a32(&codes, &x).unwrap();
    let want32: Vec<u8> = want32.iter().flat_map(|v| v.to_le_bytes()).collect();
    assert_eq!(run(format!("{m}:layer.weight"), "w8a32"), want32);
    assert_eq!(run(format!("{m}:layer.codes"), "w8a32"), want32);
    let want16 = rf8::kernel::gemv_w8abf16(&codes, &x).unwrap();
    let want16: Vec<u8> = want16.iter().flat_map(|v| v.to_le_bytes()).collect();
    assert_eq!(run(format!("{m}:layer.codes"), "w8abf16"), want16);
    let xq: Vec<Rf8> = x
        .iter()
        .map(|&v| Rf8::from_f32_with(v, Rounding::Nearest))
        .collect();
    let want8: Vec<u8> = rf8::kernel::gemv_w8a8_exact(&codes, &xq)
        .unwrap()
        .iter()
        .flat_map(|&a| acc_to_f64(a).to_le_bytes())
        .collect();
    assert_eq!(run(format!("{m}:layer.codes"), "w8a8"), want8);

    // Errors: one line, exit 2, and no output file left behind.
    std::fs::remove_file(&out).unwrap();
    let short = dir.join("short.npy");
    rf8::tensors::write_npy_f32(&short, &x[..5]).unwrap();
    let nan = dir.join("nan.npy");
    rf8::tensors::write_npy_f32(&nan, &[f32::NAN; 70]).unwrap();
    for (weights, input, want) in [
        (m.to_string(), &input, "holds 3 tensors"),
        (format!("{m}:nope"), &input, "no tensor named 'nope'"),
        (format!("{m}:layer.bias"), &input, "a 2-D tensor is needed"),
        (format!("{m}:layer.weight"), &short, "shape mismatch"),
        (format!("{m}:layer.weight"), &nan, "NaN at index 0"),
    ] {
        let o = common::rf8(&[
            "matvec",
            "--weights",
            &weights,
            "--input",
            input.to_str().unwrap(),
            "--mode",
            "w8a32",
            "--output",
            out.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{weights}: {err}");
        assert!(
            err.contains(want) && err.lines().count() == 1,
            "{weights}: {err}"
        );
        assert!(!out.exists());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn matvec_reads_npy_codes() {
    let dir = common::temp_dir("matvec-npy");
    let w = random_matrix(4, 40, 8);
    let wpath = dir.join("w.npy");
    rf8::tensors::write_npy(&wpath, "|u1", &[4, 40], w.codes().to_vec()).unwrap();
    let x: Vec<f32> = (0..40).map(|k| k as f32 * 0.25 - 5.0).collect();
    let input = dir.join("x.npy");
    rf8::tensors::write_npy_f32(&input, &x).unwrap();
    let out = dir.join("y.npy");
    let o = common::rf8(&[
        "matvec",
        "--weights",
        wpath.to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
        "--mode",
        "w8a8",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let xq: Vec<Rf8> = x.iter().map(|&v| Rf8::from_f32(v)).collect();
    let want: Vec<u8> = naive_exact(&w, &xq)
        .iter()
        .flat_map(|&a| acc_to_f64(a).to_le_bytes())
        .collect();
    assert_eq!(npy_data(&out), want);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bench_prints_every_kernel_as_json() {
    // The smallest probe this CPU allows (its caches decide).
    let probe = (rf8::kernel::bench::min_probe_bytes() >> 20).to_string();
    let r = common::rf8_json(&[
        "bench",
        "--rows",
        "64",
        "--cols",
        "100",
        "--threads",
        "2",
        "--reps",
        "1",
        "--probe-mib",
        &probe,
        "--json",
    ]);
    assert!(r["bandwidth_gbs"].as_f64().unwrap() > 0.0);
    let names: Vec<&str> = r["kernels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "rf8_w8a32",
            "rf8_w8a8_exact",
            "rf8_w8abf16",
            "int8_w8a32",
            "f16",
            "f32"
        ]
    );
    assert!(!r["cpu"].as_str().unwrap().is_empty());
    for k in r["kernels"].as_array().unwrap() {
        let (s, gbs, frac) = (
            k["seconds"].as_f64().unwrap(),
            k["gbs"].as_f64().unwrap(),
            k["fraction_of_bandwidth"].as_f64().unwrap(),
        );
        assert!(s > 0.0 && gbs > 0.0, "{k}");
        let gw = k["gweights"].as_f64().unwrap();
        assert!((gw - 64.0 * 100.0 / s / 1e9).abs() < 1e-6 * gw, "{k}");
        assert!(
            (frac - gbs / r["bandwidth_gbs"].as_f64().unwrap()).abs() < 1e-9,
            "{k}"
        );
    }
    assert_eq!(r["kernels"][5]["weight_bytes"], 4 * 64 * 100);
    assert_eq!(r["kernels"][3]["weight_bytes"], 64 * 100 + 4 * 64);
    for bad in [&["bench", "--rows", "0"][..], &["bench", "--isa", "sse9"]] {
        let o = common::rf8(bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        assert_eq!(String::from_utf8_lossy(&o.stderr).lines().count(), 1);
    }
    // A path this CPU lacks is a one-line error, not a crash.
    if let Some(missing) = Isa::ALL.into_iter().find(|i| !i.available()) {
        let name = if missing == Isa::Avx2 {
            "avx2"
        } else {
            "avx512"
        };
        let o = common::rf8(&["bench", "--isa", name, "--rows", "8", "--cols", "8"]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("not available on this CPU"), "{err}");
    } else {
        eprintln!("note: this CPU has every path; the missing-path error was not exercised");
    }
}

/// The INT8 baseline on every instruction set: `s_i * sum q x` within the
/// f32 summation bound of the f64 product of its own quantised weights,
/// and those weights follow the `int8` storage rule (s = f32(max|x| /
/// 127), q = rne(x / s)).
#[test]
fn int8_baseline_is_within_its_bound_on_every_path() {
    use rf8::kernel::{gemv_int8_w8a32_with, Int8Matrix};
    for (s, &(rows, cols)) in SHAPES.iter().enumerate() {
        let mut rng = common::rng(70 + s as u64);
        let mut data: Vec<f32> = (0..rows * cols)
            .map(|_| rng.gen_range(-1.0f32..1.0) * 0.05)
            .collect();
        if rows > 2 {
            // An all-zero row takes the scale 1.
            data[cols..2 * cols].iter_mut().for_each(|v| *v = 0.0);
        }
        let x: Vec<f32> = (0..cols).map(|_| rng.gen_range(-3.0f32..3.0)).collect();
        let w = Int8Matrix::from_f32(rows, cols, &data).unwrap();
        for i in 0..rows {
            let row = &data[i * cols..(i + 1) * cols];
            let absmax = row.iter().fold(0f64, |m, &v| m.max((v as f64).abs()));
            let want = if absmax == 0.0 {
                1.0
            } else {
                (absmax / 127.0) as f32
            };
            assert_eq!(w.scale(i), want, "{rows}x{cols} row {i}");
            for (k, &q) in w.row(i).iter().enumerate() {
                let r = (row[k] as f64 / w.scale(i) as f64).round_ties_even();
                assert_eq!(q as f64, r.clamp(-127.0, 127.0), "row {i} col {k}");
            }
        }
        let u = 2f64.powi(-24);
        for isa in isas() {
            let y = gemv_int8_w8a32_with(&w, &x, &opts(isa, 2)).unwrap();
            assert_eq!(y.len(), rows);
            for (i, &yi) in y.iter().enumerate() {
                let sc = w.scale(i) as f64;
                let terms = w.row(i).iter().zip(&x).map(|(&q, &v)| q as f64 * v as f64);
                let exact: f64 = terms.clone().sum::<f64>() * sc;
                let mag: f64 = terms.map(f64::abs).sum::<f64>() * sc;
                let bound = (cols as f64 + 2.0) * u * mag * 1.01;
                assert!(
                    (yi as f64 - exact).abs() <= bound,
                    "{rows}x{cols} {isa:?} row {i}: {yi} vs {exact} (bound {bound:e})"
                );
            }
            for threads in [1, 3] {
                let again = gemv_int8_w8a32_with(&w, &x, &opts(isa, threads)).unwrap();
                assert_eq!(again, y, "{isa:?} {threads} threads");
            }
        }
    }
    let w = Int8Matrix::from_f32(1, 2, &[1.0, -1.0]).unwrap();
    assert!(matches!(
        gemv_int8_w8a32_with(&w, &[1.0], &Options::default()),
        Err(KernelError::Shape(_))
    ));
    assert_eq!(
        Int8Matrix::from_f32(1, 3, &[0.0, f32::NAN, 1.0]),
        Err(KernelError::NotFinite(1))
    );
    assert_eq!(
        Int8Matrix::from_f32(1, 3, &[0.0, 1.0, f32::INFINITY])
            .unwrap_err()
            .to_string(),
        "value at index 2 is not finite: an INT8 row needs a finite scale"
    );
}

/// The bench's baselines compute y = W x (300 rows: one full block of 256
/// and a partial one): f32 within its summation bound, f16 within f16's.
#[test]
fn bench_baselines_compute_the_product() {
    use rf8::kernel::bench::{gemv_f16, gemv_f32};
    let (rows, cols) = (300, 70);
    let mut rng = common::rng(11);
    let w: Vec<f32> = (0..rows * cols)
        .map(|_| rng.gen_range(-1.0f32..1.0))
        .collect();
    let x: Vec<f32> = (0..cols).map(|_| rng.gen_range(-1.0f32..1.0)).collect();
    let exact: Vec<f64> = (0..rows)
        .map(|i| {
            (0..cols)
                .map(|k| w[i * cols + k] as f64 * x[k] as f64)
                .sum()
        })
        .collect();
    let mag: Vec<f64> = (0..rows)
        .map(|i| {
            (0..cols)
                .map(|k| (w[i * cols + k] as f64 * x[k] as f64).abs())
                .sum()
        })
        .collect();
    let y = gemv_f32(&w, &x, rows);
    for i in 0..rows {
        let bound = (cols as f64 + 1.0) * 2f64.powi(-24) * mag[i] * 1.01;
        assert!((y[i] as f64 - exact[i]).abs() <= bound, "f32 row {i}");
    }
    let w16: Vec<half::f16> = w.iter().map(|&v| half::f16::from_f32(v)).collect();
    let x16: Vec<half::f16> = x.iter().map(|&v| half::f16::from_f32(v)).collect();
    let y16 = gemv_f16(&w16, &x16, rows);
    for i in 0..rows {
        // Inputs rounded to f16 (2 x 2^-11 relative per product), then f16
        // or wider sums: a loose but failing-on-garbage bound.
        let bound = (cols as f64 + 3.0) * 2f64.powi(-11) * mag[i] + 1e-3;
        assert!(
            (y16[i].to_f64() - exact[i]).abs() <= bound,
            "f16 row {i}: {} vs {}",
            y16[i],
            exact[i]
        );
    }
}
