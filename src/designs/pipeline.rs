//! Pipelined variants: registers between datapath steps.
//!
//! rust-hdl builds registers from `DFF` blocks, and every block becomes a
//! Verilog submodule; a second module in the same file breaks Verilator's
//! `DECLFILENAME` rule, and the combinational designs are kept to one
//! module each. So the generator inserts the registers itself, into the
//! single `always @(*)` block that rust-hdl produced:
//!
//! 1. the block is split into its top-level statements;
//! 2. each design names the signals that end its datapath steps
//!    ([`Hardware::stages`](super::Hardware)); a depth of N picks N of those
//!    step ends, evenly spread, as stage boundaries;
//! 3. every signal (inputs included) that is read in a later stage than the
//!    one that writes it is read through a chain of registers, one per
//!    boundary crossed, named `<signal>_s<k>` for its copy in stage k;
//! 4. the module becomes `<name>_p<N>` with an extra input `clk`.
//!
//! Every path from `a`, `b` to `y` therefore crosses exactly N registers:
//! `y` appears N cycles after its operands.

use std::collections::{BTreeSet, HashMap};

use super::verilog::widths;
use super::GenError;

/// One top-level statement of the combinational block.
#[derive(Default)]
pub(super) struct Statement {
    pub(super) lines: Vec<String>,
    pub(super) writes: BTreeSet<String>,
}

impl Statement {
    /// Appends a line of the statement, noting the signal it assigns.
    pub(super) fn push(&mut self, line: &str) {
        if let Some(lhs) = assigned(line) {
            self.writes.insert(lhs.to_string());
        }
        self.lines.push(line.to_string());
    }
}

/// True when a line of an `always @(*)` block begins a new top-level
/// statement (rust-hdl indents those by 8 spaces; `end` and `else` lines
/// continue the one before).
pub(super) fn starts_statement(line: &str) -> bool {
    let top = line.starts_with("        ") && !line.starts_with("         ");
    let body = line.trim();
    top && !(body.starts_with("end") || body.starts_with("else"))
}

/// Splits rust-hdl's module text around its `always @(*)` block.
fn split(text: &str) -> Option<(Vec<String>, Vec<Statement>, Vec<String>)> {
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let start = lines.iter().position(|l| l.trim() == "always @(*) begin")?;
    let end = start + 1 + lines[start + 1..].iter().position(|l| l == "    end")?;
    let mut statements: Vec<Statement> = Vec::new();
    for line in &lines[start + 1..end] {
        if starts_statement(line) || statements.is_empty() {
            statements.push(Statement::default());
        }
        statements.last_mut()?.push(line);
    }
    Some((lines[..=start].to_vec(), statements, lines[end..].to_vec()))
}

/// The signal a line assigns (`name = ...;`), if any.
pub(super) fn assigned(line: &str) -> Option<&str> {
    let t = line.trim_start();
    let (lhs, _) = t.split_once(" = ")?;
    lhs.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then_some(lhs)
}

/// Identifier tokens of `s` with their byte ranges; sized literals such
/// as `32'h7` or `5'b10000` are skipped whole.
fn identifiers(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            // a number, possibly sized: 32'h7f
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'\'' || b[i] == b'_') {
                i += 1;
            }
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Rewrites the identifiers of `s` through `rename`.
pub(super) fn rename_in(s: &str, rename: &mut impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (a, b) in identifiers(s) {
        out.push_str(&s[last..a]);
        match rename(&s[a..b]) {
            Some(new) => out.push_str(&new),
            None => out.push_str(&s[a..b]),
        }
        last = b;
    }
    out.push_str(&s[last..]);
    out
}

/// N of the K step ends, evenly spread.
pub(super) fn pick(k: usize, n: usize) -> Vec<usize> {
    (0..n).map(|i| (i + 1) * (k + 1) / (n + 1) - 1).collect()
}

