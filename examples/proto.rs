use rf8::designs::Hardware;
fn main() {
    let hw = Hardware::of::<rf8::designs::rf8_mul::Rf8MulHdl>();
    let pairs: Vec<(u32, u32)> = (0..65536u32).map(|i| (i >> 8, i & 255)).collect();
    let t = std::time::Instant::now();
    let ys = (hw.simulate)(&pairs);
    let m = rf8::by_name("rf8_mul").unwrap();
    let bad = pairs.iter().zip(&ys).filter(|(p, y)| m.mul(p.0, p.1) != **y).count();
    println!("mismatches {bad} in {:?}", t.elapsed());
    for (p, y) in pairs.iter().zip(&ys).filter(|(p, y)| m.mul(p.0, p.1) != **y).take(5) {
        println!("{:02x} {:02x} -> {:02x} want {:02x}", p.0, p.1, y, m.mul(p.0, p.1));
    }
}
