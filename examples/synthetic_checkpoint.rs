//! Writes a BERT-base-shaped checkpoint (109.5M f32 parameters, 438 MB) of freshly initialised
//! weights in PyTorch layout, for measuring `rmspec weights` at scale (docs/performance.md). The
//! file is not committed; write it anywhere:
//!
//!     cargo run --release --example synthetic_checkpoint -- /tmp/bert-base-synthetic.safetensors
//!
//! Matrices are drawn with PyTorch's Linear default U(±1/√fan_in) (embeddings N(0, 1)); biases and
//! LayerNorm vectors are zeros and ones. Seeded: the same file every time.

use rmspec::initializer::Initializer;
use rmspec::sample::{sample_into, trial_rng};
use rmspec::Strategy;
use safetensors::{tensor::TensorView, Dtype};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: synthetic_checkpoint PATH")?;
    let (hidden, inner, vocab, layers) = (768usize, 3072usize, 30522usize, 12usize);
    // (name, stored shape [rows, cols] in torch layout, Some(fan_in) for Linear, None for N(0, 1) / vectors).
    let mut specs: Vec<(String, Vec<usize>)> = vec![
        ("embeddings.word_embeddings.weight".into(), vec![vocab, hidden]),
        ("embeddings.position_embeddings.weight".into(), vec![512, hidden]),
        ("embeddings.token_type_embeddings.weight".into(), vec![2, hidden]),
        ("embeddings.LayerNorm.weight".into(), vec![hidden]),
    ];
    for l in 0..layers {
        let p = format!("encoder.layer.{l}");
        for name in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
            specs.push((format!("{p}.{name}.weight"), vec![hidden, hidden]));
            specs.push((format!("{p}.{name}.bias"), vec![hidden]));
        }
        specs.push((format!("{p}.intermediate.dense.weight"), vec![inner, hidden]));
        specs.push((format!("{p}.intermediate.dense.bias"), vec![inner]));
        specs.push((format!("{p}.output.dense.weight"), vec![hidden, inner]));
        specs.push((format!("{p}.output.dense.bias"), vec![hidden]));
        specs.push((format!("{p}.output.LayerNorm.weight"), vec![hidden]));
    }
    specs.push(("pooler.dense.weight".into(), vec![hidden, hidden]));
    let mut data: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
    for (index, (name, shape)) in specs.into_iter().enumerate() {
        let values: Vec<f64> = if shape.len() == 1 {
            vec![if name.contains("LayerNorm") { 1.0 } else { 0.0 }; shape[0]]
        } else {
            let (out, fan_in) = (shape[0], shape[1]);
            let strategy = if name.contains("embeddings") {
                Strategy::fixed_variance(1.0)?
            } else {
                // U(±1/√fan_in) on the fan_in × out matrix.
                Strategy::Framework(Initializer::TorchDefault)
            };
            let mut w = vec![0.0; out * fan_in];
            // Column-major fan_in × out = the row-major [out, fan_in] torch tensor.
            sample_into(strategy, fan_in, out, &mut trial_rng(2026, index as u64), &mut w)?;
            w
        };
        let bytes = values.iter().flat_map(|&x| (x as f32).to_le_bytes()).collect();
        data.push((name, shape, bytes));
    }
    let parameters: usize = data.iter().map(|d| d.2.len() / 4).sum();
    let views: Vec<(String, TensorView<'_>)> = data
        .iter()
        .map(|(name, shape, bytes)| Ok((name.clone(), TensorView::new(Dtype::F32, shape.clone(), bytes)?)))
        .collect::<Result<_, safetensors::SafeTensorError>>()?;
    safetensors::serialize_to_file(views, None, std::path::Path::new(&path))?;
    println!("wrote {path}: {parameters} parameters");
    Ok(())
}
