//! Shards and their merge: `rmspec spectrum --shard K/N` runs a disjoint, deterministic subset of
//! the trials and writes a [`PartialSpectrum`] (its trial records and pooled counts);
//! [`merge_partials`] reduces the union exactly as a single run reduces its own, so it reproduces
//! that run byte for byte (docs/scale-out.md).

use super::config::{Method, SpectrumConfig};
use super::pooling::PooledSpectrum;
use super::reduce::{null_keys, reduce, study, BulkNulls};
use super::result::{SpectrumStudy, TrialRecord};
use super::run::{run_trials_of_all, steps};
use crate::calibration::cache::DiskCache;
use crate::calibration::{BulkNull, FitOptions};
use crate::error::{Error, Result};
use crate::initializer::EntryLaw;
use crate::provenance::{Format, Producer};
use crate::shape::Shape;
use crate::spectrum::SingularValueMethod;
use crate::strategy::Strategy;
use crate::trials::{Phase, RunControl, ThreadsLayout};
use serde::{Deserialize, Serialize};

/// Which trials a shard runs: shard K of N (1-based K) takes the trials t with t mod N = K − 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// K, 1-based.
    pub index: usize,
    /// N, the number of shards.
    pub count: usize,
}

impl Shard {
    /// The trial indices of this shard among `trials`, ascending.
    pub fn trials(&self, trials: usize) -> Vec<u64> {
        (0..trials as u64).filter(|t| t % self.count as u64 == (self.index - 1) as u64).collect()
    }
}

impl std::str::FromStr for Shard {
    type Err = Error;

    /// Parses `K/N` with 1 ≤ K ≤ N.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::invalid("shard", format!("'{s}'"), "must be K/N with 1 ≤ K ≤ N");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) =
            (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// The identity of a run: partial results merge only when these agree exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunIdentity {
    /// rmspec's version (partials from different versions are refused).
    pub version: String,
    /// Rows m.
    pub m: usize,
    /// Columns n.
    pub n: usize,
    /// Strategies (written as their canonical names), in output order.
    pub strategies: Vec<Strategy>,
    /// Total trials of the whole run.
    pub trials: usize,
    /// Seed.
    pub seed: u64,
    /// Histogram bins.
    pub bins: usize,
    /// Method.
    pub method: Method,
    /// How singular values are computed.
    pub singular_values: SingularValueMethod,
    /// Goodness-of-fit options (the bulk test's level and replicates).
    pub fit: FitOptions,
}

impl RunIdentity {
    fn of(config: &SpectrumConfig) -> Self {
        RunIdentity {
            version: env!("CARGO_PKG_VERSION").to_string(),
            m: config.shape.m(),
            n: config.shape.n(),
            strategies: config.strategies.clone(),
            trials: config.trials,
            seed: config.seed,
            bins: config.bins,
            method: config.method,
            singular_values: config.singular_values,
            fit: config.fit,
        }
    }

    /// The configuration of the whole run (its layout is irrelevant to a merge).
    pub(super) fn config(&self) -> Result<SpectrumConfig> {
        Ok(SpectrumConfig {
            shape: Shape::new(self.m, self.n)?,
            strategies: self.strategies.clone(),
            trials: self.trials,
            seed: self.seed,
            bins: self.bins,
            singular_values: self.singular_values,
            method: self.method,
            layout: ThreadsLayout::Auto,
            fit: self.fit,
        })
    }

    /// The fields of `self` that differ from `other`'s, as `name = value`.
    pub(super) fn difference(&self, other: &RunIdentity) -> String {
        let (a, b) = (self, other);
        let names = |r: &RunIdentity| r.strategies.iter().map(Strategy::to_string).collect::<Vec<_>>().join(",");
        let fields: [(&str, String, String); 11] = [
            ("version", a.version.clone(), b.version.clone()),
            ("m", a.m.to_string(), b.m.to_string()),
            ("n", a.n.to_string(), b.n.to_string()),
            ("strategies", names(a), names(b)),
            ("trials", a.trials.to_string(), b.trials.to_string()),
            ("seed", a.seed.to_string(), b.seed.to_string()),
            ("bins", a.bins.to_string(), b.bins.to_string()),
            ("method", format!("{:?}", a.method), format!("{:?}", b.method)),
            ("singular values", format!("{:?}", a.singular_values), format!("{:?}", b.singular_values)),
            ("level", a.fit.level.to_string(), b.fit.level.to_string()),
            ("bulk replicates", a.fit.bulk_replicates.to_string(), b.fit.bulk_replicates.to_string()),
        ];
        let differing: Vec<String> =
            fields.iter().filter(|(_, x, y)| x != y).map(|(name, x, _)| format!("{name} = {x}")).collect();
        differing.join(", ")
    }
}

/// What `rmspec spectrum --shard K/N` writes: the run's identity and, per strategy, the
/// per-trial records of this shard's trials and their pooled counts (f64 values round-trip
/// exactly through JSON; the KS grid is stored sparsely).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialSpectrum {
    /// Always [`PARTIAL_FORMAT`].
    pub format: Format,
    /// The rmspec that wrote it.
    pub rmspec: Producer,
    /// The run this partial belongs to.
    pub run: RunIdentity,
    /// Which shard this is.
    pub shard: Shard,
    /// Per strategy (in `run.strategies` order), this shard's records in trial order.
    pub records: Vec<Vec<TrialRecord>>,
    /// Per strategy, this shard's pooled eigenvalue counts.
    pub pooled: Vec<PooledSpectrum>,
    /// This shard's share of the bulk tests' calibration: of each entry law's null, the
    /// replicates r with r mod N = K − 1 (empty when the run has no bulk test), so that the shards split the
    /// calibration as they split the trials and the merge simulates nothing.
    pub calibration: Vec<ReplicateStatistic>,
}

