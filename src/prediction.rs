//! What theory predicts for one strategy at one shape (m, n): the variance, the limiting
//! spectrum of S = W Wᵀ/n and its edges, the extreme singular values and condition numbers.
//!
//! Gaussian strategies follow Bai–Yin / Marchenko–Pastur ([`BaiYin`]); these are m, n → ∞
//! limits, accurate to O(n^{−2/3}) relative at the edges for finite sizes (Tracy–Widom scale).
//! The orthogonal strategy is exact at every size: all min(m, n) singular values equal
//! c = √(max(m, n)·s2), so the nonzero eigenvalues of S all equal c²/n and κ = 1.

use crate::error::Result;
use crate::initializer::EntryLaw;
use crate::intervals::{EdgeIntervals, EdgeQuantiles, Interval};
use crate::law::{BaiYin, MarchenkoPastur, SpectralLaw, Support};
use crate::shape::Shape;
use crate::strategy::{Ensemble, Strategy};
use serde::Serialize;

/// Which law the prediction comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PredictionSource {
    /// Marchenko–Pastur bulk with Bai–Yin edges (m, n → ∞, γ = m/n fixed).
    MarchenkoPasturBaiYin,
    /// Exact: a scaled semi-orthogonal matrix has all singular values equal.
    ExactOrthogonal,
}

/// The predicted spectrum summary for one strategy at (m, n).
///
/// Serialised as the per-strategy object of `rmspec edges --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgePrediction {
    /// The strategy (written as its name).
    pub strategy: Strategy,
    /// The shape predicted for (not serialised: the document around it names it).
    #[serde(skip)]
    pub shape: Shape,
    /// Entry variance s2.
    pub variance: f64,
    /// Where the prediction comes from.
    pub source: PredictionSource,
    /// The entry law for iid strategies (`normal`, `uniform`, `truncated-normal`; absent for
    /// orthogonal ones). The Marchenko–Pastur bulk and the Bai–Yin edges depend on it only
    /// through the variance (universality, finite fourth moment); the Tracy–Widom edge
    /// fluctuations behind the intervals hold for all three (Pillai and Yin 2014), and their
    /// finite-size coverage for the non-Gaussian laws is measured in `docs/weights.md`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_law: Option<EntryLaw>,
    /// Support of the nonzero spectrum of S = W Wᵀ/n: s2(1 ± √γ)² for Gaussian strategies.
    pub mp_support: Support,
    /// Mass of S's eigenvalues at exactly zero: max(0, 1 − 1/γ).
    pub atom_at_zero: f64,
    /// Predicted ‖W‖ = σ_max.
    pub spectral_norm: f64,
    /// Predicted σ_min over the min(m, n) singular values.
    pub smallest_singular_value: f64,
    /// Predicted κ(W) = σ_max/σ_min (`null` in JSON when infinite: Gaussian with m = n).
    pub condition_number: f64,
    /// Predicted κ(S) = κ(W)².
    pub gram_condition_number: f64,
    /// Central prediction intervals at a finite size (see [`crate::intervals`]); present when
    /// built with [`EdgePrediction::with_level`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intervals: Option<EdgeIntervals>,
    /// The medians of the same finite-size laws (both ends of each "interval" are the median);
    /// present with `intervals`, for Gaussian strategies.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "serialize_medians")]
    pub medians: Option<EdgeIntervals>,
}

/// A limit is marked as not meant for the size when the finite-size median differs from it by
/// more than this fraction (see [`EdgePrediction::limit_not_meant_for_size`]).
pub const LIMIT_TOLERANCE: f64 = 0.10;

/// `medians` as `{spectral_norm: x, lambda_max: x, …}`.
fn serialize_medians<S: serde::Serializer>(medians: &Option<EdgeIntervals>, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let m = medians.as_ref().expect("skipped when absent");
    let mut s = serializer.serialize_struct("Medians", 5)?;
    s.serialize_field("spectral_norm", &m.spectral_norm.lower)?;
    s.serialize_field("lambda_max", &m.lambda_max.lower)?;
    s.serialize_field("lambda_min", &m.lambda_min.lower)?;
    s.serialize_field("smallest_singular_value", &m.smallest_singular_value.lower)?;
    s.serialize_field("condition_number", &m.condition_number.lower)?;
    s.end()
}

