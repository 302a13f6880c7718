//! A bit-parallel evaluator for And-Inverter Graphs in ASCII AIGER
//! (`aag`), as Yosys's `write_aiger -ascii -symbols` writes them: the form
//! in which the netlist check simulates a mapped netlist (the flat netlist
//! with its cell models, reduced by Yosys to AND gates and inverters).
//! One pass evaluates 64 input vectors, one per bit of a `u64`.
//!
//! ```
//! // y = a AND NOT b, one bit each.
//! let aig = rf8::area::aig::Aig::parse("aag 3 2 0 1 1\n2\n4\n6\n6 2 5\ni0 a\ni1 b\no0 y\n").unwrap();
//! assert_eq!(aig.eval_pairs(&[(1, 0), (1, 1), (0, 0)], 1, 1, [0, 0]).unwrap(), vec![1, 0, 0]);
//! ```

/// A combinational view of an AIGER graph; latches (if any) are read as
/// constants chosen by the caller.
#[derive(Clone, Debug)]
pub struct Aig {
    /// Variable of each input, in file order.
    inputs: Vec<u32>,
    /// Variable of each latch output.
    latches: Vec<u32>,
    /// Next-state literal of each latch.
    latch_next: Vec<u32>,
    /// Literal of each output.
    outputs: Vec<u32>,
    /// AND gates `(lhs variable, rhs literal, rhs literal)`, each reading
    /// only variables defined before it.
    ands: Vec<(u32, u32, u32)>,
    /// Names from the symbol table: `(kind, index) -> name`.
    names: Vec<(char, usize, String)>,
    max_var: u32,
}

/// The value of literal `l` (a variable, inverted when odd) in every lane.
fn lit(values: &[u64], l: u32) -> u64 {
    values[(l >> 1) as usize] ^ 0u64.wrapping_sub((l & 1) as u64)
}

fn number(s: Option<&str>, what: &str) -> Result<u32, String> {
    s.and_then(|t| t.parse().ok())
        .ok_or_else(|| format!("AIGER: bad {what}"))
}

impl Aig {
    /// Parses ASCII AIGER text.
    pub fn parse(text: &str) -> Result<Aig, String> {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split_whitespace().collect();
        if header.first() != Some(&"aag") || header.len() < 6 {
            return Err("AIGER: not an ASCII AIGER file (no 'aag M I L O A' header)".into());
        }
        let n = |i: usize| number(header.get(i).copied(), "header");
        let (max_var, ni, nl, no, na) = (n(1)?, n(2)?, n(3)?, n(4)?, n(5)?);
        // Every count takes at least a character of the file: a header that
        // claims more is damaged, and must not size an allocation.
        if [max_var, ni, nl, no, na]
            .iter()
            .any(|&c| c as usize > text.len())
        {
            return Err("AIGER: the header counts more than the file holds".into());
        }
        let mut defined = vec![false; max_var as usize + 1];
        defined[0] = true;
        let define = |defined: &mut Vec<bool>, lit: u32, what: &str| -> Result<u32, String> {
            let var = lit >> 1;
            if lit & 1 != 0 || var == 0 || var > max_var || defined[var as usize] {
                return Err(format!("AIGER: bad {what} literal {lit}"));
            }
            defined[var as usize] = true;
            Ok(var)
        };
        let mut inputs = Vec::with_capacity(ni as usize);
        for _ in 0..ni {
            inputs.push(define(
                &mut defined,
                number(lines.next(), "input")?,
                "input",
            )?);
        }
        let mut latches = Vec::with_capacity(nl as usize);
        let mut latch_next = Vec::with_capacity(nl as usize);
        for _ in 0..nl {
            let mut f = lines.next().unwrap_or("").split_whitespace();
            latches.push(define(&mut defined, number(f.next(), "latch")?, "latch")?);
            latch_next.push(number(f.next(), "latch next state")?);
        }
        let mut outputs = Vec::with_capacity(no as usize);
        for _ in 0..no {
            outputs.push(number(lines.next(), "output")?);
        }
        let mut ands = Vec::with_capacity(na as usize);
        for _ in 0..na {
            let mut f = lines.next().unwrap_or("").split_whitespace();
            let (lhs, r0, r1) = (
                number(f.next(), "AND")?,
                number(f.next(), "AND")?,
                number(f.next(), "AND")?,
            );
            for r in [r0, r1] {
                if (r >> 1) > max_var || !defined[(r >> 1) as usize] {
                    return Err(format!("AIGER: AND {lhs} reads {r} before it is defined"));
                }
            }
            ands.push((define(&mut defined, lhs, "AND")?, r0, r1));
        }
        for &o in outputs.iter().chain(&latch_next) {
            if (o >> 1) > max_var || !defined[(o >> 1) as usize] {
                return Err(format!("AIGER: output literal {o} is not defined"));
            }
        }
        let mut names = Vec::new();
        for line in lines {
            let Some((tag, name)) = line.split_once(' ') else {
                break;
            };
            let mut chars = tag.chars();
            let (Some(kind @ ('i' | 'l' | 'o')), Ok(index)) =
                (chars.next(), chars.as_str().parse())
            else {
                break;
            };
            names.push((kind, index, name.to_string()));
        }
        Ok(Aig {
            inputs,
            latches,
            latch_next,
            outputs,
            ands,
            names,
            max_var,
        })
    }

