//! A tiny random BERT checkpoint (config, safetensors, WordPiece
//! tokenizer) for the model tests, and an independent forward pass in f64
//! with plain loops to check the library's against.

use std::collections::HashMap;
use std::path::Path;

use rand::Rng;
use rand_distr::{Distribution, Normal};

pub const HIDDEN: usize = 16;
pub const HEADS: usize = 2;
pub const LAYERS: usize = 2;
pub const INTER: usize = 32;
pub const POSITIONS: usize = 24;
/// sentence-transformers' `max_seq_length` of the tiny model.
pub const MAX_TOKENS: usize = 12;

pub const VOCAB: [&str; 32] = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "dog", "sat", "on", "mat", "a",
    "rug", "hello", "world", "stock", "market", "fell", "today", "is", "good", "bad", "##s",
    "##ing", "run", ".", ",", "big", "small", "house", "tree", "sun",
];

/// The tensors of the tiny model, by name.
pub type Tensors = HashMap<String, (Vec<usize>, Vec<f32>)>;

/// Random tensors with Hugging Face's names.
pub fn tensors(seed: u64) -> Tensors {
    let mut rng = super::rng(seed);
    let normal = Normal::new(0.0f32, 1.0).unwrap();
    let mut t = Tensors::new();
    let mut add = |name: &str,
                   shape: Vec<usize>,
                   scale: f32,
                   offset: f32,
                   rng: &mut rand_chacha::ChaCha8Rng| {
        let n: usize = shape.iter().product();
        let v = (0..n)
            .map(|_| offset + scale * normal.sample(rng))
            .collect();
        t.insert(name.to_string(), (shape, v));
    };
    let h = HIDDEN;
    add(
        "embeddings.word_embeddings.weight",
        vec![VOCAB.len(), h],
        0.5,
        0.0,
        &mut rng,
    );
    add(
        "embeddings.position_embeddings.weight",
        vec![POSITIONS, h],
        0.2,
        0.0,
        &mut rng,
    );
    add(
        "embeddings.token_type_embeddings.weight",
        vec![2, h],
        0.1,
        0.0,
        &mut rng,
    );
    add("embeddings.LayerNorm.weight", vec![h], 0.1, 1.0, &mut rng);
    add("embeddings.LayerNorm.bias", vec![h], 0.1, 0.0, &mut rng);
    for l in 0..LAYERS {
        let p = format!("encoder.layer.{l}");
        for (name, rows, cols) in [
            ("attention.self.query", h, h),
            ("attention.self.key", h, h),
            ("attention.self.value", h, h),
            ("attention.output.dense", h, h),
            ("intermediate.dense", INTER, h),
            ("output.dense", h, INTER),
        ] {
            let s = 1.0 / (cols as f32).sqrt();
            add(
                &format!("{p}.{name}.weight"),
                vec![rows, cols],
                s,
                0.0,
                &mut rng,
            );
            add(&format!("{p}.{name}.bias"), vec![rows], 0.1, 0.0, &mut rng);
        }
        for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
            add(&format!("{p}.{norm}.weight"), vec![h], 0.1, 1.0, &mut rng);
            add(&format!("{p}.{norm}.bias"), vec![h], 0.1, 0.0, &mut rng);
        }
    }
    // Unused by the encoder, as in real checkpoints: must be ignored.
    add("pooler.dense.weight", vec![h, h], 0.1, 0.0, &mut rng);
    let _ = rng.gen::<u8>();
    t
}

/// The config.json of the tiny model.
pub fn config() -> serde_json::Value {
    serde_json::json!({
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_act": "gelu",
        "hidden_size": HIDDEN,
        "intermediate_size": INTER,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": POSITIONS,
        "num_attention_heads": HEADS,
        "num_hidden_layers": LAYERS,
        "position_embedding_type": "absolute",
        "type_vocab_size": 2,
        "vocab_size": VOCAB.len(),
        "pad_token_id": 0
    })
}

