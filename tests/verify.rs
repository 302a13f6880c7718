//! The generated Verilog, simulated, against the references: the default
//! vector set on Verilator, a sample on Icarus Verilog, the pipelined
//! variants, and property tests that drive the Verilated models.

mod common;

use proptest::prelude::*;
use rf8::sim::verilator::VerilatorModel;
use rf8::sim::Simulator;
use rf8::verify::{negate_row, vectors, verify, Options};
use rf8::{Design, Multiplier, DESIGNS};

fn options(simulator: Simulator, vectors: u64, pipeline: usize) -> Options {
    Options {
        vectors,
        simulators: vec![simulator],
        pipeline,
        ..Options::default()
    }
}

fn assert_clean(m: &Design, opts: &Options) -> u64 {
    let o = verify(m, opts).unwrap_or_else(|e| panic!("{}: {e}", m.name()));
    let r = &o.reports[0];
    assert_eq!(r.mismatches, 0, "{}: {:?}", m.name(), r.causes);
    assert!(r.unsettled.is_none(), "{}", m.name());
    r.pairs
}

/// `make test`'s main check: every design, the default vector set (every
/// pair of the 8- and 4-bit formats; directed catalogue + 10^6 random
/// pairs for the 16-bit ones), on Verilator.
#[test]
fn default_set_on_verilator() {
    for m in DESIGNS.iter() {
        let pairs = assert_clean(m, &options(Simulator::Verilator, 1_000_000, 0));
        let want = if vectors::exhaustive_by_default(m.reference) {
            1 << (2 * m.width())
        } else {
            1_001_000
        };
        assert!(pairs >= want, "{}", m.name());
    }
}

/// The second simulator on a sample: 8- and 4-bit formats exhaustive,
/// 16-bit formats the directed catalogue and 20,000 random pairs.
#[test]
fn sample_on_icarus() {
    for m in DESIGNS.iter() {
        assert_clean(m, &options(Simulator::Icarus, 20_000, 0));
    }
}

/// Pipelined variants (every depth the design allows) on Icarus, and one
/// on Verilator.
#[test]
fn pipelined_variants() {
    for m in DESIGNS.iter() {
        for depth in 1..=m.hardware.stages.len() {
            assert_clean(m, &options(Simulator::Icarus, 5_000, depth));
        }
    }
    assert_clean(
        rf8::by_name("rf8_mul").unwrap(),
        &options(Simulator::Verilator, 0, 2),
    );
}

/// The exhaustive sweep derives the reference row of `-a` from the row of
/// `a`; that symmetry must hold for every design that is swept (those with
/// more than 2^20 pairs).
#[test]
fn reference_sign_symmetry_used_by_the_sweep() {
    for m in DESIGNS
        .iter()
        .filter(|m| !vectors::exhaustive_by_default(m.reference))
    {
        let sign = 1u32 << (m.width() - 1);
        let mut pairs = vectors::default_set(m.reference, 1_000_000, 7);
        pairs.retain(|&(a, _)| (a as u32) & sign == 0);
        for (a, b) in pairs {
            let mut y = [m.mul(a as u32, b as u32) as u16];
            negate_row(&mut y, sign as u16, m.nan_code());
            assert_eq!(
                y[0] as u32,
                m.mul(a as u32 | sign, b as u32),
                "{} {a:#x} {b:#x}",
                m.name()
            );
        }
    }
}

/// Verilated models, built once per test run.
fn models() -> &'static Vec<VerilatorModel> {
    static MODELS: std::sync::OnceLock<Vec<VerilatorModel>> = std::sync::OnceLock::new();
    MODELS.get_or_init(|| {
        DESIGNS
            .iter()
            .map(|m| {
                let opts = Options::default();
                VerilatorModel::build(&rf8::verify::prepare(m, &opts).unwrap().dut).unwrap()
            })
            .collect()
    })
}

/// Codes that mix uniform values with the special classes of the format.
fn code(m: &dyn Multiplier) -> BoxedStrategy<u16> {
    let mask = ((1u32 << m.width()) - 1) as u16;
    let specials: Vec<u16> = m.specials().iter().map(|&c| c as u16).collect();
    prop_oneof![
        any::<u16>().prop_map(move |c| c & mask),
        proptest::sample::select(specials)
    ]
    .boxed()
}

fn describe(m: &dyn Multiplier, c: u32, output: bool) -> String {
    let v = if output {
        m.decode_output(c)
    } else {
        m.decode(c)
    };
    format!("{c:#06x} ({})", rf8::exact::exact_decimal(v))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Hardware against reference, one pair per case: a failure shrinks to
    /// a minimal pair, printed in hex and decoded.
    #[test]
    fn verilated_designs_match_references(
        (index, a, b) in (0..DESIGNS.len())
            .prop_flat_map(|i| (Just(i), code(DESIGNS[i].reference), code(DESIGNS[i].reference)))
    ) {
        let m = DESIGNS[index].reference;
        let y = models()[index].eval(&[(a, b)]).unwrap()[0];
        let want = m.mul(a as u32, b as u32);
        prop_assert_eq!(
            y, want,
            "{}: {} * {} gave {}, reference {}",
            m.name(), describe(m, a as u32, false), describe(m, b as u32, false),
            describe(m, y, true), describe(m, want, true)
        );
    }
}

/// `rf8 verify --json` prints one JSON document for any mix of
/// multipliers and dot-product units (issue 29): a schema version, the
/// multipliers' outcomes and the units'. The text names both.
#[test]
fn one_json_document_for_any_mix_of_units() {
    let args = [
        "verify",
        "--design",
        "fp4_e2m1_mul",
        "--design",
        "dot_fp4_e2m1_n1",
        "--simulator",
        "both",
    ];
    let out = common::rf8(&[&args[..], &["--json"]].concat());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["schema_version"], 2);
    assert_eq!(doc["multipliers"].as_array().unwrap().len(), 1);
    assert_eq!(doc["dot_units"].as_array().unwrap().len(), 1);
    assert_eq!(
        doc["multipliers"][0]["reports"].as_array().unwrap().len(),
        2
    );
    let text = common::rf8(&args);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("fp4_e2m1_mul") && text.contains("dot_fp4_e2m1_n1"),
        "{text}"
    );
}
