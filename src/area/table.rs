//! The text table of `rf8 area`: one line per design and device, with the
//! fewest LUTs over recipes (and the recipe), the LUT span, the "x RF8"
//! range and the netlist checks.

use super::range::{best, lut_span, ratio};
use super::AreaRow;

/// The designs of `rows`, in first-seen order.
pub fn designs(rows: &[AreaRow]) -> Vec<&str> {
    let mut v: Vec<&str> = Vec::new();
    for r in rows {
        if !v.contains(&r.design.as_str()) {
            v.push(&r.design);
        }
    }
    v
}

/// The recipes of `rows` on `device`, in first-seen order.
pub fn recipes<'a>(rows: &'a [AreaRow], device: &str) -> Vec<&'a str> {
    let mut v: Vec<&str> = Vec::new();
    for r in rows.iter().filter(|r| r.device == device) {
        if !v.contains(&r.recipe.as_str()) {
            v.push(&r.recipe);
        }
    }
    v
}

/// `5/5 proved`, `5/5 pass, 3 proved` (the others sampled), `5/5 pass
/// (sampled)`, `4/5 pass (sampled); FAIL abc9`, or `-` when none was
/// checked.
pub fn checks(rows: &[AreaRow], design: &str, device: &str, dsp: bool) -> String {
    let mine: Vec<&AreaRow> = rows
        .iter()
        .filter(|r| r.design == design && r.device == device && r.dsp_enabled == dsp)
        .collect();
    let checked: Vec<_> = mine
        .iter()
        .filter_map(|r| r.check.as_ref().map(|c| (r, c)))
        .collect();
    if checked.is_empty() {
        return "-".into();
    }
    let passed = checked.iter().filter(|(_, c)| c.passed()).count();
    let proved = checked.iter().filter(|(_, c)| c.proved()).count();
    let mut text = if proved > 0 && proved == mine.len() {
        format!("{proved}/{} proved", mine.len())
    } else if proved > 0 {
        format!("{passed}/{} pass, {proved} proved", mine.len())
    } else {
        format!("{passed}/{} pass (sampled)", mine.len())
    };
    let wrong: Vec<&str> = checked
        .iter()
        .filter(|(_, c)| c.error.is_none() && !c.passed())
        .map(|(r, _)| r.recipe.as_str())
        .collect();
    if !wrong.is_empty() {
        text += &format!("; FAIL {}", wrong.join(" "));
    }
    let not_run = checked.iter().filter(|(_, c)| c.error.is_some()).count();
    if not_run > 0 {
        text += &format!("; {not_run} not run");
    }
    text
}

/// Column names of [`cells`] for multipliers.
pub const HEADER: [&str; 13] = [
    "design", "LUTs", "recipe", "LUT span", "x RF8", "of best", "carries", "DSPs", "FFs", "muxes",
    "depth", "Fmax MHz", "netlists",
];

/// Column names of [`cells`] for dot-product units: LUTs per lane after
/// the LUTs; "x RF8" is against `dot_rf8` of the same lane count, so it is
/// the per-lane ratio too.
pub const HEADER_DOT: [&str; 14] = [
    "unit", "LUTs", "per lane", "recipe", "LUT span", "x RF8", "of best", "carries", "DSPs", "FFs",
    "muxes", "depth", "Fmax MHz", "netlists",
];

/// Column names of [`cells`] for MAC units: block RAM primitives beside
/// the LUTs; "x RF8" is against `mac_rf8_n<N>` (the register
/// accumulator) of the same lane count.
pub const HEADER_MAC: [&str; 15] = [
    "unit", "LUTs", "per lane", "BRAM", "recipe", "LUT span", "x RF8", "of best", "carries",
    "DSPs", "FFs", "muxes", "depth", "Fmax MHz", "netlists",
];

/// Which table a unit's row goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Multipliers,
    DotUnits,
    MacUnits,
}

impl Section {
    /// The section of a unit by its name.
    pub fn of(design: &str) -> Section {
        if design.starts_with("mac_") {
            Section::MacUnits
        } else if design.starts_with("dot_") {
            Section::DotUnits
        } else {
            Section::Multipliers
        }
    }

