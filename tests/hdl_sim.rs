//! rust-hdl's own simulator, on every design, against the reference:
//! exhaustive for the 8-bit formats, the special-value catalogue (all pairs)
//! plus 10^5 seeded random pairs for the 16-bit ones. The generated Verilog
//! itself is simulated by the verification suite; this checks the Rust
//! description.

mod common;

use rand::Rng;
use rf8::ALL;

const RANDOM_PAIRS: usize = 100_000;

fn pairs(width: u32, e: u32, f: u32, seed: u64) -> Vec<(u32, u32)> {
    if width == 8 {
        return (0..65_536u32).map(|i| (i >> 8, i & 0xFF)).collect();
    }
    let s = common::specials(e, f);
    let mut v: Vec<(u32, u32)> = s
        .iter()
        .flat_map(|&a| s.iter().map(move |&b| (a as u32, b as u32)))
        .collect();
    let mut rng = common::rng(seed);
    v.extend((0..RANDOM_PAIRS).map(|_| (rng.gen::<u16>() as u32, rng.gen::<u16>() as u32)));
    v
}

#[test]
fn rust_hdl_models_match_the_references() {
    for m in ALL {
        let (e, f) = match m.name() {
            "bf16_mul" => (8, 7),
            _ => (5, 10),
        };
        let pairs = pairs(m.width(), e, f, 0xD5 + m.width() as u64);
        let got = (m.hardware().simulate)(&pairs);
        let mut bad = 0;
        for (&(a, b), &y) in pairs.iter().zip(&got) {
            if y != m.mul(a, b) {
                if bad < 5 {
                    eprintln!(
                        "{}: {a:#x} * {b:#x} = {y:#x}, reference {:#x}",
                        m.name(),
                        m.mul(a, b)
                    );
                }
                bad += 1;
            }
        }
        assert_eq!(
            bad,
            0,
            "{}: {bad} of {} pairs differ",
            m.name(),
            pairs.len()
        );
        let want = if m.width() == 8 {
            65_536
        } else {
            36 * 36 + RANDOM_PAIRS
        };
        assert_eq!(pairs.len(), want);
    }
}
