//! Checkpoint files, read one tensor at a time: safetensors (one file, or a directory of shards),
//! `.npy` and `.npz`.
//!
//! * **safetensors** (the `safetensors` crate): the header is parsed and validated by
//!   `SafeTensors::read_metadata` before any tensor is touched — it must fit in the file, every
//!   tensor's byte range must match its dtype and shape (no overflow), the ranges must tile the
//!   data section and end exactly at the end of the file. Tensor data are then memory-mapped
//!   (`memmap2`) one tensor at a time and unmapped when the tensor is done, so resident memory
//!   holds about one tensor's pages per worker, not the file.
//! * **directories**: `model.safetensors.index.json` (its `weight_map` names the shard of every
//!   tensor) or, without it, every `*.safetensors` file; shards named `…-0000k-of-0000N.safetensors`
//!   must all be present. A tensor name may appear in one file only.
//! * **npy** (the `npyz` crate for the header): mapped like safetensors; C or Fortran order
//!   (a Fortran-ordered 2-D array is read as the transpose of its C-ordered bytes).
//! * **npz**: a zip of `.npy` members (the `zip` crate); a member is decompressed into memory
//!   when it is read (its size is checked against the memory limit first).
//!
//! Dtypes f64, f32, f16 and bf16 (safetensors `F64`/`F32`/`F16`/`BF16`; numpy `f8`/`f4`/`f2`,
//! either byte order) are converted to f64 chunk by chunk (`half` for the 16-bit ones). Any other
//! dtype (integers, booleans, 8-bit floats, complex) is listed with the reason and not analysed.

use crate::error::{Error, Result};
use memmap2::{Mmap, MmapOptions};
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A floating-point element encoding rmspec converts to f64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloatType {
    /// IEEE binary64.
    F64,
    /// IEEE binary32.
    F32,
    /// IEEE binary16.
    F16,
    /// bfloat16.
    BF16,
}

impl FloatType {
    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            FloatType::F64 => 8,
            FloatType::F32 => 4,
            FloatType::F16 | FloatType::BF16 => 2,
        }
    }

    /// Unit roundoff u = 2^−(p) of the format (p = significand bits): the relative error of
    /// storing a real number in it.
    pub fn unit_roundoff(self) -> f64 {
        match self {
            FloatType::F64 => f64::EPSILON / 2.0,
            FloatType::F32 => f32::EPSILON as f64 / 2.0,
            FloatType::F16 => 2f64.powi(-11),
            FloatType::BF16 => 2f64.powi(-8),
        }
    }

    /// The name used in JSON and tables.
    pub fn name(self) -> &'static str {
        match self {
            FloatType::F64 => "f64",
            FloatType::F32 => "f32",
            FloatType::F16 => "f16",
            FloatType::BF16 => "bf16",
        }
    }
}

/// How a tensor's elements are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Encoding {
    /// A float type rmspec reads, in little- or big-endian byte order.
    Float {
        /// The type.
        float: FloatType,
        /// Big-endian bytes (numpy `>f4` and the like).
        big_endian: bool,
    },
    /// Anything else, with the dtype as the file names it.
    Unsupported(String),
}

/// One tensor of a checkpoint, as its header describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorEntry {
    /// Its name (for npy: the file stem; for npz: the member name without `.npy`).
    pub name: String,
    /// The shape as stored (row-major, C order, after un-reversing a Fortran-ordered array).
    pub shape: Vec<usize>,
    /// The dtype as written in the file (`F32`, `<f4`, `I64`, …).
    pub dtype: String,
    /// Element encoding.
    pub encoding: Encoding,
    /// The array is stored in Fortran (column-major) order: its bytes are the C-order array of
    /// the reversed shape.
    pub fortran_order: bool,
    /// Size of the data in bytes.
    pub bytes: u64,
    location: Location,
}

#[derive(Debug, Clone, PartialEq)]
enum Location {
    /// A byte range of file `file` (absolute offset).
    Mapped { file: usize, offset: u64 },
    /// Member `member` of the npz file `file`, whose npy header is `header` bytes long.
    Zipped { file: usize, member: String, header: u64 },
}

