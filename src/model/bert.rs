//! The BERT encoder's forward pass for one sequence: embeddings and their
//! layer norm, then per layer self-attention (the attention mask keeps
//! padding out of every softmax), output projection, residual and layer
//! norm, feed-forward with the activation, residual and layer norm; then
//! pooling and L2 normalisation as sentence-transformers does. The six
//! Linear layers of each transformer layer go through the backend's
//! [`Linear`] operators; embeddings, layer norms, attention and biases
//! stay f32.

use rayon::prelude::*;

use super::config::{BertConfig, Pooling};
use super::linear::{Backend, Linear};
use super::matmul::{matmul, View};
use super::tokenize::Tokens;
use super::w8a8::ProductCounts;
use super::weights::{Dense, Norm, Weights};
use super::ModelError;
use crate::kernel::KernelError;

/// The encoder with its Linear layers built by one backend.
pub struct Encoder<'a> {
    config: &'a BertConfig,
    weights: &'a Weights,
    /// Per layer: query, key, value, attention output, feed-forward in, out.
    linears: Vec<[Box<dyn Linear>; 6]>,
}

impl<'a> Encoder<'a> {
    /// Quantises (or copies) every Linear layer for `backend`, on all cores.
    pub fn new(
        config: &'a BertConfig,
        weights: &'a Weights,
        backend: Backend,
    ) -> Result<Encoder<'a>, KernelError> {
        Encoder::with(config, weights, |d| backend.build(d))
    }

    /// The encoder with every Linear layer made by `build` (a user's own
    /// operator), on all cores.
    pub fn with(
        config: &'a BertConfig,
        weights: &'a Weights,
        build: impl Fn(&Dense) -> Result<Box<dyn Linear>, KernelError> + Sync,
    ) -> Result<Encoder<'a>, KernelError> {
        let linears = weights
            .layers
            .par_iter()
            .map(|layer| {
                let built = layer
                    .linears()
                    .map(&build)
                    .into_iter()
                    .collect::<Result<Vec<_>, _>>()?;
                let arr: [Box<dyn Linear>; 6] = built
                    .try_into()
                    .unwrap_or_else(|_| unreachable!("six linears per layer"));
                Ok(arr)
            })
            .collect::<Result<Vec<_>, KernelError>>()?;
        Ok(Encoder {
            config,
            weights,
            linears,
        })
    }

    /// Checks that `t` can run: ids in the vocabulary, no longer than the
    /// position table, masks and types of the same length.
    fn check(&self, t: &Tokens) -> Result<(), ModelError> {
        let c = self.config;
        let n = t.ids.len();
        let bad = |m: String| Err(ModelError::Input(m));
        if n == 0 {
            return bad("an empty token sequence".into());
        }
        if t.type_ids.len() != n || t.mask.len() != n {
            return bad(format!(
                "{n} token ids but {} type ids and {} mask entries",
                t.type_ids.len(),
                t.mask.len()
            ));
        }
        if n > c.max_positions {
            return bad(format!(
                "{n} tokens; the model has {} positions",
                c.max_positions
            ));
        }
        if let Some(id) = t.ids.iter().find(|&&i| i as usize >= c.vocab) {
            return bad(format!(
                "token id {id} is outside the vocabulary of {}",
                c.vocab
            ));
        }
        if let Some(ty) = t.type_ids.iter().find(|&&i| i as usize >= c.type_vocab) {
            return bad(format!(
                "token type {ty} is outside the {} types",
                c.type_vocab
            ));
        }
        if t.mask.iter().all(|&m| m == 0) {
            return bad("the attention mask keeps no token".into());
        }
        Ok(())
    }

    /// The last layer's hidden states, `tokens x hidden`.
    pub fn hidden_states(
        &self,
        t: &Tokens,
        counts: &mut ProductCounts,
    ) -> Result<Vec<f32>, ModelError> {
        self.check(t)?;
        let c = self.config;
        let (n, h) = (t.ids.len(), c.hidden);
        let w = self.weights;
        let mut x = vec![0f32; n * h];
        for (i, row) in x.chunks_exact_mut(h).enumerate() {
            let word = &w.word[t.ids[i] as usize * h..][..h];
            let pos = &w.position[i * h..][..h];
            let ty = &w.token_type[t.type_ids[i] as usize * h..][..h];
            for j in 0..h {
                row[j] = word[j] + pos[j] + ty[j];
            }
        }
        layer_norm(&mut x, &w.embed_norm, c.layer_norm_eps);
        let mut q = vec![0f32; n * h];
        let mut k = vec![0f32; n * h];
        let mut v = vec![0f32; n * h];
        let mut ctx = vec![0f32; n * h];
        let mut proj = vec![0f32; n * h];
        let mut inter = vec![0f32; n * c.intermediate];
        for (layer, lin) in w.layers.iter().zip(&self.linears) {
            lin[0].apply(&x, n, &mut q, counts)?;
            lin[1].apply(&x, n, &mut k, counts)?;
            lin[2].apply(&x, n, &mut v, counts)?;
            attention(c, &q, &k, &v, &t.mask, &mut ctx);
            lin[3].apply(&ctx, n, &mut proj, counts)?;
            residual_norm(&mut x, &proj, &layer.attn_norm, c.layer_norm_eps);
            lin[4].apply(&x, n, &mut inter, counts)?;
            for v in inter.iter_mut() {
                *v = c.activation.apply(*v);
            }
            lin[5].apply(&inter, n, &mut proj, counts)?;
            residual_norm(&mut x, &proj, &layer.ffn_norm, c.layer_norm_eps);
        }
        Ok(x)
    }

    /// The sentence embedding of `t`: pooled (mean over the tokens the
    /// mask keeps, or `[CLS]`) and L2-normalised.
    pub fn embed(&self, t: &Tokens, counts: &mut ProductCounts) -> Result<Vec<f32>, ModelError> {
        let x = self.hidden_states(t, counts)?;
        let h = self.config.hidden;
        let pooled: Vec<f64> = match self.config.pooling {
            Pooling::Cls => x[..h].iter().map(|&v| f64::from(v)).collect(),
            Pooling::Mean => {
                let mut sum = vec![0f64; h];
                let mut count = 0f64;
                for (row, &m) in x.chunks_exact(h).zip(&t.mask) {
                    if m != 0 {
                        count += 1.0;
                        for (s, &v) in sum.iter_mut().zip(row) {
                            *s += f64::from(v);
                        }
                    }
                }
                sum.iter().map(|s| s / count.max(1e-9)).collect()
            }
        };
        let norm = pooled.iter().map(|v| v * v).sum::<f64>().sqrt().max(1e-12);
        let out: Vec<f32> = pooled.iter().map(|v| (v / norm) as f32).collect();
        if out.iter().any(|v| !v.is_finite()) {
            return Err(ModelError::Input(
                "the embedding is not finite (an activation overflowed)".into(),
            ));
        }
        Ok(out)
    }
}

