//! The encoder's tensors, read from `model.safetensors` with Hugging
//! Face's names (`embeddings.word_embeddings.weight`,
//! `encoder.layer.3.attention.self.query.weight`, ...; a `bert.` prefix,
//! as task checkpoints have, is accepted), every shape checked against
//! the config.

use std::collections::HashMap;
use std::path::Path;

use super::config::BertConfig;
use super::ModelError;

/// A Linear layer as stored: `y = W x + b`, `W` row-major `rows x cols`
/// (out x in, PyTorch's layout).
#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    /// The tensor's name without `.weight`.
    pub name: String,
    pub rows: usize,
    pub cols: usize,
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
}

/// A layer norm's scale and shift.
#[derive(Clone, Debug, PartialEq)]
pub struct Norm {
    pub gamma: Vec<f32>,
    pub beta: Vec<f32>,
}

/// One transformer layer.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    pub query: Dense,
    pub key: Dense,
    pub value: Dense,
    pub attn_out: Dense,
    pub attn_norm: Norm,
    pub ffn_in: Dense,
    pub ffn_out: Dense,
    pub ffn_norm: Norm,
}

impl Layer {
    /// Its six Linear layers, in the order the forward pass runs them.
    pub fn linears(&self) -> [&Dense; 6] {
        [
            &self.query,
            &self.key,
            &self.value,
            &self.attn_out,
            &self.ffn_in,
            &self.ffn_out,
        ]
    }
}

/// Every tensor the forward pass uses.
#[derive(Clone, Debug, PartialEq)]
pub struct Weights {
    /// `vocab x hidden`.
    pub word: Vec<f32>,
    /// `max_positions x hidden`.
    pub position: Vec<f32>,
    /// `type_vocab x hidden`.
    pub token_type: Vec<f32>,
    pub embed_norm: Norm,
    pub layers: Vec<Layer>,
}

impl Weights {
    /// Reads `path` (`model.safetensors`) for a model of `config`.
    pub fn load(path: &Path, config: &BertConfig) -> Result<Weights, ModelError> {
        let mut tensors: HashMap<String, (Vec<usize>, Vec<f32>)> = HashMap::new();
        crate::tensors::visit_shaped(path, None, |name, shape, values| {
            tensors.insert(name.to_string(), (shape.to_vec(), values.to_vec()));
        })?;
        let prefix = if tensors.contains_key("bert.embeddings.word_embeddings.weight") {
            "bert."
        } else {
            ""
        };
        let mut take = |name: &str, shape: &[usize]| -> Result<Vec<f32>, ModelError> {
            let full = format!("{prefix}{name}");
            // Checkpoints converted from TensorFlow name layer norms gamma/beta.
            let alias = full
                .replace("LayerNorm.weight", "LayerNorm.gamma")
                .replace("LayerNorm.bias", "LayerNorm.beta");
            let (found, values) = tensors
                .remove(&full)
                .or_else(|| tensors.remove(&alias))
                .ok_or_else(|| {
                    ModelError::Shape(format!(
                        "{}: tensor {full} is missing (or not F32, F16 or BF16)",
                        path.display()
                    ))
                })?;
            if found != shape {
                return Err(ModelError::Shape(format!(
                    "{}: tensor {full} has shape {found:?}, the config asks for {shape:?}",
                    path.display()
                )));
            }
            Ok(values)
        };
        let h = config.hidden;
        let mut norm = |name: &str| -> Result<Norm, ModelError> {
            Ok(Norm {
                gamma: take(&format!("{name}.LayerNorm.weight"), &[h])?,
                beta: take(&format!("{name}.LayerNorm.bias"), &[h])?,
            })
        };
        let embed_norm = norm("embeddings")?;
        let mut layers = Vec::with_capacity(config.layers);
        for i in 0..config.layers {
            let l = format!("encoder.layer.{i}");
            let attn_norm = norm(&format!("{l}.attention.output"))?;
            let ffn_norm = norm(&format!("{l}.output"))?;
            layers.push((l, attn_norm, ffn_norm));
        }
        let mut dense = |name: String, rows: usize, cols: usize| -> Result<Dense, ModelError> {
            Ok(Dense {
                weight: take(&format!("{name}.weight"), &[rows, cols])?,
                bias: take(&format!("{name}.bias"), &[rows])?,
                name,
                rows,
                cols,
            })
        };
        let inter = config.intermediate;
        let layers = layers
            .into_iter()
            .map(|(l, attn_norm, ffn_norm)| {
                Ok(Layer {
                    query: dense(format!("{l}.attention.self.query"), h, h)?,
                    key: dense(format!("{l}.attention.self.key"), h, h)?,
                    value: dense(format!("{l}.attention.self.value"), h, h)?,
                    attn_out: dense(format!("{l}.attention.output.dense"), h, h)?,
                    attn_norm,
                    ffn_in: dense(format!("{l}.intermediate.dense"), inter, h)?,
                    ffn_out: dense(format!("{l}.output.dense"), h, inter)?,
                    ffn_norm,
                })
            })
            .collect::<Result<Vec<Layer>, ModelError>>()?;
        let weights = Weights {
            word: take("embeddings.word_embeddings.weight", &[config.vocab, h])?,
            position: take(
                "embeddings.position_embeddings.weight",
                &[config.max_positions, h],
            )?,
            token_type: take(
                "embeddings.token_type_embeddings.weight",
                &[config.type_vocab, h],
            )?,
            embed_norm,
            layers,
        };
        if let Some(bad) = weights.first_non_finite() {
            return Err(ModelError::Shape(format!(
                "{}: tensor {bad} holds NaN or an infinity",
                path.display()
            )));
        }
        Ok(weights)
    }

    /// Every Linear layer, in forward order.
    pub fn linears(&self) -> impl Iterator<Item = &Dense> {
        self.layers.iter().flat_map(|l| l.linears())
    }

    /// Parameters of the Linear layers (the weights the formats store).
    pub fn linear_params(&self) -> usize {
        self.linears().map(|d| d.weight.len()).sum()
    }

    /// The name of a tensor with a NaN or an infinity, if any.
    fn first_non_finite(&self) -> Option<String> {
        let bad = |v: &[f32]| v.iter().any(|x| !x.is_finite());
        for d in self.linears() {
            if bad(&d.weight) || bad(&d.bias) {
                return Some(d.name.clone());
            }
        }
        let norms = std::iter::once(&self.embed_norm)
            .chain(self.layers.iter().flat_map(|l| [&l.attn_norm, &l.ffn_norm]));
        if norms.into_iter().any(|n| bad(&n.gamma) || bad(&n.beta)) {
            return Some("a LayerNorm".into());
        }
        [
            ("word_embeddings", &self.word),
            ("position_embeddings", &self.position),
            ("token_type_embeddings", &self.token_type),
        ]
        .into_iter()
        .find(|(_, v)| bad(v))
        .map(|(n, _)| n.to_string())
    }
}
