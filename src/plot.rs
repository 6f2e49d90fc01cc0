//! Figures, drawn with plotters from finished data: this module never samples and never calls
//! LAPACK.
//!
//! A [`Figure`] is a declarative description (title, axis labels, series); [`render`] turns it
//! into SVG or PNG bytes. Rendering is deterministic: text is laid out with the DejaVu Sans font
//! embedded in the binary (no system font lookup), numbers are formatted explicitly, and series
//! are drawn in the order given, so the same data give byte-identical files on any machine.
//!
//! Colours are the Okabe–Ito palette, readable with the common colour-vision deficiencies
//! (M. Okabe and K. Ito, "Color Universal Design", 2008).

use crate::error::{Error, Result};
use crate::output::number::{log_tick, tick};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::sync::Once;

/// Output format of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImageFormat {
    /// Scalable vector graphics (text stays text).
    #[default]
    Svg,
    /// 8-bit RGB PNG.
    Png,
}

impl ImageFormat {
    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
        }
    }
}

impl std::str::FromStr for ImageFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "svg" => Ok(ImageFormat::Svg),
            "png" => Ok(ImageFormat::Png),
            _ => Err(Error::UnknownName { kind: "image format", name: s.into(), expected: "svg, png".into() }),
        }
    }
}

/// The Okabe–Ito palette, black first.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 0, 0),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 158, 115),
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(204, 121, 167),
    RGBColor(240, 228, 66),
];

/// A palette colour by index (wrapping), skipping black for data series.
pub fn series_colour(index: usize) -> RGBColor {
    PALETTE[1 + index % (PALETTE.len() - 1)]
}

/// How a series is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// Filled bars from 0 to y over [x − width/2, x + width/2].
    Bars {
        /// Bar width in x units.
        width: f64,
    },
    /// A solid polyline.
    Line,
    /// A dashed polyline.
    Dashed,
    /// Filled circles, with optional symmetric error bars (one half-width per point).
    Points {
        /// Half-widths of the error bars, if any.
        errors: Option<Vec<f64>>,
    },
    /// A vertical line at each point's x spanning the plot (its y is ignored), dashed.
    VerticalDashed,
    /// A vertical line at each point's x spanning the plot (its y is ignored), dotted.
    VerticalDotted,
}

/// One data series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text (`None`: not in the legend).
    pub label: Option<String>,
    /// Colour.
    pub colour: RGBColor,
    /// How it is drawn.
    pub mark: Mark,
    /// Data points (x, y) in data units (before any log transform).
    pub points: Vec<(f64, f64)>,
}

/// Axis scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Linear.
    #[default]
    Linear,
    /// Base-10 logarithmic (data must be > 0; non-positive values are dropped).
    Log10,
}

impl Scale {
    fn forward(self, v: f64) -> Option<f64> {
        match self {
            Scale::Linear => v.is_finite().then_some(v),
            Scale::Log10 => (v > 0.0 && v.is_finite()).then(|| v.log10()),
        }
    }
}

/// A whole figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// First title line.
    pub title: String,
    /// Second, smaller title line (parameters).
    pub subtitle: String,
    /// x-axis label.
    pub x_label: String,
    /// y-axis label.
    pub y_label: String,
    /// x scale.
    pub x_scale: Scale,
    /// y scale.
    pub y_scale: Scale,
    /// x range in data units; `None`: from the data, padded.
    pub x_range: Option<(f64, f64)>,
    /// y range in data units; `None`: from the data, padded (from 0 for bars).
    pub y_range: Option<(f64, f64)>,
    /// Series in drawing order.
    pub series: Vec<Series>,
    /// Where the legend goes.
    pub legend: LegendPosition,
    /// Size in pixels.
    pub size: (u32, u32),
}

/// Legend placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LegendPosition {
    /// Upper right corner inside the plot.
    #[default]
    UpperRight,
    /// Upper left corner inside the plot.
    UpperLeft,
    /// Lower right corner inside the plot.
    LowerRight,
    /// Lower left corner inside the plot.
    LowerLeft,
}

impl Figure {
    /// An empty figure of the default size (900×560).
    pub fn new(
        title: impl Into<String>,
        subtitle: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        Figure {
            title: title.into(),
            subtitle: subtitle.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
            x_range: None,
            y_range: None,
            series: Vec::new(),
            legend: LegendPosition::UpperRight,
            size: (900, 560),
        }
    }
}

static FONT: Once = Once::new();

