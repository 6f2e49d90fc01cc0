//! Argument groups and value parsers shared by the subcommands: the help headings, the matrix
//! shape and strategies, where a command's document goes, and the parser that lists an
//! enumerated option's possible values from the library's own table of them.

use anyhow::Context;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use rmspec::activation::Activation;
use rmspec::experiment::spectrum::Method;
use rmspec::plot::ImageFormat;
use rmspec::strategy::CATALOGUE;
use rmspec::trials::ThreadsLayout;
use std::path::PathBuf;

/// Help headings, in the order they appear.
pub const INPUT: &str = "Input";
pub const SAMPLING: &str = "Sampling";
pub const FITS: &str = "Fits";
pub const OUTPUT: &str = "Output";
pub const PERFORMANCE: &str = "Performance";

/// An enumerated option's values, named (and described) by the library type itself.
pub trait Choice: Copy + Send + Sync + 'static {
    /// Every value the option takes, in help order.
    const ALL: &'static [Self];
    /// The name typed on the command line.
    fn name(self) -> &'static str;
    /// Other accepted names.
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }
    /// One line of help.
    fn help(self) -> &'static str;
}

/// A value parser accepting the names and aliases of `T::ALL`, so that help and completions list
/// them.
pub fn choice<T: Choice>() -> impl TypedValueParser<Value = T> {
    let values = T::ALL.iter().map(|v| PossibleValue::new(v.name()).aliases(v.aliases()).help(v.help()));
    PossibleValuesParser::new(values).map(|name: String| {
        *T::ALL
            .iter()
            .find(|v| v.name() == name || v.aliases().contains(&name.as_str()))
            .expect("the parser admits only the names and aliases of T::ALL")
    })
}

impl Choice for ImageFormat {
    const ALL: &'static [Self] = &[ImageFormat::Svg, ImageFormat::Png { dpi: rmspec::plot::DEFAULT_DPI }];
    fn name(self) -> &'static str {
        self.extension()
    }
    fn help(self) -> &'static str {
        match self {
            ImageFormat::Svg => "scalable vector graphics (the default)",
            ImageFormat::Png { .. } => "bitmap rendered from the SVG by resvg with the bundled DejaVu Sans (see --dpi)",
        }
    }
}

impl Choice for ThreadsLayout {
    const ALL: &'static [Self] = &[ThreadsLayout::Trials, ThreadsLayout::Blas, ThreadsLayout::Auto];
    fn name(self) -> &'static str {
        ThreadsLayout::name(self)
    }
    fn help(self) -> &'static str {
        match self {
            ThreadsLayout::Trials => "trials in parallel, BLAS at one thread: the same bits on any core count",
            ThreadsLayout::Blas => "one trial at a time, BLAS on all cores",
            ThreadsLayout::Auto => "blas for a few large matrices, else trials (last bits then depend on the cores)",
        }
    }
}

/// `--method`: the library's methods but the histogram-only one, which is `--histogram-only`.
impl Choice for Method {
    const ALL: &'static [Self] = &[Method::Dense, Method::Tridiagonal];
    fn name(self) -> &'static str {
        match self {
            Method::Dense => "dense",
            Method::Tridiagonal | Method::TridiagonalHistogram => "tridiagonal",
        }
    }
    fn help(self) -> &'static str {
        match self {
            Method::Dense => "sample W; Gram by dsyrk, eigenvalues by dsyev",
            Method::Tridiagonal | Method::TridiagonalHistogram => {
                "the Dumitriu–Edelman model (Gaussian strategies): O(k²) per matrix, O(k) memory"
            }
        }
    }
}

impl Choice for Activation {
    const ALL: &'static [Self] = &Activation::ALL;
    fn name(self) -> &'static str {
        Activation::name(self)
    }
    fn aliases(self) -> &'static [&'static str] {
        Activation::aliases(self)
    }
    fn help(self) -> &'static str {
        self.formula()
    }
}

