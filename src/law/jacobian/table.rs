//! The continuous part of the law, tabulated: the density g(t) of t = log x (x in units of the
//! mean) on panels, with the CDF and quantiles read from each panel's Legendre expansion.
//!
//! **Panels.** Between the edges, linear panels in t; at a soft edge t_e the panel variable is
//! u = √|t − t_e| (t = t_e ∓ u²), under which both the square-root vanishing of a soft edge
//! and the inverse-square-root growth at the hard upper edge of a product of projections become
//! smooth (g·|dt/du| ~ u² resp. ~ 1). When the continuous part reaches 0 (a hard lower edge),
//! the panels march to the left, each as wide as the last one's error indicator allows, until
//! the density of log x, which decays like e^{βt} there, carries less than 1e-13 of the mass
//! (for deep chains this "tail" is most of the law: He gelu at depth 100 spreads over 4 000
//! e-folds of x); below the last panel the tail
//! mass·e^{β(t − t_cut)} continues the density with the fitted exponent β.
//!
//! **Quadrature.** On each panel the integrand (g times |dt/du| for edge panels) is sampled at
//! the 12 Gauss–Legendre nodes and expanded in Legendre polynomials (exact for degree ≤ 11). A
//! panel whose last two coefficients exceed 1e-14 (in mass) is split, up to 4096 panels.
//!
//! **Checks.** The panels must integrate to the exact continuous mass (1 − atoms) and reproduce
//! the exact mean to 1e-8; otherwise construction fails (a wrong root somewhere would show
//! there). The masses are then rescaled by the (tiny) ratio so that the CDF reaches exactly
//! 1 − (atom at the top) at the upper edge.

use crate::error::{Error, Result};
use crate::free::edges::{LowerEdge, SoftEdge, UpperEdge};
use crate::free::solve::Point;
use crate::free::{STransform, C64};
use crate::law::quadrature::GaussLegendre;

mod panel;
use panel::{Map, Panel};

/// Gauss–Legendre nodes per panel.
const NODES: usize = 12;
/// A panel is split when its last two Legendre coefficients exceed this (in units of mass).
const PANEL_TOLERANCE: f64 = 1e-14;
/// At most this many panels.
const MAX_PANELS: usize = 4096;
/// Mass-consistency tolerance of the construction checks.
const MASS_TOLERANCE: f64 = 1e-8;

/// Below the last panel of a hard lower edge: mass·e^{β(t − t_cut)}.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Tail {
    t_cut: f64,
    mass: f64,
    exponent: f64,
}

/// A source of the density g(t) of t = log x.
pub(crate) trait LogDensity {
    /// g(t).
    fn log_density(&mut self, t: f64) -> Result<f64>;

    /// g(t) by the cheap route only (for a source with expensive fallbacks), `None` if it fails.
    fn try_log_density(&mut self, t: f64) -> Option<f64> {
        self.log_density(t).ok()
    }
}

/// g at each t, evaluated in descending order of t (so that continuation runs downwards).
fn densities(source: &mut dyn LogDensity, ts: &[f64]) -> Result<Vec<f64>> {
    let mut order: Vec<usize> = (0..ts.len()).collect();
    order.sort_by(|&i, &j| ts[j].total_cmp(&ts[i]));
    let mut out = vec![0.0; ts.len()];
    for i in order {
        out[i] = source.log_density(ts[i])?;
    }
    Ok(out)
}

/// The free-probability solver with the solutions known so far (sorted by t) as warm starts.
pub(crate) struct Solver<'a> {
    transform: &'a STransform,
    edges: Edges,
    known: Vec<(f64, Point)>,
}

impl<'a> Solver<'a> {
    /// A solver with the given known solutions (sorted by t).
    pub(crate) fn new(transform: &'a STransform, edges: Edges, known: Vec<(f64, Point)>) -> Self {
        Solver { transform, edges, known }
    }

    /// The solution at t (see [`solve_near`]), remembered for later warm starts.
    pub(crate) fn solve(&mut self, t: f64) -> Result<Point> {
        let point = solve_near(self.transform, &self.edges, &self.known, t)?;
        let at = self.known.partition_point(|k| k.0 < t);
        self.known.insert(at, (t, point.clone()));
        Ok(point)
    }

