//! Checking shard partials without merging them, so that a scheduler reruns only the shards whose
//! partial is missing or invalid (`rmspec merge --validate`, docs/scale-out.md).
//!
//! A partial of shard K of N of a run of T trials is *valid* when, on its own:
//! - it is an `rmspec-partial-spectrum` written by this rmspec version (partials of different
//!   versions do not merge);
//! - 1 ≤ K ≤ N, T ≥ 1, its strategies are names this rmspec knows and its fit options are valid;
//! - for every strategy it holds one record per trial of the shard, the trials t < T with
//!   t mod N = K − 1, in ascending order;
//! - its pooled counts are those trials' counts: a histogram on the range and bins the run fixes
//!   from the prediction, and a quantile grid of
//!   [`KS_GRID_CELLS`](crate::stats::KS_GRID_CELLS) cells exactly when the run keeps one, each
//!   holding min(m, n) eigenvalues per trial (the structural zeros are added by the merge).
//!
//! Several partials are *consistent* when they belong to one run, have one shard count and hold
//! no shard twice; unlike [`merge_partials`](super::merge_partials), a consistent set may miss shards.
//!
//! What no check short of rerunning the shard can tell is whether the numbers are the ones the
//! run computes; a file cut short, written by another run or another version, or edited into a
//! different shape fails.

use super::shard::PARTIAL_FORMAT;
use super::{PartialSpectrum, PooledSpectrum, RunIdentity, Shard};
use crate::error::{Error, Result};
use crate::prediction::EdgePrediction;
use crate::stats::Histogram;

impl PartialSpectrum {
    /// Checks that this partial is complete and consistent on its own (see the
    /// module docs of `experiment::spectrum::validate`), so that a merge with the other shards of its run can use it.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the first field that does not hold.
    pub fn validate(&self) -> Result<()> {
        let invalid = |what: String| Err(Error::InvalidInput(what));
        if self.format != PARTIAL_FORMAT {
            return invalid(format!("format is '{}', not '{PARTIAL_FORMAT}'", self.format));
        }
        let version = env!("CARGO_PKG_VERSION");
        if self.run.version != version {
            return invalid(format!("written by rmspec {}, this is rmspec {version}", self.run.version));
        }
        let (index, count) = (self.shard.index, self.shard.count);
        if index == 0 || index > count {
            return invalid(format!("shard {index}/{count} is not K/N with 1 ≤ K ≤ N"));
        }
        if self.run.trials == 0 {
            return invalid("the run has 0 trials".into());
        }
        // Counts, bins, fit options and the memory a merge of this run needs, checked before
        // anything the file declares is allocated.
        let config = self.run.config()?;
        config.validate()?;
        let strategies = config.strategies.len();
        if self.records.len() != strategies || self.pooled.len() != strategies {
            return invalid(format!(
                "records for {} and counts for {} strategies, the run has {strategies}",
                self.records.len(),
                self.pooled.len()
            ));
        }
        let trials = self.shard.trials(config.trials);
        let per_trial = config.shape.min() as u64;
        for ((strategy, records), pooled) in config.strategies.iter().zip(&self.records).zip(&self.pooled) {
            if let Some(problem) = records.iter().find_map(record_problem) {
                return invalid(format!("{strategy}: {problem}"));
            }
            if !records.iter().map(|r| r.trial).eq(trials.iter().copied()) {
                return invalid(format!(
                    "{strategy}: records of trials {}, shard {index}/{count} of {} trials is trials {}",
                    list(records.iter().map(|r| r.trial)),
                    config.trials,
                    list(trials.iter().copied())
                ));
            }
            let expected = PooledSpectrum::new(&config, &EdgePrediction::new(*strategy, config.shape)?)?;
            let values = per_trial * trials.len() as u64;
            check_histogram(&pooled.histogram, &expected.histogram, values)
                .map_err(|e| Error::InvalidInput(format!("{strategy}: {e}")))?;
            match (&pooled.ks_grid, &expected.ks_grid) {
                (None, None) => {}
                (Some(grid), Some(empty))
                    if grid.cells.len() == empty.cells.len() && grid.total() == values && grid.zero == 0 => {}
                (Some(grid), Some(empty)) => {
                    return invalid(format!(
                        "{strategy}: a KS grid of {} cells holding {} values ({} at zero), expected {} cells \
                         holding {values} (none at zero: the merge adds the structural zeros)",
                        grid.cells.len(),
                        grid.total(),
                        grid.zero,
                        empty.cells.len()
                    ))
                }
                (Some(_), None) => return invalid(format!("{strategy}: KS grid counts where the run keeps none")),
                (None, Some(_)) => return invalid(format!("{strategy}: no KS grid counts where the run keeps them")),
            }
        }
        self.validate_calibration(&config)
    }

