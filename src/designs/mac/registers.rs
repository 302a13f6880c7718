//! Registers and memories for the sequential units, written into the
//! single module.
//!
//! rust-hdl builds registers from `DFF` blocks and memories from `RAM`
//! blocks, each its own Verilog module, and the project keeps one module
//! per file (Verilator's `DECLFILENAME` rule; a user drops one file into a
//! project). A sequential design is therefore written in rust-hdl as its
//! next-state logic, with two conventions this pass turns into storage:
//!
//! * **a register** `x` is a signal pair `x_q` (its value this cycle) and
//!   `x_d` (its value after the next rising edge of `clk`): either input
//!   and output ports of the top, or a sub-block's ports that the parent
//!   ties, `x_q.next = x_d.val()` (the tie is removed). Each becomes
//!   `x_q <= x_d` in one `always @(posedge clk)` block, and `clk` the
//!   first port. Reset, enables and holds are in the next-state logic, so
//!   the block has no conditions;
//! * **a bank** `b` is a sub-block's ports `b_raddr`, `b_waddr`, `b_wdata`
//!   (outputs) and `b_rdata` (input), tied by the parent as `b_rdata.next
//!   = b_wdata.val()` (the tie is removed): it becomes a memory of
//!   `2^(address bits)` words, written every cycle at `b_waddr`, whose read
//!   data `b_rdata` is the word at the `b_raddr` of the last edge (before
//!   that edge's write), marked `ram_style = "block"` so that synthesis
//!   puts it in block RAM on every family (counted beside the LUTs).
//!
//! The logic is otherwise exactly what rust-hdl wrote.

use crate::designs::verilog::widths;
use crate::designs::GenError;

/// The declared name of a port line (`input wire  [7:0] a_q;` -> `a_q`).
fn port_name(line: &str) -> Option<(&'static str, String)> {
    let t = line.trim();
    let kind = if t.starts_with("input ") {
        "input"
    } else if t.starts_with("output ") {
        "output"
    } else {
        return None;
    };
    let name = t.strip_suffix(';')?.split_whitespace().last()?.to_string();
    Some((kind, name))
}

/// `lhs` and `rhs` of a statement line `lhs = rhs;` of plain names.
fn tie(line: &str) -> Option<(&str, &str)> {
    let (l, r) = line.trim().strip_suffix(';')?.split_once(" = ")?;
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (plain(l) && plain(r)).then_some((l, r))
}

/// A register tie `x_q = x_d;`: `x`.
fn register_tie(line: &str) -> Option<String> {
    let (l, r) = tie(line)?;
    let x = l.strip_suffix("_q")?;
    (r.strip_suffix("_d")? == x).then(|| x.to_string())
}

/// A bank tie `b_rdata = b_wdata;`: `b`.
fn bank_tie(line: &str) -> Option<String> {
    let (l, r) = tie(line)?;
    let b = l.strip_suffix("_rdata")?;
    (r.strip_suffix("_wdata")? == b).then(|| b.to_string())
}