    /// Number of AND gates.
    pub fn and_count(&self) -> usize {
        self.ands.len()
    }

    /// Number of latches (a combinational netlist whose cell models keep
    /// unused registers has some).
    pub fn latch_count(&self) -> usize {
        self.latches.len()
    }

    /// The symbol of input (`kind` 'i'), latch ('l') or output ('o')
    /// `index`, or `i<index>` etc. where the file names none.
    pub fn name(&self, kind: char, index: usize) -> String {
        self.names
            .iter()
            .find(|(k, i, _)| *k == kind && *i == index)
            .map_or_else(|| format!("{kind}{index}"), |(_, _, n)| n.clone())
    }

    /// Number of inputs and outputs.
    pub fn io_count(&self) -> (usize, usize) {
        (self.inputs.len(), self.outputs.len())
    }

    /// Rebuilds the graph inside another one (a prover's miter): input `i`
    /// and latch `l` read the literals `inputs[i]` and `latches[l]` of the
    /// host, every AND gate is made by `and` (which returns the host's
    /// literal), and the result is the host literal of each output and of
    /// each latch's next state.
    pub fn instantiate(
        &self,
        inputs: &[u32],
        latches: &[u32],
        mut and: impl FnMut(u32, u32) -> u32,
    ) -> (Vec<u32>, Vec<u32>) {
        let mut map = vec![0u32; self.max_var as usize + 1];
        for (&v, &l) in self.inputs.iter().zip(inputs) {
            map[v as usize] = l;
        }
        for (&v, &l) in self.latches.iter().zip(latches) {
            map[v as usize] = l;
        }
        let host = |map: &[u32], l: u32| map[(l >> 1) as usize] ^ (l & 1);
        for &(lhs, r0, r1) in &self.ands {
            map[lhs as usize] = and(host(&map, r0), host(&map, r1));
        }
        (
            self.outputs.iter().map(|&o| host(&map, o)).collect(),
            self.latch_next.iter().map(|&o| host(&map, o)).collect(),
        )
    }

    /// Indices of the bits of port `name` (`name[0]`.. or `name` for one
    /// bit), LSB first, among the inputs (`kind` 'i') or outputs ('o').
    fn port(&self, kind: char, name: &str, width: u32) -> Result<Vec<usize>, String> {
        if width > 128 {
            return Err(format!(
                "port '{name}': {width} bits, at most 128 are supported"
            ));
        }
        let count = if kind == 'i' {
            self.inputs.len()
        } else {
            self.outputs.len()
        };
        // A symbol naming an input or output the file does not have is
        // skipped, as if absent.
        let find = |want: &str| {
            self.names
                .iter()
                .find(|(k, i, n)| *k == kind && n == want && *i < count)
                .map(|(_, i, _)| *i)
        };
        (0..width)
            .map(|bit| {
                find(&format!("{name}[{bit}]"))
                    .or_else(|| (width == 1).then(|| find(name)).flatten())
                    .ok_or_else(|| format!("AIGER: no bit {bit} of port '{name}'"))
            })
            .collect()
    }

    /// Evaluates up to 64 vectors: `words[i]` holds input `i` of every
    /// vector (bit `k` = vector `k`), latches read as `latch_word`.
    fn eval_words(&self, words: &[u64], latch_word: u64, values: &mut Vec<u64>) {
        values.clear();
        values.resize(self.max_var as usize + 1, 0);
        for (&v, &w) in self.inputs.iter().zip(words) {
            values[v as usize] = w;
        }
        for &v in &self.latches {
            values[v as usize] = latch_word;
        }
        for &(lhs, r0, r1) in &self.ands {
            values[lhs as usize] = lit(values, r0) & lit(values, r1);
        }
    }

    /// The output `y` (`out_width` bits) for each pair of `a`, `b`
    /// (`width` bits each); see [`Aig::eval`] for `latches`.
    pub fn eval_pairs(
        &self,
        pairs: &[(u32, u32)],
        width: u32,
        out_width: u32,
        latches: [u64; 2],
    ) -> Result<Vec<u32>, String> {
        let vectors: Vec<[u128; 2]> = pairs.iter().map(|&(a, b)| [a as u128, b as u128]).collect();
        let out = self.eval(
            &[("a", width), ("b", width)],
            &[("y", out_width)],
            &vectors,
            latches,
        )?;
        Ok(out.into_iter().map(|o| o[0] as u32).collect())
    }

