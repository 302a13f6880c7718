//! `rf8 verify` of the dot-product units: every generated unit passes in
//! Verilator and Icarus, and the mutants the issue names are caught: one
//! lost carry inside an adder, a narrower accumulator, a wrong alignment
//! shift. Each mutant is the generated Verilog with one line changed, run
//! as the user's own RTL.

use rf8::catalog::{dot_by_name, dot_defaults};
use rf8::designs::dot::DEFAULT_HEADROOM;
use rf8::generate::dot_rtl;
use rf8::sim::source::Sources;
use rf8::sim::Simulator;
use rf8::verify::dot::verify;
use rf8::verify::interface::Request;
use rf8::verify::{Options, UserRtl};

fn available(sim: Simulator) -> bool {
    let tool = match sim {
        Simulator::Verilator => "verilator",
        Simulator::Icarus => "iverilog",
    };
    let found = rf8::tools::starts(tool);
    if !found {
        eprintln!("skipped: {tool} not found");
    }
    found
}

fn options(sims: &[Simulator], random: u64, user: Option<(Sources, Option<String>)>) -> Options {
    Options {
        simulators: sims.iter().copied().filter(|&s| available(s)).collect(),
        vectors: random,
        seed: 3,
        headroom: DEFAULT_HEADROOM,
        user: user.map(|(sources, top)| UserRtl {
            sources,
            request: Request {
                top,
                ..Request::default()
            },
        }),
        pipeline: 0,
        ..Options::default()
    }
}

#[test]
fn every_default_unit_passes_in_both_simulators() {
    for u in dot_defaults() {
        let o = verify(
            &u,
            &options(&[Simulator::Verilator, Simulator::Icarus], 2_000, None),
        )
        .unwrap();
        for r in &o.reports {
            assert_eq!(
                r.mismatches,
                0,
                "{} in {:?}: {:?}",
                u.name(),
                r.simulator,
                r.first
            );
            assert!(r.vectors >= 2_000);
        }
    }
}

/// The mismatches Verilator finds in unit `name` with `from` replaced by
/// `to` in its generated Verilog.
fn mutant(name: &str, from: &str, to: &str) -> usize {
    mutant_lines(name, &[(from, to)])
}

/// The same with several lines changed (each `from` occurs once).
fn mutant_lines(name: &str, edits: &[(&str, &str)]) -> usize {
    let u = dot_by_name(name).unwrap();
    let (module, mut text) = dot_rtl(&u, DEFAULT_HEADROOM, 0).unwrap();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{name}: {from}");
        text = text.replace(from, to);
    }
    let sources = Sources::text(&format!("{module}.v"), text);
    let o = verify(
        &u,
        &options(&[Simulator::Verilator], 10_000, Some((sources, None))),
    )
    .unwrap();
    o.reports.iter().map(|r| r.mismatches).sum()
}

#[test]
fn a_lost_carry_a_narrower_accumulator_and_a_wrong_shift_are_caught() {
    if !available(Simulator::Verilator) {
        return;
    }
    let lost_carry = mutant(
        "dot_int8_n8",
        "lanes__3__sum_out = lanes__3__sum_in + lanes__3__p;",
        "lanes__3__sum_out = {lanes__3__sum_in[35:20] + lanes__3__p[35:20], \
         lanes__3__sum_in[19:0] + lanes__3__p[19:0]};",
    );
    let narrow = mutant(
        "dot_rf8_n8",
        "acc_out = lanes__7__sum_out;",
        "acc_out = {lanes__7__sum_out[54], lanes__7__sum_out[54:0]};",
    );
    let shift = mutant(
        "dot_fp8_e4m3_n8",
        "lanes__0__shift = lanes__0__a_exp_eff + lanes__0__b_exp_eff - lanes__0__two;",
        "lanes__0__shift = lanes__0__a_exp_eff + lanes__0__b_exp_eff - lanes__0__two + 6'd1;",
    );
    eprintln!("mismatches: lost carry {lost_carry}, narrower {narrow}, shift {shift}");
    assert!(
        lost_carry > 0 && narrow > 0 && shift > 0,
        "{lost_carry} {narrow} {shift}"
    );
}

#[test]
fn a_wrong_tree_order_and_a_wrong_rounding_are_caught() {
    if !available(Simulator::Verilator) {
        return;
    }
    // Level 1 adds p0 + p2 and p1 + p3 instead of p0 + p1 and p2 + p3: the
    // same products, another order (binary32 addition is not associative).
    let order = mutant_lines(
        "dot_fp16_n8",
        &[
            ("adders__0__b = lanes__1__y;", "adders__0__b = lanes__2__y;"),
            ("adders__2__a = lanes__2__y;", "adders__2__a = lanes__1__y;"),
        ],
    );
    // One adder of the tree rounds ties away from zero.
    let ties = mutant(
        "dot_fp16_n8",
        "adders__3__round_up = adders__3__guard & (adders__3__sticky | adders__3__kept[32'h0]);",
        "adders__3__round_up = adders__3__guard;",
    );
    // A BF16 product forgets the bits a subnormal result shifts out.
    let sticky = mutant(
        "dot_bf16_n1",
        "lanes__0__sticky = lanes__0__norm[32'h0] | (lanes__0__tiny & lanes__0__sticky_shift);",
        "lanes__0__sticky = lanes__0__norm[32'h0];",
    );
    eprintln!("mismatches: tree order {order}, ties away {ties}, lost sticky {sticky}");
    assert!(
        order > 0 && ties > 0 && sticky > 0,
        "{order} {ties} {sticky}"
    );
}

