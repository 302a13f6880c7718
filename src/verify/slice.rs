//! A port or a part of one, as `--port`, `--tie` and `--flags` name it:
//! `p`, an element of a packed array `operands_i[0]`, or a range
//! `operands_i[2:1]` / `status_o[4:0]`. A selection indexes the port's
//! outermost packed dimension (bits, for a one-dimensional port), as
//! Verilog's own part-select does.

use super::scan::Port;
use crate::sim::source::is_identifier;

/// A port reference: the port, and the selected indices of its outermost
/// packed dimension (`[k]` is `(k, k)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortRef {
    pub port: String,
    pub select: Option<(i64, i64)>,
}

impl PortRef {
    /// Reads `name`, `name[k]` or `name[hi:lo]`.
    pub fn parse(text: &str) -> Result<PortRef, String> {
        let text = text.trim();
        let Some(open) = text.find('[') else {
            return if is_identifier(text) {
                Ok(PortRef {
                    port: text.to_string(),
                    select: None,
                })
            } else {
                Err(format!("'{text}' is not a Verilog identifier"))
            };
        };
        let port = text[..open].trim();
        let inner = text[open + 1..]
            .strip_suffix(']')
            .ok_or_else(|| format!("'{text}': a selection is written name[k] or name[hi:lo]"))?;
        if !is_identifier(port) {
            return Err(format!("'{port}' is not a Verilog identifier"));
        }
        let number = |s: &str| {
            s.trim().parse::<i64>().map_err(|_| {
                format!(
                    "'{text}': '{}' is not an index (a decimal number)",
                    s.trim()
                )
            })
        };
        let select = match inner.split_once(':') {
            Some((hi, lo)) => (number(hi)?, number(lo)?),
            None => {
                let k = number(inner)?;
                (k, k)
            }
        };
        Ok(PortRef {
            port: port.to_string(),
            select: Some(select),
        })
    }

    /// True for a whole port.
    pub fn is_whole(&self) -> bool {
        self.select.is_none()
    }
}

impl std::fmt::Display for PortRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.select {
            None => write!(f, "{}", self.port),
            Some((h, l)) if h == l => write!(f, "{}[{h}]", self.port),
            Some((h, l)) => write!(f, "{}[{h}:{l}]", self.port),
        }
    }
}

/// The widest port connected in parts (its every bit gets a flag while
/// the wiring is checked): far beyond any multiplier or dot-product unit.
pub const MAX_BITS: u32 = 1 << 20;

/// Where a selection lies in a port's bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// The lowest bit of the selection.
    pub offset: u32,
    pub width: u32,
    /// The whole port's bits.
    pub port_width: u32,
}

/// Places `r` in `port`. `bits` is the width the selection must have where
/// the port's own width does not evaluate (an element's width from a
/// function of a parameter): the harness's operand or result width.
pub fn span(r: &PortRef, port: &Port, bits: Option<u32>) -> Result<Span, String> {
    let Some((hi, lo)) = r.select else {
        let width = port.width.or(bits).ok_or_else(|| unsized_port(port))?;
        return Ok(Span {
            offset: 0,
            width,
            port_width: width,
        });
    };
    // The outermost dimension: the first packed range, or the bits of a
    // port declared without one (a named type).
    let outer = match port.dims.first() {
        Some(Some(range)) => *range,
        Some(None) => {
            return Err(format!(
                "{r}: the outermost range of {} does not evaluate (it depends on something rf8 cannot read); connect the whole port or give the parameters it depends on with --param",
                port.name
            ))
        }
        None => match port.width {
            Some(w) => (w as i64 - 1, 0),
            None => return Err(unsized_port(port)),
        },
    };
    let too_wide = || {
        format!(
            "{r}: {} is wider than the {MAX_BITS} bits rf8 connects",
            port.name
        )
    };
    let count = outer
        .0
        .checked_sub(outer.1)
        .and_then(i64::checked_abs)
        .map(|d| d.unsigned_abs() + 1)
        .filter(|&c| c <= u64::from(MAX_BITS))
        .ok_or_else(too_wide)?;
    let position = |k: i64| -> Result<u64, String> {
        let (m, l) = outer;
        let inside = if m >= l {
            (l..=m).contains(&k)
        } else {
            (m..=l).contains(&k)
        };
        if !inside {
            return Err(format!(
                "{r}: index {k} is outside {}'s range [{m}:{l}]",
                port.name
            ));
        }
        // Inside a range of at most MAX_BITS entries: no overflow.
        Ok((k - l).unsigned_abs())
    };
    let (p, q) = (position(hi)?, position(lo)?);
    if (hi >= lo) != (outer.0 >= outer.1) && hi != lo {
        return Err(format!(
            "{r}: the range runs the other way from {}'s [{}:{}]",
            port.name, outer.0, outer.1
        ));
    }
    let selected = p.abs_diff(q) + 1;
    let element = match port.width {
        Some(w) if w > MAX_BITS => return Err(too_wide()),
        Some(w) => u64::from(w) / count,
        None => match bits {
            Some(b) if u64::from(b) % selected == 0 => u64::from(b) / selected,
            _ => return Err(unsized_port(port)),
        },
    };
    // Each factor is at most 2^32 and the counts at most MAX_BITS: the
    // products fit a u64.
    let fit = |v: u64| {
        u32::try_from(v)
            .ok()
            .filter(|&b| b <= MAX_BITS)
            .ok_or_else(too_wide)
    };
    Ok(Span {
        offset: fit(p.min(q) * element)?,
        width: fit(selected * element)?,
        port_width: fit(count * element)?,
    })
}

