//! How marks look: colours, line dashes, markers. The palette is chosen for readers with the
//! common colour-vision deficiencies; strategies pick from it in [`crate::figures::style`].
//!
//! The six data colours come from Okabe and Ito's and Paul Tol's colour-blind-safe sets[^oi][^tol],
//! chosen so that every pair differs by ΔE*ab ≥ 45 for normal vision and ≥ 19 under simulated
//! deuteranopia, protanopia and tritanopia (Machado et al.'s matrices[^machado]; the test below
//! computes both). The pairs a reader confused in earlier figures (Okabe–Ito orange and
//! vermilion, ΔE 33 and 18 under deuteranopia; sky blue and blue, ΔE 26) are not both used. Every
//! strategy also has its own marker shape, so no series is told apart by colour alone. Theory is
//! black: curves are drawn above histograms with a white halo and below the markers of estimates
//! (`svg::drawing_order`); theory values beside markers (the chain figures) are thin lines.
//!
//! [^oi]: M. Okabe and K. Ito, "Color Universal Design (CUD): how to make figures and presentations
//!     that are friendly to colorblind people" (2008).
//! [^tol]: P. Tol, "Colour schemes", SRON technical note SRON/EPS/TN/09-002 (2021).
//! [^machado]: G. M. Machado, M. M. Oliveira and L. A. F. Fernandes, "A physiologically-based model
//!     for simulation of color vision deficiency", *IEEE TVCG* 15 (2009).

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Black: theory curves and exact reference lines.
pub const BLACK: Colour = Colour(0, 0, 0);
/// White: background and halos.
pub const WHITE: Colour = Colour(255, 255, 255);
/// Dark grey: text of secondary importance, reference lines that are not theory.
pub const GREY: Colour = Colour(96, 96, 96);
/// Light grey: grid lines.
pub const GRID: Colour = Colour(232, 232, 232);

/// The data colours: Okabe–Ito blue, Okabe–Ito orange, Tol teal, Tol vibrant red, Tol indigo,
/// Tol wine, then Tol olive and a brown for further series.
pub const PALETTE: [Colour; 8] = [
    Colour(0x00, 0x72, 0xB2),
    Colour(0xE6, 0x9F, 0x00),
    Colour(0x44, 0xAA, 0x99),
    Colour(0xCC, 0x33, 0x11),
    Colour(0x33, 0x22, 0x88),
    Colour(0x88, 0x22, 0x55),
    Colour(0x99, 0x99, 0x33),
    Colour(0x8C, 0x51, 0x0A),
];

/// Marker shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Marker {
    /// Filled circle.
    Circle,
    /// Filled square.
    Square,
    /// Filled triangle pointing up.
    TriangleUp,
    /// Filled diamond.
    Diamond,
    /// Filled triangle pointing down.
    TriangleDown,
    /// A diagonal cross (stroked).
    Cross,
    /// An upright plus (stroked).
    Plus,
    /// An open circle (stroked).
    OpenCircle,
    /// A larger unfilled ring (stroked), which circles a marker drawn at the same place without
    /// hiding it: a value stated beside a measured one.
    Ring,
}

/// The dash pattern of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dash {
    /// Solid.
    #[default]
    Solid,
    /// Dashes of 7 px with 4 px gaps.
    Dashed,
    /// Dots of 2 px with 3 px gaps.
    Dotted,
    /// One of `of` lines that coincide, drawn as dashes of 5 px that take turns: line `index`
    /// shows in the `index`-th slot, so every colour of a set of identical curves stays visible.
    Interleaved {
        /// This line's slot, 0 ≤ index < of.
        index: u8,
        /// How many lines share the path.
        of: u8,
    },
}

impl Dash {
    /// SVG `stroke-dasharray` and `stroke-dashoffset` (None for solid).
    pub fn svg(self, width: f64) -> Option<(String, f64)> {
        match self {
            Dash::Solid => None,
            Dash::Dashed => Some(("7 4".into(), 0.0)),
            Dash::Dotted => Some((format!("{} 3", width.max(1.0)), 0.0)),
            Dash::Interleaved { index, of } => {
                let of = of.max(1) as f64;
                Some((format!("5 {}", 5.0 * (of - 1.0)), -5.0 * index as f64))
            }
        }
    }
}

