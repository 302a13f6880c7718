//! `rf8 prove`: the specification models agree with the Rust reference in
//! simulation; each kind of obligation is proved on the generated units;
//! each kind of mutant (one inverted gate in a netlist, one register
//! bypassed in a pipeline, one carry dropped in a dot-product unit, one
//! wrong output for one operand combination of a user's `dot_int8_n8`)
//! gives a counterexample that replays as a mismatch; a proof that runs
//! out of time is unknown, never proved.

use std::time::{Duration, Instant};

use rf8::area::aig::Aig;
use rf8::area::{self, recipe, Device};
use rf8::designs::dot::DEFAULT_HEADROOM as H;
use rf8::prove::miter::{Shape, Sides};
use rf8::prove::obligation::{against_spec, Obligation, Subject};
use rf8::prove::side::{rtl_aig, Reduction};
use rf8::prove::{abc::Outcome, exhaust, side, solve, spec, Verdict};
use rf8::sim::bus::{self, BusDut};
use rf8::sim::source::Sources;
use rf8::sim::Simulator;
use rf8::unit::Unit;
use rf8::verify::interface::Request;
use rf8::verify::{Latency, Options, UserRtl};

mod common;

const LIMIT: Duration = Duration::from_secs(300);

fn tools() -> bool {
    let found = ["yosys", "yosys-abc", "iverilog"]
        .iter()
        .all(|t| rf8::tools::starts(t));
    if !found {
        eprintln!("skipped: yosys, yosys-abc or iverilog not found");
    }
    found
}

fn unit(name: &str) -> Unit {
    Unit::parse(name).unwrap()
}

fn counterexample(v: &Verdict) -> &rf8::prove::Counterexample {
    match v {
        Verdict::Counterexample(c) => c,
        other => panic!("expected a counterexample, got {other:?}"),
    }
}

/// Each model, simulated in Icarus on the dot-product verification's
/// vectors (every pair of one lane with the accumulator edges; directed
/// and random vectors for 8 lanes), equals the Rust reference.
#[test]
fn specification_models_agree_with_the_reference_in_simulation() {
    if !tools() {
        return;
    }
    for name in ["dot_rf8", "dot_int8", "dot_fp8_e4m3"] {
        for lanes in [1, 8] {
            let u = unit(&format!("{name}_n{lanes}"));
            assert!(spec::has_model(&u));
            let d = u.as_dot().unwrap();
            let (sources, top) = spec::sources(&u, H).unwrap();
            let (inputs, outputs) = u.ports(H);
            let dut = BusDut {
                top,
                sources,
                inputs,
                outputs,
                latency: 0,
            };
            let r = d.design.reference;
            let vectors = rf8::verify::dot::vectors(r, lanes, H, 3_000, 11);
            let want = rf8::verify::dot::expected(r, lanes, H, &vectors);
            let flat: Vec<u128> = vectors.iter().flatten().copied().collect();
            let got = bus::eval(Simulator::Icarus, &dut, &flat).unwrap();
            let wrong = got.iter().zip(&want).filter(|(g, w)| g != w).count();
            assert_eq!(wrong, 0, "{}: {wrong} of {} outputs", u.name(), want.len());
            assert!(vectors.len() > 3_000, "{}", u.name());
        }
    }
    // Units without a model say so.
    assert!(!spec::has_model(&unit("dot_fp16_n1")));
    assert!(spec::aig(&unit("rf8_mul")).is_err());
}

