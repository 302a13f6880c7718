//! Operand pairs from a file (`--vectors-file`), in any of three layouts,
//! one pair per line, `#` and `//` comments ignored, fields separated by
//! white space or commas, codes in hex with or without `0x`:
//!
//! * Berkeley TestFloat's `testfloat_gen` output: `a b result flags`
//!   (for example `3C00 3C01 3C01 00` from `testfloat_gen f16_mul`);
//! * the project's own: `a b [expected]`, which is also the first three
//!   columns of a `--mismatches` CSV file (its header line is skipped);
//! * the test catalogues in `tests/data/`: `design a b expected ...`,
//!   of which only the lines of the design being verified are read.
//!
//! An expected result in the file is checked against the reference too:
//! a disagreement means the file and the spec differ (another NaN
//! convention, another rounding mode), and is reported apart from the
//! design's mismatches.

use std::path::Path;

/// Pairs read from a file, with the file's own results where it has them.
#[derive(Clone, Debug, Default)]
pub struct FileVectors {
    pub pairs: Vec<(u16, u16)>,
    pub expected: Vec<Option<u32>>,
}

/// A code in hex, with or without `0x` (at most 8 digits).
pub fn hex(text: &str) -> Option<u32> {
    let t = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    if t.is_empty() || t.len() > 8 {
        return None;
    }
    u32::from_str_radix(t, 16).ok()
}

/// An operand code of `width` bits in hex (`0x3c00` or `3c00`), as
/// `--replay` takes it.
pub fn code(text: &str, width: u32) -> Result<u16, String> {
    hex(text)
        .filter(|v| v >> width == 0)
        .map(|v| v as u16)
        .ok_or_else(|| format!("--replay {text}: a {width}-bit code in hex (0x3c00 or 3c00)"))
}

/// Reads `path` for `design`, whose operands have `width` bits and
/// results `out_width`.
pub fn read(path: &Path, design: &str, width: u32, out_width: u32) -> Result<FileVectors, String> {
    let cannot =
        |e: std::io::Error| format!("--vectors-file {}: cannot read it: {e}", path.display());
    // The text, and per line (at least 4 bytes) a pair and a result.
    let size = std::fs::metadata(path).map_err(cannot)?.len() as u128;
    crate::limits::check_memory(
        &format!("--vectors-file {}", path.display()),
        Some(size * 4),
    )
    .map_err(|e| e.to_string())?;
    let text = std::fs::read(path).map_err(cannot)?;
    let text = String::from_utf8(text).map_err(|_| {
        format!(
            "--vectors-file {}: not a text file (expected hex codes)",
            path.display()
        )
    })?;
    let mut out = FileVectors::default();
    let mut other_designs = 0usize;
    for (n, line) in text.lines().enumerate() {
        let at = || format!("--vectors-file {}: line {}", path.display(), n + 1);
        let line = line.split('#').next().unwrap_or("");
        let line = line.split("//").next().unwrap_or("");
        let fields: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|f| !f.is_empty())
            .collect();
        if fields.is_empty() {
            continue;
        }
        // A header line (a CSV file's `a,b,expected,...`): words, some not hex.
        let header = out.pairs.is_empty()
            && fields.iter().any(|f| hex(f).is_none())
            && fields
                .iter()
                .all(|f| f.chars().all(|c| c.is_ascii_alphabetic() || c == '_'));
        if header && crate::by_name(fields[0]).is_err() {
            continue;
        }
        let fields = match hex(fields[0]) {
            Some(_) => &fields[..],
            None if fields[0] == design => &fields[1..],
            None if crate::by_name(fields[0]).is_ok() => {
                other_designs += 1;
                continue;
            }
            // A header line (a CSV file's `a,b,expected,...`).
            None if out.pairs.is_empty()
                && fields[0]
                    .chars()
                    .all(|c| c.is_ascii_alphabetic() || c == '_') =>
            {
                continue
            }
            None => return Err(format!("{}: '{}' is not a hex code", at(), fields[0])),
        };
        if fields.len() < 2 {
            return Err(format!("{}: expected at least two codes (a b)", at()));
        }
        let code = |i: usize, bits: u32, what: &str| -> Result<u32, String> {
            let v = hex(fields[i])
                .ok_or_else(|| format!("{}: {what} '{}' is not a hex code", at(), fields[i]))?;
            if v >> bits != 0 {
                return Err(format!(
                    "{}: {what} {} does not fit {design}'s {bits} bits",
                    at(),
                    fields[i]
                ));
            }
            Ok(v)
        };
        let a = code(0, width, "a")?;
        let b = code(1, width, "b")?;
        let expected = if fields.len() >= 3 {
            Some(code(2, out_width, "the result")?)
        } else {
            None
        };
        out.pairs.push((a as u16, b as u16));
        out.expected.push(expected);
    }
    if out.pairs.is_empty() {
        return Err(if other_designs > 0 {
            format!(
                "--vectors-file {}: no line for {design} ({other_designs} lines name other designs)",
                path.display()
            )
        } else {
            format!("--vectors-file {}: no operand pairs in it", path.display())
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    #[test]
    fn three_layouts() {
        let tf = file("3C00 3C01 3C01 00\n7C00 0000 7E00 10\n");
        let v = read(tf.path(), "fp16_mul", 16, 16).unwrap();
        assert_eq!(v.pairs, [(0x3c00, 0x3c01), (0x7c00, 0)]);
        assert_eq!(v.expected, [Some(0x3c01), Some(0x7e00)]);
        let own = file("# mine\na,b,expected,got\n0x3c00, 0x3c00\n0x3c00 0xbc00 0xbc00\n");
        let v = read(own.path(), "fp16_mul", 16, 16).unwrap();
        assert_eq!(v.expected, [None, Some(0xbc00)]);
        let cat =
            file("fp16_mul\t0x3c00\t0x3c00\t0x3c00\tnote\nbf16_mul\t0x3f80\t0x3f80\t0x3f80\n");
        assert_eq!(read(cat.path(), "fp16_mul", 16, 16).unwrap().pairs.len(), 1);
        assert!(read(cat.path(), "rf8_mul", 8, 8)
            .unwrap_err()
            .contains("no line for rf8_mul"));
    }

    #[test]
    fn bad_lines_are_named() {
        let f = file("3c00 3c00\n3c00 zz\n");
        assert!(read(f.path(), "fp16_mul", 16, 16)
            .unwrap_err()
            .contains("line 2: b 'zz'"));
        let f = file("1ff 01\n");
        assert!(read(f.path(), "rf8_mul", 8, 8)
            .unwrap_err()
            .contains("does not fit"));
        let f = file("");
        assert!(read(f.path(), "rf8_mul", 8, 8)
            .unwrap_err()
            .contains("no operand pairs"));
    }
}
