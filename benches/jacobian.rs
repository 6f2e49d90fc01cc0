//! The Jacobian law's cost: building the law (mean field, S-transform, edges, the tabulated CDF)
//! and a 1000-point density on its support, for chains of depth 10 and 100 (tanh along the
//! trajectory, the costliest D² law: one discretised factor per layer; square widths 100 and a
//! rectangular chain of width ratio 16) and a linear Gaussian chain of depth 100 (Fuss–Catalan).
//!
//! Run: `cargo bench --bench jacobian` (docs/performance.md records the results).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use rmspec::activation::Activation;
use rmspec::law::jacobian::{JacobianLaw, Network};
use rmspec::Strategy;
use std::hint::black_box;

fn cases() -> Vec<(String, Network)> {
    let orthogonal = Strategy::Orthogonal { variance: None };
    [
        ("linear-gaussian-depth100", 100, Strategy::LeCun, Activation::Linear),
        ("tanh-orthogonal-depth10", 10, orthogonal, Activation::Tanh),
        ("tanh-gaussian-depth10", 10, Strategy::LeCun, Activation::Tanh),
        ("tanh-orthogonal-depth100", 100, orthogonal, Activation::Tanh),
        ("tanh-gaussian-depth100", 100, Strategy::LeCun, Activation::Tanh),
    ]
    .into_iter()
    .map(|(name, depth, strategy, activation)| {
        (name.to_string(), Network::new(vec![100; depth + 1], strategy, activation).unwrap())
    })
    // Rectangular: widths 100, 400, 25, 200 repeated (ratio 16), depth 100.
    .chain([("tanh-rectangular-arithmetic-depth100", Strategy::Arithmetic)].into_iter().map(|(name, strategy)| {
        let widths: Vec<usize> = (0..=100).map(|l| [100, 400, 25, 200][l % 4]).collect();
        (name.to_string(), Network::new(widths, strategy, Activation::Tanh).unwrap())
    }))
    .collect()
}

fn law(c: &mut Criterion) {
    let mut group = c.benchmark_group("jacobian-law");
    group.sample_size(10);
    for (name, network) in cases() {
        group.bench_with_input(BenchmarkId::new("build", &name), &network, |b, n| {
            b.iter(|| JacobianLaw::new(black_box(n)).unwrap())
        });
        let law = JacobianLaw::new(&network).unwrap();
        group.bench_with_input(BenchmarkId::new("density-1000", &name), &law, |b, law| {
            b.iter(|| law.density_grid(black_box(1000)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, law);
criterion_main!(benches);
