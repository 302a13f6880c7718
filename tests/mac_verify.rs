//! `rf8 verify` of the sequential MAC units (spec section 9) in the
//! sequence harness: every default unit passes in Verilator and Icarus
//! (directed sequences, `in_valid` gaps with junk inputs, a reset in the
//! middle of a dot product, random dot products), and mutants are caught.
//! Each mutant is the generated Verilog with one line changed, run as the
//! user's own RTL.

use rf8::catalog::{mac_by_name, mac_defaults};
use rf8::designs::dot::DEFAULT_HEADROOM;
use rf8::sim::source::Sources;
use rf8::sim::Simulator;
use rf8::unit::Unit;
use rf8::verify::interface::Request;
use rf8::verify::mac::verify;
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

fn options(sim: Simulator, h: u32, random: u64, user: Option<Sources>) -> Options {
    Options {
        simulators: [sim].into_iter().filter(|&s| available(s)).collect(),
        vectors: random,
        seed: 5,
        headroom: h,
        user: user.map(|sources| UserRtl {
            sources,
            request: Request::default(),
        }),
        ..Options::default()
    }
}

/// Verilator at the default headroom (the longest dot product is 2^20
/// products); Icarus at headroom 12 (4,096 products), the same generator.
#[test]
fn every_default_unit_passes_in_both_simulators() {
    for u in mac_defaults() {
        for (sim, h) in [
            (Simulator::Verilator, DEFAULT_HEADROOM),
            (Simulator::Icarus, 12),
        ] {
            let o = verify(&u, &options(sim, h, 3_000, None)).unwrap();
            for r in &o.reports {
                assert_eq!(r.mismatches, 0, "{} in {sim:?}: {:?}", u.name(), r.first);
                assert!(r.vectors > 3_000);
            }
        }
    }
}

/// The mismatches Verilator finds in unit `name` with each `from`
/// replaced by its `to` in its generated Verilog.
fn mutant(name: &str, edits: &[(&str, &str)]) -> (usize, Vec<String>) {
    let u = mac_by_name(name).unwrap();
    let (module, mut text) = Unit::Mac(u).rtl(DEFAULT_HEADROOM, 0).unwrap();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{name}: {from}");
        text = text.replace(from, to);
    }
    let sources = Sources::text(&format!("{module}.v"), text);
    let o = verify(
        &u,
        &options(Simulator::Verilator, DEFAULT_HEADROOM, 2_000, Some(sources)),
    )
    .unwrap();
    let r = &o.reports[0];
    (r.mismatches, r.first.clone())
}

/// What a mutant breaks, the unit, and its edits to the Verilog.
type Mutant = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

#[test]
fn register_unit_mutants_are_caught() {
    if !available(Simulator::Verilator) {
        return;
    }
    let cases: [Mutant; 5] = [
        (
            "one wrong carry in the wide add (bit 30 to 31)",
            "mac_rf8_n4",
            &[(
                "acc_d = base + group_wide;",
                "acc_d = {base[55:31] + group_wide[55:31], base[30:0] + group_wide[30:0]};",
            )],
        ),
        (
            "no restart after in_last",
            "mac_int8_n8",
            &[("fresh_d = glast_q | rst;", "fresh_d = rst;")],
        ),
        (
            "in_valid ignored (an idle cycle's junk is added)",
            "mac_int8_n1",
            &[("gvalid_d = in_valid & ~rst;", "gvalid_d = ~rst;")],
        ),
        (
            "reset does not drop the open dot product",
            "mac_rf8_n8",
            &[("fresh_d = fresh_q | rst;", "fresh_d = fresh_q;")],
        ),
        (
            "invalid not cleared between dot products",
            "mac_fp8_e4m3_n4",
            &[(
                "inv_d = (inv_q & ~fresh_q) | ginv_q;",
                "inv_d = inv_q | ginv_q;",
            )],
        ),
    ];
    for (what, name, edits) in cases {
        let (n, first) = mutant(name, edits);
        eprintln!(
            "{what} ({name}): {n} wrong dot products; first: {:?}",
            first.first()
        );
        assert!(n > 0, "{what}: not caught");
    }
}

#[test]
fn exponent_indexed_unit_mutants_are_caught() {
    if !available(Simulator::Verilator) {
        return;
    }
    let cases: [Mutant; 4] = [
        (
            "a lost forward of a bin hit (lane 0 reads the stale bin)",
            "mac_rf8_eia_n4",
            &[("if (lanes__0__bin_hit) begin", "if (1'b0) begin")],
        ),
        (
            "a bin skipped in reconstruction (bin 4 never read)",
            "mac_rf8_eia_n4",
            &[(
                "j_d = j_q - j_one;",
                "j_d = (j_q == 6'h5) ? j_q - 6'h2 : j_q - j_one;",
            )],
        ),
        (
            "one wrong carry in a bin's adder (bit 10 to 11)",
            "mac_fp8_e4m3_eia_n8",
            &[(
                "lanes__0__new = lanes__0__old + lanes__0__m_wide;",
                "lanes__0__new = {lanes__0__old[25:11] + lanes__0__m_wide[25:11], \
                 lanes__0__old[10:0] + lanes__0__m_wide[10:0]};",
            )],
        ),
        (
            "the top bin left out of reconstruction",
            "mac_fp8_e4m3_eia_n8",
            &[(
                "localparam  top_bin = 6'b11100;",
                "localparam  top_bin = 6'b11011;",
            )],
        ),
    ];
    for (what, name, edits) in cases {
        let (n, first) = mutant(name, edits);
        eprintln!(
            "{what} ({name}): {n} wrong dot products; first: {:?}",
            first.first()
        );
        assert!(n > 0, "{what}: not caught");
    }
}
