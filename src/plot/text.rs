//! Text in figures: the bundled DejaVu Sans, its advance widths (the layout's only font metric),
//! word wrapping, Unicode superscripts, and subscripts.
//!
//! Subscripts: Unicode has subscript digits and a few lower-case letters (`m₁`, `χₗ`), but no
//! capital or Greek ones, so figure text marks a subscript as `_{…}` (`D_{L}`, `σ_{b}²`): the
//! SVG writer sets it [`SUBSCRIPT_SCALE`] × smaller and [`SUBSCRIPT_DROP`] × size lower (a
//! `<tspan>` with `dy`, which every SVG renderer honours), and [`width`] measures it at that size.
//! The marks themselves take no width. A subscript holds no space, so wrapping never splits one.
//!
//! Widths are the sum of the glyphs' horizontal advances at the given size, without kerning; the
//! SVG turns kerning off (`font-kerning: none`), so a renderer with DejaVu Sans (resvg with the
//! bundled copy, or a viewer with the font installed) sets every string exactly this wide.

use std::sync::OnceLock;

/// DejaVu Sans (Bitstream Vera derivative; licence in `assets/fonts/LICENSE-DejaVu.txt`).
pub static DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// The `font-family` every SVG names: the bundled font first, then its metric-compatible
/// ancestor, then the viewer's sans-serif.
pub const FONT_FAMILY: &str = "'DejaVu Sans', 'Bitstream Vera Sans', sans-serif";

/// Ascent and descent of DejaVu Sans as fractions of the font size (hhea: 1901 and −483 of 2048).
pub const ASCENT: f64 = 0.928;
/// See [`ASCENT`].
pub const DESCENT: f64 = 0.236;

struct Metrics {
    /// Advance widths in font units, indexed by code point below 0x3000 (0 for a missing glyph).
    advances: Vec<u16>,
    /// Advance of the replacement glyph, for code points without a glyph.
    missing: u16,
    units_per_em: f64,
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let face = ttf_parser::Face::parse(DEJAVU_SANS, 0).expect("the bundled DejaVu Sans parses");
        let advance = |c: char| face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g)).unwrap_or(0);
        let missing = face.glyph_hor_advance(ttf_parser::GlyphId(0)).unwrap_or(0);
        let advances = (0u32..0x3000).map(|u| char::from_u32(u).map_or(0, advance)).collect();
        Metrics { advances, missing, units_per_em: f64::from(face.units_per_em()) }
    })
}

/// How much wider bold text is than regular text (an upper bound for DejaVu Sans Bold, whose
/// advances are at most about 10% wider); the layout measures and wraps bold text with it.
pub const BOLD_WIDTH: f64 = 1.1;

/// Size of a subscript relative to its text.
pub const SUBSCRIPT_SCALE: f64 = 0.7;
/// How far a subscript's baseline sits below the text's, as a fraction of the text's size.
pub const SUBSCRIPT_DROP: f64 = 0.25;

/// The runs of `text`: `(run, true)` for a subscript written `_{run}`, `(run, false)` between.
/// An unclosed `_{` is kept as plain text.
pub fn runs(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("_{") {
        let Some(len) = rest[start + 2..].find('}') else { break };
        if start > 0 {
            out.push((&rest[..start], false));
        }
        out.push((&rest[start + 2..start + 2 + len], true));
        rest = &rest[start + 3 + len..];
    }
    if !rest.is_empty() {
        out.push((rest, false));
    }
    out
}

/// `text` without its subscript marks, for contexts that cannot lower text (error messages,
/// tests that search figure text).
pub fn plain(text: &str) -> String {
    runs(text).into_iter().map(|(run, _)| run).collect()
}

/// Whether DejaVu Sans has a glyph for `c`.
pub fn has_glyph(c: char) -> bool {
    metrics().advances.get(c as usize).is_some_and(|&a| a > 0) || c == ' '
}

/// Width in pixels of `text` set in DejaVu Sans at `size` pixels.
/// Subscripts (`_{…}`) are measured at [`SUBSCRIPT_SCALE`] × `size`, their marks not at all.
pub fn width(text: &str, size: f64) -> f64 {
    let m = metrics();
    let units = |run: &str| -> u64 {
        run.chars()
            .map(|c| match m.advances.get(c as usize) {
                Some(&a) if a > 0 => u64::from(a),
                _ => u64::from(m.missing),
            })
            .sum()
    };
    runs(text)
        .into_iter()
        .map(|(run, sub)| units(run) as f64 * if sub { SUBSCRIPT_SCALE * size } else { size })
        .sum::<f64>()
        / m.units_per_em
}