/// A WordPiece tokenizer.json over [`VOCAB`], as BERT's.
pub fn tokenizer() -> serde_json::Value {
    let vocab: serde_json::Map<String, serde_json::Value> = VOCAB
        .iter()
        .enumerate()
        .map(|(i, w)| (w.to_string(), serde_json::json!(i)))
        .collect();
    let special = |id: usize, content: &str| {
        serde_json::json!({"id": id, "special": true, "content": content, "single_word": false,
            "lstrip": false, "rstrip": false, "normalized": false})
    };
    serde_json::json!({
        "version": "1.0",
        "truncation": {"max_length": 4, "strategy": "LongestFirst", "stride": 0},
        "padding": {"strategy": {"Fixed": 20}, "direction": "Right", "pad_to_multiple_of": null,
            "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"},
        "added_tokens": [special(0, "[PAD]"), special(1, "[UNK]"), special(2, "[CLS]"),
            special(3, "[SEP]"), special(4, "[MASK]")],
        "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
            "strip_accents": null, "lowercase": true},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
                "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
            "max_input_chars_per_word": 100, "vocab": vocab}
    })
}

/// Writes `tensors` as a safetensors file.
pub fn write_safetensors(path: &Path, tensors: &Tensors) {
    let bytes: Vec<(String, Vec<usize>, Vec<u8>)> = tensors
        .iter()
        .map(|(n, (s, v))| {
            (
                n.clone(),
                s.clone(),
                v.iter().flat_map(|x| x.to_le_bytes()).collect(),
            )
        })
        .collect();
    let views: Vec<(&str, safetensors::tensor::TensorView)> = bytes
        .iter()
        .map(|(n, s, b)| {
            (
                n.as_str(),
                safetensors::tensor::TensorView::new(safetensors::Dtype::F32, s.clone(), b)
                    .unwrap(),
            )
        })
        .collect();
    std::fs::write(path, safetensors::tensor::serialize(views, &None).unwrap()).unwrap();
}

/// Writes the tiny model into `dir` (created); returns its tensors.
pub fn write(dir: &Path, seed: u64) -> Tensors {
    std::fs::create_dir_all(dir.join("1_Pooling")).unwrap();
    let t = tensors(seed);
    write_safetensors(&dir.join("model.safetensors"), &t);
    std::fs::write(dir.join("config.json"), config().to_string()).unwrap();
    std::fs::write(dir.join("tokenizer.json"), tokenizer().to_string()).unwrap();
    std::fs::write(
        dir.join("sentence_bert_config.json"),
        serde_json::json!({"max_seq_length": MAX_TOKENS, "do_lower_case": false}).to_string(),
    )
    .unwrap();
    std::fs::write(
        dir.join("1_Pooling/config.json"),
        serde_json::json!({"word_embedding_dimension": HIDDEN, "pooling_mode_mean_tokens": true})
            .to_string(),
    )
    .unwrap();
    t
}

fn get<'a>(t: &'a Tensors, name: &str) -> &'a [f32] {
    &t[name].1
}

fn layer_norm(x: &mut [f64], g: &[f32], b: &[f32]) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    for (i, v) in x.iter_mut().enumerate() {
        *v = (*v - mean) / (var + 1e-12).sqrt() * g[i] as f64 + b[i] as f64;
    }
}

/// `y = W x + b` in f64 with plain loops (W row-major out x in).
fn dense(t: &Tensors, name: &str, x: &[f64]) -> Vec<f64> {
    let (shape, w) = &t[&format!("{name}.weight")];
    let b = get(t, &format!("{name}.bias"));
    (0..shape[0])
        .map(|i| {
            (0..shape[1])
                .map(|k| w[i * shape[1] + k] as f64 * x[k])
                .sum::<f64>()
                + b[i] as f64
        })
        .collect()
}