/// The generated units are proved: netlist, pipeline and specification
/// obligations (a sample that runs in seconds; `make prove` runs all).
#[test]
fn generated_units_are_proved() {
    if !tools() {
        return;
    }
    let plan = [
        (
            "rf8_mul",
            Subject::Netlist {
                device: Device::Ice40,
                recipe: recipe::default(),
                dsp: false,
            },
        ),
        ("bf16_mul", Subject::Pipeline { depth: 2 }),
        ("dot_rf8_n8", Subject::Pipeline { depth: 1 }),
        ("dot_rf8_n8", Subject::Spec),
        ("dot_fp8_e4m3_n8", Subject::Spec),
    ];
    // The area table's column: the 8-bit multiplier's netlist is proved
    // even with no time to spare; a 16-bit one without a kept verdict is
    // "sampled", never "proved".
    let mut rows: Vec<_> = ["rf8_mul", "fp16_mul_lite"]
        .iter()
        .map(|n| {
            let mut r =
                area::synthesize(&unit(n), Device::Ice40, recipe::default(), false, 0, true)
                    .unwrap();
            r.check = Some(rf8::area::netlist::Check {
                pairs: 1,
                mismatches: 0,
                first: None,
                error: None,
                proof: None,
            });
            r
        })
        .collect();
    rf8::prove::netlists::attach(&mut rows, Duration::ZERO);
    let c = rows[0].check.as_ref().unwrap();
    assert!(c.proved(), "{}", c.verdict());
    assert!(c.verdict().starts_with("proved"));
    let c = rows[1].check.as_ref().unwrap();
    let kept = rows[1]
        .flat
        .as_ref()
        .unwrap()
        .with_extension("proof.json")
        .exists();
    assert!(
        kept || c.verdict().starts_with("sampled"),
        "{}",
        c.verdict()
    );
    for (name, subject) in plan {
        let o = Obligation {
            unit: unit(name),
            subject,
        };
        let p = o.run(LIMIT).unwrap();
        assert_eq!(p.verdict, Verdict::Proved, "{name} {}", o.title());
    }
}

/// One AND gate of the mapped `rf8_mul` netlist (iCE40, default recipe)
/// reads an inverted input: the proof gives a counterexample, and the
/// mutant netlist, evaluated on its operands, differs from the reference.
/// Every mutant the proof calls equivalent is checked on all 65,536 pairs.
#[test]
fn an_inverted_gate_in_a_netlist_is_a_counterexample() {
    if !tools() {
        return;
    }
    let u = unit("rf8_mul");
    let m = u.as_multiplier().unwrap();
    let row = area::synthesize(&u, Device::Ice40, recipe::default(), false, 0, true).unwrap();
    let text = std::fs::read_to_string(area::netlist::aig_path(&row.flat.unwrap())).unwrap();
    let rtl = rtl_aig(&u, 0, Reduction::Optimised).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<usize> = lines[0]
        .split_whitespace()
        .skip(1)
        .map(|x| x.parse().unwrap())
        .collect();
    let first_and = 1 + header[1] + header[2] + header[3];
    let pairs: Vec<(u32, u32)> = (0..1u32 << 16).map(|x| (x >> 8, x & 0xff)).collect();
    let mut caught = 0;
    for k in [
        header[4] / 5,
        header[4] / 3,
        header[4] / 2,
        header[4] * 4 / 5,
    ] {
        let mut mutant: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let f: Vec<u32> = mutant[first_and + k]
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        mutant[first_and + k] = format!("{} {} {}", f[0], f[1] ^ 1, f[2]);
        let net = Aig::parse(&(mutant.join("\n") + "\n")).unwrap();
        let sides = Sides {
            left: &rtl,
            right: &net,
            names: ["RTL", "netlist"],
            shape: Shape::Combinational,
            ties: &[],
        };
        let (verdict, _, _) = solve(&sides, LIMIT).unwrap();
        let ys = net.eval_pairs(&pairs, 8, 8, [0, 0]).unwrap();
        let wrong = pairs
            .iter()
            .zip(&ys)
            .filter(|((a, b), y)| m.reference.mul(*a, *b) != **y)
            .count();
        match verdict {
            Verdict::Proved => assert_eq!(wrong, 0, "gate {k}: proved, but {wrong} pairs differ"),
            Verdict::Counterexample(c) => {
                let (a, b) = (c.input("a").unwrap() as u32, c.input("b").unwrap() as u32);
                let y = net.eval_pairs(&[(a, b)], 8, 8, [0, 0]).unwrap()[0];
                assert_ne!(y, m.reference.mul(a, b), "gate {k}: {a:#x} x {b:#x}");
                assert!(wrong > 0);
                caught += 1;
            }
            Verdict::Unknown { reason } => panic!("gate {k}: unknown: {reason}"),
        }
    }
    assert!(
        caught >= 2,
        "only {caught} of 4 gate mutants changed the function"
    );
}

