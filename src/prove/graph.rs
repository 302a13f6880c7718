//! A structurally hashed And-Inverter Graph built in memory: the miter a
//! proof hands to ABC. Circuits read from AIGER ([`Aig`]) are instantiated
//! into it with their inputs matched by name, so that the two sides of a
//! miter may list their ports in any order.
//!
//! Literals are AIGER's: `2 * variable + inverted`, `0` is false and `1`
//! true. Variables are created in topological order (every gate reads
//! older ones), which is what the binary AIGER writer needs.
//!
//! ```
//! use rf8::prove::graph::Graph;
//! let mut g = Graph::default();
//! let (a, b) = (g.input("a"), g.input("b"));
//! let x = g.and(a, b);
//! assert_eq!(g.and(b, a), x); // the same gate, shared
//! assert_eq!(g.and(a, a ^ 1), rf8::prove::graph::FALSE);
//! assert_eq!(g.and_count(), 1);
//! ```

use std::collections::HashMap;

use crate::area::aig::Aig;

/// Literal of constant false.
pub const FALSE: u32 = 0;
/// Literal of constant true.
pub const TRUE: u32 = 1;

/// The graph: named inputs and AND gates.
#[derive(Default)]
pub struct Graph {
    /// `(name, variable)` of each input, in creation order.
    inputs: Vec<(String, u32)>,
    /// Input variable by name.
    by_name: HashMap<String, u32>,
    /// `(variable, rhs0, rhs1)` of each AND gate, in creation order.
    ands: Vec<(u32, u32, u32)>,
    /// Structural hash: `(rhs0, rhs1)` with `rhs0 >= rhs1` -> literal.
    hash: HashMap<(u32, u32), u32>,
    next_var: u32,
}

impl Graph {
    fn fresh(&mut self) -> u32 {
        self.next_var += 1;
        self.next_var
    }

    /// The input named `name`, created on first use.
    pub fn input(&mut self, name: &str) -> u32 {
        if let Some(&v) = self.by_name.get(name) {
            return 2 * v;
        }
        let v = self.fresh();
        self.inputs.push((name.to_string(), v));
        self.by_name.insert(name.to_string(), v);
        2 * v
    }

    /// Names of the inputs, in the order the AIGER file lists them.
    pub fn input_names(&self) -> Vec<String> {
        self.inputs.iter().map(|(n, _)| n.clone()).collect()
    }

    /// Number of AND gates.
    pub fn and_count(&self) -> usize {
        self.ands.len()
    }

    /// `x AND y`, folded when a side is constant or the two are equal or
    /// opposite, and shared when the same gate exists.
    pub fn and(&mut self, x: u32, y: u32) -> u32 {
        let (x, y) = if x >= y { (x, y) } else { (y, x) };
        if y == FALSE || x == (y ^ 1) {
            return FALSE;
        }
        if y == TRUE || x == y {
            return x;
        }
        if let Some(&l) = self.hash.get(&(x, y)) {
            return l;
        }
        let v = self.fresh();
        self.ands.push((v, x, y));
        self.hash.insert((x, y), 2 * v);
        2 * v
    }

    /// `x OR y`.
    pub fn or(&mut self, x: u32, y: u32) -> u32 {
        self.and(x ^ 1, y ^ 1) ^ 1
    }

    /// `x XOR y`.
    pub fn xor(&mut self, x: u32, y: u32) -> u32 {
        let both = self.and(x, y);
        let neither = self.and(x ^ 1, y ^ 1);
        self.and(both ^ 1, neither ^ 1)
    }

    /// The OR of `xs` (false when empty), as a balanced tree.
    pub fn any(&mut self, xs: &[u32]) -> u32 {
        match xs {
            [] => FALSE,
            [x] => *x,
            _ => {
                let (l, r) = xs.split_at(xs.len() / 2);
                let (l, r) = (self.any(l), self.any(r));
                self.or(l, r)
            }
        }
    }

    /// The graph with the one output `out` as a binary AIGER file (inputs
    /// first, then the gates; no latches), with its input symbols.
    pub fn to_aiger(&self, out: u32) -> Vec<u8> {
        // Renumber: inputs 1..=I, gates after them in creation order.
        let mut map = vec![0u32; self.next_var as usize + 1];
        let mut next = 0u32;
        for (_, v) in &self.inputs {
            next += 1;
            map[*v as usize] = next;
        }
        for (v, _, _) in &self.ands {
            next += 1;
            map[*v as usize] = next;
        }
        let lit = |l: u32| 2 * map[(l >> 1) as usize] + (l & 1);
        let mut bytes = format!(
            "aig {} {} 0 1 {}\n{}\n",
            next,
            self.inputs.len(),
            self.ands.len(),
            lit(out)
        )
        .into_bytes();
        for (v, r0, r1) in &self.ands {
            let (lhs, a, b) = (2 * map[*v as usize], lit(*r0), lit(*r1));
            let (a, b) = if a >= b { (a, b) } else { (b, a) };
            delta(&mut bytes, lhs - a);
            delta(&mut bytes, a - b);
        }
        for (i, (name, _)) in self.inputs.iter().enumerate() {
            bytes.extend_from_slice(format!("i{i} {name}\n").as_bytes());
        }
        bytes.extend_from_slice(b"o0 differ\n");
        bytes
    }
}

/// The part of a graph that output `out` reads, ready for bit-parallel
/// evaluation: its inputs (by position in [`Graph::input_names`]) and its
/// gates renumbered densely.
pub struct Cone {
    /// Index in the graph's input list of each input the cone reads.
    pub inputs: Vec<usize>,
    /// Gates `(rhs0, rhs1)` as dense literals: variable 0 is false,
    /// 1..=inputs.len() the inputs, then one per gate in order.
    gates: Vec<(u32, u32)>,
    out: u32,
}

