//! Just enough Verilog reading to connect a user's design: the modules a
//! file defines (found by tokens, so `module\n  fp16_mul (` counts and
//! `fp16_mult` does not), their ports with directions and widths, and
//! which modules each one instantiates (to find the top).
//!
//! This is not a Verilog parser: the preprocessor is not run (a port
//! whose width is a macro has an unknown width), and a module inside an
//! `` `ifdef `` counts whether or not it is enabled. The simulators read
//! the real thing; this only lets `rf8` give clear errors first.

mod eval;
mod tokens;
mod types;

use std::collections::HashMap;

use eval::eval;
use tokens::{tokens, Tok};
pub use types::{types, Types};

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
    /// Bits, where the type and every range evaluate.
    pub width: Option<u32>,
    /// The packed ranges written at the declaration, outermost first
    /// (`[2:0][15:0]` gives `(2, 0), (15, 0)`), each where it evaluates.
    pub dims: Vec<Option<(i64, i64)>>,
    /// The named type of the port (`fpnew_pkg::roundmode_e`, `TagType`),
    /// if it has one: a constant tied to it is cast to it.
    pub type_name: Option<String>,
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
    /// The named type of each parameter that has one (an enum, whose
    /// override is cast to it).
    pub param_types: Vec<(String, String)>,
}

impl Module {
    pub fn port(&self, name: &str) -> Option<&Port> {
        self.ports.iter().find(|p| p.name == name)
    }
}

/// Every module defined in `text`.
pub fn modules(text: &str) -> Vec<Module> {
    modules_with(text, &[], &Types::default())
}

