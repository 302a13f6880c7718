//! RF8 W8A8 in a model: how an activation vector is scaled before it is
//! stored as RF8, and how many of the hardware's products saturate or
//! flush.
//!
//! An RF8 product's exponent is `e_w + e_x + c` (spec section 3): above
//! 15 it saturates to 1.5 * 2^15, below -15 it becomes zero. Weights are
//! stored as they are (the `rf8-truncate` row, unscaled), so the scale is
//! the activations': one power of two per vector entering a Linear (a
//! shift in hardware), chosen from the vector's largest magnitude `|x|
//! < 2^(E_x + 1)` and the layer's largest weight `|w| < 2^(E_w + 1)` as
//! `2^k`, `k = 14 - E_x - max(E_w, 0)`. Then the largest possible product
//! is below 2^16 and the largest activation below 2^15, so nothing
//! saturates or clips, and the 31 octaves below are left to the small
//! products: RF8 truncation loses the same relative amount in every
//! octave, so the top of the range is the best place for the largest
//! product. A larger `k` (both operands at the top of the range)
//! saturates products; a smaller one flushes more of them.

use crate::formats::codec::floor_log2;
use crate::kernel::{KernelError, Rf8Matrix};
use crate::{Rf8, Rounding};

/// The exponent `k` of the activation scale `2^k` for a vector whose
/// largest magnitude is `x_max` (> 0) in a layer whose largest weight
/// magnitude is `w_max` (> 0).
pub fn activation_shift(x_max: f64, w_max: f64) -> i32 {
    14 - floor_log2(x_max) - floor_log2(w_max).max(0)
}

/// An activation vector as W8A8 stores it: RF8 codes (truncate) of
/// `x * scale`, `scale = 2^k` from [`activation_shift`].
pub struct StoredActivations {
    pub codes: Vec<Rf8>,
    pub scale: f64,
}

/// Stores `x` for a layer whose largest weight magnitude is `w_max`,
/// counting the activations and those that flushed; `None` when every
/// product is zero (an all-zero vector or layer). NaN is an error naming
/// its index.
pub fn store_activations(
    x: &[f32],
    w_max: f64,
    counts: &mut ProductCounts,
) -> Result<Option<StoredActivations>, KernelError> {
    if let Some(i) = x.iter().position(|v| v.is_nan()) {
        return Err(KernelError::Nan(i));
    }
    counts.activations += x.len() as u64;
    let x_max = x.iter().fold(0f64, |m, &v| m.max(f64::from(v).abs()));
    if x_max == 0.0 || w_max == 0.0 {
        return Ok(None);
    }
    let scale = 2f64.powi(activation_shift(x_max, w_max));
    let codes = x
        .iter()
        .map(|&v| {
            let c = Rf8::from_f64_with(f64::from(v) * scale, Rounding::Truncate);
            counts.activations_flushed += (v != 0.0 && c.is_zero()) as u64;
            c
        })
        .collect();
    Ok(Some(StoredActivations { codes, scale }))
}

/// What happened to the products of the W8A8 layers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProductCounts {
    /// Products formed (rows x columns per token, zeros included).
    pub products: u64,
    /// Products whose exponent exceeded 15 (clipped to 1.5 * 2^15).
    pub saturated: u64,
    /// Products of two non-zero operands whose exponent fell below -15
    /// (made zero).
    pub flushed: u64,
    /// Activations stored.
    pub activations: u64,
    /// Non-zero activations that became zero when stored as RF8.
    pub activations_flushed: u64,
}

impl ProductCounts {
    /// Sums two counts.
    pub fn merge(self, o: ProductCounts) -> ProductCounts {
        ProductCounts {
            products: self.products + o.products,
            saturated: self.saturated + o.saturated,
            flushed: self.flushed + o.flushed,
            activations: self.activations + o.activations,
            activations_flushed: self.activations_flushed + o.activations_flushed,
        }
    }
}

/// Exponent slots of a non-zero RF8 value: `e + 15` in 0..31.
const SLOTS: usize = 31;

/// Per column of a weight matrix, how many non-zero weights have each
/// exponent, so that a token's saturated and flushed products are counted
/// in O(columns) instead of O(rows x columns).
#[derive(Clone, Debug)]
pub struct ProductCounter {
    rows: usize,
    /// Per column, `below[j]`: non-zero weights with `e + 15 < j`, j in 0..=31.
    below: Vec<[u32; SLOTS + 1]>,
    /// Per column, weights with `R = 0` (mantissa 1.5) at each exponent.
    r0: Vec<[u32; SLOTS]>,
}

