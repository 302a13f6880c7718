//! Verifying a sequential MAC unit (spec section 9) in the sequence
//! harness ([`crate::sim::seq`]): the same steps in every simulator, the
//! results compared with [`MacRef`] dot product by dot product.
//!
//! The steps, in order:
//! 1. the directed group sequences of [`super::mac_seq::directed`], back
//!    to back (the longest dot product of the largest and of the most
//!    negative product, cancelling pairs, one-group dot products, the
//!    smallest product 1,000 times);
//! 2. a reset in the middle of a dot product: up to three groups without
//!    `in_last`, then 4 reset cycles, right away and again after idle
//!    cycles; the open dot product is dropped;
//! 3. `--vectors` random groups in dot products of random lengths (1 to
//!    [`RANDOM_MAX_GROUPS`] groups, and every 16th up to the unit's
//!    longest), an idle cycle with junk inputs before one group in eight.
//!
//! A result is wrong when its value or `invalid` differs from the
//! reference, when it comes more than the unit's documented latency after
//! the cycle that took its last group, or when results are missing or
//! extra; a group that waits more than [`seq::MAX_WAIT`] cycles for
//! `in_ready` stops the run (the unit hangs).

use rand::Rng;

use super::mac_seq;
use super::outcome::{DotOutcome, DotReport};
use super::{Options, VerifyError};
use crate::catalog::MacInstance;
use crate::formats::dot::DotOut;
use crate::formats::mac::{Group, MacRef};
use crate::sim::seq::{self, SeqDut, Step, Trace};
use crate::unit::{Interface, Unit};

/// Random dot products are at most this many groups long (with every 16th
/// up to the unit's longest): long enough to carry through the wide add,
/// short enough to end often.
pub const RANDOM_MAX_GROUPS: u64 = 64;

/// Mismatches described per simulator.
const FIRST: usize = 5;

/// Packs codes of `width` bits, lane i at bits `[width i +: width]`.
fn pack(codes: &[u32], width: u32) -> u128 {
    codes
        .iter()
        .enumerate()
        .fold(0, |acc, (i, &c)| acc | (c as u128) << (width as usize * i))
}

/// The steps of a verification run and the reference's results, in order.
pub fn steps(mac: &MacRef, vectors: u64, seed: u64, drain: usize) -> (Vec<Step>, Vec<DotOut>) {
    let cw = mac.unit.operands.width();
    let to_step = |g: &Group| Step::Group {
        a: pack(&g.a, cw),
        b: pack(&g.b, cw),
        last: g.last,
    };
    let mut rng = super::vectors::rng(seed ^ 0x006d_6163);
    let junk = |rng: &mut rand_chacha::ChaCha8Rng| Step::Idle {
        a: rng.gen::<u128>(),
        b: rng.gen::<u128>(),
        last: rng.gen(),
    };
    let directed = mac_seq::directed(mac);
    let mut want = mac.run(&directed);
    let mut out: Vec<Step> = directed.iter().map(to_step).collect();
    // A reset in the middle of a dot product, once the results before it
    // are out: the open dot product is dropped. Twice: right after a
    // group, and after idle cycles (the unit has settled).
    for gap in [0, drain] {
        out.extend((0..drain).map(|_| junk(&mut rng)));
        let open = mac_seq::random(mac, 1, 3, seed ^ gap as u64);
        out.extend(open.iter().take(3).map(|g| Step::Group {
            a: pack(&g.a, cw),
            b: pack(&g.b, cw),
            last: false,
        }));
        out.extend((0..gap).map(|_| junk(&mut rng)));
        out.extend([Step::Reset; seq::RESET_CYCLES]);
    }
    // Random dot products with gaps.
    let mut groups = Vec::new();
    let mut k = 0u64;
    while (groups.len() as u64) < vectors {
        let longest = if k % 16 == 15 {
            mac.max_groups()
        } else {
            RANDOM_MAX_GROUPS
        };
        let left = vectors - groups.len() as u64;
        groups.extend(mac_seq::random(
            mac,
            1,
            longest.min(left),
            seed.wrapping_add(k),
        ));
        k += 1;
    }
    for g in &groups {
        if rng.gen_ratio(1, 8) {
            out.push(junk(&mut rng));
        }
        out.push(to_step(g));
    }
    want.extend(mac.run(&groups));
    (out, want)
}

/// Compares a trace with the reference's results; the mismatches and the
/// first few described.
pub fn compare(trace: &Trace, want: &[DotOut], latency: usize) -> (usize, Vec<String>) {
    let mut first = Vec::new();
    let mut bad = 0usize;
    let note = |first: &mut Vec<String>, s: String| {
        if first.len() < FIRST {
            first.push(s);
        }
    };
    if let Some(c) = trace.hung {
        bad += 1;
        note(
            &mut first,
            format!(
                "a group waited more than {} cycles for in_ready (cycle {c}): the unit hangs",
                seq::MAX_WAIT
            ),
        );
    }
    if trace.results.len() != want.len() {
        bad += want.len().abs_diff(trace.results.len());
        note(
            &mut first,
            format!(
                "{} results for {} dot products",
                trace.results.len(),
                want.len()
            ),
        );
    }
    for (k, (got, w)) in trace.results.iter().zip(want).enumerate() {
        let late = trace
            .lasts
            .get(k)
            .map(|&l| got.cycle <= l || got.cycle - l > latency as u64)
            .unwrap_or(true);
        if got.acc != w.acc as u128 || got.invalid != w.invalid || late {
            bad += 1;
            let when = match trace.lasts.get(k) {
                Some(l) => format!(
                    "{} cycles after its last group",
                    got.cycle as i64 - *l as i64
                ),
                None => "with no last group taken".to_string(),
            };
            note(
                &mut first,
                format!(
                    "dot product {k}: acc {:#x} invalid {} at cycle {} ({when}), expected {:#x} invalid {} within {latency} cycles",
                    got.acc, got.invalid as u8, got.cycle, w.acc, w.invalid as u8
                ),
            );
        }
    }
    (bad, first)
}

/// Verifies one MAC unit in every requested simulator.
pub fn verify(unit: &MacInstance, opts: &Options) -> Result<DotOutcome, VerifyError> {
    let h = opts.headroom;
    let u = Unit::Mac(*unit);
    let (sources, top) = super::unit_sources(&u, opts)?;
    let Interface::Sequence {
        lanes,
        code_width,
        acc_width,
        invalid,
    } = u.interface(h)
    else {
        unreachable!("a MAC unit has the sequence interface")
    };
    let hw = &unit.design.hardware;
    let latency = (hw.latency)(lanes);
    let drain = latency + (hw.stall)(lanes) + 2;
    let dut = SeqDut {
        top,
        sources,
        bus_width: code_width * lanes as u32,
        acc_width,
        invalid,
        drain,
    };
    let mac = unit.reference(h);
    let (steps, want) = steps(&mac, opts.vectors, opts.seed, drain);
    let groups = steps
        .iter()
        .filter(|s| matches!(s, Step::Group { .. }))
        .count();
    let directed = mac_seq::directed(&mac).len();
    let mut reports = Vec::new();
    for &sim in &opts.simulators {
        let start = std::time::Instant::now();
        let trace = seq::run(sim, &dut, &steps)?;
        let (mismatches, first) = compare(&trace, &want, latency);
        reports.push(DotReport {
            simulator: sim,
            vectors: groups,
            mismatches,
            seconds: start.elapsed().as_secs_f64(),
            first,
        });
    }
    Ok(DotOutcome {
        unit: dut.top.clone(),
        exhaustive: false,
        directed,
        sequential: true,
        reports,
    })
}
