//! Just enough Verilog reading to connect a user's design: the modules a
//! file defines (found by tokens, so `module\n  fp16_mul (` counts and
//! `fp16_mult` does not), their ports with directions and widths, and
//! which modules each one instantiates (to find the top).
//!
//! This is not a Verilog parser: the preprocessor is not run (a port
//! whose width is a macro has an unknown width), and a module inside an
//! `` `ifdef `` counts whether or not it is enabled. The simulators read
//! the real thing; this only lets `rf8` give clear errors first.

use std::collections::HashMap;

/// A token of Verilog source, comments and directives removed.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    /// A number, with its value where it has one (no X or Z digits).
    Num(Option<u64>),
    /// A use of a `` `macro ``.
    Macro,
    Str,
    Punct(char),
}

/// Directives whose whole line is skipped (the rest are macro uses).
const LINE_DIRECTIVES: &[&str] = &[
    "define",
    "include",
    "timescale",
    "ifdef",
    "ifndef",
    "elsif",
    "else",
    "endif",
    "undef",
    "undefineall",
    "default_nettype",
    "celldefine",
    "endcelldefine",
    "resetall",
    "line",
    "pragma",
    "begin_keywords",
    "end_keywords",
    "unconnected_drive",
    "nounconnected_drive",
];

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

fn tokens(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let n = chars.len();
    let skip_line = |mut i: usize, continued: bool| -> usize {
        while i < n && chars[i] != '\n' {
            if continued && chars[i] == '\\' && i + 1 < n && chars[i + 1] == '\n' {
                i += 1;
            }
            i += 1;
        }
        i
    };
    while i < n {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && i + 1 < n && chars[i + 1] == '/' {
            i = skip_line(i, false);
        } else if c == '/' && i + 1 < n && chars[i + 1] == '*' {
            i += 2;
            while i + 1 < n && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == '"' {
            i += 1;
            while i < n && chars[i] != '"' && chars[i] != '\n' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push(Tok::Str);
        } else if c == '`' {
            let start = i + 1;
            i = start;
            while i < n && is_ident_char(chars[i]) {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            if LINE_DIRECTIVES.contains(&name.as_str()) {
                i = skip_line(i, name == "define");
            } else {
                out.push(Tok::Macro);
            }
        } else if c == '\\' {
            // An escaped identifier runs to the next white space.
            let start = i + 1;
            i = start;
            while i < n && !chars[i].is_whitespace() {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let start = i;
            while i < n && is_ident_char(chars[i]) {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if c.is_ascii_digit()
            || (c == '\'' && i + 1 < n && "sSbBoOdDhH01xXzZ".contains(chars[i + 1]))
        {
            let (value, next) = number(&chars, i);
            out.push(Tok::Num(value));
            i = next;
        } else {
            out.push(Tok::Punct(c));
            i += 1;
        }
    }
    out
}

/// A Verilog number at `i`: `12`, `16'h3c00`, `'b1`, `4'sd3`, `'0`.
fn number(chars: &[char], mut i: usize) -> (Option<u64>, usize) {
    let n = chars.len();
    let start = i;
    while i < n && (chars[i].is_ascii_digit() || chars[i] == '_') {
        i += 1;
    }
    let size: String = chars[start..i].iter().filter(|c| **c != '_').collect();
    // White space may separate the size from the base.
    let mut j = i;
    while j < n && chars[j] == ' ' {
        j += 1;
    }
    if j >= n || chars[j] != '\'' {
        return (size.parse().ok(), i);
    }
    i = j + 1;
    if i < n && (chars[i] == 's' || chars[i] == 'S') {
        i += 1;
    }
    let radix = match chars.get(i).map(|c| c.to_ascii_lowercase()) {
        Some('b') => 2,
        Some('o') => 8,
        Some('d') => 10,
        Some('h') => 16,
        Some(c @ ('0' | '1')) => {
            // SystemVerilog '0 / '1: all bits equal.
            return (Some(if c == '0' { 0 } else { u64::MAX }), i + 1);
        }
        _ => return (None, i + 1),
    };
    i += 1;
    while i < n && chars[i] == ' ' {
        i += 1;
    }
    let digits_start = i;
    while i < n && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '?') {
        i += 1;
    }
    let digits: String = chars[digits_start..i]
        .iter()
        .filter(|c| **c != '_')
        .collect();
    let value = u64::from_str_radix(&digits, radix).ok();
    let value = match (value, size.parse::<u32>()) {
        (Some(v), Ok(bits)) if bits < 64 => Some(v & ((1u64 << bits) - 1)),
        (v, _) => v,
    };
    (value, i)
}

/// A port's direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Input,
    Output,
    Inout,
}

impl Dir {
    pub fn name(self) -> &'static str {
        match self {
            Dir::Input => "input",
            Dir::Output => "output",
            Dir::Inout => "inout",
        }
    }
}

/// A port of a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    pub name: String,
    pub dir: Dir,
    /// Bits, where the range is made of numbers and parameters.
    pub width: Option<u32>,
}

/// A module found in a source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    pub name: String,
    /// Declared ports, in order of declaration.
    pub ports: Vec<Port>,
    /// Names used the way module instances are (`name #(..) inst (` or
    /// `name inst (`); only those that are modules matter.
    pub uses: Vec<String>,
    /// Parameters a user may override (`parameter`, not `localparam`).
    pub params: Vec<String>,
}

