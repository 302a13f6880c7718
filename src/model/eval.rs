//! What a format loses at the model level: the same sentences through the
//! encoder in f32 and with every backend, compared as a user of sentence
//! embeddings would: the cosine between each sentence's embedding and its
//! f32 embedding, and whether its nearest neighbours among the set (by
//! cosine, itself excluded) stay the same (recall@10: the share of its ten
//! f32 neighbours still among its ten; top-1: its nearest neighbour
//! unchanged), averaged over sentences.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::linear::Backend;
use super::w8a8::ProductCounts;
use super::{Model, ModelError, Tokens};
use crate::formats::codec::Codec;
use crate::stats::error::ErrorTally;

/// Neighbours compared per sentence (fewer when the set is smaller).
pub const NEIGHBOURS: usize = 10;

/// Most sentences one evaluation takes: the nearest-neighbour search
/// compares every pair, per row (10^4 sentences: 10^8 cosines a row, about
/// half a minute on two cores; the forward passes about 5 ms a sentence).
pub const MAX_SENTENCES: usize = 10_000;

/// How far a kernel row's embeddings are from the storage row with the
/// same weights (the W8A32 kernels differ from it only in summation order).
#[derive(Clone, Debug, serde::Serialize)]
pub struct Agreement {
    /// The storage row compared with.
    pub format: &'static str,
    /// The smallest cosine between the two rows' embeddings of a sentence.
    pub cos_min: f64,
}

/// One backend's figures.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Row {
    pub format: &'static str,
    /// [`Backend::kind`].
    pub kind: &'static str,
    /// Storage per weight of the Linear layers.
    pub bits_per_value: f64,
    pub cos_mean: f64,
    pub cos_min: f64,
    pub recall_at_10: f64,
    pub top1: f64,
    /// SQNR of the Linear layers' weights in the format (`None` for f32).
    pub sqnr_db: Option<f64>,
    /// Wall time of the forward passes divided by the sentences (all
    /// threads, one sentence per thread at a time).
    pub ms_per_sentence: f64,
    /// Seconds spent quantising the weights (and building the kernels'
    /// matrices) before the first sentence.
    pub prepare_s: f64,
    /// W8A8 only: what happened to activations and products.
    pub products: Option<ProductCounts>,
    /// Kernel rows: agreement with the storage row of the same weights,
    /// when that row ran too.
    pub agrees_with: Option<Agreement>,
}

/// The table and what it was measured on.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Evaluation {
    /// The model directory.
    pub model: String,
    pub sentences: usize,
    /// Tokens over all sentences, special tokens included.
    pub tokens: usize,
    /// Sentences longer than `max_tokens`, cut to it.
    pub truncated: usize,
    pub max_tokens: usize,
    /// The k of recall@k: 10, or one less than the sentences when fewer.
    pub neighbours: usize,
    /// Weights of the Linear layers (the ones the formats store).
    pub linear_params: usize,
    pub threads: usize,
    /// The kernels' instruction set.
    pub isa: &'static str,
    pub cpu: String,
    pub rows: Vec<Row>,
}

/// Progress of [`evaluate`]: the backend running, sentences done, total.
pub type Progress<'a> = &'a (dyn Fn(&str, usize, usize) + Sync);

/// Runs `sentences` through `model` with f32 (always, first: the
/// reference) and each of `backends`, and measures each against f32.
pub fn evaluate(
    model: &Model,
    sentences: &[String],
    backends: &[Backend],
    progress: Progress,
) -> Result<Evaluation, ModelError> {
    if sentences.len() > MAX_SENTENCES {
        return Err(ModelError::Input(format!(
            "{} sentences: at most {MAX_SENTENCES} (every pair is compared for the neighbours)",
            sentences.len()
        )));
    }
    if sentences.len() < 2 {
        return Err(ModelError::Input(format!(
            "{} sentence(s): nearest neighbours need at least 2",
            sentences.len()
        )));
    }
    let tokens: Vec<Tokens> = sentences
        .iter()
        .map(|s| model.tokenizer.encode(s))
        .collect::<Result<_, _>>()?;
    let mut order = vec![Backend::F32];
    for &b in backends {
        // Each backend once, whatever the list repeats.
        if order.iter().all(|o| o.name() != b.name()) {
            order.push(b);
        }
    }
    let k = NEIGHBOURS.min(sentences.len() - 1);
    let mut runs: Vec<(Backend, Run)> = Vec::new();
    for &b in &order {
        runs.push((b, run(model, &tokens, b, progress)?));
    }
    let reference = &runs[0].1.embeddings;
    let ref_nn = neighbours(reference, k);
    let mut sqnr: HashMap<&'static str, (f64, f64)> = HashMap::new();
    let by_name: HashMap<&'static str, &Run> = runs.iter().map(|(b, r)| (b.name(), r)).collect();
    let rows = runs
        .iter()
        .map(|(b, r)| {
            let (cos_mean, cos_min) = cosines(reference, &r.embeddings);
            let nn = neighbours(&r.embeddings, k);
            let (recall, top1) = agreement(&ref_nn, &nn);
            let (bits, db) = match b.storage() {
                None => (32.0, None),
                Some(c) => {
                    let (bits, db) = *sqnr
                        .entry(c.name())
                        .or_insert_with(|| weight_error(model, c));
                    (bits, Some(db))
                }
            };
            let twin = match b {
                Backend::Rf8W8a32 => Some("rf8-truncate"),
                Backend::Int8W8a32 => Some("int8"),
                _ => None,
            };
            let agrees_with = twin.and_then(|t| {
                by_name.get(t).map(|other| Agreement {
                    format: t,
                    cos_min: cosines(&other.embeddings, &r.embeddings).1,
                })
            });
            Row {
                format: b.name(),
                kind: b.kind(),
                bits_per_value: bits,
                cos_mean,
                cos_min,
                recall_at_10: recall,
                top1,
                sqnr_db: db,
                ms_per_sentence: r.seconds * 1e3 / sentences.len() as f64,
                prepare_s: r.prepare,
                products: matches!(b, Backend::Rf8W8a8Exact).then_some(r.counts),
                agrees_with,
            }
        })
        .collect();
    Ok(Evaluation {
        model: model.dir.display().to_string(),
        sentences: sentences.len(),
        tokens: tokens.iter().map(|t| t.ids.len()).sum(),
        truncated: tokens.iter().filter(|t| t.truncated).count(),
        max_tokens: model.tokenizer.max_tokens(),
        neighbours: k,
        linear_params: model.weights.linear_params(),
        threads: rayon::current_num_threads(),
        isa: crate::kernel::Isa::best().name(),
        cpu: crate::kernel::cpu::model(),
        rows,
    })
}

