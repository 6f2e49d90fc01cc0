//! Where everything of a figure goes, in pixels, before anything is drawn: wrapped title and
//! subtitle, the grid of panels, each panel's plot rectangle, ticks and axis labels, and its
//! legend, placed inside the plot where it covers no data or else below the plot.
//!
//! The checks the tests run on a laid-out figure live here too: [`Layout::texts_outside`] (text
//! beyond the canvas), [`Layout::overlapping_texts`], [`Layout::legends_over_data`],
//! [`Layout::labels_over_data`] (arrow labels over bars, curves or markers) and
//! [`Layout::arrows_clipped`] (an arrow head cut by the plot's edge).

use super::geometry::{forward, AXIS_LABEL, LEGEND, LINE, PANEL_TITLE, SUBTITLE, TICK, TITLE};
pub use super::geometry::{spike_top, Anchor, AxisMap, LegendLayout, PanelLayout, Rect, TextItem};
use super::legend::{covers_data, data_shapes, flow_legend, label_obstacles, place_legend, shapes_of};
use super::text::{self, wrap, wrap_bold, ASCENT, DESCENT};
use super::ticks::{candidates, Ticks};
use super::{Axis, Figure, Geometry, Panel, Scale};
use crate::error::{Error, Result};

/// Outer margin of the canvas.
const MARGIN: f64 = 16.0;
/// Gap between grid cells.
const GAP: f64 = 28.0;

/// A laid-out figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Canvas width.
    pub width: f64,
    /// Canvas height.
    pub height: f64,
    /// Every text of the figure except legend and spike texts (titles, tick and axis labels).
    pub texts: Vec<TextItem>,
    /// Per panel.
    pub panels: Vec<PanelLayout>,
    /// The figure-wide legend, if any.
    pub legend: Option<LegendLayout>,
}

/// Lays out `figure`.
///
/// # Errors
/// A panel with no drawable data, or cells outside the grid.
pub fn layout(figure: &Figure) -> Result<Layout> {
    let width = f64::from(figure.width);
    let mut texts = Vec::new();
    let mut y = MARGIN;
    // Bold: rewrapped only when a line would leave the canvas (titles that fit keep their lines).
    for line in wrap_bold(&figure.title, TITLE, width - 2.0 * MARGIN, width - MARGIN) {
        y += TITLE * LINE;
        texts.push(TextItem { bold: true, ..TextItem::new(line, MARGIN, y - DESCENT * TITLE, TITLE, Anchor::Start) });
    }
    y += 4.0;
    for line in wrap(&figure.subtitle, SUBTITLE, width - 2.0 * MARGIN) {
        y += SUBTITLE * LINE;
        texts.push(TextItem {
            muted: true,
            ..TextItem::new(line, MARGIN, y - DESCENT * SUBTITLE, SUBTITLE, Anchor::Start)
        });
    }
    let top = y + 14.0;
    let (columns, rows) = figure.grid();
    let cell_w = (width - 2.0 * MARGIN - GAP * (columns - 1) as f64) / columns as f64;
    // Row heights: the figure's row height, plus room for any legend that has to go below a plot.
    let mut row_extra = vec![0.0f64; rows];
    for panel in &figure.panels {
        let cell = cell_rect(figure, panel, top, cell_w, &vec![0.0; rows])?;
        if let Some(extra) = panel_layout(panel, cell, None)?.1 {
            let r = panel.cell.row + panel.cell.rows - 1;
            row_extra[r] = row_extra[r].max(extra);
        }
    }
    let mut panels = Vec::new();
    let mut bottom = top;
    for panel in &figure.panels {
        let cell = cell_rect(figure, panel, top, cell_w, &row_extra)?;
        bottom = bottom.max(cell.bottom());
        let reserve = Some(row_extra[panel.cell.row + panel.cell.rows - 1]);
        let (laid, _, panel_texts) = panel_layout_final(panel, cell, reserve)?;
        texts.extend(panel_texts);
        panels.push(laid);
    }
    let legend = (!figure.legend.is_empty()).then(|| {
        let labels: Vec<&str> = figure.legend.iter().map(|e| e.label.as_str()).collect();
        flow_legend(&labels, MARGIN, bottom + 12.0, width - 2.0 * MARGIN)
    });
    let height = legend.as_ref().map_or(bottom, |l| l.rect.bottom()) + MARGIN;
    Ok(Layout { width, height: height.ceil(), texts, panels, legend })
}