impl Graph {
    /// The cone of `out`.
    pub fn cone(&self, out: u32) -> Cone {
        let mut needed = vec![false; self.next_var as usize + 1];
        needed[(out >> 1) as usize] = true;
        for &(v, x, y) in self.ands.iter().rev() {
            if needed[v as usize] {
                needed[(x >> 1) as usize] = true;
                needed[(y >> 1) as usize] = true;
            }
        }
        let mut map = vec![0u32; self.next_var as usize + 1];
        let mut inputs = Vec::new();
        for (i, (_, v)) in self.inputs.iter().enumerate() {
            if needed[*v as usize] {
                inputs.push(i);
                map[*v as usize] = inputs.len() as u32;
            }
        }
        let lit = |map: &[u32], l: u32| 2 * map[(l >> 1) as usize] + (l & 1);
        let mut gates = Vec::new();
        let mut next = inputs.len() as u32;
        for &(v, x, y) in &self.ands {
            if needed[v as usize] {
                gates.push((lit(&map, x), lit(&map, y)));
                next += 1;
                map[v as usize] = next;
            }
        }
        Cone {
            inputs,
            gates,
            out: lit(&map, out),
        }
    }
}

impl Cone {
    /// The output on `K * 64` assignments at once: `inputs[i]` holds the
    /// cone's input `i` in every assignment (bit `j` of word `w` is
    /// assignment `64 w + j`). `values` is scratch space. Inlined always,
    /// so that a caller compiled for wider vectors gets them here too.
    #[inline(always)]
    pub fn eval<const K: usize>(
        &self,
        inputs: &[[u64; K]],
        values: &mut Vec<[u64; K]>,
    ) -> [u64; K] {
        values.clear();
        values.push([0; K]);
        values.extend_from_slice(inputs);
        let get = |values: &[[u64; K]], l: u32| {
            let w = values[(l >> 1) as usize];
            let m = 0u64.wrapping_sub((l & 1) as u64);
            w.map(|x| x ^ m)
        };
        for &(x, y) in &self.gates {
            let (a, b) = (get(values, x), get(values, y));
            let mut r = [0u64; K];
            for k in 0..K {
                r[k] = a[k] & b[k];
            }
            values.push(r);
        }
        get(values, self.out)
    }
}

/// Where a circuit read from AIGER is rebuilt: a [`Graph`] (the miter
/// given to the solver) or [`Bits`] (the same construction evaluated on
/// one input assignment, to replay a counterexample).
pub trait Host {
    /// The value of the input named `name`.
    fn input(&mut self, name: &str) -> u32;
    /// `x AND y`.
    fn and(&mut self, x: u32, y: u32) -> u32;
}

impl Host for Graph {
    fn input(&mut self, name: &str) -> u32 {
        Graph::input(self, name)
    }
    fn and(&mut self, x: u32, y: u32) -> u32 {
        Graph::and(self, x, y)
    }
}

/// Evaluation on one assignment: every literal is [`FALSE`] or [`TRUE`];
/// an input the assignment does not name reads 0.
pub struct Bits<'a>(pub &'a HashMap<String, bool>);

impl Host for Bits<'_> {
    fn input(&mut self, name: &str) -> u32 {
        self.0.get(name).copied().unwrap_or(false) as u32
    }
    fn and(&mut self, x: u32, y: u32) -> u32 {
        x & y
    }
}

/// Builds `aig` in `host`. Input `i` reads `input(host, name)` (the
/// caller picks the literal: a shared input by name, a constant, a frame's
/// copy) and latch `l` reads `latches[l]`. Returns `(name, literal)` of
/// each output and the next-state literal of each latch.
pub fn instantiate<H: Host>(
    host: &mut H,
    aig: &Aig,
    mut input: impl FnMut(&mut H, &str) -> u32,
    latches: &[u32],
) -> (Vec<(String, u32)>, Vec<u32>) {
    let (ni, no) = aig.io_count();
    let ins: Vec<u32> = (0..ni).map(|i| input(host, &aig.name('i', i))).collect();
    let (outs, next) = aig.instantiate(&ins, latches, |x, y| host.and(x, y));
    let named = (0..no).map(|o| aig.name('o', o)).zip(outs).collect();
    (named, next)
}

/// AIGER's 7-bit variable-length encoding of a gate's deltas.
fn delta(out: &mut Vec<u8>, mut x: u32) {
    while x >= 0x80 {
        out.push((x & 0x7f) as u8 | 0x80);
        x >>= 7;
    }
    out.push(x as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_sharing() {
        let mut g = Graph::default();
        let (a, b) = (g.input("a"), g.input("b"));
        assert_eq!(g.input("a"), a);
        assert_eq!(g.and(a, TRUE), a);
        assert_eq!(g.and(a, a ^ 1), FALSE);
        let x = g.and(a, b);
        assert_eq!(g.and(b, a), x);
        assert_eq!(g.and_count(), 1);
        assert_eq!(g.any(&[]), FALSE);
    }

    #[test]
    fn binary_aiger_of_a_xor() {
        let mut g = Graph::default();
        let (a, b) = (g.input("a"), g.input("b"));
        let x = g.xor(a, b);
        let bytes = g.to_aiger(x);
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.starts_with("aig 5 2 0 1 3\n"), "{text}");
        assert!(text.ends_with("i0 a\ni1 b\no0 differ\n"), "{text}");
    }
}
