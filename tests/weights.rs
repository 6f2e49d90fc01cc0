//! `rmspec weights` on fixtures written here, with planted structure the analysis must find:
//! a rank-one spike above the BBP threshold, a heavy-tailed layer, a rank-deficient one, and a
//! correctly initialised layer for every framework initialiser. Files are small (< 2 MB) and
//! written into a temporary directory. Cost: about 10 s in the optimised test profile.

use nalgebra::DMatrix;
use rand::RngExt;
use rmspec::initializer::{EntryLaw, Fans, Initializer};
use rmspec::sample::{sample, trial_rng};
use rmspec::weights::analysis::{InitTest, Tests, Verdict};
use rmspec::weights::layout::Layout;
use rmspec::weights::source::Checkpoint;
use rmspec::weights::{analyse, ModelAnalysis, Options};
use rmspec::{Shape, Strategy};
use safetensors::{tensor::TensorView, Dtype};
use std::path::{Path, PathBuf};

struct Tensor {
    name: String,
    dtype: Dtype,
    shape: Vec<usize>,
    bytes: Vec<u8>,
}

fn f32_tensor(name: &str, shape: Vec<usize>, values: &[f64]) -> Tensor {
    let bytes = values.iter().flat_map(|&x| (x as f32).to_le_bytes()).collect();
    Tensor { name: name.into(), dtype: Dtype::F32, shape, bytes }
}

/// PyTorch stores W (m×n, fan-in rows) as the [n, m] row-major array Wᵀ: W's column-major data.
fn torch(name: &str, w: &DMatrix<f64>) -> Tensor {
    f32_tensor(name, vec![w.ncols(), w.nrows()], w.as_slice())
}

/// Keras/Flax store W as the [m, n] row-major array: Wᵀ's column-major data.
fn keras(name: &str, w: &DMatrix<f64>) -> Tensor {
    f32_tensor(name, vec![w.nrows(), w.ncols()], w.transpose().as_slice())
}

fn write(path: &Path, tensors: &[Tensor]) {
    let views: Vec<(String, TensorView<'_>)> = tensors
        .iter()
        .map(|t| (t.name.clone(), TensorView::new(t.dtype, t.shape.clone(), &t.bytes).unwrap()))
        .collect();
    safetensors::serialize_to_file(views, None, path).unwrap();
}

fn options(layout: Option<Layout>, init: Option<Initializer>, false_alarm: f64, replicates: usize) -> Options {
    Options { layout, include: vec![], exclude: vec![], tests: Tests { false_alarm, init }, replicates, seed: 7 }
}

fn run(paths: &[PathBuf], options: &Options) -> ModelAnalysis {
    analyse(&Checkpoint::open(paths).unwrap(), options).unwrap()
}

fn layer<'a>(report: &'a ModelAnalysis, name: &str) -> &'a rmspec::weights::Layer {
    report.layers.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no layer {name}: {report:#?}"))
}

fn unit_vector(len: usize, seed: u64) -> Vec<f64> {
    let v = sample(Strategy::fixed_variance(1.0).unwrap(), len, 1, &mut trial_rng(seed, 0)).unwrap();
    let norm = v.norm();
    v.iter().map(|x| x / norm).collect()
}

