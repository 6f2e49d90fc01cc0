//! The bulk test's null simulated through the Dumitriu–Edelman tridiagonal model against the same
//! null simulated from dense Gaussian matrices (what the calibration did before): the replicate
//! statistics must have one law, so their critical values agree within Monte Carlo error. Other
//! entry laws are simulated densely: checked against a direct simulation.
//!
//! Cost: about 3 s in the optimised test profile (2 cores shared with other builds).

use rmspec::calibration::{BulkNull, NullKey, NullStatistic, CALIBRATION_SALT};
use rmspec::initializer::{EntryLaw, Initializer};
use rmspec::law::MarchenkoPastur;
use rmspec::sample::{sample_into, trial_rng};
use rmspec::spectrum::{GramSolver, SingularValueMethod};
use rmspec::stats::{ks_distance, two_sample_ks, QuantileGridCounts, KS_GRID_CELLS};
use rmspec::trials::RunControl;
use rmspec::{Shape, Strategy};

/// Kolmogorov's c(α) for α = 0.001 (source: Q(1.9495) = 0.001, scipy.special.kolmogi(0.001)).
const C_ALPHA_0_001: f64 = 1.9495;

/// Replicate statistics of dense unit-variance matrices with iid entries of `entry_law`,
/// evaluated as the calibration evaluates its own (exact KS for one matrix, the lower grid bracket
/// for pooled ones), replicate r's matrix t from `trial_rng(key, r·T + t)`.
fn dense_replicates(
    shape: Shape,
    trials: usize,
    replicates: usize,
    statistic: NullStatistic,
    entry_law: EntryLaw,
    key: u64,
) -> Vec<f64> {
    let (m, n) = (shape.m(), shape.n());
    let law = MarchenkoPastur::for_shape(shape, 1.0).unwrap();
    let unit = Strategy::Framework(Initializer::Fixed { law: entry_law, variance: 1.0 });
    let mut solver = GramSolver::new(m, n, SingularValueMethod::Gram).unwrap();
    let (mut w, mut eig) = (vec![0.0; m * n], vec![0.0; shape.min()]);
    let zeros = trials * shape.zero_eigenvalues();
    (0..replicates)
        .map(|r| {
            let mut grid = QuantileGridCounts::new(KS_GRID_CELLS).unwrap();
            let mut exact = 0.0;
            for t in 0..trials {
                sample_into(unit, m, n, &mut trial_rng(key, (r * trials + t) as u64), &mut w).unwrap();
                solver.compute_into(&w, &mut eig).unwrap();
                match statistic {
                    NullStatistic::Exact => exact = ks_distance(&eig, zeros, &law).unwrap(),
                    NullStatistic::PooledGrid => grid.add_all(&law, &eig),
                }
            }
            match statistic {
                NullStatistic::Exact => exact,
                NullStatistic::PooledGrid => {
                    grid.add_zeros(zeros as u64);
                    grid.ks_distance_bounds(&law).unwrap().0
                }
            }
        })
        .collect()
}