/// The long help of `--strategy`: the library's strategy table, the strategies of the source
/// analysis and then the framework initialisers, each row a name with its aliases and s2 on one
/// line and its note indented on the next, so that the table fits 80 columns (clap wraps each
/// line on its own, which tore three-column rows apart).
pub fn strategy_help() -> String {
    let (source, framework): (Vec<_>, Vec<_>) = CATALOGUE.iter().partition(|e| !e.is_framework());
    let table = |help: &mut String, rows: &[&rmspec::strategy::CatalogueEntry]| {
        let name_width = rows.iter().map(|e| e.label().chars().count()).max().unwrap_or(0);
        for entry in rows {
            let name = entry.label();
            help.push_str(&format!("\n  {name:name_width$}  s2 = {}\n      {}", entry.variance, entry.note));
        }
    };
    let mut help = String::from(
        "Initialisation strategies: a name, comma-separated names, or `all` (the first six); repeatable. \
         Entry variance s2 for W of m rows (fan-in) and n columns (fan-out):\n",
    );
    table(&mut help, &source);
    help.push_str(
        "\n\nFramework initialisers, each drawing from its own entry law (normal, uniform or truncated normal):\n",
    );
    table(&mut help, &framework);
    help
}

/// Where and how figures are drawn, shared by `spectrum` and `weights`.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = OUTPUT)]
pub struct FigureArgs {
    /// Draw the figures into DIR (created if missing). Without it no figure is drawn.
    #[arg(short, long, value_name = "DIR", alias = "out")]
    pub plots: Option<PathBuf>,
    /// Figure format.
    #[arg(long, default_value = "svg", value_parser = choice::<ImageFormat>())]
    format: ImageFormat,
    /// Resolution of PNG figures in dots per inch (the SVG's pixel is 1/96 inch; the default 192
    /// is twice the SVG's size). Only with --format png.
    #[arg(long, value_name = "DPI")]
    dpi: Option<u32>,
}

impl FigureArgs {
    /// The figure format with its resolution: `--dpi` only with `--format png`, within
    /// [`rmspec::plot::png::DPI_RANGE`].
    pub fn image_format(&self) -> anyhow::Result<ImageFormat> {
        Ok(match (self.format, self.dpi) {
            (ImageFormat::Png { .. }, Some(dpi)) => {
                if !rmspec::plot::png::DPI_RANGE.contains(&dpi) {
                    anyhow::bail!(rmspec::Error::invalid("dpi", dpi, "must be between 24 and 1200"));
                }
                ImageFormat::Png { dpi }
            }
            (ImageFormat::Svg, Some(_)) => anyhow::bail!("--dpi applies to PNG figures only: add --format png"),
            (format, None) => format,
        })
    }
}

/// `--strategy`: the one declaration of the option, flattened into every command that takes
/// strategies ([`ShapeArgs`], [`ChainArgs`]).
#[derive(Debug, clap::Args)]
#[command(next_help_heading = INPUT)]
pub struct StrategyArgs {
    /// Strategy name(s) or `all` (the list: --help).
    #[arg(short, long = "strategy", value_name = "NAMES", default_value = "all", long_help = strategy_help())]
    strategies: Vec<String>,
}

impl StrategyArgs {
    /// The parsed strategies, duplicates merged.
    pub fn resolve(&self) -> anyhow::Result<Vec<rmspec::Strategy>> {
        parse_strategies(&self.strategies)
    }
}

/// The matrix shape and strategies, shared by `edges` and `spectrum`.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = INPUT)]
pub struct ShapeArgs {
    /// Rows of W (fan-in).
    #[arg(short, long, allow_negative_numbers = true)]
    m: i64,
    /// Columns of W (fan-out).
    #[arg(short, long, allow_negative_numbers = true)]
    n: i64,
    #[command(flatten)]
    strategies: StrategyArgs,
}

impl ShapeArgs {
    /// The validated shape and strategies.
    pub fn resolve(&self) -> anyhow::Result<(rmspec::Shape, Vec<rmspec::Strategy>)> {
        let (m, n) = (count("m", self.m)?, count("n", self.n)?);
        let strategies = self.strategies.resolve()?;
        Ok((rmspec::Shape::new(m, n)?, strategies))
    }
}

