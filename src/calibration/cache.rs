//! Where simulated nulls are kept: computed once per key per process, and on disk between runs.
//!
//! **In the process.** [`bulk_null`] keeps one slot per [`NullKey`]; the first caller simulates,
//! concurrent callers of the same key wait for that result instead of redoing the work (tests of
//! one shape on several test threads pay once), callers of other keys are not held up. A failed
//! or interrupted simulation is not kept. At most [`MEMORY_CAPACITY`] finished nulls are kept.
//!
//! **On disk.** A null is a few hundred numbers, so it is also written to
//! `$RMSPEC_CACHE_DIR`, else `$XDG_CACHE_HOME/rmspec`, else `~/.cache/rmspec` (`RMSPEC_CACHE=off`
//! disables the disk cache), one JSON file per key, written atomically. A file is used only when
//! everything that determines the values matches: the key (m, n, matrices per replicate,
//! replicates, seed, entry law, statistic), the number of quantile-grid cells, the simulation method, the
//! cache format ([`CACHE_FORMAT`]) and the rmspec version. A file that cannot be read, does not
//! parse, is truncated, or belongs to another key, version or format is ignored and rewritten,
//! never trusted. A cache hit returns the very values a fresh simulation gives (f64 round-trips
//! exactly through JSON), so caching never changes a result; failing to write the cache (a
//! read-only home, say) is silent and costs only the next run's time.

use super::null::NullKey;
use super::BulkNull;
use crate::error::Result;
use crate::initializer::EntryLaw;
use crate::provenance::Format;
use crate::stats::KS_GRID_CELLS;
use crate::trials::RunControl;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The format of a cache file; its version changes whenever the simulation or the file changes.
/// Version 2: the key holds the entry law.
pub const CACHE_FORMAT: Format = Format::new("rmspec-bulk-null-cache", 2);

/// How the replicates of an entry law are simulated (part of the cache key): the tridiagonal
/// model for Gaussian entries, dense Gram eigenvalues for the others ([`super::null`]).
pub fn simulation(law: EntryLaw) -> &'static str {
    match law {
        EntryLaw::Normal => "laguerre-tridiagonal-dsterf",
        EntryLaw::Uniform | EntryLaw::TruncatedNormal => "dense-gram-eigenvalues",
    }
}

/// Finished nulls kept in memory (the oldest half is dropped beyond it).
pub const MEMORY_CAPACITY: usize = 64;

type Slot = Arc<OnceLock<Result<Arc<BulkNull>>>>;

/// The null of `key`: from this process's memory, else from the disk cache ([`DiskCache::from_env`]),
/// else simulated (and then stored in both). Concurrent callers of one key wait for one
/// simulation.
///
/// # Errors
/// As [`BulkNull::simulate`] (a failure is not cached: the next caller tries again).
pub fn bulk_null(key: NullKey, control: RunControl<'_>) -> Result<Arc<BulkNull>> {
    bulk_null_with(key, DiskCache::from_env().as_ref(), control)
}

/// As [`bulk_null`], with an explicit disk cache (or none).
///
/// # Errors
/// As [`bulk_null`].
pub fn bulk_null_with(key: NullKey, disk: Option<&DiskCache>, control: RunControl<'_>) -> Result<Arc<BulkNull>> {
    static SLOTS: OnceLock<Mutex<HashMap<NullKey, Slot>>> = OnceLock::new();
    let slots = SLOTS.get_or_init(|| Mutex::new(HashMap::new()));
    let slot: Slot = {
        let mut map = slots.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= MEMORY_CAPACITY {
            // Drop finished entries (never one being computed, whose callers wait on it).
            map.retain(|_, s| s.get().is_none());
        }
        Arc::clone(map.entry(key).or_default())
    };
    let result = slot
        .get_or_init(|| {
            if let Some(null) = disk.and_then(|d| d.load(key)) {
                return Ok(Arc::new(null));
            }
            let null = BulkNull::simulate(key, control)?;
            if let Some(d) = disk {
                let _ = d.store(&null); // best effort: see the module docs
            }
            Ok(Arc::new(null))
        })
        .clone();
    if result.is_err() {
        let mut map = slots.lock().unwrap_or_else(|e| e.into_inner());
        if map.get(&key).is_some_and(|s| Arc::ptr_eq(s, &slot)) {
            map.remove(&key);
        }
    }
    result
}

/// A directory of cached nulls (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskCache {
    dir: PathBuf,
}

/// What a cache file holds: the identity of the simulation and its replicates in replicate order.
#[derive(Debug, Serialize, Deserialize)]
struct CacheFile {
    format: Format,
    rmspec: String,
    simulation: String,
    grid_cells: usize,
    key: NullKey,
    replicates: Vec<f64>,
}

impl CacheFile {
    fn of(null: &BulkNull) -> Self {
        CacheFile { replicates: null.by_replicate().to_vec(), ..CacheFile::of_key(null.key()) }
    }

    /// The identity a file of `key` must have (no replicates).
    fn of_key(key: NullKey) -> Self {
        CacheFile {
            format: CACHE_FORMAT,
            rmspec: env!("CARGO_PKG_VERSION").to_string(),
            simulation: simulation(key.entry_law).to_string(),
            grid_cells: KS_GRID_CELLS,
            key,
            replicates: Vec::new(),
        }
    }
}