fn cell_rect(figure: &Figure, panel: &Panel, top: f64, cell_w: f64, row_extra: &[f64]) -> Result<Rect> {
    let (columns, rows) = figure.grid();
    let c = panel.cell;
    if c.columns == 0 || c.rows == 0 || c.column + c.columns > columns || c.row + c.rows > rows {
        return Err(Error::InvalidInput(format!("panel cell {c:?} outside the {columns}×{rows} grid")));
    }
    let row_h = f64::from(figure.row_height);
    let row_top = |r: usize| top + (0..r).map(|k| row_h + row_extra[k] + GAP).sum::<f64>();
    let y0 = row_top(c.row);
    let y1 = row_top(c.row + c.rows) - GAP;
    Ok(Rect {
        x: MARGIN + c.column as f64 * (cell_w + GAP),
        y: y0,
        w: cell_w * c.columns as f64 + GAP * (c.columns - 1) as f64,
        h: y1 - y0,
    })
}

/// The data extent of a panel along one axis, in transformed units.
fn extent(panel: &Panel, horizontal: bool) -> Option<(f64, f64)> {
    let axis = if horizontal { &panel.x } else { &panel.y };
    let mut values = Vec::new();
    for s in &panel.series {
        match &s.geometry {
            Geometry::Line(p) => values.extend(p.iter().map(|q| if horizontal { q.0 } else { q.1 })),
            Geometry::Bars { lower, width, heights } | Geometry::Steps { lower, width, heights } => {
                if horizontal {
                    values.extend([*lower, lower + width * heights.len() as f64]);
                } else {
                    values.extend(heights.iter().copied().chain([0.0]));
                }
            }
            Geometry::Points { points, intervals } => {
                values.extend(points.iter().map(|q| if horizontal { q.0 } else { q.1 }));
                if let (false, Some(iv)) = (horizontal, intervals) {
                    values.extend(iv.iter().flat_map(|&(lo, hi)| [lo, hi]));
                }
            }
            Geometry::Segments(segs) => {
                values.extend(segs.iter().flat_map(|(a, b)| if horizontal { [a.0, b.0] } else { [a.1, b.1] }))
            }
            Geometry::VLine(x) | Geometry::Spike { x, .. } if horizontal => values.push(*x),
            Geometry::HLine(y) if !horizontal => values.push(*y),
            _ => {}
        }
    }
    let t: Vec<f64> = values.into_iter().filter_map(|v| forward(axis.scale, v)).collect();
    let lo = t.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = t.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo <= hi).then_some((lo, hi))
}

/// The drawn range of an axis in transformed units.
fn range(panel: &Panel, horizontal: bool) -> Result<(f64, f64)> {
    let axis: &Axis = if horizontal { &panel.x } else { &panel.y };
    if let Some((lo, hi)) = axis.range {
        let (a, b) = (forward(axis.scale, lo), forward(axis.scale, hi));
        return match (a, b) {
            (Some(a), Some(b)) if b > a => Ok((a, b)),
            _ => {
                Err(Error::InvalidInput(format!("axis '{}': range [{lo}, {hi}] is empty or off the scale", axis.label)))
            }
        };
    }
    let (mut lo, mut hi) = match extent(panel, horizontal) {
        Some(e) => e,
        None if !horizontal => (0.0, 1.0),
        None => return Err(Error::InvalidInput(format!("panel '{}' has no data", axis.label))),
    };
    if axis.from_zero && axis.scale == Scale::Linear {
        lo = lo.min(0.0);
    }
    if hi <= lo {
        let pad = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
        return Ok((lo - pad, hi + pad));
    }
    let pad = 0.04 * (hi - lo);
    let from_zero = axis.from_zero && axis.scale == Scale::Linear && lo == 0.0;
    if !from_zero {
        lo -= pad;
    }
    hi += pad;
    Ok((lo, hi))
}

