//! Legends: laid out as a column (a panel's) or a flow of entries (a figure's), and placed where
//! they cover no data: the first free corner of the plot, else below it. What "data" occupy in
//! pixels ([`data_shapes`]) is defined here, for the placement and for the tests.

use super::geometry::{spike_top, LEGEND, LINE, SAMPLE};
use super::geometry::{Anchor, LegendLayout, PanelLayout, Rect, TextItem};
use super::text::{self, wrap, DESCENT};
use super::{Geometry, Panel, Series};

/// A legend's entries as a column: each label wrapped to `text_w`.
fn column_legend(labels: &[(usize, &str)], x: f64, y: f64, text_w: f64) -> LegendLayout {
    let mut entries = Vec::new();
    let mut baseline = y + 6.0;
    let mut widest: f64 = 0.0;
    for &(index, label) in labels {
        let lines = wrap(label, LEGEND, text_w);
        let first = baseline + LEGEND * LINE;
        let mut items = Vec::new();
        for line in lines {
            baseline += LEGEND * LINE;
            widest = widest.max(text::width(&line, LEGEND));
            items.push(TextItem::new(line, x + 8.0 + SAMPLE + 6.0, baseline - DESCENT * LEGEND, LEGEND, Anchor::Start));
        }
        entries.push((index, (x + 8.0 + SAMPLE / 2.0, first - DESCENT * LEGEND - 0.3 * LEGEND), items));
        baseline += 2.0;
    }
    let rect = Rect { x, y, w: 8.0 + SAMPLE + 6.0 + widest + 8.0, h: baseline - y + 6.0 };
    LegendLayout { rect, entries }
}

/// The figure-wide legend: entries side by side, wrapping onto new rows at `width`.
pub(crate) fn flow_legend(labels: &[&str], x: f64, y: f64, width: f64) -> LegendLayout {
    let mut entries = Vec::new();
    let (mut cx, mut row) = (x + 8.0, 0usize);
    let row_h = LEGEND * LINE + 6.0;
    for (i, label) in labels.iter().enumerate() {
        let w = SAMPLE + 6.0 + text::width(label, LEGEND) + 18.0;
        if cx + w > x + width && cx > x + 8.0 {
            row += 1;
            cx = x + 8.0;
        }
        let baseline = y + 6.0 + row as f64 * row_h + LEGEND * LINE - DESCENT * LEGEND;
        let item = TextItem::new(label.to_string(), cx + SAMPLE + 6.0, baseline, LEGEND, Anchor::Start);
        entries.push((i, (cx + SAMPLE / 2.0, baseline - 0.3 * LEGEND), vec![item]));
        cx += w;
    }
    let rect = Rect { x, y, w: width, h: (row + 1) as f64 * row_h + 8.0 };
    LegendLayout { rect, entries }
}

/// A line segment in pixels.
pub type Segment = ((f64, f64), (f64, f64));

/// What a panel's data occupy, in pixels: segments and boxes (clipped to the plot), spike labels
/// included.
pub fn data_shapes(panel: &Panel, laid: &PanelLayout) -> (Vec<Segment>, Vec<Rect>) {
    shapes_of(panel, laid, |_, _| true)
}

/// What a label beside the arrow of series `own` must not cover: the data of every other series
/// (bars, curves, markers, other arrows and their labels), but not the full-height or full-width
/// reference lines (edges, limits), which any line of text across the plot crosses.
pub fn label_obstacles(panel: &Panel, laid: &PanelLayout, own: usize) -> (Vec<Segment>, Vec<Rect>) {
    shapes_of(panel, laid, |i, s| i != own && !matches!(s.geometry, Geometry::VLine(_) | Geometry::HLine(_)))
}

