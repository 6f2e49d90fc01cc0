//! Gauss quadrature rules: Gauss–Legendre, shared by the laws that integrate (Tracy–Widom's
//! Fredholm determinants) and by the tests that check densities integrate to their mass; and
//! Gauss–Hermite ([`GaussHermite`]), for expectations over a Gaussian (the mean-field gains of
//! [`crate::activation`]).
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

/// Nodes and weights of a Gauss–Hermite rule for expectations over z ~ N(0, 1):
/// E f(z) ≈ Σ wᵢ f(zᵢ).
///
/// The nodes are √2 times the roots of the physicists' Hermite polynomial H_k (weight e^{−x²}),
/// found by Newton's method on the *orthonormal* Hermite functions (three-term recurrence
/// p_j = x·√(2/j)·p_{j−1} − √((j−1)/j)·p_{j−2}, p_0 = π^{−1/4}, which neither overflows nor
/// underflows for k up to several hundred), from the asymptotic initial guesses of Numerical
/// Recipes[^1]. Weights are 2/(√π·p_k'(x)²) with p_k' = √(2k)·p_{k−1}, so they sum to 1.
///
/// The rule is exact for polynomials of degree ≤ 2k − 1. For functions analytic in a strip
/// |Im z| < d it converges geometrically in √k; poles close to the real axis (tanh(√q z) has
/// them at ±iπ/(2√q)) slow it down: see the accuracy measured in [`crate::activation`].
///
/// [^1]: W. H. Press, S. A. Teukolsky, W. T. Vetterling and B. P. Flannery, *Numerical Recipes*,
///     3rd ed., Cambridge University Press (2007), §4.6 (routine `gauher`); G. H. Golub and
///     J. H. Welsch, *Mathematics of Computation* 23 (1969).
#[derive(Debug, Clone, PartialEq)]
pub struct GaussHermite {
    /// Nodes zᵢ for N(0, 1), ascending.
    pub nodes: Vec<f64>,
    /// Probability weights, positive, summing to 1.
    pub weights: Vec<f64>,
}

impl GaussHermite {
    /// The longest rule [`new`](Self::new) builds (tested: distinct nodes, exact moments).
    pub const MAX_NODES: usize = 160;

    /// The k-point rule for N(0, 1), 1 ≤ k ≤ [`GaussHermite::MAX_NODES`].
    ///
    /// # Panics
    /// If `k == 0` or `k > MAX_NODES`: beyond about 180 nodes the asymptotic initial guesses
    /// send Newton's method to roots already found (measured), so longer rules are refused.
    pub fn new(k: usize) -> Self {
        assert!(
            (1..=Self::MAX_NODES).contains(&k),
            "a Gauss–Hermite rule needs 1 to {} nodes, not {k}",
            Self::MAX_NODES
        );
        let kf = k as f64;
        // Physicists' roots x (weight e^{−x²}), largest first, and their weights.
        let mut x = vec![0.0; k];
        let mut w = vec![0.0; k];
        let mut z = 0.0f64;
        for i in 0..k.div_ceil(2) {
            z = match i {
                0 => (2.0 * kf + 1.0).sqrt() - 1.85575 * (2.0 * kf + 1.0).powf(-0.16667),
                1 => z - 1.14 * kf.powf(0.426) / z,
                2 => 1.86 * z - 0.86 * x[0],
                3 => 1.91 * z - 0.91 * x[1],
                _ => 2.0 * z - x[i - 2],
            };
            let mut derivative = 1.0;
            for _ in 0..100 {
                let (p, pp) = hermite_function_and_derivative(k, z);
                derivative = pp;
                let dz = p / pp;
                z -= dz;
                if dz.abs() <= 1e-15 * z.abs().max(1.0) {
                    derivative = hermite_function_and_derivative(k, z).1;
                    break;
                }
            }
            x[i] = z;
            x[k - 1 - i] = -z;
            w[i] = 2.0 / (derivative * derivative);
            w[k - 1 - i] = w[i];
        }
        if k % 2 == 1 {
            x[k / 2] = 0.0;
        }
        let norm = std::f64::consts::PI.sqrt();
        let nodes: Vec<f64> = x.iter().rev().map(|v| v * std::f64::consts::SQRT_2).collect();
        let weights: Vec<f64> = w.iter().rev().map(|v| v / norm).collect();
        GaussHermite { nodes, weights }
    }

    /// Σ wᵢ f(zᵢ) ≈ E f(z), z ~ N(0, 1).
    pub fn expectation(&self, f: impl Fn(f64) -> f64) -> f64 {
        self.nodes.iter().zip(&self.weights).map(|(&z, &w)| w * f(z)).sum()
    }
}

/// The orthonormal Hermite function p_k(x) (physicists' H_k scaled to unit norm under e^{−x²})
/// and its derivative √(2k)·p_{k−1}(x), by the stable three-term recurrence.
fn hermite_function_and_derivative(k: usize, x: f64) -> (f64, f64) {
    const PI_M4: f64 = 0.751_125_544_464_942_5; // π^{−1/4}
    let mut p1 = PI_M4;
    let mut p2 = 0.0;
    for j in 1..=k {
        let jf = j as f64;
        let p3 = p2;
        p2 = p1;
        p1 = x * (2.0 / jf).sqrt() * p2 - ((jf - 1.0) / jf).sqrt() * p3;
    }
    (p1, (2.0 * k as f64).sqrt() * p2)
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
    fn gauss_hermite_integrates_gaussian_moments_exactly() {
        // source: closed form, E z^{2j} = (2j − 1)!! for z ~ N(0, 1).
        for k in [1, 2, 3, 4, 5, 10, 40, 80, 160] {
            let rule = GaussHermite::new(k);
            assert!((rule.weights.iter().sum::<f64>() - 1.0).abs() < 1e-14, "k = {k}");
            assert!(rule.nodes.windows(2).all(|w| w[0] < w[1]), "k = {k}");
            let mut double_factorial = 1.0;
            for j in 0..k.min(10) {
                if j > 0 {
                    double_factorial *= (2 * j - 1) as f64;
                }
                let got = rule.expectation(|z| z.powi(2 * j as i32));
                assert!((got - double_factorial).abs() < 1e-12 * double_factorial, "k = {k}, j = {j}: {got}");
                assert!(rule.expectation(|z| z.powi(2 * j as i32 + 1)).abs() < 1e-12 * double_factorial.max(1.0));
            }
        }
        // E cos z = e^{−1/2}.
        let rule = GaussHermite::new(40);
        assert!((rule.expectation(f64::cos) - (-0.5f64).exp()).abs() < 1e-15);
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