/// Splits `text` into lines no wider than `max_width` at `size`, breaking at spaces (a single
/// word wider than the line stays whole on its own line).
pub fn wrap(text: &str, size: f64, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if line.is_empty() || width(&candidate, size) <= max_width {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// [`wrap`] for bold text, which is measured [`BOLD_WIDTH`] × wider: the regular wrapping to
/// `max_width` when every line, set bold, stays within `limit` (the room up to the canvas or
/// cell edge, which may include the right margin), else the text wrapped to
/// `max_width / BOLD_WIDTH`. Wrapping only when needed keeps the lines of titles that fit.
pub fn wrap_bold(text: &str, size: f64, max_width: f64, limit: f64) -> Vec<String> {
    let lines = wrap(text, size, max_width);
    if lines.iter().all(|l| width(l, size) * BOLD_WIDTH <= limit) {
        lines
    } else {
        wrap(text, size, max_width / BOLD_WIDTH)
    }
}

/// `k` in Unicode superscript digits (with `⁻` for a minus sign).
pub fn superscript(k: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s: String = k.unsigned_abs().to_string().chars().map(|d| DIGITS[d as usize - '0' as usize]).collect();
    if k < 0 {
        s.insert(0, '⁻');
    }
    s
}

/// 10 to the power `k` as `10⁻³`, `10¹²`.
pub fn power_of_ten(k: i64) -> String {
    format!("10{}", superscript(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_the_figures_use_has_a_glyph() {
        let used = "λ±√γ²³⁻⁰¹⁴⁵⁶⁷⁸⁹ᵀ₁₂⋯ℓ·×→−–—≈≤≥κσμ∞‖₊⁺½⅓∂ΠΣ∈ℝ↑ᐟ…∛";
        for c in used.chars() {
            assert!(has_glyph(c), "DejaVu Sans has no glyph for {c} (U+{:04X})", c as u32);
        }
    }

    #[test]
    fn subscripts_are_marked_runs_measured_smaller() {
        assert_eq!(runs("D_{L}W_{L}ᵀ"), vec![("D", false), ("L", true), ("W", false), ("L", true), ("ᵀ", false)]);
        assert_eq!(runs("a_{b"), vec![("a_{b", false)]);
        assert_eq!(runs("_{x}"), vec![("x", true)]);
        assert_eq!(plain("σ_{b}² = 0"), "σb² = 0");
        let expected = width("D", 10.0) + SUBSCRIPT_SCALE * width("L", 10.0);
        assert!((width("D_{L}", 10.0) - expected).abs() < 1e-12);
    }

    #[test]
    fn widths_scale_with_size_and_length() {
        // source: DejaVu Sans hmtx, 2048 units per em: '0' advances 1303 units, space 651.
        assert!((width("0", 2048.0) - 1303.0).abs() < 1e-9);
        assert!((width(" ", 2048.0) - 651.0).abs() < 1e-9);
        assert!((width("00", 14.0) - 2.0 * width("0", 14.0)).abs() < 1e-12);
    }

    #[test]
    fn wrapping_keeps_every_line_within_the_width() {
        let text = "m = 512, n = 1024, γ = m/n = 0.5, 50 trials per strategy, seed 1; atom at λ = 0 of mass 0.5";
        let lines = wrap(text, 14.0, 200.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|l| width(l, 14.0) <= 200.0));
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn bold_lines_are_rewrapped_only_when_they_would_overflow() {
        let text = "encoder.layer.0.attention.self.query.weight: eigenvalues of S = W Wᵀ/n vs Marchenko–Pastur";
        let regular = wrap(text, 14.0, 400.0);
        assert!(regular.iter().any(|l| width(l, 14.0) * BOLD_WIDTH > 400.0), "{regular:?}");
        let bold = wrap_bold(text, 14.0, 400.0, 400.0);
        assert!(bold.iter().all(|l| width(l, 14.0) * BOLD_WIDTH <= 400.0), "{bold:?}");
        assert_eq!(wrap_bold(text, 14.0, 400.0, 1.0e6), regular, "lines that fit the limit are kept");
        assert_eq!(wrap_bold("short title", 14.0, 400.0, 400.0), wrap("short title", 14.0, 400.0));
    }

    #[test]
    fn superscripts_are_unicode() {
        assert_eq!(power_of_ten(-3), "10⁻³");
        assert_eq!(power_of_ten(12), "10¹²");
        assert_eq!(superscript(0), "⁰");
    }
}
