//! How to draw a figure: a figure is a model first ([`Figure`]: panels, axes, series, legend
//! entries), laid out by [`layout`] (text measured with the bundled DejaVu Sans, ticks at 1-2-5
//! values, titles wrapped to the canvas, legends placed where they cover no data), then written
//! as SVG by [`svg`] and, on request, rasterised to PNG by resvg ([`png`]). This module never
//! samples and never calls LAPACK; what to draw is decided in [`crate::figures`].
//!
//! Rendering is deterministic: the layout uses only the bundled font's metrics, coordinates are
//! written with two decimals, and series are drawn in a fixed order (reference lines, data areas
//! and lines, theory curves above them, then data markers on top, which a curve through them
//! would otherwise hide), so the same model gives byte-identical files on any machine.
//!
//! Why not plotters' SVG backend: integer pixel coordinates, no dash arrays, no `<tspan>`
//! superscripts, text measured with system fonts (docs/architecture.md, "Why figures are not
//! drawn with plotters").
//!
//! | module | what |
//! |---|---|
//! | [`style`] | colours (a colour-blind-safe palette), dashes, markers |
//! | [`text`] | the bundled font, text widths, wrapping, superscripts |
//! | [`ticks`] | 1-2-5 ticks and one number format per axis |
//! | [`layout`] | where everything goes; the checks the tests run (text inside the canvas, no overlapping labels, no legend over data, no arrow label over data, no arrow head cut by an axis) |
//! | [`svg`] | the SVG writer |
//! | [`png`] | SVG → PNG with resvg and the bundled font |

pub mod geometry;
pub mod layout;
pub mod legend;
pub mod png;
pub mod style;
pub mod svg;
pub mod text;
pub mod ticks;

pub use style::{Colour, Dash, Marker, Style};

use crate::error::{Error, Result};

/// Output format of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageFormat {
    /// Scalable vector graphics (text stays text).
    #[default]
    Svg,
    /// PNG rendered from the SVG by resvg with the bundled font, at `dpi` dots per inch (the
    /// SVG's pixel is 1/96 inch, so 192 dpi is twice the SVG's pixel size).
    Png {
        /// Resolution in dots per inch.
        dpi: u32,
    },
}

/// The default PNG resolution: twice the SVG's 96 px per inch.
pub const DEFAULT_DPI: u32 = 192;

impl ImageFormat {
    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png { .. } => "png",
        }
    }
}

impl std::str::FromStr for ImageFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "svg" => Ok(ImageFormat::Svg),
            "png" => Ok(ImageFormat::Png { dpi: DEFAULT_DPI }),
            _ => Err(Error::UnknownName { kind: "image format", name: s.into(), expected: "svg, png".into() }),
        }
    }
}

/// Axis scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Linear.
    #[default]
    Linear,
    /// Base-10 logarithmic (non-positive values are not drawn).
    Log10,
}

/// One axis of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// The label (quantity, normalisation, scale).
    pub label: String,
    /// Linear or logarithmic.
    pub scale: Scale,
    /// The range in data units; `None`: fitted to the data with a small margin.
    pub range: Option<(f64, f64)>,
    /// Start a fitted linear range at 0 (densities, counts).
    pub from_zero: bool,
    /// Fixed ticks (value, label) instead of 1-2-5 ones, e.g. layer numbers.
    pub fixed_ticks: Option<Vec<(f64, String)>>,
}

impl Axis {
    /// A linear axis fitted to the data.
    pub fn linear(label: impl Into<String>) -> Self {
        Axis { label: label.into(), scale: Scale::Linear, range: None, from_zero: false, fixed_ticks: None }
    }

    /// A log₁₀ axis fitted to the data.
    pub fn log(label: impl Into<String>) -> Self {
        Axis { scale: Scale::Log10, ..Axis::linear(label) }
    }

    /// This axis starting at 0.
    pub fn from_zero(self) -> Self {
        Axis { from_zero: true, ..self }
    }

    /// This axis over `range`.
    pub fn with_range(self, lo: f64, hi: f64) -> Self {
        Axis { range: Some((lo, hi)), ..self }
    }
}

/// What a series draws, in data units.
#[derive(Debug, Clone, PartialEq)]
pub enum Geometry {
    /// A polyline.
    Line(Vec<(f64, f64)>),
    /// A histogram: bins of `width` from `lower`, bar heights `heights`, filled with outlines.
    Bars {
        /// Left edge of the first bin.
        lower: f64,
        /// Bin width.
        width: f64,
        /// Height of each bar.
        heights: Vec<f64>,
    },
    /// A histogram drawn as its outline only (a step curve from 0 to 0).
    Steps {
        /// Left edge of the first bin.
        lower: f64,
        /// Bin width.
        width: f64,
        /// Height of each bin.
        heights: Vec<f64>,
    },
    /// Markers, with optional vertical intervals (lower, upper) in data units.
    Points {
        /// (x, y) of each marker.
        points: Vec<(f64, f64)>,
        /// (lower, upper) of each point's interval.
        intervals: Option<Vec<(f64, f64)>>,
    },
    /// Separate horizontal or sloped segments (e.g. one theory value per category).
    Segments(Vec<((f64, f64), (f64, f64))>),
    /// A vertical line across the plot at x.
    VLine(f64),
    /// A horizontal line across the plot at y.
    HLine(f64),
    /// A point mass at x: an arrow from the axis to near the top of the plot, with a label
    /// (its mass) beside its head.
    Spike {
        /// Position.
        x: f64,
        /// What the arrow stands for, e.g. "atom at 0: mass 0.5".
        label: String,
    },
}

