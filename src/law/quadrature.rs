//! Gauss–Legendre quadrature, shared by the laws that integrate (Tracy–Widom's Fredholm
//! determinants) and by the tests that check densities integrate to their mass.
//!
//! Nodes are the roots of the Legendre polynomial P_k on [−1, 1], found by Newton's method from
//! Tricomi's initial guesses, with weights w_i = 2 / ((1 − x_i²) P_k'(x_i)²). The three-term
//! recurrence and Newton iteration give nodes and weights to a few ulp for k up to several
//! hundred[^1].
//!
//! [^1]: G. H. Golub and J. H. Welsch, "Calculation of Gauss quadrature rules", *Mathematics of
//!     Computation* 23 (1969); A. Townsend, "The race for high order Gauss–Legendre quadrature",
//!     *SIAM News* 48 (2015).

/// Nodes and weights of a Gauss–Legendre rule on an interval.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussLegendre {
    /// Nodes, ascending.
    pub nodes: Vec<f64>,
    /// Weights, positive, summing to the interval's length.
    pub weights: Vec<f64>,
}

impl GaussLegendre {
    /// The k-point rule on [−1, 1]. Exact for polynomials of degree ≤ 2k − 1.
    ///
    /// # Panics
    /// If `k == 0` (a rule needs at least one node).
    pub fn new(k: usize) -> Self {
        assert!(k > 0, "a Gauss–Legendre rule needs at least one node");
        let mut nodes = vec![0.0; k];
        let mut weights = vec![0.0; k];
        let kf = k as f64;
        for i in 0..k.div_ceil(2) {
            // Tricomi's approximation to the i-th largest root.
            let theta = std::f64::consts::PI * (4.0 * i as f64 + 3.0) / (4.0 * kf + 2.0);
            let mut x = (1.0 - (kf - 1.0) / (8.0 * kf * kf * kf)) * theta.cos();
            let mut derivative = 0.0;
            for _ in 0..100 {
                let (p, dp) = legendre_and_derivative(k, x);
                derivative = dp;
                let dx = p / dp;
                x -= dx;
                if dx.abs() <= 1e-16 * x.abs().max(1.0) {
                    let (_, dp) = legendre_and_derivative(k, x);
                    derivative = dp;
                    break;
                }
            }
            let w = 2.0 / ((1.0 - x * x) * derivative * derivative);
            nodes[i] = -x;
            nodes[k - 1 - i] = x;
            weights[i] = w;
            weights[k - 1 - i] = w;
        }
        if k % 2 == 1 {
            nodes[k / 2] = 0.0;
        }
        GaussLegendre { nodes, weights }
    }

    /// The k-point rule mapped affinely to [a, b].
    pub fn on_interval(k: usize, a: f64, b: f64) -> Self {
        let mut rule = Self::new(k);
        let half = 0.5 * (b - a);
        let mid = 0.5 * (a + b);
        for (x, w) in rule.nodes.iter_mut().zip(rule.weights.iter_mut()) {
            *x = mid + half * *x;
            *w *= half;
        }
        rule
    }

    /// Σ wᵢ f(xᵢ).
    pub fn integrate(&self, f: impl Fn(f64) -> f64) -> f64 {
        self.nodes.iter().zip(&self.weights).map(|(&x, &w)| w * f(x)).sum()
    }
}

/// P_k(x) and P_k'(x) by the three-term recurrence.
fn legendre_and_derivative(k: usize, x: f64) -> (f64, f64) {
    let mut p0 = 1.0;
    let mut p1 = x;
    for j in 2..=k {
        let jf = j as f64;
        let p2 = ((2.0 * jf - 1.0) * x * p1 - (jf - 1.0) * p0) / jf;
        p0 = p1;
        p1 = p2;
    }
    if k == 0 {
        return (1.0, 0.0);
    }
    let kf = k as f64;
    let dp = kf * (x * p1 - p0) / (x * x - 1.0);
    (p1, dp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_polynomials_exactly() {
        for k in [1, 2, 5, 10, 40, 101] {
            let rule = GaussLegendre::new(k);
            assert!((rule.weights.iter().sum::<f64>() - 2.0).abs() < 1e-14, "k = {k}");
            // ∫_{-1}^{1} x^{2j} dx = 2/(2j+1), exact for 2j ≤ 2k − 1.
            for j in 0..k {
                let exact = 2.0 / (2.0 * j as f64 + 1.0);
                let got = rule.integrate(|x| x.powi(2 * j as i32));
                assert!((got - exact).abs() < 1e-13, "k = {k}, j = {j}: {got} vs {exact}");
            }
            assert!(rule.nodes.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn maps_to_interval_and_integrates_smooth_functions() {
        // source: closed form, ∫_0^π sin x dx = 2 and ∫_0^1 e^x dx = e − 1.
        let rule = GaussLegendre::on_interval(30, 0.0, std::f64::consts::PI);
        assert!((rule.integrate(f64::sin) - 2.0).abs() < 1e-15);
        let rule = GaussLegendre::on_interval(20, 0.0, 1.0);
        assert!((rule.integrate(f64::exp) - (std::f64::consts::E - 1.0)).abs() < 1e-15);
    }
}
