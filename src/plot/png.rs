//! PNG from SVG with resvg: the figure's own SVG, rasterised with the bundled DejaVu Sans (no
//! system font is looked up), so a PNG shows exactly what the SVG lays out.

use super::text::DEJAVU_SANS;
use crate::error::{Error, Result};
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

/// Resolutions accepted (dots per inch): 24 (¼ of the SVG's pixel size) to 1200.
pub const DPI_RANGE: std::ops::RangeInclusive<u32> = 24..=1200;

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(DEJAVU_SANS.to_vec());
        db.set_sans_serif_family("DejaVu Sans");
        usvg::Options { font_family: "DejaVu Sans".into(), fontdb: Arc::new(db), ..usvg::Options::default() }
    })
}

/// Rasterises `svg` at `dpi` (96 dpi = one PNG pixel per SVG pixel) on a white background.
///
/// # Errors
/// `dpi` outside [`DPI_RANGE`], SVG that does not parse, or an image too large to allocate.
pub fn from_svg(svg: &[u8], dpi: u32) -> Result<Vec<u8>> {
    if !DPI_RANGE.contains(&dpi) {
        return Err(Error::invalid("dpi", dpi, "must be between 24 and 1200"));
    }
    let tree =
        usvg::Tree::from_data(svg, options()).map_err(|e| Error::InvalidInput(format!("SVG does not parse: {e}")))?;
    let scale = dpi as f32 / 96.0;
    let size = tree.size();
    let (w, h) = ((size.width() * scale).ceil() as u32, (size.height() * scale).ceil() as u32);
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| Error::InvalidInput(format!("a {w}×{h} PNG is too large to allocate")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| Error::InvalidInput(format!("PNG encoding failed: {e}")))
}
