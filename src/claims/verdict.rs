//! The one verdict rule of the report.
//!
//! A stated number **holds** when it lies within half a unit of its last stated digit (its own
//! rounding) plus 5 Monte Carlo standard errors of the true value ([`stated_value_holds`]). A
//! claim made of several parts (stated numbers or sub-claims) **holds** when every part holds,
//! **partly holds** when at least half of them do, and **does not hold** otherwise
//! ([`Verdict::from_parts`]; one part: holds or does not hold). Open questions of the analysis are
//! answered with numbers and get [`Verdict::Question`].

/// A verdict on one claim (in JSON: `holds`, `partly-holds`, `does-not-hold`, `open-question`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Verdict {
    /// The claim agrees with the computed values.
    #[serde(rename = "holds")]
    Holds,
    /// Part of the claim holds, part does not (the section says which).
    #[serde(rename = "partly-holds")]
    Partly,
    /// The claim disagrees with the computed values.
    #[serde(rename = "does-not-hold")]
    DoesNotHold,
    /// Not a claim but an open question of the analysis, answered with numbers.
    #[serde(rename = "open-question")]
    Question,
}

impl Verdict {
    /// From the parts of a claim: all hold → holds; at least half → partly; else does not hold.
    pub fn from_parts(parts: &[bool]) -> Self {
        let held = parts.iter().filter(|&&p| p).count();
        if held == parts.len() {
            Verdict::Holds
        } else if 2 * held >= parts.len() {
            Verdict::Partly
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
            Verdict::Partly => "**partly holds**",
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
    (stated - truth).abs() <= rounding + 5.0 * se + 1e-12
}

/// `holds` / `**no**` / `–` (not stated) for a table cell.
pub fn cell(holds: Option<bool>) -> String {
    match holds {
        Some(true) => "holds".into(),
        Some(false) => "**no**".into(),
        None => "–".into(),
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
    fn claims_hold_partly_when_at_least_half_their_parts_hold() {
        assert_eq!(Verdict::from_parts(&[true, true]), Verdict::Holds);
        assert_eq!(Verdict::from_parts(&[true, false]), Verdict::Partly);
        assert_eq!(Verdict::from_parts(&[true, true, false]), Verdict::Partly);
        // 1 of 12 stated values (the chain section's case): less than half.
        let mut one_of_twelve = [false; 12];
        one_of_twelve[0] = true;
        assert_eq!(Verdict::from_parts(&one_of_twelve), Verdict::DoesNotHold);
        assert_eq!(Verdict::from_parts(&[false, false]), Verdict::DoesNotHold);
        assert_eq!(Verdict::of(true), Verdict::Holds);
        assert_eq!(Verdict::of(false), Verdict::DoesNotHold);
    }
}
