//! Kernel benchmarks: sampling, Gram (dsyrk), symmetric eigenvalues (dsyevd / dsyev / dsyevr,
//! JOBZ = 'N'), singular values (dgesdd), the tridiagonal model (dsterf) and Sturm-count
//! histograms. Sizes grow at fixed γ = m/n = 1/2; inputs are seeded and sampled outside the timed
//! call. OpenBLAS runs at one thread (the per-trial layout); see docs/performance.md.
//!
//! Run: `cargo bench --bench kernels` (or `-- eigen` to pick a group).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use rmspec::linalg::{self, EigenDriver, GramSide, SymmetricEigenvalues};
use rmspec::sample::{sample_into, trial_rng};
use rmspec::tridiagonal::{count_below, LaguerreTridiagonal};
use rmspec::Strategy;
use std::hint::black_box;

const SIZES: [usize; 4] = [64, 128, 256, 512];

fn gaussian(m: usize, n: usize) -> Vec<f64> {
    let mut w = vec![0.0; m * n];
    sample_into(Strategy::He, m, n, &mut trial_rng(1, 0), &mut w).unwrap();
    w
}

fn gram(w: &[f64], m: usize, n: usize) -> Vec<f64> {
    let mut g = vec![0.0; m * m];
    linalg::gram_lower(w, m, n, GramSide::Rows, 1.0 / n as f64, &mut g).unwrap();
    g
}

fn sampling(c: &mut Criterion) {
    linalg::set_blas_threads(1);
    let mut group = c.benchmark_group("sample");
    for m in SIZES {
        let n = 2 * m;
        let mut w = vec![0.0; m * n];
        group.throughput(Throughput::Elements((m * n) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(format!("{m}x{n}")), &m, |b, &m| {
            let mut rng = trial_rng(1, 0);
            b.iter(|| sample_into(Strategy::He, m, n, &mut rng, black_box(&mut w)).unwrap())
        });
    }
    group.finish();
}

fn gram_syrk(c: &mut Criterion) {
    linalg::set_blas_threads(1);
    let mut group = c.benchmark_group("gram_dsyrk");
    for m in SIZES {
        let n = 2 * m;
        let w = gaussian(m, n);
        let mut g = vec![0.0; m * m];
        group.throughput(Throughput::Elements((m * m * n) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(format!("{m}x{n}")), &m, |b, &m| {
            b.iter(|| linalg::gram_lower(black_box(&w), m, n, GramSide::Rows, 1.0 / n as f64, &mut g).unwrap())
        });
    }
    group.finish();
}

fn eigenvalues(c: &mut Criterion) {
    linalg::set_blas_threads(1);
    let mut group = c.benchmark_group("eigenvalues");
    for m in SIZES {
        let n = 2 * m;
        let g = gram(&gaussian(m, n), m, n);
        let mut scratch = g.clone();
        let mut out = vec![0.0; m];
        for (name, driver) in [
            ("dsyevd", EigenDriver::Syevd),
            ("dsyev", EigenDriver::Syev),
            ("dsyevr", EigenDriver::Syevr),
            ("dsyev_2stage", EigenDriver::Syev2Stage),
        ] {
            let mut solver = SymmetricEigenvalues::with_driver(m, driver).unwrap();
            group.bench_with_input(BenchmarkId::new(name, m), &m, |b, _| {
                b.iter(|| {
                    scratch.copy_from_slice(&g);
                    solver.compute(&mut scratch, &mut out).unwrap();
                    black_box(out[m - 1])
                })
            });
        }
    }
    group.finish();
}

fn singular_values(c: &mut Criterion) {
    linalg::set_blas_threads(1);
    let mut group = c.benchmark_group("singular_values_dgesdd");
    group.sample_size(10);
    for m in SIZES {
        let n = 2 * m;
        let w = gaussian(m, n);
        let mut scratch = w.clone();
        group.bench_with_input(BenchmarkId::from_parameter(format!("{m}x{n}")), &m, |b, &m| {
            b.iter(|| {
                scratch.copy_from_slice(&w);
                black_box(linalg::singular_values(&mut scratch, m, n).unwrap())
            })
        });
    }
    group.finish();
}

fn tridiagonal(c: &mut Criterion) {
    let mut group = c.benchmark_group("tridiagonal");
    group.sample_size(10);
    for k in [1_000usize, 10_000, 100_000] {
        let mut model = LaguerreTridiagonal::new(k, 2 * k, 1.0 / (2 * k) as f64).unwrap();
        group.bench_with_input(BenchmarkId::new("sample", k), &k, |b, _| {
            let mut rng = trial_rng(1, 0);
            b.iter(|| model.sample(&mut rng))
        });
        model.sample(&mut trial_rng(1, 0));
        let edges: Vec<f64> = (0..=100).map(|i| 0.1 + 2.9 * i as f64 / 100.0).collect();
        group.bench_with_input(BenchmarkId::new("sturm_histogram_101_edges", k), &k, |b, _| {
            b.iter(|| {
                edges.iter().map(|&x| count_below(model.diagonal(), model.off_diagonal_squared(), x)).sum::<usize>()
            })
        });
        if k <= 10_000 {
            let mut eig = vec![0.0; k];
            let mut scratch = Vec::new();
            group.bench_with_input(BenchmarkId::new("dsterf", k), &k, |b, _| {
                b.iter(|| model.eigenvalues_by_dsterf(&mut eig, &mut scratch).unwrap())
            });
            group.bench_with_input(BenchmarkId::new("dbdsqr_dqds", k), &k, |b, _| {
                b.iter(|| model.eigenvalues_by_dqds(&mut eig, &mut scratch).unwrap())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, sampling, gram_syrk, eigenvalues, singular_values, tridiagonal);
criterion_main!(benches);
