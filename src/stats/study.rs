//! What `rf8 error` reports, as typed results with their text: the error
//! of each storage format on a distribution ([`ErrorReport`]), the
//! multipliers' products ([`ProductReport`]) and y = W x ([`MatvecReport`]),
//! each naming its source. They serialise to the command's JSON; `text()`
//! is its table.

use super::error::ErrorStats;
use super::ggd::{Ggd, PRESETS};
use super::matvec::MatvecError;
use super::products::ProductStats;
use super::render;

/// Where the values came from.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Source {
    pub kind: &'static str,
    pub name: String,
    pub mu: f64,
    pub gamma: f64,
    pub beta: f64,
    pub samples: usize,
    pub seed: u64,
}

impl Source {
    /// `samples` draws of `ggd` (named `name`) with `seed`.
    pub fn ggd(name: &str, ggd: Ggd, samples: usize, seed: u64) -> Source {
        Source {
            kind: "ggd",
            name: name.to_string(),
            mu: ggd.mu,
            gamma: ggd.gamma,
            beta: ggd.beta,
            samples,
            seed,
        }
    }

    fn describe(&self) -> String {
        format!(
            "GGD {} (mu {}, gamma {}, beta {})",
            self.name, self.mu, self.gamma, self.beta
        )
    }
}

/// The error of each storage format on one source.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ErrorReport {
    pub source: Source,
    pub formats: Vec<ErrorStats>,
}

impl ErrorReport {
    /// The source, then one row per format.
    pub fn text(&self) -> String {
        let s = &self.source;
        format!(
            "source: {}, {} samples, seed {}\n{}",
            s.describe(),
            s.samples,
            s.seed,
            render::error_table(&self.formats)
        )
    }
}

/// Each multiplier's products on weights from a source times activations.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ProductReport {
    pub source: Source,
    pub activations: &'static str,
    pub multipliers: Vec<ProductStats>,
}

impl ProductReport {
    /// The source, then one row per multiplier.
    pub fn text(&self) -> String {
        let s = &self.source;
        format!(
            "weights: {}; activations: {}; {} pairs, seed {}\n{}",
            s.describe(),
            self.activations,
            s.samples,
            s.seed,
            render::product_table(&self.multipliers)
        )
    }
}

/// y = W x with W drawn from a source, per format.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MatvecReport {
    pub source: Source,
    pub activations: &'static str,
    pub rows: usize,
    pub cols: usize,
    pub formats: Vec<MatvecError>,
}

impl MatvecReport {
    /// The matrix and its source, then one row per format.
    pub fn text(&self) -> String {
        let s = &self.source;
        format!(
            "y = W x, W {} x {} from {}, x {}, seed {}\n{}",
            self.rows,
            self.cols,
            s.describe(),
            self.activations,
            s.seed,
            render::matvec_table(&self.formats)
        )
    }
}

/// Activations for the product and y = W x studies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activations {
    /// Standard normal.
    Normal,
    /// The same GGD as the weights.
    SameAsWeights,
}

impl Activations {
    /// Its label and distribution, given the weights'.
    pub fn distribution(self, weights: Ggd) -> (&'static str, Ggd) {
        match self {
            Activations::Normal => ("normal (0, 1)", Ggd::NORMAL),
            Activations::SameAsWeights => ("the weights' GGD", weights),
        }
    }
}

/// The distribution asked for: `gamma` and `beta` (and `mu`, default 0)
/// when given, else the preset `name` (default `llama3-1b`); one-line
/// reasons for shapes that would measure f64's limits rather than a
/// format, and for an unknown preset.
pub fn distribution(
    preset: Option<&str>,
    custom: Option<(f64, f64, Option<f64>)>,
) -> Result<(String, Ggd), String> {
    if let Some((gamma, beta, mu)) = custom {
        let mu = mu.unwrap_or(0.0);
        if !(gamma > 0.0 && beta > 0.0 && gamma.is_finite() && beta.is_finite() && mu.is_finite()) {
            return Err("--gamma and --beta must be positive and finite".into());
        }
        // Weights are f32: a scale or location outside f32's normal range,
        // or a shape whose tails reach past it, would measure the limits
        // of f64 statistics rather than a format.
        if !((1e-30..=1e30).contains(&beta) && mu.abs() <= 1e30 && (0.1..=100.0).contains(&gamma)) {
            return Err(
                "--beta must lie in [1e-30, 1e30], |--mu| at most 1e30 and --gamma in [0.1, 100] \
                 (weights are f32; Table 1's shapes lie in 0.42..1.69)"
                    .into(),
            );
        }
        return Ok(("custom".into(), Ggd { mu, gamma, beta }));
    }
    let name = preset.unwrap_or("llama3-1b");
    Ggd::preset(name)
        .map(|g| (name.to_string(), g))
        .ok_or_else(|| {
            let valid: Vec<&str> = PRESETS.iter().map(|p| p.0).collect();
            format!("unknown GGD preset '{name}' (valid: {})", valid.join(", "))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions_are_checked() {
        assert_eq!(distribution(None, None).unwrap().0, "llama3-1b");
        assert!(distribution(Some("nope"), None)
            .unwrap_err()
            .contains("valid"));
        assert!(distribution(None, Some((0.0, 1.0, None))).is_err());
        assert!(distribution(None, Some((1.0, 1e31, None))).is_err());
        let (name, g) = distribution(None, Some((2.0, 1.5, Some(0.25)))).unwrap();
        assert_eq!(
            (name.as_str(), g.gamma, g.beta, g.mu),
            ("custom", 2.0, 1.5, 0.25)
        );
    }
}
