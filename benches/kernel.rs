//! The GEMV kernels and their baselines (issues 7, 17), 4096 x 4096 on the
//! default rayon pool. `rf8 bench` gives the full table with the read
//! bandwidth; this is the criterion view of the same kernels.
//! Run: `cargo bench --bench kernel`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rand::Rng;
use rf8::kernel::bench::{gemv_f16, gemv_f32};
use rf8::kernel::{
    gemv_int8_w8a32_with, gemv_w8a32, gemv_w8a8_exact, Int8Matrix, Options, Rf8Matrix,
};
use rf8::{Rf8, Rounding};

fn bench(c: &mut Criterion) {
    let (rows, cols) = (4096, 4096);
    let mut rng = rf8::verify::vectors::rng(1);
    let w: Vec<f32> = (0..rows * cols)
        .map(|_| rng.gen_range(-0.05f32..0.05))
        .collect();
    let x: Vec<f32> = (0..cols).map(|_| rng.gen_range(-2.0f32..2.0)).collect();
    let m = Rf8Matrix::from_f32(rows, cols, &w, Rounding::Truncate).unwrap();
    let q = Int8Matrix::from_f32(rows, cols, &w).unwrap();
    let x8: Vec<Rf8> = x.iter().map(|&v| Rf8::from_f32(v)).collect();
    let w16: Vec<half::f16> = w.iter().map(|&v| half::f16::from_f32(v)).collect();
    let x16: Vec<half::f16> = x.iter().map(|&v| half::f16::from_f32(v)).collect();
    let mut g = c.benchmark_group("gemv 4096x4096");
    g.throughput(Throughput::Elements((rows * cols) as u64));
    g.sample_size(20);
    g.bench_function("rf8_w8a32", |b| b.iter(|| gemv_w8a32(&m, &x).unwrap()));
    g.bench_function("rf8_w8a8_exact", |b| {
        b.iter(|| gemv_w8a8_exact(&m, &x8).unwrap())
    });
    g.bench_function("int8_w8a32", |b| {
        b.iter(|| gemv_int8_w8a32_with(&q, &x, &Options::default()).unwrap())
    });
    g.bench_function("f32", |b| b.iter(|| gemv_f32(&w, &x, rows)));
    g.bench_function("f16", |b| b.iter(|| gemv_f16(&w16, &x16, rows)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