/// An opened checkpoint: its files and the tensors they hold, in file order.
#[derive(Debug)]
pub struct Checkpoint {
    files: Vec<PathBuf>,
    entries: Vec<TensorEntry>,
}

fn io_error(path: &Path, what: &str, e: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!("{}: {what}: {e}", path.display()))
}

impl Checkpoint {
    /// Opens files and directories (see the [module docs](self)) as one model.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the file for anything unreadable, truncated, corrupt or of
    /// an unknown format, for missing shards and for tensor names given twice.
    pub fn open(paths: &[PathBuf]) -> Result<Self> {
        if paths.is_empty() {
            return Err(Error::invalid("FILE", "none", "name at least one checkpoint file or directory"));
        }
        let mut files = Vec::new();
        for path in paths {
            if path.is_dir() {
                files.extend(shards_of(path)?);
            } else {
                files.push(path.clone());
            }
        }
        let mut checkpoint = Checkpoint { files: Vec::new(), entries: Vec::new() };
        let mut names = HashSet::new();
        for (index, path) in files.iter().enumerate() {
            let entries = match extension(path).as_str() {
                "safetensors" => safetensors_entries(path, index)?,
                "npy" => npy_entries(path, index)?,
                "npz" => npz_entries(path, index)?,
                other => {
                    return Err(io_error(
                        path,
                        "unknown checkpoint format",
                        format!("extension '{other}' (expected .safetensors, .npy, .npz or a directory of shards)"),
                    ))
                }
            };
            for e in entries {
                if !names.insert(e.name.clone()) {
                    return Err(io_error(path, "duplicate tensor", format!("'{}' appears in two files", e.name)));
                }
                checkpoint.entries.push(e);
            }
        }
        checkpoint.files = files;
        Ok(checkpoint)
    }

    /// The tensors, in file order.
    pub fn entries(&self) -> &[TensorEntry] {
        &self.entries
    }

    /// The files read, in order.
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    /// The bytes of one tensor: a memory map of its range, or a decompressed npz member.
    ///
    /// # Errors
    /// An I/O failure, an unsupported encoding, or a member too large for memory.
    pub fn load(&self, entry: &TensorEntry) -> Result<TensorBytes> {
        let Encoding::Float { float, big_endian } = entry.encoding else {
            return Err(Error::InvalidInput(format!("tensor '{}' has unsupported dtype {}", entry.name, entry.dtype)));
        };
        let len = usize::try_from(entry.bytes).map_err(|_| Error::invalid("tensor bytes", entry.bytes, "too large"))?;
        let data = match &entry.location {
            Location::Mapped { file, offset } => Bytes::Mapped(map_range(&self.files[*file], *offset, len)?),
            Location::Zipped { file, member, header } => {
                crate::memory::ensure_fits(|| format!("npz member '{member}'"), len as u128)?;
                Bytes::Owned(read_member(&self.files[*file], member, *header, len)?)
            }
        };
        Ok(TensorBytes { data, float, big_endian })
    }
}

/// The stored bytes of one float tensor, with their decoder.
#[derive(Debug)]
pub struct TensorBytes {
    data: Bytes,
    float: FloatType,
    big_endian: bool,
}

#[derive(Debug)]
enum Bytes {
    Mapped(Mmap),
    Owned(Vec<u8>),
}

