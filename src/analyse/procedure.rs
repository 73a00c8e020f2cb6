//! What management's test of a control is, and what it found: the nature and procedure of the
//! test (declared on the control or a default per kind of control) and the deviation figures.
//!
//! Every result of the SOC 2 bundle is **management's** testing of its own controls, read from
//! its own records: never a service auditor's test or conclusion.
//!
//! # Deviations
//!
//! A sampled item is a deviation when it is an exception or has no evidence (a sampled item
//! without evidence cannot show the control operated). The *rate* is deviations found over items
//! tested. The *population-wide* deviations are those of the sample plus, outside it, the
//! exceptions the organisation recorded for the control in the period, the required rotations
//! not on time, and the items of a source that failed an attribute.

use serde::Serialize;

use super::soc2::{ControlTest, Soc2Analysis};
use crate::content::catalog::SOC2;
use crate::content::model::{AttributeResult, Control, Frequency, TestNature};
use crate::content::Content;

/// The test of a control as the report states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    /// Nature of the test.
    pub nature: TestNature,
    /// What the tester does (Markdown).
    pub text: String,
    /// Whether this is the default for the kind of control (the control declares none).
    pub default: bool,
}

/// The default procedure for a control of this kind (automated, on-event or periodic).
pub fn default_procedure(control: &Control) -> Procedure {
    let text = if control.automated {
        "Inspect the system's configuration for the control once (a test of one), and rely on the \
         IT general controls over the system (change management, logical access) for the rest of \
         the period."
    } else if control.frequency == Frequency::OnEvent {
        "For each sampled event, inspect its evidence for the control activity described: \
         performed by the operator, approved where the control requires it, and on time."
    } else {
        "For each sampled occurrence, inspect its evidence for the control activity described: \
         performed by the operator in the interval it belongs to, and approved where the control \
         requires it."
    };
    Procedure {
        nature: TestNature::Inspection,
        text: text.to_string(),
        default: true,
    }
}

/// The procedure the report states for `control`: its `test:` declaration (whose procedure
/// falls back to `test_procedure`, then to the default text), else its `test_procedure` (an
/// inspection), otherwise the default for its kind.
pub fn procedure(control: &Control) -> Procedure {
    let declared = |t: &Option<String>| {
        t.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let text = control
        .test
        .as_ref()
        .and_then(|t| declared(&t.procedure))
        .or_else(|| declared(&control.test_procedure));
    match (&control.test, text) {
        (Some(t), Some(text)) => Procedure {
            nature: t.nature,
            text,
            default: false,
        },
        (Some(t), None) => Procedure {
            nature: t.nature,
            ..default_procedure(control)
        },
        (None, Some(text)) => Procedure {
            nature: TestNature::Inspection,
            text,
            default: false,
        },
        (None, None) => default_procedure(control),
    }
}

/// The result of one declared attribute on one sampled item, over the item's evidence records:
/// an exception on any record wins, then a pass, then not applicable; `None` when no record
/// states it.
pub fn attribute_result(
    content: &Content,
    evidence: &[usize],
    attribute: &str,
) -> Option<AttributeResult> {
    let results: Vec<AttributeResult> = evidence
        .iter()
        .filter_map(|&i| content.evidence[i].value.attributes.get(attribute).copied())
        .collect();
    [
        AttributeResult::Exception,
        AttributeResult::Pass,
        AttributeResult::NotApplicable,
    ]
    .into_iter()
    .find(|r| results.contains(r))
}

/// Criteria whose controls are the IT general controls an automated control relies on by
/// default: change management (CC8.1) and logical access (CC6.1-CC6.3), per the TSC 2017 ids in
/// `soc2-tsc-2017.yaml`.
pub const ITGC_CRITERIA: [&str; 4] = ["CC8.1", "CC6.1", "CC6.2", "CC6.3"];

/// The IT general controls the test of one of automated control `test` relies on: its
/// `test.relies_on` when declared, otherwise every other manual control of the analysis mapped to
/// an [`ITGC_CRITERIA`] criterion; with whether each had deviations in the period.
pub fn relied_on<'a, 'c>(
    analysis: &'a Soc2Analysis<'c>,
    test: &ControlTest<'c>,
) -> (Vec<(&'a ControlTest<'c>, bool)>, bool) {
    let declared = test
        .control
        .test
        .as_ref()
        .map_or(&[][..], |t| t.relies_on.as_slice());
    let tests: Vec<&ControlTest> = if declared.is_empty() {
        analysis
            .tests
            .iter()
            .filter(|t| t.control.id != test.control.id && !t.control.automated)
            .filter(|t| {
                t.control
                    .maps
                    .get(SOC2)
                    .is_some_and(|ids| ids.iter().any(|id| ITGC_CRITERIA.contains(&id.as_str())))
            })
            .collect()
    } else {
        declared.iter().filter_map(|id| analysis.test(id)).collect()
    };
    let with = tests
        .into_iter()
        .map(|t| (t, Deviations::of(t).in_population > 0))
        .collect();
    (with, !declared.is_empty())
}

/// The deviation figures of one control's test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deviations {
    /// Sampled items tested.
    pub tested: usize,
    /// Sampled items that are exceptions.
    pub exceptions: usize,
    /// Sampled items without evidence.
    pub missing: usize,
    /// Deviations found in the sample (exceptions and items without evidence).
    pub in_sample: usize,
    /// Deviations in the sample plus those over the rest of the population: exceptions recorded
    /// in the period that it did not pick, expected occurrences without evidence, unsampled
    /// required rotations not on time, and unsampled items of a source with a failed attribute
    /// (each item once).
    pub in_population: usize,
}

