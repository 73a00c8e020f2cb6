//! What a control's test found: each sampled item's result, the conclusion, and the test itself.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::{PopulationSource, RotationDeviation};
use crate::analyse::periodic::{Occurrence, Schedule};
use crate::analyse::sampling::{Item, SizeRule};
use crate::analyse::soc2_sources::SourceDeviation;
use crate::content::model::Control;

/// The result of one sampled item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemResult {
    /// Evidence found, every record a pass.
    Pass,
    /// At least one record is an exception.
    Exception,
    /// No evidence record for the item.
    Missing,
}

impl ItemResult {
    /// The lowercase word used in pages, CSV and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemResult::Pass => "pass",
            ItemResult::Exception => "exception",
            ItemResult::Missing => "missing",
        }
    }
}

/// The conclusion of a control's test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Conclusion {
    /// Every sampled item passed and no exception is recorded in the period.
    NoExceptions,
    /// A deviation: a sampled item is an exception or has no evidence, or a record of the period
    /// is an exception.
    Exceptions,
    /// The population is empty.
    NoPopulation,
}

impl Conclusion {
    /// The wording used in the report: management's own testing, never an auditor's phrase.
    pub fn label(self) -> &'static str {
        match self {
            Conclusion::NoExceptions => "Management's testing: no deviations found",
            Conclusion::Exceptions => "Management's testing: deviations found",
            Conclusion::NoPopulation => "Not tested: no population",
        }
    }
}

/// One sampled item of a control's population.
#[derive(Debug, Clone)]
pub struct Sampled {
    /// 1-based rank in the sample.
    pub rank: usize,
    /// Item id.
    pub id: String,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// A title (the population row's, or the evidence record's).
    pub title: Option<String>,
    /// Ranking hash (lowercase hex SHA-256 of `<seed>:<control>:<item>`).
    pub hash: String,
    /// Indices into `content.evidence` of the item's evidence records.
    pub evidence: Vec<usize>,
    /// Pass, exception or missing.
    pub result: ItemResult,
}

/// The test of one control.
#[derive(Debug, Clone)]
pub struct ControlTest<'c> {
    /// The control.
    pub control: &'c Control,
    /// Whether it maps to a SOC 2 criterion of a category in scope (appears in the report).
    pub in_scope: bool,
    /// Where its population comes from.
    pub source: PopulationSource,
    /// The population, in source order.
    pub population: Vec<Item>,
    /// Population digest ([`sampling::population_digest`](crate::analyse::sampling::population_digest)).
    pub digest: String,
    /// How the sample was sized.
    pub rule: SizeRule,
    /// The sample, in rank order.
    pub sample: Vec<Sampled>,
    /// Exception records of the period for this control that the sample did not pick
    /// (indices into `content.evidence`, by date then id).
    pub unsampled_exceptions: Vec<usize>,
    /// The conclusion.
    pub conclusion: Conclusion,
    /// Every failed attribute over the whole population of a control with sources, sampled or
    /// not, in source and file order (empty for other populations).
    pub deviations: Vec<SourceDeviation<'c>>,
    /// The calendar of a control whose population is its expected occurrences
    /// ([`PopulationSource::Calendar`]); evidence indices are into `content.evidence`.
    pub schedule: Option<Schedule>,
    /// Every required rotation not on time over the whole population of a rotation control,
    /// sampled or not, in population order (empty for other populations).
    pub rotation_deviations: Vec<RotationDeviation>,
}

impl ControlTest<'_> {
    /// Sampled items without evidence.
    pub fn missing(&self) -> impl Iterator<Item = &Sampled> {
        self.sample
            .iter()
            .filter(|s| s.result == ItemResult::Missing)
    }

    /// Sampled items that are exceptions.
    pub fn exceptions(&self) -> impl Iterator<Item = &Sampled> {
        self.sample
            .iter()
            .filter(|s| s.result == ItemResult::Exception)
    }

    /// Expected occurrences without evidence (gaps), sampled or not, in calendar order: each
    /// with whether the sample drew it.
    pub fn gaps(&self) -> Vec<(&Occurrence, bool)> {
        let Some(schedule) = &self.schedule else {
            return Vec::new();
        };
        let drawn: HashSet<&str> = self.missing().map(|s| s.id.as_str()).collect();
        schedule
            .gaps()
            .map(|o| (o, drawn.contains(o.interval.to_string().as_str())))
            .collect()
    }
}
