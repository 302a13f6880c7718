//! Inlining rust-hdl's submodules, so that a design with sub-blocks is
//! still one module in one file (Verilator's `-Wall` DECLFILENAME rule asks
//! for one module per file, and a user drops one file into a project).
//!
//! rust-hdl writes one module per sub-block instance, named with `$`
//! (`dot_rf8_n8$lanes$0$mul`), and connects instance `inst`'s port `p` to
//! a parent signal named `inst$p` that the parent declares as a `reg`
//! (input) or `wire` (output). Inlining instance `inst` of module `M`:
//! every name `M` declares (ports, constants, signals) becomes `inst$name`,
//! so its ports *are* the parent's stub signals; `M`'s declarations other
//! than ports join the parent's; its `always @(*)` block follows the
//! parent's; and the parent's `wire` for an output becomes a `reg`, as the
//! inlined block now assigns it. Every `$` then becomes `__`. The logic is
//! unchanged: the same assignments to the same (renamed) signals.

use std::collections::{HashMap, HashSet};

/// One rust-hdl module, split into the sections rust-hdl writes.
#[derive(Clone, Debug, Default)]
struct Module {
    name: String,
    /// The `module name(...);` line.
    header: String,
    /// `input`/`output` declarations: (name, full line).
    ports: Vec<(String, String)>,
    /// Other declarations (constants, stub and local signals), full lines.
    decls: Vec<String>,
    /// Sub-module instances: (module, instance name).
    instances: Vec<(String, String)>,
    /// The `always` blocks, each as its lines.
    blocks: Vec<Vec<String>>,
}

/// Why a text could not be inlined (rust-hdl wrote something unexpected).
fn unexpected(what: &str, line: &str) -> String {
    format!("inline: unexpected {what}: `{}`", line.trim())
}

/// The declared name of a declaration line (`reg [7:0] x;` -> `x`,
/// `localparam k = 4'h3;` -> `k`).
fn declared(line: &str) -> Option<String> {
    let decl = line.trim().strip_suffix(';')?;
    let words: Vec<&str> = decl.split_whitespace().collect();
    match words.first()? {
        &"localparam" => words.get(1).map(|s| s.to_string()),
        &"reg" | &"wire" | &"input" | &"output" => words.last().map(|s| s.to_string()),
        _ => None,
    }
}

fn parse_module(lines: &[&str]) -> Result<Module, String> {
    let header = lines[0].to_string();
    let name = header
        .strip_prefix("module ")
        .and_then(|r| r.split('(').next())
        .ok_or_else(|| unexpected("module line", &header))?
        .to_string();
    let mut m = Module {
        name,
        header,
        ..Module::default()
    };
    let mut i = 1;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t.starts_with("always @(*) begin") {
            let start = i;
            let mut depth = 0i32;
            loop {
                let l = lines
                    .get(i)
                    .ok_or_else(|| unexpected("end of block", line))?;
                let words = l.split(|c: char| !c.is_ascii_alphanumeric() && c != '_');
                for w in words {
                    depth += i32::from(w == "begin") - i32::from(w == "end");
                }
                i += 1;
                if depth == 0 {
                    break;
                }
            }
            m.blocks
                .push(lines[start..i].iter().map(|s| s.to_string()).collect());
            continue;
        }
        if t.starts_with("input ") || t.starts_with("output ") {
            let n = declared(t).ok_or_else(|| unexpected("port", line))?;
            m.ports.push((n, line.to_string()));
        } else if declared(t).is_some() {
            m.decls.push(line.to_string());
        } else if t.ends_with('(') && t.split_whitespace().count() == 2 {
            // `child inst(` ... `);`
            let mut words = t.trim_end_matches('(').split_whitespace();
            let (module, inst) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
            m.instances.push((module.to_string(), inst.to_string()));
            while lines.get(i).is_none_or(|l| l.trim() != ");") {
                i += 1;
                if i >= lines.len() {
                    return Err(unexpected("instance", line));
                }
            }
        } else if !t.is_empty() && !t.starts_with("//") && !t.starts_with("endmodule") {
            return Err(unexpected("line", line));
        }
        i += 1;
    }
    Ok(m)
}

