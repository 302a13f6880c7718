//! Tables as aligned text, Markdown and CSV, built from the same rows so
//! that every rendering holds the same figures (the report's tables, `rf8
//! eval`'s).

/// A table: a header and rows of already-formatted cells.
#[derive(Clone, Debug, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// GitHub-flavoured Markdown.
    pub fn markdown(&self) -> String {
        let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
        let mut out = line(&self.header);
        out += &line(&vec!["---".to_string(); self.header.len()]);
        for r in &self.rows {
            out += &line(r);
        }
        out
    }

    /// Aligned plain text for a terminal: the first column left-aligned,
    /// the others right-aligned (Markdown code marks removed).
    pub fn text(&self) -> String {
        let plain = |c: &String| c.replace('`', "");
        let all: Vec<Vec<String>> = std::iter::once(&self.header)
            .chain(&self.rows)
            .map(|r| r.iter().map(plain).collect())
            .collect();
        let widths: Vec<usize> = (0..self.header.len())
            .map(|c| {
                all.iter()
                    .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for r in &all {
            let cells: Vec<String> = r
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(i, (c, &w))| {
                    if i == 0 {
                        format!("{c:<w$}")
                    } else {
                        format!("{c:>w$}")
                    }
                })
                .collect();
            out += cells.join("  ").trim_end();
            out.push('\n');
        }
        out
    }

    /// RFC 4180 CSV (Markdown code marks removed).
    pub fn csv(&self) -> String {
        let cell = |c: &String| {
            let c = c.replace('`', "");
            if c.contains([',', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c
            }
        };
        let line = |cells: &[String]| cells.iter().map(cell).collect::<Vec<_>>().join(",") + "\n";
        let mut out = line(&self.header);
        for r in &self.rows {
            out += &line(r);
        }
        out
    }
}

/// A figure as the report prints it: `-` for a missing one.
pub fn fixed(x: Option<f64>, digits: usize) -> String {
    match x {
        Some(v) if v.is_finite() => format!("{v:.digits$}"),
        Some(v) => format!("{v}"),
        None => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_csv_hold_the_same_cells() {
        let mut t = Table::new(&["design", "note"]);
        t.push(vec!["`rf8_mul`".into(), "a, \"b\"".into()]);
        assert_eq!(
            t.markdown(),
            "| design | note |\n| --- | --- |\n| `rf8_mul` | a, \"b\" |\n"
        );
        assert_eq!(t.csv(), "design,note\nrf8_mul,\"a, \"\"b\"\"\"\n");
        assert_eq!(t.text(), "design     note\nrf8_mul  a, \"b\"\n");
        assert_eq!(fixed(Some(1.234), 1), "1.2");
        assert_eq!(fixed(None, 1), "-");
    }
}
