//! Comparing a design's outputs with the reference: mismatches counted
//! per cause, counterexamples kept, and a hint when the mismatches look
//! like another NaN policy.

use super::*;
use crate::formats::minifloat::{Flags, Rounding};

/// When every NaN mismatch is another NaN code the policy would accept
/// under a looser one, say so.
pub(super) fn nan_hint(judge: &Judge, tally: &Tally, policy: NanPolicy) -> Option<String> {
    let nan = tally.counts[Cause::Nan.index()];
    if nan == 0 || policy == NanPolicy::Any {
        return None;
    }
    let m = judge.multiplier();
    let examples = &tally.examples[Cause::Nan.index()];
    let all_nan_codes = examples.iter().all(|&(a, b, got)| {
        Some(m.mul(a, b)) == m.nan_code()
            && got >> m.out_width() == 0
            && m.decode_output(got).is_nan()
    });
    let looser = if policy == NanPolicy::Canonical {
        "--nan quiet (any quiet NaN) or --nan any"
    } else {
        "--nan any"
    };
    all_nan_codes.then(|| {
        format!(
            "the first NaN mismatches are NaN codes other than {:#x}; {looser} accepts them",
            m.nan_code().unwrap_or(0)
        )
    })
}

/// When the mismatches follow another IEEE rounding mode, say which (the
/// mode that accepts most of them, with its count).
pub(super) fn rounding_hint(judge: &Judge, tally: &Tally) -> Option<String> {
    let checked = judge.rounding()?;
    let others: Vec<(Rounding, u64)> = Rounding::IEEE
        .into_iter()
        .zip(tally.modes)
        .filter(|(r, _)| *r != checked)
        .collect();
    let count = others.iter().map(|o| o.1).max()?;
    // The first in IEEE order among equals (for positive results RTZ and
    // RDN agree; both are named).
    let tied: Vec<Rounding> = others
        .iter()
        .filter(|o| o.1 == count)
        .map(|o| o.0)
        .collect();
    let best = tied[0];
    (count > 0).then(|| {
        // Mismatches with a wrong result (not those of the flags alone).
        let wrong = tally.mismatches - tally.counts[Cause::Flags.index()];
        let share = if count == wrong {
            format!("all {count}")
        } else {
            format!("{count} of the {wrong}")
        };
        let also: Vec<&str> = tied[1..].iter().map(|r| r.name()).collect();
        let also = if also.is_empty() {
            String::new()
        } else {
            format!(" (as does {})", also.join(", "))
        };
        let results = if wrong == tally.mismatches { "" } else { " with a wrong result" };
        format!(
            "{share} mismatches{results} are what {} ({}) gives{also}; the check used {} ({}): try --rounding {}",
            best.describe(),
            best.name(),
            checked.describe(),
            checked.name(),
            best.name()
        )
    })
}

/// A kind of mismatch within a cause: the cause, the kind, its count and
/// its first example `(a, b, got)`.
pub(super) type Kind = (Cause, String, u64, (u32, u32, u32));

/// Mismatches counted per cause, with the first examples of each and the
/// first `max` of all.
#[derive(Clone, Debug, Default)]
pub(super) struct Tally {
    pub(super) mismatches: u64,
    /// Mismatches that each IEEE rounding mode would accept.
    pub(super) modes: [u64; 5],
    pub(super) counts: [u64; 9],
    pub(super) examples: [Vec<(u32, u32, u32)>; 9],
    /// With `--flags`: mismatches of each flag, by [`Flags`] bit.
    pub(super) flags: [u64; 5],
    /// Kinds within each cause ([`Judge::kind`]), with their counts and
    /// first examples, in order of appearance.
    pub(super) kinds: Vec<Kind>,
    pub(super) list: Vec<Mismatch>,
}

impl Tally {
    pub(super) fn add(
        &mut self,
        judge: &Judge,
        a: u32,
        b: u32,
        got: u32,
        expected: u32,
        max: usize,
    ) {
        let cause = judge.cause(a, b, got, expected);
        let i = cause.index();
        // Which mode a wrong result follows (a right result with wrong
        // flags says nothing about the rounding).
        if cause != Cause::Flags {
            let modes = judge.modes_accepting(a, b, got);
            for (k, n) in self.modes.iter_mut().enumerate() {
                *n += (modes >> k & 1) as u64;
            }
        }
        self.mismatches += 1;
        self.counts[i] += 1;
        let (got_result, got_flags) = judge.split(got);
        let (expected_result, expected_flags) = judge.split(expected);
        let flags = got_flags.zip(expected_flags);
        if let Some((g, e)) = flags {
            for (k, n) in self.flags.iter_mut().enumerate() {
                *n += ((g.0 ^ e.0) >> k & 1) as u64;
            }
        }
        if self.examples[i].len() < EXAMPLES_PER_CAUSE {
            self.examples[i].push((a, b, got));
        }
        let kind = judge.kind(cause, a, b, got, expected);
        match self.kinds.iter_mut().find(|k| k.0 == cause && k.1 == kind) {
            Some(k) => k.2 += 1,
            None => self.kinds.push((cause, kind, 1, (a, b, got))),
        }
        if self.list.len() < max {
            self.list.push(Mismatch {
                a,
                b,
                got: got_result,
                expected: expected_result,
                cause,
                flags,
            });
        }
    }

