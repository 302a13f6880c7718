//! A BERT-family encoder's shape and settings, read from the checkpoint's
//! `config.json` (Hugging Face's names) and, where present, the
//! sentence-transformers files beside it: `sentence_bert_config.json`
//! (the maximum sequence length the model was trained with, 256 for
//! all-MiniLM-L6-v2 although its position table has 512 rows) and
//! `1_Pooling/config.json` (mean or CLS pooling).

use std::path::Path;

use super::ModelError;

/// The feed-forward activation (`hidden_act`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// `x * Phi(x)` with the exact error function (`"gelu"`, BERT's).
    Gelu,
    /// The tanh approximation (`"gelu_new"`, `"gelu_pytorch_tanh"`).
    GeluTanh,
    /// `max(x, 0)`.
    Relu,
}

impl Activation {
    /// The activation of one value (in f64, rounded once to f32).
    pub fn apply(self, x: f32) -> f32 {
        let x = f64::from(x);
        let y = match self {
            Activation::Gelu => 0.5 * x * (1.0 + libm::erf(x / std::f64::consts::SQRT_2)),
            Activation::GeluTanh => {
                let c = (2.0 / std::f64::consts::PI).sqrt();
                0.5 * x * (1.0 + (c * (x + 0.044715 * x * x * x)).tanh())
            }
            Activation::Relu => x.max(0.0),
        };
        y as f32
    }
}

/// How token states become one sentence embedding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pooling {
    /// The mean over the tokens the attention mask keeps.
    Mean,
    /// The first token's state (`[CLS]`).
    Cls,
}

/// What the forward pass needs to know about the model.
#[derive(Clone, Debug, PartialEq)]
pub struct BertConfig {
    pub vocab: usize,
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub intermediate: usize,
    /// Rows of the position table.
    pub max_positions: usize,
    pub type_vocab: usize,
    pub layer_norm_eps: f32,
    pub activation: Activation,
    /// Tokens per sequence, special tokens included: sentence-transformers'
    /// `max_seq_length` where given, never more than the position table.
    pub max_tokens: usize,
    pub pooling: Pooling,
}

#[derive(serde::Deserialize)]
struct Raw {
    model_type: Option<String>,
    architectures: Option<Vec<String>>,
    vocab_size: usize,
    hidden_size: usize,
    num_hidden_layers: usize,
    num_attention_heads: usize,
    intermediate_size: usize,
    max_position_embeddings: usize,
    #[serde(default = "two")]
    type_vocab_size: usize,
    #[serde(default = "eps")]
    layer_norm_eps: f64,
    #[serde(default = "gelu")]
    hidden_act: String,
    position_embedding_type: Option<String>,
}

fn two() -> usize {
    2
}
fn eps() -> f64 {
    1e-12
}
fn gelu() -> String {
    "gelu".into()
}

/// Largest size accepted for any dimension: far above every BERT, small
/// enough that products of two sizes never overflow.
const MAX_DIM: usize = 1 << 20;

