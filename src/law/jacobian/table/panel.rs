//! The panels of a [`Table`](super::Table): how a panel's coordinate maps to t = log x (linear, or
//! u = √|t − t_e| at an edge), and the Legendre expansion of the integrand on a panel with its
//! mass, first moment, partial integrals and split (see the [table's documentation](super)).

use crate::law::quadrature::GaussLegendre;

/// How a panel's coordinate c maps to t.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Map {
    /// t = c.
    Linear,
    /// t = t_e − c² (a panel below the upper edge t_e).
    Below(f64),
    /// t = t_e + c² (a panel above the lower edge t_e).
    Above(f64),
}

impl Map {
    pub(super) fn t(self, c: f64) -> f64 {
        match self {
            Map::Linear => c,
            Map::Below(e) => e - c * c,
            Map::Above(e) => e + c * c,
        }
    }

    pub(super) fn coordinate(self, t: f64) -> f64 {
        match self {
            Map::Linear => t,
            Map::Below(e) => (e - t).max(0.0).sqrt(),
            Map::Above(e) => (t - e).max(0.0).sqrt(),
        }
    }

    pub(super) fn jacobian(self, c: f64) -> f64 {
        match self {
            Map::Linear => 1.0,
            Map::Below(_) | Map::Above(_) => 2.0 * c,
        }
    }

    /// The narrowest panel worth splitting: 1e-10 in t; 1e-3 in u = √|t − t_e| at an edge.
    /// There t itself carries an absolute rounding of ε·|t|, a relative error of ε|t|/u² in the
    /// distance to the edge, which the density follows near a hard edge (measured: 6e-4 at
    /// u² = 1e-12); the Gauss nodes of a panel [0, 1e-3] stay at u² ≥ 8e-11 (error ≲ 4e-6 on a
    /// panel of mass ~1e-3·g). The integrand is smooth in u at square-root and
    /// inverse-square-root edges alike, so these panels need no finer resolution.
    pub(super) fn resolution(self) -> f64 {
        match self {
            Map::Linear => 1e-10,
            Map::Below(_) | Map::Above(_) => 1e-3,
        }
    }

    /// Whether t decreases as c increases.
    pub(super) fn decreasing(self) -> bool {
        matches!(self, Map::Below(_))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Panel {
    pub(super) map: Map,
    pub(super) a: f64,
    pub(super) b: f64,
    /// Legendre coefficients of the integrand in y ∈ [−1, 1] (c = mid + half·y).
    pub(super) coefficients: Vec<f64>,
    /// ∫ of the integrand over the panel.
    pub(super) mass: f64,
    /// ∫ of e^t times the integrand (the panel's contribution to the mean).
    pub(super) first_moment: f64,
}

impl Panel {
    pub(super) fn empty(map: Map, a: f64, b: f64) -> Self {
        Panel { map, a, b, coefficients: Vec::new(), mass: 0.0, first_moment: 0.0 }
    }

    /// The panel's t-interval, ascending.
    pub(super) fn t_range(&self) -> (f64, f64) {
        let (x, y) = (self.map.t(self.a), self.map.t(self.b));
        (x.min(y), x.max(y))
    }

    pub(super) fn half(&self) -> f64 {
        0.5 * (self.b - self.a)
    }

    pub(super) fn mid(&self) -> f64 {
        0.5 * (self.a + self.b)
    }

    /// ∫ of the integrand from the coordinate a to c.
    pub(super) fn partial_from_a(&self, c: f64) -> f64 {
        let y = ((c - self.mid()) / self.half()).clamp(-1.0, 1.0);
        let p = legendre_values(self.coefficients.len() + 1, y);
        let mut sum = self.coefficients[0] * (y + 1.0);
        for n in 1..self.coefficients.len() {
            sum += self.coefficients[n] * (p[n + 1] - p[n - 1]) / (2 * n + 1) as f64;
        }
        (sum * self.half()).clamp(0.0, self.mass)
    }

    /// The mass of the panel below t.
    pub(super) fn mass_below(&self, t: f64) -> f64 {
        let from_a = self.partial_from_a(self.map.coordinate(t).clamp(self.a.min(self.b), self.a.max(self.b)));
        if self.map.decreasing() {
            self.mass - from_a
        } else {
            from_a
        }
    }

    /// The integrand's interpolant at coordinate c (for Newton on the quantile).
    pub(super) fn integrand(&self, c: f64) -> f64 {
        let y = ((c - self.mid()) / self.half()).clamp(-1.0, 1.0);
        let p = legendre_values(self.coefficients.len(), y);
        self.coefficients.iter().zip(&p).map(|(a, b)| a * b).sum::<f64>().max(0.0)
    }

    pub(super) fn split(&self) -> [Panel; 2] {
        let m = self.mid();
        [Panel::empty(self.map, self.a, m), Panel::empty(self.map, m, self.b)]
    }

    /// Fills coefficients, mass and first moment from the integrand at the rule's nodes.
    pub(super) fn fill(&mut self, rule: &GaussLegendre, g: &[f64]) {
        let (mid, half) = (self.mid(), self.half());
        let k = rule.nodes.len();
        let integrand: Vec<f64> =
            rule.nodes.iter().zip(g).map(|(y, gv)| gv * self.map.jacobian(mid + half * y)).collect();
        let mut coefficients = vec![0.0; k];
        for (j, (&y, &w)) in rule.nodes.iter().zip(&rule.weights).enumerate() {
            let p = legendre_values(k, y);
            for n in 0..k {
                coefficients[n] += (2 * n + 1) as f64 / 2.0 * w * integrand[j] * p[n];
            }
        }
        self.mass = half * rule.weights.iter().zip(&integrand).map(|(w, f)| w * f).sum::<f64>();
        self.first_moment = half
            * rule
                .nodes
                .iter()
                .zip(&rule.weights)
                .zip(&integrand)
                .map(|((y, w), f)| w * f * self.map.t(mid + half * y).exp())
                .sum::<f64>();
        self.coefficients = coefficients;
    }

    pub(super) fn error_indicator(&self) -> f64 {
        let k = self.coefficients.len();
        (self.coefficients[k - 1].abs() + self.coefficients[k - 2].abs()) * self.half().abs()
    }
}

/// P_0(y), …, P_{n−1}(y).
pub(super) fn legendre_values(n: usize, y: f64) -> Vec<f64> {
    let mut p = vec![0.0; n.max(2)];
    p[0] = 1.0;
    p[1] = y;
    for j in 2..n {
        p[j] = ((2 * j - 1) as f64 * y * p[j - 1] - (j - 1) as f64 * p[j - 2]) / j as f64;
    }
    p.truncate(n);
    p
}
