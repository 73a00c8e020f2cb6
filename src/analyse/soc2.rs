//! SOC 2 tests of operating effectiveness over a loaded pack: each control's population, its
//! reproducible sample ([`super::sampling`]), the result of every sampled item, a conclusion per
//! control, and the request list of sampled items still missing evidence.
//!
//! # Populations
//!
//! A control's population is the items of its sources ([`super::soc2_sources`]) when it has
//! any; else the rows of `populations/<control-id>.csv` dated inside the period when that file
//! exists (rows outside the period are left out and counted); else, for a manual annual to
//! multiple-daily control, the occurrences its calendar expected up to the as-of date, each
//! matched to its evidence ([`super::periodic`]; item id = interval id such as `2026-W05`, date =
//! the day it was due; one without evidence is a gap, a deviation whether sampled or not);
//! otherwise the evidence records that list the control and are dated inside the period up to
//! the as-of date (item id = record id).
//!
//! # Results
//!
//! A sampled item's evidence is every record that lists the control and whose `id` or `source`
//! equals the item id (for a record-based population, the record itself): a record filed for
//! another control that happens to cite the same ticket is not evidence for this one. No record: *missing*. Any record with
//! `result: exception`, or a rotation that came late ([`super::identities`]): *exception*.
//! Otherwise *pass*.
//!
//! # Conclusions
//!
//! Every conclusion is management's, from its own records ([`super::procedure`]):
//!
//! - "Not tested: no population" when the population is empty;
//! - "deviations found" when a sampled item is an exception or has no evidence (a sampled item
//!   without evidence is a deviation), **or** the pack itself records an exception for the
//!   control in the period that the sample did not pick (a deviation the organisation knows
//!   about is never hidden by sampling);
//! - "no deviations found" otherwise.
//!
//! The analysis depends on the content only, never on the audience a bundle is rendered for, so
//! every audience sees the same sample.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use super::commitment::Commitment;
use super::identities::{self, DueRotation, DueStatus, IdentityReview, LateRotation, Until};
use super::periodic::{self, Occurrence, Schedule};
use super::sampling::{self, Item, SampleSizes, SamplingError, SizeRule};
use super::soc2_sources::{self, SourceDeviation};
use crate::content::catalog::{catalogs, SOC2};
use crate::content::model::{Control, EvidenceKind, Frequency, Outcome, Pack, Period};
use crate::content::Content;

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
    /// The items of the sources that name the control ([`super::soc2_sources`]).
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

/// A required rotation of a rotation control's population that was not on time, sampled or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationDeviation {
    /// The item id (`<identity>:<due date>`).
    pub item: String,
    /// The identity id.
    pub identity: String,
    /// What became of it (never on time).
    pub status: DueStatus,
    /// One sentence for pages and the command line.
    pub description: String,
    /// Whether the item is in the sample.
    pub sampled: bool,
    /// The rotation record, if any, then management's responses: records of the control naming
    /// the identity with `result: exception`, dated on or after the due date (indices into
    /// `content.evidence`).
    pub evidence: Vec<usize>,
}

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
    /// Population digest ([`sampling::population_digest`]).
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

/// Draws samples for the controls of one pack: the seed, the size table, the period and the
/// evidence lookups, built once.
#[derive(Debug)]
pub struct Sampler<'c> {
    content: &'c Content,
    /// The seed in force: `soc2.sampling_seed`, or the committed seed once
    /// [`Soc2Analysis::new`] has derived it.
    pub seed: String,
    /// The effective sample-size table.
    pub sizes: SampleSizes,
    /// The period under review.
    pub period: Period,
    /// The date the pack is evaluated at ([`Content::as_of`]): populations end there, and a
    /// credential not rotated by then is overdue.
    pub as_of: NaiveDate,
    /// Every non-human identity's rotations, reviews, offboardings and late rotations.
    pub identities: Vec<IdentityReview<'c>>,
    /// Controls whose population is the identities' required rotations.
    rotation_controls: HashSet<&'c str>,
    in_scope_criteria: HashSet<&'static str>,
    by_key: HashMap<&'c str, Vec<usize>>,
    late_by_record: HashMap<usize, LateRotation>,
    /// Evidence records that address a source's item (`item:`), by address.
    by_item: HashMap<&'c str, Vec<usize>>,
    /// How the seed was derived, when the pack commits it (`soc2.seed_commitment`).
    pub commitment: Option<Commitment>,
    /// Samples drawn so far (tests count that each control is drawn once).
    #[cfg(test)]
    draws: std::sync::atomic::AtomicUsize,
}

