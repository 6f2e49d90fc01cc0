//! Framework-style initialisers, written as a user's ML crate would write them, in f32 and in
//! PyTorch's layout (`weight` is out×in, row-major). The tests in `tests/` check them with
//! rmspec (a dev-dependency with `default-features = false`).

use rand::SeedableRng;
use rand_distr::{Distribution, Normal, StandardNormal, Uniform};

/// A layer's weight as PyTorch stores it: `out_features × in_features`, row-major, f32.
pub struct Linear {
    /// Input features (fan-in).
    pub in_features: usize,
    /// Output features (fan-out).
    pub out_features: usize,
    /// `weight[o * in_features + i]`.
    pub weight: Vec<f32>,
}

fn rng(seed: u64) -> rand_chacha::ChaCha8Rng {
    rand_chacha::ChaCha8Rng::seed_from_u64(seed)
}

/// `torch.nn.init.xavier_uniform_`: U(−a, a), a = gain·√(6/(fan_in + fan_out)).
pub fn xavier_uniform(in_features: usize, out_features: usize, gain: f32, seed: u64) -> Linear {
    let a = gain * (6.0 / (in_features + out_features) as f32).sqrt();
    let uniform = Uniform::new_inclusive(-a, a).expect("a finite, positive bound");
    let mut rng = rng(seed);
    let weight = (0..in_features * out_features).map(|_| uniform.sample(&mut rng)).collect();
    Linear { in_features, out_features, weight }
}

/// `torch.nn.init.kaiming_normal_` (fan_in mode, ReLU gain √2): N(0, 2/fan_in).
pub fn kaiming_normal(in_features: usize, out_features: usize, seed: u64) -> Linear {
    let normal = Normal::new(0.0f32, (2.0 / in_features as f32).sqrt()).expect("a positive sd");
    let mut rng = rng(seed);
    let weight = (0..in_features * out_features).map(|_| normal.sample(&mut rng)).collect();
    Linear { in_features, out_features, weight }
}

/// `torch.nn.init.orthogonal_(gain)`: the weight (out×in) has orthonormal rows or columns times
/// `gain`, every singular value equal to `gain`. Computed in f64 by modified Gram–Schmidt on a
/// Gaussian matrix (as PyTorch computes a QR), then stored in f32.
pub fn orthogonal(in_features: usize, out_features: usize, gain: f64, seed: u64) -> Linear {
    // Orthonormalise the rows of the shorter orientation: r vectors of length c, r ≤ c.
    let (r, c) = (in_features.min(out_features), in_features.max(out_features));
    let mut rng = rng(seed);
    let mut q: Vec<Vec<f64>> = (0..r).map(|_| (0..c).map(|_| StandardNormal.sample(&mut rng)).collect()).collect();
    for i in 0..r {
        for _ in 0..2 {
            // Twice for full f64 orthogonality ("twice is enough").
            for j in 0..i {
                let dot: f64 = q[i].iter().zip(&q[j]).map(|(a, b)| a * b).sum();
                let (head, tail) = q.split_at_mut(i);
                tail[0].iter_mut().zip(&head[j]).for_each(|(a, b)| *a -= dot * b);
            }
        }
        let norm = q[i].iter().map(|a| a * a).sum::<f64>().sqrt();
        q[i].iter_mut().for_each(|a| *a /= norm);
    }
    // weight is out×in; q is r×c with r = min: rows of q are the rows of weight when
    // out ≤ in, its columns otherwise.
    let mut weight = vec![0.0f32; in_features * out_features];
    for o in 0..out_features {
        for i in 0..in_features {
            let x = if out_features <= in_features { q[o][i] } else { q[i][o] };
            weight[o * in_features + i] = (gain * x) as f32;
        }
    }
    Linear { in_features, out_features, weight }
}
