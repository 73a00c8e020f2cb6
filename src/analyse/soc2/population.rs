//! A control's population: where it comes from (sources, a population file, the rotations
//! the identities required, the calendar's occurrences, or the control's evidence records), its
//! items and their digest, taken before the seed is final.

use std::collections::HashSet;

#[cfg(doc)]
use super::ControlTest;
use super::{ItemResult, Sampler};
use crate::analyse::identities::DueRotation;
use crate::analyse::periodic::{self, Schedule};
use crate::analyse::sampling::{self, Item};
use crate::analyse::soc2_sources;
use crate::content::model::{Control, Period};

/// Where a control's population comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PopulationSource {
    /// `populations/<control-id>.csv`.
    File {
        /// The file, relative to the content root.
        rel: String,
        /// Rows in the file.
        rows: usize,
        /// Rows dated outside the period, left out of the population.
        outside_period: usize,
    },
    /// The control's evidence records dated inside the period.
    Evidence,
    /// The items of the sources that name the control ([`soc2_sources`]).
    Sources {
        /// Indices into `content.sources`, in declaration order.
        sources: Vec<usize>,
    },
    /// The occurrences a periodic control's calendar expected ([`ControlTest::schedule`]).
    Calendar,
    /// Every rotation the identities' `rotation_days` required in the period (the control is a
    /// rotation control: see the module documentation).
    Rotations {
        /// Identities with at least one required rotation.
        identities: usize,
    },
}

/// A control's population, taken before the seed is final: the items, where they come from,
/// and their digest ([`sampling::population_digest`]).
#[derive(Debug)]
pub struct ControlPopulation<'c> {
    /// Where the items come from.
    pub(super) source: PopulationSource,
    /// The items in the period.
    pub(super) items: Vec<Item>,
    /// Each item's title, when its source gives one.
    pub(super) titles: Vec<Option<&'c str>>,
    /// For a population from sources: whether each item failed an attribute.
    pub(super) failed: Option<Vec<bool>>,
    /// For a periodic control tested against the calendar: its occurrences and their evidence.
    pub(super) schedule: Option<Schedule>,
    /// For a rotation control: each required rotation, with its evidence and result.
    pub(super) rotations: Option<Vec<(Vec<usize>, ItemResult)>>,
    /// For a rotation control: the required rotations, in population order.
    pub(super) rotation_due: Vec<DueRotation>,
    /// SHA-256 of the canonical population.
    pub digest: String,
}