    /// Its column names.
    pub fn header(self) -> &'static [&'static str] {
        match self {
            Section::Multipliers => &HEADER,
            Section::DotUnits => &HEADER_DOT,
            Section::MacUnits => &HEADER_MAC,
        }
    }
}

pub use super::range::lanes_of;

/// The table of one device as cells: per design, its best row (fewest
/// LUTs over recipes whose netlist was not found wrong), the LUT span, the
/// same-recipe "x RF8" range, best over best, and the netlist checks.
/// The units of `section` only, with its columns ([`Section::header`]).
pub fn cells(rows: &[AreaRow], device: &str, dsp: bool, section: Section) -> Vec<Vec<String>> {
    let mine: Vec<AreaRow> = rows
        .iter()
        .filter(|r| r.device == device && r.dsp_enabled == dsp)
        .filter(|r| Section::of(&r.design) == section)
        .cloned()
        .collect();
    let header = section.header().len();
    let mut out = Vec::new();
    for design in designs(&mine) {
        let checked = checks(&mine, design, device, dsp);
        let Some(b) = best(&mine, design, device, dsp) else {
            let mut line = vec![design.to_string(), "no netlist passed".into()];
            line.resize(header - 1, String::new());
            line.push(checked);
            out.push(line);
            continue;
        };
        let span = lut_span(&mine, design, device, dsp)
            .map_or("-".into(), |(lo, hi)| format!("{lo}-{hi}"));
        let x = ratio(&mine, design, device, dsp);
        // Fmax is measured on the default recipe only.
        let fmax = mine
            .iter()
            .find(|r| r.design == design && r.fmax_mhz.is_some())
            .and_then(|r| r.fmax_mhz)
            .map_or("-".into(), |f| format!("{f:.1}"));
        let mut line = vec![b.module.clone(), b.luts.to_string()];
        if let Some(n) = lanes_of(design) {
            line.push(format!("{:.0}", b.luts as f64 / n as f64));
        }
        if section == Section::MacUnits {
            line.push(b.brams.to_string());
        }
        line.extend([
            b.recipe.clone(),
            span,
            x.as_ref().map_or("-".into(), |x| x.span()),
            x.as_ref()
                .map_or("-".into(), |x| format!("{:.1}", x.of_minima)),
            b.carries.to_string(),
            b.dsps.to_string(),
            b.ffs.to_string(),
            b.muxes.to_string(),
            b.depth.to_string(),
            fmax,
            checked,
        ]);
        out.push(line);
    }
    out
}

/// The title line of one device's table.
pub fn title(rows: &[AreaRow], device: &str, dsp: bool) -> String {
    format!(
        "{device} ({}; recipes: {})",
        if dsp { "DSPs allowed" } else { "logic only" },
        recipes(rows, device).join(", ")
    )
}

/// The tables of one device as aligned text: multipliers, dot-product
/// units, MAC units (each only when it has rows), a blank line between.
pub fn text(rows: &[AreaRow], device: &str, dsp: bool) -> String {
    let parts: Vec<String> = [Section::Multipliers, Section::DotUnits, Section::MacUnits]
        .into_iter()
        .map(|s| section(rows, device, dsp, s))
        .filter(|t| !t.is_empty())
        .collect();
    parts.join("\n")
}

fn section(rows: &[AreaRow], device: &str, dsp: bool, sec: Section) -> String {
    let head = sec.header();
    let body = cells(rows, device, dsp, sec);
    if body.is_empty() {
        return String::new();
    }
    let mut width: Vec<usize> = head.iter().map(|h| h.len()).collect();
    for line in &body {
        for (w, c) in width.iter_mut().zip(line) {
            *w = (*w).max(c.len());
        }
    }
    let render = |line: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in line.iter().enumerate() {
            // Names left, figures right, the last column unpadded.
            if i == line.len() - 1 {
                s += c;
            } else if i == 0 || head[i] == "recipe" {
                s += &format!("{c:<w$}  ", w = width[i]);
            } else {
                s += &format!("{c:>w$}  ", w = width[i]);
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let header: Vec<String> = head.iter().map(|h| h.to_string()).collect();
    let mut out = title(rows, device, dsp) + "\n" + &render(&header);
    for line in &body {
        out += &render(line);
    }
    out
}
