//! Miters: one output that is 1 exactly where two circuits differ.
//!
//! * [`combinational`]: two circuits on shared inputs (matched by name),
//!   every output compared bit for bit. Latches, where a side has any,
//!   read free inputs, so that an output that depends on an uninitialised
//!   register shows as a difference instead of being assumed away.
//! * [`delayed`]: a pipelined circuit of depth D against a combinational
//!   one. The pipelined side is unrolled D + 1 clock frames from a free
//!   state, with free inputs in every frame; its outputs in frame D are
//!   compared with the combinational circuit on frame 0's inputs. The
//!   state being free covers every reachable one, so an UNSAT miter proves
//!   `y(t + D) = f(x(t))` at every clock, and a register bypassed or added
//!   anywhere makes frame D's output read another frame's inputs.

use std::collections::HashMap;

use super::graph::{instantiate, Bits, Graph, Host};
use crate::area::aig::Aig;

/// Suffix of a frame's copy of an input (`a[3]@2`); frame 0 has none.
pub const FRAME: char = '@';

/// Prefix of the free first state of a side's latch (`state.<side>.<latch>`).
pub const STATE: &str = "state.";

/// How the two sides are put side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Both combinational (or read so): same inputs, same clock.
    Combinational,
    /// The right side pipelined `depth` clocks deep, unrolled.
    Delayed(usize),
}

/// The two sides of a miter: named circuits, and constants for inputs
/// that are not free (a clock enable, a reset held low).
pub struct Sides<'a> {
    pub left: &'a Aig,
    pub right: &'a Aig,
    /// What each side is called in messages.
    pub names: [&'a str; 2],
    pub shape: Shape,
    /// Inputs held at a constant (by name); every other input is free.
    pub ties: &'a [(String, bool)],
}

/// Each side's outputs, by name, built in `host`.
type Outputs = (Vec<(String, u32)>, Vec<(String, u32)>);

/// Each side's output bits on one assignment.
pub type Values = (Vec<(String, bool)>, Vec<(String, bool)>);

impl Sides<'_> {
    fn tie(&self, name: &str) -> Option<u32> {
        self.ties
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| *v as u32)
    }

    /// Free inputs for each latch of a side.
    fn free_state<H: Host>(h: &mut H, aig: &Aig, side: &str) -> Vec<u32> {
        (0..aig.latch_count())
            .map(|l| {
                // Yosys lists every name of the register's bit; the first.
                let name = aig.name('l', l);
                let first = name.split_whitespace().next().unwrap_or("?");
                h.input(&format!("{STATE}{side}.{first}"))
            })
            .collect()
    }

    /// Both sides' outputs in `h`.
    fn build<H: Host>(&self, h: &mut H) -> Outputs {
        let state = Self::free_state(h, self.left, self.names[0]);
        let (lo, _) = instantiate(
            h,
            self.left,
            |h, name| self.tie(name).unwrap_or_else(|| h.input(name)),
            &state,
        );
        let mut state = Self::free_state(h, self.right, self.names[1]);
        let frames = match self.shape {
            Shape::Combinational => 0,
            Shape::Delayed(depth) => depth,
        };
        let mut ro = Vec::new();
        for frame in 0..=frames {
            let (outs, next) = instantiate(
                h,
                self.right,
                |h, name| match self.tie(name) {
                    Some(v) => v,
                    None if frame == 0 => h.input(name),
                    None => h.input(&format!("{name}{FRAME}{frame}")),
                },
                &state,
            );
            state = next;
            ro = outs;
        }
        (lo, ro)
    }

    /// The miter: a graph whose output is 1 where an output bit differs.
    /// Every output of each side must exist on the other.
    pub fn miter(&self) -> Result<(Graph, u32), String> {
        let mut g = Graph::default();
        let (lo, ro) = self.build(&mut g);
        let mut differ = Vec::new();
        for (name, l) in &lo {
            let r = find(&ro, name).ok_or_else(|| self.missing(name, 0))?;
            differ.push(g.xor(*l, r));
        }
        if let Some((name, _)) = ro.iter().find(|(n, _)| find(&lo, n).is_none()) {
            return Err(self.missing(name, 1));
        }
        let out = g.any(&differ);
        Ok((g, out))
    }

    fn missing(&self, name: &str, side: usize) -> String {
        format!(
            "output bit '{name}' of the {} is missing from the {}",
            self.names[side],
            self.names[1 - side]
        )
    }

    /// Both sides' output bits on one assignment of the miter's inputs
    /// (a counterexample), by the same construction as the miter.
    pub fn evaluate(&self, assignment: &HashMap<String, bool>) -> Values {
        let (lo, ro) = self.build(&mut Bits(assignment));
        let bits = |v: Vec<(String, u32)>| v.into_iter().map(|(n, l)| (n, l == 1)).collect();
        (bits(lo), bits(ro))
    }
}

fn find(outs: &[(String, u32)], name: &str) -> Option<u32> {
    outs.iter().find(|(n, _)| n == name).map(|(_, l)| *l)
}