impl EdgePrediction {
    /// The prediction for `strategy` at a shape.
    ///
    /// # Errors
    /// A strategy built with an invalid variance (the validating constructors prevent it), or a
    /// shape and variance outside the Marchenko–Pastur law's range in doubles (γ = m/n below
    /// 1e-12, or s2(1 + √γ)² beyond the largest double: see [`MarchenkoPastur::new`]), named.
    pub fn new(strategy: Strategy, shape: Shape) -> Result<Self> {
        let variance = strategy.variance_for(shape);
        let by = BaiYin::for_shape(shape, variance)?;
        // Checked here, for both ensembles, so that `gaussian_law` cannot fail later.
        let atom_at_zero = by.marchenko_pastur()?.atom_at_zero();
        Ok(match strategy.ensemble() {
            Ensemble::Iid(entry_law) => EdgePrediction {
                strategy,
                shape,
                variance,
                source: PredictionSource::MarchenkoPasturBaiYin,
                entry_law: Some(entry_law),
                mp_support: Support { lower: by.lambda_min(), upper: by.lambda_max() },
                atom_at_zero,
                spectral_norm: by.spectral_norm(),
                smallest_singular_value: by.smallest_singular_value(),
                condition_number: by.condition_number(),
                gram_condition_number: by.gram_condition_number(),
                intervals: None,
                medians: None,
            },
            Ensemble::Orthogonal => {
                let c2 = shape.orthogonal_singular_value_squared(variance);
                let lambda = c2 / shape.n() as f64;
                EdgePrediction {
                    strategy,
                    shape,
                    variance,
                    source: PredictionSource::ExactOrthogonal,
                    entry_law: None,
                    mp_support: Support { lower: lambda, upper: lambda },
                    atom_at_zero,
                    spectral_norm: c2.sqrt(),
                    smallest_singular_value: c2.sqrt(),
                    condition_number: 1.0,
                    gram_condition_number: 1.0,
                    intervals: None,
                    medians: None,
                }
            }
        })
    }

    /// The prediction with central prediction intervals at coverage `level` (e.g. 0.95) and, for
    /// iid strategies, the finite-size medians (derived for Gaussian entries; for uniform and
    /// truncated-normal ones they hold by universality, with the coverage measured in
    /// `docs/weights.md`).
    ///
    /// # Errors
    /// As [`new`](Self::new), or a level outside (0, 1).
    pub fn with_level(strategy: Strategy, shape: Shape, level: f64) -> Result<Self> {
        let mut prediction = Self::new(strategy, shape)?;
        prediction.intervals = Some(match prediction.source {
            PredictionSource::MarchenkoPasturBaiYin => {
                prediction.medians = Some(EdgeQuantiles::medians(shape)?.intervals(prediction.variance));
                EdgeQuantiles::for_shape(shape, level)?.intervals(prediction.variance)
            }
            PredictionSource::ExactOrthogonal => {
                EdgeIntervals::exact_orthogonal(shape, prediction.variance, crate::intervals::check_level(level)?)
            }
        });
        Ok(prediction)
    }

    /// The Marchenko–Pastur law the Gaussian strategies' spectra follow (`None` for orthogonal).
    pub fn marchenko_pastur(&self) -> Option<MarchenkoPastur> {
        match self.source {
            PredictionSource::MarchenkoPasturBaiYin => Some(self.gaussian_law()),
            PredictionSource::ExactOrthogonal => None,
        }
    }

    /// The Marchenko–Pastur law of iid entries at this shape and variance: the law of an iid
    /// strategy's spectrum, and for orthogonal the Gaussian contrast its figures draw.
    ///
    /// # Panics
    /// Never for a prediction built by [`new`](Self::new), which returned the law's error instead
    /// (the shape and variance are not changed afterwards).
    pub fn gaussian_law(&self) -> MarchenkoPastur {
        MarchenkoPastur::for_shape(self.shape, self.variance)
            .expect("EdgePrediction::new checked that the Marchenko–Pastur law exists at this shape and variance")
    }
}

/// A summary of one matrix's spectrum that has both an m, n → ∞ limit and a finite-size
/// interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeQuantity {
    /// λ_min⁺(S), the smallest nonzero eigenvalue of S = W Wᵀ/n.
    LambdaMin,
    /// λ_max(S).
    LambdaMax,
    /// ‖W‖ = σ_max(W).
    SpectralNorm,
    /// σ_min(W) over the min(m, n) singular values.
    SmallestSingularValue,
    /// κ(W) = σ_max/σ_min.
    ConditionNumber,
}

impl EdgeQuantity {
    /// The five quantities, in table order.
    pub const ALL: [EdgeQuantity; 5] = [
        EdgeQuantity::LambdaMin,
        EdgeQuantity::LambdaMax,
        EdgeQuantity::SpectralNorm,
        EdgeQuantity::SmallestSingularValue,
        EdgeQuantity::ConditionNumber,
    ];
}

impl EdgePrediction {
    /// The predicted value of `quantity`: the m, n → ∞ limit (Gaussian) or the exact value
    /// (orthogonal).
    pub fn limit(&self, quantity: EdgeQuantity) -> f64 {
        match quantity {
            EdgeQuantity::LambdaMin => self.mp_support.lower,
            EdgeQuantity::LambdaMax => self.mp_support.upper,
            EdgeQuantity::SpectralNorm => self.spectral_norm,
            EdgeQuantity::SmallestSingularValue => self.smallest_singular_value,
            EdgeQuantity::ConditionNumber => self.condition_number,
        }
    }

    /// The finite-size interval of `quantity`, when built with [`with_level`](Self::with_level).
    pub fn interval(&self, quantity: EdgeQuantity) -> Option<Interval> {
        let i = self.intervals.as_ref()?;
        Some(match quantity {
            EdgeQuantity::LambdaMin => i.lambda_min,
            EdgeQuantity::LambdaMax => i.lambda_max,
            EdgeQuantity::SpectralNorm => i.spectral_norm,
            EdgeQuantity::SmallestSingularValue => i.smallest_singular_value,
            EdgeQuantity::ConditionNumber => i.condition_number,
        })
    }

