//! What `rf8 prove` proves, unit by unit from the catalogue:
//!
//! * [`Subject::Netlist`]: the netlist a recipe maps the unit to on a
//!   device (the one `rf8 area` measures, flattened with the family's
//!   cell models) equals the generated RTL, combinationally;
//! * [`Subject::Pipeline`]: the unit pipelined `depth` deep equals the
//!   combinational unit delayed by `depth` clocks, from any state;
//! * [`Subject::Spec`]: the generated dot-product unit equals the
//!   behavioural model written from the specification ([`super::spec`]).

use std::time::Duration;

use super::miter::{Shape, Sides};
use super::side::{input_bits, rtl_aig, Reduction};
use super::{solve, Proof, Verdict};
use crate::area::{self, recipe::Recipe, Device};
use crate::designs::dot::DEFAULT_HEADROOM as H;
use crate::unit::Unit;

/// What a unit is proved equal to.
#[derive(Clone, Copy, Debug)]
pub enum Subject {
    Netlist {
        device: Device,
        recipe: &'static Recipe,
        dsp: bool,
    },
    Pipeline {
        depth: usize,
    },
    Spec,
}

/// One proof to attempt.
#[derive(Clone, Copy, Debug)]
pub struct Obligation {
    pub unit: Unit,
    pub subject: Subject,
}

impl Obligation {
    /// `iCE40 default netlist = RTL`, `pipeline 2 = RTL delayed 2`.
    pub fn title(&self) -> String {
        match self.subject {
            Subject::Netlist {
                device,
                recipe,
                dsp,
            } => format!(
                "{} {}{} netlist = RTL",
                device.name(),
                recipe.name,
                if dsp { " +DSP" } else { "" }
            ),
            Subject::Pipeline { depth } => format!("pipeline {depth} = RTL delayed {depth}"),
            Subject::Spec => "RTL = spec model".into(),
        }
    }

    /// What the proof covers, in one sentence.
    pub fn covers(&self) -> String {
        let inputs = input_bits(&self.unit);
        match self.subject {
            Subject::Netlist { .. } => format!(
                "every one of the 2^{inputs} input combinations (all {inputs} input bits free); \
                 registers the cell models leave start in any state"
            ),
            Subject::Pipeline { depth } => format!(
                "every input sequence from any register state: the output {depth} clocks after \
                 any of the 2^{inputs} input combinations"
            ),
            Subject::Spec => {
                format!("every one of the 2^{inputs} input combinations, at headroom H = {H}")
            }
        }
    }

    /// Poses and solves the obligation; an error means it could not be
    /// posed (a tool failed, a netlist could not be flattened).
    pub fn run(&self, limit: Duration) -> Result<Proof, String> {
        let (verdict, run, gates) = match self.subject {
            Subject::Netlist {
                device,
                recipe,
                dsp,
            } => {
                let row = area::synthesize(&self.unit, device, recipe, dsp, 0, true)
                    .map_err(|e| e.to_string())?;
                if let Some(c) = row.check.as_ref().and_then(|c| c.error.clone()) {
                    return Err(c);
                }
                let flat = row
                    .flat
                    .ok_or_else(|| "the netlist was not flattened".to_string())?;
                let solved = super::netlists::against_rtl(&self.unit, &flat, limit)?;
                super::netlists::keep(&flat, &super::netlists::formal(&solved.0));
                solved
            }
            Subject::Pipeline { depth } => {
                let rtl = rtl_aig(&self.unit, 0, Reduction::Literal)?;
                let piped = rtl_aig(&self.unit, depth, Reduction::Literal)?;
                let sides = Sides {
                    left: &rtl,
                    right: &piped,
                    names: ["RTL", "pipelined RTL"],
                    shape: Shape::Delayed(depth),
                    ties: &[],
                };
                solve(&sides, limit)?
            }
            Subject::Spec => {
                let rtl = rtl_aig(&self.unit, 0, Reduction::Optimised)?;
                against_spec(&self.unit, &rtl, limit)?
            }
        };
        Ok(Proof {
            unit: self.unit.name(),
            obligation: self.title(),
            covers: self.covers(),
            verdict,
            solver: run.solver,
            seconds: run.seconds,
            gates,
        })
    }
}

/// Solves `rtl` (a dot-product unit's AIG: the generated one, or any
/// other with its ports) against the unit's specification model.
pub fn against_spec(
    unit: &Unit,
    rtl: &area::aig::Aig,
    limit: Duration,
) -> Result<(Verdict, super::abc::Run, usize), String> {
    let model = super::spec::aig(unit)?;
    let sides = Sides {
        left: &model,
        right: rtl,
        names: ["spec model", "RTL"],
        shape: Shape::Combinational,
        ties: &[],
    };
    solve(&sides, limit)
}

/// An obligation that could not be posed, as a proof with an unknown
/// verdict and the reason (so that one failure does not hide the rest).
pub fn not_posed(o: &Obligation, reason: String) -> Proof {
    Proof {
        unit: o.unit.name(),
        obligation: o.title(),
        covers: o.covers(),
        verdict: Verdict::Unknown { reason },
        solver: String::new(),
        seconds: 0.0,
        gates: 0,
    }
}

/// The obligations of `units`: each netlist of `devices` x `recipes`
/// (the recipes that apply to the device, in the flow `rf8 area` runs),
/// every pipeline depth the generator offers, and the specification model
/// where [`super::spec`] has one. Sequential MAC units have none yet.
pub fn plan(
    units: &[Unit],
    devices: &[Device],
    recipes: &[&'static Recipe],
    dsp: bool,
    kinds: Kinds,
) -> Vec<Obligation> {
    let mut out = Vec::new();
    for &unit in units.iter().filter(|u| !u.is_sequential()) {
        let mut push = |subject| out.push(Obligation { unit, subject });
        if kinds.netlist {
            for &device in devices {
                if !area::plan::in_default_flow(device, &unit) {
                    continue;
                }
                for &recipe in recipes.iter().filter(|r| r.applies(device)) {
                    push(Subject::Netlist {
                        device,
                        recipe,
                        dsp,
                    });
                }
            }
        }
        if kinds.pipeline {
            for depth in 1..=unit.max_depth() {
                push(Subject::Pipeline { depth });
            }
        }
        if kinds.spec && super::spec::has_model(&unit) {
            push(Subject::Spec);
        }
    }
    out
}

/// Which kinds of obligation to plan.
#[derive(Clone, Copy, Debug)]
pub struct Kinds {
    pub netlist: bool,
    pub pipeline: bool,
    pub spec: bool,
}
