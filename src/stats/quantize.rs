//! Quantising real values into a storage codec, as a deployed quantiser
//! does: values are grouped as the codec shares its scale (none, per
//! tensor, per row, per block of a row), each group's scale is computed
//! from its largest magnitude, and each value is divided by its scale,
//! clipped to the codec's largest finite magnitude (counted as saturated)
//! and rounded once. The FP8 *multipliers* of spec section 4 do not
//! saturate, but no one stores a weight as NaN.

use rayon::prelude::*;

use crate::formats::codec::{Codec, Sharing};

/// Row length for values drawn from a distribution (spec section 7).
pub const SAMPLE_ROW: usize = 4096;

/// Values per parallel work item.
const CHUNK: usize = 1 << 14;

/// One quantised value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Quantized {
    /// The stored value, decoded (scale applied).
    pub value: f64,
    /// A non-zero input became zero.
    pub flushed: bool,
    /// The input lay beyond the largest finite value and was clipped.
    pub saturated: bool,
}

/// A run of consecutive values that share one scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub scale: f64,
}

/// The groups of `len` values in rows of `row_len` that share a scale.
fn groups(sharing: Sharing, len: usize, row_len: usize) -> Vec<(usize, usize)> {
    let row_len = row_len.clamp(1, len.max(1));
    let step = |n: usize| (0..len).step_by(n).map(move |s| (s, (s + n).min(len)));
    match sharing {
        Sharing::None | Sharing::Tensor => vec![(0, len)],
        Sharing::Row => step(row_len).collect(),
        Sharing::Block(b) => step(row_len)
            .flat_map(|(r0, r1)| (r0..r1).step_by(b).map(move |s| (s, (s + b).min(r1))))
            .collect(),
    }
}

fn absmax(data: &[f64]) -> f64 {
    data.iter().fold(0.0f64, |m, x| m.max(x.abs()))
}

/// The scale groups of `data` (rows of `row_len`) for `codec`, each with
/// its scale, and split into runs of at most [`CHUNK`] values for the
/// cores; also the number of groups (scales stored).
pub fn spans(codec: &dyn Codec, data: &[f64], row_len: usize) -> (Vec<Span>, usize) {
    let scaling = codec.scaling();
    let groups = groups(scaling.sharing, data.len(), row_len);
    let scales: Vec<f64> = if scaling.sharing == Sharing::None {
        vec![1.0; groups.len()]
    } else if groups.len() == 1 {
        let m = data.par_chunks(CHUNK).map(absmax).reduce(|| 0.0, f64::max);
        vec![scaling.scale(m)]
    } else {
        groups
            .par_iter()
            .map(|&(s, e)| scaling.scale(absmax(&data[s..e])))
            .collect()
    };
    let mut out = Vec::with_capacity(groups.len());
    for (&(s, e), &scale) in groups.iter().zip(&scales) {
        for start in (s..e).step_by(CHUNK) {
            out.push(Span {
                start,
                end: (start + CHUNK).min(e),
                scale,
            });
        }
    }
    (out, groups.len())
}

/// The stored values of `x` (one span, one scale) into `q`.
fn quantize_run(codec: &dyn Codec, scale: f64, x: &[f64], q: &mut [f64]) {
    let max = codec.max();
    if scale == 1.0 {
        for (q, &x) in q.iter_mut().zip(x) {
            *q = x.clamp(-max, max);
        }
    } else {
        for (q, &x) in q.iter_mut().zip(x) {
            *q = (x / scale).clamp(-max, max);
        }
    }
    codec.round_slice(q);
    if scale != 1.0 {
        for q in q.iter_mut() {
            *q *= scale;
        }
    }
}

/// Quantises `data` (rows of `row_len`) and folds every value into an
/// accumulator on all cores: `visit(acc, x, q)` sees each input and its
/// [`Quantized`] result. Returns the merged accumulator and the number of
/// scale groups.
pub fn fold<A: Send>(
    codec: &dyn Codec,
    data: &[f64],
    row_len: usize,
    init: impl Fn() -> A + Sync + Send,
    visit: impl Fn(&mut A, f64, Quantized) + Sync + Send,
    merge: impl Fn(A, A) -> A + Sync + Send,
) -> (A, usize) {
    let (spans, groups) = spans(codec, data, row_len);
    // One accumulator per span, merged in order: the same numbers on every
    // run and thread count.
    let parts: Vec<A> = spans
        .par_iter()
        .map_init(Vec::new, |buf, s| {
            let mut acc = init();
            let x = &data[s.start..s.end];
            buf.resize(x.len(), 0.0);
            quantize_run(codec, s.scale, x, buf);
            for (&x, &value) in x.iter().zip(buf.iter()) {
                let y = if s.scale == 1.0 { x } else { x / s.scale };
                let q = Quantized {
                    value,
                    flushed: x != 0.0 && value == 0.0,
                    saturated: codec.clips(y),
                };
                visit(&mut acc, x, q);
            }
            acc
        })
        .collect();
    let acc = parts.into_iter().fold(init(), &merge);
    (acc, groups)
}