    /// The median of `quantity` for one matrix of this size (from the same finite-size laws as
    /// the intervals), when built with [`with_level`](Self::with_level) for a Gaussian strategy.
    pub fn median(&self, quantity: EdgeQuantity) -> Option<f64> {
        let m = self.medians.as_ref()?;
        Some(
            match quantity {
                EdgeQuantity::LambdaMin => m.lambda_min,
                EdgeQuantity::LambdaMax => m.lambda_max,
                EdgeQuantity::SpectralNorm => m.spectral_norm,
                EdgeQuantity::SmallestSingularValue => m.smallest_singular_value,
                EdgeQuantity::ConditionNumber => m.condition_number,
            }
            .lower,
        )
    }

    /// Whether the m, n → ∞ limit of `quantity` is not meant for this size: it differs from the
    /// finite-size median by more than [`LIMIT_TOLERANCE`] (10%) of that median, or lies outside
    /// the central interval. The rule rmspec's tables use to mark a limit. Never for exact
    /// (orthogonal) predictions, and never without [`with_level`](Self::with_level).
    pub fn limit_not_meant_for_size(&self, quantity: EdgeQuantity) -> bool {
        match (self.source, self.median(quantity), self.interval(quantity)) {
            (PredictionSource::MarchenkoPasturBaiYin, Some(median), Some(interval)) => {
                let limit = self.limit(quantity);
                // An infinite limit (κ at m = n) or a NaN ratio counts as far from the median.
                let close = (limit / median - 1.0).abs() <= LIMIT_TOLERANCE;
                !interval.contains(limit) || !close
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaussian_prediction_uses_bai_yin_edges() {
        // m = 64, n = 256, arithmetic s2 = 2/320: σ_max = √s2 (16 + 8) = 24·√(1/160).
        let p = EdgePrediction::new(Strategy::Arithmetic, Shape::new(64, 256).unwrap()).unwrap();
        let s2: f64 = 2.0 / 320.0;
        assert!((p.spectral_norm - s2.sqrt() * 24.0).abs() < 1e-14);
        assert!((p.smallest_singular_value - s2.sqrt() * 8.0).abs() < 1e-14);
        assert!((p.condition_number - 3.0).abs() < 1e-14);
        assert!((p.mp_support.upper - s2 * 2.25).abs() < 1e-15); // (1 + √¼)²
        assert_eq!(p.atom_at_zero, 0.0);
    }

    #[test]
    fn orthogonal_prediction_is_exact_and_well_conditioned() {
        let p =
            EdgePrediction::new(Strategy::Orthogonal { variance: Some(0.5) }, Shape::new(300, 100).unwrap()).unwrap();
        assert_eq!(p.condition_number, 1.0);
        assert!((p.spectral_norm - (150.0f64).sqrt()).abs() < 1e-12);
        assert!((p.atom_at_zero - 2.0 / 3.0).abs() < 1e-15);
        assert_eq!(p.mp_support.lower, p.mp_support.upper);
    }

    #[test]
    fn limits_are_marked_as_not_meant_for_small_sizes_only() {
        // At 3×5 every Bai–Yin limit is far from what one matrix typically shows (issue 15:
        // λ_min⁺ +352%, κ −47% in a 40-trial run); at 400×1600 none is.
        let marked = |m, n| {
            let p = EdgePrediction::with_level(Strategy::He, Shape::new(m, n).unwrap(), 0.95).unwrap();
            EdgeQuantity::ALL.into_iter().filter(|&q| p.limit_not_meant_for_size(q)).collect::<Vec<_>>()
        };
        assert_eq!(marked(3, 5), EdgeQuantity::ALL);
        assert_eq!(marked(400, 1600), []);
        let exact =
            EdgePrediction::with_level(Strategy::Orthogonal { variance: None }, Shape::new(3, 5).unwrap(), 0.95);
        assert!(EdgeQuantity::ALL.into_iter().all(|q| !exact.as_ref().unwrap().limit_not_meant_for_size(q)));
        let without = EdgePrediction::new(Strategy::He, Shape::new(3, 5).unwrap()).unwrap();
        assert!(!without.limit_not_meant_for_size(EdgeQuantity::ConditionNumber));
    }

    #[test]
    fn condition_number_does_not_depend_on_the_variance() {
        // κ(W) = (√n + √m)/|√n − √m| for every Gaussian strategy: the analysis's claim that it
        // is lowest for geometric and highest for quadratic cannot hold.
        let kappas: Vec<f64> = Strategy::ALL_NAMED[..5]
            .iter()
            .map(|s| EdgePrediction::new(*s, Shape::new(128, 512).unwrap()).unwrap().condition_number)
            .collect();
        assert!(kappas.iter().all(|k| (k - kappas[0]).abs() < 1e-12 * kappas[0]), "{kappas:?}");
    }
}