/// How a series is drawn: colour, line width and dash, marker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Stroke and fill colour.
    pub colour: Colour,
    /// Line width in pixels.
    pub width: f64,
    /// Dash pattern of lines.
    pub dash: Dash,
    /// Marker of points (and of their legend entry).
    pub marker: Marker,
    /// Draw a white halo under lines, to lift them above what lies below (theory over data).
    pub halo: bool,
}

impl Style {
    /// A data style: `colour`, 1.8 px solid lines, `marker`.
    pub const fn data(colour: Colour, marker: Marker) -> Self {
        Style { colour, width: 1.8, dash: Dash::Solid, marker, halo: false }
    }

    /// The theory style: black, 2 px, solid, with a white halo.
    pub const fn theory() -> Self {
        Style { colour: BLACK, width: 2.0, dash: Dash::Solid, marker: Marker::Circle, halo: true }
    }

    /// A thin reference line (limits, bounds) in `colour` with `dash`.
    pub const fn reference(colour: Colour, dash: Dash) -> Self {
        Style { colour, width: 1.4, dash, marker: Marker::Circle, halo: false }
    }

    /// This style with another dash.
    pub const fn dashed(self, dash: Dash) -> Self {
        Style { dash, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linear(c: u8) -> f64 {
        let c = c as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }

    /// CIELAB (D65) of a linear-RGB triple.
    fn lab(rgb: [f64; 3]) -> [f64; 3] {
        let x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047;
        let y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
        let z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883;
        let f = |t: f64| if t > 216.0 / 24389.0 { t.cbrt() } else { (24389.0 / 27.0 * t + 16.0) / 116.0 };
        [116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))]
    }

    // source: Machado, Oliveira and Fernandes (2009), simulation matrices at severity 1.0
    // (deuteranopia, protanopia, tritanopia), applied to linear RGB.
    const DEFICIENCIES: [[[f64; 3]; 3]; 3] = [
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
    ];

    fn seen(c: Colour, deficiency: Option<&[[f64; 3]; 3]>) -> [f64; 3] {
        let rgb = [linear(c.0), linear(c.1), linear(c.2)];
        let rgb = match deficiency {
            None => rgb,
            Some(m) => std::array::from_fn(|i| (0..3).map(|j| m[i][j] * rgb[j]).sum::<f64>().clamp(0.0, 1.0)),
        };
        lab(rgb)
    }

    fn smallest_difference(colours: &[Colour], deficiency: Option<&[[f64; 3]; 3]>) -> f64 {
        let mut smallest = f64::INFINITY;
        for (i, a) in colours.iter().enumerate() {
            for b in &colours[i + 1..] {
                let (p, q) = (seen(*a, deficiency), seen(*b, deficiency));
                smallest = smallest.min((0..3).map(|k| (p[k] - q[k]).powi(2)).sum::<f64>().sqrt());
            }
        }
        smallest
    }

    #[test]
    fn the_strategy_colours_stay_apart_for_normal_and_deficient_colour_vision() {
        let six = &PALETTE[..6];
        assert!(smallest_difference(six, None) >= 45.0, "{}", smallest_difference(six, None));
        for m in &DEFICIENCIES {
            assert!(smallest_difference(six, Some(m)) >= 19.0, "{}", smallest_difference(six, Some(m)));
        }
        // The pair the issue found confusable (Okabe–Ito orange and vermilion) fails this bar.
        let confusable = [Colour(0xE6, 0x9F, 0x00), Colour(0xD5, 0x5E, 0x00)];
        assert!(smallest_difference(&confusable, Some(&DEFICIENCIES[0])) < 19.0);
        // Each colour stays distinct from the black of theory curves.
        for &c in six {
            assert!(seen(c, None)[0] >= 20.0, "{c:?} is too dark");
        }
    }

    #[test]
    fn interleaved_dashes_take_turns() {
        assert_eq!(Dash::Interleaved { index: 2, of: 5 }.svg(2.0), Some(("5 20".to_string(), -10.0)));
        assert_eq!(Dash::Solid.svg(2.0), None);
    }
}