    /// Output ports (`name`, width up to 128 bits) for each vector of
    /// input port values (`vectors[k][j]` drives `inputs[j]`). Latches are
    /// read as `latches[0]` and, in a second evaluation, `latches[1]` (all
    /// zeros / all ones per word): an output that differs between the two
    /// depends on a register, which a combinational check cannot settle,
    /// and is an error.
    pub fn eval<const I: usize>(
        &self,
        inputs: &[(&str, u32); I],
        outputs: &[(&str, u32)],
        vectors: &[[u128; I]],
        latches: [u64; 2],
    ) -> Result<Vec<Vec<u128>>, String> {
        let ins: Vec<Vec<usize>> = inputs
            .iter()
            .map(|&(name, w)| self.port('i', name, w))
            .collect::<Result<_, _>>()?;
        let outs: Vec<Vec<usize>> = outputs
            .iter()
            .map(|&(name, w)| self.port('o', name, w))
            .collect::<Result<_, _>>()?;
        let out_bits: usize = outs.iter().map(Vec::len).sum();
        let mut result = Vec::with_capacity(vectors.len());
        let mut values = Vec::new();
        let mut words = vec![0u64; self.inputs.len()];
        let mut bits = vec![[0u64; 2]; out_bits];
        for chunk in vectors.chunks(64) {
            words.iter_mut().for_each(|w| *w = 0);
            for (k, vector) in chunk.iter().enumerate() {
                for (port, &value) in ins.iter().zip(vector.iter()) {
                    for (bit, &i) in port.iter().enumerate() {
                        words[i] |= (((value >> bit) & 1) as u64) << k;
                    }
                }
            }
            let runs = if self.latches.is_empty() { 1 } else { 2 };
            for run in 0..runs {
                self.eval_words(&words, latches[run], &mut values);
                for (slot, &o) in bits.iter_mut().zip(outs.iter().flatten()) {
                    let l = self.outputs[o];
                    slot[run] = lit(&values, l);
                }
            }
            if runs == 2 && bits.iter().any(|b| b[0] != b[1]) {
                return Err("the netlist's output depends on a register".into());
            }
            for k in 0..chunk.len() {
                let mut slots = bits.iter();
                let row = outs
                    .iter()
                    .map(|port| {
                        (0..port.len()).fold(0u128, |v, bit| {
                            let word = slots.next().map_or(0, |b| b[0]);
                            v | (((word >> k) & 1) as u128) << bit
                        })
                    })
                    .collect();
                result.push(row);
            }
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::Aig;

    #[test]
    fn an_output_that_reads_a_register_is_refused() {
        // y = a AND latch (the latch keeps its own value); b unused.
        let text = "aag 4 2 1 1 1\n2\n4\n6 6\n8\n8 2 6\ni0 a\ni1 b\nl0 q\no0 y\n";
        let aig = Aig::parse(text).unwrap();
        assert_eq!(aig.latch_count(), 1);
        let e = aig.eval_pairs(&[(1, 0)], 1, 1, [0, !0]).unwrap_err();
        assert!(e.contains("register"), "{e}");
        // Read as the same constant twice, it evaluates (the caller's choice).
        assert_eq!(aig.eval_pairs(&[(1, 0)], 1, 1, [!0, !0]).unwrap(), vec![1]);
    }

    #[test]
    fn malformed_graphs_are_errors() {
        for (text, want) in [
            ("", "header"),
            ("aig 1 1 0 1 0\n2\n2\n", "header"),
            ("aag 2 1 0 1 1\n2\n4\n4 2 6\n", "before it is defined"),
            ("aag 1 1 0 1 0\n2\n6\n", "not defined"),
            ("aag 1 1 0 1 0\n3\n2\n", "bad input"),
        ] {
            let e = Aig::parse(text).unwrap_err();
            assert!(e.contains(want), "{text:?}: {e}");
        }
        let aig = Aig::parse("aag 1 1 0 1 0\n2\n2\ni0 x\no0 y\n").unwrap();
        let e = aig.eval_pairs(&[(0, 0)], 1, 1, [0, 0]).unwrap_err();
        assert!(e.contains("port 'a'"), "{e}");
        // A header that claims more than the file holds sizes nothing.
        let e = Aig::parse("aag 4000000000 1 0 1 0\n2\n2\n").unwrap_err();
        assert!(e.contains("more than the file"), "{e}");
        // Symbols naming ports the file does not have are not followed.
        let aig = Aig::parse("aag 2 2 0 1 0\n2\n4\n2\ni0 a\ni7 b\no3 y\n").unwrap();
        let e = aig.eval_pairs(&[(0, 0)], 1, 1, [0, 0]).unwrap_err();
        assert!(e.contains("port 'b'"), "{e}");
        let wide = [("a", 129)];
        let e = aig
            .eval(&wide, &[("y", 1)], &[[0u128]], [0, 0])
            .unwrap_err();
        assert!(e.contains("at most 128"), "{e}");
    }
}
