//! The specification models: behavioural Verilog in `spec/`, written from
//! spec sections 1, 3, 7 and 8 apart from the generator, one per
//! fixed-point dot-product format (named by the catalogue entry's
//! `spec_model`). Each is parametrised by the lane count `N` and the
//! headroom `H`; a two-line wrapper fixes them and gives the ports the
//! unit's names. The models are simulated against the Rust reference
//! (`tests/prove.rs`) before any proof leans on them.

use crate::area::aig::Aig;
use crate::designs::dot::DEFAULT_HEADROOM as H;
use crate::sim::source::{Source, Sources};
use crate::unit::Unit;

/// True when the unit has a specification model.
pub fn has_model(u: &Unit) -> bool {
    u.as_dot().is_some_and(|d| d.design.spec_model.is_some())
}

/// The model's sources and top (a wrapper `spec_<unit>` at `N` lanes and
/// headroom `h`), for the prover and for simulation.
pub fn sources(u: &Unit, h: u32) -> Result<(Sources, String), String> {
    let d = u
        .as_dot()
        .filter(|d| d.design.spec_model.is_some())
        .ok_or_else(|| format!("{} has no specification model", u.name()))?;
    let text = d.design.spec_model.unwrap_or_default();
    let model = format!("spec_dot_{}", d.design.reference.format);
    let top = format!("spec_{}", u.name());
    let (inputs, outputs) = u.ports(h);
    let ports: Vec<String> = inputs
        .iter()
        .chain(&outputs)
        .map(|p| p.name.clone())
        .collect();
    let decl: String = inputs
        .iter()
        .map(|p| format!("    input  wire [{}:0] {},\n", p.width - 1, p.name))
        .chain(
            outputs
                .iter()
                .map(|p| format!("    output wire [{}:0] {},\n", p.width - 1, p.name)),
        )
        .collect();
    let conn: Vec<String> = ports.iter().map(|p| format!(".{p}({p})")).collect();
    let wrapper = format!(
        "// The specification model at N = {n}, H = {h}, with the unit's ports.\n\
         module {top} (\n{}\n);\n    {model} #(.N({n}), .H({h})) model ({});\nendmodule\n",
        decl.trim_end().trim_end_matches(','),
        conn.join(", "),
        n = d.lanes,
    );
    let mut sources = Sources::text(&format!("{top}.v"), wrapper);
    sources.files.push(Source::Text {
        name: format!("{model}.v"),
        text: text.to_string(),
    });
    Ok((sources, top))
}

/// The AIG of the unit's specification model at the default headroom.
pub fn aig(u: &Unit) -> Result<Aig, String> {
    let (sources, top) = sources(u, H)?;
    super::side::aig(&sources, &top, super::side::Reduction::Optimised)
}