impl DiskCache {
    /// A cache in `dir` (created when first written).
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        DiskCache { dir: dir.into() }
    }

    /// The cache the environment asks for: none when `RMSPEC_CACHE=off`; else
    /// `$RMSPEC_CACHE_DIR`, `$XDG_CACHE_HOME/rmspec` or `$HOME/.cache/rmspec`, the first set
    /// (none when no variable is set).
    pub fn from_env() -> Option<Self> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        if std::env::var("RMSPEC_CACHE").is_ok_and(|v| v.eq_ignore_ascii_case("off")) {
            return None;
        }
        var("RMSPEC_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| var("XDG_CACHE_HOME").map(|d| Path::new(&d).join("rmspec")))
            .or_else(|| var("HOME").map(|d| Path::new(&d).join(".cache").join("rmspec")))
            .map(DiskCache::at)
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of `key`.
    pub fn path(&self, key: NullKey) -> PathBuf {
        let statistic = match key.statistic {
            super::NullStatistic::PooledGrid => "grid",
            super::NullStatistic::Exact => "exact",
        };
        self.dir.join(format!(
            "bulk-null-v{}-m{}-n{}-t{}-r{}-seed{}-{}-{statistic}.json",
            CACHE_FORMAT.version,
            key.m,
            key.n,
            key.trials,
            key.replicates,
            key.seed,
            key.entry_law.name()
        ))
    }

    /// The cached null of `key`, if a valid file for exactly this key exists.
    pub fn load(&self, key: NullKey) -> Option<BulkNull> {
        let text = std::fs::read_to_string(self.path(key)).ok()?;
        let file: CacheFile = serde_json::from_str(&text).ok()?;
        let expected = CacheFile::of_key(key);
        let same = file.format == expected.format
            && file.rmspec == expected.rmspec
            && file.simulation == expected.simulation
            && file.grid_cells == expected.grid_cells
            && file.key == key;
        if !same {
            return None;
        }
        BulkNull::from_replicates(key, file.replicates).ok()
    }

    /// Writes `null` (atomically).
    ///
    /// # Errors
    /// An I/O error naming the file.
    pub fn store(&self, null: &BulkNull) -> Result<()> {
        let json = serde_json::to_string(&CacheFile::of(null))
            .map_err(|e| crate::Error::InvalidInput(format!("serialising a cache file: {e}")))?;
        crate::output::write_atomic(&self.path(null.key()), json.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calibration::NullStatistic;
    use crate::shape::Shape;

    fn key(seed: u64) -> NullKey {
        NullKey::new(Shape::new(10, 24).unwrap(), 2, 9, seed, EntryLaw::Normal, NullStatistic::PooledGrid).unwrap()
    }

    #[test]
    fn a_cached_null_is_the_fresh_one_and_bad_files_are_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let disk = DiskCache::at(dir.path());
        let key = key(31);
        let fresh = BulkNull::simulate(key, RunControl::default()).unwrap();
        assert!(disk.load(key).is_none());
        let first = bulk_null_with(key, Some(&disk), RunControl::default()).unwrap();
        assert_eq!(*first, fresh);
        assert_eq!(disk.load(key).as_ref(), Some(&fresh), "written and read back bit for bit");
        let path = disk.path(key);
        let good = std::fs::read_to_string(&path).unwrap();
        let bad_files = [
            good[..good.len() / 2].to_string(),                      // truncated
            "not json at all".to_string(),                           // corrupt
            good.replace("\"seed\":31", "\"seed\":32"),              // another key's file
            good.replace(simulation(EntryLaw::Normal), "dense"),     // another simulation
            good.replace("\"normal\"", "\"uniform\""),               // another entry law
            good.replace("\"rmspec-bulk-null-cache\"", "\"other\""), // a foreign format
        ];
        for (i, bad) in bad_files.iter().enumerate() {
            assert_ne!(bad, &good);
            std::fs::write(&path, bad).unwrap();
            assert!(disk.load(key).is_none(), "file {i} was trusted");
            // The next computation (a fresh process has no memory slot) rewrites it.
            let null = BulkNull::simulate(key, RunControl::default()).unwrap();
            disk.store(&null).unwrap();
            assert_eq!(disk.load(key).as_ref(), Some(&fresh));
        }
        let mut wrong = serde_json::from_str::<serde_json::Value>(&good).unwrap();
        wrong["replicates"][0] = serde_json::json!(-1.0);
        std::fs::write(&path, wrong.to_string()).unwrap();
        assert!(disk.load(key).is_none(), "a negative KS distance is not a replicate");
    }

    #[test]
    fn concurrent_callers_of_one_key_share_one_simulation() {
        let key = key(47);
        let done = std::sync::atomic::AtomicUsize::new(0);
        let tick = || {
            done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        };
        let control = RunControl { on_trial: Some(&tick), ..RunControl::default() };
        let nulls: Vec<Arc<BulkNull>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4).map(|_| s.spawn(|| bulk_null_with(key, None, control).unwrap())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(nulls.windows(2).all(|w| Arc::ptr_eq(&w[0], &w[1])));
        // 9 replicates simulated once, not four times.
        assert_eq!(done.load(std::sync::atomic::Ordering::SeqCst), 9);
    }

    #[test]
    fn the_environment_chooses_the_directory() {
        // Only the path logic: the variables themselves are process-wide, so not set here.
        let disk = DiskCache::at("/tmp/x");
        let path = disk.path(key(3));
        assert_eq!(path, Path::new("/tmp/x/bulk-null-v2-m10-n24-t2-r9-seed3-normal-grid.json"));
        let uniform = NullKey { entry_law: EntryLaw::Uniform, ..key(3) };
        assert_eq!(disk.path(uniform), Path::new("/tmp/x/bulk-null-v2-m10-n24-t2-r9-seed3-uniform-grid.json"));
    }
}