#[test]
fn planted_structures_are_found() {
    let dir = tempfile::tempdir().unwrap();
    let (m, n) = (300, 900);
    let s2 = 1.0 / m as f64;
    let noise = || sample(Strategy::fixed_variance(s2).unwrap(), m, n, &mut trial_rng(1, 0)).unwrap();
    // Rank-one spike W = X + θ·√(N·s2)·u vᵀ, θ = 2 > c^{1/4} = 0.76 (c = 1/3).
    let (big, c, theta) = (n as f64, m as f64 / n as f64, 2.0);
    let (u, v) = (unit_vector(m, 2), unit_vector(n, 3));
    let mut spiked = noise();
    for i in 0..m {
        for j in 0..n {
            spiked[(i, j)] += theta * (big * s2).sqrt() * u[i] * v[j];
        }
    }
    // Heavy tails: symmetric Pareto entries with tail index 1.5 (infinite variance).
    let mut rng = trial_rng(4, 0);
    let heavy = DMatrix::from_fn(m, n, |_, _| {
        let x = (1.0 - rng.random::<f64>()).powf(-1.0 / 1.5);
        if rng.random::<bool>() {
            x
        } else {
            -x
        }
    });
    // Rank 20.
    let a = sample(Strategy::fixed_variance(1.0).unwrap(), m, 20, &mut trial_rng(5, 0)).unwrap();
    let b = sample(Strategy::fixed_variance(s2).unwrap(), 20, n, &mut trial_rng(6, 0)).unwrap();
    let low_rank = &a * &b / 20f64.sqrt();
    let path = dir.path().join("planted.safetensors");
    let mut tensors = vec![
        torch("spike.weight", &spiked),
        torch("heavy.weight", &heavy),
        torch("lowrank.weight", &low_rank),
        torch("noise.weight", &noise()),
        f32_tensor("spike.bias", vec![n], &vec![0.0; n]),
        Tensor { name: "position_ids".into(), dtype: Dtype::I64, shape: vec![4], bytes: vec![0; 32] },
    ];
    let mut broken = noise();
    broken[(3, 4)] = f64::NAN;
    broken[(5, 6)] = f64::INFINITY;
    tensors.push(torch("broken.weight", &broken));
    write(&path, &tensors);
    let report = run(&[path], &options(None, None, 0.05, 79));
    assert_eq!(report.layout, Layout::Torch, "auto layout from '.weight' names");

    let spike = layer(&report, "spike.weight");
    assert_eq!((spike.stats.shape.m(), spike.stats.shape.n()), (m, n), "torch [out, in] read as m = fan-in rows");
    assert_eq!(spike.stats.verdict, Verdict::Spikes, "{:#?}", spike.stats.outliers);
    assert_eq!(spike.stats.outlier_count, 1);
    // The outlier sits where BGN predict, √(N s2)·√((1 + θ²)(c + θ²))/θ, and inverting the map
    // recovers θ. Supercritical outliers fluctuate by O(1/√N) (about 0.03 here) around a
    // limit with O(1/N) bias: 0.1 is about 3 of those.
    let predicted = rmspec::weights::analysis::bbp_outlier(theta, c);
    let seen = spike.stats.outliers[0].singular_value / (big * s2).sqrt();
    assert!((seen - predicted).abs() < 0.1, "outlier at {seen}, BGN {predicted}");
    let signal = spike.stats.outliers[0].signal / (big * spike.stats.fit.variance).sqrt();
    assert!((signal - theta).abs() < 0.15, "signal {signal}");
    assert!(spike.stats.bbp_threshold < spike.stats.outliers[0].signal);

    assert_eq!(layer(&report, "heavy.weight").stats.verdict, Verdict::HeavyTailed);
    let alpha = layer(&report, "heavy.weight").stats.power_law.unwrap().alpha;
    // ESD tail exponent 1 + μ/2 = 1.75 for μ = 1.5 (Martin & Mahoney); loose: finite size.
    assert!(alpha > 1.3 && alpha < 2.6, "α̂ = {alpha}");
    let low = layer(&report, "lowrank.weight");
    assert_eq!((low.stats.verdict, low.stats.rank), (Verdict::RankDeficient, 20));
    assert_eq!(layer(&report, "noise.weight").stats.verdict, Verdict::RandomLike);

    let reason = |name: &str| report.skipped.iter().find(|s| s.name == name).unwrap().reason.clone();
    assert!(reason("spike.bias").contains("1-D"), "{}", reason("spike.bias"));
    assert!(reason("position_ids").contains("integer dtype I64"), "{}", reason("position_ids"));
    let broken = report.skipped.iter().find(|s| s.name == "broken.weight").unwrap();
    assert_eq!(broken.non_finite.map(|c| (c.nan, c.infinite)), Some((1, 1)), "{broken:?}");
}

/// Draws the m×n layer an initialiser produces at `fans`.
fn draw(init: Initializer, fans: Fans, seed: u64) -> DMatrix<f64> {
    let strategy = match init.entry_law() {
        Some(law) => Strategy::Framework(Initializer::Fixed { law, variance: init.variance(fans) }),
        None => Strategy::Framework(init),
    };
    sample(strategy, fans.shape.m(), fans.shape.n(), &mut trial_rng(seed, 0)).unwrap()
}

