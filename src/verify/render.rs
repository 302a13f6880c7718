//! Text and CSV renderings of verification results (the CLI only chooses
//! which to print).

use crate::exact::exact_decimal;
use crate::sim::icarus::X_CODE;
use crate::Multiplier;

use super::cause::{FlagPort, Judge};
use super::{
    Counterexample, Disagreement, DotOutcome, Mismatch, Outcome, Report, Run, UnitOutcome,
};
use crate::unit::Unit;
use crate::Design;

/// Warnings printed per report; the rest are counted.
const WARNINGS_SHOWN: usize = 20;

fn code(c: u32, bits: u32) -> String {
    if c == X_CODE || c >> bits != 0 {
        "X".into()
    } else {
        format!("{c:#0w$x}", w = bits.div_ceil(4) as usize + 2)
    }
}

fn value(v: Option<f64>) -> String {
    v.map_or("X".into(), exact_decimal)
}

/// [`value`] for reading: a decimal of more than 24 characters (a BF16
/// subnormal has over a hundred) is shortened to 7 significant digits;
/// `--replay` and the CSV file give it exactly.
fn short(v: Option<f64>) -> String {
    let exact = value(v);
    match v {
        Some(x) if exact.len() > 24 => format!("{x:.6e}"),
        _ => exact,
    }
}

fn example(c: &Counterexample, width: u32, out_width: u32) -> String {
    let flags = match (&c.got_flags, &c.expected_flags) {
        (Some(g), Some(e)) => format!("; flags rtl {g}, reference {e}"),
        _ => String::new(),
    };
    format!(
        "a = {} ({}), b = {} ({}): rtl {} ({}), reference {} ({}), exact product {}{flags}",
        code(c.a, width),
        short(Some(c.a_value)),
        code(c.b, width),
        short(Some(c.b_value)),
        code(c.got, out_width),
        short(c.got_value),
        code(c.expected, out_width),
        short(Some(c.expected_value)),
        c.exact_product.map_or("-".into(), |x| short(Some(x)))
    )
}

/// `12.3 M pairs/s`, or `35 k pairs/s` below a million.
fn rate(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.1} M pairs/s", per_second / 1e6)
    } else {
        format!("{:.0} k pairs/s", per_second / 1e3)
    }
}

