//! Claim: the three means √(mn) ≤ (m+n)/2 ≤ (m²+n²)/(m+n), equality iff m = n, and the example
//! m = 2, n = 8 giving 4, 5, 6.8.

use super::{stated_value_holds, table, Claim, Section, Verdict};
use crate::error::Result;
use crate::output::number::sig;
use crate::strategy::Strategy;

/// The three means M with s2 = 1/M, in the order of [`Strategy::MEANS`].
pub fn means(m: usize, n: usize) -> Result<[f64; 3]> {
    let mut out = [0.0; 3];
    for (o, s) in out.iter_mut().zip(Strategy::MEANS) {
        *o = 1.0 / s.variance(m, n)?;
    }
    Ok(out)
}

/// The shapes whose means the section tabulates.
const SHAPES: [(usize, usize); 8] =
    [(2, 8), (8, 2), (64, 128), (64, 256), (128, 128), (128, 256), (256, 1024), (1000, 1001)];

/// The example as stated in the analysis.
const STATED: [f64; 3] = [4.0, 5.0, 6.8];

/// What the section computes: the example's means and, per shape, the means and whether the
/// chain is strict (m ≠ n) or an equality (m = n).
#[derive(Debug, Clone, PartialEq)]
pub struct MeansResult {
    /// The means at m = 2, n = 8.
    pub example: [f64; 3],
    /// Per shape of `SHAPES`: (m, n, means, chain ordered as claimed).
    pub shapes: Vec<(usize, usize, [f64; 3], bool)>,
}

/// Computes the means (exact numbers; no Monte Carlo).
///
/// # Errors
/// Never for the fixed shapes used (kept for uniformity).
pub fn compute() -> Result<MeansResult> {
    let mut shapes = Vec::new();
    for (m, n) in SHAPES {
        let [g, a, q] = means(m, n)?;
        let ordered = if m == n { (g - a).abs() <= 1e-12 * a && (a - q).abs() <= 1e-12 * a } else { g < a && a < q };
        shapes.push((m, n, [g, a, q], ordered));
    }
    Ok(MeansResult { example: means(2, 8)?, shapes })
}

/// The section.
///
/// # Errors
/// Never for the fixed shapes used (kept for uniformity).
pub fn section() -> Result<Section> {
    Ok(render(&compute()?))
}

/// The section's markdown from its numbers.
pub fn render(result: &MeansResult) -> Section {
    let example = result.example;
    let example_holds = example.iter().zip(STATED).all(|(&t, s)| stated_value_holds(s, t, 1, 0.0));
    let chain_holds = result.shapes.iter().all(|s| s.3);
    let rows: Vec<Vec<String>> = result
        .shapes
        .iter()
        .map(|&(m, n, [g, a, q], ordered)| {
            vec![
                m.to_string(),
                n.to_string(),
                sig(g, 6),
                sig(a, 6),
                sig(q, 6),
                if ordered { "yes".into() } else { "**no**".into() },
            ]
        })
        .collect();
    let verdict = Verdict::of(example_holds && chain_holds);
    let mut body = String::new();
    body.push_str(
        "**Claim (as stated).** \"Inequality chain (true, equality iff m = n): sqrt(mn) ≤ (m+n)/2 ≤ \
         (m^2+n^2)/(m+n). Example m = 2, n = 8: 4, 5, 6.8.\"\n\n",
    );
    body.push_str(
        "**Closed form.** √(mn) ≤ (m+n)/2 is AM–GM; (m+n)/2 ≤ (m²+n²)/(m+n) ⇔ (m+n)² ≤ 2(m²+n²) ⇔ \
         0 ≤ (m−n)²; both with equality iff m = n. No Monte Carlo is needed: these are exact numbers.\n\n",
    );
    body.push_str(&format!(
        "**Example m = 2, n = 8.** Computed: {}, {}, {} (stated 4, 5, 6.8).\n\n",
        sig(example[0], 6),
        sig(example[1], 6),
        sig(example[2], 6)
    ));
    body.push_str(&table(
        &[
            "m",
            "n",
            "geometric √(mn)",
            "arithmetic (m+n)/2",
            "quadratic (m²+n²)/(m+n)",
            "chain strict (m ≠ n) / equal (m = n)",
        ],
        &rows,
    ));
    Section {
        id: "means",
        title: "The three means and their inequality".into(),
        claims: vec![Claim::new(
            "√(mn) ≤ (m+n)/2 ≤ (m²+n²)/(m+n), equality iff m = n; m = 2, n = 8 gives 4, 5, 6.8",
            verdict,
            format!(
                "exact: m = 2, n = 8 gives {}, {}, {}; the chain is {} for every m ≠ n tested",
                sig(example[0], 3),
                sig(example[1], 3),
                sig(example[2], 3),
                if chain_holds { "strict" } else { "not strict" }
            ),
        )],
        body,
        figures: Vec::new(),
    }
}
