//! The model path of issue 28: a tiny random BERT through the library's
//! forward pass against an independent f64 computation, every backend's
//! Linear operator against a direct computation of what it stores and
//! multiplies, the pinned all-MiniLM-L6-v2 embedding (where `make deps`
//! cached the model) and `rf8 eval`'s refusals of bad input.

mod common;

use common::tiny_bert;
use rf8::model::eval::evaluate;
use rf8::model::{Backend, Model, ProductCounts, Tokens};
use rf8::{Rf8, Rounding};

fn tiny(name: &str) -> (std::path::PathBuf, tiny_bert::Tensors) {
    let dir = common::temp_dir(name).join("model");
    let t = tiny_bert::write(&dir, 7);
    (dir, t)
}

fn ids(model: &Model, s: &str) -> Tokens {
    model.tokenizer.encode(s).unwrap()
}

/// The forward pass (gemm, strided heads, f32) equals plain f64 loops.
#[test]
fn forward_pass_matches_an_independent_computation() {
    let (dir, t) = tiny("forward");
    let model = Model::load(&dir).unwrap();
    let enc = model.encoder(Backend::F32).unwrap();
    for s in [
        "hello world",
        "the cat sat on the mat .",
        "a big dog runs , the sun is good",
    ] {
        let tok = ids(&model, s);
        assert_eq!(tok.ids[0], 2, "[CLS] first");
        assert_eq!(*tok.ids.last().unwrap(), 3, "[SEP] last");
        let got = enc.embed(&tok, &mut ProductCounts::default()).unwrap();
        let want = tiny_bert::embed(&t, &tok.ids);
        for (g, w) in got.iter().zip(&want) {
            assert!((*g as f64 - w).abs() < 2e-5, "{s}: {got:?} vs {want:?}");
        }
    }
}

/// Padding with the attention mask at 0 changes nothing: masked keys get
/// no attention and masked tokens are left out of the mean.
#[test]
fn padding_is_masked() {
    let (dir, _) = tiny("mask");
    let model = Model::load(&dir).unwrap();
    let enc = model.encoder(Backend::F32).unwrap();
    let tok = ids(&model, "the dog sat on a rug");
    let mut padded = tok.clone();
    for _ in 0..5 {
        padded.ids.push(0);
        padded.type_ids.push(0);
        padded.mask.push(0);
    }
    let a = enc.embed(&tok, &mut ProductCounts::default()).unwrap();
    let b = enc.embed(&padded, &mut ProductCounts::default()).unwrap();
    for (x, y) in a.iter().zip(&b) {
        assert!((x - y).abs() < 1e-6, "{a:?} vs {b:?}");
    }
}

/// A sentence longer than the model's maximum is cut to it, `[SEP]` kept.
#[test]
fn long_sentences_are_truncated() {
    let (dir, _) = tiny("truncate");
    let model = Model::load(&dir).unwrap();
    let tok = ids(&model, &"the cat sat on the mat ".repeat(5));
    assert_eq!(tok.ids.len(), tiny_bert::MAX_TOKENS);
    assert!(tok.truncated);
    assert_eq!(*tok.ids.last().unwrap(), 3);
    assert!(!ids(&model, "hello world").truncated);
}

/// A random `rows x cols` Linear layer as the library stores it.
fn dense(rows: usize, cols: usize, seed: u64) -> rf8::model::weights::Dense {
    use rand::Rng;
    let mut rng = common::rng(seed);
    rf8::model::weights::Dense {
        name: "test".into(),
        rows,
        cols,
        weight: (0..rows * cols)
            .map(|_| rng.gen_range(-0.6f32..0.6))
            .collect(),
        bias: (0..rows).map(|_| rng.gen_range(-0.1f32..0.1)).collect(),
    }
}