/// One report as text: a summary line, then the interface, warnings,
/// notes, and mismatches per cause with their first counterexamples.
pub fn report(r: &Report, m: &dyn Multiplier) -> String {
    let (w, wy) = (m.width(), m.out_width());
    let scope = if r.exhaustive {
        "all pairs"
    } else {
        "vector set"
    };
    let mut out = if r.unsettled.is_some() {
        format!(
            "{} ({}, {}, {}): did not settle (+{:.1} s build)\n",
            r.design,
            r.module,
            r.simulator.name(),
            r.rtl,
            r.build_seconds
        )
    } else {
        format!(
            "{} ({}, {}, {}): {} pairs ({scope}), {} mismatches, {}, {:.2} s (+{:.1} s build)\n",
            r.design,
            r.module,
            r.simulator.name(),
            r.rtl,
            r.pairs,
            r.mismatches,
            rate(r.pairs_per_second),
            r.seconds,
            r.build_seconds
        )
    };
    out += &format!(
        "  ports {}; latency {}; NaN results: {}\n",
        r.interface,
        r.latency,
        r.nan.name()
    );
    if let Some(s) = &r.latency_search {
        let tried: Vec<String> = s
            .tried
            .iter()
            .map(|(l, bad)| format!("{l}: {bad}"))
            .collect();
        let verdict = if s.tried.iter().any(|t| t.1 == 0) {
            format!("latency {} reproduces the reference", s.chosen)
        } else {
            format!(
                "no latency up to {} reproduces the reference; verifying with the closest, {}",
                super::MAX_LATENCY,
                s.chosen
            )
        };
        out += &format!(
            "  latency auto: {verdict} (mismatches of {} directed pairs at latency {})\n",
            s.pairs,
            tried.join(", ")
        );
    }
    for wline in r.warnings.iter().take(WARNINGS_SHOWN) {
        out += &format!("  warning: {wline}\n");
    }
    if r.warnings.len() > WARNINGS_SHOWN {
        out += &format!(
            "  ... and {} more warnings\n",
            r.warnings.len() - WARNINGS_SHOWN
        );
    }
    for n in &r.notes {
        out += &format!("  note: {n}\n");
    }
    if let Some(u) = &r.unsettled {
        let at = u
            .pair
            .map_or("while the vectors were applied".to_string(), |(a, b)| {
                format!("at a = {}, b = {}", code(a, w), code(b, w))
            });
        out += &format!(
            "  FAIL: the design does not settle {at} (a combinational loop that oscillates?): {}\n",
            u.message
        );
    }
    if let Some(f) = &r.file_disagreements {
        if f.count > 0 {
            out += &format!(
                "  the vectors file disagrees with the reference on {} pairs (its conventions, not the design's; first: {})\n",
                f.count,
                f.examples
                    .iter()
                    .map(|(a, b, e, y)| format!(
                        "{} x {}: file {}, reference {}",
                        code(*a, w),
                        code(*b, w),
                        code(*e, wy),
                        code(*y, wy)
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
    }
    if let Some(order) = &r.flag_order {
        let counts: Vec<String> = r
            .flags
            .iter()
            .map(|f| format!("{} {}", f.flag, f.count))
            .collect();
        out += &format!(
            "  flags ({order}, against SoftFloat's, tininess after rounding): mismatches per flag: {}\n",
            counts.join(", ")
        );
    }
    if !r.causes.is_empty() {
        out += "  mismatches by cause:\n";
        for c in &r.causes {
            out += &format!(
                "    {:<16} {:>10}  {}\n",
                c.cause.name(),
                c.count,
                c.cause.describe()
            );
            if c.kinds.len() > 1 {
                // One example of each kind: the first examples may all be
                // of one.
                for k in &c.kinds {
                    out += &format!(
                        "      {} ({}): e.g. {}\n",
                        Judge::describe_kind(&k.kind),
                        k.count,
                        example(&k.example, w, wy)
                    );
                }
            } else {
                if let Some(k) = c.kinds.first() {
                    out += &format!("      all {}:\n", Judge::describe_kind(&k.kind));
                }
                for e in &c.examples {
                    out += &format!("      {}\n", example(e, w, wy));
                }
            }
        }
    }
    out
}

/// Where two simulators disagree, as text.
pub fn disagreement(d: &Disagreement, names: [&str; 2], m: &dyn Multiplier) -> String {
    let (w, wy) = (m.width(), m.out_width());
    if d.differing == 0 {
        return format!(
            "{} and {} agree on all {} pairs\n",
            names[0], names[1], d.pairs
        );
    }
    let mut out = format!(
        "{} and {} disagree on {} of {} pairs: the design's behaviour depends on the simulator (X or uninitialised values, races, several drivers); it fails until both agree\n",
        names[0], names[1], d.differing, d.pairs
    );
    for (a, b, p, q, r) in &d.examples {
        out += &format!(
            "  a = {}, b = {}: {} {}, {} {}, reference {}\n",
            code(*a, w),
            code(*b, w),
            names[0],
            code(*p, wy),
            names[1],
            code(*q, wy),
            code(*r, wy)
        );
    }
    out
}

/// A design's outcome: its reports and the simulators' comparison.
pub fn outcome(o: &Outcome, m: &dyn Multiplier) -> String {
    let mut out: String = o.reports.iter().map(|r| report(r, m)).collect();
    if let (Some(d), [r1, r2]) = (&o.disagreement, o.reports.as_slice()) {
        out += &disagreement(d, [r1.simulator.name(), r2.simulator.name()], m);
    }
    out
}

/// The `--mismatches` CSV: one line per kept mismatch. The first three
/// columns (`a,b,expected`) are a vectors file for `--vectors-file`.
pub fn mismatches_csv(rows: &[(&str, &[Mismatch])], m: &dyn Multiplier) -> String {
    let (w, wy) = (m.width(), m.out_width());
    let flags = rows
        .iter()
        .any(|(_, l)| l.iter().any(|x| x.flags.is_some()));
    let mut out = String::from(
        "a,b,expected,got,cause,simulator,a_value,b_value,expected_value,got_value,exact_product",
    );
    out += if flags {
        ",expected_flags,got_flags\n"
    } else {
        "\n"
    };
    for (sim, list) in rows {
        for x in *list {
            let flag_columns = match x.flags {
                Some((g, e)) => format!(",{e},{g}"),
                None if flags => ",,".into(),
                None => String::new(),
            };
            let got_value = (x.got >> wy == 0).then(|| m.decode_output(x.got));
            out += &format!(
                "{},{},{},{},{},{sim},{},{},{},{},{}{flag_columns}\n",
                code(x.a, w),
                code(x.b, w),
                code(x.expected, wy),
                code(x.got, wy),
                x.cause.name(),
                value(Some(m.decode(x.a))),
                value(Some(m.decode(x.b))),
                value(Some(m.decode_output(x.expected))),
                value(got_value),
                super::vectors::exact_product(m, x.a, x.b).map_or("".into(), exact_decimal)
            );
        }
    }
    out
}

/// A dot-product unit's outcome: one line per simulator, then its first
/// mismatches.
pub fn dot_outcome(o: &DotOutcome) -> String {
    let scope = if o.exhaustive {
        "every pair x accumulator edges".to_string()
    } else {
        format!("{} directed + seeded random", o.directed)
    };
    let what = if o.sequential { "groups" } else { "vectors" };
    let mut out = String::new();
    for r in &o.reports {
        out += &format!(
            "{} ({}): {} {what} ({scope}), {} mismatches, {:.1} s\n",
            o.unit,
            r.simulator.name(),
            r.vectors,
            r.mismatches,
            r.seconds
        );
        for m in &r.first {
            out += &format!("  {m}\n");
        }
    }
    out
}

/// Every unit's outcome in the order given, the `--mismatches` file and
/// one verdict line.
pub fn summary(
    outcomes: &[(UnitOutcome, Unit)],
    csv: Option<&std::path::Path>,
    max: usize,
) -> String {
    let mut out = String::new();
    for (o, u) in outcomes {
        out += &match (o, u) {
            (UnitOutcome::Multiplier(o), Unit::Mul(m)) => outcome(o, m.reference),
            (UnitOutcome::Dot(o), _) => dot_outcome(o),
            (UnitOutcome::Multiplier(_), _) => unreachable!("a multiplier's outcome"),
        };
    }
    let muls: Vec<&Outcome> = outcomes
        .iter()
        .filter_map(|(o, _)| match o {
            UnitOutcome::Multiplier(o) => Some(o),
            UnitOutcome::Dot(_) => None,
        })
        .collect();
    let reports = muls.iter().flat_map(|o| &o.reports);
    let runs: Vec<Run> = outcomes.iter().flat_map(|(o, _)| o.runs()).collect();
    let mism: u64 = runs.iter().map(|r| r.mismatches).sum();
    if let Some(path) = csv {
        let kept: usize = reports.clone().map(|r| r.list.len()).sum();
        out += &format!(
            "mismatches: {} ({kept} of {mism}{})\n",
            path.display(),
            if (kept as u64) < mism {
                format!("; --max-mismatches {max} kept the first")
            } else {
                String::new()
            }
        );
    }
    let failed = outcomes.iter().any(|(o, _)| o.failed());
    let verdict = if failed { "FAIL" } else { "PASS" };
    let mut parts = Vec::new();
    for (kind, what) in [
        ("multiplier", "pairs"),
        ("dot-product unit", "vectors"),
        ("MAC unit", "groups"),
    ] {
        let of_kind: Vec<&(UnitOutcome, Unit)> =
            outcomes.iter().filter(|(_, u)| u.kind() == kind).collect();
        if !of_kind.is_empty() {
            let n: u64 = of_kind
                .iter()
                .flat_map(|(o, _)| o.runs())
                .map(|r| r.vectors)
                .sum();
            let s = if of_kind.len() == 1 { "" } else { "s" };
            parts.push(format!("{} {kind}{s} on {n} {what}", of_kind.len()));
        }
    }
    let unsettled = reports.clone().filter(|r| r.unsettled.is_some()).count();
    let disagree = muls
        .iter()
        .filter(|o| o.disagreement.as_ref().is_some_and(|d| d.differing > 0))
        .count();
    let mut extra = String::new();
    if unsettled > 0 {
        extra += &format!(", {unsettled} runs did not settle");
    }
    if disagree > 0 {
        extra += &format!(", simulators disagree on {disagree} designs");
    }
    out + &format!(
        "{verdict}: {}, {mism} mismatches{extra}\n",
        parts.join(", ")
    )
}

/// `--replay`: the reference's steps, then each simulator's output.
pub fn replay(o: &Outcome, m: &Design, a: u32, b: u32) -> String {
    let mut out = String::new();
    for (name, v) in super::replay::steps(m, a, b) {
        out += &format!("{name:<10}{v}\n");
    }
    for r in &o.reports {
        let line = if let Some(u) = &r.unsettled {
            format!("does not settle: {}", u.message)
        } else {
            let plain = Judge::new(m.reference, r.nan);
            let port = r
                .flag_order
                .as_deref()
                .and_then(|o| FlagPort::parse(o).ok());
            let judge = match port {
                Some(p) => plain
                    .with_flags(p)
                    .unwrap_or_else(|_| Judge::new(m.reference, r.nan)),
                None => plain,
            };
            let expected = judge.expected(a, b);
            let got = r.outputs.first().copied().unwrap_or(expected);
            let cause = judge.cause(a, b, got, expected);
            let (result, flags) = judge.split(got);
            let mut text = code(result, m.out_width());
            if let (Some(g), Some(e)) = (flags, judge.split(expected).1) {
                text += &format!(" flags {g} (reference {e})");
            }
            if r.mismatches == 0 {
                format!("{text}: matches the reference")
            } else {
                format!("{text}: MISMATCH ({}: {})", cause.name(), cause.describe())
            }
        };
        out += &format!(
            "{:<10}{line} ({} {}, latency {})\n",
            r.simulator.name(),
            r.module,
            r.rtl,
            r.latency
        );
    }
    out
}