/// One replicate of a bulk test's simulated null.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReplicateStatistic {
    /// The entry law of the null it belongs to (a run has one null per entry law).
    pub entry_law: EntryLaw,
    /// The replicate index r.
    pub replicate: u64,
    /// Its pooled KS distance.
    pub statistic: f64,
}

/// The format of a partial result (`docs/schema/rmspec-partial-spectrum.schema.json`).
/// Version 2 added `calibration`.
pub const PARTIAL_FORMAT: Format = Format::new("rmspec-partial-spectrum", 2);

impl PartialSpectrum {
    /// Refuses a merge of `parts` partials of this one's run that would not fit in memory with
    /// all of them held at once ([`SpectrumConfig::ensure_merge_fits`]): call it on the first
    /// partial, after [`validate`](Self::validate), before reading the others.
    ///
    /// # Errors
    /// [`Error::TooLarge`] naming the merge; a run that is not valid.
    pub fn ensure_merge_fits(&self, parts: usize) -> Result<()> {
        self.run.config()?.ensure_merge_fits(parts, rayon::current_num_threads())
    }
}

/// Runs shard `shard` of the experiment.
///
/// # Errors
/// As [`run`](super::run).
pub fn run_shard(config: &SpectrumConfig, shard: Shard, control: RunControl<'_>) -> Result<PartialSpectrum> {
    config.validate()?;
    let calibration = shard_calibration(config, shard, control)?;
    let indices = shard.trials(config.trials);
    control.begin(Phase::Trials, steps(config, indices.len()));
    let (records, pooled) = run_trials_of_all(config, &indices, control)?.into_iter().unzip();
    Ok(PartialSpectrum {
        format: PARTIAL_FORMAT,
        rmspec: Producer::this_build(),
        run: RunIdentity::of(config),
        shard,
        records,
        pooled,
        calibration,
    })
}

/// This shard's replicates of the run's bulk nulls (r mod N = K − 1 of each entry law's null):
/// taken from the disk cache when it holds the whole null, else simulated.
fn shard_calibration(
    config: &SpectrumConfig,
    shard: Shard,
    control: RunControl<'_>,
) -> Result<Vec<ReplicateStatistic>> {
    let disk = DiskCache::from_env();
    let keys = null_keys(config)?;
    let cached: Vec<Option<BulkNull>> = keys.iter().map(|&key| disk.as_ref().and_then(|d| d.load(key))).collect();
    let to_simulate: usize =
        keys.iter().zip(&cached).filter(|(_, c)| c.is_none()).map(|(k, _)| shard.trials(k.replicates).len()).sum();
    if to_simulate > 0 {
        control.begin(Phase::Calibration, to_simulate as u64);
    }
    let mut calibration = Vec::new();
    for (key, cached) in keys.into_iter().zip(cached) {
        let replicates = shard.trials(key.replicates);
        let statistics = match cached {
            Some(null) => replicates.iter().map(|&r| null.by_replicate()[r as usize]).collect(),
            None => key.replicate_statistics(&replicates, control)?,
        };
        calibration.extend(replicates.into_iter().zip(statistics).map(|(replicate, statistic)| ReplicateStatistic {
            entry_law: key.entry_law,
            replicate,
            statistic,
        }));
    }
    Ok(calibration)
}

