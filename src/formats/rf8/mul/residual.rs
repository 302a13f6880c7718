//! The 2-bit residual comparator (the paper's Algorithm 2, corrected).
//!
//! With mantissas `1 + 2^-d1` and `1 + 2^-d2` (`d = R + 1`), the product is
//! `1 + 2^-d1 + 2^-d2 + 2^-(d1+d2)`. Truncated to its two leading bits:
//!
//! * `R1 = R2 = 0`: 1.5 * 1.5 = 2.25 = 2 * 1.125, so `R = 2` and the
//!   exponent carries (`c = 1`). The paper's printed `R <- R1 - 1` would give
//!   `R = -1` here, which contradicts the arithmetic.
//! * `R1 = R2 > 0`: `1 + 2^(1-d)` + smaller terms, so `R = R1 - 1`.
//! * `R1 != R2`: the larger second bit wins, so `R = min(R1, R2)`.

/// Residual of the product and the exponent carry.
pub const fn compare(r1: u8, r2: u8) -> (u8, bool) {
    if r1 == r2 {
        if r1 == 0 {
            (2, true)
        } else {
            (r1 - 1, false)
        }
    } else if r1 < r2 {
        (r1, false)
    } else {
        (r2, false)
    }
}

#[cfg(test)]
mod tests {
    use super::compare;

    /// The comparator against the exact mantissa product, truncated.
    #[test]
    fn matches_truncated_mantissa_product() {
        for r1 in 0..4u8 {
            for r2 in 0..4u8 {
                let m = |r: u8| 1.0 + 0.5f64.powi(r as i32 + 1);
                let p = m(r1) * m(r2);
                let (r, c) = compare(r1, r2);
                let truncated = (1 << c as u8) as f64 * m(r);
                let next_bit = (1 << c as u8) as f64 * (1.0 + 0.5f64.powi(r as i32));
                assert!(truncated <= p && p < next_bit, "r1={r1} r2={r2}");
            }
        }
    }
}
