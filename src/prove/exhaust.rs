//! The second engine: every assignment of the miter's inputs, evaluated
//! bit-parallel (512 per pass) on both cores. For up to
//! [`MAX_INPUTS`] free inputs this is a proof by exhaustion, and the one
//! that settles what SAT cannot: a 16-bit multiplier's mapped netlist
//! against its RTL (2^32 pairs), where the LUT mapping leaves too few
//! internal equivalences for ABC's sweeping.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::abc::Outcome;
use super::graph::{Cone, Graph};

/// Most free inputs enumerated (2^32 assignments: about a minute for a
/// 16-bit multiplier's miter on two cores).
pub const MAX_INPUTS: usize = 32;

/// Assignments per pass: 8 words of 64.
const K: usize = 8;
const LOW: usize = 9; // log2(K * 64)

/// Enumerates every assignment of the inputs of `out`'s cone until
/// `deadline`. `None` when the cone has more than [`MAX_INPUTS`] inputs.
pub fn prove(graph: &Graph, out: u32, deadline: Instant) -> Option<Outcome> {
    let cone = graph.cone(out);
    let n = cone.inputs.len();
    if n > MAX_INPUTS {
        return None;
    }
    let passes: u64 = 1 << n.saturating_sub(LOW);
    let found = AtomicU64::new(u64::MAX);
    let late = AtomicBool::new(false);
    let chunk = 256u64;
    (0..passes.div_ceil(chunk)).into_par_iter().for_each(|c| {
        if found.load(Ordering::Relaxed) != u64::MAX || late.load(Ordering::Relaxed) {
            return;
        }
        if Instant::now() > deadline {
            late.store(true, Ordering::Relaxed);
            return;
        }
        let mut values = Vec::new();
        let mut inputs = vec![[0u64; K]; n];
        for pass in c * chunk..((c + 1) * chunk).min(passes) {
            fill(&mut inputs, pass);
            let word = eval(&cone, &inputs, &mut values);
            if let Some((w, x)) = word.iter().enumerate().find(|(_, x)| **x != 0) {
                let index = (pass << LOW) | (w as u64 * 64) | x.trailing_zeros() as u64;
                found.fetch_min(index, Ordering::Relaxed);
                return;
            }
        }
    });
    let index = found.load(Ordering::Relaxed);
    Some(if index != u64::MAX {
        Outcome::Counterexample(assignment(graph, &cone, index))
    } else if late.load(Ordering::Relaxed) {
        Outcome::Unknown(format!(
            "2^{n} assignments not all evaluated by the deadline"
        ))
    } else {
        Outcome::Proved
    })
}

/// One pass, with the widest vectors the CPU has: one AVX-512 register
/// holds a pass's 512 assignments of a gate (the portable build uses
/// 128-bit SSE2, a quarter of that).
fn eval(cone: &Cone, inputs: &[[u64; K]], values: &mut Vec<[u64; K]>) -> [u64; K] {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU has AVX-512F (checked just above).
            return unsafe { eval_avx512(cone, inputs, values) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (checked just above).
            return unsafe { eval_avx2(cone, inputs, values) };
        }
    }
    cone.eval(inputs, values)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn eval_avx512(cone: &Cone, inputs: &[[u64; K]], values: &mut Vec<[u64; K]>) -> [u64; K] {
    cone.eval(inputs, values)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn eval_avx2(cone: &Cone, inputs: &[[u64; K]], values: &mut Vec<[u64; K]>) -> [u64; K] {
    cone.eval(inputs, values)
}

/// Inputs of pass `pass`: input `i` is bit `i` of the assignment's index
/// (`pass << 9 | word << 6 | bit`).
fn fill(inputs: &mut [[u64; K]], pass: u64) {
    const PATTERNS: [u64; 6] = [
        0xAAAA_AAAA_AAAA_AAAA,
        0xCCCC_CCCC_CCCC_CCCC,
        0xF0F0_F0F0_F0F0_F0F0,
        0xFF00_FF00_FF00_FF00,
        0xFFFF_0000_FFFF_0000,
        0xFFFF_FFFF_0000_0000,
    ];
    for (i, slot) in inputs.iter_mut().enumerate() {
        for (w, word) in slot.iter_mut().enumerate() {
            *word = match i {
                0..=5 => PATTERNS[i],
                6..=8 => 0u64.wrapping_sub(((w >> (i - 6)) & 1) as u64),
                _ => 0u64.wrapping_sub((pass >> (i - LOW)) & 1),
            };
        }
    }
}

/// The graph's whole input assignment for the cone's assignment `index`
/// (inputs outside the cone read 0).
fn assignment(graph: &Graph, cone: &Cone, index: u64) -> Vec<bool> {
    let mut bits = vec![false; graph.input_names().len()];
    for (i, &g) in cone.inputs.iter().enumerate() {
        bits[g] = (index >> i) & 1 == 1;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn finds_the_one_assignment_and_proves_a_tautology() {
        // out = a AND b AND NOT c ... over 12 inputs: one assignment of 4096.
        let mut g = Graph::default();
        let xs: Vec<u32> = (0..12).map(|i| g.input(&format!("x[{i}]"))).collect();
        let mut out = super::super::graph::TRUE;
        for (i, &x) in xs.iter().enumerate() {
            out = g.and(out, if i % 3 == 0 { x ^ 1 } else { x });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        let Some(Outcome::Counterexample(bits)) = prove(&g, out, deadline) else {
            panic!("no counterexample");
        };
        let want: Vec<bool> = (0..12).map(|i| i % 3 != 0).collect();
        assert_eq!(bits, want);
        // x AND NOT x is never 1.
        let never = g.and(xs[0], xs[0] ^ 1);
        let both = g.and(xs[1], xs[2]);
        let y = g.or(never, both);
        let miter = g.xor(y, both);
        assert_eq!(prove(&g, miter, deadline), Some(Outcome::Proved));
    }
}