    /// Solutions found so far.
    pub(crate) fn into_known(self) -> Vec<(f64, Point)> {
        self.known
    }
}

impl LogDensity for Solver<'_> {
    fn log_density(&mut self, t: f64) -> Result<f64> {
        let p = self.solve(t)?;
        Ok(self.transform.log_density(&p))
    }

    /// Newton from the quadratic prediction, then from the nearest known solutions only (no
    /// detour, no path from far).
    fn try_log_density(&mut self, t: f64) -> Option<f64> {
        let at = self.known.partition_point(|k| k.0 < t);
        let near = [at.checked_sub(1), Some(at).filter(|&i| i < self.known.len())];
        let tau = C64::new(t, 0.0);
        let predicted = predict(&self.known, at, t);
        let p = predicted
            .iter()
            .chain(near.into_iter().flatten().map(|i| &self.known[i].1))
            .find_map(|start| self.transform.newton_quick(tau, start))?;
        let g = self.transform.log_density(&p);
        self.known.insert(at, (t, p));
        Some(g)
    }
}

/// A start at t from the known solutions around index `at` (where t would be inserted): w by
/// the quadratic through the three nearest in t (Lagrange interpolation or extrapolation of
/// log(w/w_n), w_n the nearest's, so that no branch cut of the logarithm is crossed), the
/// subordination points moved to it from the nearest's by their slopes. `None` with fewer than
/// three known solutions, two of them at the same t, or a prediction that is not finite.
///
/// log w is smooth in t inside the support, and the Gauss nodes of a panel and its neighbours
/// are close on its scale: measured on He gelu at depth 100 (building the law), the residuals
/// per solved point fell from 3.1 (start at the nearest solution, then two Newton steps) to 1.5
/// (the prediction already within the residual's rounding floor at 57% of the points).
fn predict(known: &[(f64, Point)], at: usize, t: f64) -> Option<Point> {
    let mut near: Vec<usize> = (at.saturating_sub(3)..(at + 3).min(known.len())).collect();
    near.sort_by(|&i, &j| (known[i].0 - t).abs().total_cmp(&(known[j].0 - t).abs()));
    near.truncate(3);
    if near.len() < 3 {
        return None;
    }
    let base = &known[near[0]].1;
    let mut log_ratio = C64::new(0.0, 0.0);
    for &i in &near[1..] {
        let mut weight = 1.0;
        for &j in &near {
            if j != i {
                weight *= (t - known[j].0) / (known[i].0 - known[j].0);
            }
        }
        if !weight.is_finite() {
            return None;
        }
        log_ratio += weight * (known[i].1.w / base.w).ln();
    }
    let w = base.w * log_ratio.exp();
    (w.re.is_finite() && w.im.is_finite()).then(|| base.moved_to(w))
}

