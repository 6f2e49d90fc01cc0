//! Pixel geometry of a laid-out figure: rectangles, text items with their boxes, axis maps, and
//! the laid-out panel and legend types that [`super::layout`] produces and [`super::svg`] draws.

use super::text::{self, ASCENT, DESCENT};
use super::Scale;

/// Font sizes in pixels: title, subtitle, panel title, axis label, tick, legend.
pub(crate) const TITLE: f64 = 20.0;
pub(crate) const SUBTITLE: f64 = 14.0;
pub(crate) const PANEL_TITLE: f64 = 15.0;
pub(crate) const AXIS_LABEL: f64 = 14.0;
pub(crate) const TICK: f64 = 13.0;
pub(crate) const LEGEND: f64 = 13.0;
/// Width of a legend sample and the gap after it.
pub(crate) const SAMPLE: f64 = 30.0;
pub(crate) const LINE: f64 = 1.3;

/// Pixel y of a spike's arrow head.
pub fn spike_top(plot: Rect) -> f64 {
    plot.y + 0.1 * plot.h
}

/// A rectangle in pixels (y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x: f64,
    /// Top.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// Right edge.
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    /// Bottom edge.
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    /// Whether the interiors meet.
    pub fn intersects(&self, o: &Rect) -> bool {
        self.x < o.right() && o.x < self.right() && self.y < o.bottom() && o.y < self.bottom()
    }
    /// Whether `o` lies inside (edges included).
    pub fn contains(&self, o: &Rect) -> bool {
        o.x >= self.x - 1e-9
            && o.y >= self.y - 1e-9
            && o.right() <= self.right() + 1e-9
            && o.bottom() <= self.bottom() + 1e-9
    }
    /// Grown by `d` on every side (shrunk for negative `d`).
    pub fn inflate(&self, d: f64) -> Rect {
        Rect { x: self.x - d, y: self.y - d, w: self.w + 2.0 * d, h: self.h + 2.0 * d }
    }
    /// Whether the segment from `a` to `b` meets this rectangle (Liang–Barsky clipping).
    pub fn meets_segment(&self, a: (f64, f64), b: (f64, f64)) -> bool {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
        for (p, q) in [(-dx, a.0 - self.x), (dx, self.right() - a.0), (-dy, a.1 - self.y), (dy, self.bottom() - a.1)] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
            }
        }
        t0 <= t1
    }
}

/// Horizontal anchor of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// x is the left end.
    Start,
    /// x is the centre.
    Middle,
    /// x is the right end.
    End,
}

/// One line of text at a baseline position; `rotated` texts run upwards (y-axis labels).
#[derive(Debug, Clone, PartialEq)]
pub struct TextItem {
    /// The text.
    pub text: String,
    /// Anchor point x.
    pub x: f64,
    /// Baseline y (for rotated text: the baseline's x offset is `x`, the anchor runs along y).
    pub y: f64,
    /// Font size in pixels.
    pub size: f64,
    /// How x anchors the text.
    pub anchor: Anchor,
    /// Rotated by −90° about (x, y).
    pub rotated: bool,
    /// Bold.
    pub bold: bool,
    /// Drawn in grey (subtitles).
    pub muted: bool,
}

impl TextItem {
    pub(crate) fn new(text: impl Into<String>, x: f64, y: f64, size: f64, anchor: Anchor) -> Self {
        TextItem { text: text.into(), x, y, size, anchor, rotated: false, bold: false, muted: false }
    }

    /// The box the text occupies (advance width by ascent plus descent; bold text is about 10%
    /// wider than regular).
    pub fn bbox(&self) -> Rect {
        let w = text::width(&self.text, self.size) * if self.bold { text::BOLD_WIDTH } else { 1.0 };
        let start = match self.anchor {
            Anchor::Start => 0.0,
            Anchor::Middle => -w / 2.0,
            Anchor::End => -w,
        };
        let (up, down) = (ASCENT * self.size, DESCENT * self.size);
        if self.rotated {
            Rect { x: self.x - up, y: self.y - start - w, w: up + down, h: w }
        } else {
            Rect { x: self.x + start, y: self.y - up, w, h: up + down }
        }
    }
}

/// Maps data values to pixels along one axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisMap {
    /// Range in transformed units (log₁₀ for log axes).
    pub lo: f64,
    /// See `lo`.
    pub hi: f64,
    /// Pixel of `lo`.
    pub p0: f64,
    /// Pixel of `hi`.
    pub p1: f64,
    /// Scale.
    pub scale: Scale,
}

impl AxisMap {
    /// The pixel of a data value (`None` for non-positive values on a log axis).
    pub fn px(&self, v: f64) -> Option<f64> {
        let t = forward(self.scale, v)?;
        Some(self.p0 + (t - self.lo) / (self.hi - self.lo) * (self.p1 - self.p0))
    }
}

pub(crate) fn forward(scale: Scale, v: f64) -> Option<f64> {
    match scale {
        Scale::Linear => v.is_finite().then_some(v),
        Scale::Log10 => (v > 0.0 && v.is_finite()).then(|| v.log10()),
    }
}

/// A laid-out legend: its box and, per entry, the sample's centre and the text lines.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendLayout {
    /// The box.
    pub rect: Rect,
    /// Per entry: index into the panel's series (or the figure's legend entries), sample
    /// centre, text lines.
    pub entries: Vec<(usize, (f64, f64), Vec<TextItem>)>,
}

/// A laid-out panel.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelLayout {
    /// The plotting rectangle.
    pub plot: Rect,
    /// x mapping.
    pub x: AxisMap,
    /// y mapping.
    pub y: AxisMap,
    /// x tick pixels.
    pub x_ticks: Vec<f64>,
    /// y tick pixels.
    pub y_ticks: Vec<f64>,
    /// The legend of the labelled series, if any.
    pub legend: Option<LegendLayout>,
    /// Labels of spikes, by series index.
    pub spike_labels: Vec<(usize, Vec<TextItem>)>,
}
