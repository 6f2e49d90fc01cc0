//! From a network to its S-transform: the factors of each layer, the overall scale and the
//! atoms (the derivation is in the [module docs](super)).

use super::network::{DerivativeLaw, LayerMeanField, Network};
use crate::error::{Error, Result};
use crate::free::{LawFactor, STransform, Term};

/// A point mass of the law away from zero.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TopAtom {
    /// log of its position in units of the mean.
    pub log_position: f64,
    /// Its mass.
    pub mass: f64,
}

/// What the law is built from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Structure {
    /// The normalised S-transform of J Jᵀ/m₁.
    pub transform: STransform,
    /// log m₁ = Σ_ℓ log χ_ℓ (m₁ the mean squared singular value, over the w_L eigenvalues).
    pub log_scale: f64,
    /// The atom at the top (only for chains of projections and point masses).
    pub top: Option<TopAtom>,
    /// (q, E d) of the single smooth factor when nothing free stands beside it (see
    /// [`super::pushforward`]).
    pub single_smooth: Option<(f64, f64)>,
    /// Whether some factor is a smooth D² law (whose support reaches 0: tanh, gelu, swish).
    pub smooth: bool,
}

/// Builds the structure of J Jᵀ for the network, whose mean-field layers are given.
///
/// # Errors
/// [`Error::InvalidInput`] if the factors are inconsistent with the rank count (a bug).
pub(crate) fn structure(network: &Network, layers: &[(LayerMeanField, DerivativeLaw)]) -> Result<Structure> {
    let widths = &network.widths;
    let w_out = *widths.last().expect("validated: at least two widths") as f64;
    let r = |i: usize| widths[i] as f64 / w_out;
    // Changing dimension from w₀ to w_L: (1 + z)/(r₀ + z), i.e. terms (1 + z/1)^{+1}(1 + z/r₀)^{−1}
    // up to the constant r₀ that the normalisation S(0) = 1 absorbs.
    let mut terms = vec![Term { a: 1.0, exponent: 1 }, Term { a: r(0), exponent: -1 }];
    let mut laws: Vec<(LawFactor, u64)> = Vec::new();
    let mut log_scale = 0.0;
    let mut nonzero = r(0);
    let mut top_dimension = r(0); // the subspace every factor keeps at its top value (units of w_L)
    let mut log_top = 0.0;
    let mut smooth_layers = Vec::new();
    for (l, (layer, law)) in layers.iter().enumerate() {
        let (before, after) = (r(l), r(l + 1));
        log_scale += layer.chi.ln();
        if network.orthogonal() {
            // W Wᵀ = c²·I (fan-in ≤ fan-out) or c²·P with P a projection of trace w_ℓ/w_{ℓ−1}.
            if layer.fan_in > layer.fan_out {
                terms.push(Term { a: before, exponent: 1 });
                terms.push(Term { a: after, exponent: -1 });
                top_dimension = (top_dimension - (before - after)).max(0.0);
            }
            log_top += (layer.fan_in.max(layer.fan_out) as f64 * layer.variance).ln();
        } else {
            // Marchenko–Pastur: S(z) ∝ 1/(1 + z/r_ℓ) at the output's scale.
            terms.push(Term { a: after, exponent: -1 });
            top_dimension = 0.0;
        }
        nonzero = nonzero.min(after);
        match law {
            DerivativeLaw::PointMass(c) => log_top += c.ln(),
            DerivativeLaw::Bernoulli(p) => {
                // A projection of trace p: S(v) = (1 + v)/(p + v), v = z/r_ℓ.
                terms.push(Term { a: after, exponent: 1 });
                terms.push(Term { a: p * after, exponent: -1 });
                nonzero = nonzero.min(p * after);
                top_dimension = (top_dimension - (1.0 - p) * after).max(0.0);
            }
            DerivativeLaw::Smooth(discrete, _) => {
                top_dimension = 0.0;
                smooth_layers.push(l);
                let key = (layer.q.to_bits(), after.to_bits());
                match laws.iter_mut().find(|(f, k)| *k == key.0 && f.r.to_bits() == key.1) {
                    Some((f, _)) => f.count += 1,
                    None => laws.push((LawFactor { law: discrete.clone(), r: after, count: 1 }, key.0)),
                }
            }
        }
    }
    let transform = STransform::new(&terms, laws.into_iter().map(|(f, _)| f).collect())?;
    if (transform.nonzero_fraction() - nonzero).abs() > 1e-12 {
        return Err(Error::InvalidInput(format!(
            "inconsistent Jacobian factors: rank fraction {} from the widths, {} from the S-transform",
            nonzero,
            transform.nonzero_fraction()
        )));
    }
    let top = (top_dimension > 0.0).then_some(TopAtom { log_position: log_top - log_scale, mass: top_dimension });
    let single_smooth = (transform.terms().is_empty() && transform.laws().len() == 1 && transform.laws()[0].count == 1)
        .then(|| {
            let (layer, law) = &layers[smooth_layers[0]];
            (layer.q, law.mean())
        });
    Ok(Structure { transform, log_scale, top, single_smooth, smooth: !smooth_layers.is_empty() })
}