#[test]
fn every_framework_initialiser_comes_out_random_like() {
    // α = 0.01 per layer; 13 dense and 2 conv layers: P(two or more false alarms) ≤ C(15, 2)·α²
    // ≈ 1%, so the test allows one.
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut cases: Vec<(Initializer, Vec<usize>, Layout)> = Initializer::defaults()
        .into_iter()
        .map(|init| {
            let layout = if init.to_string().contains("torch")
                || init.to_string().starts_with("xavier")
                || init.to_string().starts_with("kaiming")
            {
                Layout::Torch
            } else {
                Layout::Keras
            };
            let shape = if layout == Layout::Torch { vec![240, 96] } else { vec![96, 240] };
            (init, shape, layout)
        })
        .collect();
    // Convolutions: fan_out = out·kh·kw differs from n, which xavier uses.
    cases.push(("torch-default".parse().unwrap(), vec![32, 8, 3, 3], Layout::Torch));
    cases.push(("xavier-uniform".parse().unwrap(), vec![32, 8, 3, 3], Layout::Torch));
    for (i, (init, shape, layout)) in cases.into_iter().enumerate() {
        let view = rmspec::weights::layout::matrix_view("layer.weight", &shape, false, layout).unwrap();
        let w = draw(init, view.fans, 100 + i as u64);
        let tensor = match layout {
            Layout::Torch => torch("layer.weight", &w),
            _ => keras("layer/kernel", &w),
        };
        let tensor = Tensor { shape: shape.clone(), ..tensor };
        let path = dir.path().join(format!("init{i}.safetensors"));
        write(&path, &[tensor]);
        let report = run(&[path], &options(Some(layout), Some(init), 0.01, 299));
        let l = &report.layers[0];
        assert_eq!(l.stats.shape, view.fans.shape);
        if l.stats.verdict != Verdict::RandomLike {
            failures.push(format!("{init} {shape:?}: {:?} {:?}", l.stats.verdict, l.stats.init));
        }
    }
    assert!(failures.len() <= 1, "{failures:#?}");
}

#[test]
fn a_wrong_variance_is_named() {
    // He-normal weights claimed as LeCun-normal: ŝ2 is twice the claim.
    let dir = tempfile::tempdir().unwrap();
    let fans = Fans::matrix(Shape::new(96, 240).unwrap());
    let w = draw("he-normal".parse().unwrap(), fans, 9);
    let path = dir.path().join("he.safetensors");
    write(&path, &[keras("dense/kernel", &w)]);
    let report = run(&[path], &options(None, Some("lecun-normal".parse().unwrap()), 0.05, 79));
    let l = &report.layers[0];
    assert_eq!(report.layout, Layout::Keras);
    assert_eq!(l.stats.verdict, Verdict::WrongVariance, "{:?}", l.stats.init);
    let InitTest::Variance { ratio, .. } = l.stats.init.as_ref().unwrap().test else { panic!("{:?}", l.stats.init) };
    assert!((ratio - 2.0).abs() < 5.0 * 2.0 * l.stats.fit.variance_stderr / l.stats.fit.variance, "ratio {ratio}");
}

#[test]
fn torch_orthogonal_is_checked_exactly_and_reports_its_deviation_not_a_z() {
    // Regression (issue 13's loose end): for the exact orthogonal initialiser the report gave a z
    // of the median-matching ŝ2, which assumes iid entries, and called an iid Gaussian layer of
    // the same mean square `random-like`.
    let dir = tempfile::tempdir().unwrap();
    let shape = Shape::new(60, 100).unwrap();
    let orthogonal = draw("torch-orthogonal:1.5".parse().unwrap(), Fans::matrix(shape), 12);
    let mean_square = 1.5 * 1.5 / 100.0;
    let gaussian = sample(Strategy::fixed_variance(mean_square).unwrap(), 60, 100, &mut trial_rng(13, 0)).unwrap();
    let path = dir.path().join("orthogonal.safetensors");
    write(&path, &[torch("orthogonal.weight", &orthogonal), torch("gaussian.weight", &gaussian)]);
    let named = |init: &str| run(std::slice::from_ref(&path), &options(None, Some(init.parse().unwrap()), 0.01, 399));

    let report = named("torch-orthogonal:1.5");
    let exact = layer(&report, "orthogonal.weight");
    assert_eq!(exact.stats.verdict, Verdict::RandomLike, "{:?}", exact.stats.init);
    let comparison = exact.stats.init.as_ref().unwrap();
    let InitTest::Exact { singular_value, max_deviation, tolerance } = comparison.test else {
        panic!("{comparison:?}")
    };
    // Stored as f32: every σ within a few f32 roundings of 1.5, far inside the tolerance.
    assert_eq!(singular_value, 1.5);
    assert!(max_deviation < 1e-5 && max_deviation <= tolerance && comparison.consistent, "{comparison:?}");
    let json = serde_json::to_value(comparison).unwrap();
    assert!(json.get("z").is_none() && json.get("ratio").is_none(), "{json}");
    assert!(json["max_deviation"].is_number() && json["tolerance"].is_number(), "{json}");
    let gaussian = layer(&report, "gaussian.weight");
    assert_eq!(gaussian.stats.verdict, Verdict::NotOrthogonal, "{:?}", gaussian.stats);
    assert!(!gaussian.stats.init.as_ref().unwrap().consistent);

    // The same orthogonal matrix claimed at another gain.
    let report = named("torch-orthogonal:3");
    let other = layer(&report, "orthogonal.weight");
    assert_eq!(other.stats.verdict, Verdict::WrongVariance, "{:?}", other.stats.init);
}