/// Multi-head self-attention: `ctx = softmax(q k^T / sqrt(d) + mask) v`
/// per head, with masked keys at f32's lowest value as PyTorch's BERT
/// adds them.
fn attention(c: &BertConfig, q: &[f32], k: &[f32], v: &[f32], mask: &[u32], ctx: &mut [f32]) {
    let (n, h, d) = (mask.len(), c.hidden, c.head_dim());
    let scale = 1.0 / (d as f32).sqrt();
    let mut scores = vec![0f32; n * n];
    for head in 0..c.heads {
        let off = head * d;
        fn at(m: &[f32], off: usize, h: usize) -> View<'_> {
            View {
                data: &m[off..],
                row_stride: h,
                col_stride: 1,
            }
        }
        let kt = View {
            data: &k[off..],
            row_stride: 1,
            col_stride: h,
        };
        matmul(n, n, d, &mut scores, n, at(q, off, h), kt);
        for row in scores.chunks_exact_mut(n) {
            for (s, &m) in row.iter_mut().zip(mask) {
                *s = *s * scale + if m == 0 { f32::MIN } else { 0.0 };
            }
            let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let mut sum = 0f32;
            for s in row.iter_mut() {
                *s = (*s - max).exp();
                sum += *s;
            }
            for s in row.iter_mut() {
                *s /= sum;
            }
        }
        matmul(
            n,
            d,
            n,
            &mut ctx[off..],
            h,
            View::rows(&scores, n),
            at(v, off, h),
        );
    }
}

/// `x = LayerNorm(x + y)`.
fn residual_norm(x: &mut [f32], y: &[f32], norm: &Norm, eps: f32) {
    for (a, b) in x.iter_mut().zip(y) {
        *a += b;
    }
    layer_norm(x, norm, eps);
}

/// Each row of `x` normalised to mean 0 and variance 1 (biased, with
/// `eps`), then scaled and shifted.
fn layer_norm(x: &mut [f32], norm: &Norm, eps: f32) {
    let h = norm.gamma.len();
    for row in x.chunks_exact_mut(h) {
        let mean = row.iter().map(|&v| f64::from(v)).sum::<f64>() / h as f64;
        let var = row
            .iter()
            .map(|&v| (f64::from(v) - mean).powi(2))
            .sum::<f64>()
            / h as f64;
        let inv = 1.0 / (var + f64::from(eps)).sqrt();
        for ((v, g), b) in row.iter_mut().zip(&norm.gamma).zip(&norm.beta) {
            *v = ((f64::from(*v) - mean) * inv) as f32 * g + b;
        }
    }
}
