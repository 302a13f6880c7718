//! The hand-worked catalogues in `tests/data/` against the references.

mod common;

use common::{catalogue, hex};
use rf8::{by_name, Rf8, Rounding};

#[test]
fn rf8_encode_catalogue() {
    let rows = catalogue("rf8_encode.tsv");
    for row in &rows {
        let x: f64 = row[0].parse().unwrap();
        let rounding = match row[1].as_str() {
            "truncate" => Rounding::Truncate,
            "nearest" => Rounding::Nearest,
            other => panic!("unknown rounding {other}"),
        };
        let got = Rf8::try_from_f64(x, rounding).unwrap();
        assert_eq!(
            got.to_bits() as u32,
            hex(&row[2]),
            "{} {}: {} ({})",
            row[0],
            row[1],
            got.to_bits(),
            row[3]
        );
    }
    assert!(rows.len() >= 40);
}

#[test]
fn rf8_decode_catalogue() {
    for row in catalogue("rf8_decode.tsv") {
        let x = Rf8::from_bits(hex(&row[0]) as u8);
        let want: f64 = row[1].parse().unwrap();
        assert_eq!(
            x.to_f64().to_bits(),
            want.to_bits(),
            "{} ({})",
            row[0],
            row[2]
        );
        assert_eq!(format!("{x}"), row[1], "Display of {}", row[0]);
    }
}

#[test]
fn rf8_mul_catalogue() {
    for row in catalogue("rf8_mul.tsv") {
        let (a, b) = (
            Rf8::from_bits(hex(&row[0]) as u8),
            Rf8::from_bits(hex(&row[1]) as u8),
        );
        let y = a * b;
        assert_eq!(
            y.to_bits() as u32,
            hex(&row[2]),
            "{a:?} * {b:?} = {y:?} ({})",
            row[3]
        );
        // The shared trait gives the same answer.
        let m = by_name("rf8_mul").unwrap();
        assert_eq!(m.mul(hex(&row[0]), hex(&row[1])), hex(&row[2]));
    }
}

#[test]
fn baseline_mul_catalogue() {
    let rows = catalogue("baseline_mul.tsv");
    for row in &rows {
        let m = by_name(&row[0]).unwrap();
        let (a, b) = (hex(&row[1]), hex(&row[2]));
        let y = m.mul(a, b);
        assert_eq!(
            y,
            hex(&row[3]),
            "{} {a:#x} * {b:#x} = {y:#x} ({})",
            row[0],
            row[4]
        );
        assert_eq!(
            m.mul(b, a),
            y,
            "{} is not commutative at {a:#x}, {b:#x}",
            row[0]
        );
    }
    // Every baseline appears in the catalogue.
    for m in rf8::DESIGNS.iter().skip(1) {
        assert!(
            rows.iter().any(|r| r[0] == m.name()),
            "{} has no catalogue rows",
            m.name()
        );
    }
}

#[test]
fn storage_catalogue() {
    use rf8::catalog::{storage_by_name, STORAGE};
    use rf8::stats::quantize::quantize_all;
    let rows = catalogue("storage.tsv");
    let list = |text: &str| -> Vec<f64> { text.split(',').map(|v| v.parse().unwrap()).collect() };
    for row in &rows {
        let codec = storage_by_name(&row[0]).unwrap();
        let row_len: usize = row[1].parse().unwrap();
        let got = quantize_all(codec, &list(&row[2]), row_len);
        let want = list(&row[3]);
        let same = got.len() == want.len()
            && got
                .iter()
                .zip(&want)
                .all(|(g, w)| g.to_bits() == w.to_bits());
        assert!(
            same,
            "{} {}: {got:?}, want {want:?} ({})",
            row[0], row[2], row[4]
        );
    }
    // Every storage format appears in the catalogue.
    for c in STORAGE {
        assert!(
            rows.iter().any(|r| r[0] == c.name()),
            "{} has no catalogue rows",
            c.name()
        );
    }
}