fn npy_bytes(descr: &str, fortran: bool, shape: &[usize], data: &[u8]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(|d| d.to_string()).collect();
    let shape = if dims.len() == 1 { format!("({},)", dims[0]) } else { format!("({})", dims.join(", ")) };
    let mut header = format!(
        "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}",
        if fortran { "True" } else { "False" }
    );
    while (10 + header.len() + 1) % 64 != 0 {
        header.push(' ');
    }
    header.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(data);
    out
}

#[test]
fn npy_npz_dtypes_and_orders_give_the_same_spectrum() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let w = sample(Strategy::LeCun, 40, 70, &mut trial_rng(3, 0)).unwrap();
    // Reference: f64 little-endian, C order, keras [m, n].
    let c_order: Vec<f64> = w.transpose().as_slice().to_vec();
    let le64: Vec<u8> = c_order.iter().flat_map(|x| x.to_le_bytes()).collect();
    let be64: Vec<u8> = c_order.iter().flat_map(|x| x.to_be_bytes()).collect();
    // Fortran order of the [m, n] array: W's own column-major data.
    let fortran: Vec<u8> = w.as_slice().iter().flat_map(|x| x.to_le_bytes()).collect();
    let f16: Vec<u8> = c_order.iter().flat_map(|&x| half::f16::from_f64(x).to_le_bytes()).collect();
    let files = [
        ("ref.npy", npy_bytes("<f8", false, &[40, 70], &le64)),
        ("big.npy", npy_bytes(">f8", false, &[40, 70], &be64)),
        ("fortran.npy", npy_bytes("<f8", true, &[40, 70], &fortran)),
    ];
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let npz = dir.path().join("half.npz");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&npz).unwrap());
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("kernel.npy", deflated).unwrap();
    zip.write_all(&npy_bytes("<f2", false, &[40, 70], &f16)).unwrap();
    zip.start_file("steps.npy", deflated).unwrap();
    zip.write_all(&npy_bytes("<i8", false, &[2], &[0; 16])).unwrap();
    zip.finish().unwrap();
    let paths: Vec<PathBuf> =
        ["ref.npy", "big.npy", "fortran.npy", "half.npz"].iter().map(|n| dir.path().join(n)).collect();
    let report = run(&paths, &options(Some(Layout::Keras), None, 0.05, 79));
    let norm = |name: &str| layer(&report, name).stats.spectral_norm;
    let exact = rmspec::spectrum::singular_values(&w).unwrap();
    assert!((norm("ref") / exact[exact.len() - 1] - 1.0).abs() < 1e-13);
    assert_eq!(norm("big"), norm("ref"));
    assert!((norm("fortran") / norm("ref") - 1.0).abs() < 1e-13);
    // f16 rounding: relative 2^-11 per entry moves σ_max by far less than 1e-3.
    assert!((norm("kernel") / norm("ref") - 1.0).abs() < 1e-3);
    assert!(report.skipped.iter().any(|s| s.name == "steps" && s.reason.contains("integer")));
}

#[test]
fn streamed_qr_matches_dgesdd_on_tall_tensors_and_bf16_reads() {
    // 1200×50 (an embedding-like table) takes the streamed route; compare with dgesdd.
    let dir = tempfile::tempdir().unwrap();
    let w = sample(Strategy::fixed_variance(0.02).unwrap(), 1200, 50, &mut trial_rng(8, 0)).unwrap();
    let wide = w.transpose();
    let exact = rmspec::spectrum::singular_values(&w).unwrap();
    let bf16: Vec<u8> = w.transpose().as_slice().iter().flat_map(|&x| half::bf16::from_f64(x).to_le_bytes()).collect();
    let t = vec![
        Tensor {
            name: "word_embeddings.weight".into(),
            dtype: Dtype::F64,
            shape: vec![1200, 50],
            bytes: w.transpose().as_slice().iter().flat_map(|x| x.to_le_bytes()).collect(),
        },
        Tensor {
            name: "wide.weight".into(),
            dtype: Dtype::F64,
            shape: vec![1200, 50],
            bytes: wide.as_slice().iter().flat_map(|x| x.to_le_bytes()).collect(),
        },
        Tensor { name: "embed_bf16".into(), dtype: Dtype::BF16, shape: vec![1200, 50], bytes: bf16 },
    ];
    let path = dir.path().join("tall.safetensors");
    write(&path, &t);
    let report = run(&[path], &options(None, None, 0.05, 79));
    for name in ["word_embeddings.weight", "wide.weight"] {
        let l = layer(&report, name);
        assert_eq!(l.svd, rmspec::weights::singular::SvdRoute::StreamedQr, "{name}");
        let got = l.stats.eigenvalues.iter().map(|x| (x * l.stats.shape.n() as f64).sqrt());
        for (g, e) in got.zip(&exact) {
            assert!((g / e - 1.0).abs() < 1e-12, "{name}: {g} vs {e}");
        }
    }
    assert_eq!(layer(&report, "word_embeddings.weight").kind, rmspec::weights::layout::LayerKind::Embedding);
    let b = layer(&report, "embed_bf16").stats.spectral_norm;
    assert!((b / exact[exact.len() - 1] - 1.0).abs() < 1e-2, "bf16 σ_max {b}");
}