fn ticks_in_pixels(axis: &Axis, map: &AxisMap, horizontal: bool) -> Ticks {
    if let Some(fixed) = &axis.fixed_ticks {
        return Ticks { ticks: fixed.clone(), factor: None };
    }
    let back = |t: f64| match axis.scale {
        Scale::Linear => t,
        Scale::Log10 => 10f64.powf(t),
    };
    let all = candidates(back(map.lo), back(map.hi), axis.scale);
    let fits = |t: &Ticks| {
        let px: Vec<(f64, f64)> = t
            .ticks
            .iter()
            .filter_map(|(v, l)| map.px(*v).map(|p| (p, if horizontal { text::width(l, TICK) } else { TICK * LINE })))
            .collect();
        px.windows(2).all(|w| (w[1].0 - w[0].0).abs() >= (w[0].1 + w[1].1) / 2.0 + 10.0)
    };
    all.iter().find(|t| fits(t)).or(all.last()).cloned().unwrap_or(Ticks { ticks: Vec::new(), factor: None })
}

/// The panel's heading (bold, wrapped to the cell) into `texts`; returns the top of what follows.
fn panel_title(panel: &Panel, cell: Rect, texts: &mut Vec<TextItem>) -> f64 {
    let mut top = cell.y;
    let Some(title) = &panel.title else {
        return top + TICK / 2.0;
    };
    for line in wrap_bold(title, PANEL_TITLE, cell.w, cell.w) {
        top += PANEL_TITLE * LINE;
        texts.push(TextItem {
            bold: true,
            ..TextItem::new(line, cell.x, top - DESCENT * PANEL_TITLE, PANEL_TITLE, Anchor::Start)
        });
    }
    top + 10.0
}

/// A laid-out panel, the extra height its legend needs below the plot (if it found no free place
/// inside), and its texts.
type PanelResult = (PanelLayout, Option<f64>, Vec<TextItem>);

/// Lays out a panel in `cell` with `reserve` legend room below the plot: the layout and, when
/// the legend finds no free place inside the plot, the extra height it needs below. When an
/// arrow's label finds no place free of data beside the arrow head, the y range is raised once
/// so that the data stay below the labels.
fn panel_layout(panel: &Panel, cell: Rect, reserve: Option<f64>) -> Result<PanelResult> {
    let yr = range(panel, false)?;
    let first = panel_layout_in(panel, cell, reserve, yr)?;
    match headroom(panel, &first.0) {
        Some(hi) => panel_layout_in(panel, cell, reserve, (yr.0, hi)),
        None => Ok(first),
    }
}

/// The top of the y range (transformed units) that puts every datum below the arrow labels,
/// when some label covers data; `None` when every label is free or raising the range cannot
/// free it (the data it covers are not above the labels' bottom).
fn headroom(panel: &Panel, laid: &PanelLayout) -> Option<f64> {
    if blocked_spike_labels(panel, laid).is_empty() {
        return None;
    }
    let band =
        laid.spike_labels.iter().flat_map(|(_, items)| items.iter().map(|t| t.bbox().bottom())).fold(0.0, f64::max);
    // The data the labels must clear: everything but arrows and full-span reference lines.
    let (segments, boxes) = shapes_of(panel, laid, |_, s| {
        !matches!(s.geometry, Geometry::Spike { .. } | Geometry::VLine(_) | Geometry::HLine(_))
    });
    let top =
        segments.iter().flat_map(|(a, b)| [a.1, b.1]).chain(boxes.iter().map(|b| b.y)).fold(f64::INFINITY, f64::min);
    let y = laid.y;
    let wanted = band + 6.0;
    if top >= wanted || wanted >= y.p0 {
        return None;
    }
    let data_top = y.lo + (y.p0 - top) / (y.p0 - y.p1) * (y.hi - y.lo);
    Some(y.lo + (data_top - y.lo) * (y.p0 - y.p1) / (y.p0 - wanted))
}

