//! Renders SVG files to PNG with rmspec's renderer (resvg with the bundled DejaVu Sans), to look
//! at committed figures as a reader's viewer would show them:
//!
//! ```sh
//! cargo run --release --example svg_to_png -- plots/*.svg --out /tmp/png [--dpi 192]
//! ```

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut inputs = Vec::new();
    let (mut out, mut dpi) = (PathBuf::from("."), rmspec::plot::DEFAULT_DPI);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = PathBuf::from(args.next().ok_or("--out needs a directory")?),
            "--dpi" => dpi = args.next().ok_or("--dpi needs a number")?.parse()?,
            _ => inputs.push(PathBuf::from(arg)),
        }
    }
    std::fs::create_dir_all(&out)?;
    for input in inputs {
        let png = rmspec::plot::png::from_svg(&std::fs::read(&input)?, dpi)?;
        let name = input.with_extension("png");
        let target = out.join(name.file_name().ok_or("an input without a file name")?);
        rmspec::output::write_atomic(&target, &png)?;
        println!("{}", target.display());
    }
    Ok(())
}
