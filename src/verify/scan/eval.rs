//! Constant expressions of the scanner: port ranges and parameter values
//! made of numbers, parameters, `+ - * /`, brackets and `$clog2`.

use std::collections::HashMap;

use super::tokens::Tok;

/// Integer expressions of numbers, parameters, `+ - * /` and brackets.
pub fn eval(toks: &[Tok], params: &HashMap<String, i64>) -> Option<i64> {
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
            Tok::Ident(f) if f == "$clog2" => {
                let v = self.bracketed()?;
                // The bits to count v values: ceil(log2(v)), 0 for 0 and 1.
                (v >= 0).then(|| 64 - (v.max(1) as u64 - 1).leading_zeros() as i64)
            }
            // `pkg::NAME`: a package's parameter.
            Tok::Ident(pkg)
                if self.toks.get(self.i) == Some(&Tok::Punct(':'))
                    && self.toks.get(self.i + 1) == Some(&Tok::Punct(':')) =>
            {
                let Some(Tok::Ident(name)) = self.toks.get(self.i + 2) else {
                    return None;
                };
                self.i += 3;
                self.params.get(&format!("{pkg}::{name}")).copied()
            }
            Tok::Ident(name) => self.params.get(name).copied(),
            Tok::Punct('-') => self.atom().and_then(i64::checked_neg),
            Tok::Punct('(') => {
                self.i -= 1;
                self.bracketed()
            }
            _ => None,
        }
    }

    /// `( sum )` at the cursor.
    fn bracketed(&mut self) -> Option<i64> {
        if self.toks.get(self.i) != Some(&Tok::Punct('(')) {
            return None;
        }
        self.i += 1;
        let v = self.sum()?;
        (self.toks.get(self.i) == Some(&Tok::Punct(')'))).then(|| {
            self.i += 1;
            v
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokens;
    use super::*;

    #[test]
    fn expressions() {
        let mut params = HashMap::new();
        params.insert("W".to_string(), 16);
        params.insert("pkg::N".to_string(), 5);
        let e = |t: &str| eval(&tokens(t), &params);
        assert_eq!(e("W-1"), Some(15));
        assert_eq!(e("(W+2)*2/4"), Some(9));
        assert_eq!(e("$clog2(pkg::N)"), Some(3));
        assert_eq!(e("$clog2(16)"), Some(4));
        assert_eq!(e("$clog2(17)"), Some(5));
        assert_eq!(e("$clog2(1)"), Some(0));
        assert_eq!(e("pkg::M"), None);
        assert_eq!(e("W W"), None);
    }
}
