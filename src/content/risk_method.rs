//! The pack's own risk method (`risk_method:` in pack.yaml, ISO 27001 6.1.2): the likelihood and
//! impact scales, how a score is computed, the level bands and the risk appetite. A pack without
//! one is scored with [`RiskMethod::default`], the method every pack used before it could declare
//! its own (so its pages render unchanged).

use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::model::Pack;

/// How likelihood and impact combine into a score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Formula {
    /// Likelihood × impact (the default).
    #[default]
    Product,
    /// Likelihood + impact.
    Sum,
}

/// One level band: the scores from `from` to `to` (both included) are `level`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The level's name (`low`, `medium`, `high`, `critical`).
    pub level: String,
    /// Lowest score of the band.
    pub from: u32,
    /// Highest score of the band.
    pub to: u32,
}

/// `risk_method:` in pack.yaml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskMethod {
    /// One label per likelihood point, lowest first (a scale of 1 to its length).
    pub likelihood: Vec<String>,
    /// One label per impact point, lowest first.
    pub impact: Vec<String>,
    /// How the score is computed.
    #[serde(default)]
    pub formula: Formula,
    /// The level bands, lowest first, together covering every possible score once.
    pub bands: Vec<Band>,
    /// The highest residual score the organisation accepts without a named acceptance.
    #[serde(default)]
    pub appetite: Option<u32>,
    /// The policy that documents the method (a policy id).
    #[serde(default)]
    pub policy: Option<String>,
}

static DEFAULT: LazyLock<RiskMethod> = LazyLock::new(|| {
    let labels = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
    let band = |level: &str, from, to| Band {
        level: level.to_string(),
        from,
        to,
    };
    RiskMethod {
        likelihood: labels(&["rare", "unlikely", "possible", "likely", "almost certain"]),
        impact: labels(&["negligible", "minor", "moderate", "major", "severe"]),
        formula: Formula::Product,
        bands: vec![
            band("low", 1, 7),
            band("medium", 8, 14),
            band("high", 15, 25),
        ],
        appetite: None,
        policy: None,
    }
});

impl Default for RiskMethod {
    /// 1..5 scales, likelihood × impact, low below 8, medium 8 to 14, high from 15, no appetite.
    fn default() -> RiskMethod {
        DEFAULT.clone()
    }
}

impl RiskMethod {
    /// The method of `pack`: its own, or the default.
    pub fn of(pack: Option<&Pack>) -> &RiskMethod {
        pack.and_then(|p| p.risk_method.as_ref())
            .unwrap_or_else(|| &DEFAULT)
    }

    /// The score of a likelihood and an impact.
    pub fn score(&self, likelihood: u8, impact: u8) -> u32 {
        let (l, i) = (u32::from(likelihood), u32::from(impact));
        match self.formula {
            Formula::Product => l * i,
            Formula::Sum => l + i,
        }
    }

    /// The lowest and highest possible score.
    pub fn score_range(&self) -> (u32, u32) {
        let top = |s: &[String]| u8::try_from(s.len()).unwrap_or(u8::MAX);
        (
            self.score(1, 1),
            self.score(top(&self.likelihood), top(&self.impact)),
        )
    }

    /// The band a score falls in, with its position (0 = lowest).
    pub fn band(&self, score: u32) -> Option<(usize, &Band)> {
        self.bands
            .iter()
            .enumerate()
            .find(|(_, b)| b.from <= score && score <= b.to)
    }

    /// The name of the level of `score` (empty when no band holds it).
    pub fn level(&self, score: u32) -> &str {
        self.band(score).map_or("", |(_, b)| b.level.as_str())
    }