/// The solution at log x = t from the known solutions nearest to t: near a soft edge t_e and
/// closer to it than to any known solution, the edge expansion w ≈ w_e − i√(2|t − t_e|/|T''|);
/// otherwise first the quadratic prediction ([`predict`], with Newton's quick budget); then a
/// predictor linear in log w from the two nearest known solutions on one side; then the
/// nearest itself; then a detour from the nearest above the real axis
/// ([`STransform::follow_detour`]); else from far ([`STransform::solve_from_far`], from
/// log x = t_upper + 5).
///
/// # Errors
/// [`Error::Numerical`] when no start converges.
pub(crate) fn solve_near(transform: &STransform, edges: &Edges, known: &[(f64, Point)], t: f64) -> Result<Point> {
    let at = known.partition_point(|k| k.0 < t);
    let mut candidates: Vec<Point> = Vec::new();
    let nearest = [at.checked_sub(1), Some(at).filter(|&i| i < known.len())]
        .into_iter()
        .flatten()
        .min_by(|&i, &j| (known[i].0 - t).abs().total_cmp(&(known[j].0 - t).abs()));
    let laws = || nearest.map_or_else(|| vec![C64::new(1.0, 1.0); transform.laws().len()], |i| known[i].1.s.clone());
    for edge in edges.soft() {
        let distance = (t - edge.log_x).abs();
        let inside = if edge.curvature > 0.0 { t < edge.log_x } else { t > edge.log_x };
        let closer = nearest.is_none_or(|i| distance < (known[i].0 - t).abs());
        if inside && closer && edge.curvature != 0.0 {
            let w = C64::new(edge.w, -(2.0 * distance / edge.curvature.abs()).sqrt());
            candidates.push(Point::start(w, laws()));
        }
    }
    let near_edge = !candidates.is_empty();
    if let Some(i) = nearest {
        let (t1, p1) = &known[i];
        let j = if *t1 < t { i.checked_sub(1) } else { Some(i + 1).filter(|&j| j < known.len()) };
        if let Some(j) = j {
            let (t2, p2) = &known[j];
            if (t - t1).abs() <= 2.0 * (t1 - t2).abs() {
                let w = p1.w * ((p1.w / p2.w).ln() * ((t - t1) / (t1 - t2))).exp();
                candidates.push(p1.moved_to(w));
            }
        }
        candidates.push(p1.clone());
    }
    let tau = C64::new(t, 0.0);
    if !near_edge {
        if let Some(p) = predict(known, at, t).and_then(|start| transform.newton_quick(tau, &start)) {
            return Ok(p);
        }
    }
    if let Some(p) = candidates.iter().find_map(|c| transform.newton(tau, c)) {
        return Ok(p);
    }
    if let Some(i) = nearest {
        if let Some(p) = transform.follow_detour(known[i].0, &known[i].1, t) {
            return Ok(p);
        }
    }
    transform.solve_from_far(t, edges.upper.log_x() + 5.0).ok_or_else(|| unsolved(t, edges.upper.log_x()))
}

/// The error of a point that no start solves: where it is, and, deep below the upper edge, that
/// it lies in the far lower tail (where the subordination points of the D² factors of tanh,
/// gelu and swish approach 0; the transforms there were the cause of every failure of the
/// robustness sweep until they were computed in logarithms and about the zeros of φ',
/// [`crate::free::discrete`]; the sweep of docs/jacobian.md now has none).
fn unsolved(t: f64, t_upper: f64) -> Error {
    let below = t_upper - t;
    let why = if below > 10.0 {
        format!(", {below:.1} e-folds below the upper edge (the far lower tail: docs/jacobian.md, Robustness)")
    } else {
        String::new()
    };
    Error::Numerical(format!(
        "the Jacobian law's equation could not be solved at x = {:.3e} (log x = {t:.2}){why}",
        t.exp()
    ))
}

/// The support edges of an [`STransform`] law.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Edges {
    /// The upper edge.
    pub upper: UpperEdge,
    /// The lower edge.
    pub lower: LowerEdge,
}

impl Edges {
    /// The soft edges (with their expansions).
    fn soft(&self) -> impl Iterator<Item = SoftEdge> {
        let upper = match self.upper {
            UpperEdge::Soft(e) => Some(e),
            UpperEdge::Limit { .. } => None,
        };
        let lower = match self.lower {
            LowerEdge::Soft(e) => Some(e),
            LowerEdge::Hard { .. } => None,
        };
        upper.into_iter().chain(lower)
    }
}

/// The tabulated continuous part (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    panels: Vec<Panel>,
    /// Mass below each panel's lower end (tail included).
    below: Vec<f64>,
    tail: Option<Tail>,
    /// The continuous mass.
    total: f64,
    /// Lowest and highest t of the tabulated range.
    range: (f64, f64),
}

/// What the table must reproduce.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Targets {
    /// The continuous mass 1 − atoms.
    pub mass: f64,
    /// The continuous part's contribution to the mean (1 − top atom × its position).
    pub mean: f64,
}