/// Drawing order: reference lines below data, theory above data (except data markers, which are
/// drawn last so that a curve through an estimate does not hide it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// Limits, bounds, edges: drawn first.
    Reference,
    /// Measured values.
    Data,
    /// Theory curves: drawn above the data's areas and lines, below its markers.
    Theory,
}

/// One data series of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text (`None`: not in the legend).
    pub label: Option<String>,
    /// How it looks.
    pub style: Style,
    /// When it is drawn.
    pub layer: Layer,
    /// What it draws.
    pub geometry: Geometry,
}

impl Series {
    /// A series.
    pub fn new(label: Option<String>, style: Style, layer: Layer, geometry: Geometry) -> Self {
        Series { label, style, layer, geometry }
    }
}

/// A panel's place in the figure's grid of columns and rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// First column (from 0).
    pub column: usize,
    /// First row (from 0).
    pub row: usize,
    /// Columns spanned (≥ 1).
    pub columns: usize,
    /// Rows spanned (≥ 1).
    pub rows: usize,
}

impl Cell {
    /// The single cell at (column, row).
    pub fn at(column: usize, row: usize) -> Self {
        Cell { column, row, columns: 1, rows: 1 }
    }
}

/// One plot: axes, series, an optional heading; its legend lists its labelled series.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Heading above the plot.
    pub title: Option<String>,
    /// Where it sits in the figure's grid.
    pub cell: Cell,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// Series in drawing order within their layer.
    pub series: Vec<Series>,
    /// Legend entries that stand for no series of their own (e.g. "value stated by the source
    /// analysis" for markers drawn in each strategy's colour), listed after the labelled series.
    pub key: Vec<LegendEntry>,
}

impl Panel {
    /// A panel in the single cell (0, 0).
    pub fn new(x: Axis, y: Axis) -> Self {
        Panel { title: None, cell: Cell::at(0, 0), x, y, series: Vec::new(), key: Vec::new() }
    }

    /// The legend's entries: each labelled series (its index, label, look) and then the key
    /// entries (index `series.len() + k`).
    pub fn legend_entries(&self) -> Vec<(usize, &str, &Geometry, &Style)> {
        let labelled = self
            .series
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.label.as_deref().map(|l| (i, l, &s.geometry, &s.style)));
        let key =
            self.key.iter().enumerate().map(|(k, e)| (self.series.len() + k, e.label.as_str(), &e.geometry, &e.style));
        labelled.chain(key).collect()
    }
}

/// An entry of the figure-wide legend (drawn below the panels): a sample drawn as `geometry`
/// would be, in `style`.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendEntry {
    /// Text.
    pub label: String,
    /// Style of the sample.
    pub style: Style,
    /// The kind of mark the sample shows (its data are ignored).
    pub geometry: Geometry,
}

/// A whole figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Title, wrapped to the canvas.
    pub title: String,
    /// Parameters (m, n, γ, s2, trials, seed, normalisation), wrapped to the canvas.
    pub subtitle: String,
    /// Canvas width in pixels; the height follows from the rows.
    pub width: u32,
    /// Height of one grid row in pixels (plot, ticks and axis labels).
    pub row_height: u32,
    /// The panels.
    pub panels: Vec<Panel>,
    /// Entries of a legend shared by all panels, drawn below them.
    pub legend: Vec<LegendEntry>,
}

impl Figure {
    /// A one-panel figure, 900 px wide.
    pub fn single(title: impl Into<String>, subtitle: impl Into<String>, panel: Panel) -> Self {
        Figure {
            title: title.into(),
            subtitle: subtitle.into(),
            width: 900,
            row_height: 480,
            panels: vec![panel],
            legend: Vec::new(),
        }
    }

    /// The only or first panel.
    ///
    /// # Panics
    /// A figure without panels (never built by [`crate::figures`]).
    pub fn panel_mut(&mut self) -> &mut Panel {
        &mut self.panels[0]
    }

    /// Columns and rows of the grid.
    pub fn grid(&self) -> (usize, usize) {
        let columns = self.panels.iter().map(|p| p.cell.column + p.cell.columns).max().unwrap_or(1);
        let rows = self.panels.iter().map(|p| p.cell.row + p.cell.rows).max().unwrap_or(1);
        (columns, rows)
    }
}

/// Renders `figure` to bytes in `format`.
///
/// # Errors
/// A panel without drawable data, or a PNG rendering failure.
pub fn render(figure: &Figure, format: ImageFormat) -> Result<Vec<u8>> {
    let laid_out = layout::layout(figure)?;
    let svg = svg::write(figure, &laid_out);
    match format {
        ImageFormat::Svg => Ok(svg.into_bytes()),
        ImageFormat::Png { dpi } => png::from_svg(svg.as_bytes(), dpi),
    }
}
