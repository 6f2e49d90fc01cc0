//! The law of the squared singular values of a deep network's Jacobian (`rmspec::law::jacobian`)
//! against exact cases, closed forms and independent high-precision references.
//!
//! Independent routes used here: the Fuss–Catalan moments and the Penson–Życzkowski density
//! (closed forms); Marchenko–Pastur (rmspec's own law, itself tested against mpmath); the
//! arcsine law of two free projections; point masses for orthogonal linear chains; mpmath
//! solutions of the same equations by a different method (`scripts/reference/jacobian.py`);
//! and, for every law, the moments of the series of S set against integrals of the density
//! (which the solver computes point by point, never from the series).
//!
//! Cost: 7.6 s in the optimised test profile on the shared two-core machine under load.

use rmspec::activation::Activation;
use rmspec::law::jacobian::{JacobianLaw, MeanField, Network, Phase};
use rmspec::law::quadrature::GaussLegendre;
use rmspec::law::{MarchenkoPastur, SpectralLaw};
use rmspec::Strategy;

fn law(widths: Vec<usize>, strategy: Strategy, activation: Activation) -> JacobianLaw {
    JacobianLaw::new(&Network::new(widths, strategy, activation).unwrap()).unwrap()
}

fn orthogonal() -> Strategy {
    Strategy::Orthogonal { variance: None }
}

fn close(got: f64, want: f64, relative: f64) -> bool {
    (got - want).abs() <= relative * want.abs().max(1e-300)
}

/// ∫ xᵏ ρ(x) dx over the continuous part, from the density alone (the solver point by point):
/// Gauss–Legendre on t = log x between the 1e-13 quantile of the continuous part and the upper
/// edge, split at the middle, each half in u = √|t − end| (in `pieces` equal pieces of 24 nodes)
/// so that square-root and inverse-square-root edges become smooth. Independent of the law's
/// table and of its series.
fn density_moment(law: &JacobianLaw, k: i32, pieces: usize) -> f64 {
    let s = law.support();
    let top_mass = law.top_atom().map_or(0.0, |a| a.1);
    let continuous = 1.0 - law.atom_at_zero() - top_mass;
    let lowest = law.quantile(law.atom_at_zero() + 1e-13 * continuous).unwrap().max(s.lower);
    let (t_lo, t_hi) = (lowest.max(f64::MIN_POSITIVE).ln(), s.upper.ln());
    let mid = 0.5 * (t_lo + t_hi);
    let half = (mid - t_lo).sqrt();
    let rule = GaussLegendre::new(24);
    let mut xs = Vec::new();
    let mut weights = Vec::new();
    for piece in 0..pieces {
        let (a, b) = (half * piece as f64 / pieces as f64, half * (piece + 1) as f64 / pieces as f64);
        for (y, w) in rule.nodes.iter().zip(&rule.weights) {
            let u = 0.5 * (a + b) + 0.5 * (b - a) * y;
            let jacobian = 2.0 * u * 0.5 * (b - a) * w;
            for t in [t_hi - u * u, t_lo + u * u] {
                xs.push(t.exp());
                weights.push(jacobian);
            }
        }
    }
    // Descending x: the solver continues from one point to the next.
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&i, &j| xs[j].total_cmp(&xs[i]));
    let sorted: Vec<f64> = order.iter().map(|&i| xs[i]).collect();
    let rho = law.densities(&sorted).unwrap();
    order.iter().zip(&rho).map(|(&i, r)| weights[i] * r * xs[i].powi(k + 1)).sum()
}

