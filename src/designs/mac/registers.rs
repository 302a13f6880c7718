//! Registers for the sequential units, written into the single module.
//!
//! rust-hdl builds registers from `DFF` blocks, each its own Verilog
//! module, and the project keeps one module per file (Verilator's
//! `DECLFILENAME` rule; a user drops one file into a project). A
//! sequential design is therefore written in rust-hdl as its next-state
//! logic only: every register `x` is an input port `x_q` (its value this
//! cycle) and an output port `x_d` (its value after the next rising edge
//! of `clk`). This pass turns each such pair into a register inside the
//! module: both ports become `reg` signals, `clk` becomes the first port,
//! and one `always @(posedge clk)` block assigns `x_q <= x_d`. Reset,
//! enables and holds are all in the next-state logic, so the block has no
//! conditions and the logic is exactly what rust-hdl wrote.

use crate::designs::GenError;

/// The names `x` of the register pairs `x_q` (input) and `x_d` (output)
/// among the module's ports, in declaration order.
fn pairs(inputs: &[String], outputs: &[String]) -> Vec<String> {
    inputs
        .iter()
        .filter_map(|i| i.strip_suffix("_q"))
        .filter(|x| outputs.iter().any(|o| o == &format!("{x}_d")))
        .map(str::to_string)
        .collect()
}

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

/// Turns the `x_q`/`x_d` port pairs of module `module` into registers
/// clocked by a new first port `clk` (see the module docs).
pub fn registers(text: &str, module: &str) -> Result<String, GenError> {
    let fail = |reason: String| GenError::Check {
        module: module.to_string(),
        reason,
    };
    let lines: Vec<&str> = text.lines().collect();
    let ports: Vec<(&str, String)> = lines.iter().filter_map(|l| port_name(l)).collect();
    let names = |k: &str| -> Vec<String> {
        ports
            .iter()
            .filter(|p| p.0 == k)
            .map(|p| p.1.clone())
            .collect()
    };
    let regs = pairs(&names("input"), &names("output"));
    if regs.is_empty() {
        return Err(fail("no register pairs x_q, x_d among the ports".into()));
    }
    let is_reg_port = |n: &str| {
        regs.iter()
            .any(|x| n == format!("{x}_q") || n == format!("{x}_d"))
    };
    let mut out = Vec::with_capacity(lines.len() + regs.len() + 8);
    let mut header_seen = false;
    for line in &lines {
        let t = line.trim();
        if !header_seen && t.starts_with(&format!("module {module}(")) {
            let inner = t
                .strip_prefix(&format!("module {module}("))
                .and_then(|r| r.strip_suffix(");"))
                .ok_or_else(|| fail(format!("unexpected module line `{t}`")))?;
            let mut kept = vec!["clk".to_string()];
            kept.extend(
                inner
                    .split(',')
                    .filter(|p| !is_reg_port(p))
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
            if is_reg_port(&name) {
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
            out.push("    // Registers: every x_q takes x_d at the rising edge of clk.".into());
            out.push("    always @(posedge clk) begin".into());
            for x in &regs {
                out.push(format!("        {x}_q <= {x}_d;"));
            }
            out.push("    end".into());
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
    fn port_pairs_become_clocked_registers() {
        let text = "module m(a,n_q,y,n_d);\n\n    // Module arguments\n    input wire  [3:0] a;\n    input wire  [3:0] n_q;\n    output reg  [3:0] y;\n    output reg  [3:0] n_d;\n\n    always @(*) begin\n        n_d = n_q + a;\n        y = n_q;\n    end\n\nendmodule\n";
        let v = registers(text, "m").unwrap();
        assert!(v.starts_with("module m(clk,a,y);"), "{v}");
        assert!(v.contains("    input wire  clk;"), "{v}");
        assert!(v.contains("    reg  [3:0] n_q;") && v.contains("    reg  [3:0] n_d;"));
        assert!(
            v.contains("always @(posedge clk) begin\n        n_q <= n_d;\n    end\n\nendmodule")
                || v.contains("        n_q <= n_d;\n    end\nendmodule"),
            "{v}"
        );
        assert!(registers("module m(a,y);\nendmodule\n", "m").is_err());
    }
}