/// The run's bulk nulls assembled from the shards' replicates (each exactly once), kept in the
/// disk cache for later runs; nothing is simulated.
fn merged_nulls(config: &SpectrumConfig, parts: &[PartialSpectrum]) -> Result<BulkNulls> {
    let keys = null_keys(config)?;
    if let Some(stray) =
        parts.iter().flat_map(|p| &p.calibration).find(|r| keys.iter().all(|k| k.entry_law != r.entry_law))
    {
        return Err(Error::Mismatch(format!(
            "calibration replicate {} is of entry law {}, which no strategy of the run has",
            stray.replicate,
            stray.entry_law.name()
        )));
    }
    let mut nulls = Vec::with_capacity(keys.len());
    for key in keys {
        let mut values = vec![None; key.replicates];
        for replicate in parts.iter().flat_map(|p| &p.calibration).filter(|r| r.entry_law == key.entry_law) {
            match values.get_mut(replicate.replicate as usize) {
                Some(slot @ None) => *slot = Some(replicate.statistic),
                _ => {
                    return Err(Error::Mismatch(format!(
                        "calibration replicate {} ({}) is given twice or is out of range (the run has {})",
                        replicate.replicate,
                        key.entry_law.name(),
                        key.replicates
                    )))
                }
            }
        }
        let values = values.into_iter().collect::<Option<Vec<f64>>>().ok_or_else(|| {
            Error::Mismatch(format!(
                "the parts do not hold all {} calibration replicates of the {} null",
                key.replicates,
                key.entry_law.name()
            ))
        })?;
        let null = BulkNull::from_replicates(key, values)?;
        if let Some(disk) = DiskCache::from_env() {
            let _ = disk.store(&null); // best effort, as every cache write
        }
        nulls.push(null);
    }
    Ok(BulkNulls::of_nulls(nulls))
}

/// Combines partial results into exactly the result a single run would produce.
///
/// # Errors
/// [`Error::Mismatch`] naming the first disagreement: partials from different runs (m, n, seed,
/// strategies, trials, bins, method, version), different shard counts, a missing or repeated
/// shard or trial.
pub fn merge_partials(parts: &[PartialSpectrum]) -> Result<SpectrumStudy> {
    let first = check_parts(parts)?;
    first.ensure_merge_fits(parts.len())?;
    let run = &first.run;
    let config = run.config()?;
    let nulls = merged_nulls(&config, parts)?;
    let mut results = Vec::with_capacity(run.strategies.len());
    for (s, &strategy) in run.strategies.iter().enumerate() {
        let mut records: Vec<TrialRecord> = parts.iter().flat_map(|p| p.records[s].iter().cloned()).collect();
        records.sort_by_key(|r| r.trial);
        if records.len() != run.trials || records.iter().enumerate().any(|(i, r)| r.trial != i as u64) {
            return Err(Error::Mismatch(format!(
                "the parts hold {} trial records for {strategy}, not trials 0..{} exactly once",
                records.len(),
                run.trials
            )));
        }
        let mut pooled = first.pooled[s].clone();
        for part in &parts[1..] {
            pooled.merge(&part.pooled[s])?;
        }
        results.push(reduce(&config, strategy, records, pooled, nulls.of(strategy))?);
    }
    Ok(study(&config, results))
}

/// Checks that every part is valid on its own ([`PartialSpectrum::validate`], before anything is
/// allocated or combined) and that the parts are the shards of one run, each exactly once;
/// returns the first.
fn check_parts(parts: &[PartialSpectrum]) -> Result<&PartialSpectrum> {
    let first = parts.first().ok_or_else(|| Error::Mismatch("no partial results to merge".into()))?;
    for (i, part) in parts.iter().enumerate() {
        let part_number = i + 1;
        part.validate().map_err(|e| Error::InvalidInput(format!("part {part_number} is not a valid partial: {e}")))?;
        if part.format != PARTIAL_FORMAT {
            return Err(Error::Mismatch(format!(
                "part {part_number} is not an rmspec partial result of {PARTIAL_FORMAT} (it is {})",
                part.format
            )));
        }
        if part.run != first.run {
            return Err(Error::Mismatch(format!(
                "part {part_number} belongs to a different run: {} (part 1: {})",
                part.run.difference(&first.run),
                first.run.difference(&part.run)
            )));
        }
        if part.shard.count != first.shard.count {
            return Err(Error::Mismatch(format!(
                "part {part_number} is shard {}/{}, part 1 is {}/{}: shard counts differ",
                part.shard.index, part.shard.count, first.shard.index, first.shard.count
            )));
        }
        let strategies = first.run.strategies.len();
        if part.records.len() != strategies || part.pooled.len() != strategies {
            return Err(Error::Mismatch(format!(
                "part {part_number} has records for {} and counts for {} strategies, expected {strategies}",
                part.records.len(),
                part.pooled.len(),
            )));
        }
    }
    // A set, not a vector of N flags: N comes from the files (and may be 2⁶⁴ − 1).
    let mut seen = std::collections::BTreeSet::new();
    for part in parts {
        if !seen.insert(part.shard.index) {
            return Err(Error::Mismatch(format!("shard {}/{} is given twice", part.shard.index, part.shard.count)));
        }
    }
    // The indices are valid (1 ≤ K ≤ N), so N distinct ones are all of them.
    if seen.len() != first.shard.count {
        let missing = (1..).zip(&seen).find(|(k, &index)| *k != index).map_or(seen.len() + 1, |(k, _)| k);
        return Err(Error::Mismatch(format!("shard {missing}/{} is missing", first.shard.count)));
    }
    Ok(first)
}