/// One backend's embeddings, time and counts.
struct Run {
    embeddings: Vec<Vec<f32>>,
    seconds: f64,
    prepare: f64,
    counts: ProductCounts,
}

fn run(
    model: &Model,
    tokens: &[Tokens],
    backend: Backend,
    progress: Progress,
) -> Result<Run, ModelError> {
    let start = Instant::now();
    let encoder = model.encoder(backend)?;
    let prepare = start.elapsed().as_secs_f64();
    let done = AtomicUsize::new(0);
    progress(backend.name(), 0, tokens.len());
    let start = Instant::now();
    let out: Vec<(Vec<f32>, ProductCounts)> = tokens
        .par_iter()
        .map(|t| {
            let mut counts = ProductCounts::default();
            let e = encoder.embed(t, &mut counts)?;
            progress(
                backend.name(),
                done.fetch_add(1, Ordering::Relaxed) + 1,
                tokens.len(),
            );
            Ok((e, counts))
        })
        .collect::<Result<_, ModelError>>()
        .map_err(|e| ModelError::Input(format!("{}: {e}", backend.name())))?;
    let seconds = start.elapsed().as_secs_f64();
    let counts = out
        .iter()
        .fold(ProductCounts::default(), |a, (_, c)| a.merge(*c));
    Ok(Run {
        embeddings: out.into_iter().map(|(e, _)| e).collect(),
        seconds,
        prepare,
        counts,
    })
}

/// Bits per value and SQNR of the Linear layers' weights stored in `codec`
/// (each layer with its own scales, rows of its input width).
fn weight_error(model: &Model, codec: &'static dyn Codec) -> (f64, f64) {
    let mut acc = ErrorTally::new(codec);
    for d in model.weights.linears() {
        let data: Vec<f64> = d.weight.iter().map(|&v| f64::from(v)).collect();
        acc.add(&data, d.cols);
    }
    let s = acc.stats();
    (s.bits_per_value, s.sqnr_db)
}

fn cos(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| f64::from(x) * f64::from(y))
        .sum();
    let na: f64 = a.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>().sqrt();
    dot / (na * nb).max(f64::MIN_POSITIVE)
}

/// Mean and minimum of the per-sentence cosines between two rows.
pub fn cosines(a: &[Vec<f32>], b: &[Vec<f32>]) -> (f64, f64) {
    let c: Vec<f64> = a.iter().zip(b).map(|(x, y)| cos(x, y)).collect();
    let mean = c.iter().sum::<f64>() / c.len().max(1) as f64;
    (mean, c.iter().copied().fold(f64::INFINITY, f64::min))
}

/// For each embedding, the indices of its `k` nearest others by cosine,
/// nearest first (ties broken by index, so the order is deterministic).
pub fn neighbours(e: &[Vec<f32>], k: usize) -> Vec<Vec<usize>> {
    (0..e.len())
        .into_par_iter()
        .map(|i| {
            let mut sims: Vec<(f64, usize)> = (0..e.len())
                .filter(|&j| j != i)
                .map(|j| (cos(&e[i], &e[j]), j))
                .collect();
            sims.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            sims.into_iter().take(k).map(|(_, j)| j).collect()
        })
        .collect()
}

/// recall@k and top-1 agreement of `got` with `reference`, averaged.
pub fn agreement(reference: &[Vec<usize>], got: &[Vec<usize>]) -> (f64, f64) {
    let n = reference.len().max(1) as f64;
    let mut recall = 0.0;
    let mut top1 = 0.0;
    for (r, g) in reference.iter().zip(got) {
        let kept = r.iter().filter(|j| g.contains(j)).count();
        recall += kept as f64 / r.len().max(1) as f64;
        top1 += (r.first() == g.first()) as u8 as f64;
    }
    (recall / n, top1 / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbour_agreement_counts_shared_neighbours() {
        let e: Vec<Vec<f32>> = [[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]]
            .iter()
            .map(|v| v.to_vec())
            .collect();
        let nn = neighbours(&e, 2);
        assert_eq!(nn[0], vec![1, 3]);
        assert_eq!(nn[2], vec![3, 1]);
        assert_eq!(agreement(&nn, &nn), (1.0, 1.0));
        let moved = vec![vec![3, 2], vec![0, 3], vec![3, 1], vec![2, 1]];
        // Sentence 0 keeps one of two (3), the others keep both; top-1
        // changes for sentence 0 only.
        assert_eq!(agreement(&nn, &moved), (0.875, 0.75));
        let (mean, min) = cosines(&e, &e);
        assert!((mean - 1.0).abs() < 1e-12 && (min - 1.0).abs() < 1e-12);
    }
}