impl Module {
    pub fn port(&self, name: &str) -> Option<&Port> {
        self.ports.iter().find(|p| p.name == name)
    }
}

/// Every module defined in `text`.
pub fn modules(text: &str) -> Vec<Module> {
    modules_with(text, &[])
}

/// Every module defined in `text`, with parameters named in `overrides`
/// taking the given values (Verilog expressions of numbers and earlier
/// parameters) where port widths depend on them.
pub fn modules_with(text: &str, overrides: &[(String, String)]) -> Vec<Module> {
    let toks = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if matches!(&toks[i], Tok::Ident(k) if k == "module" || k == "macromodule") {
            let mut j = i + 1;
            while matches!(&toks.get(j), Some(Tok::Ident(k)) if k == "automatic" || k == "static") {
                j += 1;
            }
            let Some(Tok::Ident(name)) = toks.get(j) else {
                i += 1;
                continue;
            };
            let end = (j..toks.len())
                .find(|&k| matches!(&toks[k], Tok::Ident(e) if e == "endmodule"))
                .unwrap_or(toks.len());
            out.push(module(name.clone(), &toks[j + 1..end], overrides));
            i = end + 1;
        } else {
            i += 1;
        }
    }
    out
}

const DIRECTIONS: &[&str] = &["input", "output", "inout"];
const TYPES: &[&str] = &[
    "wire", "reg", "logic", "signed", "unsigned", "var", "bit", "tri", "wand", "wor", "uwire",
];
const KEYWORDS: &[&str] = &[
    "assign",
    "always",
    "always_ff",
    "always_comb",
    "always_latch",
    "initial",
    "begin",
    "end",
    "if",
    "else",
    "case",
    "casez",
    "casex",
    "endcase",
    "for",
    "while",
    "generate",
    "endgenerate",
    "genvar",
    "wire",
    "reg",
    "logic",
    "integer",
    "parameter",
    "localparam",
    "input",
    "output",
    "inout",
    "function",
    "task",
    "return",
    "default",
    "posedge",
    "negedge",
    "or",
    "and",
    "not",
    "signed",
    "unsigned",
    "module",
    "endmodule",
    "real",
    "time",
    "bit",
    "byte",
    "int",
];