/// Each backend's Linear equals a direct computation of its definition:
/// the stored weights are the codec's (per-row scales for INT8), the
/// kernels' results agree with f64 sums of the same weights within f32
/// rounding, and W8A8 is bit for bit the scaled RF8 products summed
/// exactly.
#[test]
fn every_linear_computes_its_definition() {
    use rand::Rng;
    let (rows, cols, tokens) = (40, 72, 3);
    let d = dense(rows, cols, 11);
    let mut rng = common::rng(12);
    let x: Vec<f32> = (0..tokens * cols)
        .map(|i| {
            if i % 17 == 0 {
                0.0
            } else {
                rng.gen_range(-3.0f32..3.0)
            }
        })
        .collect();
    for backend in Backend::all() {
        let lin = backend.build(&d).unwrap();
        let mut y = vec![0f32; tokens * rows];
        let mut counts = ProductCounts::default();
        lin.apply(&x, tokens, &mut y, &mut counts).unwrap();
        // The weights as the backend stores them, decoded.
        let stored: Vec<f64> = match backend.storage() {
            None => d.weight.iter().map(|&w| w as f64).collect(),
            Some(c) => {
                let w: Vec<f64> = d.weight.iter().map(|&w| w as f64).collect();
                rf8::stats::quantize::quantize_all(c, &w, cols)
            }
        };
        for t in 0..tokens {
            let xt = &x[t * cols..(t + 1) * cols];
            // The W8A8 paths store the activations as RF8 with a shift of
            // 2^k from the vector's and the layer's largest magnitudes.
            let x_max = xt.iter().fold(0f64, |m, &v| m.max((v as f64).abs()));
            let w_max = stored.iter().fold(0f64, |m, &v| m.max(v.abs()));
            let k = rf8::model::w8a8::activation_shift(x_max, w_max);
            let rf8_x =
                |j: usize| Rf8::from_f64_with(xt[j] as f64 * 2f64.powi(k), Rounding::Truncate);
            let w8a8 = matches!(
                backend,
                Backend::Rf8W8a8Exact | Backend::Rf8W8a8FullProducts
            );
            if let Backend::Rf8W8a8Exact = backend {
                for i in 0..rows {
                    let sum: f64 = (0..cols)
                        .map(|j| {
                            let w = Rf8::from_f64_with(stored[i * cols + j], Rounding::Truncate);
                            (w * rf8_x(j)).to_f64()
                        })
                        .sum();
                    let want = (sum / 2f64.powi(k)) as f32 + d.bias[i];
                    assert_eq!(y[t * rows + i], want, "{backend:?} row {i}");
                }
            } else {
                let xa = |j: usize| {
                    if w8a8 {
                        rf8_x(j).to_f64() / 2f64.powi(k)
                    } else {
                        xt[j] as f64
                    }
                };
                for i in 0..rows {
                    let dot: f64 = (0..cols).map(|j| stored[i * cols + j] * xa(j)).sum();
                    let mag: f64 = (0..cols)
                        .map(|j| (stored[i * cols + j] * xa(j)).abs())
                        .sum();
                    let want = dot + d.bias[i] as f64;
                    let got = y[t * rows + i] as f64;
                    assert!(
                        (got - want).abs() <= 1e-5 * (mag + 1.0),
                        "{backend:?} row {i}: {got} vs {want}"
                    );
                }
            }
        }
        if let Backend::Rf8W8a8Exact = backend {
            assert_eq!(counts.products, (tokens * rows * cols) as u64);
            assert_eq!(counts.activations, (tokens * cols) as u64);
            assert_eq!(
                counts.saturated, 0,
                "the scale keeps every product in range"
            );
        } else {
            assert_eq!(counts, ProductCounts::default());
        }
    }
}