impl TensorBytes {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.bytes().len() / self.float.size()
    }

    /// True for an empty tensor.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The float type.
    pub fn float(&self) -> FloatType {
        self.float
    }

    fn bytes(&self) -> &[u8] {
        match &self.data {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }

    /// Converts elements `start..start + out.len()` (in storage order) to f64 into `out` and
    /// returns how many of them are NaN and how many infinite.
    ///
    /// # Panics
    /// If the range is outside the tensor (an internal invariant of the callers).
    pub fn decode(&self, start: usize, out: &mut [f64]) -> NonFinite {
        let size = self.float.size();
        let bytes = &self.bytes()[start * size..(start + out.len()) * size];
        let big = self.big_endian;
        macro_rules! convert {
            ($n:literal, $f:expr) => {
                for (x, chunk) in out.iter_mut().zip(bytes.chunks_exact($n)) {
                    let raw: [u8; $n] = chunk.try_into().expect("chunks_exact yields full chunks");
                    *x = $f(raw);
                }
            };
        }
        match self.float {
            FloatType::F64 => convert!(8, |r| if big { f64::from_be_bytes(r) } else { f64::from_le_bytes(r) }),
            FloatType::F32 => {
                convert!(4, |r| f64::from(if big { f32::from_be_bytes(r) } else { f32::from_le_bytes(r) }))
            }
            FloatType::F16 => convert!(2, |r| {
                let bits = if big { u16::from_be_bytes(r) } else { u16::from_le_bytes(r) };
                f64::from(half::f16::from_bits(bits))
            }),
            FloatType::BF16 => convert!(2, |r| {
                let bits = if big { u16::from_be_bytes(r) } else { u16::from_le_bytes(r) };
                f64::from(half::bf16::from_bits(bits))
            }),
        }
        let mut counts = NonFinite::default();
        for x in out.iter() {
            if x.is_nan() {
                counts.nan += 1;
            } else if x.is_infinite() {
                counts.infinite += 1;
            }
        }
        counts
    }
}

/// Counts of non-finite values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct NonFinite {
    /// NaN values.
    pub nan: u64,
    /// ±∞ values.
    pub infinite: u64,
}

impl NonFinite {
    /// Adds another count.
    pub fn add(&mut self, other: NonFinite) {
        self.nan += other.nan;
        self.infinite += other.infinite;
    }

    /// No NaN and no infinity.
    pub fn is_clean(&self) -> bool {
        self.nan == 0 && self.infinite == 0
    }
}

/// Maps `len` bytes of `path` from `offset` (read-only).
#[allow(unsafe_code)]
fn map_range(path: &Path, offset: u64, len: usize) -> Result<Mmap> {
    let file = File::open(path).map_err(|e| io_error(path, "cannot open", e))?;
    let file_len = file.metadata().map_err(|e| io_error(path, "cannot stat", e))?.len();
    if offset.checked_add(len as u64).is_none_or(|end| end > file_len) {
        return Err(io_error(path, "truncated", format!("a tensor ends past the end of the file ({file_len} bytes)")));
    }
    if len == 0 {
        return Err(io_error(path, "empty tensor", "nothing to map"));
    }
    // SAFETY: the mapping is read-only and its range was checked against the file's length. As
    // with every memory-mapped reader, another process truncating the file while it is mapped
    // would fault the reads (SIGBUS); rmspec never writes to its input files.
    unsafe { MmapOptions::new().offset(offset).len(len).map(&file) }.map_err(|e| io_error(path, "cannot map", e))
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// The safetensors shards of a directory (see the [module docs](self)).
fn shards_of(dir: &Path) -> Result<Vec<PathBuf>> {
    let index = dir.join("model.safetensors.index.json");
    if index.is_file() {
        let text = std::fs::read_to_string(&index).map_err(|e| io_error(&index, "cannot read", e))?;
        let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| io_error(&index, "not valid JSON", e))?;
        let map = json
            .get("weight_map")
            .and_then(|m| m.as_object())
            .ok_or_else(|| io_error(&index, "invalid index", "no 'weight_map' object"))?;
        let mut files = BTreeMap::new();
        for file in map.values() {
            let name =
                file.as_str().ok_or_else(|| io_error(&index, "invalid index", "a shard name is not a string"))?;
            files.insert(name.to_string(), dir.join(name));
        }
        for path in files.values() {
            if !path.is_file() {
                return Err(io_error(path, "missing shard", "named by model.safetensors.index.json"));
            }
        }
        return Ok(files.into_values().collect());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| io_error(dir, "cannot list", e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && extension(p) == "safetensors")
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(io_error(dir, "no checkpoint", "no .safetensors files and no model.safetensors.index.json"));
    }
    check_shard_numbers(dir, &files)?;
    Ok(files)
}

