//! One look per strategy, the same in every figure and every run: its colour (from the
//! colour-blind-safe [`PALETTE`]) and its marker shape depend on the strategy alone, never on its
//! position in a run.

use crate::initializer::Initializer;
use crate::plot::style::{Colour, Marker, Style, GREY, PALETTE};
use crate::strategy::Strategy;

/// The colour and marker of a strategy: geometric blue circle, arithmetic orange square,
/// quadratic teal triangle, He red diamond, LeCun indigo down-triangle, orthogonal (any
/// variance) wine cross, `mix:` olive plus, `variance:` brown open circle. A framework
/// initialiser takes the look of the strategy whose variance rule it shares (`framework`).
pub fn of(strategy: &Strategy) -> Style {
    let (colour, marker) = match strategy {
        Strategy::Framework(init) => return framework(init),
        Strategy::Geometric => (PALETTE[0], Marker::Circle),
        Strategy::Arithmetic => (PALETTE[1], Marker::Square),
        Strategy::Quadratic => (PALETTE[2], Marker::TriangleUp),
        Strategy::He => (PALETTE[3], Marker::Diamond),
        Strategy::LeCun => (PALETTE[4], Marker::TriangleDown),
        Strategy::Orthogonal { .. } => (PALETTE[5], Marker::Cross),
        Strategy::Mix { .. } => (PALETTE[6], Marker::Plus),
        Strategy::Variance { .. } => (PALETTE[7], Marker::OpenCircle),
    };
    Style::data(colour, marker)
}

/// A framework initialiser's look: that of the source-analysis strategy with its variance rule
/// (Xavier/Glorot: arithmetic; Kaiming/He: He; LeCun and PyTorch's default, s2 ∝ 1/fan_in:
/// LeCun; orthogonal: orthogonal; a fixed variance: `variance:`), so one rule has one colour
/// whichever framework draws it.
fn framework(init: &Initializer) -> Style {
    let analogue = match init {
        Initializer::XavierUniform { .. } | Initializer::XavierNormal { .. } => Strategy::Arithmetic,
        Initializer::VarianceScaling { mode: None, .. } => Strategy::Arithmetic,
        Initializer::KaimingUniform { .. } | Initializer::KaimingNormal { .. } => Strategy::He,
        Initializer::VarianceScaling { scale, .. } if *scale == 2.0 => Strategy::He,
        Initializer::VarianceScaling { .. } | Initializer::TorchDefault => Strategy::LeCun,
        Initializer::TorchOrthogonal { .. } => Strategy::Orthogonal { variance: None },
        Initializer::Fixed { variance, .. } => Strategy::Variance { variance: *variance },
    };
    of(&analogue)
}

/// The look of several strategies drawn as one series because their values coincide (common
/// random numbers): grey circles.
pub fn coinciding() -> Style {
    Style::data(GREY, Marker::Circle)
}

/// The colour of a strategy.
pub fn colour(strategy: &Strategy) -> Colour {
    of(strategy).colour
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_strategies_have_distinct_colours_and_markers() {
        let styles: Vec<Style> = Strategy::ALL_NAMED.iter().map(of).collect();
        for (i, a) in styles.iter().enumerate() {
            for b in &styles[i + 1..] {
                assert_ne!(a.colour, b.colour);
                assert_ne!(a.marker, b.marker);
            }
        }
        assert_eq!(of(&Strategy::Orthogonal { variance: Some(0.5) }), of(&Strategy::Orthogonal { variance: None }));
    }
}
