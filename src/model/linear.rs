//! The pluggable Linear operator: every Linear layer of the encoder
//! (attention Q, K, V and output, both feed-forward matrices) is built by
//! a [`Backend`] from its f32 weights, so the same forward pass runs in
//! f32, with the weights stored in any catalogue format (quantised once,
//! decoded to f32, f32 activations), or on the project's kernels.
//! Biases stay f32 in every backend.

use super::matmul::{matmul, View};
use super::w8a8::{store_activations, ProductCounter, ProductCounts};
use super::weights::Dense;
use crate::catalog::{Unknown, STORAGE};
use crate::formats::codec::Codec;
use crate::formats::int8::INT8;
use crate::formats::rf8::codec::RF8_TRUNCATE;
use crate::kernel::{
    gemv_int8_w8a32_with, gemv_w8a32_with, gemv_w8a8_exact_with, Int8Matrix, KernelError, Options,
    Rf8Matrix, LSB,
};
use crate::{Rf8, Rounding};

/// `y = x W^T + b` for a block of tokens.
pub trait Linear: Send + Sync {
    /// `x` is `tokens x in` and `y` is `tokens x out`, both row-major.
    /// Layers that count their products (W8A8) add to `counts`.
    fn apply(
        &self,
        x: &[f32],
        tokens: usize,
        y: &mut [f32],
        counts: &mut ProductCounts,
    ) -> Result<(), KernelError>;
}

/// How the Linear layers compute.
#[derive(Clone, Copy)]
pub enum Backend {
    /// The published f32 weights, f32 arithmetic (the reference).
    F32,
    /// Weights stored in a catalogue format, decoded to f32; f32
    /// activations and arithmetic.
    Stored(&'static dyn Codec),
    /// The RF8 W8A32 kernel (`gemv_w8a32`) on `rf8-truncate` weights.
    Rf8W8a32,
    /// The RF8 W8A8 exact kernel (`gemv_w8a8_exact`): activations stored
    /// as RF8 (truncate) with a power-of-two scale per vector
    /// ([`super::w8a8`]), products as the hardware multiplier makes them,
    /// summed exactly: what the FPGA datapath computes.
    Rf8W8a8Exact,
    /// The INT8 weight-only baseline kernel (`int8` weights, one f32 scale
    /// per row).
    Int8W8a32,
    /// An ablation of [`Backend::Rf8W8a8Exact`]: the same RF8 weights and
    /// activations (the same scale), but every product kept whole, as an
    /// exact multiplier would give it, instead of truncated to its two
    /// leading bits; f32 arithmetic. The difference from `rf8_w8a8_exact`
    /// is what the paper's truncating multiplier costs; the difference
    /// from `rf8_w8a32` is what storing the activations as RF8 costs.
    Rf8W8a8FullProducts,
}

impl std::fmt::Debug for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Backend {
    /// The kernel paths, in report order.
    pub const KERNELS: [Backend; 3] =
        [Backend::Rf8W8a32, Backend::Rf8W8a8Exact, Backend::Int8W8a32];

    /// The ablations, in report order.
    pub const ABLATIONS: [Backend; 1] = [Backend::Rf8W8a8FullProducts];

    /// f32, every storage format of the catalogue, the kernels, then the
    /// ablations.
    pub fn all() -> Vec<Backend> {
        std::iter::once(Backend::F32)
            .chain(STORAGE.iter().map(|&c| Backend::Stored(c)))
            .chain(Backend::KERNELS)
            .chain(Backend::ABLATIONS)
            .collect()
    }