/// For files named `…-0000k-of-0000N.safetensors`, checks that k runs over 1..=N.
fn check_shard_numbers(dir: &Path, files: &[PathBuf]) -> Result<()> {
    let mut seen = BTreeMap::<usize, Vec<usize>>::new();
    for f in files {
        let stem = f.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let parts: Vec<&str> = stem.rsplitn(3, '-').collect();
        if let [total, "of", rest] = parts.as_slice() {
            let k = rest.rsplit('-').next().and_then(|k| k.parse::<usize>().ok());
            if let (Some(k), Ok(total)) = (k, total.parse::<usize>()) {
                seen.entry(total).or_default().push(k);
            }
        }
    }
    for (total, mut ks) in seen {
        ks.sort_unstable();
        if ks != (1..=total).collect::<Vec<_>>() {
            return Err(io_error(dir, "incomplete shards", format!("have parts {ks:?} of {total}")));
        }
    }
    Ok(())
}

fn float_from_safetensors(dtype: safetensors::Dtype) -> Encoding {
    use safetensors::Dtype as D;
    let float = match dtype {
        D::F64 => FloatType::F64,
        D::F32 => FloatType::F32,
        D::F16 => FloatType::F16,
        D::BF16 => FloatType::BF16,
        other => return Encoding::Unsupported(format!("{other:?}")),
    };
    Encoding::Float { float, big_endian: false }
}

#[allow(unsafe_code)]
fn safetensors_entries(path: &Path, file: usize) -> Result<Vec<TensorEntry>> {
    let handle = File::open(path).map_err(|e| io_error(path, "cannot open", e))?;
    let len = handle.metadata().map_err(|e| io_error(path, "cannot stat", e))?.len();
    if len < 8 {
        return Err(io_error(
            path,
            "not a safetensors file",
            format!("{len} bytes, shorter than the 8-byte header size"),
        ));
    }
    // SAFETY: read-only map of the whole file; read_metadata reads only the header and compares
    // the declared sizes with the map's length. See map_range for the truncation caveat.
    let map = unsafe { Mmap::map(&handle) }.map_err(|e| io_error(path, "cannot map", e))?;
    let (header, metadata) =
        safetensors::SafeTensors::read_metadata(&map).map_err(|e| io_error(path, "invalid safetensors header", e))?;
    let data_start = 8 + header as u64;
    let mut entries = Vec::new();
    for name in metadata.offset_keys() {
        let info = metadata.info(&name).expect("offset_keys names tensors of the metadata");
        let (start, end) = info.data_offsets;
        entries.push(TensorEntry {
            name,
            shape: info.shape.clone(),
            dtype: format!("{:?}", info.dtype),
            encoding: float_from_safetensors(info.dtype),
            fortran_order: false,
            bytes: (end - start) as u64,
            location: Location::Mapped { file, offset: data_start + start as u64 },
        });
    }
    Ok(entries)
}

/// Parses an npy header from `bytes`; returns (shape, dtype text, encoding, Fortran order,
/// header length).
fn parse_npy(path: &Path, bytes: &[u8]) -> Result<(Vec<usize>, String, Encoding, bool, u64)> {
    let mut cursor = std::io::Cursor::new(bytes);
    let npy = npyz::NpyFile::new(&mut cursor).map_err(|e| io_error(path, "invalid npy header", e))?;
    let shape: Vec<usize> = npy
        .shape()
        .iter()
        .map(|&d| usize::try_from(d).map_err(|_| io_error(path, "invalid npy header", "dimension too large")))
        .collect::<Result<_>>()?;
    let fortran = npy.order() == npyz::Order::Fortran;
    let dtype = npy.dtype();
    drop(npy);
    let consumed = cursor.position();
    let (text, encoding) = match &dtype {
        npyz::DType::Plain(ts) => {
            let text = ts.to_string();
            let big = matches!(ts.endianness(), npyz::Endianness::Big);
            let float = match (ts.type_char(), ts.size_field()) {
                (npyz::TypeChar::Float, 8) => Some(FloatType::F64),
                (npyz::TypeChar::Float, 4) => Some(FloatType::F32),
                (npyz::TypeChar::Float, 2) => Some(FloatType::F16),
                _ => None,
            };
            let enc = match float {
                Some(float) => Encoding::Float { float, big_endian: big && float.size() > 1 },
                None => Encoding::Unsupported(text.clone()),
            };
            (text, enc)
        }
        other => (format!("{other:?}"), Encoding::Unsupported("structured or array dtype".into())),
    };
    let shape = if fortran { shape.into_iter().rev().collect() } else { shape };
    Ok((shape, text, encoding, fortran, consumed))
}