/// A layer chain's widths and strategies, shared by `propagate` and `jacobian`.
#[derive(Debug, clap::Args)]
#[command(next_help_heading = INPUT)]
pub struct ChainArgs {
    /// Layer widths w0,w1,…,wL (at least two): layer l has a w(l−1)×w(l) weight matrix.
    #[arg(short, long, value_delimiter = ',', num_args = 1.., required = true)]
    pub widths: Vec<usize>,
    #[command(flatten)]
    pub strategies: StrategyArgs,
}

/// Parses a strategy list (`all`, comma-separated names, or repeated flags).
pub fn parse_strategies(values: &[String]) -> anyhow::Result<Vec<rmspec::Strategy>> {
    let mut out = Vec::new();
    for v in values {
        out.extend(rmspec::Strategy::parse_list(v)?);
    }
    Ok(rmspec::strategy::dedup(out))
}

/// A size or count from the command line: parsed as a signed integer so that a negative value
/// gets the same one-line error as zero.
pub fn count(name: &'static str, value: i64) -> rmspec::Result<usize> {
    usize::try_from(value)
        .ok()
        .filter(|&v| v > 0)
        .ok_or_else(|| rmspec::Error::invalid(name, value, "must be at least 1"))
}

/// Where a command's document goes: tables or JSON, on stdout or into a file.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = OUTPUT)]
pub struct OutputArgs {
    /// Print one JSON document instead of tables (schemas: docs/schema/).
    #[arg(long)]
    pub json: bool,
    /// Write the document (tables or JSON) to FILE instead of stdout, atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    /// Writes `text` to `--output`, or to stdout.
    pub fn emit(&self, text: &str) -> anyhow::Result<()> {
        self.emit_with(rmspec::output::OutputSet::new(), text)
    }

    /// Commits the run's other files (`set`, figures) together with the document: with `--output`
    /// the document joins the set as its last file; on stdout it is printed once the set is
    /// committed.
    pub fn emit_with(&self, mut set: rmspec::output::OutputSet, text: &str) -> anyhow::Result<()> {
        match &self.output {
            Some(path) => {
                set.stage(path, text.as_bytes()).with_context(|| format!("writing --output {}", path.display()))?;
                Ok(set.commit()?)
            }
            None => {
                set.commit()?;
                print(text)
            }
        }
    }
}

/// Stdout was a closed pipe (EPIPE): the reader has gone, so rmspec ends quietly with status 141
/// (128 + SIGPIPE), as a Unix tool killed by SIGPIPE does.
#[derive(Debug)]
pub struct BrokenPipe;

impl std::fmt::Display for BrokenPipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("writing to stdout: the reader closed the pipe")
    }
}

impl std::error::Error for BrokenPipe {}

/// Whether stdout was closed when rmspec started: Rust's runtime then reopens descriptor 1 on
/// /dev/null for reading and writing, which no shell redirection (`>/dev/null` opens it write-only)
/// does. Linux only (/proc); elsewhere assumed open.
fn stdout_was_closed() -> bool {
    let target = std::fs::read_link("/proc/self/fd/1");
    let info = std::fs::read_to_string("/proc/self/fdinfo/1").unwrap_or_default();
    let flags = info.lines().find_map(|l| l.strip_prefix("flags:")).and_then(|f| u32::from_str_radix(f.trim(), 8).ok());
    target.is_ok_and(|t| t == std::path::Path::new("/dev/null")) && flags.is_some_and(|f| f & 0o3 == 0o2)
}

/// Writes a document to stdout: a failure is named as stdout's ("writing to stdout: No space left
/// on device"); a closed pipe is [`BrokenPipe`]; a stdout closed before the start is an error, not
/// a silent success.
pub fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    if stdout_was_closed() {
        anyhow::bail!("writing to stdout: stdout is closed");
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(BrokenPipe.into()),
        Err(e) => Err(anyhow::Error::new(e).context("writing to stdout")),
    }
}