/// `(e, R)` of a non-zero code.
fn fields(c: Rf8) -> Option<(i32, u8)> {
    c.exponent().map(|e| (i32::from(e), c.residual()))
}

impl ProductCounter {
    /// The counter of `w`.
    pub fn new(w: &Rf8Matrix) -> ProductCounter {
        let cols = w.cols();
        let mut hist = vec![[0u32; SLOTS]; cols];
        let mut r0 = vec![[0u32; SLOTS]; cols];
        for i in 0..w.rows() {
            for (k, &c) in w.row(i).iter().enumerate() {
                if let Some((e, r)) = fields(Rf8::from_bits(c)) {
                    let s = (e + 15) as usize;
                    hist[k][s] += 1;
                    if r == 0 {
                        r0[k][s] += 1;
                    }
                }
            }
        }
        let below = hist
            .iter()
            .map(|h| {
                let mut b = [0u32; SLOTS + 1];
                for j in 0..SLOTS {
                    b[j + 1] = b[j] + h[j];
                }
                b
            })
            .collect();
        ProductCounter {
            rows: w.rows(),
            below,
            r0,
        }
    }

    /// Adds the products of one activation vector `x` (RF8 codes, one per
    /// column) with every row.
    pub fn count(&self, x: &[Rf8], counts: &mut ProductCounts) {
        counts.products += (self.rows * x.len()) as u64;
        let slot = |e: i32| usize::try_from(e + 15).ok().filter(|&s| s < SLOTS);
        for (k, &c) in x.iter().enumerate() {
            let Some((ex, rx)) = fields(c) else { continue };
            let (below, r0) = (&self.below[k], &self.r0[k]);
            let cum = |j: i32| below[j.clamp(0, SLOTS as i32) as usize] as u64;
            // Flushed: e_w + e_x + c < -15. With c = 0 that is e_w <= -16 - e_x;
            // c = 1 (both R = 0) rescues those at exactly e_w = -16 - e_x.
            let mut flushed = cum(-ex);
            // Saturated: e_w + e_x + c > 15, e_w >= 16 - e_x, or with c = 1
            // also e_w = 15 - e_x.
            let mut saturated = cum(SLOTS as i32) - cum(31 - ex);
            if rx == 0 {
                if let Some(s) = slot(-16 - ex) {
                    flushed -= r0[s] as u64;
                }
                if let Some(s) = slot(15 - ex) {
                    saturated += r0[s] as u64;
                }
            }
            counts.flushed += flushed;
            counts.saturated += saturated;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The O(columns) count equals a count of every product by its exact
    /// value (saturated: |exact| >= 2^16; flushed: the reference
    /// multiplier's product is zero although neither operand is), over
    /// every pair of codes.
    #[test]
    fn counts_match_every_product() {
        let codes: Vec<u8> = (0..=255).collect();
        let w = Rf8Matrix::from_codes(256, 1, codes.clone()).unwrap();
        let counter = ProductCounter::new(&w);
        for &xc in &codes {
            let x = Rf8::from_bits(xc);
            let mut got = ProductCounts::default();
            counter.count(&[x], &mut got);
            let mut want = ProductCounts {
                products: 256,
                ..Default::default()
            };
            for &wc in &codes {
                let w = Rf8::from_bits(wc);
                let exact = (w.to_f64() * x.to_f64()).abs();
                want.saturated += (exact >= 65536.0) as u64;
                want.flushed += (!w.is_zero() && !x.is_zero() && (w * x).is_zero()) as u64;
            }
            assert_eq!(got, want, "activation {xc:#04x}");
        }
    }

    /// The chosen shift keeps the largest product below 2^16 and the
    /// largest activation below 2^15, and one more would not.
    #[test]
    fn the_shift_puts_the_largest_product_in_the_top_octave() {
        for (x_max, w_max) in [(3.7, 0.41), (0.002, 1.9), (1e6, 8.5), (5.0, 1e-3)] {
            let k = activation_shift(x_max, w_max);
            let xs = Rf8::from_f64_with(x_max * 2f64.powi(k), Rounding::Truncate);
            let ws = Rf8::from_f64_with(w_max, Rounding::Truncate);
            assert!(xs.to_f64() < 32768.0);
            assert!(xs.to_f64() * ws.to_f64() < 65536.0, "{x_max} {w_max}");
            let bound = (x_max * 2f64.powi(k + 1)) * w_max.max(1.0);
            assert!(bound >= 32768.0, "k + 1 would still fit: {x_max} {w_max}");
        }
    }
}
