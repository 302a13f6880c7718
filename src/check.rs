//! Exhaustive self-checks of the references against their definitions.

use crate::Rf8;

/// Outcome of checking `mul(a, b) == encode_truncate(decode(a) * decode(b))`
/// over all 65,536 pairs (spec section 3), with the multiplier's relative
/// error against the exact product of the decoded operands.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Rf8MulProperty {
    /// Pairs checked (65,536).
    pub pairs: u64,
    /// Pairs where the datapath and the truncated exact product differ.
    pub mismatches: u64,
    /// The first mismatching pair, if any.
    pub first_mismatch: Option<(u8, u8)>,
    /// Pairs whose exact product is non-zero and within range
    /// (neither saturated nor flushed).
    pub in_range: u64,
    /// Largest relative error over the in-range pairs.
    pub max_rel_error: f64,
    /// Mean relative error over the in-range pairs.
    pub mean_rel_error: f64,
}

/// Runs the check over every pair of codes.
pub fn rf8_mul_property() -> Rf8MulProperty {
    let mut r = Rf8MulProperty {
        pairs: 0,
        mismatches: 0,
        first_mismatch: None,
        in_range: 0,
        max_rel_error: 0.0,
        mean_rel_error: 0.0,
    };
    let mut sum = 0.0;
    for a in Rf8::all() {
        for b in Rf8::all() {
            // At most 5 significant bits each: the f64 product is exact,
            // and a zero product carries the sign Sa xor Sb.
            let exact = a.to_f64() * b.to_f64();
            let y = a * b;
            r.pairs += 1;
            if y != Rf8::from_f64(exact) {
                r.mismatches += 1;
                r.first_mismatch.get_or_insert((a.to_bits(), b.to_bits()));
            }
            let magnitude = exact.abs();
            if magnitude != 0.0 && magnitude >= 2f64.powi(-15) && magnitude < 2f64.powi(16) {
                let err = ((y.to_f64() - exact) / exact).abs();
                r.in_range += 1;
                sum += err;
                r.max_rel_error = r.max_rel_error.max(err);
            }
        }
    }
    r.mean_rel_error = sum / r.in_range as f64;
    r
}