/// Two-sample KS between R independent replicate statistics from each simulation, at
/// α = 0.001 per case. Replicates are iid within each set (disjoint streams), so the test is
/// valid; two cases (exact one-matrix statistic, as `check` uses, at a wide and a tall shape;
/// and the pooled grid statistic of T = 4 matrices, as `spectrum` uses) give a false-alarm rate
/// of at most 3 × 0.001 when the laws agree (Bonferroni). The critical distance with R per side
/// is 1.95·√(2/R): 0.062 at R = 2000, 0.138 at R = 400; equality of the whole distribution
/// implies the critical values (its upper quantiles) agree within their Monte Carlo error.
/// Negative control (checked once by hand, 20×50): dense matrices of variance 1.1 instead of 1
/// give a two-sample distance of 0.43, far beyond 0.062. Cost: about 3 s on two loaded cores.
#[test]
fn tridiagonal_and_dense_nulls_have_one_law() {
    let cases = [
        (Shape::new(20, 50).unwrap(), 1, 2000, NullStatistic::Exact),
        (Shape::new(60, 24).unwrap(), 1, 2000, NullStatistic::Exact),
        (Shape::new(16, 40).unwrap(), 4, 400, NullStatistic::PooledGrid),
    ];
    for (shape, trials, replicates, statistic) in cases {
        let key = NullKey::new(shape, trials, replicates, 3, EntryLaw::Normal, statistic).unwrap();
        let mut tridiagonal = BulkNull::simulate(key, RunControl::default()).unwrap().replicates().to_vec();
        // Streams of their own (key 977), independent of the tridiagonal replicates'.
        let mut dense = dense_replicates(shape, trials, replicates, statistic, EntryLaw::Normal, 977);
        tridiagonal.sort_by(f64::total_cmp);
        dense.sort_by(f64::total_cmp);
        let d = two_sample_ks(&tridiagonal, &dense).unwrap();
        let critical = C_ALPHA_0_001 * (2.0 / replicates as f64).sqrt();
        let q = |v: &[f64]| v[(0.95 * replicates as f64) as usize];
        println!(
            "{shape} T = {trials}: two-sample KS {d:.4} (critical {critical:.4}); 95% quantile tridiagonal {:.5}, dense {:.5}",
            q(&tridiagonal),
            q(&dense)
        );
        assert!(d <= critical, "{shape}, T = {trials}: two-sample KS {d} > {critical}");
    }
}

/// For uniform and truncated-normal entries (framework initialisers) no tridiagonal model exists:
/// their nulls are simulated densely from the calibration streams, so they equal a direct dense
/// simulation bit for bit, and differ from the Gaussian null of the same key. (R = 10 small
/// matrices per case: milliseconds.)
#[test]
fn other_entry_laws_are_simulated_densely_from_the_calibration_streams() {
    let shape = Shape::new(12, 30).unwrap();
    for statistic in [NullStatistic::Exact, NullStatistic::PooledGrid] {
        let trials = if statistic == NullStatistic::Exact { 1 } else { 3 };
        let gaussian = NullKey::new(shape, trials, 10, 8, EntryLaw::Normal, statistic).unwrap();
        let gaussian = BulkNull::simulate(gaussian, RunControl::default()).unwrap();
        for law in [EntryLaw::Uniform, EntryLaw::TruncatedNormal] {
            let key = NullKey::new(shape, trials, 10, 8, law, statistic).unwrap();
            let null = BulkNull::simulate(key, RunControl::default()).unwrap();
            assert_eq!(null.entry_law(), law);
            let direct = dense_replicates(shape, trials, 10, statistic, law, 8 ^ CALIBRATION_SALT);
            assert_eq!(null.by_replicate(), &direct[..], "{law:?} {statistic:?}");
            assert_ne!(null.by_replicate(), gaussian.by_replicate(), "{law:?} {statistic:?}");
        }
    }
}

/// Caching never changes a result: a run with a cold cache, the same run with the cache warm, a
/// run with a corrupt cache file and a run with the cache off print the same JSON byte for byte,
/// and the corrupt file is replaced by a valid one. (A 24×60 run: well under a second each.)
#[test]
fn cached_and_fresh_runs_print_identical_json() {
    let dir = tempfile::tempdir().unwrap();
    let run = |cache: Option<&std::path::Path>| {
        let mut cmd = assert_cmd::Command::cargo_bin("rmspec").unwrap();
        cmd.args(["spectrum", "-m", "24", "-n", "60", "--trials", "30", "--strategy", "he", "--seed", "5", "--json"]);
        match cache {
            Some(dir) => cmd.env("RMSPEC_CACHE_DIR", dir).env_remove("RMSPEC_CACHE"),
            None => cmd.env("RMSPEC_CACHE", "off"),
        };
        let output = cmd.output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let cold = run(Some(dir.path()));
    let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "one cache file per key: {files:?}");
    let warm = run(Some(dir.path()));
    std::fs::write(&files[0], "{\"format\": truncated").unwrap();
    let after_corruption = run(Some(dir.path()));
    let rewritten = std::fs::read_to_string(&files[0]).unwrap();
    let off = run(None);
    assert_eq!(cold, warm);
    assert_eq!(cold, after_corruption);
    assert_eq!(cold, off);
    assert!(serde_json::from_str::<serde_json::Value>(&rewritten).is_ok(), "not rewritten: {rewritten}");
}