#[test]
fn pipelined_units_pass_and_a_wrong_latency_is_caught() {
    let sims = [Simulator::Verilator, Simulator::Icarus];
    for (name, depth) in [
        ("dot_rf8_n8", 3),
        ("dot_fp8_e4m3_n8", 2),
        ("dot_fp16_n8", 5),
        ("dot_bf16_n1", 2),
    ] {
        let u = dot_by_name(name).unwrap();
        let mut opts = options(&sims, 2_000, None);
        opts.pipeline = depth;
        let o = verify(&u, &opts).unwrap();
        for r in &o.reports {
            assert_eq!(
                r.mismatches, 0,
                "{name} p{depth} in {:?}: {:?}",
                r.simulator, r.first
            );
        }
    }
    if !available(Simulator::Verilator) {
        return;
    }
    // The 3-register unit, simulated as if it had 2: every result is read
    // one cycle early.
    let u = dot_by_name("dot_rf8_n8").unwrap();
    let (module, text) = dot_rtl(&u, DEFAULT_HEADROOM, 3).unwrap();
    let sources = Sources::text(&format!("{module}.v"), text);
    let mut opts = options(
        &[Simulator::Verilator],
        2_000,
        Some((sources, Some(module))),
    );
    opts.pipeline = 2;
    let o = verify(&u, &opts).unwrap();
    let early = o.reports[0].mismatches;
    eprintln!("mismatches: latency 2 for a 3-register unit {early}");
    assert!(early > 1_000, "{early}");
}

/// The hardware chained like the kernel: `dot_rf8_n8`'s Verilog, in
/// Verilator, over the rows of a random 64 x 1024 matrix, 8 columns at a
/// time from `acc_in = 0`. Each step's `acc_in` is the previous step's
/// `acc_out` as the reference computes it, and every simulated `acc_out`
/// must equal the next step's `acc_in`, so the simulated chain is the
/// reference chain; the last `acc_out` of each row must equal
/// `gemv_w8a8_exact`'s row, bit for bit.
#[test]
fn chained_dot_rf8_n8_hardware_is_the_w8a8_exact_kernel() {
    use rand::Rng;
    use rf8::formats::dot::DOT_RF8;
    use rf8::kernel::{gemv_w8a8_exact, Rf8Matrix};
    use rf8::sim::bus::{eval, BusDut};
    if !available(Simulator::Verilator) {
        return;
    }
    let mut rng = rf8::verify::vectors::rng(64);
    let (rows, cols, lanes) = (64, 1024, 8);
    let w: Vec<u8> = (0..rows * cols).map(|_| rng.gen()).collect();
    let x: Vec<u8> = (0..cols).map(|_| rng.gen()).collect();
    let m = Rf8Matrix::from_codes(rows, cols, w.clone()).unwrap();
    let xs: Vec<rf8::Rf8> = x.iter().map(|&c| rf8::Rf8::from_bits(c)).collect();
    let kernel = gemv_w8a8_exact(&m, &xs).unwrap();
    let pack = |c: &[u8]| c.iter().rev().fold(0u128, |bus, &v| bus << 8 | v as u128);
    let (mut flat, mut chain) = (Vec::new(), Vec::new());
    for i in 0..rows {
        let mut acc = 0u64;
        for k in (0..cols).step_by(lanes) {
            let a = &w[i * cols + k..i * cols + k + lanes];
            let b = &x[k..k + lanes];
            flat.extend([pack(a), pack(b), acc as u128]);
            let wide = |c: &[u8]| c.iter().map(|&v| v as u32).collect::<Vec<_>>();
            acc = DOT_RF8.dot(&wide(a), &wide(b), acc, DEFAULT_HEADROOM).acc;
            chain.push(acc as u128);
        }
    }
    let u = dot_by_name("dot_rf8_n8").unwrap();
    let (module, text) = dot_rtl(&u, DEFAULT_HEADROOM, 0).unwrap();
    let (inputs, outputs) = rf8::unit::Unit::Dot(u).ports(DEFAULT_HEADROOM);
    let dut = BusDut {
        top: module.clone(),
        sources: Sources::text(&format!("{module}.v"), text),
        inputs,
        outputs,
        latency: 0,
    };
    let got = eval(Simulator::Verilator, &dut, &flat).unwrap();
    assert_eq!(got, chain, "the simulated chain left the reference chain");
    let width = DOT_RF8.acc_width(DEFAULT_HEADROOM);
    let groups = cols / lanes;
    for (i, &want) in kernel.iter().enumerate() {
        let acc = got[(i + 1) * groups - 1] as u64;
        let signed = ((acc << (64 - width)) as i64) >> (64 - width);
        assert_eq!(signed, want, "row {i}");
    }
}