impl Table {
    /// Tabulates the continuous part between the upper edge `t_hi` and the lower edge
    /// (`Some(t_lo)` when soft, `None` when the continuous part reaches 0), from a density source.
    /// `breakpoints` (used when the lower edge is `None`) are interior points below `t_hi` where
    /// the density is singular: the panels start with square-root maps on both sides of each
    /// ([`interior_panels`]).
    ///
    /// # Errors
    /// A failed density evaluation or a failed consistency check.
    pub(crate) fn build(
        source: &mut dyn LogDensity,
        t_hi: f64,
        lower: Option<f64>,
        breakpoints: &[f64],
        targets: Targets,
    ) -> Result<Table> {
        let rule = GaussLegendre::new(NODES);
        let mut panels = match lower {
            Some(t_lo) => soft_panels(t_lo, t_hi),
            None => interior_panels(t_hi, breakpoints),
        };
        fill_all(&mut panels, &rule, source)?;
        if lower.is_none() {
            march_tail(&mut panels, &rule, source, targets.mass)?;
        }
        refine(&mut panels, &rule, source, targets.mass)?;
        panels.sort_by(|x, y| x.t_range().0.total_cmp(&y.t_range().0));
        let integrated: f64 = panels.iter().map(|p| p.mass).sum();
        let tail = match lower {
            None => Some(fit_tail(&panels[0], &rule, source)?),
            Some(_) => None,
        };
        let tail_mass = tail.map_or(0.0, |t| t.mass);
        let defect = targets.mass - integrated - tail_mass;
        let first_moment: f64 = panels.iter().map(|p| p.first_moment).sum();
        if defect.abs() > MASS_TOLERANCE || (first_moment - targets.mean).abs() > MASS_TOLERANCE * targets.mean.max(1.0)
        {
            return Err(Error::Numerical(format!(
                "the Jacobian law failed its consistency check: continuous mass {} (exact {}), mean {} (exact {})",
                integrated + tail_mass,
                targets.mass,
                first_moment,
                targets.mean
            )));
        }
        // Remove the (≤ 1e-8) defect so that the CDF is continuous at the upper edge.
        let scale = (targets.mass - tail_mass) / integrated;
        for p in &mut panels {
            p.mass *= scale;
            p.first_moment *= scale;
            p.coefficients.iter_mut().for_each(|c| *c *= scale);
        }
        let mut below = Vec::with_capacity(panels.len());
        let mut running = tail_mass;
        for p in &panels {
            below.push(running);
            running += p.mass;
        }
        let range = (panels[0].t_range().0, t_hi);
        Ok(Table { panels, below, tail, total: targets.mass, range })
    }

    /// The continuous mass below t = log x (normalised).
    pub(crate) fn mass_below(&self, t: f64) -> f64 {
        if t >= self.range.1 {
            return self.total;
        }
        if t < self.range.0 {
            return self.tail.map_or(0.0, |tail| tail.mass * (tail.exponent * (t - tail.t_cut)).exp());
        }
        let i = self.panels.partition_point(|p| p.t_range().1 < t).min(self.panels.len() - 1);
        (self.below[i] + self.panels[i].mass_below(t)).min(self.total)
    }

    /// The continuous mass above t (computed from the top, for upper-tail accuracy).
    pub(crate) fn mass_above(&self, t: f64) -> f64 {
        if t >= self.range.1 {
            return 0.0;
        }
        if t < self.range.0 {
            return self.total - self.mass_below(t);
        }
        let i = self.panels.partition_point(|p| p.t_range().1 < t).min(self.panels.len() - 1);
        let above_panel: f64 = self.panels[i + 1..].iter().map(|p| p.mass).sum();
        above_panel + (self.panels[i].mass - self.panels[i].mass_below(t)).max(0.0)
    }

    /// The t at which the continuous mass below reaches `mass` ∈ (0, total).
    pub(crate) fn inverse(&self, mass: f64) -> f64 {
        if let Some(tail) = self.tail {
            if mass < tail.mass {
                return tail.t_cut + (mass / tail.mass).ln() / tail.exponent;
            }
        }
        let i = self.below.partition_point(|&b| b <= mass).saturating_sub(1);
        let panel = &self.panels[i];
        let target = mass - self.below[i];
        // Bisection with Newton steps on the panel coordinate (the mass below is monotone in t).
        let (mut lo, mut hi) = panel.t_range();
        let mut t = 0.5 * (lo + hi);
        for _ in 0..200 {
            let f = panel.mass_below(t) - target;
            if f < 0.0 {
                lo = t;
            } else {
                hi = t;
            }
            let c = panel.map.coordinate(t);
            let density = panel.integrand(c) / panel.map.jacobian(c).max(1e-300);
            let newton = t - f / density;
            let next = if newton > lo && newton < hi && density > 0.0 { newton } else { 0.5 * (lo + hi) };
            if (next - t).abs() <= 4.0 * f64::EPSILON * t.abs().max(1.0) {
                return next;
            }
            t = next;
        }
        t
    }

