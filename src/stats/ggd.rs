//! The generalized Gaussian distribution (spec section 6):
//! `f(x) = g / (2 b Γ(1/g)) exp(-(|x - mu| / b)^g)` with shape `g` (gamma)
//! and scale `b` (beta). Sampling, the moment-matching fit (Sharifi and
//! Leon-Garcia) and the paper's Table 1 presets.

use rand::Rng;
use rand_distr::{Distribution, Gamma};

use super::gamma::ln_gamma;

/// A generalized Gaussian distribution.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Ggd {
    /// Location.
    pub mu: f64,
    /// Shape (2 is Gaussian, 1 Laplacian; LLM weights sit below 2).
    pub gamma: f64,
    /// Scale.
    pub beta: f64,
}

/// The paper's Table 1, all fifteen rows in its order (spec section 6):
/// name, mu, gamma, beta.
pub const PRESETS: &[(&str, f64, f64, f64)] = &[
    ("bert", -0.0057, 1.3425, 0.0452),
    ("gpt2", 0.0001, 1.5391, 0.0600),
    ("llama3-1b", 0.0, 1.2563, 0.0201),
    ("gemma3-2b", 0.0, 0.4224, 0.0009),
    ("phi-2", 0.0, 1.2920, 0.0316),
    ("qwen3-4b", 0.0, 1.0401, 0.0191),
    ("opt-7b", 0.0, 1.0748, 0.0142),
    ("baichuan-7b", 0.0, 1.6494, 0.0353),
    ("deepseek-r1-8b", 0.0, 0.7430, 0.0109),
    ("qwen3-8b", 0.0, 1.2700, 0.0268),
    ("glm-z1-9b", 0.0001, 0.6005, 0.0038),
    ("dolly-v2-12b", 0.0, 1.0300, 0.0150),
    ("pixtral-13b", 0.0, 0.6174, 0.0024),
    ("phi-4-14b", 0.0, 1.6808, 0.0241),
    ("glm-4-32b", 0.0, 0.8660, 0.0091),
];

impl Ggd {
    /// The standard normal N(0, 1): shape 2, scale sqrt 2.
    pub const NORMAL: Ggd = Ggd {
        mu: 0.0,
        gamma: 2.0,
        beta: std::f64::consts::SQRT_2,
    };

    /// A preset by name (`llama3-1b`, ...).
    pub fn preset(name: &str) -> Option<Ggd> {
        PRESETS
            .iter()
            .find(|p| p.0 == name)
            .map(|&(_, mu, gamma, beta)| Ggd { mu, gamma, beta })
    }

    /// `n` seeded samples: `mu + sign * b * G^(1/g)`, `G ~ Gamma(1/g, 1)`.
    pub fn sample(&self, rng: &mut impl Rng, n: usize) -> Vec<f64> {
        let g = Gamma::new(1.0 / self.gamma, 1.0).expect("shape > 0");
        (0..n)
            .map(|_| {
                let m = self.beta * g.sample(rng).powf(1.0 / self.gamma);
                if rng.gen::<bool>() {
                    self.mu + m
                } else {
                    self.mu - m
                }
            })
            .collect()
    }

    /// The ratio `(E|x - mu|)^2 / E[(x - mu)^2]` for shape `g`.
    pub fn moment_ratio(g: f64) -> f64 {
        (2.0 * ln_gamma(2.0 / g) - ln_gamma(1.0 / g) - ln_gamma(3.0 / g)).exp()
    }

    /// Moment-matching fit; `None` for fewer than two values or zero
    /// variance.
    pub fn fit(data: &[f64]) -> Option<Ggd> {
        let n = data.len() as f64;
        if data.len() < 2 {
            return None;
        }
        let mu = data.iter().sum::<f64>() / n;
        let (m1, m2) = data.iter().fold((0.0, 0.0), |(a, b), &x| {
            let d = x - mu;
            (a + d.abs(), b + d * d)
        });
        Self::from_moments(mu, m1 / n, m2 / n)
    }

    /// The fit from the mean `mu`, `E|x - mu|` and `E[(x - mu)^2]` (so that
    /// values spread over many tensors can be pooled in two passes).
    pub fn from_moments(mu: f64, m1: f64, m2: f64) -> Option<Ggd> {
        if !(m2 > 0.0 && m1 > 0.0) {
            return None;
        }
        let rho = m1 * m1 / m2;
        // The ratio rises monotonically from 0 (g -> 0) to 3/4 (g -> inf):
        // bisect in log(g).
        let (mut lo, mut hi) = (0.02f64.ln(), 50f64.ln());
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if Self::moment_ratio(mid.exp()) < rho {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let gamma = (0.5 * (lo + hi)).exp();
        let beta = m2.sqrt() * (0.5 * (ln_gamma(1.0 / gamma) - ln_gamma(3.0 / gamma))).exp();
        Some(Ggd { mu, gamma, beta })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All fifteen rows of the paper's Table 1, in its order, with a few
    /// values copied again from the spec as a typo guard.
    #[test]
    fn table_1_has_fifteen_rows() {
        assert_eq!(PRESETS.len(), 15);
        assert_eq!(PRESETS[0].0, "bert");
        assert_eq!(PRESETS[14].0, "glm-4-32b");
        let phi2 = Ggd::preset("phi-2").unwrap();
        assert_eq!((phi2.mu, phi2.gamma, phi2.beta), (0.0, 1.2920, 0.0316));
        let glm = Ggd::preset("glm-z1-9b").unwrap();
        assert_eq!((glm.mu, glm.gamma, glm.beta), (0.0001, 0.6005, 0.0038));
        assert!(PRESETS.iter().all(|p| p.2 > 0.0 && p.3 > 0.0));
    }

    #[test]
    fn gaussian_and_laplacian_ratios() {
        assert!((Ggd::moment_ratio(2.0) - 2.0 / std::f64::consts::PI).abs() < 1e-12);
        assert!((Ggd::moment_ratio(1.0) - 0.5).abs() < 1e-12);
    }

    /// Sampling then fitting recovers the parameters of every preset.
    #[test]
    fn fit_recovers_sampled_presets() {
        let mut rng = crate::verify::vectors::rng(42);
        for &(name, mu, gamma, beta) in PRESETS {
            let d = Ggd { mu, gamma, beta };
            let f = Ggd::fit(&d.sample(&mut rng, 400_000)).unwrap();
            assert!(
                (f.gamma / gamma - 1.0).abs() < 0.03,
                "{name}: gamma {} vs {gamma}",
                f.gamma
            );
            assert!(
                (f.beta / beta - 1.0).abs() < 0.05,
                "{name}: beta {} vs {beta}",
                f.beta
            );
            // The mean of heavy-tailed samples is noisy: allow five standard
            // errors, sigma / sqrt(n).
            let sigma = beta * (0.5 * (ln_gamma(3.0 / gamma) - ln_gamma(1.0 / gamma))).exp();
            assert!(
                (f.mu - mu).abs() < 5.0 * sigma / 400_000f64.sqrt(),
                "{name}: mu {}",
                f.mu
            );
        }
    }
}
