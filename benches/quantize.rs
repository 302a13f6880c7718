//! Quantisation plus error statistics throughput (issue target: >= 10^8
//! values per second on 2 cores). Run: `cargo bench --bench quantize`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rf8::catalog::STORAGE;
use rf8::stats::error::ErrorTally;
use rf8::stats::ggd::Ggd;
use rf8::stats::quantize::SAMPLE_ROW;

fn bench(c: &mut Criterion) {
    let mut rng = rf8::verify::vectors::rng(1);
    let data = Ggd::preset("llama3-1b")
        .unwrap()
        .sample(&mut rng, 4_000_000);
    let mut group = c.benchmark_group("quantize+stats");
    group.throughput(Throughput::Elements(data.len() as u64));
    group.sample_size(10);
    for &format in STORAGE {
        group.bench_function(format.name(), |b| {
            b.iter(|| {
                let mut a = ErrorTally::new(format);
                a.add(&data, SAMPLE_ROW);
                a.stats()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