fn register_font() {
    FONT.call_once(|| {
        static DEJAVU_SANS: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
        // The embedded font is valid; registration cannot fail for it.
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, DEJAVU_SANS);
    });
}

/// Renders `figure` to bytes in `format`.
///
/// # Errors
/// A figure with no drawable data, or a drawing backend failure.
pub fn render(figure: &Figure, format: ImageFormat) -> Result<Vec<u8>> {
    register_font();
    let (w, h) = figure.size;
    match format {
        ImageFormat::Svg => {
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                draw(figure, &root)?;
                root.present().map_err(drawing_error)?;
            }
            Ok(svg.into_bytes())
        }
        ImageFormat::Png => {
            let mut rgb = vec![0u8; (w * h * 3) as usize];
            {
                let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
                draw(figure, &root)?;
                root.present().map_err(drawing_error)?;
            }
            let image = image::RgbImage::from_raw(w, h, rgb)
                .ok_or_else(|| Error::InvalidInput("PNG buffer has the wrong size".into()))?;
            let mut png = Vec::new();
            image
                .write_to(&mut std::io::Cursor::new(&mut png), image::ImageOutputFormat::Png)
                .map_err(|e| Error::InvalidInput(format!("PNG encoding failed: {e}")))?;
            Ok(png)
        }
    }
}

fn drawing_error<E: std::fmt::Display>(e: E) -> Error {
    Error::InvalidInput(format!("drawing failed: {e}"))
}

fn transformed(figure: &Figure, series: &Series) -> Vec<(f64, f64)> {
    series
        .points
        .iter()
        .filter_map(|&(x, y)| {
            let x = figure.x_scale.forward(x)?;
            let y = match series.mark {
                Mark::VerticalDashed | Mark::VerticalDotted => 0.0,
                _ => figure.y_scale.forward(y)?,
            };
            Some((x, y))
        })
        .collect()
}

fn padded(lo: f64, hi: f64, fraction: f64) -> (f64, f64) {
    if hi > lo {
        let pad = (hi - lo) * fraction;
        (lo - pad, hi + pad)
    } else {
        let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.05 };
        (lo - pad, hi + pad)
    }
}

fn ranges(figure: &Figure) -> Result<((f64, f64), (f64, f64))> {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut has_bars = false;
    for s in &figure.series {
        let pts = transformed(figure, s);
        xs.extend(pts.iter().map(|p| p.0));
        match &s.mark {
            Mark::VerticalDashed | Mark::VerticalDotted => {}
            Mark::Bars { width } => {
                has_bars = true;
                for (x, y) in &s.points {
                    xs.push(x - width / 2.0);
                    xs.push(x + width / 2.0);
                    ys.push(*y);
                }
            }
            Mark::Points { errors: Some(e) } => {
                for ((_, y), err) in s.points.iter().zip(e) {
                    if let Some(v) = figure.y_scale.forward(y + err) {
                        ys.push(v);
                    }
                    if let Some(v) = figure.y_scale.forward(y - err) {
                        ys.push(v);
                    }
                }
            }
            _ => ys.extend(pts.iter().map(|p| p.1)),
        }
    }
    let span = |v: &[f64]| -> Option<(f64, f64)> {
        let lo = v.iter().copied().filter(|x| x.is_finite()).fold(f64::INFINITY, f64::min);
        let hi = v.iter().copied().filter(|x| x.is_finite()).fold(f64::NEG_INFINITY, f64::max);
        (lo <= hi).then_some((lo, hi))
    };
    let x = match figure.x_range {
        Some((lo, hi)) => (
            figure.x_scale.forward(lo).ok_or_else(|| Error::InvalidInput("x range outside the scale".into()))?,
            figure.x_scale.forward(hi).ok_or_else(|| Error::InvalidInput("x range outside the scale".into()))?,
        ),
        None => {
            let (lo, hi) =
                span(&xs).ok_or_else(|| Error::InvalidInput(format!("figure '{}' has no data", figure.title)))?;
            padded(lo, hi, 0.02)
        }
    };
    let y = match figure.y_range {
        Some((lo, hi)) => (
            figure.y_scale.forward(lo).ok_or_else(|| Error::InvalidInput("y range outside the scale".into()))?,
            figure.y_scale.forward(hi).ok_or_else(|| Error::InvalidInput("y range outside the scale".into()))?,
        ),
        None => {
            let (lo, hi) = span(&ys).unwrap_or((0.0, 1.0));
            if has_bars && figure.y_scale == Scale::Linear {
                (0.0, hi * 1.12)
            } else {
                let (lo, hi) = padded(lo, hi, 0.06);
                // Leave headroom for the legend.
                (lo, hi + 0.12 * (hi - lo))
            }
        }
    };
    Ok((x, y))
}

