//! `rf8 prove --rtl`: a user's multiplier or dot-product unit against the
//! generated one. The design is connected exactly as `rf8 verify --rtl`
//! connects it (ports, ties, clock, reset, latency: a multiplier through
//! the same `rf8_dut` wrapper), reduced to an AIG by Yosys, and proved
//! equal to the generated combinational unit, delayed by the latency when
//! there is one (unrolled from any register state, the reset held
//! inactive). A counterexample is simulated on the user's design in
//! Icarus, fed the solver's input of every clock.

use std::time::Duration;

use super::miter::{Shape, Sides};
use super::replay::{reference, show};
use super::side::{input_bits, rtl_aig, Reduction};
use super::{side, solve, Counterexample, Proof, Verdict};
use crate::sim::bus::BusDut;
use crate::sim::source::Source;
use crate::sim::Simulator;
use crate::unit::Unit;
use crate::verify::{Latency, Options};

/// Proves the user's design of `opts.user` equal to the generated `unit`.
pub fn prove(unit: &Unit, opts: &Options, limit: Duration) -> Result<Proof, String> {
    if opts.user.is_none() {
        return Err("rf8 prove --rtl: no design given".into());
    }
    let depth = match opts.latency {
        Some(Latency::Fixed(l)) => l,
        Some(Latency::Auto) => {
            return Err("--latency auto: give the latency as a number for a proof".into())
        }
        None => opts.pipeline,
    };
    let (sources, top, label) = match unit {
        Unit::Mul(m) => {
            let p = crate::verify::prepare(m, opts).map_err(|e| e.to_string())?;
            let mut sources = p.dut.sources.clone();
            sources.files.push(Source::Text {
                name: "rf8_dut.v".into(),
                text: p.dut.wrapper.clone(),
            });
            (sources, "rf8_dut".to_string(), p.interface.top.clone())
        }
        Unit::Dot(_) => {
            let (sources, top) =
                crate::verify::unit_sources(unit, opts).map_err(|e| e.to_string())?;
            // Yosys reads a dot-product unit's top as written: no
            // connection module carries the overrides.
            if !sources.params.is_empty() {
                return Err(format!(
                    "--param: rf8 prove --rtl gives parameters to multipliers only (through their connection module); {} is read as written",
                    unit.name()
                ));
            }
            (sources, top.clone(), top)
        }
        Unit::Mac(_) => {
            return Err(format!(
            "{} is a sequential MAC unit: rf8 prove --rtl takes multipliers and dot-product units",
            unit.name()
        ))
        }
    };
    let theirs = side::aig(&sources, &top, Reduction::Optimised)?;
    let ours = rtl_aig(unit, 0, Reduction::Optimised)?;
    let ties = [("rst".to_string(), false)];
    let sides = Sides {
        left: &ours,
        right: &theirs,
        names: ["generated", "your design"],
        shape: if depth > 0 {
            Shape::Delayed(depth)
        } else {
            Shape::Combinational
        },
        ties: &ties,
    };
    let (mut verdict, run, gates) = solve(&sides, limit)?;
    if let Verdict::Counterexample(c) = &mut verdict {
        replay(unit, opts, depth, c);
    }
    let bits = input_bits(unit);
    Ok(Proof {
        unit: unit.name(),
        obligation: format!(
            "your {label} = generated{}",
            if depth > 0 {
                format!(" delayed {depth}")
            } else {
                String::new()
            }
        ),
        covers: format!(
            "every one of the 2^{bits} input combinations{}",
            if depth > 0 {
                format!(", {depth} clocks later, from any register state with the reset inactive")
            } else {
                String::new()
            }
        ),
        verdict,
        solver: run.solver,
        seconds: run.seconds,
        gates,
    })
}

/// The reference's result and an Icarus run of the user's design on the
/// counterexample.
fn replay(unit: &Unit, opts: &Options, depth: usize, c: &mut Counterexample) {
    let frames: Vec<Vec<u128>> = (0..=depth)
        .map(|f| super::replay::operands(unit, c, f))
        .collect();
    let want = reference(unit, &frames[0]);
    c.reference = Some(show(unit, &want));
    let got = match unit {
        Unit::Mul(m) => crate::verify::prepare(m, opts)
            .map_err(|e| e.to_string())
            .and_then(|p| {
                let pairs: Vec<(u16, u16)> =
                    frames.iter().map(|f| (f[0] as u16, f[1] as u16)).collect();
                crate::sim::icarus::eval(&p.dut, &pairs).map_err(|e| e.to_string())
            })
            .map(|run| vec![run.ys[0] as u128]),
        _ => crate::verify::unit_sources(unit, opts)
            .map_err(|e| e.to_string())
            .and_then(|(sources, top)| {
                let (inputs, outputs) = unit.ports(crate::designs::dot::DEFAULT_HEADROOM);
                let n = outputs.len();
                let dut = BusDut {
                    top,
                    sources,
                    inputs,
                    outputs,
                    latency: depth,
                };
                let flat: Vec<u128> = frames.iter().flatten().copied().collect();
                crate::sim::bus::eval(Simulator::Icarus, &dut, &flat)
                    .map(|v| v.into_iter().take(n).collect())
                    .map_err(|e| e.to_string())
            }),
    };
    c.replay = Some(match got {
        Ok(got) => format!(
            "Icarus: your design gives {}, which {}",
            show(unit, &got),
            if got == want {
                "agrees with the reference"
            } else {
                "differs from the reference: the mismatch reproduces"
            }
        ),
        Err(e) => format!("not simulated: {e}"),
    });
}