/// The pixels of the series that `include` accepts (by index and series).
pub(crate) fn shapes_of(
    panel: &Panel,
    laid: &PanelLayout,
    include: impl Fn(usize, &Series) -> bool,
) -> (Vec<Segment>, Vec<Rect>) {
    let (mut segments, mut boxes) = (Vec::new(), Vec::new());
    let (xm, ym, plot) = (&laid.x, &laid.y, laid.plot);
    let pt = |x: f64, y: f64| Some((xm.px(x)?, ym.px(y)?.clamp(plot.y, plot.bottom())));
    let base = ym.px(0.0).unwrap_or(plot.bottom()).clamp(plot.y, plot.bottom());
    for (i, s) in panel.series.iter().enumerate().filter(|(i, s)| include(*i, s)) {
        match &s.geometry {
            Geometry::Line(p) => {
                let px: Vec<Option<(f64, f64)>> = p.iter().map(|q| pt(q.0, q.1)).collect();
                segments.extend(px.windows(2).filter_map(|w| Some((w[0]?, w[1]?))));
            }
            Geometry::Bars { lower, width, heights } | Geometry::Steps { lower, width, heights } => {
                for (k, h) in heights.iter().enumerate().filter(|(_, h)| **h > 0.0) {
                    let (Some(a), Some(b)) = (pt(lower + k as f64 * width, *h), pt(lower + (k + 1) as f64 * width, *h))
                    else {
                        continue;
                    };
                    boxes.push(Rect { x: a.0, y: a.1, w: b.0 - a.0, h: base - a.1 });
                }
            }
            Geometry::Points { points, intervals } => {
                for (k, q) in points.iter().enumerate() {
                    let Some(c) = pt(q.0, q.1) else { continue };
                    boxes.push(Rect { x: c.0 - 5.0, y: c.1 - 5.0, w: 10.0, h: 10.0 });
                    if let Some(&(lo, hi)) = intervals.as_ref().and_then(|iv| iv.get(k)) {
                        let lo_px = ym.px(lo).unwrap_or(plot.bottom()).clamp(plot.y, plot.bottom());
                        let hi_px = ym.px(hi).unwrap_or(plot.bottom()).clamp(plot.y, plot.bottom());
                        segments.push(((c.0, lo_px), (c.0, hi_px)));
                    }
                }
            }
            Geometry::Segments(segs) => {
                segments.extend(segs.iter().filter_map(|(a, b)| Some((pt(a.0, a.1)?, pt(b.0, b.1)?))))
            }
            Geometry::VLine(x) => segments.extend(xm.px(*x).map(|p| ((p, plot.y), (p, plot.bottom())))),
            Geometry::HLine(y) => segments.extend(ym.px(*y).map(|p| ((plot.x, p), (plot.right(), p)))),
            Geometry::Spike { x, .. } => {
                if let Some(p) = xm.px(*x) {
                    segments.push(((p, spike_top(plot)), (p, base)));
                }
                for (_, items) in laid.spike_labels.iter().filter(|(j, _)| *j == i) {
                    boxes.extend(items.iter().map(TextItem::bbox));
                }
            }
        }
    }
    (segments, boxes)
}

pub(crate) fn covers_data(rect: &Rect, shapes: &(Vec<Segment>, Vec<Rect>)) -> bool {
    let r = rect.inflate(3.0);
    shapes.0.iter().any(|(a, b)| r.meets_segment(*a, *b)) || shapes.1.iter().any(|b| r.intersects(b))
}

/// Places the panel's legend in the first free corner of the plot; when none is free, below the
/// plot at `below` if `room_below`, and returns the height it needs there.
pub(crate) fn place_legend(panel: &Panel, laid: &mut PanelLayout, below: f64, room_below: bool) -> Option<f64> {
    let labels: Vec<(usize, &str)> = panel.legend_entries().into_iter().map(|(i, l, _, _)| (i, l)).collect();
    if labels.is_empty() {
        return None;
    }
    let plot = laid.plot;
    let shapes = data_shapes(panel, laid);
    // Labels wrap only where they would not fit across the plot: a legend in a corner with
    // entries broken into narrow lines reads worse than one below the plot.
    let text_w = plot.w - SAMPLE - 34.0;
    let probe = column_legend(&labels, 0.0, 0.0, text_w);
    let (w, h) = (probe.rect.w, probe.rect.h);
    if w <= plot.w - 12.0 && h <= plot.h - 12.0 {
        let (l, r, t, b, c) =
            (plot.x + 6.0, plot.right() - 6.0 - w, plot.y + 6.0, plot.bottom() - 6.0 - h, plot.x + (plot.w - w) / 2.0);
        for (x, y) in [(r, t), (l, t), (c, t), (r, b), (l, b)] {
            let legend = column_legend(&labels, x, y, text_w);
            if !covers_data(&legend.rect, &shapes) && plot.contains(&legend.rect) {
                laid.legend = Some(legend);
                return None;
            }
        }
    }
    let legend = column_legend(&labels, plot.x, below, plot.w - SAMPLE - 22.0);
    let needed = legend.rect.h + 14.0;
    if room_below {
        laid.legend = Some(legend);
    }
    Some(needed)
}