    /// Its name in tables and on the command line.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::F32 => "f32",
            Backend::Stored(c) => c.name(),
            Backend::Rf8W8a32 => "rf8_w8a32",
            Backend::Rf8W8a8Exact => "rf8_w8a8_exact",
            Backend::Int8W8a32 => "int8_w8a32",
            Backend::Rf8W8a8FullProducts => "rf8_w8a8_full_products",
        }
    }

    /// The backend called `name`.
    pub fn by_name(name: &str) -> Result<Backend, Unknown> {
        Backend::all()
            .into_iter()
            .find(|b| b.name() == name)
            .ok_or_else(|| Unknown {
                kind: "format or kernel",
                name: name.to_string(),
                valid: Backend::all()
                    .iter()
                    .map(|b| b.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The storage format of its weights (`None` for f32).
    pub fn storage(&self) -> Option<&'static dyn Codec> {
        match self {
            Backend::F32 => None,
            Backend::Stored(c) => Some(*c),
            Backend::Rf8W8a32 | Backend::Rf8W8a8Exact | Backend::Rf8W8a8FullProducts => {
                Some(&RF8_TRUNCATE)
            }
            Backend::Int8W8a32 => Some(&INT8),
        }
    }

    /// `reference` (f32), `storage` (weights stored in a format, decoded
    /// to f32, f32 arithmetic), `kernel` (the project's GEMV kernels) or
    /// `ablation`.
    pub fn kind(&self) -> &'static str {
        match self {
            Backend::F32 => "reference",
            Backend::Stored(_) => "storage",
            Backend::Rf8W8a8FullProducts => "ablation",
            _ => "kernel",
        }
    }

    /// The Linear operator of `dense` under this backend.
    pub fn build(&self, dense: &Dense) -> Result<Box<dyn Linear>, KernelError> {
        let bias = dense.bias.clone();
        let (rows, cols) = (dense.rows, dense.cols);
        Ok(match self {
            Backend::F32 => Box::new(F32Linear {
                cols,
                rows,
                weight: dense.weight.clone(),
                bias,
            }),
            Backend::Stored(codec) => {
                let data: Vec<f64> = dense.weight.iter().map(|&v| f64::from(v)).collect();
                let stored = crate::stats::quantize::quantize_all(*codec, &data, cols);
                Box::new(F32Linear {
                    cols,
                    rows,
                    weight: stored.iter().map(|&v| v as f32).collect(),
                    bias,
                })
            }
            Backend::Rf8W8a32 => Box::new(PerToken {
                w: Rf8Matrix::from_f32(rows, cols, &dense.weight, Rounding::Truncate)?,
                rows,
                cols,
                gemv: gemv_w8a32_with,
                bias,
            }),
            Backend::Rf8W8a8Exact => {
                let w = Rf8Matrix::from_f32(rows, cols, &dense.weight, Rounding::Truncate)?;
                let w_max = w
                    .codes()
                    .iter()
                    .map(|&c| Rf8::from_bits(c).to_f64().abs())
                    .fold(0.0, f64::max);
                Box::new(Rf8W8a8 {
                    counter: ProductCounter::new(&w),
                    w,
                    w_max,
                    bias,
                })
            }
            Backend::Int8W8a32 => Box::new(PerToken {
                w: Int8Matrix::from_f32(rows, cols, &dense.weight)?,
                rows,
                cols,
                gemv: gemv_int8_w8a32_with,
                bias,
            }),
            Backend::Rf8W8a8FullProducts => {
                let w = Rf8Matrix::from_f32(rows, cols, &dense.weight, Rounding::Truncate)?;
                let weight = w.to_f32();
                let w_max = weight.iter().fold(0f64, |m, &v| m.max(f64::from(v).abs()));
                Box::new(FullProducts {
                    inner: F32Linear {
                        rows,
                        cols,
                        weight,
                        bias,
                    },
                    w_max,
                })
            }
        })
    }
}

/// The kernels run on the calling thread: the encoder runs one sentence
/// per core.
fn one_thread() -> Options {
    Options {
        threads: Some(1),
        ..Options::default()
    }
}

/// Adds `bias` to each of the `y.len() / bias.len()` rows of `y`.
fn add_bias(y: &mut [f32], bias: &[f32]) {
    for row in y.chunks_exact_mut(bias.len().max(1)) {
        for (v, b) in row.iter_mut().zip(bias) {
            *v += b;
        }
    }
}

/// f32 weights (published or decoded), one `gemm` per block of tokens.
struct F32Linear {
    rows: usize,
    cols: usize,
    weight: Vec<f32>,
    bias: Vec<f32>,
}

impl Linear for F32Linear {
    fn apply(
        &self,
        x: &[f32],
        tokens: usize,
        y: &mut [f32],
        _: &mut ProductCounts,
    ) -> Result<(), KernelError> {
        matmul(
            tokens,
            self.rows,
            self.cols,
            y,
            self.rows,
            View::rows(x, self.cols),
            View::transposed(&self.weight, self.cols),
        );
        add_bias(&mut y[..tokens * self.rows], &self.bias);
        Ok(())
    }
}

/// Runs `gemv(token)` for each token into its row of `y`, then the bias.
fn per_token(
    x: &[f32],
    cols: usize,
    y: &mut [f32],
    bias: &[f32],
    mut gemv: impl FnMut(&[f32]) -> Result<Vec<f32>, KernelError>,
) -> Result<(), KernelError> {
    for (xt, yt) in x.chunks_exact(cols).zip(y.chunks_exact_mut(bias.len())) {
        yt.copy_from_slice(&gemv(xt)?);
    }
    add_bias(y, bias);
    Ok(())
}

/// A weight-only GEMV kernel on a matrix of type `M`.
type Gemv<M> = fn(&M, &[f32], &Options) -> Result<Vec<f32>, KernelError>;

/// A weight-only kernel run one token at a time: `gemv` is
/// `gemv_w8a32_with` or `gemv_int8_w8a32_with` on its matrix type.
struct PerToken<M> {
    w: M,
    rows: usize,
    cols: usize,
    gemv: Gemv<M>,
    bias: Vec<f32>,
}

impl<M: Send + Sync> Linear for PerToken<M> {
    fn apply(
        &self,
        x: &[f32],
        tokens: usize,
        y: &mut [f32],
        _: &mut ProductCounts,
    ) -> Result<(), KernelError> {
        let opts = one_thread();
        per_token(
            &x[..tokens * self.cols],
            self.cols,
            &mut y[..tokens * self.rows],
            &self.bias,
            |xt| (self.gemv)(&self.w, xt, &opts),
        )
    }
}

struct Rf8W8a8 {
    w: Rf8Matrix,
    /// The largest decoded weight magnitude.
    w_max: f64,
    counter: ProductCounter,
    bias: Vec<f32>,
}

impl Linear for Rf8W8a8 {
    fn apply(
        &self,
        x: &[f32],
        tokens: usize,
        y: &mut [f32],
        counts: &mut ProductCounts,
    ) -> Result<(), KernelError> {
        let (cols, rows) = (self.w.cols(), self.w.rows());
        let opts = one_thread();
        per_token(
            &x[..tokens * cols],
            cols,
            &mut y[..tokens * rows],
            &self.bias,
            |xt| {
                let Some(stored) = store_activations(xt, self.w_max, counts)? else {
                    counts.products += (rows * cols) as u64;
                    return Ok(vec![0.0; rows]);
                };
                self.counter.count(&stored.codes, counts);
                let acc = gemv_w8a8_exact_with(&self.w, &stored.codes, &opts)?;
                let unit = LSB / stored.scale;
                Ok(acc.iter().map(|&a| (a as f64 * unit) as f32).collect())
            },
        )
    }
}

/// RF8 weights and activations, whole products, f32 sums (the ablation).
struct FullProducts {
    /// The decoded RF8 weights.
    inner: F32Linear,
    w_max: f64,
}

impl Linear for FullProducts {
    fn apply(
        &self,
        x: &[f32],
        tokens: usize,
        y: &mut [f32],
        counts: &mut ProductCounts,
    ) -> Result<(), KernelError> {
        let cols = self.inner.cols;
        let mut stored = Vec::with_capacity(tokens * cols);
        for xt in x[..tokens * cols].chunks_exact(cols) {
            // The ablation's counts would repeat the exact row's: not kept.
            match store_activations(xt, self.w_max, &mut ProductCounts::default())? {
                None => stored.extend(std::iter::repeat_n(0f32, cols)),
                Some(a) => stored.extend(a.codes.iter().map(|c| (c.to_f64() / a.scale) as f32)),
            }
        }
        self.inner.apply(&stored, tokens, y, counts)
    }
}