    /// The shard's calibration replicates: of each entry law's null (in the order of
    /// [`null_keys`](super::reduce::null_keys)), exactly r mod N = K − 1 of the run's R, each a
    /// finite, non-negative KS distance (none when the run has no bulk test).
    fn validate_calibration(&self, config: &super::SpectrumConfig) -> Result<()> {
        let name = |(law, r): (crate::initializer::EntryLaw, u64)| format!("{}:{r}", law.name());
        let expected: Vec<String> = super::reduce::null_keys(config)?
            .into_iter()
            .flat_map(|key| self.shard.trials(key.replicates).into_iter().map(move |r| (key.entry_law, r)))
            .map(name)
            .collect();
        let replicates: Vec<String> = self.calibration.iter().map(|r| name((r.entry_law, r.replicate))).collect();
        if replicates != expected {
            return Err(Error::InvalidInput(format!(
                "calibration replicates {}, shard {}/{} of the run's calibration is {}",
                list(replicates.into_iter()),
                self.shard.index,
                self.shard.count,
                list(expected.into_iter())
            )));
        }
        match self.calibration.iter().find(|r| !(r.statistic.is_finite() && r.statistic >= 0.0)) {
            Some(r) => Err(Error::InvalidInput(format!(
                "calibration replicate {} has statistic {}, not a KS distance",
                r.replicate, r.statistic
            ))),
            None => Ok(()),
        }
    }
}

/// What is impossible about a trial record, if anything: a value that is NaN, a negative norm or
/// singular value, λ_max below λ_min⁺, σ_max below σ_min, or κ(W) = σ_max/σ_min below 1.
fn record_problem(record: &super::TrialRecord) -> Option<String> {
    let r = record;
    let fields = [
        ("lambda_min", r.lambda_min),
        ("lambda_max", r.lambda_max),
        ("spectral_norm", r.spectral_norm),
        ("smallest_singular_value", r.smallest_singular_value),
        ("condition_number", r.condition_number),
    ];
    // NaN first, so that the comparisons below are between numbers.
    let problem = if let Some((name, _)) = fields.iter().find(|(_, v)| v.is_nan()) {
        format!("{name} is NaN")
    } else if r.spectral_norm < 0.0 || r.smallest_singular_value < 0.0 {
        "a negative singular value".to_string()
    } else if r.lambda_max < r.lambda_min || r.spectral_norm < r.smallest_singular_value {
        "a largest value below the smallest".to_string()
    } else if r.condition_number < 1.0 {
        format!("condition_number = {} is below 1", r.condition_number)
    } else {
        return None;
    };
    Some(format!("trial {}: {problem}", r.trial))
}

/// The count and first few of a list of trial indices, e.g. `[0, 3, 6, 9, …] (5)`.
fn list<T: ToString>(trials: impl ExactSizeIterator<Item = T>) -> String {
    let count = trials.len();
    let shown: Vec<String> = trials.take(4).map(|t| t.to_string()).collect();
    format!("[{}{}] ({count})", shown.join(", "), if count > 4 { ", …" } else { "" })
}

/// A shard's histogram: the run's range and bins, `values` counted, no atom.
fn check_histogram(histogram: &Histogram, empty: &Histogram, values: u64) -> std::result::Result<(), String> {
    let shape = |h: &Histogram| (h.lower, h.upper, h.counts.len());
    if shape(histogram) != shape(empty) {
        return Err(format!(
            "a histogram on [{}, {}] with {} bins, the run's is on [{}, {}] with {} bins",
            histogram.lower,
            histogram.upper,
            histogram.counts.len(),
            empty.lower,
            empty.upper,
            empty.counts.len()
        ));
    }
    if histogram.excluded_atom != 0 || histogram.total() != values {
        return Err(format!(
            "a histogram holding {} values ({} at the atom), expected {values} (none at the atom)",
            histogram.total(),
            histogram.excluded_atom
        ));
    }
    Ok(())
}

