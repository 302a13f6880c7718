//! The generated Verilog of the dot-product units against their
//! references: Yosys reduces the Verilog to an And-Inverter Graph, which
//! `rf8::area::aig` evaluates (every pair against a set of accumulators
//! for one lane, seeded random vectors for eight); Verilator lints it.

mod common;

use rand::Rng;
use rf8::area::aig::Aig;
use rf8::designs::dot_rf8::DotRf8;
use rf8::formats::dot::DOT_RF8;

fn needs(tool: &str) -> bool {
    let found = rf8::tools::version(tool).is_some();
    if !found {
        eprintln!("skipped: {tool} not found");
    }
    found
}

/// The AIG of `verilog` (top `top`), by the netlist check's own script.
fn aig(name: &str, verilog: &str, top: &str) -> Aig {
    let dir = common::temp_dir(name);
    std::fs::write(dir.join("dut.v"), verilog).unwrap();
    let script = format!(
        "read_verilog dut.v; hierarchy -check -top {top}; proc; flatten; {}",
        rf8::area::AIG
    );
    let out = std::process::Command::new("yosys")
        .current_dir(&dir)
        .args(["-q", "-p", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Aig::parse(&std::fs::read_to_string(dir.join("flat.aag")).unwrap()).unwrap()
}

/// Accumulator values around the edges of W bits: zero, +-1 LSB, the
/// largest and smallest, and just inside them.
fn edges(w: u32) -> Vec<u64> {
    let mask = (1u64 << w) - 1;
    let max = (1u64 << (w - 1)) - 1;
    let big = 3u64 << 33; // the largest product
    [
        0,
        1,
        mask,
        max,
        max + 1,
        max - big,
        (max + 1 + big) & mask,
        12345,
    ]
    .into_iter()
    .map(|v| v & mask)
    .collect()
}

#[test]
fn dot_rf8_n1_equals_the_reference_on_every_pair_and_accumulator_edge() {
    if !needs("yosys") {
        return;
    }
    let w = DOT_RF8.acc_width(20);
    let verilog = rf8::designs::verilog::generate::<DotRf8<1, 8, 56>>("dot_rf8_n1").unwrap();
    let graph = aig("dot-rf8-n1", &verilog, "dot_rf8_n1");
    let mut vectors = Vec::new();
    for acc in edges(w) {
        for a in 0..256u128 {
            for b in 0..256u128 {
                vectors.push([a, b, acc as u128]);
            }
        }
    }
    let out = graph
        .eval(
            &[("a", 8), ("b", 8), ("acc_in", w)],
            &[("acc_out", w)],
            &vectors,
            [0, !0],
        )
        .unwrap();
    let mut wrong = 0;
    for (v, o) in vectors.iter().zip(&out) {
        let want = DOT_RF8
            .dot(&[v[0] as u32], &[v[1] as u32], v[2] as u64, 20)
            .acc;
        if o[0] as u64 != want {
            wrong += 1;
        }
    }
    assert_eq!(wrong, 0, "of {} vectors", vectors.len());
}

#[test]
fn dot_rf8_n8_equals_the_reference_on_random_vectors() {
    if !needs("yosys") {
        return;
    }
    let w = DOT_RF8.acc_width(20);
    let verilog = rf8::designs::verilog::generate::<DotRf8<8, 64, 56>>("dot_rf8_n8").unwrap();
    let graph = aig("dot-rf8-n8", &verilog, "dot_rf8_n8");
    let mut rng = common::rng(16);
    let edges = edges(w);
    let vectors: Vec<[u128; 3]> = (0..100_000)
        .map(|k| {
            let acc = if k % 2 == 0 {
                edges[k / 2 % edges.len()]
            } else {
                rng.gen::<u64>() & ((1 << w) - 1)
            };
            [
                rng.gen::<u64>() as u128,
                rng.gen::<u64>() as u128,
                acc as u128,
            ]
        })
        .collect();
    let out = graph
        .eval(
            &[("a", 64), ("b", 64), ("acc_in", w)],
            &[("acc_out", w)],
            &vectors,
            [0, !0],
        )
        .unwrap();
    for (v, o) in vectors.iter().zip(&out) {
        let lanes = |x: u128| {
            (0..8)
                .map(|i| ((x >> (8 * i)) & 0xff) as u32)
                .collect::<Vec<_>>()
        };
        let want = DOT_RF8.dot(&lanes(v[0]), &lanes(v[1]), v[2] as u64, 20).acc;
        assert_eq!(
            o[0] as u64, want,
            "a {:#x} b {:#x} acc_in {:#x}",
            v[0], v[1], v[2]
        );
    }
}

#[test]
fn dot_rf8_verilog_is_lint_clean() {
    if !needs("verilator") {
        return;
    }
    let dir = common::temp_dir("dot-rf8-lint");
    for (name, text) in [
        (
            "dot_rf8_n1",
            rf8::designs::verilog::generate::<DotRf8<1, 8, 56>>("dot_rf8_n1").unwrap(),
        ),
        (
            "dot_rf8_n8",
            rf8::designs::verilog::generate::<DotRf8<8, 64, 56>>("dot_rf8_n8").unwrap(),
        ),
    ] {
        let file = dir.join(format!("{name}.v"));
        std::fs::write(&file, &text).unwrap();
        let out = std::process::Command::new("verilator")
            .args(["--lint-only", "-Wall", "--top-module", name])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
