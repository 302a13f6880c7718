//! rust-hdl's own simulator, on every design, against the reference: the
//! library's vector catalogue (every pair of the 8- and 4-bit formats;
//! the directed catalogue plus 10^5 seeded random pairs for the 16-bit
//! ones). The generated Verilog itself is simulated by the verification
//! suite; this checks the Rust description.

use rf8::verify::vectors;
use rf8::DESIGNS;

const RANDOM_PAIRS: u64 = 100_000;

#[test]
fn rust_hdl_models_match_the_references() {
    for m in DESIGNS.iter() {
        let pairs: Vec<(u32, u32)> =
            vectors::default_set(m.reference, RANDOM_PAIRS, 0xD5 + m.width() as u64)
                .into_iter()
                .map(|(a, b)| (a as u32, b as u32))
                .collect();
        let Some(simulate) = m.hardware.simulate else {
            eprintln!(
                "{}: skipped, beyond rust-hdl's simulator (see its design's HARDWARE)",
                m.name()
            );
            continue;
        };
        let got = simulate(&pairs);
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
        let want = if vectors::exhaustive_by_default(m.reference) {
            1 << (2 * m.width())
        } else {
            // The special pairs alone are 36 x 36.
            36 * 36 + RANDOM_PAIRS
        };
        assert!(pairs.len() as u64 >= want, "{}", m.name());
    }
}
