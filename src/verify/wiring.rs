//! The connection module's wiring for ports connected in parts: each
//! such port gets a wire `rf8_<port>`, each part is assigned to it (an
//! input) or from it (an output), and every bit of an input must be
//! driven by exactly one part.

use super::scan::Dir;
use super::slice::Span;

/// One part of a port the harness drives or reads.
pub(super) struct Use {
    /// The option that asked for it, for messages (`--port a=x[0]`).
    pub what: String,
    pub port: String,
    pub whole: bool,
    pub dir: Dir,
    pub span: Option<Span>,
    /// What drives the part (an input) or reads it (an output).
    pub expr: String,
}

/// The instance's connections, and the wires and assignments for ports
/// connected in parts: such a port gets a wire `rf8_<port>`, each part
/// is assigned to it (an input) or from it (an output), and an input's
/// every bit must be driven by exactly one part.
pub(super) fn wire(uses: &[Use]) -> Result<(Vec<String>, Vec<String>), String> {
    let mut ports: Vec<&str> = Vec::new();
    for u in uses {
        if !ports.contains(&u.port.as_str()) {
            ports.push(&u.port);
        }
    }
    let mut connections = Vec::new();
    let mut lines = Vec::new();
    for port in ports {
        let parts: Vec<&Use> = uses.iter().filter(|u| u.port == port).collect();
        if let [one] = parts.as_slice() {
            if one.whole {
                connections.push(format!(".{port}({})", one.expr));
                continue;
            }
        }
        if let Some(w) = parts.iter().find(|u| u.whole) {
            let other = parts
                .iter()
                .find(|u| !std::ptr::eq(**u, *w))
                .map_or("", |u| u.what.as_str());
            return Err(format!(
                "{}: {port} is connected twice (also by {other})",
                w.what
            ));
        }
        let spans: Vec<Span> = parts.iter().filter_map(|u| u.span).collect();
        let total = spans.first().map_or(0, |s| s.port_width);
        for (i, (u, s)) in parts.iter().zip(&spans).enumerate() {
            for (v, t) in parts.iter().zip(&spans).skip(i + 1) {
                if s.offset < t.offset + t.width && t.offset < s.offset + s.width {
                    return Err(format!("{}: overlaps {}", v.what, u.what));
                }
            }
        }
        let wire = format!("rf8_{port}");
        lines.push(format!("wire [{}:0] {wire};", total - 1));
        connections.push(format!(".{port}({wire})"));
        for (u, s) in parts.iter().zip(&spans) {
            let bits = format!("{wire}[{}:{}]", s.offset + s.width - 1, s.offset);
            lines.push(match u.dir {
                Dir::Output => format!("assign {} = {bits};", u.expr),
                _ => format!("assign {bits} = {};", u.expr),
            });
        }
        if parts.iter().any(|u| u.dir != Dir::Output) {
            let mut covered = vec![false; total as usize];
            for s in &spans {
                covered[s.offset as usize..(s.offset + s.width) as usize].fill(true);
            }
            if let Some(lo) = covered.iter().position(|c| !c) {
                let hi = lo + covered[lo..].iter().take_while(|c| !**c).count() - 1;
                return Err(format!(
                    "{port}: bits {hi}:{lo} of its {total} are driven by nothing; tie them (--tie {port}[k]=VALUE for an element k)"
                ));
            }
        }
    }
    Ok((connections, lines))
}
