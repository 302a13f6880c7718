//! Pipelined dot-product units: registers at cuts through the dataflow.
//!
//! A unit, once its sub-blocks are inlined (`inline.rs`), is one module
//! with many `always @(*)` blocks whose order says nothing about the
//! dataflow, so the multipliers' pass (`pipeline.rs`, which cuts one block
//! at statement positions) does not apply. Here a *cut* is a set of
//! signals (every lane's product, say): a statement that reads a signal of
//! a chosen cut runs one stage after the statement that wrote it. So:
//!
//! 1. every top-level statement of every block gets a stage: the largest,
//!    over the signals it reads, of the writer's stage (plus one for a
//!    signal of a chosen cut); the statements that drive the outputs are
//!    put in the last stage, N;
//! 2. a statement in stage t that reads a signal written in stage u < t
//!    reads `<signal>_s<t>` instead, the end of a chain of registers
//!    `<signal>_s<u+1>` .. `<signal>_s<t>` (inputs are written in stage 0);
//! 3. the module becomes `<name>_p<N>` with an extra input `clk`.
//!
//! Every path from an input to an output therefore crosses exactly N
//! registers (the stage differences along it add up to N): the outputs
//! appear N cycles after their inputs. A depth of N picks N of the unit's
//! cuts, spread as the multipliers' step ends are.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::pipeline::{assigned, pick, rename_in, starts_statement, Statement};
use super::verilog::widths;
use super::GenError;

/// A line outside the combinational statements, or one statement.
enum Part {
    Text(String),
    Statement(Statement),
}

/// The module text as lines and the top-level statements of its
/// `always @(*)` blocks.
fn parts(text: &str) -> Vec<Part> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if !inside {
            inside = line.trim() == "always @(*) begin";
            out.push(Part::Text(line.to_string()));
            continue;
        }
        if line == "    end" {
            inside = false;
            out.push(Part::Text(line.to_string()));
            continue;
        }
        let open = matches!(out.last(), Some(Part::Statement(_)));
        if starts_statement(line) || !open {
            out.push(Part::Statement(Statement::default()));
        }
        if let Some(Part::Statement(st)) = out.last_mut() {
            st.push(line);
        }
    }
    out
}

/// The signals a statement reads: identifiers outside its left-hand sides
/// that are declared signals of the module (not constants).
fn reads(st: &Statement, signals: &HashSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in &st.lines {
        let rhs = match line.split_once(" = ") {
            Some((_, rhs)) if assigned(line).is_some() => rhs,
            _ => line.as_str(),
        };
        rename_in(rhs, &mut |id: &str| {
            if signals.contains(id) && !st.writes.contains(id) {
                out.insert(id.to_string());
            }
            None
        });
    }
    out
}

/// The declaration of `id` (its `reg`/`wire` keyword, signedness and
/// range), for a register copy named `copy`.
fn declare_copy(text: &str, id: &str, copy: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let decl = l.trim().strip_suffix(';')?;
        let (kind, name) = decl.rsplit_once(' ')?;
        let kind = kind.trim();
        let kind = kind
            .strip_prefix("input wire")
            .or_else(|| kind.strip_prefix("output reg"))
            .or_else(|| kind.strip_prefix("reg"))
            .or_else(|| kind.strip_prefix("wire"))?;
        let kind = kind.trim();
        let space = if kind.is_empty() { "" } else { " " };
        (name == id).then(|| format!("    reg {kind}{space}{copy};"))
    })
}

