//! What every JSON document rmspec writes says about itself: which format it is (a name and a
//! version, [`Format`]) and which rmspec produced it ([`Producer`]: the package version, and the
//! git commit when built from a checkout of the repository). Together they are the [`Header`],
//! the first two keys of every document:
//!
//! ```json
//! "format": { "name": "rmspec-spectrum", "version": 1 },
//! "rmspec": { "version": "0.1.0", "commit": "0123456789ab" }
//! ```
//!
//! A format's version changes whenever a key is renamed or removed, or a value changes meaning;
//! every format has a JSON Schema under `docs/schema/` (see `docs/schema/README.md`).

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The git commit (12 hex digits) rmspec was built from, when built from a checkout of its own
/// repository (recorded by `build.rs`); `None` otherwise.
pub const GIT_COMMIT: Option<&str> = option_env!("RMSPEC_GIT_COMMIT");

/// rmspec's package version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A document format: its name (`rmspec-…`) and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Format {
    /// The format's name, e.g. `rmspec-spectrum`.
    pub name: Cow<'static, str>,
    /// The format's version, from 1.
    pub version: u32,
}

impl Format {
    /// The format `name`, version `version`.
    pub const fn new(name: &'static str, version: u32) -> Self {
        Format { name: Cow::Borrowed(name), version }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} version {}", self.name, self.version)
    }
}

/// The rmspec that produced a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Producer {
    /// rmspec's package version.
    pub version: String,
    /// The git commit it was built from (absent when not built from a checkout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

impl Producer {
    /// This build of rmspec.
    pub fn this_build() -> Self {
        Producer { version: VERSION.to_string(), commit: GIT_COMMIT.map(str::to_string) }
    }
}

/// The first two keys of every document: `format` and `rmspec`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The document's format.
    pub format: Format,
    /// The rmspec that produced it.
    pub rmspec: Producer,
}

impl Header {
    /// The header of a document of `format`, written by this build.
    pub fn new(format: &Format) -> Self {
        Header { format: format.clone(), rmspec: Producer::this_build() }
    }
}

/// `rmspec 0.1.0` followed by ` (commit 0123456789ab)` when the commit is known: the text of
/// `rmspec --version`.
pub fn version_line() -> String {
    match GIT_COMMIT {
        Some(commit) => format!("{VERSION} (commit {commit})"),
        None => VERSION.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_format_then_producer() {
        const TEST: Format = Format::new("rmspec-test", 3);
        let json = serde_json::to_value(Header::new(&TEST)).unwrap();
        assert_eq!(json["format"]["name"], "rmspec-test");
        assert_eq!(json["format"]["version"], 3);
        assert_eq!(json["rmspec"]["version"], VERSION);
        assert_eq!(json["rmspec"].get("commit").is_some(), GIT_COMMIT.is_some());
        let back: Header = serde_json::from_value(json).unwrap();
        assert_eq!(back, Header::new(&TEST));
    }
}