    /// `self` followed by `later`.
    pub(super) fn merge(mut self, later: Tally, max: usize) -> Tally {
        self.mismatches += later.mismatches;
        for (n, m) in self.modes.iter_mut().zip(later.modes) {
            *n += m;
        }
        for (n, m) in self.flags.iter_mut().zip(later.flags) {
            *n += m;
        }
        for k in later.kinds {
            match self.kinds.iter_mut().find(|s| s.0 == k.0 && s.1 == k.1) {
                Some(s) => s.2 += k.2,
                None => self.kinds.push(k),
            }
        }
        for i in 0..Cause::ALL.len() {
            self.counts[i] += later.counts[i];
            let room = EXAMPLES_PER_CAUSE - self.examples[i].len();
            self.examples[i].extend(later.examples[i].iter().take(room));
        }
        let room = max - self.list.len();
        self.list.extend(later.list.into_iter().take(room));
        self
    }

    pub(super) fn causes(&self, judge: &Judge) -> Vec<CauseCount> {
        Cause::ALL
            .iter()
            .filter(|c| self.counts[c.index()] > 0)
            .map(|&c| CauseCount {
                cause: c,
                count: self.counts[c.index()],
                examples: self.examples[c.index()]
                    .iter()
                    .map(|&(a, b, got)| counterexample(judge, a, b, got))
                    .collect(),
                kinds: self
                    .kinds
                    .iter()
                    .filter(|k| k.0 == c)
                    .map(|k| KindCount {
                        kind: k.1.clone(),
                        count: k.2,
                        example: counterexample(judge, k.3 .0, k.3 .1, k.3 .2),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Mismatches per flag, in the flag port's order (empty without
    /// `--flags`).
    pub(super) fn flag_counts(&self, judge: &Judge) -> Vec<FlagCount> {
        let Some(port) = judge.flag_port() else {
            return Vec::new();
        };
        port.order()
            .split(',')
            .filter_map(|name| {
                let f = Flags::from_name(name)?;
                let bit = f.0.trailing_zeros() as usize;
                Some(FlagCount {
                    flag: name.to_string(),
                    count: self.flags[bit],
                })
            })
            .collect()
    }
}

/// A mismatch with its values, for reports.
pub fn counterexample(judge: &Judge, a: u32, b: u32, got: u32) -> Counterexample {
    let m = judge.multiplier();
    let expected = judge.expected(a, b);
    let cause = judge.cause(a, b, got, expected);
    let (got, got_flags) = judge.split(got);
    let (expected, expected_flags) = judge.split(expected);
    Counterexample {
        a,
        b,
        got,
        expected,
        got_flags: got_flags.map(|f| f.to_string()),
        expected_flags: expected_flags.map(|f| f.to_string()),
        cause,
        a_value: m.decode(a),
        b_value: m.decode(b),
        got_value: (got >> m.out_width() == 0).then(|| m.decode_output(got)),
        expected_value: m.decode_output(expected),
        exact_product: vectors::exact_product(m, a, b),
    }
}

/// Compares outputs with the reference on all cores.
pub(super) fn compare(judge: &Judge, pairs: &[(u16, u16)], got: &[u32], max: usize) -> Tally {
    let chunks: Vec<Tally> = pairs
        .par_chunks(1 << 14)
        .zip(got.par_chunks(1 << 14))
        .map(|(p, g)| {
            let mut t = Tally::default();
            for (&(a, b), &y) in p.iter().zip(g) {
                let (a, b) = (a as u32, b as u32);
                let want = judge.expected(a, b);
                if !judge.accepts(want, y) {
                    t.add(judge, a, b, y, want, max);
                }
            }
            t
        })
        .collect();
    chunks
        .into_iter()
        .fold(Tally::default(), |acc, t| acc.merge(t, max))
}
