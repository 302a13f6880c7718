//! Finding a clocked design's latency from directed vectors.

use super::*;

/// Tries latencies 0..=[`MAX_LATENCY`] on the directed catalogue and a few
/// random pairs; the first with no mismatch wins, else the one with the
/// fewest.
pub(super) fn find_latency(
    backend: &Backend,
    m: &dyn Multiplier,
    judge: &Judge,
    seed: u64,
) -> Result<LatencySearch, SimError> {
    let mut pairs = vectors::special_pairs(m);
    pairs.truncate(2048);
    pairs.extend(vectors::random_pairs(m.width(), 512, seed ^ 0x1a7e));
    let mut tried = Vec::new();
    for l in 0..=MAX_LATENCY {
        let (ys, _) = backend.with_depth(l).eval(&pairs)?;
        let bad = pairs
            .iter()
            .zip(&ys)
            .filter(|(&(a, b), &y)| !judge.accepts(judge.expected(a as u32, b as u32), y))
            .count() as u64;
        tried.push((l, bad));
        if bad == 0 {
            break;
        }
    }
    let chosen = tried
        .iter()
        .min_by_key(|&&(l, bad)| (bad, l))
        .map_or(0, |t| t.0);
    Ok(LatencySearch {
        pairs: pairs.len() as u64,
        tried,
        chosen,
    })
}