/// Lays out a panel with the y range `yr` (transformed units).
fn panel_layout_in(panel: &Panel, cell: Rect, reserve: Option<f64>, yr: (f64, f64)) -> Result<PanelResult> {
    let reserve = reserve.unwrap_or(0.0);
    let mut texts = Vec::new();
    let top = panel_title(panel, cell, &mut texts);
    let xr = range(panel, true)?;
    // Two passes: the tick labels' extent decides the plot rectangle, which decides the ticks.
    let mut left = cell.x + 64.0;
    let mut bottom_band = 2.0 * TICK * LINE + 12.0;
    let mut result = None;
    for _ in 0..3 {
        let plot_bottom = cell.bottom() - bottom_band - reserve;
        let plot = Rect { x: left, y: top, w: cell.right() - 10.0 - left, h: plot_bottom - top };
        if plot.w < 40.0 || plot.h < 40.0 {
            return Err(Error::InvalidInput(format!("panel '{}' has no room to draw", panel.x.label)));
        }
        let x = AxisMap { lo: xr.0, hi: xr.1, p0: plot.x, p1: plot.right(), scale: panel.x.scale };
        let y = AxisMap { lo: yr.0, hi: yr.1, p0: plot.bottom(), p1: plot.y, scale: panel.y.scale };
        let (xt, yt) = (ticks_in_pixels(&panel.x, &x, true), ticks_in_pixels(&panel.y, &y, false));
        let y_label_lines = wrap(&yt.axis_label(&panel.y.label), AXIS_LABEL, plot.h);
        let x_label_lines = wrap(&xt.axis_label(&panel.x.label), AXIS_LABEL, plot.w);
        let tick_w = yt.ticks.iter().map(|(_, l)| text::width(l, TICK)).fold(0.0, f64::max);
        let new_left = cell.x + y_label_lines.len() as f64 * AXIS_LABEL * LINE + 8.0 + tick_w + 8.0;
        let new_band = TICK * LINE + 13.0 + x_label_lines.len() as f64 * AXIS_LABEL * LINE + 4.0;
        let settled = (new_left - left).abs() < 0.5 && (new_band - bottom_band).abs() < 0.5;
        result = Some((plot, x, y, xt, yt, x_label_lines, y_label_lines));
        if settled {
            break;
        }
        left = new_left;
        bottom_band = new_band;
    }
    let (plot, x, y, xt, yt, x_label_lines, y_label_lines) = result.expect("at least one pass");
    let mut x_ticks = Vec::new();
    for (v, label) in &xt.ticks {
        if let Some(p) = x.px(*v).filter(|p| *p >= plot.x - 0.5 && *p <= plot.right() + 0.5) {
            x_ticks.push(p);
            texts.push(TextItem::new(label.clone(), p, plot.bottom() + 9.0 + ASCENT * TICK, TICK, Anchor::Middle));
        }
    }
    let mut y_ticks = Vec::new();
    for (v, label) in &yt.ticks {
        if let Some(p) = y.px(*v).filter(|p| *p >= plot.y - 0.5 && *p <= plot.bottom() + 0.5) {
            y_ticks.push(p);
            texts.push(TextItem::new(label.clone(), plot.x - 7.0, p + 0.35 * TICK, TICK, Anchor::End));
        }
    }
    let mut baseline = plot.bottom() + 11.0 + TICK * LINE;
    for line in &x_label_lines {
        baseline += AXIS_LABEL * LINE;
        texts.push(TextItem::new(
            line.clone(),
            plot.x + plot.w / 2.0,
            baseline - DESCENT * AXIS_LABEL,
            AXIS_LABEL,
            Anchor::Middle,
        ));
    }
    for (k, line) in y_label_lines.iter().enumerate() {
        let bx = cell.x + (k + 1) as f64 * AXIS_LABEL * LINE - DESCENT * AXIS_LABEL;
        texts.push(TextItem {
            rotated: true,
            ..TextItem::new(line.clone(), bx, plot.y + plot.h / 2.0, AXIS_LABEL, Anchor::Middle)
        });
    }
    let mut laid = PanelLayout { plot, x, y, x_ticks, y_ticks, legend: None, spike_labels: Vec::new() };
    laid.spike_labels = spike_labels(panel, &laid);
    let extra = place_legend(panel, &mut laid, baseline + 10.0, reserve > 0.0);
    Ok((laid, extra, texts))
}