/// Turns the combinational module `name` into `<name>_p<depth>`.
pub fn pipeline(text: &str, name: &str, stages: &[&str], depth: usize) -> Result<String, GenError> {
    let fail = |reason: String| GenError::Pipeline {
        module: name.to_string(),
        reason,
    };
    if depth > stages.len() {
        return Err(fail(format!(
            "pipeline depth {depth} is above the maximum of {}",
            stages.len()
        )));
    }
    let (head, statements, tail) =
        split(text).ok_or_else(|| fail("no always @(*) block".into()))?;
    let widths = widths(text);
    // Statement index after which each chosen boundary falls.
    let mut bounds = Vec::new();
    for &i in &pick(stages.len(), depth) {
        let last = statements
            .iter()
            .rposition(|s| s.writes.contains(stages[i]))
            .ok_or_else(|| fail(format!("step signal '{}' is never assigned", stages[i])))?;
        bounds.push(last + 1);
    }
    let stage_of = |index: usize| bounds.iter().filter(|&&b| b <= index).count();
    // Stage in which each signal is written (inputs: stage 0).
    let mut written: HashMap<String, usize> = HashMap::new();
    for (i, s) in statements.iter().enumerate() {
        for w in &s.writes {
            written.insert(w.clone(), stage_of(i));
        }
    }
    let mut registers: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut body = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let here = stage_of(i);
        let mut rename = |id: &str| -> Option<String> {
            let from = if written.contains_key(id) {
                written[id]
            } else if widths.contains_key(id) && !is_constant(text, id) {
                0 // a module input
            } else {
                return None;
            };
            if from >= here {
                return None;
            }
            for k in from + 1..=here {
                registers.insert((k, id.to_string()));
            }
            Some(format!("{id}_s{here}"))
        };
        for line in &s.lines {
            let rewritten = match line.split_once(" = ") {
                Some((lhs, rhs)) if assigned(line).is_some() => {
                    format!("{lhs} = {}", rename_in(rhs, &mut rename))
                }
                _ => rename_in(line, &mut rename),
            };
            body.push(rewritten);
        }
    }
    Ok(assemble(
        name, depth, &head, &body, &tail, &registers, &widths,
    ))
}

/// True when `id` is a `localparam` of the module.
fn is_constant(text: &str, id: &str) -> bool {
    text.lines()
        .any(|l| l.trim_start().starts_with(&format!("localparam  {id} ")))
}

fn decl(width: usize, name: &str) -> String {
    if width == 1 {
        format!("    reg  {name};")
    } else {
        format!("    reg  [{}:0] {name};", width - 1)
    }
}

fn assemble(
    name: &str,
    depth: usize,
    head: &[String],
    body: &[String],
    tail: &[String],
    registers: &BTreeSet<(usize, String)>,
    widths: &HashMap<String, usize>,
) -> String {
    let module = format!("{name}_p{depth}");
    let mut out = Vec::new();
    for line in head {
        if let Some(args) = line.strip_prefix(&format!("module {name}(")) {
            out.push(format!("module {module}(clk,{args}"));
        } else if line.trim() == "// Module arguments" {
            out.push(line.clone());
            out.push("    input wire  clk;".to_string());
        } else if line.trim() == "// Update code" {
            out.push(
                "    // Pipeline registers: <signal>_s<k> is the copy of <signal> in stage k"
                    .into(),
            );
            for (k, id) in registers {
                out.push(decl(widths[id], &format!("{id}_s{k}")));
            }
            out.push(String::new());
            out.push(line.clone());
        } else {
            out.push(line.clone());
        }
    }
    out.extend(body.iter().cloned());
    let mut tail = tail.to_vec();
    // tail[0] closes the always block; the registers follow it.
    let close = tail.remove(0);
    out.push(close);
    out.push(String::new());
    out.push("    always @(posedge clk) begin".to_string());
    for (k, id) in registers {
        // The first register of a chain reads the signal itself.
        let src = if registers.contains(&(k - 1, id.clone())) {
            format!("{id}_s{}", k - 1)
        } else {
            id.clone()
        };
        out.push(format!("        {id}_s{k} <= {src};"));
    }
    out.push("    end".to_string());
    for line in tail {
        if line.trim() == format!("endmodule // {name}") {
            out.push(format!("endmodule // {module}"));
        } else {
            out.push(line);
        }
    }
    format!("{}\n", out.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_spread_step_ends() {
        assert_eq!(pick(3, 1), vec![1]);
        assert_eq!(pick(3, 3), vec![0, 1, 2]);
        assert_eq!(pick(4, 2), vec![0, 2]);
        assert_eq!(pick(4, 3), vec![0, 1, 2]);
    }

    #[test]
    fn literals_are_not_identifiers() {
        let s = "x = a[32'h7] ^ b5 & 5'b10000;";
        let ids: Vec<&str> = identifiers(s).iter().map(|&(a, b)| &s[a..b]).collect();
        assert_eq!(ids, vec!["x", "a", "b5"]);
    }
}