    /// The tabulated range of t.
    pub(crate) fn range(&self) -> (f64, f64) {
        self.range
    }
}

/// Panels between soft edges: u-maps on the outer eighths, six linear panels between.
fn soft_panels(t_lo: f64, t_hi: f64) -> Vec<Panel> {
    let width = t_hi - t_lo;
    let edge = width / 8.0;
    let mut panels =
        vec![Panel::empty(Map::Above(t_lo), 0.0, edge.sqrt()), Panel::empty(Map::Below(t_hi), 0.0, edge.sqrt())];
    let inner = (t_hi - edge - (t_lo + edge)) / 6.0;
    for j in 0..6 {
        let a = t_lo + edge + j as f64 * inner;
        panels.push(Panel::empty(Map::Linear, a, a + inner));
    }
    panels
}

/// Panels below the upper edge t_hi when the support reaches 0: between consecutive points of
/// t_hi and the breakpoints below it, two square-root panels meeting in the middle (t = b − u²
/// below the upper end b, t = a + u² above the lower end a, so that inverse-square-root
/// singularities at either end are smooth in u); below the lowest, one panel of width 1/2 in t
/// from which [`march_tail`] goes on. Without breakpoints that is the single panel
/// [t_hi − 1/2, t_hi].
fn interior_panels(t_hi: f64, breakpoints: &[f64]) -> Vec<Panel> {
    let mut ends: Vec<f64> = breakpoints.iter().copied().filter(|&b| b < t_hi).collect();
    ends.sort_by(|x, y| y.total_cmp(x));
    let mut panels = Vec::with_capacity(2 * ends.len() + 1);
    let mut upper = t_hi;
    for b in ends {
        let reach = (0.5 * (upper - b)).sqrt();
        panels.push(Panel::empty(Map::Below(upper), 0.0, reach));
        panels.push(Panel::empty(Map::Above(b), 0.0, reach));
        upper = b;
    }
    panels.push(Panel::empty(Map::Below(upper), 0.0, 0.5f64.sqrt()));
    panels
}

/// Evaluates every empty panel.
fn fill_all(panels: &mut [Panel], rule: &GaussLegendre, source: &mut dyn LogDensity) -> Result<()> {
    let mut ts = Vec::new();
    let mut owners = Vec::new();
    for (i, p) in panels.iter().enumerate().filter(|(_, p)| p.coefficients.is_empty()) {
        for y in &rule.nodes {
            ts.push(p.map.t(p.mid() + p.half() * y));
            owners.push(i);
        }
    }
    let g = densities(source, &ts)?;
    for (i, p) in panels.iter_mut().enumerate().filter(|(_, p)| p.coefficients.is_empty()) {
        let values: Vec<f64> = owners.iter().zip(&g).filter(|(o, _)| **o == i).map(|(_, v)| *v).collect();
        p.fill(rule, &values);
    }
    Ok(())
}

/// The error indicator a panel's width is aimed at when chosen from its neighbour's: a quarter
/// of [`PANEL_TOLERANCE`], a margin for the indicator's change from one panel to the next.
const TARGET: f64 = PANEL_TOLERANCE / 4.0;
/// The largest factor by which a marched panel's width grows over the last one's.
const MAX_GROWTH: f64 = 2.0;
/// The narrowest marched panel.
const MIN_MARCH_WIDTH: f64 = 1.0 / 16.0;

/// The factor by which to scale a panel's width so that its error indicator would be [`TARGET`],
/// taking the indicator to scale as the width to the power [`NODES`]: the last Legendre
/// coefficients of a function analytic in a region a distance d beyond the panel decay like
/// (w/2d)^k, k = NODES − 1, and the indicator carries one more factor w (the panel's mass).
fn width_factor(indicator: f64) -> f64 {
    (TARGET / indicator).powf(1.0 / NODES as f64)
}

/// Mass of the last tail panel below which the march stops.
const TAIL_STOP: f64 = 1e-13;
/// Mass of the last tail panel below which an unsolvable point ends the march.
const GIVE_UP: f64 = 1e-8;