/// As [`panel_layout`], with the row's reserved legend room below the plot.
fn panel_layout_final(
    panel: &Panel,
    cell: Rect,
    reserve: Option<f64>,
) -> Result<(PanelLayout, Option<f64>, Vec<TextItem>)> {
    let (laid, extra, texts) = panel_layout(panel, cell, None)?;
    match (extra, reserve) {
        (Some(_), Some(r)) if r > 0.0 => panel_layout(panel, cell, Some(r)),
        _ => Ok((laid, extra, texts)),
    }
}

/// The labels beside arrow heads, each where it covers no other data (see
/// [`label_obstacles`]) and stays inside the plot: right of the head, else left of it; when
/// neither is free, on the side with more room (and [`headroom`] raises the y range).
fn spike_labels(panel: &Panel, laid: &PanelLayout) -> Vec<(usize, Vec<TextItem>)> {
    let mut placed = laid.clone();
    placed.spike_labels.clear();
    for (i, s) in panel.series.iter().enumerate() {
        let Geometry::Spike { x, label } = &s.geometry else { continue };
        let Some(px) = laid.x.px(*x) else { continue };
        let plot = laid.plot;
        let right_room = plot.right() - px - 12.0;
        let left_room = px - plot.x - 12.0;
        let beside = |anchor: Anchor| {
            let (room, tx) = if anchor == Anchor::Start { (right_room, px + 8.0) } else { (left_room, px - 8.0) };
            let mut items = Vec::new();
            let mut baseline = spike_top(plot) + ASCENT * LEGEND;
            for line in wrap(label, LEGEND, room.max(60.0)) {
                items.push(TextItem::new(line, tx, baseline, LEGEND, anchor));
                baseline += LEGEND * LINE;
            }
            items
        };
        let free = |items: &[TextItem]| {
            let obstacles = label_obstacles(panel, &placed, i);
            items.iter().all(|t| plot.contains(&t.bbox()) && !covers_data(&t.bbox().inflate(-3.0), &obstacles))
        };
        let (first, second) =
            if right_room >= left_room { (Anchor::Start, Anchor::End) } else { (Anchor::End, Anchor::Start) };
        let items =
            [beside(first), beside(second)].into_iter().find(|items| free(items)).unwrap_or_else(|| beside(first));
        placed.spike_labels.push((i, items));
    }
    placed.spike_labels
}

/// The arrow labels of a laid-out panel that cover other data or leave the plot.
fn blocked_spike_labels(panel: &Panel, laid: &PanelLayout) -> Vec<String> {
    let mut out = Vec::new();
    for (i, items) in &laid.spike_labels {
        let obstacles = label_obstacles(panel, laid, *i);
        for t in items {
            if !laid.plot.contains(&t.bbox()) || covers_data(&t.bbox().inflate(-3.0), &obstacles) {
                out.push(t.text.clone());
            }
        }
    }
    out
}

impl Layout {
    /// Every text item, legend and spike texts included.
    pub fn all_texts(&self) -> Vec<&TextItem> {
        let mut all: Vec<&TextItem> = self.texts.iter().collect();
        for p in &self.panels {
            all.extend(p.legend.iter().flat_map(|l| l.entries.iter().flat_map(|e| e.2.iter())));
            all.extend(p.spike_labels.iter().flat_map(|(_, items)| items.iter()));
        }
        all.extend(self.legend.iter().flat_map(|l| l.entries.iter().flat_map(|e| e.2.iter())));
        all
    }

    /// Texts that reach beyond the canvas.
    pub fn texts_outside(&self) -> Vec<String> {
        let canvas = Rect { x: 0.0, y: 0.0, w: self.width, h: self.height };
        self.all_texts().into_iter().filter(|t| !canvas.contains(&t.bbox())).map(|t| t.text.clone()).collect()
    }