fn element_count(path: &Path, shape: &[usize]) -> Result<u64> {
    shape
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d as u64))
        .ok_or_else(|| io_error(path, "invalid header", "the shape's element count overflows"))
}

fn npy_entry(path: &Path, name: String, bytes: &[u8], available: u64) -> Result<(TensorEntry, u64)> {
    let (shape, dtype, encoding, fortran_order, header) = parse_npy(path, bytes)?;
    let size = match &encoding {
        Encoding::Float { float, .. } => float.size() as u64,
        Encoding::Unsupported(_) => 0,
    };
    let data = element_count(path, &shape)?
        .checked_mul(size)
        .ok_or_else(|| io_error(path, "invalid header", "the data size overflows"))?;
    if size > 0 && header + data > available {
        return Err(io_error(
            path,
            "truncated",
            format!(
                "'{name}' declares {data} bytes of data but only {} follow its header",
                available.saturating_sub(header)
            ),
        ));
    }
    let entry = TensorEntry {
        name,
        shape,
        dtype,
        encoding,
        fortran_order,
        bytes: data,
        location: Location::Mapped { file: 0, offset: 0 },
    };
    Ok((entry, header))
}

fn npy_entries(path: &Path, file: usize) -> Result<Vec<TensorEntry>> {
    let mut handle = File::open(path).map_err(|e| io_error(path, "cannot open", e))?;
    let len = handle.metadata().map_err(|e| io_error(path, "cannot stat", e))?.len();
    // An npy header is at most 4 GiB by its format and in practice a few hundred bytes.
    let mut head = Vec::new();
    handle.by_ref().take(1 << 20).read_to_end(&mut head).map_err(|e| io_error(path, "cannot read", e))?;
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("array").to_string();
    let (mut entry, header) = npy_entry(path, name, &head, len)?;
    entry.location = Location::Mapped { file, offset: header };
    Ok(vec![entry])
}

fn npz_entries(path: &Path, file: usize) -> Result<Vec<TensorEntry>> {
    let handle = File::open(path).map_err(|e| io_error(path, "cannot open", e))?;
    let mut archive = zip::ZipArchive::new(handle).map_err(|e| io_error(path, "not a valid npz (zip) archive", e))?;
    let mut entries = Vec::new();
    for i in 0..archive.len() {
        let mut member = archive.by_index(i).map_err(|e| io_error(path, "corrupt npz member", e))?;
        let member_name = member.name().to_string();
        let Some(name) = member_name.strip_suffix(".npy") else { continue };
        let size = member.size();
        let mut head = Vec::new();
        (&mut member).take(1 << 20).read_to_end(&mut head).map_err(|e| io_error(path, "corrupt npz member", e))?;
        let (mut entry, header) = npy_entry(path, name.to_string(), &head, size)?;
        entry.location = Location::Zipped { file, member: member_name, header };
        entries.push(entry);
    }
    Ok(entries)
}

fn read_member(path: &Path, member: &str, header: u64, len: usize) -> Result<Vec<u8>> {
    let handle = File::open(path).map_err(|e| io_error(path, "cannot open", e))?;
    let mut archive = zip::ZipArchive::new(handle).map_err(|e| io_error(path, "not a valid npz (zip) archive", e))?;
    let mut reader = archive.by_name(member).map_err(|e| io_error(path, "corrupt npz member", e))?;
    std::io::copy(&mut (&mut reader).take(header), &mut std::io::sink())
        .map_err(|e| io_error(path, "corrupt npz member", e))?;
    let mut data = vec![0u8; len];
    reader
        .read_exact(&mut data)
        .map_err(|e| io_error(path, &format!("corrupt or truncated npz member '{member}'"), e))?;
    Ok(data)
}