/// Checks that partials, each valid on its own, can be merged together: one run, one shard count,
/// no shard twice (shards may be missing). Takes each partial's run identity and shard, so that a
/// caller can check many partials while holding one at a time.
///
/// # Errors
/// [`Error::Mismatch`] naming the first part (1-based, in the order given) that disagrees with
/// the first.
pub fn check_consistent(parts: &[(RunIdentity, Shard)]) -> Result<()> {
    let Some((first_run, first_shard)) = parts.first() else { return Ok(()) };
    let mut seen = std::collections::BTreeSet::new();
    for (i, (run, shard)) in parts.iter().enumerate() {
        if run != first_run {
            return Err(Error::Mismatch(format!(
                "part {} belongs to a different run: {} (part 1: {})",
                i + 1,
                run.difference(first_run),
                first_run.difference(run)
            )));
        }
        if shard.count != first_shard.count || !seen.insert(shard.index) {
            return Err(Error::Mismatch(format!(
                "part {} is shard {}/{}: {}",
                i + 1,
                shard.index,
                shard.count,
                if shard.count != first_shard.count { "part 1 has another shard count" } else { "given twice" }
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibration::FitOptions;
    use crate::experiment::spectrum::{run_shard, Method, SpectrumConfig};
    use crate::spectrum::SingularValueMethod;
    use crate::trials::{RunControl, ThreadsLayout};
    use crate::Shape;
    use crate::Strategy;

    fn config(method: Method) -> SpectrumConfig {
        SpectrumConfig {
            shape: Shape::new(12, 8).unwrap(),
            strategies: vec![Strategy::He, Strategy::Orthogonal { variance: None }],
            trials: 7,
            seed: 3,
            bins: 9,
            singular_values: SingularValueMethod::Auto,
            fit: FitOptions { bulk_replicates: 0, ..FitOptions::default() },
            method,
            layout: ThreadsLayout::Trials,
        }
    }

    fn shard(config: &SpectrumConfig, index: usize, count: usize) -> PartialSpectrum {
        run_shard(config, Shard { index, count }, RunControl::default()).unwrap()
    }

    fn reason(part: &PartialSpectrum) -> String {
        part.validate().unwrap_err().to_string()
    }

    #[test]
    fn shards_as_written_are_valid_for_every_method() {
        for method in [Method::Dense, Method::Tridiagonal, Method::TridiagonalHistogram] {
            let mut config = config(method);
            if method != Method::Dense {
                config.strategies = vec![Strategy::He, Strategy::LeCun];
            }
            for index in 1..=3 {
                shard(&config, index, 3).validate().unwrap();
            }
            // More shards than trials: the empty shard 8/8 is valid too.
            shard(&config, 8, 8).validate().unwrap();
        }
    }

    #[test]
    fn a_tridiagonal_partial_of_a_non_gaussian_strategy_is_invalid() {
        let mut config = config(Method::Tridiagonal);
        config.strategies = vec![Strategy::He, Strategy::LeCun];
        let mut part = shard(&config, 1, 2);
        part.run.strategies[1] = "torch-default".parse().unwrap();
        assert!(reason(&part).contains("its entries are not Gaussian"), "{}", reason(&part));
    }

    #[test]
    fn a_partial_that_does_not_hold_its_shard_is_invalid() {
        let good = shard(&config(Method::Dense), 2, 3);
        let mut part = good.clone();
        part.records[0].pop();
        assert_eq!(
            reason(&part),
            "invalid input: he: records of trials [1] (1), shard 2/3 of 7 trials is trials [1, 4] (2)"
        );
        let mut part = good.clone();
        part.records[1].swap(0, 1);
        assert!(reason(&part).contains("orthogonal: records of trials [4, 1] (2), shard 2/3"), "{}", reason(&part));
        let mut part = good.clone();
        part.shard.index = 0;
        assert!(reason(&part).contains("shard 0/3 is not K/N"));
        let mut part = good.clone();
        part.pooled[0].histogram.counts[4] += 1;
        assert!(
            reason(&part).contains("he: a histogram holding 17 values (0 at the atom), expected 16"),
            "{}",
            reason(&part)
        );
        let mut part = good.clone();
        part.pooled[1].histogram.upper *= 2.0;
        assert!(reason(&part).contains("orthogonal: a histogram on ["), "{}", reason(&part));
        let mut part = good.clone();
        part.pooled[0].ks_grid.as_mut().unwrap().above += 1;
        assert!(reason(&part).contains("he: a KS grid of 1048576 cells holding 17 values"), "{}", reason(&part));
        let mut part = good.clone();
        part.pooled[0].ks_grid = None;
        assert!(reason(&part).contains("he: no KS grid counts"), "{}", reason(&part));
        let mut part = good.clone();
        part.pooled[1].ks_grid = part.pooled[0].ks_grid.clone();
        assert!(reason(&part).contains("orthogonal: KS grid counts where the run keeps none"), "{}", reason(&part));
        let mut part = good.clone();
        part.run.version = "0.0.0-other".into();
        assert!(reason(&part).contains("written by rmspec 0.0.0-other"));
        let mut part = good.clone();
        part.pooled.pop();
        assert!(reason(&part).contains("counts for 1 strategies, the run has 2"));
        let mut part = good;
        part.format = crate::provenance::Format::new("something-else", 1);
        assert!(reason(&part).contains("format is 'something-else version 1'"));
    }

    fn key(part: &PartialSpectrum) -> (RunIdentity, Shard) {
        (part.run.clone(), part.shard)
    }

    #[test]
    fn consistency_allows_missing_shards_and_refuses_mixtures() {
        let config = config(Method::Dense);
        let (one, three) = (key(&shard(&config, 1, 3)), key(&shard(&config, 3, 3)));
        check_consistent(&[three.clone(), one.clone()]).unwrap();
        check_consistent(&[]).unwrap();
        let twice = check_consistent(&[one.clone(), three.clone(), one.clone()]).unwrap_err().to_string();
        assert_eq!(twice, "part 3 is shard 1/3: given twice");
        let other_count = check_consistent(&[one.clone(), key(&shard(&config, 1, 2))]).unwrap_err().to_string();
        assert_eq!(other_count, "part 2 is shard 1/2: part 1 has another shard count");
        let other_seed = key(&shard(&SpectrumConfig { seed: 4, ..config }, 2, 3));
        let mixed = check_consistent(&[one, other_seed]).unwrap_err().to_string();
        assert_eq!(mixed, "part 2 belongs to a different run: seed = 4 (part 1: seed = 3)");
    }
}
