//! The MAC reference (spec section 9) against the RF8 W8A8 exact kernel:
//! a row of `gemv_w8a8_exact` is `mac_rf8_n<N>` over the row's groups, for
//! several lane counts and dot-product lengths, on seeded random codes,
//! each dot product one after another through the same reference (so a
//! result that leaked into the next dot product would show).

use rand::{Rng, SeedableRng};
use rf8::formats::dot::DOT_RF8;
use rf8::formats::mac::{Group, MacRef};
use rf8::kernel::{gemv_w8a8_exact, Rf8Matrix};
use rf8::Rf8;

#[test]
fn rf8_mac_equals_the_w8a8_exact_kernel_row_by_row() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(30);
    for (lanes, cols) in [(1, 7), (4, 64), (8, 4096)] {
        let rows = 16;
        let w: Vec<u8> = (0..rows * cols).map(|_| rng.gen()).collect();
        let x: Vec<u8> = (0..cols).map(|_| rng.gen()).collect();
        let matrix = Rf8Matrix::from_codes(rows, cols, w.clone()).unwrap();
        let xs: Vec<Rf8> = x.iter().map(|&c| Rf8::from_bits(c)).collect();
        let kernel = gemv_w8a8_exact(&matrix, &xs).unwrap();
        let mac = MacRef::new(&DOT_RF8, lanes, 20).unwrap();
        // Every row as one dot product, back to back; a short last group
        // is padded with +0 codes (a zero product).
        let mut groups = Vec::new();
        for i in 0..rows {
            let row = &w[i * cols..(i + 1) * cols];
            for k in (0..cols).step_by(lanes) {
                let take = |v: &[u8]| -> Vec<u32> {
                    (k..k + lanes)
                        .map(|j| v.get(j).copied().unwrap_or(0) as u32)
                        .collect()
                };
                let (a, b) = (take(row), take(&x[..]));
                groups.push(Group {
                    a,
                    b,
                    last: k + lanes >= cols,
                });
            }
        }
        let out = mac.run(&groups);
        assert_eq!(out.len(), rows);
        let w_bits = mac.acc_width();
        for (i, (o, &want)) in out.iter().zip(&kernel).enumerate() {
            // Sign-extend the W-bit result.
            let got = ((o.acc << (64 - w_bits)) as i64) >> (64 - w_bits);
            assert_eq!(got, want, "N = {lanes}, K = {cols}, row {i}");
        }
    }
}
