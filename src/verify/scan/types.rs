//! SystemVerilog types, as far as port widths need them: the typedefs and
//! parameters of packages (`fpnew_pkg::roundmode_e` is an enum of 3 bits,
//! `fpnew_pkg::status_t` a packed struct of 5), and the width of a type
//! written at a declaration (`logic [2:0][15:0]`, `int unsigned`, a
//! named type with packed dimensions).

use std::collections::HashMap;

use super::eval::eval;
use super::tokens::{tokens, Tok};

/// Named types and package parameters found in the sources, each under
/// its qualified name (`pkg::name`) and its bare one (for `import pkg::*`
/// and for typedefs outside packages).
#[derive(Clone, Debug, Default)]
pub struct Types {
    /// Bits of each named type whose width evaluates.
    pub widths: HashMap<String, u32>,
    /// Values of package parameters.
    pub params: HashMap<String, i64>,
    /// The named type of each parameter declared with one (`parameter
    /// fpnew_pkg::fp_format_e FpFormat`), by parameter name.
    pub param_types: HashMap<String, String>,
}

impl Types {
    /// Adds the packages and typedefs of one source text (sources are read
    /// in order, so a package must come before the files that use it, as
    /// the simulators need too).
    pub fn add(&mut self, text: &str) {
        let toks = tokens(text);
        let mut i = 0;
        let mut package: Option<String> = None;
        let mut depth = 0; // inside a module, interface or class: skip
        while i < toks.len() {
            match &toks[i] {
                Tok::Ident(k) if k == "package" && depth == 0 => {
                    if let Some(Tok::Ident(name)) = toks.get(i + 1) {
                        package = Some(name.clone());
                    }
                }
                Tok::Ident(k) if k == "endpackage" => package = None,
                Tok::Ident(k) if matches!(k.as_str(), "module" | "interface" | "class") => {
                    depth += 1
                }
                Tok::Ident(k)
                    if matches!(k.as_str(), "endmodule" | "endinterface" | "endclass") =>
                {
                    depth -= 1
                }
                Tok::Ident(k) if depth == 0 && (k == "parameter" || k == "localparam") => {
                    let mut params = self.params.clone();
                    let mut names = Vec::new();
                    let next = super::parameters(
                        toks.as_slice(),
                        i + 1,
                        &mut params,
                        &mut names,
                        &[],
                        self,
                    );
                    for n in names {
                        if let Some(&v) = params.get(&n) {
                            self.define_param(package.as_deref(), &n, v);
                        }
                    }
                    i = next.max(i + 1);
                    continue;
                }
                Tok::Ident(k) if depth == 0 && k == "typedef" => {
                    let params = self.params.clone();
                    let (width, next) = type_width(&toks, i + 1, &params, self);
                    if let (Some(Tok::Ident(name)), Some(w)) = (toks.get(next), width) {
                        self.define_type(package.as_deref(), name, w);
                    }
                    i = next.max(i + 1);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }

    fn define_type(&mut self, package: Option<&str>, name: &str, width: u32) {
        if let Some(p) = package {
            self.widths.insert(format!("{p}::{name}"), width);
        }
        self.widths.insert(name.to_string(), width);
    }

    fn define_param(&mut self, package: Option<&str>, name: &str, value: i64) {
        if let Some(p) = package {
            self.params.insert(format!("{p}::{name}"), value);
        }
        self.params.insert(name.to_string(), value);
    }

    /// The width of a named type (`pkg::t` or `t`).
    pub fn width(&self, name: &str) -> Option<u32> {
        self.widths.get(name).copied()
    }
}

/// The types and package parameters of every text, in order.
pub fn types<'a>(texts: impl IntoIterator<Item = &'a str>) -> Types {
    let mut t = Types::default();
    for text in texts {
        t.add(text);
    }
    t
}

/// Built-in types of fixed width.
fn builtin(name: &str) -> Option<u32> {
    Some(match name {
        "logic" | "bit" | "reg" | "wire" => 1,
        "byte" => 8,
        "shortint" => 16,
        "int" | "integer" => 32,
        "longint" | "time" => 64,
        _ => return None,
    })
}

/// A named type at `i` (`pkg::name` or `name`): its name and the index
/// after it.
pub fn type_name(toks: &[Tok], i: usize) -> Option<(String, usize)> {
    let Some(Tok::Ident(first)) = toks.get(i) else {
        return None;
    };
    if toks.get(i + 1) == Some(&Tok::Punct(':')) && toks.get(i + 2) == Some(&Tok::Punct(':')) {
        if let Some(Tok::Ident(second)) = toks.get(i + 3) {
            return Some((format!("{first}::{second}"), i + 4));
        }
    }
    Some((first.clone(), i + 1))
}

/// The width of the type written at `i` (`enum logic [2:0] {..}`,
/// `struct packed {..}`, `logic signed [7:0]`, `int unsigned`, a named
/// type), with its packed dimensions; and the index after it. `None` when
/// some part does not evaluate (a width from a function of a parameter).
pub fn type_width(
    toks: &[Tok],
    mut i: usize,
    params: &HashMap<String, i64>,
    types: &Types,
) -> (Option<u32>, usize) {
    let base: Option<u32> = match toks.get(i) {
        Some(Tok::Ident(k)) if k == "enum" => {
            i += 1;
            let (w, next) = if toks.get(i) == Some(&Tok::Punct('{')) {
                (Some(32), i) // an enum's base type is int by default
            } else {
                type_width(toks, i, params, types)
            };
            i = super::skip_group(toks, next);
            w
        }
        Some(Tok::Ident(k)) if k == "struct" || k == "union" => {
            let union = k == "union";
            i += 1;
            while matches!(toks.get(i), Some(Tok::Ident(m)) if m == "packed" || m == "signed" || m == "unsigned" || m == "tagged")
            {
                i += 1;
            }
            let end = super::skip_group(toks, i);
            let w = fields(
                toks.get(i + 1..end.saturating_sub(1)).unwrap_or(&[]),
                params,
                types,
                union,
            );
            i = end;
            w
        }
        Some(Tok::Ident(k)) if builtin(k).is_some() => {
            let w = builtin(k);
            i += 1;
            w
        }
        Some(Tok::Ident(k)) if k == "signed" || k == "unsigned" => Some(1),
        Some(Tok::Punct('[')) => Some(1), // `[7:0]` alone: logic
        _ => match type_name(toks, i) {
            Some((name, next)) => {
                i = next;
                types.width(&name)
            }
            None => None,
        },
    };
    while matches!(toks.get(i), Some(Tok::Ident(m)) if m == "signed" || m == "unsigned") {
        i += 1;
    }
    let (dims, next) = packed_dims(toks, i, params);
    let width = base.and_then(|b| {
        dims.iter().try_fold(b, |w, d| {
            let (m, l) = (*d)?;
            w.checked_mul(u32::try_from(m.checked_sub(l)?.checked_abs()?.checked_add(1)?).ok()?)
        })
    });
    (width, next)
}

/// Packed dimensions `[msb:lsb]...` at `i`: each range where it evaluates,
/// and the index after them.
pub fn packed_dims(
    toks: &[Tok],
    mut i: usize,
    params: &HashMap<String, i64>,
) -> (Vec<Option<(i64, i64)>>, usize) {
    let mut dims = Vec::new();
    while toks.get(i) == Some(&Tok::Punct('[')) {
        let end = super::skip_group(toks, i);
        let closed = toks.get(end.wrapping_sub(1)) == Some(&Tok::Punct(']'));
        let range = toks.get(i + 1..end.saturating_sub(1)).filter(|_| closed);
        dims.push(range.and_then(|r| {
            let colon = r.iter().position(|t| *t == Tok::Punct(':'))?;
            Some((eval(&r[..colon], params)?, eval(&r[colon + 1..], params)?))
        }));
        i = end;
    }
    (dims, i)
}

/// The bits of a struct's (or a union's) fields: `type name {, name};`.
fn fields(toks: &[Tok], params: &HashMap<String, i64>, types: &Types, union: bool) -> Option<u32> {
    let mut total = 0u32;
    let mut i = 0;
    while i < toks.len() {
        let (w, mut j) = type_width(toks, i, params, types);
        let w = w?;
        let mut names = 0;
        while let Some(Tok::Ident(_)) = toks.get(j) {
            names += 1;
            j += 1;
            if toks.get(j) != Some(&Tok::Punct(',')) {
                break;
            }
            j += 1;
        }
        if names == 0 || toks.get(j) != Some(&Tok::Punct(';')) {
            return None;
        }
        total = if union {
            total.max(w)
        } else {
            total.checked_add(w.checked_mul(names)?)?
        };
        i = j + 1;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PKG: &str = "package fp_pkg;\n\
        localparam int unsigned NUM = 5;\n\
        localparam int unsigned BITS = $clog2(NUM);\n\
        typedef enum logic [BITS-1:0] { A = 'd0, B = 'd1 } fmt_e;\n\
        typedef enum logic [2:0] { RNE, RTZ, RDN, RUP, RMM } roundmode_e;\n\
        typedef enum { X, Y } plain_e;\n\
        typedef struct packed { logic NV; logic DZ; logic OF; logic UF; logic NX; } status_t;\n\
        typedef struct packed { roundmode_e rm; logic [3:0] a, b; } pair_t;\n\
        typedef logic [7:0] byte_t;\n\
        typedef union packed { logic [7:0] x; byte_t y; } u_t;\n\
        function automatic int unsigned f(fmt_e x); return 3; endfunction\n\
        endpackage\n\
        typedef byte_t [3:0] word_t;";

    #[test]
    fn package_types_have_widths() {
        let t = types([PKG]);
        assert_eq!(t.params.get("fp_pkg::BITS"), Some(&3));
        assert_eq!(t.width("fp_pkg::fmt_e"), Some(3));
        assert_eq!(t.width("fp_pkg::roundmode_e"), Some(3));
        assert_eq!(t.width("plain_e"), Some(32));
        assert_eq!(t.width("fp_pkg::status_t"), Some(5));
        assert_eq!(t.width("fp_pkg::pair_t"), Some(11));
        assert_eq!(t.width("u_t"), Some(8));
        assert_eq!(t.width("word_t"), Some(32));
        assert_eq!(t.width("nope"), None);
    }
}