fn unsized_port(port: &Port) -> String {
    let ty = port
        .type_name
        .as_deref()
        .map(|t| format!(" (type {t})"))
        .unwrap_or_default();
    format!(
        "cannot tell the width of port {}{ty}: its declaration depends on something rf8 cannot read (a package not given first, or a function); list the package file before the design, or give the parameters it depends on with --param",
        port.name
    )
}

#[cfg(test)]
mod tests {
    use super::super::scan::modules;
    use super::*;

    #[test]
    fn parses_references() {
        let p = |t: &str| PortRef::parse(t);
        assert_eq!(p("x").unwrap().select, None);
        assert_eq!(p("ops[0]").unwrap().select, Some((0, 0)));
        assert_eq!(p("st[4:0]").unwrap().select, Some((4, 0)));
        assert_eq!(p("ops[ 2 ]").unwrap().to_string(), "ops[2]");
        assert!(p("ops[a]").unwrap_err().contains("not an index"));
        assert!(p("ops[1").unwrap_err().contains("name[k]"));
        assert!(p("1x").unwrap_err().contains("identifier"));
    }

    #[test]
    fn places_selections() {
        let ms = modules(
            "module m(input logic [2:0][15:0] ops, input logic [0:2][7:0] up, input [4:0] st, input logic [2:0][W-1:0] q); endmodule",
        );
        let port = |n: &str| ms[0].port(n).unwrap().clone();
        let s = |t: &str, bits| {
            span(
                &PortRef::parse(t).unwrap(),
                &port(t.split('[').next().unwrap()),
                bits,
            )
        };
        assert_eq!(
            s("ops[0]", None).unwrap(),
            Span {
                offset: 0,
                width: 16,
                port_width: 48
            }
        );
        assert_eq!(
            s("ops[2]", None).unwrap(),
            Span {
                offset: 32,
                width: 16,
                port_width: 48
            }
        );
        assert_eq!(
            s("ops[2:1]", None).unwrap(),
            Span {
                offset: 16,
                width: 32,
                port_width: 48
            }
        );
        // An ascending range: element 0 is the most significant.
        assert_eq!(
            s("up[0]", None).unwrap(),
            Span {
                offset: 16,
                width: 8,
                port_width: 24
            }
        );
        assert_eq!(
            s("st[3:1]", None).unwrap(),
            Span {
                offset: 1,
                width: 3,
                port_width: 5
            }
        );
        // The element's width from the operand when W is unknown.
        assert_eq!(
            s("q[1]", Some(16)).unwrap(),
            Span {
                offset: 16,
                width: 16,
                port_width: 48
            }
        );
        assert!(s("q[1]", None)
            .unwrap_err()
            .contains("cannot tell the width of port q"));
        assert!(s("ops[3]", None).unwrap_err().contains("outside"));
        assert!(s("ops[0:1]", None).unwrap_err().contains("other way"));
    }

    /// Ranges that overflow or are too wide to wire are refused, never
    /// wrapped into a wrong width or allocated.
    #[test]
    fn extreme_ranges_are_refused() {
        let ms = modules(
            "module m(input [9223372036854775807:-9223372036854775807] big, input [40000000:0] wide); endmodule",
        );
        assert_eq!(ms[0].port("big").unwrap().width, None);
        for (name, sel) in [("big", "big[0]"), ("wide", "wide[15:0]")] {
            let e = span(
                &PortRef::parse(sel).unwrap(),
                ms[0].port(name).unwrap(),
                Some(16),
            )
            .unwrap_err();
            assert!(e.contains("wider than the 1048576 bits"), "{e}");
        }
    }
}
