//! The one verdict rule of the report.
//!
//! A stated number **holds** when it lies within half a unit of its last stated digit (the
//! precision the claim itself states) plus 5 Monte Carlo standard errors of the true value
//! ([`stated_value_holds`]; 5 se: a false alarm about once in 1.7 million for a correct number).
//! A claim **holds** when every number it states holds ([`Verdict::from_parts`]), and **does not
//! hold** otherwise. Each claim of the analysis is judged on its own: a section that checks
//! several claims gives each its own verdict and its own row in the summary, never one bundled
//! verdict. Open questions of the analysis are answered with numbers and get
//! [`Verdict::Question`].

/// How many standard errors a Monte Carlo estimate may lie from the truth (5: a false alarm about
/// once in 1.7 million for a correct value).
pub const Z: f64 = 5.0;

/// A verdict on one claim (in JSON: `holds`, `does-not-hold`, `open-question`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    /// The claim agrees with the computed values.
    #[serde(rename = "holds")]
    Holds,
    /// The claim disagrees with the computed values.
    #[serde(rename = "does-not-hold")]
    DoesNotHold,
    /// Not a claim but an open question of the analysis, answered with numbers.
    #[serde(rename = "open-question")]
    Question,
}

impl Verdict {
    /// From the numbers a claim states: holds when every one holds.
    pub fn from_parts(parts: &[bool]) -> Self {
        if parts.iter().all(|&p| p) {
            Verdict::Holds
        } else {
            Verdict::DoesNotHold
        }
    }

    /// From one boolean.
    pub fn of(holds: bool) -> Self {
        Self::from_parts(&[holds])
    }

    /// Markdown text.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Holds => "**holds**",
            Verdict::DoesNotHold => "**does not hold**",
            Verdict::Question => "open question, answered",
        }
    }
}

/// Whether a stated value agrees with the truth: within half a unit of its last stated digit
/// (`decimals` after the point) plus 5 standard errors of the Monte Carlo estimate (`stderr`,
/// 0 for a closed form).
pub fn stated_value_holds(stated: f64, truth: f64, decimals: u32, stderr: f64) -> bool {
    let rounding = 0.5 * 10f64.powi(-(decimals as i32));
    let se = if stderr.is_finite() { stderr } else { 0.0 };
    (stated - truth).abs() <= rounding + Z * se + 1e-12
}

/// `holds` / `**no**` / `–` (not stated) for a table cell.
pub fn cell(holds: Option<bool>) -> String {
    match holds {
        Some(true) => "holds".into(),
        Some(false) => "**no**".into(),
        None => "–".into(),
    }
}

/// The sign of every difference as a phrase ("below" when all are negative, "above" when all are
/// positive, "on both sides of" otherwise), for sentences that state a direction: the word is
/// computed from the same numbers the table shows.
pub fn side(differences: &[f64]) -> &'static str {
    if differences.iter().all(|d| *d < 0.0) {
        "below"
    } else if differences.iter().all(|d| *d > 0.0) {
        "above"
    } else {
        "on both sides of"
    }
}

/// `yes` / `no` in bold, for a sentence.
pub fn yes_no(yes: bool) -> &'static str {
    if yes {
        "yes"
    } else {
        "no"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stated_values_are_judged_by_rounding_and_standard_error() {
        assert!(stated_value_holds(0.94, 0.9449, 2, 0.0));
        assert!(!stated_value_holds(0.94, 0.6667, 2, 0.001));
        assert!(stated_value_holds(1.0012, 1.0, 4, 0.0003));
        assert!(!stated_value_holds(1.0012, 0.4, 4, 0.001));
    }

    #[test]
    fn a_claim_holds_only_when_every_number_it_states_holds() {
        assert_eq!(Verdict::from_parts(&[true, true]), Verdict::Holds);
        // No "partly": a claim with one wrong number does not hold.
        assert_eq!(Verdict::from_parts(&[true, true, false]), Verdict::DoesNotHold);
        assert_eq!(Verdict::from_parts(&[false, false]), Verdict::DoesNotHold);
        assert_eq!(Verdict::of(true), Verdict::Holds);
        assert_eq!(side(&[-0.1, -0.02]), "below");
        assert_eq!(side(&[0.1]), "above");
        assert_eq!(side(&[0.1, -0.1]), "on both sides of");
        assert_eq!(Verdict::of(false), Verdict::DoesNotHold);
    }
}