fn user(name: &str, text: String, latency: Option<usize>) -> Options {
    Options {
        user: Some(UserRtl {
            sources: Sources::text(name, text),
            request: Request::default(),
        }),
        latency: latency.map(Latency::Fixed),
        ..Options::default()
    }
}

/// `rf8_mul` pipelined 2 deep with the residual's stage-1 register
/// bypassed (`residual_s2 <= residual`): a counterexample over three
/// clocks, and Icarus, fed those clocks, shows the wrong product.
#[test]
fn a_bypassed_register_in_a_pipeline_is_a_counterexample() {
    if !tools() {
        return;
    }
    let u = unit("rf8_mul");
    let (top, text) = u.rtl(H, 2).unwrap();
    let line = "        residual_s2 <= residual_s1;";
    assert!(text.contains(line));
    let mutant = text.replace(line, "        residual_s2 <= residual;");
    let p =
        rf8::prove::user::prove(&u, &user(&format!("{top}.v"), mutant, Some(2)), LIMIT).unwrap();
    let c = counterexample(&p.verdict);
    assert!(!c.others.is_empty(), "the later clocks' inputs are shown");
    let replay = c.replay.as_deref().unwrap();
    assert!(replay.contains("reproduces"), "{replay}");
    // The same file without the mutation is proved.
    let p = rf8::prove::user::prove(&u, &user(&format!("{top}.v"), text, Some(2)), LIMIT).unwrap();
    assert_eq!(p.verdict, Verdict::Proved);
}

/// `dot_rf8_n8` with lane 5's carry out of bit 39 dropped: the proof
/// against the specification model gives a counterexample, on which the
/// mutant, simulated in Icarus, differs from the reference.
#[test]
fn a_dropped_carry_in_a_dot_unit_is_a_counterexample_against_the_spec() {
    if !tools() {
        return;
    }
    let u = unit("dot_rf8_n8");
    let (top, text) = u.rtl(H, 0).unwrap();
    let line = "        lanes__5__sum_out = lanes__5__sum_in + lanes__5__p;";
    assert!(text.contains(line));
    let mutant = text.replace(
        line,
        "        lanes__5__sum_out = {lanes__5__sum_in[55:40] + lanes__5__p[55:40], \
         lanes__5__sum_in[39:0] + lanes__5__p[39:0]};",
    );
    let sources = Sources::text(&format!("{top}.v"), mutant);
    let aig = side::aig(&sources, &top, Reduction::Optimised).unwrap();
    let (verdict, _, _) = against_spec(&u, &aig, LIMIT).unwrap();
    let c = counterexample(&verdict);
    let operands = rf8::prove::replay::operands(&u, c, 0);
    let want = rf8::prove::replay::reference(&u, &operands);
    let (inputs, outputs) = u.ports(H);
    let dut = BusDut {
        top,
        sources,
        inputs,
        outputs,
        latency: 0,
    };
    let got = bus::eval(Simulator::Icarus, &dut, &operands).unwrap();
    assert_ne!(
        got, want,
        "the mutant agrees with the reference on {operands:x?}"
    );
}

/// A user's copy of `dot_int8_n8` wrong for one operand combination of
/// 2^164 (`rf8 prove --rtl`): found, shown with both outputs and the
/// reference, and reproduced in Icarus.
#[test]
fn a_one_combination_fault_in_a_users_unit_is_found() {
    if !tools() {
        return;
    }
    let u = unit("dot_int8_n8");
    let (top, text) = u.rtl(H, 0).unwrap();
    let line = "        acc_out = lanes__7__sum_out;";
    assert!(text.contains(line));
    let mutant = text.replace(
        line,
        "        acc_out = lanes__7__sum_out ^ {35'd0, (a == 64'h0123456789abcdef && \
         b == 64'hfedcba9876543210 && acc_in == 36'h0)};",
    );
    let p = rf8::prove::user::prove(&u, &user(&format!("{top}.v"), mutant, None), LIMIT).unwrap();
    let c = counterexample(&p.verdict);
    assert_eq!(c.input("a"), Some(0x0123456789abcdef));
    assert_eq!(c.input("b"), Some(0xfedcba9876543210));
    assert_eq!(c.input("acc_in"), Some(0));
    assert_ne!(c.sides[0].1, c.sides[1].1);
    assert!(c.replay.as_deref().unwrap().contains("reproduces"));
}

