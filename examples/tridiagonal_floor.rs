//! Where the time of the tridiagonal bulk null goes, and whether dqds on the bidiagonal is the
//! floor: per matrix of the Laguerre model at k×p (default 512×1024, what a 512×1024 spectrum
//! run's calibration draws 19·T times), one thread, on the same matrices:
//!
//! * sampling the 2k − 1 χ variates (`LaguerreTridiagonal::sample`),
//! * dqds on the bidiagonal B (`dbdsqr` without vectors, which calls `dlasq1`: what the null uses),
//! * `dsterf` (root-free QR) on T = B Bᵀ/n,
//! * `dstemr` (MRRR, eigenvalues only: `dlarre`'s dqds on a shifted L D Lᵀ) on T,
//! * counting the k eigenvalues on the 2²⁰-cell Marchenko–Pastur quantile grid (one MP CDF
//!   evaluation each: what a replicate does with them).
//!
//! With `--dump FILE` it also writes one matrix's T (k, then d, then e, little-endian f64) so that
//! scipy can time its own `dsterf`/`dstemr` on the same matrix (`bench/tridiagonal_floor.py`).
//!
//! ```text
//! cargo run --release --example tridiagonal_floor -- [K P MATRICES] [--dump FILE]
//! ```

use rmspec::law::MarchenkoPastur;
use rmspec::sample::trial_rng;
use rmspec::shape::Shape;
use rmspec::stats::{QuantileGridCounts, KS_GRID_CELLS};
use rmspec::tridiagonal::LaguerreTridiagonal;
use std::io::Write;
use std::time::Instant;

fn dstemr_values(d: &[f64], e: &[f64], w: &mut [f64]) -> i32 {
    let k = d.len();
    let (mut d, mut e2) = (d.to_vec(), e.to_vec());
    e2.push(0.0);
    let (mut found, mut tryrac, mut info) = (0i32, 1i32, 0i32);
    let mut z = [0.0f64];
    let mut isuppz = vec![0i32; 2 * k];
    let mut work = vec![0.0f64; 18 * k];
    let mut iwork = vec![0i32; 10 * k];
    // SAFETY: d has k entries, e has k (the last is workspace), w has k, work 18k and iwork 10k
    // (dstemr's documented minimum for JOBZ = 'N'); z is not referenced for JOBZ = 'N'.
    unsafe {
        lapack::dstemr(
            b'N',
            b'A',
            k as i32,
            &mut d,
            &mut e2,
            0.0,
            0.0,
            0,
            0,
            &mut found,
            w,
            &mut z,
            1,
            &[0],
            &mut isuppz,
            &mut tryrac,
            &mut work,
            18 * k as i32,
            &mut iwork,
            10 * k as i32,
            &mut info,
        )
    };
    info
}

fn main() -> rmspec::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dump = args.iter().position(|a| a == "--dump").map(|i| args[i + 1].clone());
    let numbers: Vec<usize> = args.iter().take_while(|a| *a != "--dump").map(|a| a.parse().expect("a count")).collect();
    let (k, p, matrices) = match numbers[..] {
        [k, p, t] => (k, p, t),
        _ => (512, 1024, 200),
    };
    let mut model = LaguerreTridiagonal::new(k, p, 1.0)?;
    let law = MarchenkoPastur::for_shape(Shape::new(k, p)?, 1.0)?;
    let mut grid = QuantileGridCounts::new(KS_GRID_CELLS)?;
    let (mut values, mut scratch) = (vec![0.0; k], Vec::new());
    let (mut other, mut off) = (vec![0.0; k], Vec::new());
    let mut seconds = [0.0f64; 5];
    let mut worst = [0.0f64; 2];
    for t in 0..matrices as u64 {
        let mut rng = trial_rng(7, t);
        let start = Instant::now();
        model.sample(&mut rng);
        seconds[0] += start.elapsed().as_secs_f64();
        let start = Instant::now();
        model.eigenvalues_by_dqds(&mut values, &mut scratch)?;
        seconds[1] += start.elapsed().as_secs_f64();
        let start = Instant::now();
        model.eigenvalues_by_dsterf(&mut other, &mut off)?;
        seconds[2] += start.elapsed().as_secs_f64();
        let scale = values[k - 1];
        worst[0] = worst[0].max(values.iter().zip(&other).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max) / scale);
        // T's off-diagonal is √(off²).
        let e: Vec<f64> = model.off_diagonal_squared().iter().map(|x| x.sqrt()).collect();
        let start = Instant::now();
        let info = dstemr_values(model.diagonal(), &e, &mut other);
        seconds[3] += start.elapsed().as_secs_f64();
        assert_eq!(info, 0, "dstemr info");
        worst[1] = worst[1].max(values.iter().zip(&other).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max) / scale);
        let start = Instant::now();
        grid.add_all(&law, &values);
        seconds[4] += start.elapsed().as_secs_f64();
        if t == 0 {
            if let Some(path) = &dump {
                let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("dump file"));
                out.write_all(&(k as f64).to_le_bytes()).unwrap();
                for x in model.diagonal().iter().chain(&e) {
                    out.write_all(&x.to_le_bytes()).unwrap();
                }
            }
        }
    }
    let per = |s: f64| s / matrices as f64 * 1e3;
    println!("Laguerre model {k}×{p}, {matrices} matrices, one thread, ms per matrix:");
    println!("  sampling 2k − 1 χ variates      {:8.3}", per(seconds[0]));
    println!("  dqds on B (dbdsqr → dlasq1)     {:8.3}", per(seconds[1]));
    println!(
        "  dsterf on T                     {:8.3}   (max |Δλ|/λ_max against dqds {:.1e})",
        per(seconds[2]),
        worst[0]
    );
    println!(
        "  dstemr (JOBZ = N) on T          {:8.3}   (max |Δλ|/λ_max against dqds {:.1e})",
        per(seconds[3]),
        worst[1]
    );
    println!("  MP quantile-grid counting       {:8.3}", per(seconds[4]));
    Ok(())
}