/// Whether every x value is an integer and the linear x range spans at most 12 units: then the
/// x axis gets one tick per integer (layer indices, depths of short chains).
fn integer_x_axis(figure: &Figure, x0: f64, x1: f64) -> bool {
    figure.x_scale == Scale::Linear
        && x1 - x0 <= 12.0
        && figure.series.iter().all(|s| s.points.iter().all(|p| p.0.fract() == 0.0))
}

/// Draws the title and subtitle; returns the area below them.
fn draw_titles<DB: DrawingBackend>(figure: &Figure, root: &DrawingArea<DB, Shift>) -> Result<DrawingArea<DB, Shift>>
where
    DB::ErrorType: 'static,
{
    let (title_area, body) = root.split_vertically(62);
    title_area
        .draw(&Text::new(figure.title.clone(), (14, 8), ("sans-serif", 21).into_font().color(&BLACK)))
        .map_err(drawing_error)?;
    title_area
        .draw(&Text::new(
            figure.subtitle.clone(),
            (14, 36),
            ("sans-serif", 15).into_font().color(&RGBColor(60, 60, 60)),
        ))
        .map_err(drawing_error)?;
    Ok(body)
}

fn draw<DB: DrawingBackend>(figure: &Figure, root: &DrawingArea<DB, Shift>) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let ((x0, x1), (y0, y1)) = ranges(figure)?;
    root.fill(&WHITE).map_err(drawing_error)?;
    let body = draw_titles(figure, root)?;
    let mut chart = ChartBuilder::on(&body)
        .margin_left(12)
        .margin_right(24)
        .margin_bottom(10)
        .x_label_area_size(52)
        .y_label_area_size(78)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(drawing_error)?;
    // Ticks are about range/8 apart; `tick` uses that spacing to choose its precision.
    let (x_step, y_step) = ((x1 - x0) / 8.0, (y1 - y0) / 7.0);
    let integer_x = integer_x_axis(figure, x0, x1);
    let x_fmt = |v: &f64| match figure.x_scale {
        Scale::Linear if integer_x => {
            if (v - v.round()).abs() < 1e-9 {
                format!("{}", v.round() as i64)
            } else {
                String::new()
            }
        }
        Scale::Linear => tick(*v, x_step),
        Scale::Log10 => log_tick(*v),
    };
    let y_fmt = |v: &f64| match figure.y_scale {
        Scale::Linear => tick(*v, y_step),
        Scale::Log10 => log_tick(*v),
    };
    chart
        .configure_mesh()
        .x_desc(figure.x_label.as_str())
        .y_desc(figure.y_label.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_labels(if integer_x { (x1 - x0).floor() as usize + 1 } else { 8 })
        .y_labels(7)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(drawing_error)?;

    for series in &figure.series {
        draw_series(&mut chart, figure, series, (y0, y1))?;
    }
    let position = match figure.legend {
        LegendPosition::UpperRight => SeriesLabelPosition::UpperRight,
        LegendPosition::UpperLeft => SeriesLabelPosition::UpperLeft,
        LegendPosition::LowerRight => SeriesLabelPosition::LowerRight,
        LegendPosition::LowerLeft => SeriesLabelPosition::LowerLeft,
    };
    if figure.series.iter().any(|s| s.label.is_some()) {
        chart
            .configure_series_labels()
            .position(position)
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(180, 180, 180))
            .label_font(("sans-serif", 14))
            .draw()
            .map_err(drawing_error)?;
    }
    Ok(())
}

