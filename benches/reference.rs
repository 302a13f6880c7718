//! Reference multiplier rows, the software half of an exhaustive 16-bit
//! sweep (`rf8 verify --exhaustive`). Run: `cargo bench --bench reference`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rf8::formats::baselines::{BF16_MUL, FP16_MUL, FP16_MUL_LITE};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("reference row");
    group.throughput(Throughput::Elements(64 * 65_536));
    group.sample_size(10);
    for m in [FP16_MUL, FP16_MUL_LITE, BF16_MUL] {
        let table = m.decode_all();
        let mut out = vec![0u16; 65_536];
        group.bench_function(m.name, |b| {
            b.iter(|| {
                for a in 0..64u32 {
                    m.row(a * 1021, &table, &mut out);
                }
                out[12345]
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