/// Turns the combinational unit `name` into `<name>_p<depth>`, registers
/// at `depth` of `cuts` (each a set of signal names, in dataflow order);
/// `outputs` are the module's outputs.
pub fn pipeline_cuts(
    text: &str,
    name: &str,
    cuts: &[Vec<String>],
    depth: usize,
    outputs: &[&str],
) -> Result<String, GenError> {
    let fail = |reason: String| GenError::Pipeline {
        module: name.to_string(),
        reason,
    };
    if depth > cuts.len() {
        return Err(fail(format!(
            "pipeline depth {depth} is above the maximum of {}",
            cuts.len()
        )));
    }
    let markers: HashSet<&str> = pick(cuts.len(), depth)
        .into_iter()
        .flat_map(|i| cuts[i].iter().map(String::as_str))
        .collect();
    let widths = widths(text);
    let constants: HashSet<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("localparam"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let signals: HashSet<String> = widths
        .keys()
        .filter(|k| !constants.contains(k.as_str()))
        .cloned()
        .collect();
    let mut parts = parts(text);
    let statements: Vec<&Statement> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Statement(s) => Some(s),
            Part::Text(_) => None,
        })
        .collect();
    // A signal may be written by several statements of one block (a
    // default, then a condition): they share a stage.
    let mut writer: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in statements.iter().enumerate() {
        for w in &s.writes {
            writer.entry(w.as_str()).or_default().push(i);
        }
    }
    let read: Vec<BTreeSet<String>> = statements.iter().map(|s| reads(s, &signals)).collect();
    let drives_output: Vec<bool> = statements
        .iter()
        .map(|s| outputs.iter().any(|o| s.writes.contains(*o)))
        .collect();
    // Stages by relaxation: the dataflow is acyclic, so it settles within
    // one pass per statement.
    let mut stage = vec![0usize; statements.len()];
    let signal_stage = |stage: &[usize], id: &str| {
        writer
            .get(id)
            .map_or(0, |ws| ws.iter().map(|&w| stage[w]).max().unwrap_or(0))
    };
    for round in 0..=statements.len() {
        let mut changed = false;
        for i in 0..statements.len() {
            let mut t = read[i]
                .iter()
                .map(|r| signal_stage(&stage, r) + usize::from(markers.contains(r.as_str())))
                .max()
                .unwrap_or(0);
            for w in &statements[i].writes {
                t = t.max(signal_stage(&stage, w));
            }
            if drives_output[i] {
                if t > depth {
                    return Err(fail(format!(
                        "a path crosses more than {depth} cuts before '{}'",
                        statements[i].writes.iter().next().map_or("", |s| s)
                    )));
                }
                t = depth;
            }
            if t != stage[i] {
                stage[i] = t;
                changed = true;
            }
        }
        if !changed {
            break;
        }
        if round == statements.len() {
            return Err(fail("the dataflow has a cycle".into()));
        }
    }
    // Rename the reads that cross stages; collect the register chains.
    let mut registers: BTreeSet<(usize, String)> = BTreeSet::new();
    let crossing: Vec<Vec<(String, usize)>> = read
        .iter()
        .enumerate()
        .map(|(i, rs)| {
            rs.iter()
                .filter_map(|r| {
                    let u = signal_stage(&stage, r);
                    (u < stage[i]).then(|| (r.clone(), u))
                })
                .collect()
        })
        .collect();
    let mut k = 0;
    for part in &mut parts {
        let Part::Statement(st) = part else { continue };
        let here = stage[k];
        let late: HashMap<&str, usize> =
            crossing[k].iter().map(|(r, u)| (r.as_str(), *u)).collect();
        for (r, u) in &crossing[k] {
            for s in u + 1..=here {
                registers.insert((s, r.clone()));
            }
        }
        let mut rename = |id: &str| late.contains_key(id).then(|| format!("{id}_s{here}"));
        for line in &mut st.lines {
            *line = match line.split_once(" = ") {
                Some((lhs, rhs)) if assigned(line).is_some() => {
                    format!("{lhs} = {}", rename_in(rhs, &mut rename))
                }
                _ => rename_in(line, &mut rename),
            };
        }
        k += 1;
    }
    assemble(text, name, depth, parts, &registers)
        .ok_or_else(|| fail("a register's declaration was not found".into()))
}

fn assemble(
    text: &str,
    name: &str,
    depth: usize,
    parts: Vec<Part>,
    registers: &BTreeSet<(usize, String)>,
) -> Option<String> {
    let module = format!("{name}_p{depth}");
    let mut out = Vec::new();
    let mut declared = false;
    for part in parts {
        let lines = match part {
            Part::Text(l) => vec![l],
            Part::Statement(s) => s.lines,
        };
        for line in lines {
            if let Some(args) = line.strip_prefix(&format!("module {name}(")) {
                out.push(format!("module {module}(clk,{args}"));
            } else if line.trim() == "// Module arguments" {
                out.push(line);
                out.push("    input wire  clk;".to_string());
            } else if line.trim() == "always @(*) begin" && !declared {
                declared = true;
                out.push(
                    "    // Pipeline registers: <signal>_s<k> is the copy of <signal> in stage k"
                        .into(),
                );
                for (k, id) in registers {
                    out.push(declare_copy(text, id, &format!("{id}_s{k}"))?);
                }
                out.push(String::new());
                out.push("    always @(posedge clk) begin".to_string());
                for (k, id) in registers {
                    let src = if registers.contains(&(k - 1, id.clone())) {
                        format!("{id}_s{}", k - 1)
                    } else {
                        id.clone()
                    };
                    out.push(format!("        {id}_s{k} <= {src};"));
                }
                out.push("    end".to_string());
                out.push(String::new());
                out.push(line);
            } else if line.trim() == format!("endmodule // {name}") {
                out.push(format!("endmodule // {module}"));
            } else {
                out.push(line);
            }
        }
    }
    Some(format!("{}\n", out.join("\n")))
}