fn binomial(n: u64, k: u64) -> f64 {
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

#[test]
fn square_gaussian_linear_chains_have_fuss_catalan_moments() {
    // source: closed form, the Fuss–Catalan numbers binom((L+1)k, k)/(Lk + 1) are the moments of
    // a product of L square Ginibre matrices at unit gain (Penson and Życzkowski 2011).
    for depth in [1u64, 2, 3, 5, 10, 50, 100, 200] {
        let law = law(vec![60; depth as usize + 1], Strategy::LeCun, Activation::Linear);
        for (k, m) in law.normalized_moments().iter().enumerate() {
            let k = k as u64 + 1;
            let want = binomial((depth + 1) * k, k) / (depth * k + 1) as f64;
            assert!(close(*m, want, 1e-12), "L = {depth}, k = {k}: {m} vs {want}");
        }
        assert_eq!(law.atom_at_zero(), 0.0);
        assert_eq!(law.support().lower, 0.0);
        // The upper edge of Fuss–Catalan(L): (L + 1)^{L+1}/L^L.
        let (l, l1) = (depth as f64, (depth + 1) as f64);
        let edge = (l1 * l1.ln() - l * l.ln()).exp();
        assert!(close(law.support().upper, edge, 1e-12), "L = {depth}: {} vs {edge}", law.support().upper);
    }
}

#[test]
fn fuss_catalan_density_of_order_two_matches_the_closed_form() {
    // source: scripts/reference/jacobian.py fc2 (the Penson–Życzkowski closed form, mpmath, 30
    // digits; checked there to integrate to 1 with moments 1, 3, 12).
    const FUSS_CATALAN_2: [(f64, f64); 7] = [
        (0.05, 1.7802788823327247),
        (0.3, 0.4750360062362858),
        (1.0, 0.17897912748802847),
        (2.5, 0.07410620283208808),
        (4.0, 0.04049313795116706),
        (6.0, 0.015045765651317764),
        (6.7, 0.003537205120490323),
    ];
    let law = law(vec![40, 40, 40], Strategy::LeCun, Activation::Linear);
    for (x, want) in FUSS_CATALAN_2 {
        let got = law.density(x);
        assert!(close(got, want, 1e-10), "x = {x}: {got} vs {want}");
    }
}

#[test]
fn one_layer_is_marchenko_pastur_with_its_atom() {
    // J Jᵀ = WᵀW (w₁ × w₁) for W ∈ ℝ^{w₀×w₁} of entry variance s2: Marchenko–Pastur with ratio
    // w₁/w₀ and scale w₀·s2, with an atom 1 − w₀/w₁ when w₁ > w₀ (width ratios up to 16).
    for (w0, w1) in [(100, 200), (200, 100), (50, 800), (800, 50), (64, 64)] {
        let strategy = Strategy::Arithmetic;
        let law = law(vec![w0, w1], strategy, Activation::Linear);
        let s2 = strategy.variance(w0, w1).unwrap();
        let mp = MarchenkoPastur::new(w1 as f64 / w0 as f64, w0 as f64 * s2).unwrap();
        let (s, t) = (law.support(), mp.support());
        assert!(
            close(s.upper, t.upper, 1e-12) && (s.lower - t.lower).abs() <= 1e-12 * t.upper,
            "{w0}→{w1}: {s:?} vs {t:?}"
        );
        assert!((law.atom_at_zero() - mp.atom_at_zero()).abs() < 1e-15, "{w0}→{w1}");
        for p in [0.001, 0.1, 0.35, 0.6, 0.9, 0.999] {
            let x = t.lower + p * (t.upper - t.lower);
            assert!(close(law.density(x), mp.density(x), 1e-10), "{w0}→{w1} density at {x}");
            assert!((law.cdf(x) - mp.cdf(x)).abs() < 1e-10, "{w0}→{w1} cdf at {x}: {} vs {}", law.cdf(x), mp.cdf(x));
        }
        for p in [0.97, 0.99] {
            let (a, b) = (law.quantile(p).unwrap(), mp.quantile(p).unwrap());
            assert!((a - b).abs() < 1e-9 * t.upper, "{w0}→{w1} quantile {p}: {a} vs {b}");
        }
    }
}

#[test]
fn one_relu_layer_is_marchenko_pastur_of_ratio_two() {
    // source: closed form. S = S_MP(1)·S_{Bernoulli(1/2)} = [1/(1 + z)]·[(1 + z)/(1 + 2z)] =
    // 1/(1 + 2z) (normalised): MP with ratio 2, whose mean is the He gain χ = 2·(1/2) = 1.
    let law = law(vec![80, 80], Strategy::He, Activation::Relu);
    let mp = MarchenkoPastur::new(2.0, 1.0).unwrap();
    assert!((law.atom_at_zero() - 0.5).abs() < 1e-15);
    for x in [0.2, 0.5, 1.0, 2.0, 4.0, 5.5] {
        assert!(close(law.density(x), mp.density(x), 1e-10), "x = {x}");
        assert!((law.cdf(x) - mp.cdf(x)).abs() < 1e-10, "x = {x}");
    }
    assert!(close(law.support().lower, mp.support().lower, 1e-12));
    assert!(close(law.largest_squared_singular_value(), mp.support().upper, 1e-12));
}

#[test]
fn orthogonal_linear_chains_are_point_masses() {
    // source: closed form. All singular values of the scaled semi-orthogonal W_ℓ equal c_ℓ with
    // c²_ℓ = max(w_{ℓ−1}, w_ℓ)·s2_ℓ; J is c₁⋯c_L times a partial isometry of rank min(widths).
    let cases: [(Vec<usize>, Strategy, f64, f64); 3] = [
        (vec![50, 50, 50, 50], Strategy::orthogonal_with_variance(1.5 / 50.0).unwrap(), 1.5f64.powi(3), 0.0),
        (vec![20, 40, 80], orthogonal(), (4.0f64 / 3.0).powi(2), 0.75),
        (vec![80, 40, 20], orthogonal(), (4.0f64 / 3.0).powi(2), 0.0),
    ];
    for (widths, strategy, position, atom) in cases {
        let law = law(widths.clone(), strategy, Activation::Linear);
        let (at, mass) = law.top_atom().unwrap_or_else(|| panic!("{widths:?}: no atom"));
        assert!(close(at, position, 1e-13) && (mass - (1.0 - atom)).abs() < 1e-13, "{widths:?}: {at} {mass}");
        assert!((law.atom_at_zero() - atom).abs() < 1e-13, "{widths:?}");
        assert_eq!(law.density(0.5 * position), 0.0);
        assert!((law.cdf(position * (1.0 - 1e-12)) - atom).abs() < 1e-13, "{widths:?}");
        assert_eq!(law.cdf(position), 1.0);
        assert!(close(law.quantile(0.999).unwrap(), position, 1e-13));
        for (k, m) in law.raw_moments().iter().enumerate() {
            assert!(close(*m, (1.0 - atom) * position.powi(k as i32 + 1), 1e-12), "{widths:?} k = {k}");
        }
        assert!(close(law.condition_number(), 1.0, 1e-13));
    }
}

#[test]
fn two_orthogonal_relu_layers_give_the_arcsine_law() {
    // source: closed form. D₂W₂ᵀD₁W₁ᵀ with square orthogonal W (c = 1) and D_ℓ² projections of
    // trace 1/2 in general position: the law of P Q P for free projections of trace 1/2 is
    // ½δ₀ + 1/(2π√(x(1 − x))) on [0, 1].
    let law = law(vec![64, 64, 64], orthogonal(), Activation::Relu);
    assert!((law.atom_at_zero() - 0.5).abs() < 1e-15 && law.top_atom().is_none());
    assert!(close(law.support().upper, 1.0, 1e-12), "{:?}", law.support());
    for x in [0.01f64, 0.2, 0.5, 0.8, 0.99] {
        let want = 1.0 / (2.0 * std::f64::consts::PI * (x * (1.0 - x)).sqrt());
        assert!(close(law.density(x), want, 1e-9), "x = {x}: {} vs {want}", law.density(x));
        // CDF: ½ + (1/π) asin(√x).
        let cdf = 0.5 + (x.sqrt()).asin() / std::f64::consts::PI;
        assert!((law.cdf(x) - cdf).abs() < 1e-9, "x = {x}: {} vs {cdf}", law.cdf(x));
    }
}

#[test]
fn hard_tanh_chains_have_their_atoms() {
    // source: scripts/reference/jacobian.py meanfield (mpmath): D(q) = P(|h| < 1) at q = 1.
    const P_AT_Q1: f64 = 0.6826894921370859;
    // D(q) = erf(1/√(2q)) goes through statrs' erf, measured 2.7e-11 below mpmath at 1/√2: the
    // comparisons with the reference allow 1e-10; those between the law's own numbers, 1e-14.
    const ERF: f64 = 1e-10;
    // Orthogonal: D_ℓ² are projections of trace p_ℓ in general position. Atom at 0:
    // 1 − min p_ℓ (the rank bottleneck); atom at the top: max(0, 1 − Σ(1 − p_ℓ)) (the subspace
    // every projection keeps).
    for depth in [1, 3, 10] {
        let law = law(vec![50; depth + 1], orthogonal(), Activation::HardTanh);
        let ps: Vec<f64> = law.layers().iter().map(|l| l.derivative_gain).collect();
        assert!((ps[0] - P_AT_Q1).abs() < ERF, "{}", ps[0]);
        let min = ps.iter().copied().fold(1.0, f64::min);
        assert!((law.atom_at_zero() - (1.0 - min)).abs() < 1e-14, "L = {depth}");
        let top = 1.0 - ps.iter().map(|p| 1.0 - p).sum::<f64>();
        match law.top_atom() {
            Some((_, mass)) => assert!((mass - top).abs() < 1e-13, "L = {depth}: {mass} vs {top}"),
            None => assert!(top <= 0.0, "L = {depth}: missing atom {top}"),
        }
    }
    // Gaussian: no atom at the top; the atom at 0 is still the bottleneck.
    let gaussian = law(vec![50; 11], Strategy::LeCun, Activation::HardTanh);
    assert!(gaussian.top_atom().is_none());
    assert!((gaussian.atom_at_zero() - (1.0 - P_AT_Q1)).abs() < ERF);
}

#[test]
fn hard_tanh_mean_field_closed_forms_match_mpmath() {
    // source: scripts/reference/jacobian.py meanfield: (q, M(q) = E φ(√q z)², D(q) = P(|√q z| < 1))
    // by mpmath.quad at 30 digits with the kinks as breakpoints. The closed forms go through
    // statrs' erf and erfc (measured 2.7e-11 off at 1/√2), hence 1e-10.
    const HARD_TANH: [(f64, f64, f64); 3] = [
        (0.25, 0.23013423140908076, 0.9544997361036416),
        (1.0, 0.5160585509617133, 0.6826894921370859),
        (4.0, 0.7405134605868807, 0.3829249225480262),
    ];
    for (q, m, d) in HARD_TANH {
        let got_m = Activation::HardTanh.second_moment(q).unwrap();
        let got_d = Activation::HardTanh.derivative_gain(q).unwrap();
        assert!(close(got_m, m, 1e-10) && close(got_d, d, 1e-10), "q = {q}: {got_m} {got_d}");
    }
}

#[test]
fn density_integrals_reproduce_the_series_moments() {
    // Two independent routes to E λᵏ: the series of S (layer moments, reversion) and integrals
    // of the density solved point by point. They agree to the quadrature's accuracy.
    // The last number: quadrature pieces (the density of the orthogonal swish chain, of mean
    // 2e-6, needs 640 for the integrals to reach 1e-9: 40 left the mass 1.2e-6 off, 160 the
    // first moment 2e-9, 320 the second 1.1e-9).
    let cases = [
        (vec![40; 3], Strategy::LeCun, Activation::Linear, 40),
        (vec![40; 6], Strategy::LeCun, Activation::Linear, 40),
        (vec![40; 4], Strategy::He, Activation::Relu, 40),
        (vec![40; 4], orthogonal(), Activation::Relu, 40),
        (vec![64, 128, 256, 128, 64], Strategy::Arithmetic, Activation::Linear, 40),
        (vec![40; 3], Strategy::LeCun, Activation::Tanh, 40),
        (vec![40; 4], orthogonal(), Activation::Tanh, 40),
        (vec![40; 4], orthogonal(), Activation::HardTanh, 40),
        // Deep lower tails that failed before the poles of the D² laws were found in logarithms
        // and taken about the zero of φ' (numerical failures, docs/jacobian.md, Robustness).
        (vec![40, 40], Strategy::He, Activation::Tanh, 40),
        (vec![40, 40], Strategy::He, Activation::Swish, 40),
        (vec![40; 11], orthogonal(), Activation::Swish, 640),
        (vec![40; 11], Strategy::He, Activation::Gelu, 40),
    ];
    for (widths, strategy, activation, pieces) in cases {
        let law = law(widths.clone(), strategy, activation);
        let top = law.top_atom().unwrap_or((0.0, 0.0));
        let mass = density_moment(&law, 0, pieces);
        let want = 1.0 - law.atom_at_zero() - top.1;
        assert!((mass - want).abs() < 1e-9, "{widths:?} {strategy} {activation}: mass {mass} vs {want}");
        for (k, m) in law.raw_moments().iter().enumerate().take(3) {
            let k = k as i32 + 1;
            let got = density_moment(&law, k, pieces) + top.1 * top.0.powi(k);
            assert!(close(got, *m, 1e-9), "{widths:?} {strategy} {activation} k = {k}: {got} vs {m}");
        }
    }
}

#[test]
fn mean_field_quantities_match_mpmath() {
    // source: scripts/reference/jacobian.py meanfield (mpmath.quad, 30 digits).
    const TANH_TRAJECTORY: [(f64, f64); 5] = [
        (1.0, 0.46440290244826826),
        (0.3942944903978412, 0.6365445624738773),
        (0.23645041049929594, 0.7267286831303128),
        (0.16665635380193874, 0.7818194467406926),
        (0.1279047352994149, 0.818797151461239),
    ];
    const TANH_FIXED_POINT: (f64, f64) = (0.5202161362624609, 0.8775127959757062);
    // The trapezoidal rule of the mean-field gains: 1e-14 relative (the Gauss–Hermite rule of
    // Activation::second_moment is 1e-8 at q = 2 for tanh).
    const TOLERANCE: f64 = 1e-13;
    let law = law(vec![30; 6], Strategy::LeCun, Activation::Tanh);
    for (layer, (q, d)) in law.layers().iter().zip(TANH_TRAJECTORY) {
        assert!(close(layer.q, q, TOLERANCE) && close(layer.derivative_gain, d, TOLERANCE), "{layer:?}");
        assert!(close(layer.chi, layer.sigma_w2 * d, 1e-15));
    }
    assert!(close(law.mean(), TANH_TRAJECTORY.iter().map(|x| x.1).product(), 1e-13));
    assert_eq!(law.phase(), Phase::Critical);
    let mut n = Network::new(vec![30; 4], Strategy::fixed_variance(1.5 / 30.0).unwrap(), Activation::Tanh).unwrap();
    n.bias_variance = 0.1;
    n.mean_field = MeanField::FixedPoint;
    let fixed = JacobianLaw::new(&n).unwrap();
    for layer in fixed.layers() {
        assert!(close(layer.q, TANH_FIXED_POINT.0, 1e-12) && close(layer.chi, TANH_FIXED_POINT.1, 1e-12), "{layer:?}");
    }
    assert!(close(fixed.chi_star(), TANH_FIXED_POINT.1, 1e-12));
    assert_eq!(fixed.phase(), Phase::Ordered);
    for (strategy, activation, phase) in [
        (Strategy::He, Activation::Relu, Phase::Critical),
        (Strategy::LeCun, Activation::Linear, Phase::Critical),
        (Strategy::fixed_variance(1.5 / 30.0).unwrap(), Activation::Tanh, Phase::Chaotic),
        (Strategy::fixed_variance(0.8 / 30.0).unwrap(), Activation::Tanh, Phase::Ordered),
    ] {
        assert_eq!(law_of(strategy, activation).phase(), phase, "{strategy} {activation}");
    }
}

fn law_of(strategy: Strategy, activation: Activation) -> JacobianLaw {
    law(vec![30; 4], strategy, activation)
}

#[test]
fn one_tanh_layer_density_matches_mpmath() {
    // source: scripts/reference/jacobian.py tanh1: one square Gaussian tanh layer (σ_w² = 1,
    // q = 1), the same equation x·t = E 1/(1 − t·d), d = tanh'(h)², solved by mpmath.findroot along
    // x + iy (y from 10 to 0) with mpmath.quad for the expectation, 30 digits. Independent of the
    // Rust solver's trapezoidal discretisation of the D² law and of its continuation.
    const TANH_ONE_LAYER: [(f64, f64); 6] = [
        (0.05, 2.0936115175102934),
        (0.2, 0.7909696957635577),
        (0.5, 0.40566929622103187),
        (1.0, 0.22841906116826963),
        (1.6, 0.13387514151313704),
        (2.2, 0.0645727752989874),
    ];
    let one = law(vec![40, 40], Strategy::LeCun, Activation::Tanh);
    for (x, want) in TANH_ONE_LAYER {
        assert!(close(one.density(x), want, 1e-9), "x = {x}: {} vs {want}", one.density(x));
    }
}

#[test]
fn one_orthogonal_gelu_or_swish_layer_has_its_cdf_at_the_singular_points() {
    // Regression (issue 14 item 4): `rmspec jacobian -w 100,100 -s orthogonal -a gelu` (and
    // swish) failed "consistency check" (gelu: mass 0.99838): one square orthogonal layer gives
    // the law of φ'(h)², h ~ N(0, q), and for gelu and swish φ'² has interior points where ρ is
    // singular (the negative minimum of φ', and, for gelu, φ' → 1 from above as h → ∞) that the
    // table's panels did not resolve. Independent values: φ' ≥ its minimum > −1 and φ' stays
    // above 1 beyond its first crossing h₁ of 1 (it falls back towards 1 from above), so
    // P(λ ≤ 1) = Φ(h₁/√q), with h₁ found by bisection on φ'(h) = 1 in [0, 3]; for gelu,
    // φ'' = φ(h)(2 − h²), so the upper edge is φ'(√2)² = (Φ(√2) + √2·φ(√2))². Tolerance: the
    // table's mass check, 1e-8.
    let normal_cdf = |x: f64| 0.5 * erfc_reference(-x / std::f64::consts::SQRT_2);
    for activation in [Activation::Gelu, Activation::Swish] {
        let law = law(vec![100, 100], orthogonal(), activation);
        let q = law.layers()[0].q;
        let (mut lo, mut hi) = (0.0f64, 3.0f64);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if activation.derivative(mid) < 1.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let want = normal_cdf(0.5 * (lo + hi) / q.sqrt());
        let got = law.cdf(1.0);
        assert!((got - want).abs() < 1e-8, "{activation}: P(λ ≤ 1) = {got}, Φ(h₁/√q) = {want}");
        assert!((law.cdf(law.quantile(0.5).unwrap()) - 0.5).abs() < 1e-9, "{activation}");
        if activation == Activation::Gelu {
            let root2 = std::f64::consts::SQRT_2;
            let phi = (-1.0f64).exp() / (2.0 * std::f64::consts::PI).sqrt();
            let edge = (normal_cdf(root2) + root2 * phi).powi(2);
            assert!(close(law.support().upper, edge, 1e-10), "{} vs {edge}", law.support().upper);
        }
    }
}

/// erfc by its continued fraction / series (independent of rmspec's normal CDF): the series
/// erf x = 2/√π Σ (−1)ⁿ x^{2n+1}/(n!(2n+1)) for |x| < 3, Lentz's continued fraction beyond.
fn erfc_reference(x: f64) -> f64 {
    if x.abs() < 3.0 {
        let mut term = x;
        let mut sum = x;
        for n in 1..200 {
            term *= -x * x / n as f64;
            sum += term / (2 * n + 1) as f64;
            if term.abs() < 1e-18 {
                break;
            }
        }
        1.0 - 2.0 / std::f64::consts::PI.sqrt() * sum
    } else if x > 0.0 {
        // erfc x = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))).
        let mut fraction = x;
        for n in (1..200).rev() {
            fraction = x + 0.5 * n as f64 / fraction;
        }
        (-x * x).exp() / std::f64::consts::PI.sqrt() / fraction
    } else {
        2.0 - erfc_reference(-x)
    }
}

#[test]
fn every_law_is_a_distribution() {
    // cdf non-decreasing from the atom to 1, sf = 1 − cdf, density ≥ 0, quantile(cdf(x)) ≈ x.
    let cases = [
        (vec![40; 3], Strategy::LeCun, Activation::Linear),
        (vec![30, 60], Strategy::LeCun, Activation::Relu),
        (vec![40; 6], Strategy::He, Activation::Relu),
        (vec![16, 256, 16, 256, 16], Strategy::LeCun, Activation::Tanh),
        (vec![40; 11], orthogonal(), Activation::Tanh),
        (vec![40; 4], orthogonal(), Activation::HardTanh),
    ];
    for (widths, strategy, activation) in cases {
        let law = law(widths.clone(), strategy, activation);
        let s = law.support();
        assert_eq!(law.cdf(-1.0), 0.0, "{widths:?} {activation}");
        // support() is the continuous part's; the top atom, when there is one, lies above it.
        let above = law.cdf(law.largest_squared_singular_value() * 1.0001);
        assert!((above - 1.0).abs() < 1e-15, "{widths:?} {activation}: cdf above the support {above}");
        let mut previous = law.cdf(0.0);
        assert!(previous >= law.atom_at_zero() - 1e-15);
        for i in 1..=2000 {
            let x = s.upper * i as f64 / 2000.0;
            let c = law.cdf(x);
            assert!(c >= previous - 1e-15, "{widths:?} {activation}: cdf decreases at {x}");
            assert!((c + law.sf(x) - 1.0).abs() < 1e-13);
            previous = c;
        }
        for p in [0.01, 0.2, 0.5, 0.8, 0.99] {
            let p = law.atom_at_zero() + p * (1.0 - law.atom_at_zero() - law.top_atom().map_or(0.0, |a| a.1));
            let x = law.quantile(p).unwrap();
            assert!((law.cdf(x) - p).abs() < 1e-9, "{widths:?} {activation}: cdf(quantile({p})) = {}", law.cdf(x));
            assert!(law.density(x) >= 0.0);
        }
        assert!(law.variance() >= 0.0 && law.mean() > 0.0);
    }
}

#[test]
fn deep_and_rectangular_chains_stay_finite() {
    // Depth 100–300 and width ratios of 16: the scale is carried as a logarithm.
    let cases = [
        (vec![20; 201], Strategy::He, Activation::Linear),
        (vec![20; 301], Strategy::He, Activation::Relu),
        (vec![20; 101], Strategy::Arithmetic, Activation::HardTanh),
        (vec![16, 256, 16, 256, 16, 256, 16], Strategy::Geometric, Activation::Linear),
    ];
    for (widths, strategy, activation) in cases {
        let law = law(widths.clone(), strategy, activation);
        let s = law.support();
        assert!(law.mean().is_finite() && law.mean() > 0.0, "{widths:?}");
        assert!(s.upper.is_finite() && s.upper > 0.0 && law.raw_moments().iter().all(|m| m.is_finite()));
        assert!(law.quantile(0.9).unwrap().is_finite());
        assert!(law.density_grid(200).unwrap().iter().all(|&(_, v)| v.is_finite() && v >= 0.0));
    }
    // He, linear: mean = 2^depth exactly.
    let he = law(vec![20; 201], Strategy::He, Activation::Linear);
    assert!(close(he.log_mean(), 200.0 * 2f64.ln(), 1e-13));
    // Depth 100 of tanh near criticality, at the fixed point: one factor with multiplicity 100.
    let mut n = Network::new(vec![20; 101], Strategy::orthogonal_with_variance(1.05 / 20.0).unwrap(), Activation::Tanh)
        .unwrap();
    n.bias_variance = 2.01e-5;
    n.mean_field = MeanField::FixedPoint;
    let critical = JacobianLaw::new(&n).unwrap();
    assert!(critical.support().upper.is_finite() && critical.quantile_spread(0.01).unwrap().is_finite());
}

#[test]
fn the_law_is_the_same_whatever_the_thread_count() {
    // Twelve tanh layers along the mean-field trajectory: twelve distinct D² factors, whose inner
    // equations are solved in parallel (from 8 factors on) and summed in factor order.
    let network = Network::new(vec![40; 13], Strategy::LeCun, Activation::Tanh).unwrap();
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| {
            let law = JacobianLaw::new(&network).unwrap();
            let grid = law.density_grid(200).unwrap();
            (law, grid)
        })
    };
    let (one, one_grid) = on(1);
    let (two, two_grid) = on(2);
    assert!(one == two, "the law differs between one and two threads");
    assert_eq!(one_grid, two_grid);
    assert_eq!(on(3).1, one_grid);
}

