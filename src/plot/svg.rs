//! The SVG writer: draws a laid-out [`Figure`] as text. Coordinates carry two decimals, so the
//! output is byte-identical for the same model; text names DejaVu Sans first (see
//! [`super::text::FONT_FAMILY`]) with kerning off, matching the widths the layout measured.

use super::geometry::{spike_top, Anchor, LegendLayout, PanelLayout, Rect, TextItem, SAMPLE};
use super::layout::Layout;
use super::style::{Marker, Style, GREY, GRID, WHITE};
use super::text::{runs, FONT_FAMILY, SUBSCRIPT_DROP, SUBSCRIPT_SCALE};
use super::{Figure, Geometry, Layer, Panel, Series};
use std::fmt::Write;

/// Escapes text for XML.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn text(out: &mut String, t: &TextItem, colour: &str) {
    let anchor = match t.anchor {
        Anchor::Start => "start",
        Anchor::Middle => "middle",
        Anchor::End => "end",
    };
    let weight = if t.bold { " font-weight=\"bold\"" } else { "" };
    let rotate = if t.rotated { format!(" transform=\"rotate(-90 {:.2} {:.2})\"", t.x, t.y) } else { String::new() };
    let _ = writeln!(
        out,
        "<text x=\"{:.2}\" y=\"{:.2}\" font-size=\"{}\" text-anchor=\"{anchor}\" fill=\"{colour}\"{weight}{rotate}>{}</text>",
        t.x,
        t.y,
        t.size,
        content(&t.text, t.size)
    );
}

/// The escaped content of a `<text>`: subscripts (`_{…}`, see [`super::text::runs`]) as
/// `<tspan>`s set smaller and lowered by `dy`, the text after one raised back.
fn content(text: &str, size: f64) -> String {
    let drop = SUBSCRIPT_DROP * size;
    let mut out = String::new();
    let mut lowered = false;
    for (run, sub) in runs(text) {
        if sub {
            let dy = if lowered { 0.0 } else { drop };
            let _ = write!(
                out,
                "<tspan dy=\"{dy:.2}\" font-size=\"{:.2}\">{}</tspan>",
                SUBSCRIPT_SCALE * size,
                escape(run)
            );
        } else if lowered {
            let _ = write!(out, "<tspan dy=\"{:.2}\">{}</tspan>", -drop, escape(run));
        } else {
            out.push_str(&escape(run));
        }
        lowered = sub;
    }
    out
}

/// `stroke`, width and dash attributes of a style.
fn stroke(style: &Style) -> String {
    let mut s = format!("stroke=\"{}\" stroke-width=\"{}\"", style.colour.hex(), style.width);
    if let Some((array, offset)) = style.dash.svg(style.width) {
        let _ = write!(s, " stroke-dasharray=\"{array}\"");
        if offset != 0.0 {
            let _ = write!(s, " stroke-dashoffset=\"{offset}\"");
        }
    }
    s
}