/// erf by its Maclaurin series (|x| < 3) or continued fraction, in f64:
/// independent of the library's libm.
fn erf(x: f64) -> f64 {
    if x.abs() > 5.0 {
        return x.signum();
    }
    // Series: erf x = 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)).
    let mut sum = 0.0f64;
    let mut term = x;
    let mut n = 0.0;
    while term.abs() > 1e-17 * sum.abs().max(1e-300) || n < 3.0 {
        sum += term / (2.0 * n + 1.0);
        n += 1.0;
        term *= -x * x / n;
        if n > 200.0 {
            break;
        }
    }
    sum * 2.0 / std::f64::consts::PI.sqrt()
}

/// The sentence embedding of `ids` (one sentence, no padding) by plain
/// loops in f64: embeddings, attention, GELU feed-forward, layer norms,
/// mean pooling, L2 normalisation.
pub fn embed(t: &Tensors, ids: &[u32]) -> Vec<f64> {
    let h = HIDDEN;
    let d = h / HEADS;
    let n = ids.len();
    let mut x: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let mut row: Vec<f64> = (0..h)
                .map(|j| {
                    get(t, "embeddings.word_embeddings.weight")[ids[i] as usize * h + j] as f64
                        + get(t, "embeddings.position_embeddings.weight")[i * h + j] as f64
                        + get(t, "embeddings.token_type_embeddings.weight")[j] as f64
                })
                .collect();
            layer_norm(
                &mut row,
                get(t, "embeddings.LayerNorm.weight"),
                get(t, "embeddings.LayerNorm.bias"),
            );
            row
        })
        .collect();
    for l in 0..LAYERS {
        let p = format!("encoder.layer.{l}");
        let q: Vec<Vec<f64>> = x
            .iter()
            .map(|r| dense(t, &format!("{p}.attention.self.query"), r))
            .collect();
        let k: Vec<Vec<f64>> = x
            .iter()
            .map(|r| dense(t, &format!("{p}.attention.self.key"), r))
            .collect();
        let v: Vec<Vec<f64>> = x
            .iter()
            .map(|r| dense(t, &format!("{p}.attention.self.value"), r))
            .collect();
        let mut ctx = vec![vec![0.0; h]; n];
        for head in 0..HEADS {
            for i in 0..n {
                let s: Vec<f64> = (0..n)
                    .map(|j| {
                        (0..d)
                            .map(|c| q[i][head * d + c] * k[j][head * d + c])
                            .sum::<f64>()
                            / (d as f64).sqrt()
                    })
                    .collect();
                let m = s.iter().cloned().fold(f64::MIN, f64::max);
                let e: Vec<f64> = s.iter().map(|v| (v - m).exp()).collect();
                let z: f64 = e.iter().sum();
                for c in 0..d {
                    ctx[i][head * d + c] = (0..n).map(|j| e[j] / z * v[j][head * d + c]).sum();
                }
            }
        }
        for i in 0..n {
            let a = dense(t, &format!("{p}.attention.output.dense"), &ctx[i]);
            let mut r: Vec<f64> = (0..h).map(|j| x[i][j] + a[j]).collect();
            layer_norm(
                &mut r,
                get(t, &format!("{p}.attention.output.LayerNorm.weight")),
                get(t, &format!("{p}.attention.output.LayerNorm.bias")),
            );
            let f: Vec<f64> = dense(t, &format!("{p}.intermediate.dense"), &r)
                .iter()
                .map(|&v| 0.5 * v * (1.0 + erf(v / 2f64.sqrt())))
                .collect();
            let o = dense(t, &format!("{p}.output.dense"), &f);
            let mut r2: Vec<f64> = (0..h).map(|j| r[j] + o[j]).collect();
            layer_norm(
                &mut r2,
                get(t, &format!("{p}.output.LayerNorm.weight")),
                get(t, &format!("{p}.output.LayerNorm.bias")),
            );
            x[i] = r2;
        }
    }
    let mean: Vec<f64> = (0..h)
        .map(|j| x.iter().map(|r| r[j]).sum::<f64>() / n as f64)
        .collect();
    let norm = mean.iter().map(|v| v * v).sum::<f64>().sqrt();
    mean.iter().map(|v| v / norm).collect()
}