fn module(name: String, toks: &[Tok], overrides: &[(String, String)]) -> Module {
    let mut params: HashMap<String, i64> = HashMap::new();
    let mut declared: Vec<String> = Vec::new();
    let mut ports: Vec<Port> = Vec::new();
    let mut uses = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Ident(k) if k == "function" || k == "task" => {
                let end = format!("end{k}");
                i = (i..toks.len())
                    .find(|&j| matches!(&toks[j], Tok::Ident(e) if *e == end))
                    .unwrap_or(toks.len());
            }
            Tok::Ident(k) if k == "parameter" || k == "localparam" => {
                let mut names = Vec::new();
                let local = k == "localparam";
                let ov = if local { &[][..] } else { overrides };
                i = parameters(toks, i + 1, &mut params, &mut names, ov);
                if !local {
                    declared.extend(names);
                }
                continue;
            }
            Tok::Ident(k) if DIRECTIONS.contains(&k.as_str()) => {
                i = declaration(toks, i, &params, &mut ports);
                continue;
            }
            Tok::Ident(k) if !KEYWORDS.contains(&k.as_str()) => {
                // `type #(...) inst (` or `type inst (`
                let mut j = i + 1;
                if toks.get(j) == Some(&Tok::Punct('#')) {
                    j = skip_group(toks, j + 1);
                }
                if matches!(toks.get(j), Some(Tok::Ident(_)))
                    && toks.get(j + 1) == Some(&Tok::Punct('('))
                    && (i == 0 || matches!(toks[i - 1], Tok::Punct(';' | ')') | Tok::Ident(_)))
                {
                    uses.push(k.clone());
                }
            }
            _ => {}
        }
        i += 1;
    }
    Module {
        name,
        ports,
        uses,
        params: declared,
    }
}