/// Adds linear panels below the lowest one until a panel holds less than [`TAIL_STOP`] of the
/// mass and the density decreases to the left. A panel is first tried with every node solved by
/// Newton from its neighbours alone (see [`LogDensity::try_log_density`]); if that fails the
/// width is halved and the panel retried (down to 1/16), and only then solved with the full
/// fallbacks. A solved panel whose error indicator exceeds [`PANEL_TOLERANCE`] (which
/// [`refine`] would split in two, discarding its samples) is retried at the width
/// [`width_factor`] aims at [`TARGET`]; otherwise the next panel's width is scaled by that
/// factor, at most [`MAX_GROWTH`]. (Measured, He gelu at depth 100: the fixed growth of 1.3 this
/// replaces left 25 of 31 marched panels for the refinement to split, 972 samples for 57
/// panels; now 58 panels from 744 samples.) Deep in a tail the equation becomes costly or
/// unsolvable in double precision (the subordination points underflow): once the last panel
/// held less than [`GIVE_UP`] of the mass, a panel that cannot be solved ends the march (what
/// lies below is left to [`fit_tail`] and to the mass check of [`Table::build`], which fails
/// above 1e-8).
fn march_tail(panels: &mut Vec<Panel>, rule: &GaussLegendre, source: &mut dyn LogDensity, mass: f64) -> Result<()> {
    let mut width = 0.5;
    let mut right = panels.iter().map(|p| p.t_range().0).fold(f64::INFINITY, f64::min);
    let start = right;
    let mut last_mass = f64::INFINITY;
    loop {
        let mut p = Panel::empty(Map::Linear, right - width, right);
        let ts: Vec<f64> = rule.nodes.iter().map(|y| p.mid() + p.half() * y).collect();
        let g = match cheap_densities(source, &ts) {
            Some(g) => g,
            None if width > MIN_MARCH_WIDTH => {
                width *= 0.5;
                continue;
            }
            None if last_mass <= GIVE_UP * mass => return Ok(()),
            None => densities(source, &ts)?,
        };
        p.fill(rule, &g);
        let indicator = p.error_indicator();
        if indicator > PANEL_TOLERANCE && width > MIN_MARCH_WIDTH {
            // Refining would split this panel: retry it at the width aimed at the target.
            width *= width_factor(indicator).clamp(0.25, 0.9);
            continue;
        }
        // Not below the narrowest width by this rule: a panel next to a singular point of the
        // density (whose indicator no width brings below the tolerance) would otherwise shrink
        // the march toward it geometrically (measured: 27 000 panels for one orthogonal tanh
        // layer); [`refine`] resolves such a point by bisection.
        width = (width * width_factor(indicator).min(MAX_GROWTH)).max(width.min(MIN_MARCH_WIDTH));
        let decreasing = g[0] <= g[g.len() - 1];
        let small = p.mass <= TAIL_STOP * mass;
        last_mass = p.mass;
        right = p.a;
        panels.push(p);
        if small && decreasing {
            return Ok(());
        }
        if start - right > 1e5 {
            return Err(Error::Numerical("the Jacobian law's lower tail did not decay within 1e5 e-folds".into()));
        }
    }
}

/// g at each t by the cheap route only, in descending order of t; `None` if any fails.
fn cheap_densities(source: &mut dyn LogDensity, ts: &[f64]) -> Option<Vec<f64>> {
    let mut order: Vec<usize> = (0..ts.len()).collect();
    order.sort_by(|&i, &j| ts[j].total_cmp(&ts[i]));
    let mut g = vec![0.0; ts.len()];
    for i in order {
        g[i] = source.try_log_density(ts[i])?;
    }
    Some(g)
}

/// Splits panels whose Legendre tails exceed the tolerance until none does (or the cap).
fn refine(panels: &mut Vec<Panel>, rule: &GaussLegendre, source: &mut dyn LogDensity, mass: f64) -> Result<()> {
    let mut settled: Vec<Panel> = Vec::new();
    for _ in 0..60 {
        let (coarse, fine): (Vec<Panel>, Vec<Panel>) = panels
            .drain(..)
            .partition(|p| p.error_indicator() > PANEL_TOLERANCE && (p.b - p.a).abs() > p.map.resolution());
        panels.extend(fine);
        if coarse.is_empty() || panels.len() + settled.len() + 2 * coarse.len() > MAX_PANELS {
            panels.extend(coarse);
            break;
        }
        for parent in coarse {
            let mut children = parent.split();
            match fill_all(&mut children, rule, source) {
                Ok(()) => panels.extend(children),
                // A panel of negligible mass deep in a tail whose points cannot all be solved
                // stays as it is (its error is within the mass check of the table).
                Err(_) if parent.mass <= GIVE_UP * mass => settled.push(parent),
                Err(e) => return Err(e),
            }
        }
    }
    panels.extend(settled);
    Ok(())
}

