//! The scanner's tokens: Verilog source with comments, strings and
//! directives removed, numbers read to their values.

/// A token of Verilog source, comments and directives removed.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
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

pub fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

pub fn tokens(text: &str) -> Vec<Tok> {
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
