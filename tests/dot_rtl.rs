//! The generated Verilog of the dot-product units against their
//! references: Yosys reduces the Verilog to an And-Inverter Graph, which
//! `rf8::area::aig` evaluates (every pair against a set of accumulator
//! values for one lane, seeded random vectors for eight). `tests/rtl.rs`
//! lints the committed units.

mod common;

use rand::Rng;
use rf8::area::aig::Aig;
use rf8::designs::dot::{DotFp4E2m1, DotInt8, DotRf8};
use rf8::designs::verilog::generate;
use rf8::designs::GenError;
use rf8::formats::dot::{Accumulator, DotUnit, DOT_FP4_E2M1, DOT_INT8, DOT_RF8};

type Gen = fn(&str) -> Result<String, GenError>;

/// A unit with its generators for one and eight lanes (headroom 20).
struct Case {
    unit: &'static DotUnit,
    n1: Gen,
    n8: Gen,
}

const CASES: [Case; 3] = [
    Case {
        unit: &DOT_RF8,
        n1: generate::<DotRf8<1, 8, 56>>,
        n8: generate::<DotRf8<8, 64, 56>>,
    },
    Case {
        unit: &DOT_INT8,
        n1: generate::<DotInt8<1, 8, 36>>,
        n8: generate::<DotInt8<8, 64, 36>>,
    },
    Case {
        unit: &DOT_FP4_E2M1,
        n1: generate::<DotFp4E2m1<1, 4, 29>>,
        n8: generate::<DotFp4E2m1<8, 32, 29>>,
    },
];

fn needs(tool: &str) -> bool {
    let found = rf8::tools::version(tool).is_some();
    if !found {
        eprintln!("skipped: {tool} not found");
    }
    found
}

/// The AIG of `verilog` (top `top`), by the netlist check's own script.
fn aig(verilog: &str, top: &str) -> Aig {
    let file = common::yosys_aig(&common::temp_dir(top), verilog, top);
    Aig::parse(&std::fs::read_to_string(file).unwrap()).unwrap()
}

/// Accumulator values at the edges of W bits: zero, +-1 LSB, the largest
/// and smallest, one largest product inside them, and one other.
fn edges(unit: &DotUnit) -> Vec<u64> {
    let w = unit.acc_width(20);
    let Accumulator::Fixed { product_bits, .. } = unit.accumulator else {
        unreachable!()
    };
    let mask = (1u64 << w) - 1;
    let max = (1u64 << (w - 1)) - 1;
    let big = (1u64 << product_bits) - 1;
    [0, 1, mask, max, max + 1, max - big, max + 1 + big, 12345]
        .into_iter()
        .map(|v| v & mask)
        .collect()
}

/// Every vector through the AIG and the reference; the first difference.
fn compare(unit: &DotUnit, graph: &Aig, lanes: usize, vectors: &[[u128; 3]]) -> Option<String> {
    let (w, cw) = (unit.acc_width(20), unit.operands.width());
    let bus = cw * lanes as u32;
    let out = graph
        .eval(
            &[("a", bus), ("b", bus), ("acc_in", w)],
            &[("acc_out", w)],
            vectors,
            [0, !0],
        )
        .unwrap();
    let split = |x: u128| -> Vec<u32> {
        (0..lanes)
            .map(|i| ((x >> (cw as usize * i)) & ((1 << cw) - 1)) as u32)
            .collect()
    };
    vectors.iter().zip(&out).find_map(|(v, o)| {
        let want = unit.dot(&split(v[0]), &split(v[1]), v[2] as u64, 20).acc;
        (o[0] as u64 != want).then(|| {
            format!(
                "a {:#x} b {:#x} acc_in {:#x}: rtl {:#x}, reference {want:#x}",
                v[0], v[1], v[2], o[0]
            )
        })
    })
}

#[test]
fn one_lane_units_equal_the_reference_on_every_pair_and_accumulator_edge() {
    if !needs("yosys") {
        return;
    }
    for case in &CASES {
        let name = case.unit.name(1);
        let graph = aig(&(case.n1)(&name).unwrap(), &name);
        let codes = 1u128 << case.unit.operands.width();
        let mut vectors = Vec::new();
        for acc in edges(case.unit) {
            for a in 0..codes {
                for b in 0..codes {
                    vectors.push([a, b, acc as u128]);
                }
            }
        }
        assert_eq!(compare(case.unit, &graph, 1, &vectors), None, "{name}");
    }
}

#[test]
fn eight_lane_units_equal_the_reference_on_seeded_vectors() {
    if !needs("yosys") {
        return;
    }
    for case in &CASES {
        let name = case.unit.name(8);
        let graph = aig(&(case.n8)(&name).unwrap(), &name);
        let mut rng = common::rng(16);
        let (edges, mask) = (edges(case.unit), (1u64 << case.unit.acc_width(20)) - 1);
        let vectors: Vec<[u128; 3]> = (0..100_000)
            .map(|k| {
                let acc = if k % 2 == 0 {
                    edges[k / 2 % edges.len()]
                } else {
                    rng.gen::<u64>() & mask
                };
                [
                    rng.gen::<u64>() as u128,
                    rng.gen::<u64>() as u128,
                    acc as u128,
                ]
            })
            .collect();
        assert_eq!(compare(case.unit, &graph, 8, &vectors), None, "{name}");
    }
}
