//! A counterexample is not believed on the solver's word: it was already
//! evaluated on both graphs ([`super::solve`]); here it gets what the
//! bit-exact reference says for its operands and is simulated in Icarus
//! on the Verilog it concerns (the generated unit; for a pipelined one,
//! the solver's input of every clock frame in turn).

use super::obligation::{Obligation, Subject};
use super::{Counterexample, Proof, Verdict};
use crate::designs::dot::DEFAULT_HEADROOM as H;
use crate::sim::bus::{self, BusDut};
use crate::sim::source::Sources;
use crate::sim::Simulator;
use crate::unit::Unit;

/// `proof` with its counterexample's reference and replay filled in.
pub fn attach(o: &Obligation, mut proof: Proof) -> Proof {
    if let Verdict::Counterexample(c) = &mut proof.verdict {
        let first = operands(&o.unit, c, 0);
        c.reference = Some(show(&o.unit, &reference(&o.unit, &first)));
        let depth = match o.subject {
            Subject::Pipeline { depth } => depth,
            _ => 0,
        };
        let frames: Vec<Vec<u128>> = (0..=depth).map(|f| operands(&o.unit, c, f)).collect();
        c.replay = Some(match simulate(&o.unit, depth, &frames) {
            Ok(got) => {
                let want = reference(&o.unit, &first);
                let verdict = if got == want {
                    "agrees with the reference"
                } else {
                    "differs from the reference: the mismatch reproduces"
                };
                let what = if depth > 0 {
                    format!(
                        "the pipelined RTL, fed the solver's input of each of {} clocks,",
                        depth + 1
                    )
                } else {
                    "the generated RTL".to_string()
                };
                format!(
                    "Icarus: {what} gives {}, which {verdict}",
                    show(&o.unit, &got)
                )
            }
            Err(e) => format!("not simulated: {e}"),
        });
    }
    proof
}

/// The unit's input port values in the counterexample's clock `frame`
/// (0: the operands; later frames only where a pipelined side was
/// unrolled).
pub fn operands(u: &Unit, c: &Counterexample, frame: usize) -> Vec<u128> {
    let find = |name: &str| {
        let key = if frame == 0 {
            name.to_string()
        } else {
            format!("{name}{}{frame}", super::miter::FRAME)
        };
        let list = if frame == 0 { &c.inputs } else { &c.others };
        list.iter()
            .find(|(n, _)| *n == key)
            .and_then(|(_, v)| u128::from_str_radix(v.trim_start_matches("0x"), 16).ok())
            .unwrap_or(0)
    };
    u.ports(H).0.iter().map(|p| find(&p.name)).collect()
}

/// The reference's outputs (in the unit's output port order).
pub fn reference(u: &Unit, inputs: &[u128]) -> Vec<u128> {
    match u {
        Unit::Mul(m) => {
            let mask = (1u64 << m.out_width()) - 1;
            vec![(m.reference.mul(inputs[0] as u32, inputs[1] as u32) as u64 & mask) as u128]
        }
        Unit::Dot(d) => {
            let v = [inputs[0], inputs[1], inputs[2]];
            crate::verify::dot::expected(d.design.reference, d.lanes, H, &[v])
        }
        Unit::Mac(_) => Vec::new(),
    }
}

/// `y = 0x1234` or `acc_out = 0x.., invalid = 0x0`.
pub fn show(u: &Unit, outputs: &[u128]) -> String {
    u.ports(H)
        .1
        .iter()
        .zip(outputs)
        .map(|(p, v)| format!("{} = {v:#x}", p.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The generated unit (pipelined `depth` deep) simulated in Icarus on
/// `frames` (one input vector per clock); the outputs for the first.
fn simulate(u: &Unit, depth: usize, frames: &[Vec<u128>]) -> Result<Vec<u128>, String> {
    let (top, text) = u.rtl(H, depth).map_err(|e| e.to_string())?;
    let (inputs, outputs) = u.ports(H);
    let dut = BusDut {
        top: top.clone(),
        sources: Sources::text(&format!("{top}.v"), text),
        inputs,
        outputs,
        latency: depth,
    };
    let flat: Vec<u128> = frames.iter().flatten().copied().collect();
    let got = bus::eval(Simulator::Icarus, &dut, &flat).map_err(|e| e.to_string())?;
    Ok(got.into_iter().take(dut.outputs.len()).collect())
}