/// Skips a bracketed group starting at `i` (at its opening bracket);
/// returns the index after its closing one.
fn skip_group(toks: &[Tok], i: usize) -> usize {
    let mut depth = 0i32;
    let mut j = i;
    while j < toks.len() {
        match toks[j] {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') => {
                depth -= 1;
                if depth <= 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
        if depth == 0 {
            return j;
        }
    }
    j
}

/// The end of an expression starting at `i`: the first `,` `;` or
/// unmatched closing bracket at depth 0.
fn expression_end(toks: &[Tok], i: usize) -> usize {
    let mut depth = 0i32;
    let mut j = i;
    while j < toks.len() {
        match toks[j] {
            Tok::Punct('(' | '[' | '{') => depth += 1,
            Tok::Punct(')' | ']' | '}') if depth == 0 => return j,
            Tok::Punct(')' | ']' | '}') => depth -= 1,
            Tok::Punct(',' | ';') if depth == 0 => return j,
            _ => {}
        }
        j += 1;
    }
    j
}

/// `[type] [range] NAME = expr {, NAME = expr}`: records the values that
/// evaluate; returns the index of the terminator.
fn parameters(
    toks: &[Tok],
    mut i: usize,
    params: &mut HashMap<String, i64>,
    names: &mut Vec<String>,
    overrides: &[(String, String)],
) -> usize {
    loop {
        while matches!(toks.get(i), Some(Tok::Ident(t)) if TYPES.contains(&t.as_str()) || t == "integer" || t == "int")
        {
            i += 1;
        }
        if toks.get(i) == Some(&Tok::Punct('[')) {
            i = skip_group(toks, i);
        }
        let Some(Tok::Ident(name)) = toks.get(i) else {
            return i;
        };
        if toks.get(i + 1) != Some(&Tok::Punct('=')) {
            return i;
        }
        let end = expression_end(toks, i + 2);
        let value = match overrides.iter().find(|(n, _)| n == name) {
            Some((_, text)) => eval(&tokens(text), params),
            None => eval(&toks[i + 2..end], params),
        };
        if let Some(v) = value {
            params.insert(name.clone(), v);
        }
        names.push(name.clone());
        i = end;
        if toks.get(i) != Some(&Tok::Punct(',')) {
            return i;
        }
        // `, parameter NAME = ...` or `, NAME = ...`
        i += 1;
        if matches!(toks.get(i), Some(Tok::Ident(k)) if k == "parameter" || k == "localparam") {
            i += 1;
        }
        if !matches!(toks.get(i + 1), Some(Tok::Punct('=')))
            && !matches!(toks.get(i), Some(Tok::Ident(t)) if TYPES.contains(&t.as_str()))
        {
            return i;
        }
    }
}

/// `input|output|inout [types] [range] name [dims] [= v] {, name ...}`;
/// returns the index where the next declaration may start.
fn declaration(
    toks: &[Tok],
    mut i: usize,
    params: &HashMap<String, i64>,
    ports: &mut Vec<Port>,
) -> usize {
    let dir = match &toks[i] {
        Tok::Ident(k) if k == "input" => Dir::Input,
        Tok::Ident(k) if k == "output" => Dir::Output,
        _ => Dir::Inout,
    };
    i += 1;
    let mut width = Some(1u32);
    while let Some(Tok::Ident(t)) = toks.get(i) {
        if t == "integer" || t == "int" {
            width = Some(32);
        } else if !TYPES.contains(&t.as_str()) {
            break;
        }
        i += 1;
    }
    let mut packed = 0;
    while toks.get(i) == Some(&Tok::Punct('[')) {
        let end = skip_group(toks, i);
        // An unclosed `[` at the end of the text has no range to read.
        let closed = toks.get(end.wrapping_sub(1)) == Some(&Tok::Punct(']'));
        width = match toks.get(i + 1..end.saturating_sub(1)) {
            Some(range) if packed == 0 && closed => range_width(range, params),
            _ => None,
        };
        packed += 1;
        i = end;
    }
    loop {
        let Some(Tok::Ident(name)) = toks.get(i) else {
            return i;
        };
        if DIRECTIONS.contains(&name.as_str()) {
            return i;
        }
        // A re-declaration (`output y; reg [15:0] y;`) keeps the first.
        if !ports.iter().any(|p| &p.name == name) {
            ports.push(Port {
                name: name.clone(),
                dir,
                width,
            });
        }
        i += 1;
        while toks.get(i) == Some(&Tok::Punct('[')) {
            i = skip_group(toks, i);
        }
        if toks.get(i) == Some(&Tok::Punct('=')) {
            i = expression_end(toks, i + 1);
        }
        if toks.get(i) != Some(&Tok::Punct(',')) {
            return i;
        }
        i += 1;
    }
}

/// The width of `msb:lsb`, where both sides evaluate.
fn range_width(toks: &[Tok], params: &HashMap<String, i64>) -> Option<u32> {
    let colon = toks.iter().position(|t| *t == Tok::Punct(':'))?;
    let msb = eval(&toks[..colon], params)?;
    let lsb = eval(&toks[colon + 1..], params)?;
    u32::try_from(msb.checked_sub(lsb)?.checked_abs()?.checked_add(1)?).ok()
}

/// Integer expressions of numbers, parameters, `+ - * /` and brackets.
fn eval(toks: &[Tok], params: &HashMap<String, i64>) -> Option<i64> {
    let mut p = Parser { toks, i: 0, params };
    let v = p.sum()?;
    (p.i == toks.len()).then_some(v)
}

struct Parser<'a> {
    toks: &'a [Tok],
    i: usize,
    params: &'a HashMap<String, i64>,
}