/// The stored values of `data` (rows of `row_len`), in order.
pub fn quantize_all(codec: &dyn Codec, data: &[f64], row_len: usize) -> Vec<f64> {
    let (spans, _) = spans(codec, data, row_len);
    let mut out = vec![0.0; data.len()];
    let mut parts: Vec<(&Span, &mut [f64])> = Vec::with_capacity(spans.len());
    let mut rest = out.as_mut_slice();
    for s in &spans {
        let (head, tail) = rest.split_at_mut(s.end - s.start);
        parts.push((s, head));
        rest = tail;
    }
    parts
        .into_par_iter()
        .for_each(|(s, q)| quantize_run(codec, s.scale, &data[s.start..s.end], q));
    out
}

/// The element codes of `data` (rows of `row_len`) and each value's
/// scale: `value = decode(code) * scale`.
pub fn encode_all(codec: &dyn Codec, data: &[f64], row_len: usize) -> (Vec<u32>, Vec<f64>) {
    let (spans, _) = spans(codec, data, row_len);
    let mut codes = Vec::with_capacity(data.len());
    let mut scales = Vec::with_capacity(data.len());
    for s in &spans {
        for &x in &data[s.start..s.end] {
            codes.push(codec.encode(x / s.scale));
            scales.push(s.scale);
        }
    }
    (codes, scales)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::int8::INT8;
    use crate::formats::minifloat::codec::{BF16, E4M3, E4M3_SCALED, FP16, MXFP4};
    use crate::formats::rf8::codec::RF8_TRUNCATE;

    fn one(codec: &dyn Codec, x: f64) -> f64 {
        quantize_all(codec, &[x], 1)[0]
    }

    #[test]
    fn quantizers_agree_with_half_and_the_rf8_type() {
        for x in [0.1, -0.39, 1e-6, 3.0e-8, 60000.0, -1e9] {
            let h = half::f16::from_f64(x);
            let want = if h.is_infinite() {
                65504f64.copysign(x)
            } else {
                h.to_f64()
            };
            assert_eq!(one(&FP16, x), want, "{x}");
            assert_eq!(one(&BF16, x), half::bf16::from_f64(x).to_f64(), "{x}");
        }
        assert_eq!(one(&RF8_TRUNCATE, -0.39), -0.375);
        let (acc, _) = fold(
            &E4M3,
            &[1000.0],
            1,
            || 0,
            |n, _, q| *n += q.saturated as u32,
            |a, b| a + b,
        );
        assert_eq!(acc, 1);
    }

    #[test]
    fn scaled_e4m3_maps_the_absmax_to_448() {
        let data = [0.01, -0.02, 0.005];
        let q = quantize_all(&E4M3_SCALED, &data, 3);
        // 448 is exact in E4M3; only the f32 scale rounds.
        assert!((q[1] + 0.02).abs() < 0.02 * 1e-6, "{}", q[1]);
    }

    #[test]
    fn groups_follow_rows_and_blocks() {
        assert_eq!(groups(Sharing::Row, 10, 4), vec![(0, 4), (4, 8), (8, 10)]);
        let b = groups(Sharing::Block(32), 100, 40);
        assert_eq!(b, vec![(0, 32), (32, 40), (40, 72), (72, 80), (80, 100)]);
        assert_eq!(groups(Sharing::Tensor, 7, 3), vec![(0, 7)]);
        // Each int8 row has its own scale: the small row keeps its values.
        let q = quantize_all(&INT8, &[127.0, 1.0, 0.01, 0.005], 2);
        assert_eq!(q[..2], [127.0, 1.0]);
        assert!(
            (q[2] - 0.01).abs() < 1e-9 && (q[3] - 0.005).abs() < 1e-4,
            "{q:?}"
        );
        // MXFP4: block absmax 5 gives scale 2^(2-2) = 1; 2.4 -> 2, 5 -> 4 (ties even? no: 5 is a tie of 4 and 6, even mantissa is 4).
        assert_eq!(quantize_all(&MXFP4, &[2.4, 5.0], 2), vec![2.0, 4.0]);
    }
}