#[test]
fn shards_are_read_as_one_model_and_missing_ones_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let w = sample(Strategy::He, 30, 60, &mut trial_rng(2, 0)).unwrap();
    write(&dir.path().join("model-00001-of-00002.safetensors"), &[torch("a.weight", &w)]);
    write(&dir.path().join("model-00002-of-00002.safetensors"), &[torch("b.weight", &w)]);
    let report = run(&[dir.path().to_path_buf()], &options(None, None, 0.05, 79));
    assert_eq!(report.layers.len(), 2);
    std::fs::remove_file(dir.path().join("model-00002-of-00002.safetensors")).unwrap();
    let err = Checkpoint::open(&[dir.path().to_path_buf()]).unwrap_err().to_string();
    assert!(err.contains("incomplete shards"), "{err}");
    // With an index, the index decides.
    std::fs::write(
        dir.path().join("model.safetensors.index.json"),
        r#"{"weight_map": {"a.weight": "model-00001-of-00002.safetensors", "b.weight": "model-00002-of-00002.safetensors"}}"#,
    )
    .unwrap();
    let err = Checkpoint::open(&[dir.path().to_path_buf()]).unwrap_err().to_string();
    assert!(err.contains("missing shard"), "{err}");
}

#[test]
fn corrupt_files_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let w = sample(Strategy::He, 10, 20, &mut trial_rng(2, 0)).unwrap();
    let good = dir.path().join("good.safetensors");
    write(&good, &[torch("a.weight", &w)]);
    let bytes = std::fs::read(&good).unwrap();
    let check = |name: &str, data: &[u8], expect: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, data).unwrap();
        let err = Checkpoint::open(&[path]).unwrap_err().to_string();
        assert!(err.contains(expect) && !err.contains('\n'), "{name}: {err}");
    };
    check("truncated.safetensors", &bytes[..bytes.len() - 7], "invalid safetensors header");
    check("tiny.safetensors", &bytes[..5], "shorter than the 8-byte header size");
    let mut huge = bytes.clone();
    huge[..8].copy_from_slice(&(1u64 << 40).to_le_bytes());
    check("huge-header.safetensors", &huge, "invalid safetensors header");
    // An offset past the end of the data.
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let patched = text.replacen("\"data_offsets\":[0,800]", "\"data_offsets\":[0,900]", 1);
    assert_ne!(patched, text, "fixture header changed shape");
    check("offsets.safetensors", patched.as_bytes(), "invalid safetensors header");
    check("junk.npy", b"not an npy file at all", "invalid npy header");
    check("short.npy", &npy_bytes("<f4", false, &[10, 10], &[0; 40]), "truncated");
    check("junk.npz", b"PK junk", "not a valid npz");
    check("weights.bin", b"", "unknown checkpoint format");
}

#[test]
fn tests_entry_law_of_the_null_follows_the_named_initialiser() {
    let dir = tempfile::tempdir().unwrap();
    let fans = Fans::matrix(Shape::new(40, 90).unwrap());
    let w = draw("torch-default".parse().unwrap(), fans, 4);
    let path = dir.path().join("u.safetensors");
    write(&path, &[torch("fc.weight", &w)]);
    let report = run(std::slice::from_ref(&path), &options(None, Some("torch-default".parse().unwrap()), 0.05, 79));
    assert_eq!(report.layers[0].stats.fit.null_law, EntryLaw::Uniform.name());
    let report = run(&[path], &options(None, None, 0.05, 79));
    assert_eq!(report.layers[0].stats.fit.null_law, EntryLaw::Normal.name());
}
