fn main() {
    use rf8::formats::baselines::*;
    for m in [FP16_MUL, BF16_MUL, FP16_MUL_LITE] {
        let table = m.decode_all();
        let mut out = vec![0u16; 65536];
        let t = std::time::Instant::now();
        let mut acc = 0u64;
        for a in 0..1024u32 {
            m.row(a * 61, &table, &mut out);
            acc = acc.wrapping_add(out.iter().map(|&v| v as u64).sum::<u64>());
        }
        let dt = t.elapsed().as_secs_f64();
        println!("{}: {:.1} M/s ({acc})", m.name, 67108864.0 / dt / 1e6);
    }
}