impl BertConfig {
    /// Reads `dir/config.json` and the sentence-transformers files beside
    /// it; refuses architectures the forward pass does not implement.
    pub fn load(dir: &Path) -> Result<BertConfig, ModelError> {
        let path = dir.join("config.json");
        let text = super::read_text(&path)?;
        let bad = |reason: String| ModelError::Config(format!("{}: {reason}", path.display()));
        let raw: Raw = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        let arch = raw.architectures.as_deref().unwrap_or_default();
        let bert_arch = arch.is_empty() || arch.iter().any(|a| a.starts_with("Bert"));
        if raw.model_type.as_deref() != Some("bert") || !bert_arch {
            return Err(bad(format!(
                "unsupported architecture (model_type {:?}, architectures {:?}): only BERT encoders (model_type \"bert\") are supported",
                raw.model_type.as_deref().unwrap_or("missing"),
                arch
            )));
        }
        if let Some(p) = raw.position_embedding_type.as_deref() {
            if p != "absolute" {
                return Err(bad(format!(
                    "position_embedding_type \"{p}\" is not supported (only \"absolute\")"
                )));
            }
        }
        let activation = match raw.hidden_act.as_str() {
            "gelu" => Activation::Gelu,
            "gelu_new" | "gelu_pytorch_tanh" => Activation::GeluTanh,
            "relu" => Activation::Relu,
            other => {
                return Err(bad(format!(
                "hidden_act \"{other}\" is not supported (gelu, gelu_new, gelu_pytorch_tanh, relu)"
            )))
            }
        };
        let dims = [
            ("vocab_size", raw.vocab_size),
            ("hidden_size", raw.hidden_size),
            ("num_hidden_layers", raw.num_hidden_layers),
            ("num_attention_heads", raw.num_attention_heads),
            ("intermediate_size", raw.intermediate_size),
            ("max_position_embeddings", raw.max_position_embeddings),
            ("type_vocab_size", raw.type_vocab_size),
        ];
        for (name, v) in dims {
            if v == 0 || v > MAX_DIM {
                return Err(bad(format!(
                    "{name} = {v} is out of range (1 to {MAX_DIM})"
                )));
            }
        }
        if !raw.hidden_size.is_multiple_of(raw.num_attention_heads) {
            return Err(bad(format!(
                "hidden_size {} is not a multiple of num_attention_heads {}",
                raw.hidden_size, raw.num_attention_heads
            )));
        }
        if !(raw.layer_norm_eps.is_finite() && raw.layer_norm_eps > 0.0) {
            return Err(bad(format!(
                "layer_norm_eps {} is not a positive number",
                raw.layer_norm_eps
            )));
        }
        let max_tokens = sentence_max_tokens(dir)?
            .unwrap_or(raw.max_position_embeddings)
            .min(raw.max_position_embeddings);
        Ok(BertConfig {
            vocab: raw.vocab_size,
            hidden: raw.hidden_size,
            layers: raw.num_hidden_layers,
            heads: raw.num_attention_heads,
            intermediate: raw.intermediate_size,
            max_positions: raw.max_position_embeddings,
            type_vocab: raw.type_vocab_size,
            layer_norm_eps: raw.layer_norm_eps as f32,
            activation,
            max_tokens: max_tokens.max(2),
            pooling: pooling(dir)?,
        })
    }

    /// Width of one attention head.
    pub fn head_dim(&self) -> usize {
        self.hidden / self.heads
    }
}

/// `max_seq_length` of `sentence_bert_config.json`, if the file exists.
fn sentence_max_tokens(dir: &Path) -> Result<Option<usize>, ModelError> {
    let path = dir.join("sentence_bert_config.json");
    if !path.exists() {
        return Ok(None);
    }
    let v: serde_json::Value = serde_json::from_str(&super::read_text(&path)?)
        .map_err(|e| ModelError::Config(format!("{}: {e}", path.display())))?;
    match v.get("max_seq_length") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(n) => n
            .as_u64()
            .filter(|&n| n >= 2)
            .map(|n| Some(n as usize))
            .ok_or_else(|| {
                ModelError::Config(format!(
                    "{}: max_seq_length {n} is not a count of at least 2",
                    path.display()
                ))
            }),
    }
}

/// The pooling of `1_Pooling/config.json` (mean when the file is absent,
/// as sentence-transformers' default).
fn pooling(dir: &Path) -> Result<Pooling, ModelError> {
    let path = dir.join("1_Pooling").join("config.json");
    if !path.exists() {
        return Ok(Pooling::Mean);
    }
    let v: serde_json::Value = serde_json::from_str(&super::read_text(&path)?)
        .map_err(|e| ModelError::Config(format!("{}: {e}", path.display())))?;
    let on = |key: &str| v.get(key).and_then(|b| b.as_bool()).unwrap_or(false);
    let modes: Vec<&str> = [
        "pooling_mode_cls_token",
        "pooling_mode_mean_tokens",
        "pooling_mode_max_tokens",
        "pooling_mode_mean_sqrt_len_tokens",
    ]
    .into_iter()
    .filter(|k| on(k))
    .collect();
    match modes.as_slice() {
        ["pooling_mode_mean_tokens"] => Ok(Pooling::Mean),
        ["pooling_mode_cls_token"] => Ok(Pooling::Cls),
        _ => Err(ModelError::Config(format!(
            "{}: pooling {modes:?} is not supported (mean or CLS)",
            path.display()
        ))),
    }
}