/// The tail below the lowest panel, mass·e^{β(t − t_cut)}: β is the slope of log g at the
/// panel's two lowest nodes and the mass g(t_cut)/β; when the density there is rounding noise
/// (≤ 1e-20, or no decay), or cannot be solved from the neighbouring solutions, the tail is
/// empty. The continuous mass is known exactly, so whatever the panels and the tail miss is
/// checked by [`Table::build`].
fn fit_tail(lowest: &Panel, rule: &GaussLegendre, source: &mut dyn LogDensity) -> Result<Tail> {
    let (t_cut, _) = lowest.t_range();
    let t1 = lowest.map.t(lowest.mid() + lowest.half() * rule.nodes[0]);
    let t2 = lowest.map.t(lowest.mid() + lowest.half() * rule.nodes[1]);
    let g: Vec<f64> = match [t_cut, t1, t2].iter().map(|&t| source.try_log_density(t)).collect::<Option<Vec<f64>>>() {
        Some(g) => g,
        None => return Ok(Tail { t_cut, mass: 0.0, exponent: 1.0 }),
    };
    let exponent = (g[2] / g[1]).ln() / (t2 - t1);
    if exponent > 0.0 && exponent.is_finite() && g[1] > 1e-20 {
        Ok(Tail { t_cut, mass: g[0] / exponent, exponent })
    } else {
        Ok(Tail { t_cut, mass: 0.0, exponent: 1.0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known solutions with log w an exact quadratic in t (and no law factors).
    fn quadratic_path(ts: &[f64]) -> (impl Fn(f64) -> C64, Vec<(f64, Point)>) {
        let log_w = |t: f64| C64::new(-0.3 + 0.02 * t - 0.001 * t * t, -1.2 + 0.05 * t + 0.002 * t * t);
        let known = ts.iter().map(|&t| (t, Point::start(log_w(t).exp(), Vec::new()))).collect();
        (move |t: f64| log_w(t).exp(), known)
    }

    #[test]
    fn the_prediction_is_exact_for_a_quadratic_log_w() {
        // Nodes unevenly spaced, as Gauss nodes are; t inside (interpolation) and beyond the
        // known points on either side (extrapolation, as a march does).
        let ts = [-7.0, -6.2, -5.9, -4.4, -3.0, -2.75];
        let (w, known) = quadratic_path(&ts);
        for t in [-6.5, -5.0, -2.9, -2.0, -8.0] {
            let at = known.partition_point(|k| k.0 < t);
            let p = predict(&known, at, t).expect("three neighbours");
            assert!((p.w - w(t)).norm() <= 1e-13 * w(t).norm(), "t = {t}: {} vs {}", p.w, w(t));
        }
    }

    #[test]
    fn the_prediction_needs_three_solutions_and_finite_values() {
        let (_, known) = quadratic_path(&[-1.0, 0.0]);
        assert!(predict(&known, 1, -0.5).is_none());
        // Two solutions at the same t: the Lagrange weights are not finite.
        let (_, known) = quadratic_path(&[-1.0, 0.0, 0.0]);
        assert!(predict(&known, 1, -0.5).is_none());
    }

    #[test]
    fn a_width_is_scaled_to_aim_the_indicator_at_its_target() {
        // The indicator taken to grow as the width to the power NODES: the factor brings it to
        // TARGET exactly, whichever side it starts on.
        for indicator in [1e-20, TARGET, 3e-13, 1e-9] {
            let factor = width_factor(indicator);
            assert!((indicator * factor.powi(NODES as i32) / TARGET - 1.0).abs() < 1e-12, "{indicator}: {factor}");
        }
        assert_eq!(width_factor(TARGET), 1.0);
    }
}