/// Renames every identifier of `line` in `names` to `prefix$name`; the
/// base and digits of sized literals (`36'hff`) are left alone.
fn rename(line: &str, names: &HashSet<String>, prefix: &str) -> String {
    let mut out = String::with_capacity(line.len() + 16);
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts = c.is_ascii_alphabetic() || c == '_';
        let after_tick = i > 0 && chars[i - 1] == '\'';
        let after_word = i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '$');
        if starts && !after_tick && !after_word {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if names.contains(&word) {
                out.push_str(prefix);
                out.push('$');
            }
            out.push_str(&word);
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Inlines every instance of `m` (recursively) from `all`.
fn flatten(m: &Module, all: &HashMap<String, Module>) -> Result<Module, String> {
    let mut out = Module {
        instances: Vec::new(),
        ..m.clone()
    };
    for (child_name, inst) in &m.instances {
        let child = all
            .get(child_name)
            .ok_or_else(|| format!("inline: module {child_name} is not in the text"))?;
        let child = flatten(child, all)?;
        let mut names: HashSet<String> = child.ports.iter().map(|(n, _)| n.clone()).collect();
        names.extend(child.decls.iter().filter_map(|d| declared(d)));
        for (port, line) in &child.ports {
            let stub = format!("{inst}${port}");
            let pos = out
                .decls
                .iter()
                .position(|d| declared(d).as_deref() == Some(stub.as_str()))
                .ok_or_else(|| format!("inline: {} has no signal {stub}", m.name))?;
            if line.trim_start().starts_with("output") {
                out.decls[pos] = out.decls[pos].replacen("wire ", "reg ", 1);
            }
        }
        out.decls
            .extend(child.decls.iter().map(|d| rename(d, &names, inst)));
        out.blocks.extend(
            child
                .blocks
                .iter()
                .map(|b| b.iter().map(|l| rename(l, &names, inst)).collect()),
        );
    }
    Ok(out)
}

/// The text of a flattened module.
fn render(m: &Module) -> String {
    let mut s = format!("{}\n\n    // Module arguments\n", m.header);
    for (_, line) in &m.ports {
        s += line;
        s.push('\n');
    }
    s += "\n    // Signals (a sub-block's names start with its instance path)\n";
    for d in &m.decls {
        s += d;
        s.push('\n');
    }
    for b in &m.blocks {
        s.push('\n');
        for l in b {
            s += l;
            s.push('\n');
        }
    }
    s += &format!("\nendmodule // {}\n", m.name);
    s
}

/// rust-hdl's text of a design with sub-blocks, as one module: the first
/// module of `text` with every instance inlined, `$` written `__`. A text
/// of one module is returned as it is.
pub fn inline(text: &str) -> Result<String, String> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("module "))
        .collect();
    if starts.len() < 2 {
        return Ok(text.to_string());
    }
    let mut modules = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        modules.push(parse_module(&lines[s..end])?);
    }
    let top = modules[0].clone();
    let all: HashMap<String, Module> = modules.into_iter().map(|m| (m.name.clone(), m)).collect();
    Ok(dollars(&render(&flatten(&top, &all)?)))
}

/// `$` inside a name becomes `__` (`$signed` stays).
fn dollars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev = ' ';
    for c in text.chars() {
        if c == '$' && (prev.is_ascii_alphanumeric() || prev == '_') {
            out.push_str("__");
        } else {
            out.push(c);
        }
        prev = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_names_but_not_literal_digits() {
        let names: HashSet<String> = ["a", "hff", "y"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            rename("        y = a + 8'hff + ya;", &names, "l$0"),
            "        l$0$y = l$0$a + 8'hff + ya;"
        );
    }

    #[test]
    fn an_unknown_instance_is_an_error() {
        let text = "module t(a);\n    input wire a;\n    reg  s$a;\n    child s(\n        .a(s$a)\n    );\nendmodule\nmodule other(a);\n    input wire a;\nendmodule\n";
        assert!(inline(text).unwrap_err().contains("child"));
    }
}