/// The chart type every figure is drawn on.
type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws one series (and its legend entry) on the chart; `(y0, y1)` is the drawn y range.
fn draw_series<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    figure: &Figure,
    series: &Series,
    (y0, y1): (f64, f64),
) -> Result<()>
where
    DB::ErrorType: 'static,
{
    let colour = series.colour;
    let pts = transformed(figure, series);
    let anno = match &series.mark {
        Mark::Bars { width } => {
            let fill = colour.mix(0.45).filled();
            let w = *width;
            chart
                .draw_series(
                    series
                        .points
                        .iter()
                        .filter(|(_, y)| *y > 0.0)
                        .map(move |&(x, y)| Rectangle::new([(x - w / 2.0, 0.0), (x + w / 2.0, y)], fill)),
                )
                .map_err(drawing_error)?
        }
        Mark::Line => chart.draw_series(LineSeries::new(pts, colour.stroke_width(2))).map_err(drawing_error)?,
        Mark::Dashed => {
            chart.draw_series(DashedLineSeries::new(pts, 8, 5, colour.stroke_width(2))).map_err(drawing_error)?
        }
        Mark::Points { errors } => {
            if let Some(errors) = errors {
                let bars: Vec<_> = series
                    .points
                    .iter()
                    .zip(errors)
                    .filter_map(|(&(x, y), &e)| {
                        let xt = figure.x_scale.forward(x)?;
                        let lo = figure.y_scale.forward(y - e).unwrap_or(y0);
                        let hi = figure.y_scale.forward(y + e)?;
                        Some(PathElement::new(vec![(xt, lo), (xt, hi)], colour.stroke_width(2)))
                    })
                    .collect();
                chart.draw_series(bars).map_err(drawing_error)?;
            }
            chart
                .draw_series(pts.iter().map(|&(x, y)| Circle::new((x, y), 4, colour.filled())))
                .map_err(drawing_error)?
        }
        Mark::VerticalDashed | Mark::VerticalDotted => {
            let (dash, gap) = if series.mark == Mark::VerticalDashed { (9, 6) } else { (2, 4) };
            let mut last = None;
            for (x, _) in pts {
                last = Some(
                    chart
                        .draw_series(DashedLineSeries::new(vec![(x, y0), (x, y1)], dash, gap, colour.stroke_width(2)))
                        .map_err(drawing_error)?,
                );
            }
            match last {
                Some(a) => a,
                None => return Ok(()),
            }
        }
    };
    if let Some(label) = &series.label {
        let legend_style = match &series.mark {
            Mark::Bars { .. } => LegendMark::Box,
            Mark::Points { .. } => LegendMark::Dot,
            Mark::Line => LegendMark::Line,
            _ => LegendMark::Dash,
        };
        anno.label(label.as_str()).legend(move |(x, y)| legend_style.element::<DB>(x, y, colour));
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum LegendMark {
    Box,
    Dot,
    Line,
    Dash,
}

impl LegendMark {
    fn element<DB: DrawingBackend>(self, x: i32, y: i32, colour: RGBColor) -> DynElement<'static, DB, (i32, i32)> {
        match self {
            LegendMark::Box => Rectangle::new([(x, y - 5), (x + 18, y + 5)], colour.mix(0.45).filled()).into_dyn(),
            LegendMark::Dot => Circle::new((x + 9, y), 4, colour.filled()).into_dyn(),
            LegendMark::Line => PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)).into_dyn(),
            LegendMark::Dash => {
                PathElement::new(vec![(x, y), (x + 6, y), (x + 6, y), (x + 12, y)], colour.stroke_width(2)).into_dyn()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_figure() -> Figure {
        let mut f = Figure::new("title", "m = 2", "x", "y");
        f.series.push(Series {
            label: Some("bars".into()),
            colour: series_colour(0),
            mark: Mark::Bars { width: 0.5 },
            points: vec![(0.25, 1.0), (0.75, 2.0)],
        });
        f.series.push(Series {
            label: Some("line".into()),
            colour: series_colour(1),
            mark: Mark::Line,
            points: vec![(0.0, 0.0), (1.0, 2.0)],
        });
        f.series.push(Series {
            label: Some("edge".into()),
            colour: PALETTE[0],
            mark: Mark::VerticalDashed,
            points: vec![(0.9, 0.0)],
        });
        f
    }

    #[test]
    fn svg_renders_to_a_string_with_labels_and_is_deterministic() {
        let a = render(&sample_figure(), ImageFormat::Svg).unwrap();
        let b = render(&sample_figure(), ImageFormat::Svg).unwrap();
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        assert!(text.starts_with("<svg"));
        for needle in ["title", "m = 2", "bars", "line", "edge"] {
            assert!(text.contains(needle), "missing {needle}");
        }
    }

    #[test]
    fn png_renders_and_is_deterministic() {
        let a = render(&sample_figure(), ImageFormat::Png).unwrap();
        assert_eq!(&a[1..4], b"PNG");
        assert_eq!(a, render(&sample_figure(), ImageFormat::Png).unwrap());
    }

    #[test]
    fn empty_figure_is_an_error() {
        assert!(render(&Figure::new("t", "s", "x", "y"), ImageFormat::Svg).is_err());
    }
}