/// A control's population, taken before the seed is final: the items, where they come from,
/// and their digest ([`sampling::population_digest`]).
#[derive(Debug)]
pub struct ControlPopulation<'c> {
    /// Where the items come from.
    source: PopulationSource,
    /// The items in the period.
    items: Vec<Item>,
    /// Each item's title, when its source gives one.
    titles: Vec<Option<&'c str>>,
    /// For a population from sources: whether each item failed an attribute.
    failed: Option<Vec<bool>>,
    /// For a periodic control tested against the calendar: its occurrences and their evidence.
    schedule: Option<Schedule>,
    /// For a rotation control: each required rotation, with its evidence and result.
    rotations: Option<Vec<(Vec<usize>, ItemResult)>>,
    /// For a rotation control: the required rotations, in population order.
    rotation_due: Vec<DueRotation>,
    /// SHA-256 of the canonical population.
    pub digest: String,
}

impl<'c> Sampler<'c> {
    /// Set up sampling for `content` under `pack`'s settings; refuses a zero sample size, and a
    /// pack without a seed that declares `soc2-2017` (a pack that does not cannot map a control
    /// to a SOC 2 criterion, so nothing is sampled and the seed is left empty).
    pub fn new(content: &'c Content, pack: &'c Pack) -> Result<Sampler<'c>, SamplingError> {
        let seed = match sampling::seed(&pack.soc2) {
            // The committed seed needs the populations: Soc2Analysis::new derives it.
            _ if pack.soc2.seed_commitment.is_some() => "",
            Err(SamplingError::MissingSeed) if !pack.frameworks.iter().any(|f| f == SOC2) => "",
            other => other?,
        }
        .to_string();
        let sizes = SampleSizes::from_settings(&pack.soc2)?;
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::with_capacity(content.evidence.len());
        for (i, r) in content.evidence.iter().enumerate() {
            let ev = &r.value;
            by_key.entry(ev.id.as_str()).or_default().push(i);
            if let Some(src) = ev.source.as_deref().filter(|s| *s != ev.id) {
                by_key.entry(src).or_default().push(i);
            }
        }
        let window = content.evaluated_period().unwrap_or(pack.period);
        let identities = identities::review(content, content.index(), window);
        let late_by_record = identities
            .iter()
            .flat_map(|r| r.late.iter())
            .filter_map(|l| match l.until {
                Until::Rotation(i) => Some((i, l.clone())),
                _ => None,
            })
            .collect();
        let in_scope_criteria = catalogs()
            .soc2
            .in_categories(&pack.soc2.categories)
            .into_iter()
            .map(|c| c.id.as_str())
            .collect();
        Ok(Sampler {
            content,
            seed,
            sizes,
            period: pack.period,
            as_of: window.end,
            identities,
            rotation_controls: rotation_controls(content),
            in_scope_criteria,
            by_key,
            late_by_record,
            by_item: soc2_sources::records_by_item(content),
            commitment: None,
            #[cfg(test)]
            draws: Default::default(),
        })
    }

    /// Derive the committed seed from `nonce` and the population digests of the in-scope
    /// `controls`, and use it from now on. Populations do not depend on the seed, and nothing
    /// is drawn before the seed is final.
    pub fn commit(&mut self, nonce: &str, controls: &[&'c Control]) {
        let populations: Vec<ControlPopulation<'c>> =
            controls.par_iter().map(|c| self.population(c)).collect();
        self.commit_to(nonce, controls, &populations);
    }

    /// [`Sampler::commit`] to the `populations` already taken of `controls` (same order).
    fn commit_to(
        &mut self,
        nonce: &str,
        controls: &[&'c Control],
        populations: &[ControlPopulation<'c>],
    ) {
        let populations = controls
            .iter()
            .zip(populations)
            .filter(|(c, _)| self.in_scope(c))
            .map(|(c, p)| (c.id.clone(), p.digest.clone()))
            .collect();
        let commitment = Commitment::new(nonce, populations);
        self.seed = commitment.seed.clone();
        self.commitment = Some(commitment);
    }

    /// The late rotation that evidence record `i` closes, if it came late.
    pub fn late_rotation(&self, i: usize) -> Option<&LateRotation> {
        self.late_by_record.get(&i)
    }

    /// Whether evidence record `i` is an exception: `result: exception`, or a late rotation.
    pub fn is_exception(&self, i: usize) -> bool {
        self.content
            .evidence
            .get(i)
            .is_some_and(|r| r.value.result == Outcome::Exception)
            || self.late_by_record.contains_key(&i)
    }

    /// Whether `control` maps to a SOC 2 criterion of a category in scope.
    pub fn in_scope(&self, control: &Control) -> bool {
        control.maps.get(SOC2).is_some_and(|ids| {
            ids.iter()
                .any(|id| self.in_scope_criteria.contains(id.as_str()))
        })
    }

    /// Test one control: population, digest, sample, results and conclusion.
    pub fn test(&self, control: &'c Control) -> ControlTest<'c> {
        self.sample(control, self.population(control))
    }

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

    /// Draw the sample from a control's `population` (once, or twice on an extension after a
    /// deviation) and conclude.
    fn sample(&self, control: &'c Control, population: ControlPopulation<'c>) -> ControlTest<'c> {
        let ControlPopulation {
            source,
            items: population,
            titles,
            failed,
            schedule,
            rotations,
            rotation_due,
            digest,
        } = population;
        let content = self.content;
        let id = control.id.as_str();
        let period = self.period;
        let mut rule = self
            .sizes
            .rule(control.frequency, control.automated, population.len());
        let draw = |n: usize| -> Vec<Sampled> {
            #[cfg(test)]
            self.draws
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            sampling::draw(&self.seed, id, &population, n)
                .into_iter()
                .enumerate()
                .map(|(k, pick)| {
                    let item = &population[pick.index];
                    let judged = rotations.as_ref().map(|r| r[pick.index].clone());
                    let evidence = match (&failed, &schedule) {
                        _ if judged.is_some() => {
                            judged.as_ref().map_or_else(Vec::new, |j| j.0.clone())
                        }
                        (None, Some(s)) => s.due[pick.index].evidence.clone(),
                        (Some(_), _) => self
                            .by_item
                            .get(item.id.as_str())
                            .cloned()
                            .unwrap_or_default(),
                        (None, None) => self.evidence_for(&item.id, id),
                    };
                    let result = if let Some((_, result)) = judged {
                        result
                    } else if let Some(failed) = &failed {
                        // The export is the evidence: its attributes decide, records can only
                        // add an exception.
                        if failed[pick.index] || evidence.iter().any(|&i| self.is_exception(i)) {
                            ItemResult::Exception
                        } else {
                            ItemResult::Pass
                        }
                    } else if evidence.is_empty() {
                        ItemResult::Missing
                    } else if evidence.iter().any(|&i| self.is_exception(i)) {
                        ItemResult::Exception
                    } else {
                        ItemResult::Pass
                    };
                    let title = titles[pick.index].map(str::to_string).or_else(|| {
                        evidence
                            .first()
                            .map(|&i| content.evidence[i].value.title.clone())
                    });
                    Sampled {
                        rank: k + 1,
                        id: item.id.clone(),
                        occurred_on: item.occurred_on,
                        title,
                        hash: pick.hash,
                        evidence,
                        result,
                    }
                })
                .collect()
        };
        let mut sample = draw(rule.size);
        // soc2.extend_on_deviation: a deviation in the first sample draws the larger one; the
        // ranking is the same, so the first sample is the start of the extended one.
        let deviation = sample.iter().any(|s| s.result != ItemResult::Pass);
        if let Some(to) = self.sizes.extended(rule.size).filter(|_| deviation) {
            let to = to.min(population.len());
            if to > rule.size {
                rule.extended_from = Some(rule.size);
                rule.size = to;
                rule.whole_population = to >= population.len();
                sample = draw(to);
            }
        }
        let deviations = match &source {
            PopulationSource::Sources { sources } => {
                let picked: HashSet<&str> = sample.iter().map(|s| s.id.as_str()).collect();
                soc2_sources::deviations(content, sources, &picked, &self.by_item)
            }
            _ => Vec::new(),
        };
        let picked: HashSet<&str> = sample.iter().map(|s| s.id.as_str()).collect();
        let rotation_deviations: Vec<RotationDeviation> = rotation_due
            .iter()
            .zip(rotations.iter().flatten())
            .filter(|(d, _)| d.is_deviation())
            .map(|(d, (evidence, _))| {
                let item = d.key();
                RotationDeviation {
                    sampled: picked.contains(item.as_str()),
                    item,
                    identity: d.identity.clone(),
                    status: d.status,
                    description: d.describe(content, self.as_of),
                    evidence: evidence.clone(),
                }
            })
            .collect();
        // Records shown beside a deviation are not listed again as unsampled exceptions.
        let sampled: HashSet<usize> = sample
            .iter()
            .flat_map(|s| s.evidence.iter().copied())
            .chain(deviations.iter().flat_map(|d| d.responses.iter().copied()))
            .chain(
                rotation_deviations
                    .iter()
                    .flat_map(|d| d.evidence.iter().copied()),
            )
            .collect();
        let mut unsampled_exceptions: Vec<usize> = self
            .records_of(id)
            .filter(|i| !sampled.contains(i))
            .filter(|&i| {
                self.is_exception(i) && period.contains(content.evidence[i].value.occurred_on)
            })
            .collect();
        unsampled_exceptions.sort_by(|&a, &b| {
            let (a, b) = (&content.evidence[a].value, &content.evidence[b].value);
            (a.occurred_on, a.id.as_bytes()).cmp(&(b.occurred_on, b.id.as_bytes()))
        });
        let conclusion = if population.is_empty() {
            Conclusion::NoPopulation
        } else if sample.iter().any(|s| s.result != ItemResult::Pass)
            || !unsampled_exceptions.is_empty()
            || !deviations.is_empty()
            || schedule.as_ref().is_some_and(|s| s.gaps().next().is_some())
            || !rotation_deviations.is_empty()
        {
            // A sampled item without evidence is a deviation like an exception.
            Conclusion::Exceptions
        } else {
            Conclusion::NoExceptions
        };
        ControlTest {
            control,
            in_scope: self.in_scope(control),
            source,
            population,
            digest,
            rule,
            sample,
            unsampled_exceptions,
            conclusion,
            deviations,
            schedule,
            rotation_deviations,
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

    /// The required rotations of the identities whose rotation control `control` is, by
    /// identity id then due date. An identity belongs to every rotation control its rotation
    /// records name, or, when they name none, to every rotation control.
    fn due_rotations(&self, control: &str) -> Vec<&DueRotation> {
        let content = self.content;
        self.identities
            .iter()
            .filter(|r| {
                let named: Vec<&str> = r
                    .rotations
                    .iter()
                    .flat_map(|&i| content.evidence[i].value.controls.iter())
                    .map(String::as_str)
                    .filter(|c| self.rotation_controls.contains(c))
                    .collect();
                named.is_empty() || named.contains(&control)
            })
            .flat_map(|r| r.due.iter())
            .collect()
    }

    /// The evidence and result of one required rotation of rotation control `control`: its
    /// rotation record, then the records of the control naming the identity with `result:
    /// exception` dated on or after the due date (management's response). On time: a pass
    /// (unless the record is an exception); its age not evidenced: missing (the rotation before
    /// the period is what is missing); late or overdue: an exception.
    fn rotation_result(&self, control: &str, d: &DueRotation) -> (Vec<usize>, ItemResult) {
        let content = self.content;
        let mut evidence: Vec<usize> = d.status.rotation().into_iter().collect();
        if d.is_deviation() {
            let position = content.index().identities.get(d.identity.as_str()).copied();
            evidence.extend(
                position
                    .map_or(&[][..], |p| {
                        content.index().evidence_of_identity[p].as_slice()
                    })
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let ev = &content.evidence[i].value;
                        ev.kind != EvidenceKind::Rotation
                            && ev.result == Outcome::Exception
                            && ev.occurred_on >= d.due
                            && ev.controls.iter().any(|c| c == control)
                    }),
            );
        }
        let result = match d.status {
            DueStatus::OnTime(i) if !self.is_exception(i) => ItemResult::Pass,
            DueStatus::AgeNotEvidenced(_) => ItemResult::Missing,
            _ => ItemResult::Exception,
        };
        (evidence, result)
    }

    /// Indices of the evidence records that list `control`, in content order, each once.
    fn records_of<'a>(&'a self, control: &str) -> impl Iterator<Item = usize> + 'a {
        let index = self.content.index();
        let list = index
            .controls
            .get(control)
            .map_or(&[][..], |&c| index.evidence_of_control[c].as_slice());
        list.iter().copied()
    }

    /// Indices of the evidence records of `control` whose `id` or `source` is `item`, in
    /// content order.
    fn evidence_for(&self, item: &str, control: &str) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .by_key
            .get(item)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| {
                self.content.evidence[i]
                    .value
                    .controls
                    .iter()
                    .any(|c| c == control)
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// The rotation controls of `content`: on-event controls that a `kind: rotation` record naming
/// an identity lists. A periodic control that also lists rotations (a monthly certificate review)
/// keeps its own population.
fn rotation_controls(content: &Content) -> HashSet<&str> {
    let on_event: HashSet<&str> = content
        .controls
        .iter()
        .filter(|c| c.value.frequency == Frequency::OnEvent)
        .map(|c| c.value.id.as_str())
        .collect();
    content
        .evidence
        .iter()
        .filter(|r| r.value.kind == EvidenceKind::Rotation && !r.value.identity.is_empty())
        .flat_map(|r| r.value.controls.iter())
        .map(String::as_str)
        .filter(|c| on_event.contains(c))
        .collect()
}

/// The rotation deviations of `evidencepack sample`: every required rotation not on time.
fn explain_rotation_deviations(
    content: &Content,
    deviations: &[RotationDeviation],
    out: &mut dyn Write,
) -> io::Result<()> {
    if deviations.is_empty() {
        return Ok(());
    }
    let n = deviations.len();
    writeln!(
        out,
        "\n{n} required rotation{} not on time over the whole population:",
        if n == 1 { "" } else { "s" }
    )?;
    for d in deviations {
        let ids: Vec<&str> = d
            .evidence
            .iter()
            .map(|&i| content.evidence[i].value.id.as_str())
            .collect();
        write!(
            out,
            "  {}  {}  {}",
            d.item,
            if d.sampled { "sampled  " } else { "unsampled" },
            d.description
        )?;
        if !ids.is_empty() {
            write!(out, "  (evidence: {})", ids.join(" "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Quote `s` for a POSIX shell (single quotes, `'` written as `'\\''`).
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Sampler<'_> {
    /// Explain a control's test for people who want to re-draw it by hand: population and
    /// digest, seed, size and rule, then every selected item with its ranking hash and result.
    /// This is the output of `evidencepack sample CONTROL`.
    pub fn explain(&self, test: &ControlTest<'_>, out: &mut dyn Write) -> io::Result<()> {
        let c = test.control;
        let period = self.period;
        writeln!(out, "control        {}  {}", c.id, c.title)?;
        let criteria = c.maps.get(SOC2).map(|v| v.join(", ")).unwrap_or_default();
        if test.in_scope {
            writeln!(out, "in the report  yes (SOC 2 {criteria})")?;
        } else if criteria.is_empty() {
            writeln!(
                out,
                "in the report  no: the control maps to no SOC 2 criterion"
            )?;
        } else {
            writeln!(
                out,
                "in the report  no: {criteria} are outside the categories in scope"
            )?;
        }
        writeln!(
            out,
            "frequency      {}, {}",
            c.frequency,
            if c.automated { "automated" } else { "manual" }
        )?;
        let n = test.population.len();
        let items = if n == 1 { "item" } else { "items" };
        match &test.source {
            PopulationSource::File {
                rel,
                rows,
                outside_period,
            } => {
                write!(
                    out,
                    "population     {n} {items}: rows of {rel} dated {}..{}",
                    period.start, period.end
                )?;
                if *outside_period > 0 {
                    write!(
                        out,
                        " ({rows} rows, {outside_period} outside the period left out)"
                    )?;
                }
                writeln!(out)?;
            }
            PopulationSource::Rotations { identities } => writeln!(
                out,
                "population     {n} {items}: every rotation the `rotation_days` of {identities} identit{} required, due before {} (<identity>:<due date>)",
                if *identities == 1 { "y" } else { "ies" },
                self.as_of
            )?,
            PopulationSource::Evidence => writeln!(
                out,
                "population     {n} {items}: evidence records of {} dated {}..{}",
                c.id, period.start, period.end
            )?,
            PopulationSource::Sources { sources } => {
                soc2_sources::explain_population(self.content, sources, n, out)?
            }
            PopulationSource::Calendar => {
                if let Some(s) = &test.schedule {
                    writeln!(
                        out,
                        "population     {}\n               (item = interval id, date = the day it was due; see the sampling page)",
                        s.describe(period, self.as_of)
                    )?;
                }
            }
        }
        writeln!(out, "as of          {}", self.as_of)?;
        writeln!(
            out,
            "digest         sha256 {}\n               over one line \"<id>\\t<occurred_on>\\n\" per item, sorted by id\n               (`evidencepack sample {} --population | sha256sum` re-computes it)",
            test.digest, c.id
        )?;
        writeln!(out, "seed           {}", self.seed)?;
        if let Some(c) = &self.commitment {
            writeln!(
                out,
                "               committed: sha256 of the {} lines of seed-commitment.txt (the auditor's\n               nonce {:?} and the digests of {} populations in scope); see the sampling page",
                c.populations.len() + 2,
                c.nonce,
                c.populations.len()
            )?;
        }
        writeln!(out, "sample size    {} ({})", test.rule.size, test.rule)?;
        writeln!(
            out,
            "selection      sha256 of \"{}\" for every item, ascending, first {}",
            sampling::ranking_input(&self.seed, &c.id, "<item id>"),
            test.rule.size
        )?;
        writeln!(out, "conclusion     {}", test.conclusion.label())?;
        if test.sample.is_empty() {
            return Ok(());
        }
        let width = test
            .sample
            .iter()
            .map(|s| s.id.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        writeln!(out)?;
        writeln!(
            out,
            "rank  {:<64}  {:<width$}  occurred_on  result     evidence",
            "ranking hash", "item"
        )?;
        for s in &test.sample {
            let evidence: Vec<&str> = s
                .evidence
                .iter()
                .map(|&i| self.content.evidence[i].value.id.as_str())
                .collect();
            let line = format!(
                "{:>4}  {}  {:<width$}  {}   {:<9}  {}",
                s.rank,
                s.hash,
                s.id,
                s.occurred_on,
                s.result.as_str(),
                evidence.join(" "),
            );
            writeln!(out, "{}", line.trim_end())?;
        }
        if !test.unsampled_exceptions.is_empty() {
            const SHOWN: usize = 10;
            let n = test.unsampled_exceptions.len();
            let ids: Vec<&str> = test
                .unsampled_exceptions
                .iter()
                .take(SHOWN)
                .map(|&i| self.content.evidence[i].value.id.as_str())
                .collect();
            let more = if n > SHOWN {
                format!(" and {} more (all are on the control's page)", n - SHOWN)
            } else {
                String::new()
            };
            writeln!(
                out,
                "\n{n} exception{} recorded in the period but not sampled: {}{more}",
                if n == 1 { "" } else { "s" },
                ids.join(" ")
            )?;
        }
        soc2_sources::explain_deviations(self.content, &test.deviations, out)?;
        let gaps = test.gaps();
        if !gaps.is_empty() {
            let ids: Vec<String> = gaps
                .iter()
                .map(|(o, drawn)| {
                    let drawn = if *drawn { " (sampled)" } else { "" };
                    format!("{}{drawn}", o.interval)
                })
                .collect();
            writeln!(
                out,
                "\n{} without evidence (deviations, sampled or not): {}",
                test.schedule
                    .as_ref()
                    .map_or_else(String::new, |s| s.unit(gaps.len())),
                ids.join(", ")
            )?;
        }
        explain_rotation_deviations(self.content, &test.rotation_deviations, out)?;
        let first = &test.sample[0];
        writeln!(
            out,
            "\ncheck by hand: printf '%s' {} | sha256sum",
            shell_quote(&sampling::ranking_input(&self.seed, &c.id, &first.id))
        )?;
        Ok(())
    }
}

/// The SOC 2 tests of every control of a pack.
#[derive(Debug)]
pub struct Soc2Analysis<'c> {
    /// The sampler (seed, sizes, period).
    pub sampler: Sampler<'c>,
    /// One test per control, sorted by control id.
    pub tests: Vec<ControlTest<'c>>,
}

/// A group of the request list: one control's sampled items still missing evidence.
#[derive(Debug, Clone)]
pub struct RequestGroup<'a, 'c> {
    /// The control's test.
    pub test: &'a ControlTest<'c>,
    /// Its sampled items without evidence, in rank order.
    pub items: Vec<&'a Sampled>,
}

impl<'c> Soc2Analysis<'c> {
    /// Test every control of `content` (in parallel; the result does not depend on scheduling).
    /// With `soc2.seed_commitment`, the seed is first derived from the nonce and the digest of
    /// every in-scope population ([`Commitment`]).
    pub fn new(content: &'c Content, pack: &'c Pack) -> Result<Soc2Analysis<'c>, SamplingError> {
        let mut sampler = Sampler::new(content, pack)?;
        let mut controls: Vec<&Control> = content.controls.iter().map(|r| &r.value).collect();
        controls.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
        // Each population is taken once; the sample is drawn once the seed is final.
        let populations: Vec<ControlPopulation<'c>> =
            controls.par_iter().map(|c| sampler.population(c)).collect();
        if let Some(c) = &pack.soc2.seed_commitment {
            sampler.commit_to(&c.nonce, &controls, &populations);
        }
        let tests = controls
            .into_par_iter()
            .zip(populations)
            .map(|(c, p)| sampler.sample(c, p))
            .collect();
        Ok(Soc2Analysis { sampler, tests })
    }

    /// Tests of the controls that appear in the SOC 2 report.
    pub fn in_scope(&self) -> impl Iterator<Item = &ControlTest<'c>> {
        self.tests.iter().filter(|t| t.in_scope)
    }

    /// The test of control `id`.
    pub fn test(&self, id: &str) -> Option<&ControlTest<'c>> {
        self.tests.iter().find(|t| t.control.id == id)
    }

    /// The request list (PBC list): every in-scope control with sampled items still missing
    /// evidence, grouped by control, ordered by the control's owner and then the control id.
    pub fn requests(&self) -> Vec<RequestGroup<'_, 'c>> {
        let mut groups: Vec<RequestGroup<'_, 'c>> = self
            .in_scope()
            .filter_map(|test| {
                let items: Vec<&Sampled> = test.missing().collect();
                (!items.is_empty()).then_some(RequestGroup { test, items })
            })
            .collect();
        groups.sort_by(|a, b| {
            (
                a.test.control.owner.as_bytes(),
                a.test.control.id.as_bytes(),
            )
                .cmp(&(
                    b.test.control.owner.as_bytes(),
                    b.test.control.id.as_bytes(),
                ))
        });
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::{Evidence, EvidenceKind, ExceptionDetail, Frequency};
    use crate::content::{Population, PopulationRow, Record};
    use crate::test_support::{d, loc};
    use std::collections::BTreeMap;

    fn control(id: &str, frequency: Frequency, automated: bool) -> Record<Control> {
        Record {
            value: Control {
                id: id.into(),
                title: format!("Control {id}"),
                description: String::new(),
                owner: "amara".into(),
                operator: "sven".into(),
                frequency,
                automated,
                policies: vec![],
                maps: BTreeMap::from([(SOC2.to_string(), vec!["CC6.1".to_string()])]),
                test_procedure: None,
                extra: None,
                test: None,
                clauses: vec![],
            },
            loc: loc(),
        }
    }

    fn evidence(
        id: &str,
        control: &str,
        day: &str,
        source: Option<&str>,
        ok: bool,
    ) -> Record<Evidence> {
        Record {
            value: Evidence {
                id: id.into(),
                controls: vec![control.into()],
                kind: EvidenceKind::Ticket,
                title: format!("Evidence {id}"),
                occurred_on: d(day),
                performed_by: "sven".into(),
                approved_by: None,
                system: None,
                identity: Default::default(),
                identities: vec![],
                source: source.map(str::to_string),
                result: if ok {
                    Outcome::Pass
                } else {
                    Outcome::Exception
                },
                exception: (!ok).then(|| ExceptionDetail {
                    description: "late".into(),
                    management_response: "fixed".into(),
                    remediated_on: None,
                }),
                classification: Default::default(),
                attachments: vec![],
                summary: None,
                extra: None,
                item: None,
                attributes: Default::default(),
                impact: None,
                covers: None,
            },
            loc: loc(),
        }
    }

    fn pack(seed: Option<&str>) -> Pack {
        let yaml = format!(
            "organisation: {{ name: X }}\nscope: {{ statement: s }}\nsystem: {{ name: S, description: d }}\n\
             period: {{ start: 2026-01-01, end: 2026-06-30 }}\nframeworks: [soc2-2017]\nsoc2: {{ {} }}\n",
            seed.map(|s| format!("sampling_seed: {s}")).unwrap_or_default()
        );
        serde_yaml_ng::from_str(&yaml).unwrap()
    }

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

    #[test]
    fn conclusions() {
        let mut content = Content::default();
        content
            .controls
            .push(control("EMPTY", Frequency::OnEvent, false));
        content
            .controls
            .push(control("MISS", Frequency::Annual, false));
        content
            .controls
            .push(control("AUTO", Frequency::Daily, true));
        content.populations.push(Population {
            control: "MISS".into(),
            file: 0,
            rows: vec![PopulationRow {
                id: "R-1".into(),
                occurred_on: d("2026-01-05"),
                title: Some("row".into()),
                line: 2,
            }],
        });
        // AUTO: 30 passing records and one exception; the test of one may not pick it, but the
        // known exception still makes the conclusion "Exceptions noted".
        for i in 0..30 {
            content.evidence.push(evidence(
                &format!("A-{i:02}"),
                "AUTO",
                "2026-01-02",
                None,
                true,
            ));
        }
        content
            .evidence
            .push(evidence("A-x", "AUTO", "2026-01-03", None, false));
        let pack = pack(Some("s"));
        let a = Soc2Analysis::new(&content, &pack).unwrap();
        assert_eq!(
            a.test("EMPTY").unwrap().conclusion,
            Conclusion::NoPopulation
        );
        let miss = a.test("MISS").unwrap();
        assert_eq!(
            miss.conclusion,
            Conclusion::Exceptions,
            "missing evidence is a deviation"
        );
        assert_eq!(miss.sample[0].title.as_deref(), Some("row"));
        let auto = a.test("AUTO").unwrap();
        assert_eq!(auto.sample.len(), 1);
        assert_eq!(auto.conclusion, Conclusion::Exceptions);
        let picked_exception = auto.sample[0].id == "A-x";
        assert_eq!(
            auto.unsampled_exceptions.len(),
            usize::from(!picked_exception)
        );
        assert_eq!(
            a.tests
                .iter()
                .map(|t| t.control.id.as_str())
                .collect::<Vec<_>>(),
            ["AUTO", "EMPTY", "MISS"]
        );
    }

    #[test]
    fn a_pack_without_a_seed_is_refused() {
        let content = Content::default();
        let pack = pack(None);
        assert_eq!(
            Soc2Analysis::new(&content, &pack).err(),
            Some(SamplingError::MissingSeed)
        );
    }

    #[test]
    fn a_pack_without_soc2_needs_no_seed() {
        let content = Content::default();
        let mut pack = pack(None);
        pack.frameworks = vec!["iso27001-2022".into()];
        assert_eq!(Sampler::new(&content, &pack).unwrap().seed, "");
    }

    #[test]
    fn scope_follows_the_categories() {
        let content = Content::default();
        let pack = pack(Some("s"));
        let s = Sampler::new(&content, &pack).unwrap();
        let mut c = control("C", Frequency::Annual, false).value;
        assert!(s.in_scope(&c));
        c.maps.insert(SOC2.into(), vec!["A1.1".into()]);
        assert!(!s.in_scope(&c), "availability is not in scope of this pack");
        c.maps.clear();
        assert!(!s.in_scope(&c));
    }

    #[test]
    fn a_committed_seed_draws_each_control_once_and_only_after_the_seed_is_final() {
        use std::sync::atomic::Ordering::Relaxed;
        let mut content = Content::default();
        for id in ["C-1", "C-2", "C-3"] {
            content.controls.push(control(id, Frequency::Weekly, false));
            for i in 0..8 {
                let e = evidence(&format!("{id}-E{i}"), id, "2026-02-01", None, true);
                content.evidence.push(e);
            }
        }
        let mut pack = pack(None);
        pack.soc2.seed_commitment =
            Some(crate::content::model::SeedCommitment { nonce: "n".into() });
        let a = Soc2Analysis::new(&content, &pack).unwrap();
        assert_eq!(a.sampler.draws.load(Relaxed), 3, "one draw per control");
        let c = a.sampler.commitment.as_ref().unwrap();
        assert_eq!(c.populations.len(), 3);
        assert_eq!(a.sampler.seed, c.seed);
        for t in &a.tests {
            assert_eq!(t.sample.len(), 5);
            let first: Vec<&str> = sampling::draw(&c.seed, &t.control.id, &t.population, 5)
                .into_iter()
                .map(|p| t.population[p.index].id.as_str())
                .collect();
            let drawn: Vec<&str> = t.sample.iter().map(|s| s.id.as_str()).collect();
            assert_eq!(
                drawn, first,
                "{} is drawn with the committed seed",
                t.control.id
            );
        }
        // `evidencepack sample` commits without drawing anything, to the same seed.
        let mut s = Sampler::new(&content, &pack).unwrap();
        let controls: Vec<&Control> = content.controls.iter().map(|r| &r.value).collect();
        s.commit("n", &controls);
        assert_eq!(s.seed, c.seed);
        assert_eq!(s.draws.load(Relaxed), 0);
    }
}