impl<'c> Sampler<'c> {
    /// The population of one control and its digest, before anything is drawn from it.
    pub fn population(&self, control: &'c Control) -> ControlPopulation<'c> {
        let content = self.content;
        let id = control.id.as_str();
        // Populations run from the period's start to the as-of date.
        let period = Period {
            start: self.period.start,
            end: self.as_of,
        };
        let file = content.populations.iter().find(|p| p.control == id);
        let from_sources = soc2_sources::population(content, id);
        let schedule = match (&from_sources, file) {
            (None, None) if !control.automated && !self.rotation_controls.contains(id) => {
                self.schedule(control)
            }
            _ => None,
        };
        let mut failed = None;
        // For a rotation control: each required rotation, and its evidence and result.
        let mut rotations: Option<Vec<(Vec<usize>, ItemResult)>> = None;
        let mut rotation_due: Vec<&DueRotation> = Vec::new();
        // (item, title, evidence) for every item of the population.
        let (source, population, titles): (PopulationSource, Vec<Item>, Vec<Option<&str>>) =
            match (from_sources, file) {
                (Some(s), _) => {
                    failed = Some(s.failed);
                    let source = PopulationSource::Sources { sources: s.sources };
                    (source, s.items, s.titles)
                }
                (None, Some(pop)) => {
                    let inside: Vec<_> = pop
                        .rows
                        .iter()
                        .filter(|r| period.contains(r.occurred_on))
                        .collect();
                    let source = PopulationSource::File {
                        rel: content
                            .files
                            .get(pop.file)
                            .map_or_else(|| format!("populations/{id}.csv"), |f| f.rel.clone()),
                        rows: pop.rows.len(),
                        outside_period: pop.rows.len() - inside.len(),
                    };
                    let items = inside
                        .iter()
                        .map(|r| Item {
                            id: r.id.clone(),
                            occurred_on: r.occurred_on,
                        })
                        .collect();
                    let titles = inside.iter().map(|r| r.title.as_deref()).collect();
                    (source, items, titles)
                }
                (None, None) if self.rotation_controls.contains(id) => {
                    let due = self.due_rotations(id);
                    let source = PopulationSource::Rotations {
                        identities: due
                            .iter()
                            .map(|d| d.identity.as_str())
                            .collect::<HashSet<_>>()
                            .len(),
                    };
                    let items = due
                        .iter()
                        .map(|d| Item {
                            id: d.key(),
                            occurred_on: d.due,
                        })
                        .collect();
                    rotations = Some(due.iter().map(|d| self.rotation_result(id, d)).collect());
                    rotation_due = due;
                    (source, items, vec![None; rotation_due.len()])
                }
                (None, None) if schedule.is_some() => {
                    let due = schedule.as_ref().map_or(&[][..], |s| s.due.as_slice());
                    let items = due
                        .iter()
                        .map(|o| Item {
                            id: o.interval.to_string(),
                            occurred_on: o.due,
                        })
                        .collect();
                    (PopulationSource::Calendar, items, vec![None; due.len()])
                }
                (None, None) => {
                    let records: Vec<usize> = self
                        .records_of(id)
                        .filter(|&i| period.contains(content.evidence[i].value.occurred_on))
                        .collect();
                    let items = records
                        .iter()
                        .map(|&i| Item {
                            id: content.evidence[i].value.id.clone(),
                            occurred_on: content.evidence[i].value.occurred_on,
                        })
                        .collect();
                    let titles = records
                        .iter()
                        .map(|&i| Some(content.evidence[i].value.title.as_str()))
                        .collect();
                    (PopulationSource::Evidence, items, titles)
                }
            };
        ControlPopulation {
            digest: sampling::population_digest(&population),
            source,
            items: population,
            titles,
            failed,
            schedule,
            rotations,
            rotation_due: rotation_due.into_iter().cloned().collect(),
        }
    }

    /// The calendar of periodic `control` at the as-of date, its occurrences matched to its
    /// evidence records; `None` for an on-event or continuous control.
    fn schedule(&self, control: &Control) -> Option<Schedule> {
        let calendar = self
            .content
            .pack
            .as_ref()
            .map(|p| &p.value.calendar)
            .cloned()
            .unwrap_or_default();
        let records = self
            .records_of(&control.id)
            .map(|i| (i, periodic::span(&self.content.evidence[i].value)));
        periodic::schedule(
            control.frequency,
            self.period,
            self.as_of,
            &calendar,
            records,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{control, evidence, pack};
    use super::super::{Conclusion, ItemResult, PopulationSource, Soc2Analysis};
    use crate::analyse::sampling::{self, Item};
    use crate::content::model::Frequency;
    use crate::content::{Content, Population, PopulationRow};
    use crate::test_support::d;

    #[test]
    fn evidence_population_excludes_records_outside_the_period() {
        let mut content = Content::default();
        content
            .controls
            .push(control("C-1", Frequency::OnEvent, false));
        for i in 0..8 {
            content
                .evidence
                .push(evidence(&format!("E-{i}"), "C-1", "2026-02-01", None, true));
        }
        content
            .evidence
            .push(evidence("E-old", "C-1", "2025-12-31", None, false));
        let pack = pack(Some("s"));
        let a = Soc2Analysis::new(&content, &pack).unwrap();
        let t = a.test("C-1").unwrap();
        assert_eq!(t.source, PopulationSource::Evidence);
        assert_eq!(t.population.len(), 8);
        assert_eq!(t.sample.len(), 8);
        assert_eq!(t.conclusion, Conclusion::NoExceptions);
        assert!(t.unsampled_exceptions.is_empty());
        let items: Vec<Item> = (0..8)
            .map(|i| Item {
                id: format!("E-{i}"),
                occurred_on: d("2026-02-01"),
            })
            .collect();
        assert_eq!(t.digest, sampling::population_digest(&items));
    }

    #[test]
    fn population_rows_match_evidence_by_id_or_source() {
        let mut content = Content::default();
        content
            .controls
            .push(control("C-2", Frequency::OnEvent, false));
        let rows = ["T-1", "T-2", "T-3", "T-4"]
            .iter()
            .enumerate()
            .map(|(i, id)| PopulationRow {
                id: id.to_string(),
                occurred_on: d("2026-03-01"),
                title: None,
                line: i + 2,
            })
            .chain([PopulationRow {
                id: "T-old".into(),
                occurred_on: d("2025-01-01"),
                title: None,
                line: 6,
            }])
            .collect();
        content.populations.push(Population {
            control: "C-2".into(),
            file: 0,
            rows,
        });
        content
            .evidence
            .push(evidence("T-1", "C-2", "2026-03-01", None, true));
        content
            .evidence
            .push(evidence("E-9", "C-2", "2026-03-01", Some("T-2"), false));
        // A record of another control citing the same ticket is not evidence for C-2.
        content
            .evidence
            .push(evidence("E-10", "C-other", "2026-03-01", Some("T-3"), true));
        let pack = pack(Some("s"));
        let a = Soc2Analysis::new(&content, &pack).unwrap();
        let t = a.test("C-2").unwrap();
        assert!(matches!(
            t.source,
            PopulationSource::File {
                rows: 5,
                outside_period: 1,
                ..
            }
        ));
        assert_eq!(t.population.len(), 4);
        assert_eq!(t.sample.len(), 4, "a population under 25 is tested whole");
        let result = |id: &str| t.sample.iter().find(|s| s.id == id).unwrap().result;
        assert_eq!(result("T-1"), ItemResult::Pass);
        assert_eq!(result("T-2"), ItemResult::Exception);
        assert_eq!(result("T-3"), ItemResult::Missing);
        assert_eq!(t.conclusion, Conclusion::Exceptions);
        let requests = a.requests();
        assert_eq!(requests.len(), 1);
        let ids: Vec<&str> = requests[0].items.iter().map(|s| s.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, ["T-3", "T-4"]);
    }
}