impl Parser<'_> {
    fn sum(&mut self) -> Option<i64> {
        let mut v = self.product()?;
        while let Some(Tok::Punct(op @ ('+' | '-'))) = self.toks.get(self.i) {
            self.i += 1;
            let r = self.product()?;
            v = if *op == '+' {
                v.checked_add(r)?
            } else {
                v.checked_sub(r)?
            };
        }
        Some(v)
    }
    fn product(&mut self) -> Option<i64> {
        let mut v = self.atom()?;
        while let Some(Tok::Punct(op @ ('*' | '/'))) = self.toks.get(self.i) {
            self.i += 1;
            let r = self.atom()?;
            v = if *op == '*' {
                v.checked_mul(r)?
            } else {
                v.checked_div(r)?
            };
        }
        Some(v)
    }
    fn atom(&mut self) -> Option<i64> {
        let t = self.toks.get(self.i)?;
        self.i += 1;
        match t {
            Tok::Num(v) => v.and_then(|v| i64::try_from(v).ok()),
            Tok::Ident(name) => self.params.get(name).copied(),
            Tok::Punct('-') => self.atom().and_then(i64::checked_neg),
            Tok::Punct('(') => {
                let v = self.sum()?;
                (self.toks.get(self.i) == Some(&Tok::Punct(')'))).then(|| {
                    self.i += 1;
                    v
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_modules_by_token_not_substring() {
        let text = "// module fake(\n/* module fake2 */\nmodule\n  fp16_mul (a, b, y);\nendmodule\nmodule fp16_mult(); endmodule";
        let names: Vec<_> = modules(text).into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["fp16_mul", "fp16_mult"]);
    }

    #[test]
    fn ansi_and_non_ansi_ports_with_widths() {
        let text = "module m #(parameter W = 16, E = 5) (\n\
                    input wire clk, input rst_n,\n\
                    input [W-1:0] x, y_in,\n\
                    input logic [1:0] rm,\n\
                    output reg [W-1:0] z, output valid);\n\
                    function [3:0] f; input [3:0] q; f = q; endfunction\n\
                    endmodule\n\
                    module n(a, b, y); input [7:0] a; input [7:0] b; output [`W:0] y; endmodule";
        let ms = modules(text);
        let m = &ms[0];
        let got: Vec<_> = m
            .ports
            .iter()
            .map(|p| (p.name.as_str(), p.dir, p.width))
            .collect();
        assert_eq!(
            got,
            [
                ("clk", Dir::Input, Some(1)),
                ("rst_n", Dir::Input, Some(1)),
                ("x", Dir::Input, Some(16)),
                ("y_in", Dir::Input, Some(16)),
                ("rm", Dir::Input, Some(2)),
                ("z", Dir::Output, Some(16)),
                ("valid", Dir::Output, Some(1)),
            ]
        );
        let n = &ms[1];
        assert_eq!(n.port("a").unwrap().width, Some(8));
        assert_eq!(n.port("y").unwrap().width, None, "a macro width is unknown");
    }

    #[test]
    fn instantiations_are_found() {
        let text = "module core(input a, output y); assign y = a; endmodule\n\
                    module top(input a, output y); core #(.W(1)) u0 (.a(a), .y(y)); endmodule";
        let ms = modules(text);
        assert!(ms[0].uses.is_empty());
        assert_eq!(ms[1].uses, ["core"]);
    }

    #[test]
    fn numbers() {
        let toks = tokens("16'h3c00 'b1 4'sd3 '1 12 8 'hff");
        assert_eq!(
            toks,
            [
                Tok::Num(Some(0x3c00)),
                Tok::Num(Some(1)),
                Tok::Num(Some(3)),
                Tok::Num(Some(u64::MAX)),
                Tok::Num(Some(12)),
                Tok::Num(Some(0xff)),
            ]
        );
    }

    /// Truncated and mutated Verilog (every prefix of the test designs,
    /// and 3000 seeded one-character edits) never panics the scanner or
    /// the interface check.
    #[test]
    fn damaged_sources_do_not_panic() {
        use rand::{Rng, SeedableRng};
        let texts = [
            include_str!("../../tests/data/rtl/fp16_core.v"),
            include_str!("../../tests/data/rtl/fp16_pipe2.v"),
            include_str!("../../tests/data/rtl/fp16_custom_ports.sv"),
        ];
        let check = |t: &str| {
            for m in modules(t) {
                let req = super::super::interface::Request::default();
                let _ = super::super::interface::resolve(&m, &req, 16, 16, Some(1));
            }
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(14);
        let alphabet: Vec<char> = "`'\\\"/*()[]{}:;,=#-+0123456789abhdsx_ \n"
            .chars()
            .collect();
        for t in texts {
            let chars: Vec<char> = t.chars().collect();
            for n in 0..chars.len() {
                check(&chars[..n].iter().collect::<String>());
            }
            for _ in 0..1000 {
                let mut c = chars.clone();
                let i = rng.gen_range(0..c.len());
                c[i] = alphabet[rng.gen_range(0..alphabet.len())];
                check(&c.iter().collect::<String>());
            }
        }
    }
}
