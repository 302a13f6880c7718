//! Figures over recipes: a design's fewest LUTs (with the recipe that
//! got them) and its "x RF8" ratio as a range. A ratio is taken with both
//! designs under the same recipe; its range over recipes is the honest
//! figure, because no recipe is the one every reader uses. Rows whose
//! netlist failed its check are left out: their area is that of a wrong
//! circuit.

use super::AreaRow;

/// The design every ratio divides by.
pub const BASE: &str = "rf8_mul";

/// The design a ratio of `design` divides by: `rf8_mul` for a
/// multiplier, `dot_rf8_n<N>` for a dot-product unit of N lanes (so the
/// ratio is per lane too).
pub fn base_of(design: &str) -> String {
    if design.starts_with("mac_") {
        let n = lanes_of(design).unwrap_or(1);
        return format!("mac_rf8_n{n}");
    }
    match crate::formats::dot::split_name(design) {
        Some((_, n)) => format!("dot_rf8_n{n}"),
        None => BASE.to_string(),
    }
}

/// The lane count of a unit's name (`dot_rf8_n8`, `mac_rf8_eia_n8` -> 8).
pub fn lanes_of(design: &str) -> Option<usize> {
    if design.starts_with("mac_") {
        return design.rsplit_once("_n").and_then(|(_, n)| n.parse().ok());
    }
    crate::formats::dot::split_name(design).map(|(_, n)| n)
}

/// Whether a row may stand for its design: its netlist was not found
/// wrong (a check that could not run is reported separately).
pub fn counts(r: &AreaRow) -> bool {
    r.check.as_ref().is_none_or(|c| c.mismatches == 0)
}

/// The rows of `design` on `device` with DSPs `dsp` that count, in recipe
/// order.
pub fn rows_of<'a>(rows: &'a [AreaRow], design: &str, device: &str, dsp: bool) -> Vec<&'a AreaRow> {
    rows.iter()
        .filter(|r| r.design == design && r.device == device && r.dsp_enabled == dsp && counts(r))
        .collect()
}

/// The row with the fewest LUTs (the first recipe on a tie).
pub fn best<'a>(rows: &'a [AreaRow], design: &str, device: &str, dsp: bool) -> Option<&'a AreaRow> {
    rows_of(rows, design, device, dsp)
        .into_iter()
        .min_by_key(|r| r.luts)
}

/// The fewest and most LUTs over recipes.
pub fn lut_span(rows: &[AreaRow], design: &str, device: &str, dsp: bool) -> Option<(u64, u64)> {
    let v = rows_of(rows, design, device, dsp);
    Some((
        v.iter().map(|r| r.luts).min()?,
        v.iter().map(|r| r.luts).max()?,
    ))
}

/// "x RF8" over recipes.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Ratio {
    /// The smallest same-recipe ratio and its recipe.
    pub min: f64,
    pub min_recipe: String,
    /// The largest same-recipe ratio and its recipe.
    pub max: f64,
    pub max_recipe: String,
    /// Best LUTs of the design over best LUTs of RF8 (recipes may differ).
    pub of_minima: f64,
    /// Recipes in which both designs counted.
    pub recipes: usize,
}

impl Ratio {
    /// `15.2-20.0` (or `15.2` when the range is one value).
    pub fn span(&self) -> String {
        if format!("{:.1}", self.min) == format!("{:.1}", self.max) {
            format!("{:.1}", self.min)
        } else {
            format!("{:.1}-{:.1}", self.min, self.max)
        }
    }
}

/// The ratio of `design` to its [`base_of`] on `device` over recipes.
pub fn ratio(rows: &[AreaRow], design: &str, device: &str, dsp: bool) -> Option<Ratio> {
    let base_name = base_of(design);
    let base = rows_of(rows, &base_name, device, dsp);
    let mut same: Vec<(f64, &str)> = Vec::new();
    for r in rows_of(rows, design, device, dsp) {
        if let Some(b) = base.iter().find(|b| b.recipe == r.recipe && b.luts > 0) {
            same.push((r.luts as f64 / b.luts as f64, &r.recipe));
        }
    }
    let lo = same.iter().min_by(|x, y| x.0.total_cmp(&y.0))?;
    let hi = same.iter().max_by(|x, y| x.0.total_cmp(&y.0))?;
    let d = best(rows, design, device, dsp)?;
    let b = best(rows, &base_name, device, dsp).filter(|b| b.luts > 0)?;
    Some(Ratio {
        min: lo.0,
        min_recipe: lo.1.to_string(),
        max: hi.0,
        max_recipe: hi.1.to_string(),
        of_minima: d.luts as f64 / b.luts as f64,
        recipes: same.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::area::netlist::Check;

    fn row(design: &str, recipe: &str, luts: u64, wrong: bool) -> AreaRow {
        let stat =
            format!(r#"{{"modules": {{"t": {{"num_cells_by_type": {{"SB_LUT4": {luts}}}}}}}}}"#);
        let mut r = crate::area::cells::row(
            design,
            design,
            super::super::Device::Ice40,
            false,
            &stat,
            "",
        )
        .unwrap();
        r.recipe = recipe.into();
        r.check = Some(Check {
            pairs: 10,
            mismatches: wrong as u64,
            first: None,
            error: None,
            proof: None,
        });
        r
    }

    #[test]
    fn ratio_is_taken_within_a_recipe_and_skips_wrong_netlists() {
        let rows = vec![
            row("rf8_mul", "default", 40, false),
            row("rf8_mul", "nocarry", 36, false),
            row("fp16_mul", "default", 780, false),
            row("fp16_mul", "nocarry", 606, false),
            row("fp16_mul", "abc9", 500, true),
            row("rf8_mul", "abc9", 38, false),
        ];
        let r = ratio(&rows, "fp16_mul", "ice40", false).unwrap();
        assert_eq!(
            (r.min_recipe.as_str(), r.max_recipe.as_str()),
            ("nocarry", "default")
        );
        assert!((r.min - 606.0 / 36.0).abs() < 1e-12 && (r.max - 19.5).abs() < 1e-12);
        assert!((r.of_minima - 606.0 / 36.0).abs() < 1e-12);
        assert_eq!(r.recipes, 2);
        assert_eq!(
            best(&rows, "fp16_mul", "ice40", false).unwrap().recipe,
            "nocarry"
        );
        assert_eq!(
            lut_span(&rows, "fp16_mul", "ice40", false),
            Some((606, 780))
        );
        assert_eq!(r.span(), "16.8-19.5");
    }

    #[test]
    fn a_unit_is_compared_with_the_rf8_unit_of_its_lane_count() {
        assert_eq!(base_of("dot_int8_n8"), "dot_rf8_n8");
        assert_eq!(base_of("fp16_mul"), "rf8_mul");
        let rows = vec![
            row("dot_rf8_n8", "default", 400, false),
            row("dot_rf8_n1", "default", 50, false),
            row("dot_int8_n8", "default", 200, false),
        ];
        assert_eq!(
            ratio(&rows, "dot_int8_n8", "ice40", false).unwrap().min,
            0.5
        );
    }
}