/// Every module defined in `text`, with parameters named in `overrides`
/// taking the given values (Verilog expressions of numbers and earlier
/// parameters) where port widths depend on them, and port types sized by
/// `types` (the packages and typedefs of every source, see [`types`]).
pub fn modules_with(text: &str, overrides: &[(String, String)], types: &Types) -> Vec<Module> {
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
            out.push(module(name.clone(), &toks[j + 1..end], overrides, types));
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

fn module(name: String, toks: &[Tok], overrides: &[(String, String)], types: &Types) -> Module {
    // Package parameters first; the module's own shadow them.
    let mut params: HashMap<String, i64> = types.params.clone();
    // Type parameters and local typedefs join the packages' types.
    let mut types = types.clone();
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
                i = parameters(toks, i + 1, &mut params, &mut names, ov, &mut types);
                if !local {
                    declared.extend(names);
                }
                continue;
            }
            Tok::Ident(k) if DIRECTIONS.contains(&k.as_str()) => {
                i = declaration(toks, i, &params, &types, &mut ports);
                continue;
            }
            Tok::Ident(k) if k == "typedef" => {
                if let (Some(w), next) = types::type_width(toks, i + 1, &params, &types) {
                    if let Some(Tok::Ident(n)) = toks.get(next) {
                        types.widths.insert(n.clone(), w);
                    }
                }
                i = (i..toks.len())
                    .find(|&j| toks[j] == Tok::Punct(';'))
                    .unwrap_or(toks.len());
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
        param_types: declared
            .iter()
            .filter_map(|n| types.param_types.get(n).map(|t| (n.clone(), t.clone())))
            .collect(),
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

/// `[type] [range] NAME = expr {, NAME = expr}`, or `type NAME = T`:
/// records the values that evaluate (and the widths of type parameters'
/// defaults in `types`); returns the index of the terminator.
fn parameters(
    toks: &[Tok],
    mut i: usize,
    params: &mut HashMap<String, i64>,
    names: &mut Vec<String>,
    overrides: &[(String, String)],
    types: &mut Types,
) -> usize {
    loop {
        if matches!(toks.get(i), Some(Tok::Ident(t)) if t == "type") {
            let Some(Tok::Ident(name)) = toks.get(i + 1) else {
                return i + 1;
            };
            if toks.get(i + 2) != Some(&Tok::Punct('=')) {
                names.push(name.clone());
                return i + 2;
            }
            let end = expression_end(toks, i + 3);
            if let (Some(w), _) = types::type_width(&toks[i + 3..end], 0, params, types) {
                types.widths.insert(name.clone(), w);
            }
            names.push(name.clone());
            i = end;
        } else {
            while matches!(toks.get(i), Some(Tok::Ident(t)) if TYPES.contains(&t.as_str()) || t == "integer" || t == "int")
            {
                i += 1;
            }
            // A named type: `pkg::fmt_e NAME` or `fmt_e NAME`.
            let mut type_name = None;
            if let Some((ty, next)) = types::type_name(toks, i) {
                if matches!(toks.get(next), Some(Tok::Ident(_)) | Some(Tok::Punct('['))) {
                    i = next;
                    type_name = Some(ty);
                }
            }
            while toks.get(i) == Some(&Tok::Punct('[')) {
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
            if let Some(ty) = type_name {
                types.param_types.insert(name.clone(), ty);
            }
            names.push(name.clone());
            i = end;
        }
        if toks.get(i) != Some(&Tok::Punct(',')) {
            return i;
        }
        // `, parameter NAME = ...` or `, NAME = ...`
        i += 1;
        if matches!(toks.get(i), Some(Tok::Ident(k)) if k == "parameter" || k == "localparam") {
            i += 1;
        }
        let typed = matches!(toks.get(i), Some(Tok::Ident(t)) if TYPES.contains(&t.as_str()) || t == "type" || t == "int" || t == "integer")
            || matches!(
                (toks.get(i), toks.get(i + 1)),
                (
                    Some(Tok::Ident(_)),
                    Some(Tok::Ident(_)) | Some(Tok::Punct(':'))
                )
            );
        if !matches!(toks.get(i + 1), Some(Tok::Punct('='))) && !typed {
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
    types: &Types,
    ports: &mut Vec<Port>,
) -> usize {
    let dir = match &toks[i] {
        Tok::Ident(k) if k == "input" => Dir::Input,
        Tok::Ident(k) if k == "output" => Dir::Output,
        _ => Dir::Inout,
    };
    i += 1;
    // A net kind before a data type (`wire logic`, `var fmt_e`); a net
    // kind alone is the type.
    while matches!(toks.get(i), Some(Tok::Ident(t)) if NET_KINDS.contains(&t.as_str()))
        && type_starts(toks, i + 1)
    {
        i += 1;
    }
    let type_name = match toks.get(i) {
        Some(Tok::Ident(t)) if !TYPES.contains(&t.as_str()) && type_starts(toks, i) => {
            types::type_name(toks, i).map(|(n, _)| n)
        }
        _ => None,
    };
    let (width, dims) = if type_starts(toks, i) || toks.get(i) == Some(&Tok::Punct('[')) {
        let before_dims = match &type_name {
            Some(_) => types::type_name(toks, i).map_or(i, |(_, n)| n),
            None => {
                let mut j = i;
                while matches!(toks.get(j), Some(Tok::Ident(t)) if TYPES.contains(&t.as_str()) || t == "int" || t == "integer")
                {
                    j += 1;
                }
                j
            }
        };
        let (width, next) = types::type_width(toks, i, params, types);
        let (dims, _) = types::packed_dims(toks, before_dims, params);
        i = next;
        (width, dims)
    } else {
        (Some(1), Vec::new())
    };
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
                dims: dims.clone(),
                type_name: type_name.clone(),
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

/// Net kinds, which may come before a data type.
const NET_KINDS: &[&str] = &["wire", "tri", "var", "wand", "wor", "uwire", "tri0", "tri1"];

/// True when a data type starts at `i`: a built-in type word, or a named
/// one (`pkg::t`, or `t` followed by packed ranges and then a name).
fn type_starts(toks: &[Tok], i: usize) -> bool {
    match toks.get(i) {
        Some(Tok::Ident(t)) if TYPES.contains(&t.as_str()) || t == "int" || t == "integer" => true,
        Some(Tok::Ident(t))
            if KEYWORDS.contains(&t.as_str()) || DIRECTIONS.contains(&t.as_str()) =>
        {
            false
        }
        Some(Tok::Ident(_)) => {
            if toks.get(i + 1) == Some(&Tok::Punct(':'))
                && toks.get(i + 2) == Some(&Tok::Punct(':'))
            {
                return true;
            }
            let mut j = i + 1;
            while toks.get(j) == Some(&Tok::Punct('[')) {
                j = skip_group(toks, j);
            }
            matches!(toks.get(j), Some(Tok::Ident(n)) if !DIRECTIONS.contains(&n.as_str()))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::tokens::Tok;
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
            include_str!("../../../tests/data/rtl/fp16_core.v"),
            include_str!("../../../tests/data/rtl/fp16_pipe2.v"),
            include_str!("../../../tests/data/rtl/fp16_custom_ports.sv"),
        ];
        let check = |t: &str| {
            for m in modules(t) {
                let req = super::super::interface::Request::default();
                let _ = super::super::interface::resolve(&m, &req, 16, 16, 0, Some(1));
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
