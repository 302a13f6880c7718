//! The multipliers' own error: operand pairs drawn from a GGD (weights)
//! and a GGD or normal distribution (activations) are stored in each
//! multiplier's operand format (its catalogue codec, scale included:
//! rounded once, clipped to the largest finite value) and multiplied by
//! the format's reference multiplier, which the hardware matches bit for
//! bit. Each product is compared with the exact product of the *decoded*
//! operands (the datapath's own error) and with the product of the
//! *original* real operands (end to end).

use rayon::prelude::*;

use super::quantize::{encode_all, SAMPLE_ROW};
use crate::Design;

#[derive(Clone, Debug, serde::Serialize)]
pub struct ProductStats {
    pub design: &'static str,
    pub pairs: u64,
    /// RMS of (product - exact product of the decoded operands), relative
    /// to the RMS of those exact products.
    pub datapath_rel_rmse: f64,
    /// Mean |relative error| against the decoded operands' product
    /// (non-zero products).
    pub datapath_mean_rel: f64,
    /// Largest |relative error| against the decoded operands' product.
    pub datapath_max_rel: f64,
    /// RMS of (product - real product), relative to the RMS of the real
    /// products.
    pub end_to_end_rel_rmse: f64,
    /// Mean |relative error| against the real product (non-zero products).
    pub end_to_end_mean_rel: f64,
    /// SQNR of the products against the real products, dB.
    pub end_to_end_sqnr_db: f64,
}

#[derive(Clone, Copy, Default)]
struct Acc {
    n: u64,
    nz_dec: u64,
    nz_real: u64,
    dp_err2: f64,
    dp_sig2: f64,
    dp_rel: f64,
    dp_max: f64,
    e2e_err2: f64,
    e2e_sig2: f64,
    e2e_rel: f64,
}

impl Acc {
    fn merge(self, o: Acc) -> Acc {
        Acc {
            n: self.n + o.n,
            nz_dec: self.nz_dec + o.nz_dec,
            nz_real: self.nz_real + o.nz_real,
            dp_err2: self.dp_err2 + o.dp_err2,
            dp_sig2: self.dp_sig2 + o.dp_sig2,
            dp_rel: self.dp_rel + o.dp_rel,
            dp_max: self.dp_max.max(o.dp_max),
            e2e_err2: self.e2e_err2 + o.e2e_err2,
            e2e_sig2: self.e2e_sig2 + o.e2e_sig2,
            e2e_rel: self.e2e_rel + o.e2e_rel,
        }
    }
}

/// Measures the multiplier `m` on the pairs `(w[i], x[i])`, both stored in
/// its operand codec (`Design::operands`; groups of [`SAMPLE_ROW`] values for row and block
/// scales).
pub fn measure(m: &Design, w: &[f64], x: &[f64]) -> ProductStats {
    let n = w.len().min(x.len());
    let (cw, sw) = encode_all(m.operands, &w[..n], SAMPLE_ROW);
    let (cx, sx) = encode_all(m.operands, &x[..n], SAMPLE_ROW);
    let acc = (0..n)
        .into_par_iter()
        .with_min_len(1 << 12)
        .fold(Acc::default, |mut a, i| {
            let (dw, dx) = (m.decode(cw[i]), m.decode(cx[i]));
            let scale = sw[i] * sx[i];
            // Unscaled: the datapath's own output and the exact product
            // (at most 22 significant bits: exact in f64).
            let y0 = m.decode_output(m.mul(cw[i], cx[i]));
            let exact = dw * dx;
            let (y, real) = (y0 * scale, w[i] * x[i]);
            a.n += 1;
            a.dp_err2 += ((y0 - exact) * scale).powi(2);
            a.dp_sig2 += (exact * scale).powi(2);
            if exact != 0.0 {
                let r = ((y0 - exact) / exact).abs();
                a.nz_dec += 1;
                a.dp_rel += r;
                a.dp_max = a.dp_max.max(r);
            }
            a.e2e_err2 += (y - real).powi(2);
            a.e2e_sig2 += real * real;
            if real != 0.0 {
                a.nz_real += 1;
                a.e2e_rel += ((y - real) / real).abs();
            }
            a
        })
        .reduce(Acc::default, Acc::merge);
    ProductStats {
        design: m.name(),
        pairs: acc.n,
        datapath_rel_rmse: (acc.dp_err2 / acc.dp_sig2.max(f64::MIN_POSITIVE)).sqrt(),
        datapath_mean_rel: acc.dp_rel / acc.nz_dec.max(1) as f64,
        datapath_max_rel: acc.dp_max,
        end_to_end_rel_rmse: (acc.e2e_err2 / acc.e2e_sig2.max(f64::MIN_POSITIVE)).sqrt(),
        end_to_end_mean_rel: acc.e2e_rel / acc.nz_real.max(1) as f64,
        end_to_end_sqnr_db: 10.0 * (acc.e2e_sig2 / acc.e2e_err2.max(f64::MIN_POSITIVE)).log10(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::by_name;

    /// On operands already in RF8, the datapath error is the multiplier's
    /// own: at most 20% (spec section 3); IEEE FP16 on small integers is
    /// exact.
    #[test]
    fn datapath_errors_have_the_known_bounds() {
        let w: Vec<f64> = (1..2000).map(|i| i as f64 * 0.37).collect();
        let x: Vec<f64> = (1..2000).map(|i| 1.0 + i as f64 * 0.011).collect();
        let r = measure(by_name("rf8_mul").unwrap(), &w, &x);
        assert!(
            r.datapath_max_rel <= 0.2 + 1e-12 && r.datapath_max_rel > 0.1,
            "{}",
            r.datapath_max_rel
        );
        // Products below 2^11 are exact in FP16.
        let ints: Vec<f64> = (1..=45).map(f64::from).collect();
        let f = measure(by_name("fp16_mul").unwrap(), &ints, &ints);
        assert_eq!((f.datapath_max_rel, f.end_to_end_mean_rel), (0.0, 0.0));
        // INT8 and FP4 products are exact: only the operands' storage loses.
        for d in ["int8_mul", "fp4_e2m1_mul"] {
            let r = measure(by_name(d).unwrap(), &w, &x);
            assert_eq!(r.datapath_max_rel, 0.0, "{d}");
            assert!(r.end_to_end_mean_rel > 0.0, "{d}");
        }
    }
}