/// Out of time is unknown: ABC on `dot_int8_n8` against its model (over a
/// minute) with a 1-second deadline, and enumeration of 2^32 assignments
/// past its deadline.
#[test]
fn a_proof_out_of_time_is_unknown() {
    if !tools() {
        return;
    }
    // ABC itself (verdicts are cached by `solve`, and `make prove` may
    // have proved this one already).
    let u = unit("dot_int8_n8");
    let rtl = rtl_aig(&u, 0, Reduction::Optimised).unwrap();
    let model = spec::aig(&u).unwrap();
    let sides = Sides {
        left: &model,
        right: &rtl,
        names: ["spec model", "RTL"],
        shape: Shape::Combinational,
        ties: &[],
    };
    let (graph, out) = sides.miter().unwrap();
    let dir = common::temp_dir("prove-timeout");
    let run = rf8::prove::abc::prove(&graph, out, &dir, Duration::from_secs(1)).unwrap();
    assert!(
        matches!(run.outcome, Outcome::Unknown(_)),
        "{:?}",
        run.outcome
    );
    assert!(run.seconds < 30.0);

    let mut g = rf8::prove::graph::Graph::default();
    let xs: Vec<u32> = (0..32).map(|i| g.input(&format!("x[{i}]"))).collect();
    let never = xs.iter().fold(rf8::prove::graph::FALSE, |acc, &x| {
        let both = g.and(x, x ^ 1);
        g.or(acc, both)
    });
    // Structural hashing folds x AND NOT x: use a miter that does not fold.
    assert_eq!(never, rf8::prove::graph::FALSE);
    let mut parity = rf8::prove::graph::FALSE;
    for &x in &xs {
        parity = g.xor(parity, x);
    }
    let mut parity2 = rf8::prove::graph::FALSE;
    for &x in xs.iter().rev() {
        parity2 = g.xor(parity2, x);
    }
    let miter = g.xor(parity, parity2);
    let outcome = exhaust::prove(&g, miter, Instant::now()).unwrap();
    assert!(matches!(outcome, Outcome::Unknown(_)), "{outcome:?}");
}

/// The command line: JSON verdicts and exit 0 when everything is proved;
/// exit 1 and the counterexample for a faulty user design; exit 2 and one
/// line for bad input.
#[test]
fn the_command_line_reports_verdicts_and_exit_codes() {
    if !tools() {
        return;
    }
    let v = common::rf8_json(&[
        "prove", "--design", "rf8_mul", "--only", "pipeline", "--json",
    ]);
    let proofs = v.as_array().unwrap();
    assert_eq!(proofs.len(), 3, "{v}");
    for p in proofs {
        assert_eq!(p["verdict"], "proved", "{p}");
        assert!(p["covers"].as_str().unwrap().contains("any register state"));
    }
    let dir = common::temp_dir("prove-cli");
    let (top, text) = unit("int8_mul").rtl(H, 0).unwrap();
    let file = dir.join(format!("{top}.v"));
    // One wrong product: -128 x -128.
    let line = "        y = product_bits[(32'h0)+:(16)];";
    assert!(text.contains(line));
    let wrong = "        y = product_bits[(32'h0)+:(16)] ^ {15'd0, a == 8'h80 && b == 8'h80};";
    std::fs::write(&file, text.replace(line, wrong)).unwrap();
    let out = common::rf8(&[
        "prove",
        "--design",
        "int8_mul",
        "--rtl",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("inputs: a = 0x80, b = 0x80"), "{text}");
    assert!(text.contains("reference: y = 0x4000"), "{text}");
    assert!(text.contains("reproduces"), "{text}");
    for (args, want) in [
        (vec!["prove", "--design", "nope"], "nope"),
        (vec!["prove", "--design", "mac_rf8_n1"], "nothing to prove"),
        (
            vec!["prove", "--design", "rf8_mul", "--timeout", "0"],
            "timeout",
        ),
        (vec!["prove", "--rtl", "no-such-file.v"], "no such file"),
    ] {
        let out = common::rf8(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
}
