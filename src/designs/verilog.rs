//! From a rust-hdl design to lint-clean Verilog.
//!
//! rust-hdl names the top module `top`, and writes a width cast
//! (`bit_cast::<M, N>(x)`) as `((x) & M'hmask)`, which Verilator's
//! `-Wall` reports as a width mismatch whenever `x` is narrower or wider
//! than `M`. [`generate`] names the module after the design and rewrites
//! each such cast of a plain signal into an explicit zero-extension
//! (`{k'b0, x}`) or part-select (`x[M-1:0]`), using the declared width of
//! the signal. Nothing else in rust-hdl's output is changed.

use std::collections::HashMap;

use rust_hdl::core::check_error::check_all;
use rust_hdl::core::module_defines::ModuleDefines;
use rust_hdl::prelude::*;

use super::GenError;

/// Verilog text of design `T` as module `module`.
pub fn generate<T: Block + Default>(module: &str) -> Result<String, GenError> {
    let mut uut = T::default();
    uut.connect_all();
    check_all(&uut).map_err(|e| GenError::Check {
        module: module.to_string(),
        reason: format!("{e:?}"),
    })?;
    let mut defines = ModuleDefines::default();
    uut.accept(module, &mut defines);
    let one = super::inline::inline(&defines.defines()).map_err(|reason| GenError::Check {
        module: module.to_string(),
        reason,
    })?;
    Ok(tidy(&fix_sign_extension(&fix_casts(&one))))
}

/// Declared widths of every `[hi:0] name;` and 1-bit declaration.
pub fn widths(text: &str) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(decl) = line.strip_suffix(';') else {
            continue;
        };
        let words: Vec<&str> = decl.split_whitespace().collect();
        let kinds = ["reg", "wire", "input", "output", "localparam"];
        if words.is_empty() || !kinds.contains(&words[0]) {
            continue;
        }
        if words[0] == "localparam" {
            // localparam  name = 5'b10000
            if let (Some(name), Some(value)) = (words.get(1), words.get(3)) {
                if let Some((w, _)) = value.split_once('\'') {
                    if let Ok(w) = w.parse() {
                        map.insert(name.to_string(), w);
                    }
                }
            }
            continue;
        }
        let name = words[words.len() - 1].to_string();
        let width = words
            .iter()
            .find_map(|w| w.strip_prefix('[').and_then(|r| r.split_once(':')))
            .and_then(|(hi, _)| hi.parse::<usize>().ok())
            .map_or(1, |hi| hi + 1);
        map.insert(name, width);
    }
    map
}

/// Rewrites `((name) & W'hMASK)` into a zero-extension or a part-select.
fn fix_casts(text: &str) -> String {
    let widths = widths(text);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("((") {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        match parse_cast(tail) {
            Some((name, to, len)) if widths.contains_key(name) => {
                let from = widths[name];
                out.push_str(&cast(name, from, to));
                rest = &tail[len..];
            }
            _ => {
                out.push('(');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Parses `((name) & W'hMASK)` at the start of `s`: name, W, length.
/// rust-hdl writes `signed_bit_cast` to a wider signal as `x = $signed(y);`,
/// which Verilog sign-extends but Verilator's `-Wall` reports as a width
/// mismatch. The extension is written out instead, `x = {{k{y[n-1]}}, y};`
/// (the same value), which also lets synthesis see the copies of the sign
/// bit for what they are.
fn fix_sign_extension(text: &str) -> String {
    let widths = widths(text);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let parsed = trimmed
            .strip_suffix(");")
            .and_then(|l| l.split_once(" = $signed("))
            .filter(|(x, y)| widths.contains_key(*x) && widths.contains_key(*y));
        match parsed {
            Some((x, y)) if widths[x] > widths[y] => {
                let (to, from) = (widths[x], widths[y]);
                out += &format!(
                    "{indent}{x} = {{{{{}{{{y}[{}]}}}}, {y}}};\n",
                    to - from,
                    from - 1
                );
            }
            _ => {
                out += line;
                out.push('\n');
            }
        }
    }
    out
}

fn parse_cast(s: &str) -> Option<(&str, usize, usize)> {
    let inner = s.strip_prefix("((")?;
    let close = inner.find(") & ")?;
    let name = &inner[..close];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let after = &inner[close + 4..];
    let tick = after.find("'h")?;
    let width: usize = after[..tick].parse().ok()?;
    let end = after.find(')')?;
    let mask = &after[tick + 2..end];
    let expected = format!("{:x}", (num_mask(width)));
    (mask == expected).then_some((name, width, 2 + close + 4 + end + 1))
}

fn num_mask(width: usize) -> u128 {
    if width >= 128 {
        u128::MAX
    } else {
        (1u128 << width) - 1
    }
}

/// The cast of `name` (declared `from` bits wide) to `to` bits.
fn cast(name: &str, from: usize, to: usize) -> String {
    use std::cmp::Ordering::*;
    match from.cmp(&to) {
        Equal => name.to_string(),
        Less => format!("{{{}'b0, {name}}}", to - from),
        Greater => format!("{name}[{}:0]", to - 1),
    }
}

/// Drops rust-hdl's leading blank lines and trailing spaces, ends with one
/// newline.
fn tidy(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let body = lines.join("\n");
    format!("{}\n", body.trim_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casts_become_extensions_and_selects() {
        let text = "    reg  [3:0] m;\n    reg  [7:0] w;\n    reg  s;\n    x = ((m) & 6'h3f);\n    y = ((w) & 4'hf);\n    z = ((s) & 8'hff);\n    k = ((m + w) & 4'hf);\n    j = (((m) & 8'hff) << 2);\n";
        let fixed = fix_casts(text);
        assert!(fixed.contains("x = {2'b0, m};"), "{fixed}");
        assert!(fixed.contains("y = w[3:0];"), "{fixed}");
        assert!(fixed.contains("z = {7'b0, s};"), "{fixed}");
        assert!(fixed.contains("k = ((m + w) & 4'hf);"), "{fixed}");
        assert!(fixed.contains("j = ({4'b0, m} << 2);"), "{fixed}");
    }
}