    /// Pairs of texts whose boxes overlap.
    pub fn overlapping_texts(&self) -> Vec<(String, String)> {
        let all = self.all_texts();
        let mut out = Vec::new();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                if a.bbox().inflate(-0.5).intersects(&b.bbox().inflate(-0.5)) {
                    out.push((a.text.clone(), b.text.clone()));
                }
            }
        }
        out
    }

    /// Labels inside plots (beside arrows) that cover bars, curves, markers or other arrows, or
    /// leave their plot.
    pub fn labels_over_data(&self, figure: &Figure) -> Vec<String> {
        figure.panels.iter().zip(&self.panels).flat_map(|(panel, laid)| blocked_spike_labels(panel, laid)).collect()
    }

    /// Arrows (point masses) whose head, 10 px wide, is cut by the edge of the plot: (panel
    /// index, the arrow's label).
    pub fn arrows_clipped(&self, figure: &Figure) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        for (k, (panel, laid)) in figure.panels.iter().zip(&self.panels).enumerate() {
            for s in &panel.series {
                if let Geometry::Spike { x, label } = &s.geometry {
                    let inside = laid.x.px(*x).is_some_and(|p| p - 5.0 >= laid.plot.x && p + 5.0 <= laid.plot.right());
                    if !inside {
                        out.push((k, label.clone()));
                    }
                }
            }
        }
        out
    }

    /// Every layout defect of `figure` (laid out as `self`), one line each: texts outside the
    /// canvas, overlapping texts, legends over data, arrow labels over data, wrapped axis labels,
    /// ASCII sub- or superscripts, arrow heads cut by the plot's edge. Empty for a clean figure.
    pub fn problems(&self, figure: &Figure) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        out.extend(self.texts_outside().into_iter().map(|t| format!("text outside the canvas: {t:?}")));
        out.extend(self.overlapping_texts().into_iter().map(|(a, b)| format!("overlapping labels: {a:?} and {b:?}")));
        out.extend(self.legends_over_data(figure).into_iter().map(|i| format!("legend over data in panel {i}")));
        out.extend(self.labels_over_data(figure).into_iter().map(|t| format!("arrow label over data: {t:?}")));
        out.extend(self.wrapped_axis_labels(figure).into_iter().map(|t| format!("axis label wrapped: {t:?}")));
        out.extend(self.ascii_scripts().into_iter().map(|t| format!("ASCII _ or ^ notation: {t:?}")));
        out.extend(self.arrows_clipped(figure).into_iter().map(|(i, t)| format!("arrow head cut in panel {i}: {t:?}")));
        out
    }

    /// Axis labels that do not fit on one line along their axis (a wrapped axis label reads as
    /// two labels): the labels as written.
    pub fn wrapped_axis_labels(&self, figure: &Figure) -> Vec<String> {
        let mut out = Vec::new();
        for (panel, laid) in figure.panels.iter().zip(&self.panels) {
            for (label, room) in [(&panel.x.label, laid.plot.w), (&panel.y.label, laid.plot.h)] {
                if text::width(label, AXIS_LABEL) > room {
                    out.push(label.clone());
                }
            }
        }
        out
    }

    /// Texts written with ASCII sub- or superscript notation (`q_l`, `n^2`) instead of the
    /// figures' subscripts (`_{…}`, see [`text::runs`]) and Unicode superscripts.
    pub fn ascii_scripts(&self) -> Vec<String> {
        self.all_texts()
            .into_iter()
            .filter(|t| text::plain(&t.text).contains(['_', '^']))
            .map(|t| t.text.clone())
            .collect()
    }

    /// Panels (by index) whose legend covers some of their data or lies outside the canvas.
    pub fn legends_over_data(&self, figure: &Figure) -> Vec<usize> {
        let canvas = Rect { x: 0.0, y: 0.0, w: self.width, h: self.height };
        figure
            .panels
            .iter()
            .zip(&self.panels)
            .enumerate()
            .filter(|(_, (panel, laid))| {
                laid.legend
                    .as_ref()
                    .is_some_and(|l| covers_data(&l.rect, &data_shapes(panel, laid)) || !canvas.contains(&l.rect))
            })
            .map(|(i, _)| i)
            .collect()
    }
}