/// A path through points, broken where a point is missing.
fn path_data(points: &[Option<(f64, f64)>]) -> String {
    let mut d = String::new();
    let mut pen_down = false;
    for p in points {
        match p {
            Some((x, y)) => {
                let _ = write!(d, "{}{:.2} {:.2}", if pen_down { " L" } else { " M" }, x, y);
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    d.trim_start().to_string()
}

fn line(out: &mut String, d: &str, style: &Style) {
    if d.is_empty() {
        return;
    }
    if style.halo {
        let _ = writeln!(
            out,
            "<path d=\"{d}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>",
            style.width + 3.0
        );
    }
    let _ = writeln!(out, "<path d=\"{d}\" fill=\"none\" {} stroke-linejoin=\"round\"/>", stroke(style));
}

/// A marker centred at (x, y).
pub(crate) fn marker(out: &mut String, m: Marker, x: f64, y: f64, colour: &str) {
    let r = 4.2;
    let filled = |shape: String| format!("{shape} fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"0.8\"/>");
    let s = match m {
        Marker::Circle => filled(format!("<circle cx=\"{x:.2}\" cy=\"{y:.2}\" r=\"{r}\"")),
        Marker::OpenCircle => {
            format!("<circle cx=\"{x:.2}\" cy=\"{y:.2}\" r=\"{r}\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"1.6\"/>")
        }
        Marker::Ring => {
            format!(
                "<circle cx=\"{x:.2}\" cy=\"{y:.2}\" r=\"7\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\"/>"
            )
        }
        Marker::Square => {
            filled(format!("<rect x=\"{:.2}\" y=\"{:.2}\" width=\"7.4\" height=\"7.4\"", x - 3.7, y - 3.7))
        }
        Marker::TriangleUp | Marker::TriangleDown => {
            let k = if m == Marker::TriangleUp { 1.0 } else { -1.0 };
            filled(format!(
                "<polygon points=\"{:.2},{:.2} {:.2},{:.2} {:.2},{:.2}\"",
                x,
                y - k * 5.2,
                x - 4.8,
                y + k * 3.4,
                x + 4.8,
                y + k * 3.4
            ))
        }
        Marker::Diamond => filled(format!(
            "<polygon points=\"{:.2},{:.2} {:.2},{:.2} {:.2},{:.2} {:.2},{:.2}\"",
            x,
            y - 5.4,
            x + 4.6,
            y,
            x,
            y + 5.4,
            x - 4.6,
            y
        )),
        Marker::Cross | Marker::Plus => {
            let (a, b) = if m == Marker::Cross { (3.8, 3.8) } else { (5.0, 0.0) };
            format!(
                "<path d=\"M{:.2} {:.2} L{:.2} {:.2} M{:.2} {:.2} L{:.2} {:.2}\" stroke=\"{colour}\" stroke-width=\"2\" fill=\"none\"/>",
                x - a,
                y - b,
                x + a,
                y + b,
                x - b,
                y + a,
                x + b,
                y - a
            )
        }
    };
    out.push_str(&s);
    out.push('\n');
}

fn bar(out: &mut String, r: Rect, style: &Style) {
    let c = style.colour.hex();
    let _ = writeln!(
        out,
        "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"{c}\" fill-opacity=\"0.35\" stroke=\"{c}\" stroke-width=\"0.8\"/>",
        r.x, r.y, r.w, r.h
    );
}

fn arrow(out: &mut String, x: f64, top: f64, base: f64, style: &Style) {
    let c = style.colour.hex();
    let _ =
        writeln!(out, "<path d=\"M{x:.2} {base:.2} L{x:.2} {:.2}\" stroke=\"{c}\" stroke-width=\"2.4\"/>", top + 6.0);
    let _ = writeln!(
        out,
        "<polygon points=\"{x:.2},{top:.2} {:.2},{:.2} {:.2},{:.2}\" fill=\"{c}\"/>",
        x - 5.0,
        top + 10.0,
        x + 5.0,
        top + 10.0
    );
}

fn series(out: &mut String, s: &Series, laid: &PanelLayout) {
    let (xm, ym, plot) = (&laid.x, &laid.y, laid.plot);
    let pt = |x: f64, y: f64| Some((xm.px(x)?, ym.px(y)?));
    let base = ym.px(0.0).unwrap_or(plot.bottom()).clamp(plot.y - 2.0, plot.bottom());
    let colour = s.style.colour.hex();
    match &s.geometry {
        Geometry::Line(p) => line(out, &path_data(&p.iter().map(|q| pt(q.0, q.1)).collect::<Vec<_>>()), &s.style),
        Geometry::Bars { lower, width, heights } => {
            for (k, h) in heights.iter().enumerate().filter(|(_, h)| **h > 0.0) {
                if let (Some(a), Some(b)) = (pt(lower + k as f64 * width, *h), pt(lower + (k + 1) as f64 * width, *h)) {
                    bar(out, Rect { x: a.0, y: a.1, w: b.0 - a.0, h: base - a.1 }, &s.style);
                }
            }
        }
        Geometry::Steps { lower, width, heights } => {
            let mut pts = vec![pt(*lower, 0.0)];
            for (k, h) in heights.iter().enumerate() {
                pts.push(pt(lower + k as f64 * width, *h));
                pts.push(pt(lower + (k + 1) as f64 * width, *h));
            }
            pts.push(pt(lower + heights.len() as f64 * width, 0.0));
            line(out, &path_data(&pts), &s.style);
        }
        Geometry::Points { points, intervals } => {
            if let Some(iv) = intervals {
                let mut d = String::new();
                for (q, &(lo, hi)) in points.iter().zip(iv) {
                    let Some(x) = xm.px(q.0) else { continue };
                    let lo = ym.px(lo).unwrap_or(plot.bottom() + 2.0);
                    let Some(hi) = ym.px(hi) else { continue };
                    let _ = write!(
                        d,
                        "M{x:.2} {lo:.2} L{x:.2} {hi:.2} M{:.2} {lo:.2} L{:.2} {lo:.2} M{:.2} {hi:.2} L{:.2} {hi:.2} ",
                        x - 3.0,
                        x + 3.0,
                        x - 3.0,
                        x + 3.0
                    );
                }
                if !d.is_empty() {
                    let _ = writeln!(
                        out,
                        "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.3\"/>",
                        d.trim_end()
                    );
                }
            }
            for q in points {
                if let Some((x, y)) = pt(q.0, q.1) {
                    marker(out, s.style.marker, x, y, &colour);
                }
            }
        }
        Geometry::Segments(segs) => {
            let d: Vec<String> =
                segs.iter().filter_map(|(a, b)| Some(path_data(&[Some(pt(a.0, a.1)?), Some(pt(b.0, b.1)?)]))).collect();
            line(out, &d.join(" "), &s.style);
        }
        Geometry::VLine(x) => {
            if let Some(p) = xm.px(*x) {
                line(out, &format!("M{p:.2} {:.2} L{p:.2} {:.2}", plot.y, plot.bottom()), &s.style);
            }
        }
        Geometry::HLine(y) => {
            if let Some(p) = ym.px(*y) {
                line(out, &format!("M{:.2} {p:.2} L{:.2} {p:.2}", plot.x, plot.right()), &s.style);
            }
        }
        Geometry::Spike { x, .. } => {
            if let Some(p) = xm.px(*x) {
                arrow(out, p, spike_top(plot), base, &s.style);
            }
        }
    }
}

/// The legend sample of a series kind, centred at (x, y).
fn sample(out: &mut String, geometry: &Geometry, style: &Style, (x, y): (f64, f64)) {
    let half = SAMPLE / 2.0;
    match geometry {
        Geometry::Bars { .. } => bar(out, Rect { x: x - 8.0, y: y - 6.0, w: 16.0, h: 12.0 }, style),
        Geometry::Points { intervals, .. } => {
            if intervals.is_some() {
                let _ = writeln!(
                    out,
                    "<path d=\"M{x:.2} {:.2} L{x:.2} {:.2}\" stroke=\"{}\" stroke-width=\"1.3\"/>",
                    y - 7.0,
                    y + 7.0,
                    style.colour.hex()
                );
            }
            marker(out, style.marker, x, y, &style.colour.hex());
        }
        Geometry::Spike { .. } => arrow(out, x, y - 8.0, y + 8.0, style),
        Geometry::VLine(_) => line(out, &format!("M{x:.2} {:.2} L{x:.2} {:.2}", y - 8.0, y + 8.0), style),
        _ => line(out, &format!("M{:.2} {y:.2} L{:.2} {y:.2}", x - half, x + half), style),
    }
}

fn legend(out: &mut String, legend: &LegendLayout, kinds: &[(&Geometry, &Style)], boxed: bool) {
    let r = legend.rect;
    if boxed {
        let _ = writeln!(
            out,
            "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"#ffffff\" fill-opacity=\"0.92\" stroke=\"#b4b4b4\"/>",
            r.x, r.y, r.w, r.h
        );
    }
    for (index, at, items) in &legend.entries {
        let (geometry, style) = kinds[*index];
        sample(out, geometry, style, *at);
        for t in items {
            text(out, t, "#000000");
        }
    }
}

/// The order series are drawn in: reference lines, data areas and lines (histograms), theory,
/// then data markers last, so that a theory curve through an estimate never hides it (a marker
/// with its white outline covers a few pixels of the curve; a curve would cover the marker).
pub(crate) fn drawing_order(p: &Panel) -> impl Iterator<Item = &Series> {
    let markers = |s: &&Series| s.layer == Layer::Data && matches!(s.geometry, Geometry::Points { .. });
    let below = [Layer::Reference, Layer::Data, Layer::Theory]
        .into_iter()
        .flat_map(move |layer| p.series.iter().filter(move |s| s.layer == layer && !markers(s)));
    below.chain(p.series.iter().filter(markers))
}

fn panel(out: &mut String, p: &Panel, laid: &PanelLayout, id: usize) {
    let plot = laid.plot;
    let _ = writeln!(
        out,
        "<clipPath id=\"plot{id}\"><rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\"/></clipPath>",
        plot.x, plot.y, plot.w, plot.h
    );
    let mut grid = String::new();
    for x in &laid.x_ticks {
        let _ = write!(grid, "M{x:.2} {:.2} L{x:.2} {:.2} ", plot.y, plot.bottom());
    }
    for y in &laid.y_ticks {
        let _ = write!(grid, "M{:.2} {y:.2} L{:.2} {y:.2} ", plot.x, plot.right());
    }
    let _ = writeln!(out, "<path d=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>", grid.trim_end(), GRID.hex());
    let _ = writeln!(out, "<g clip-path=\"url(#plot{id})\">");
    for s in drawing_order(p) {
        series(out, s, laid);
    }
    out.push_str("</g>\n");
    let mut ticks = String::new();
    for x in &laid.x_ticks {
        let _ = write!(ticks, "M{x:.2} {:.2} L{x:.2} {:.2} ", plot.bottom(), plot.bottom() + 5.0);
    }
    for y in &laid.y_ticks {
        let _ = write!(ticks, "M{:.2} {y:.2} L{:.2} {y:.2} ", plot.x - 5.0, plot.x);
    }
    let _ = writeln!(out, "<path d=\"{}\" stroke=\"#444444\" stroke-width=\"1\"/>", ticks.trim_end());
    let _ = writeln!(
        out,
        "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" fill=\"none\" stroke=\"#444444\" stroke-width=\"1\"/>",
        plot.x, plot.y, plot.w, plot.h
    );
    for (_, items) in &laid.spike_labels {
        for t in items {
            text(out, t, "#000000");
        }
    }
    if let Some(l) = &laid.legend {
        let kinds: Vec<(&Geometry, &Style)> = p
            .series
            .iter()
            .map(|s| (&s.geometry, &s.style))
            .chain(p.key.iter().map(|e| (&e.geometry, &e.style)))
            .collect();
        legend(out, l, &kinds, true);
    }
}

/// The SVG of `figure` laid out as `laid`.
pub fn write(figure: &Figure, laid: &Layout) -> String {
    let (w, h) = (laid.width, laid.height);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\" font-kerning=\"none\" style=\"font-kerning: none\">\n"
    );
    let _ = writeln!(out, "<rect width=\"{w}\" height=\"{h}\" fill=\"{}\"/>", WHITE.hex());
    for (i, (p, l)) in figure.panels.iter().zip(&laid.panels).enumerate() {
        panel(&mut out, p, l, i);
    }
    let grey = GREY.hex();
    for t in &laid.texts {
        let colour = if t.muted { grey.as_str() } else { "#000000" };
        text(&mut out, t, colour);
    }
    if let Some(l) = &laid.legend {
        let kinds: Vec<(&Geometry, &Style)> = figure.legend.iter().map(|e| (&e.geometry, &e.style)).collect();
        legend(&mut out, l, &kinds, false);
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::{Axis, Style};

    #[test]
    fn subscripts_become_lowered_smaller_tspans() {
        assert_eq!(content("a<b", 10.0), "a&lt;b");
        assert_eq!(
            content("D_{L}W_{L}ᵀ", 10.0),
            "D<tspan dy=\"2.50\" font-size=\"7.00\">L</tspan><tspan dy=\"-2.50\">W</tspan>\
             <tspan dy=\"2.50\" font-size=\"7.00\">L</tspan><tspan dy=\"-2.50\">ᵀ</tspan>"
        );
    }

    /// Issue 12: theory curves drawn above the Monte Carlo markers hid them where the two agree
    /// (the spectral-norm, edge-fluctuation and condition-number figures). Markers come last;
    /// histograms stay under theory.
    #[test]
    fn markers_are_drawn_after_theory_and_histograms_before_it() {
        let mut p = Panel::new(Axis::linear("x"), Axis::linear("y"));
        let points = Geometry::Points { points: vec![(0.5, 0.5)], intervals: None };
        let bars = Geometry::Bars { lower: 0.0, width: 1.0, heights: vec![1.0] };
        p.series.push(Series::new(None, Style::theory(), Layer::Data, points));
        p.series.push(Series::new(None, Style::theory(), Layer::Theory, Geometry::Line(vec![(0.0, 0.0), (1.0, 1.0)])));
        p.series.push(Series::new(None, Style::theory(), Layer::Data, bars));
        p.series.push(Series::new(None, Style::theory(), Layer::Reference, Geometry::HLine(0.5)));
        let kinds: Vec<&str> = drawing_order(&p)
            .map(|s| match s.geometry {
                Geometry::HLine(_) => "reference",
                Geometry::Bars { .. } => "bars",
                Geometry::Line(_) => "theory",
                _ => "markers",
            })
            .collect();
        assert_eq!(kinds, ["reference", "bars", "theory", "markers"]);
    }
}