/// `evaluate` on the tiny model: f32 is exact against itself, the W8A32
/// kernel rows agree with their storage rows, every row is in range.
#[test]
fn evaluation_rows_are_consistent() {
    let (dir, _) = tiny("eval");
    let model = Model::load(&dir).unwrap();
    let sentences: Vec<String> = [
        "the cat sat on the mat",
        "a dog sat on a rug",
        "hello world",
        "the stock market fell today",
        "the sun is good",
        "a big tree",
        "a small house",
        "the dogs run",
        "bad market today",
        "the cat is small",
        "hello sun",
        "the world is big",
        "a good run",
        "trees and houses",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let e = evaluate(&model, &sentences, &Backend::all(), &|_, _, _| {}).unwrap();
    assert_eq!(e.rows.len(), Backend::all().len());
    assert_eq!(e.neighbours, 10);
    let f32_row = &e.rows[0];
    assert_eq!(f32_row.format, "f32");
    assert!((f32_row.cos_min - 1.0).abs() < 1e-12);
    assert_eq!((f32_row.recall_at_10, f32_row.top1), (1.0, 1.0));
    for r in &e.rows {
        assert!(r.cos_min <= r.cos_mean && r.cos_mean <= 1.0 + 1e-9, "{r:?}");
        assert!((0.0..=1.0).contains(&r.recall_at_10) && (0.0..=1.0).contains(&r.top1));
    }
    let row = |n: &str| e.rows.iter().find(|r| r.format == n).unwrap();
    for (kernel, storage) in [("rf8_w8a32", "rf8-truncate"), ("int8_w8a32", "int8")] {
        let a = row(kernel).agrees_with.as_ref().unwrap();
        assert_eq!(a.format, storage);
        assert!(a.cos_min > 0.99999, "{kernel}: {a:?}");
        assert_eq!(row(kernel).sqnr_db, row(storage).sqnr_db);
        assert!((row(kernel).cos_mean - row(storage).cos_mean).abs() < 1e-5);
    }
    assert_eq!(row("rf8-truncate").bits_per_value, 8.0);
    assert!(
        row("mxfp4").bits_per_value > 4.25,
        "a scale per 16 or 32 values"
    );
    // W8A8 counted every product.
    let p = row("rf8_w8a8_exact").products.unwrap();
    let per_token: usize = model.weights.linear_params();
    assert_eq!(p.products, (per_token * e.tokens) as u64);
    assert!(row("f32").sqnr_db.is_none());
    // The text names what stayed f32 and the W8A8 scale.
    let text = e.text();
    assert!(
        text.contains("stay f32") && text.contains("power-of-two scale"),
        "{text}"
    );
}

/// The published model's embedding of "hello world" (sentence-transformers),
/// where `make deps` cached all-MiniLM-L6-v2.
#[test]
fn all_minilm_hello_world_is_pinned() {
    let dir = rf8::model::default_dir();
    if !dir.join("model.safetensors").is_file() {
        println!(
            "skipped: all-MiniLM-L6-v2 is not in {} (make deps fetches it)",
            dir.display()
        );
        return;
    }
    let model = Model::load(&dir).unwrap();
    let enc = model.encoder(Backend::F32).unwrap();
    let e = enc
        .embed(
            &model.tokenizer.encode("hello world").unwrap(),
            &mut ProductCounts::default(),
        )
        .unwrap();
    let want = [-0.03448f32, 0.03102, 0.00673, 0.02611, -0.03936];
    for (g, w) in e.iter().zip(want) {
        assert!((g - w).abs() < 1e-4, "{:?}", &e[..5]);
    }
    assert_eq!(e.len(), 384);
}

fn fails(args: &[&str], needle: &str) {
    let out = common::rf8(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(out.stdout.is_empty());
}

/// Bad input is one line and exit 2.
#[test]
fn eval_refuses_bad_input() {
    let root = common::temp_dir("eval-bad");
    let (dir, t) = tiny("eval-bad-model");
    let d = dir.to_str().unwrap();
    let sentences = root.join("s.txt");
    std::fs::write(&sentences, "hello world\nthe cat\n").unwrap();
    let s = sentences.to_str().unwrap();
    // Missing files, one at a time.
    for f in rf8::model::FILES {
        let broken = root.join(format!("no-{f}"));
        std::fs::create_dir_all(&broken).unwrap();
        for g in rf8::model::FILES.iter().filter(|g| **g != f) {
            std::fs::copy(dir.join(g), broken.join(g)).unwrap();
        }
        fails(
            &[
                "eval",
                "--model",
                broken.to_str().unwrap(),
                "--sentences",
                s,
            ],
            f,
        );
    }
    // Another architecture.
    let gpt = root.join("gpt");
    std::fs::create_dir_all(&gpt).unwrap();
    for g in rf8::model::FILES {
        std::fs::copy(dir.join(g), gpt.join(g)).unwrap();
    }
    let mut c = tiny_bert::config();
    c["model_type"] = "gpt2".into();
    std::fs::write(gpt.join("config.json"), c.to_string()).unwrap();
    fails(
        &["eval", "--model", gpt.to_str().unwrap(), "--sentences", s],
        "unsupported architecture",
    );
    // A tensor of the wrong shape.
    let mut bad = t.clone();
    bad.get_mut("encoder.layer.1.intermediate.dense.weight")
        .unwrap()
        .0 = vec![tiny_bert::HIDDEN, tiny_bert::INTER];
    let shaped = root.join("shape");
    std::fs::create_dir_all(&shaped).unwrap();
    for g in ["config.json", "tokenizer.json"] {
        std::fs::copy(dir.join(g), shaped.join(g)).unwrap();
    }
    tiny_bert::write_safetensors(&shaped.join("model.safetensors"), &bad);
    fails(
        &[
            "eval",
            "--model",
            shaped.to_str().unwrap(),
            "--sentences",
            s,
        ],
        "has shape [16, 32]",
    );
    // Sentences: empty, not UTF-8, a single one.
    let files: [(&str, &[u8], &str); 3] = [
        ("empty.txt", b"\n  \n", "no sentences"),
        ("latin1.txt", b"hello\ncaf\xe9\n", "not UTF-8 text (line 2)"),
        ("one.txt", b"hello world\n", "at least 2"),
    ];
    let many = "hello world\n".repeat(rf8::model::eval::MAX_SENTENCES + 1);
    let big = vec![b'a'; rf8::model::sentences::MAX_FILE_BYTES as usize + 1];
    let bounded: [(&str, &[u8], &str); 2] = [
        ("many.txt", many.as_bytes(), "at most 10000"),
        ("big.txt", &big, "larger than the 16.0 MiB"),
    ];
    let files: Vec<(&str, &[u8], &str)> = files.into_iter().chain(bounded).collect();
    for (name, text, needle) in files {
        let f = root.join(name);
        std::fs::write(&f, text).unwrap();
        fails(
            &["eval", "--model", d, "--sentences", f.to_str().unwrap()],
            needle,
        );
    }
    fails(
        &["eval", "--model", d, "--sentences", s, "--formats", "fp7"],
        "unknown format or kernel 'fp7'",
    );
    fails(
        &[
            "eval",
            "--model",
            root.join("nowhere").to_str().unwrap(),
            "--sentences",
            s,
        ],
        "not a directory",
    );
}

/// `rf8 eval --json` has the keys on every row, and says when a
/// sentence was cut.
#[test]
fn eval_json_has_every_key() {
    let root = common::temp_dir("eval-json");
    let (dir, _) = tiny("eval-json-model");
    let sentences = root.join("s.txt");
    let long = "the cat sat on the mat ".repeat(4);
    std::fs::write(&sentences, format!("hello world\nthe cat\n{long}\na dog\n")).unwrap();
    let base = [
        "eval",
        "--model",
        dir.to_str().unwrap(),
        "--sentences",
        sentences.to_str().unwrap(),
        "--formats",
    ];
    // A format named twice runs once.
    let j = common::rf8_json(
        &[
            &base[..],
            &["rf8-truncate,rf8_w8a8_exact,rf8-truncate", "--json"],
        ]
        .concat(),
    );
    assert_eq!(j["truncated"], 1);
    assert_eq!(j["neighbours"], 3);
    let rows = j["rows"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["format"].as_str().unwrap()).collect();
    assert_eq!(names, ["f32", "rf8-truncate", "rf8_w8a8_exact"]);
    for r in rows {
        for key in [
            "format",
            "cos_mean",
            "cos_min",
            "recall_at_10",
            "top1",
            "sqnr_db",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
    let text = common::rf8(&[&base[..], &["int8"]].concat());
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("were cut to 12"), "{text}");
}