/// Turns the registers and banks of module `module` (see the module docs)
/// into storage clocked by a new first port `clk`.
pub fn registers(text: &str, module: &str) -> Result<String, GenError> {
    let fail = |reason: String| GenError::Check {
        module: module.to_string(),
        reason,
    };
    let lines: Vec<&str> = text.lines().collect();
    let ports: Vec<(&str, String)> = lines.iter().filter_map(|l| port_name(l)).collect();
    let has = |k: &str, n: &str| ports.iter().any(|p| p.0 == k && p.1 == n);
    // Top-level pairs, in declaration order, then tied pairs and banks.
    let mut regs: Vec<String> = ports
        .iter()
        .filter(|p| p.0 == "input")
        .filter_map(|p| p.1.strip_suffix("_q"))
        .filter(|x| has("output", &format!("{x}_d")))
        .map(str::to_string)
        .collect();
    let port_regs = regs.clone();
    regs.extend(lines.iter().filter_map(|l| register_tie(l)));
    let banks: Vec<String> = lines.iter().filter_map(|l| bank_tie(l)).collect();
    if regs.is_empty() && banks.is_empty() {
        return Err(fail("no registers (x_q, x_d) and no banks".into()));
    }
    let w = widths(text);
    let width = |n: &str| -> Result<usize, GenError> {
        w.get(n)
            .copied()
            .ok_or_else(|| fail(format!("no declared width for {n}")))
    };
    let is_port_reg = |n: &str| {
        port_regs
            .iter()
            .any(|x| n == format!("{x}_q") || n == format!("{x}_d"))
    };
    let mut out = Vec::with_capacity(lines.len() + regs.len() + 8);
    let mut header_seen = false;
    for line in &lines {
        let t = line.trim();
        if register_tie(line).is_some() || bank_tie(line).is_some() {
            continue;
        }
        if !header_seen && t.starts_with(&format!("module {module}(")) {
            let inner = t
                .strip_prefix(&format!("module {module}("))
                .and_then(|r| r.strip_suffix(");"))
                .ok_or_else(|| fail(format!("unexpected module line `{t}`")))?;
            let mut kept = vec!["clk".to_string()];
            kept.extend(
                inner
                    .split(',')
                    .filter(|p| !is_port_reg(p))
                    .map(str::to_string),
            );
            out.push(format!("module {module}({});", kept.join(",")));
            header_seen = true;
            continue;
        }
        if t == "// Module arguments" {
            out.push(line.to_string());
            out.push("    input wire  clk;".to_string());
            continue;
        }
        if let Some((_, name)) = port_name(line) {
            if is_port_reg(&name) {
                // `input wire  [7:0] x_q;` / `output reg  [7:0] x_d;` -> `reg  [7:0] x_q;`
                let rest = t
                    .trim_start_matches("input wire")
                    .trim_start_matches("output reg")
                    .trim_start_matches("output wire");
                out.push(format!("    reg{rest}"));
                continue;
            }
        }
        if t.starts_with("endmodule") {
            if out.last().is_some_and(|l: &String| !l.trim().is_empty()) {
                out.push(String::new());
            }
            for b in &banks {
                let (a, d) = (width(&format!("{b}_raddr"))?, width(&format!("{b}_wdata"))?);
                out.push(format!(
                    "    // Bank {b}: {} words of {d} bits, written every cycle, read at the edge.",
                    1usize << a
                ));
                // Block RAM on every family (a LUT-RAM bank would take LUT
                // sites that the tables could not count as plain LUTs).
                out.push(format!(
                    "    (* ram_style = \"block\" *) reg  [{}:0] {b} [0:{}];",
                    d - 1,
                    (1usize << a) - 1
                ));
                out.push("    always @(posedge clk) begin".into());
                out.push(format!("        {b}[{b}_waddr] <= {b}_wdata;"));
                out.push(format!("        {b}_rdata <= {b}[{b}_raddr];"));
                out.push("    end".into());
                out.push(String::new());
            }
            if !regs.is_empty() {
                out.push("    // Registers: every x_q takes x_d at the rising edge of clk.".into());
                out.push("    always @(posedge clk) begin".into());
                for x in &regs {
                    out.push(format!("        {x}_q <= {x}_d;"));
                }
                out.push("    end".into());
            }
        }
        out.push(line.to_string());
    }
    if !header_seen {
        return Err(fail(format!("no `module {module}(` line")));
    }
    let mut s = out.join("\n");
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_pairs_ties_and_banks_become_storage() {
        let text = "module m(a,n_q,y,n_d);\n\n    // Module arguments\n    input wire  [3:0] a;\n    input wire  [3:0] n_q;\n    output reg  [3:0] y;\n    output reg  [3:0] n_d;\n    reg  [1:0] s__c_q;\n    reg  [1:0] s__c_d;\n    reg  [2:0] s__b_raddr;\n    reg  [2:0] s__b_waddr;\n    reg  [3:0] s__b_wdata;\n    reg  [3:0] s__b_rdata;\n\n    always @(*) begin\n        s__c_q = s__c_d;\n        s__b_rdata = s__b_wdata;\n        n_d = n_q + a;\n        y = n_q;\n    end\n\nendmodule\n";
        let v = registers(text, "m").unwrap();
        assert!(v.starts_with("module m(clk,a,y);"), "{v}");
        assert!(v.contains("    input wire  clk;"), "{v}");
        assert!(v.contains("    reg  [3:0] n_q;") && v.contains("    reg  [3:0] n_d;"));
        assert!(!v.contains("s__c_q = s__c_d;") && !v.contains("s__b_rdata = s__b_wdata;"));
        assert!(
            v.contains("        n_q <= n_d;\n        s__c_q <= s__c_d;\n    end"),
            "{v}"
        );
        assert!(v.contains("reg  [3:0] s__b [0:7];"), "{v}");
        assert!(v.contains(
            "        s__b[s__b_waddr] <= s__b_wdata;\n        s__b_rdata <= s__b[s__b_raddr];"
        ));
        assert!(registers("module m(a,y);\nendmodule\n", "m").is_err());
    }
}