#[test]
fn bad_networks_are_errors() {
    let bad = |widths: Vec<usize>| Network::new(widths, Strategy::LeCun, Activation::Linear).unwrap_err().to_string();
    assert!(bad(vec![]).contains("widths"));
    assert!(bad(vec![10]).contains("at least two"));
    assert!(bad(vec![10, 0, 10]).contains("entry 2"));
    assert!(bad(vec![1, 100]).contains("ratio"));
    assert!(bad(vec![10; 2002]).contains("depth"));
    // A pre-activation variance beyond the double range: depth 1500 of He, linear (q_ℓ = 2^ℓ).
    let huge = Network::new(vec![10; 1501], Strategy::He, Activation::Linear).unwrap();
    assert!(JacobianLaw::new(&huge).unwrap_err().to_string().contains("overflows"));
    // A mean beyond the double range with bounded variances: hard-tanh at σ_w² = 100 is chaotic
    // with χ ≈ 8 per layer, so the mean squared singular value of 400 layers is about e^850.
    let chaotic = Network::new(vec![10; 401], Strategy::fixed_variance(10.0).unwrap(), Activation::HardTanh).unwrap();
    let message = JacobianLaw::new(&chaotic).unwrap_err().to_string();
    assert!(message.contains("double range"), "{message}");
    // No fixed point: linear with σ_w² = 2 diverges.
    let mut n = Network::new(vec![10; 3], Strategy::He, Activation::Linear).unwrap();
    n.mean_field = MeanField::FixedPoint;
    assert!(JacobianLaw::new(&n).unwrap_err().to_string().contains("fixed point"));
}

#[test]
fn an_upper_edge_set_by_the_truncation_of_a_rule_is_flagged() {
    // Orthogonal gelu and swish chains: after a few layers q is small enough that φ'² peaks beyond
    // the rule's z = ±9, and at the upper edge such a factor's subordination point sits at the top
    // of its rule (measured: 3e-9 relative for gelu, 9e-10 for swish, at depth 10). tanh's φ'²
    // peaks at 0, inside any range; with Gaussian weights the edge lies well inside every
    // factor's range (subordination points at least 20% from the top at depth 100).
    let orthogonal = Strategy::Orthogonal { variance: None };
    for (strategy, activation, flagged) in [
        (orthogonal, Activation::Gelu, true),
        (orthogonal, Activation::Swish, true),
        (orthogonal, Activation::Tanh, false),
        (Strategy::LeCun, Activation::Gelu, false),
        (Strategy::He, Activation::Swish, false),
    ] {
        let law = law(vec![100; 11], strategy, activation);
        assert_eq!(law.upper_edge_set_by_truncation(), flagged, "{strategy:?} {activation:?}");
    }
}