    /// The colour tone of the band at position `i` of `n` bands: `low`, `medium`, `high` or
    /// `critical`, so a pack may name its levels as it likes and the pages still colour them.
    pub fn tone(i: usize, n: usize) -> &'static str {
        const TONES: [&str; 4] = ["low", "medium", "high", "critical"];
        match n {
            0 | 1 => TONES[0],
            2 => [TONES[0], TONES[2]][i.min(1)],
            3 | 4 => TONES[i.min(3)],
            _ => TONES[(i * 4 / n).min(3)],
        }
    }

    /// The tone of the level of `score` (`none` when no band holds it).
    pub fn tone_of(&self, score: u32) -> &'static str {
        self.band(score)
            .map_or("none", |(i, _)| Self::tone(i, self.bands.len()))
    }

    /// Is a residual `score` above the appetite (never, without one)?
    pub fn above_appetite(&self, score: u32) -> bool {
        self.appetite.is_some_and(|a| score > a)
    }

    /// Problems with the method itself: `(field pointer below risk_method, message)`.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (field, scale) in [("likelihood", &self.likelihood), ("impact", &self.impact)] {
            if scale.is_empty() || scale.len() > 10 {
                out.push((
                    field.to_string(),
                    format!(
                        "the {field} scale has {} points; it needs 1 to 10",
                        scale.len()
                    ),
                ));
            }
        }
        if !out.is_empty() {
            return out;
        }
        let (min, max) = self.score_range();
        if self.bands.is_empty() {
            out.push(("bands".into(), "no level bands".into()));
            return out;
        }
        let mut next = min;
        for (i, b) in self.bands.iter().enumerate() {
            if b.from > b.to {
                out.push((
                    format!("bands/{i}/to"),
                    format!(
                        "band `{}` ends ({}) before it starts ({})",
                        b.level, b.to, b.from
                    ),
                ));
                return out;
            }
            if b.from != next {
                out.push((
                    format!("bands/{i}/from"),
                    if b.from > next {
                        format!(
                            "band `{}` starts at {}, leaving scores {next} to {} in no band",
                            b.level,
                            b.from,
                            b.from - 1
                        )
                    } else {
                        format!(
                            "band `{}` starts at {}, overlapping the band before it (expected {next})",
                            b.level, b.from
                        )
                    },
                ));
                return out;
            }
            if let Some(j) = self.bands[..i].iter().position(|o| o.level == b.level) {
                out.push((
                    format!("bands/{i}/level"),
                    format!("band `{}` is named twice (bands {j} and {i})", b.level),
                ));
            }
            next = b.to + 1;
        }
        if next <= max {
            out.push((
                format!("bands/{}/to", self.bands.len() - 1),
                format!(
                    "the bands end at {}, below the highest score {max}",
                    next - 1
                ),
            ));
        }
        if let Some(a) = self.appetite {
            if a < min || a > max {
                out.push((
                    "appetite".into(),
                    format!("appetite {a} is outside the scores {min} to {max}"),
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(bands: &[(&str, u32, u32)]) -> RiskMethod {
        RiskMethod {
            bands: bands
                .iter()
                .map(|&(l, from, to)| Band {
                    level: l.into(),
                    from,
                    to,
                })
                .collect(),
            ..RiskMethod::default()
        }
    }

    #[test]
    fn the_default_keeps_the_old_bands() {
        let m = RiskMethod::default();
        assert_eq!(m.level(25), "high");
        assert_eq!(m.level(15), "high");
        assert_eq!(m.level(14), "medium");
        assert_eq!(m.level(8), "medium");
        assert_eq!(m.level(7), "low");
        assert_eq!(m.level(1), "low");
        assert_eq!(m.score_range(), (1, 25));
        assert!(m.problems().is_empty());
        assert!(!m.above_appetite(25));
    }

    #[test]
    fn a_twelve_is_high_under_bands_ten_to_sixteen() {
        let m = method(&[
            ("low", 1, 4),
            ("medium", 5, 9),
            ("high", 10, 16),
            ("critical", 17, 25),
        ]);
        assert!(m.problems().is_empty(), "{:?}", m.problems());
        assert_eq!(m.level(12), "high");
        assert_eq!(m.level(10), "high");
        assert_eq!(m.level(9), "medium");
        assert_eq!(m.level(17), "critical");
        assert_eq!(m.tone_of(20), "critical");
        assert_eq!(m.tone_of(4), "low");
    }

    #[test]
    fn sums_score_from_two() {
        let m = RiskMethod {
            formula: Formula::Sum,
            ..method(&[("low", 2, 5), ("high", 6, 10)])
        };
        assert_eq!(m.score(3, 4), 7);
        assert_eq!(m.score_range(), (2, 10));
        assert!(m.problems().is_empty());
        assert_eq!(m.tone_of(6), "high");
    }

    #[test]
    fn bands_must_cover_every_score_once() {
        let gap = method(&[("low", 1, 4), ("high", 6, 25)]);
        assert_eq!(
            gap.problems(),
            [(
                "bands/1/from".to_string(),
                "band `high` starts at 6, leaving scores 5 to 5 in no band".to_string()
            )]
        );
        let overlap = method(&[("low", 1, 5), ("high", 5, 25)]);
        assert_eq!(overlap.problems()[0].0, "bands/1/from");
        assert!(overlap.problems()[0].1.contains("overlapping"));
        let short = method(&[("low", 1, 5), ("high", 6, 20)]);
        assert_eq!(
            short.problems(),
            [(
                "bands/1/to".to_string(),
                "the bands end at 20, below the highest score 25".to_string()
            )]
        );
        let late_start = method(&[("low", 2, 25)]);
        assert_eq!(late_start.problems()[0].0, "bands/0/from");
        let reversed = method(&[("low", 1, 0)]);
        assert_eq!(reversed.problems()[0].0, "bands/0/to");
        let twice = method(&[("low", 1, 5), ("low", 6, 25)]);
        assert_eq!(twice.problems()[0].0, "bands/1/level");
        assert!(method(&[]).problems()[0].1.contains("no level bands"));
    }

    #[test]
    fn appetite_and_scales_are_validated() {
        let m = RiskMethod {
            appetite: Some(26),
            ..RiskMethod::default()
        };
        assert_eq!(m.problems()[0].0, "appetite");
        let m = RiskMethod {
            appetite: Some(9),
            ..RiskMethod::default()
        };
        assert!(m.problems().is_empty());
        assert!(m.above_appetite(10));
        assert!(!m.above_appetite(9));
        let m = RiskMethod {
            impact: Vec::new(),
            ..RiskMethod::default()
        };
        assert_eq!(m.problems()[0].0, "impact");
        let m = RiskMethod {
            likelihood: vec!["x".into(); 11],
            ..RiskMethod::default()
        };
        assert_eq!(m.problems()[0].0, "likelihood");
    }

    #[test]
    fn tones_spread_over_the_bands() {
        assert_eq!(RiskMethod::tone(0, 1), "low");
        assert_eq!(RiskMethod::tone(1, 2), "high");
        assert_eq!(RiskMethod::tone(2, 3), "high");
        assert_eq!(RiskMethod::tone(3, 4), "critical");
        assert_eq!(RiskMethod::tone(0, 5), "low");
        assert_eq!(RiskMethod::tone(2, 5), "medium");
        assert_eq!(RiskMethod::tone(4, 5), "critical");
    }
}
