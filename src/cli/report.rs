//! `rmspec report`: regenerate (or check) the report that tests every claim of the source
//! analysis. The work is in `rmspec::claims`.

use super::args::{OutputArgs, OUTPUT};
use anyhow::Context;
use clap::Args;
use rmspec::claims::{generate, Report, ReportSize};
use rmspec::output::report::{FileState, FileStatus, ReportDocument, FORMAT};
use rmspec::output::{ensure_writable_dir, Document, OutputSet};
use std::path::{Component, Path, PathBuf};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Directory of the markdown report (`report.md`).
    #[arg(short, long, value_name = "DIR", default_value = "docs", help_heading = OUTPUT)]
    docs: PathBuf,
    /// Directory of the figures (SVG).
    #[arg(short, long, value_name = "DIR", default_value = "plots", help_heading = OUTPUT)]
    plots: PathBuf,
    /// Regenerate in memory and compare with the files on disk; exit non-zero listing the stale
    /// or missing ones. Writes nothing.
    #[arg(long, help_heading = OUTPUT)]
    check: bool,
    #[command(flatten)]
    output: OutputArgs,
    /// Tiny sizes, for rmspec's own tests only (meaningless statistics).
    #[arg(long, hide = true)]
    quick: bool,
}

/// The link from the report's directory to the plots directory, relative whenever both paths
/// are relative (without `..`) or both absolute — e.g. `../plots` — else the plots path as given.
fn plots_link(out: &Path, plots: &Path) -> String {
    let normal = |p: &Path| -> Option<Vec<String>> {
        p.components()
            .filter(|c| !matches!(c, Component::CurDir | Component::RootDir | Component::Prefix(_)))
            .map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect()
    };
    if out.is_absolute() == plots.is_absolute() {
        if let (Some(from), Some(to)) = (normal(out), normal(plots)) {
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
            parts.extend(to[common..].iter().cloned());
            return if parts.is_empty() { ".".into() } else { parts.join("/") };
        }
    }
    plots.display().to_string()
}

fn files(args: &ReportArgs, report: &Report) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = vec![(args.docs.join("report.md"), report.markdown.clone().into_bytes())];
    for (name, bytes) in &report.figures {
        out.push((args.plots.join(name), bytes.clone()));
    }
    out
}

pub fn run(args: ReportArgs, quiet: bool) -> anyhow::Result<()> {
    let size = if args.quick { ReportSize::Quick } else { ReportSize::Full };
    if !args.check {
        ensure_writable_dir(&args.docs).context("checking --docs")?;
        ensure_writable_dir(&args.plots).context("checking --plots")?;
    }
    let report = generate(size, &plots_link(&args.docs, &args.plots)).context("generating the report")?;
    let files = files(&args, &report);
    let mut statuses = Vec::with_capacity(files.len());
    // The figures first and report.md last: it never links to a figure that is not there.
    let mut set = OutputSet::new();
    for (path, bytes) in files.iter().skip(1).chain(files.iter().take(1)) {
        let state = if args.check {
            match std::fs::read(path) {
                Ok(on_disk) if &on_disk == bytes => FileState::UpToDate,
                Ok(_) => FileState::Stale,
                Err(_) => FileState::Missing,
            }
        } else {
            set.stage(path, bytes).with_context(|| format!("writing {}", path.display()))?;
            FileState::Written
        };
        statuses.push(FileStatus { path: path.display().to_string(), state });
    }
    set.commit()?;
    statuses.rotate_right(1);
    let stale: Vec<String> = statuses
        .iter()
        .filter(|f| matches!(f.state, FileState::Stale | FileState::Missing))
        .map(|f| format!("{}: {}", if f.state == FileState::Stale { "stale" } else { "missing" }, f.path))
        .collect();
    if args.output.json {
        args.output.emit(&Document::new(&FORMAT, &ReportDocument::new(size, &report.summary, statuses)).to_json()?)?;
    } else if !quiet && stale.is_empty() {
        args.output.emit(&if args.check {
            format!("report up to date: {} file(s) checked\n", files.len())
        } else {
            format!("wrote {} and {} figure(s) in {}\n", files[0].0.display(), files.len() - 1, args.plots.display())
        })?;
    }
    if !stale.is_empty() {
        anyhow::bail!(
            "the report is out of date ({} file(s)): {}; run `rmspec report` to regenerate",
            stale.len(),
            stale.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plots_link_is_relative_from_the_report() {
        assert_eq!(plots_link(Path::new("docs"), Path::new("plots")), "../plots");
        assert_eq!(plots_link(Path::new("a/b"), Path::new("plots/x")), "../../plots/x");
        assert_eq!(plots_link(Path::new("/tmp/r/docs"), Path::new("/tmp/r/plots")), "../plots");
        assert_eq!(plots_link(Path::new("/abs"), Path::new("plots")), "plots");
        assert_eq!(plots_link(Path::new("."), Path::new("plots")), "plots");
    }
}
