//! Power-law tail exponent of a spectrum: the continuous maximum-likelihood fit of Clauset,
//! Shalizi and Newman[^csn].
//!
//! For a lower cut-off x_min, the n_tail values x_i ≥ x_min are modelled by the density
//! p(x) = ((α − 1)/x_min)·(x/x_min)^(−α), whose MLE is
//!
//! α̂ = 1 + n_tail / Σ ln(x_i/x_min),   standard error (α̂ − 1)/√n_tail.
//!
//! x_min is the candidate (every sample value leaving at least [`MIN_TAIL`] values in the tail)
//! minimising the KS distance D = sup |S_emp(x) − (x/x_min)^(1−α̂)| between the tail's empirical
//! and fitted survival functions. The fit says how heavy a tail is *if* it is a power law; it
//! does not test that it is one (CSN's bootstrap goodness-of-fit is not done).
//!
//! WeightWatcher[^ww] fits the same model with the same x_min rule (through the `powerlaw`
//! package) to the eigenvalues of WᵀW and reports it as `alpha`; it reads α ∈ [2, 6] as
//! "heavy-tailed, well trained" and α > 6 as random-like or under-trained. Eigenvalues of S =
//! W Wᵀ/n differ from WeightWatcher's by the factor 1/n, which α does not depend on.
//!
//! [^csn]: A. Clauset, C. R. Shalizi and M. E. J. Newman, "Power-law distributions in empirical
//!     data", *SIAM Review* 51 (2009), 661–703.
//! [^ww]: C. H. Martin and M. W. Mahoney, "Implicit self-regularization in deep neural networks",
//!     *JMLR* 22 (2021); the `weightwatcher` package.

use serde::Serialize;

/// The fewest tail values a fit may use.
pub const MIN_TAIL: usize = 10;

/// The heavy-tail bound on the power-law exponent (WeightWatcher's upper end of [2, 6]).
pub const HEAVY_TAIL_ALPHA: f64 = 6.0;

/// How many standard errors of α̂ the heavy-tail rule asks below [`HEAVY_TAIL_ALPHA`]
/// ([`PowerLawFit::is_heavy_tailed`]).
pub const HEAVY_TAIL_STDERRS: f64 = 2.0;

/// A fitted power-law tail.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PowerLawFit {
    /// The exponent α̂ of the density.
    pub alpha: f64,
    /// Its standard error (α̂ − 1)/√n_tail.
    pub alpha_stderr: f64,
    /// The lower end of the fit range.
    pub x_min: f64,
    /// The largest value (upper end of the fit range).
    pub x_max: f64,
    /// Values in the tail.
    pub n_tail: usize,
    /// KS distance of the tail to the fitted law.
    pub ks_distance: f64,
}

impl PowerLawFit {
    /// Whether the tail is heavy in WeightWatcher's sense, α < 6, with confidence: α̂ + 2·SE < 6.
    ///
    /// α̂ alone is a poor guide when the tail is short: the fit uses as few as [`MIN_TAIL`]
    /// values, where SE = (α̂ − 1)/√n_tail is about a third of α̂ − 1, and the x_min search picks
    /// the tail that fits best, so a random matrix's sharp Marchenko–Pastur edge can come out
    /// with α̂ < 6 by chance. Treating α̂ as normal with that standard error (the MLE's asymptotic
    /// law at fixed x_min), α̂ + 2·SE < 6 says that the one-sided 97.7% upper confidence bound
    /// for α lies below 6; a tail estimated from few values has to be correspondingly heavier.
    /// Measured false "heavy-tailed" rates on correctly initialised layers, before and after
    /// this rule, are in `docs/weights.md` (`examples/entry_law_coverage.rs`).
    pub fn is_heavy_tailed(&self) -> bool {
        self.alpha + HEAVY_TAIL_STDERRS * self.alpha_stderr < HEAVY_TAIL_ALPHA
    }
}

/// Fits the tail of positive values sorted ascending; `None` with fewer than [`MIN_TAIL`]
/// positive values.
pub fn fit(sorted: &[f64]) -> Option<PowerLawFit> {
    let positive: Vec<f64> = sorted.iter().copied().filter(|&x| x > 0.0 && x.is_finite()).collect();
    let count = positive.len();
    if count < MIN_TAIL {
        return None;
    }
    let logs: Vec<f64> = positive.iter().map(|x| x.ln()).collect();
    // suffix[i] = Σ_{j ≥ i} ln x_j.
    let mut suffix = vec![0.0; count + 1];
    for i in (0..count).rev() {
        suffix[i] = suffix[i + 1] + logs[i];
    }
    let mut best: Option<PowerLawFit> = None;
    for start in 0..=count - MIN_TAIL {
        if start > 0 && positive[start] == positive[start - 1] {
            continue;
        }
        let n_tail = count - start;
        let sum = suffix[start] - n_tail as f64 * logs[start];
        if sum <= 0.0 {
            continue;
        }
        let alpha = 1.0 + n_tail as f64 / sum;
        let x_min = positive[start];
        let mut d: f64 = 0.0;
        for (i, &x) in positive[start..].iter().enumerate() {
            let model = (x / x_min).powf(1.0 - alpha);
            // Empirical survival just below and at x.
            let above = (n_tail - i) as f64 / n_tail as f64;
            let at = (n_tail - i - 1) as f64 / n_tail as f64;
            d = d.max((above - model).abs()).max((at - model).abs());
        }
        if best.is_none_or(|b| d < b.ks_distance) {
            best = Some(PowerLawFit {
                alpha,
                alpha_stderr: (alpha - 1.0) / (n_tail as f64).sqrt(),
                x_min,
                x_max: positive[count - 1],
                n_tail,
                ks_distance: d,
            });
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn recovers_the_exponent_of_a_pareto_sample_within_five_standard_errors() {
        // Pareto(α = 2.5, x_min = 1) by inversion: x = u^{−1/(α−1)}. The MLE has standard error
        // (α − 1)/√n; 5 SE is the house tolerance (the x_min search adds a little spread).
        let mut rng = crate::sample::trial_rng(17, 0);
        let mut x: Vec<f64> = (0..4000).map(|_| (1.0 - rng.random::<f64>()).powf(-1.0 / 1.5)).collect();
        x.sort_by(f64::total_cmp);
        let f = fit(&x).unwrap();
        assert!((f.alpha - 2.5).abs() < 5.0 * f.alpha_stderr, "{f:?}");
        assert!(f.n_tail > 1000, "{f:?}");
    }

    #[test]
    fn the_heavy_tail_rule_asks_two_standard_errors_below_six() {
        let fit = |alpha: f64, n_tail: usize| PowerLawFit {
            alpha,
            alpha_stderr: (alpha - 1.0) / (n_tail as f64).sqrt(),
            x_min: 1.0,
            x_max: 2.0,
            n_tail,
            ks_distance: 0.0,
        };
        // α̂ = 4 from 100 values: SE 0.3, bound 4.6 < 6. From 10 values: SE 0.95, bound 5.9 < 6.
        assert!(fit(4.0, 100).is_heavy_tailed() && fit(4.0, 10).is_heavy_tailed());
        // α̂ = 5 from 10 values: SE 1.26, bound 7.5; from 400 values: SE 0.2, bound 5.4.
        assert!(!fit(5.0, 10).is_heavy_tailed() && fit(5.0, 400).is_heavy_tailed());
        assert!(!fit(6.0, 1_000_000).is_heavy_tailed());
    }

    #[test]
    fn too_few_values_give_no_fit() {
        assert!(fit(&[1.0, 2.0, 3.0]).is_none());
    }
}