impl Deviations {
    /// The figures of `test`.
    pub fn of(test: &ControlTest<'_>) -> Deviations {
        let exceptions = test.exceptions().count();
        let missing = test.missing().count();
        Deviations {
            tested: test.sample.len(),
            exceptions,
            missing,
            in_sample: exceptions + missing,
            in_population: exceptions
                + missing
                + test.unsampled_exceptions.len()
                + test.gaps().iter().filter(|(_, drawn)| !drawn).count()
                + test
                    .rotation_deviations
                    .iter()
                    .filter(|d| !d.sampled)
                    .count()
                + test
                    .deviations
                    .iter()
                    .filter(|d| !d.sampled)
                    .map(|d| (d.source, d.key))
                    .collect::<std::collections::HashSet<_>>()
                    .len(),
        }
    }

    /// The rate as people read it: `2 of 25 (8.0%)`, or `none tested`.
    pub fn rate(&self) -> String {
        if self.tested == 0 {
            return "none tested".into();
        }
        // Tenths of a percent, rounded half up, in integers (no float formatting surprises).
        let tenths = (self.in_sample * 1000 * 2 + self.tested) / (self.tested * 2);
        format!(
            "{} of {} ({}.{}%)",
            self.in_sample,
            self.tested,
            tenths / 10,
            tenths % 10
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn control(frequency: Frequency, automated: bool, procedure: Option<&str>) -> Control {
        Control {
            id: "C".into(),
            title: "t".into(),
            description: String::new(),
            owner: "o".into(),
            operator: "p".into(),
            frequency,
            automated,
            policies: vec![],
            maps: BTreeMap::new(),
            test_procedure: procedure.map(str::to_string),
            extra: None,
            test: None,
            clauses: vec![],
        }
    }

    #[test]
    fn defaults_per_kind_are_marked_default() {
        let auto = procedure(&control(Frequency::Daily, true, None));
        assert!(auto.default && auto.text.contains("test of one"));
        let event = procedure(&control(Frequency::OnEvent, false, None));
        assert!(event.default && event.text.contains("each sampled event"));
        let periodic = procedure(&control(Frequency::Monthly, false, Some("  ")));
        assert!(periodic.default && periodic.text.contains("each sampled occurrence"));
        assert_eq!(periodic.nature, TestNature::Inspection);
        let declared = procedure(&control(
            Frequency::Monthly,
            false,
            Some("Read the minutes."),
        ));
        assert_eq!(
            declared,
            Procedure {
                nature: TestNature::Inspection,
                text: "Read the minutes.".into(),
                default: false
            }
        );
    }

    #[test]
    fn rates_round_to_a_tenth_of_a_percent() {
        let d = |in_sample, tested| Deviations {
            tested,
            exceptions: in_sample,
            missing: 0,
            in_sample,
            in_population: in_sample,
        };
        assert_eq!(d(0, 0).rate(), "none tested");
        assert_eq!(d(0, 25).rate(), "0 of 25 (0.0%)");
        assert_eq!(d(2, 25).rate(), "2 of 25 (8.0%)");
        assert_eq!(d(1, 3).rate(), "1 of 3 (33.3%)");
        assert_eq!(d(2, 3).rate(), "2 of 3 (66.7%)");
        assert_eq!(d(1, 8).rate(), "1 of 8 (12.5%)");
        assert_eq!(d(3, 3).rate(), "3 of 3 (100.0%)");
    }
}
