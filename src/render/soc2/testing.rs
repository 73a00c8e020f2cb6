//! The SOC 2 tests of controls as pages show them: the control list, each control's page with
//! its population, sample and conclusion, the exceptions, and the non-human identities.

use chrono::NaiveDate;

use super::ctx::{conclusion_view, serde_plain, Ctx};
use super::sources::WITHHELD;
use super::views::{
    AnnexRef, AttributeView, CalendarView, ControlPage, ControlRow, CriterionRef, DueView,
    ExceptionView, ExceptionsPage, GapView, IdentitiesPage, IdentityRecord, IdentityView, LateView,
    ProcedureView, RelianceView, RotationDeviationView, SampleRow, TestView,
};
use crate::analyse::identities::{DueStatus, IdentityReview, LateRotation, Until};
use crate::analyse::procedure::{self, Deviations};
use crate::analyse::sampling;
use crate::analyse::soc2::{ControlTest, PopulationSource};
use crate::content::catalog::{catalogs, ISO27001, SOC2};
use crate::content::model::{AttributeResult, Control, Interval, Outcome};
use crate::render::views::RecordRef;
use crate::render::{annex_anchor, slug};

impl<'a> Ctx<'a> {
    /// One row per control (`controls/index.html`, `controls.csv`), sorted by control id.
    pub(super) fn control_rows(&self) -> Vec<ControlRow<'a>> {
        self.analysis
            .tests
            .iter()
            .map(|t| {
                let c = t.control;
                ControlRow {
                    id: &c.id,
                    title: &c.title,
                    owner: self.person(&c.owner),
                    operator: self.person(&c.operator),
                    frequency: c.frequency.as_str(),
                    automated: c.automated,
                    criteria: c.maps.get(SOC2).map_or(&[], Vec::as_slice),
                    population: t.population.len(),
                    digest: &t.digest,
                    sample_size: t.sample.len(),
                    exceptions: t.exceptions().count() + t.unsampled_exceptions.len(),
                    missing: t.missing().count(),
                    conclusion: conclusion_view(t.conclusion),
                    in_scope: t.in_scope,
                    description: c.description.trim(),
                    procedure: procedure_view(c),
                    deviations: Deviations::of(t),
                    rate: Deviations::of(t).rate(),
                    basis: self.population_basis(t),
                    gaps: t.gaps().len(),
                    not_yet_due: t.schedule.as_ref().map_or(0, |s| s.not_yet_due.len()),
                }
            })
            .collect()
    }

    /// What a control's population is, in one line (`controls.csv`).
    fn population_basis(&self, t: &ControlTest<'_>) -> String {
        let sampler = &self.analysis.sampler;
        match (&t.source, &t.schedule) {
            (PopulationSource::Calendar, Some(s)) => {
                format!("calendar: {}", s.describe(sampler.period, sampler.as_of))
            }
            (PopulationSource::File { rel, .. }, _) => format!("file: {rel}"),
            (PopulationSource::Sources { .. }, _) => "sources".into(),
            _ => "evidence records".into(),
        }
    }

    /// A periodic control's calendar: its population, gaps, and what is not yet due.
    fn calendar_view(&self, t: &ControlTest<'_>) -> Option<CalendarView> {
        let sampler = &self.analysis.sampler;
        let s = t.schedule.as_ref()?;
        let ids = |list: &[Interval]| list.iter().map(Interval::to_string).collect();
        Some(CalendarView {
            description: s.describe(sampler.period, sampler.as_of),
            gaps: t
                .gaps()
                .into_iter()
                .map(|(o, sampled)| GapView {
                    id: o.interval.to_string(),
                    due: o.due,
                    sampled,
                })
                .collect(),
            not_yet_due: ids(&s.not_yet_due),
            partial: ids(&s.partial),
        })
    }

    /// The page of control `c`.
    pub(super) fn control_page(&self, c: &'a Control) -> ControlPage<'a> {
        let cat = catalogs();
        let criteria = c
            .maps
            .get(SOC2)
            .into_iter()
            .flatten()
            .map(|id| CriterionRef {
                id,
                label: cat.soc2.criterion(id).map_or("", |k| k.label.as_str()),
                anchor: slug(id),
            })
            .collect();
        let annex = c
            .maps
            .get(ISO27001)
            .into_iter()
            .flatten()
            .map(|id| AnnexRef {
                id,
                title: cat.iso.annex(id).map_or("", |a| a.title.as_str()),
                anchor: annex_anchor(id),
            })
            .collect();
        let position = self.index.controls.get(&c.id).copied();
        let linked = |lists: &'a [Vec<usize>]| position.map_or(&[][..], |p| &lists[p]);
        let policies = linked(&self.index.policies_of_control)
            .iter()
            .map(|&p| {
                let d = &self.content.policies[p];
                RecordRef {
                    id: &d.meta.id,
                    title: self
                        .visible(d.meta.classification)
                        .then_some(d.meta.title.as_str()),
                }
            })
            .collect();
        let risks = linked(&self.index.risks_of_control)
            .iter()
            .map(|&k| {
                let r = &self.content.risks[k].value;
                RecordRef {
                    id: &r.id,
                    title: Some(&r.title),
                }
            })
            .collect();
        ControlPage {
            id: &c.id,
            title: &c.title,
            description: &c.description,
            owner: self.person(&c.owner),
            operator: self.person(&c.operator),
            frequency: c.frequency.as_str(),
            automated: c.automated,
            test_procedure: c.test_procedure.as_deref(),
            criteria,
            annex,
            policies,
            risks,
            test: self
                .test(&c.id)
                .filter(|t| t.in_scope)
                .map(|t| self.test_view(t)),
            procedure: procedure_view(c),
        }
    }

    /// A control's test: population, sample, results and conclusion.
    fn test_view(&self, t: &'a ControlTest<'a>) -> TestView<'a> {
        let sampler = &self.analysis.sampler;
        let declared = t
            .control
            .test
            .as_ref()
            .map_or(&[][..], |d| d.attributes.as_slice());
        let (source_file, rows, outside_period) = match &t.source {
            PopulationSource::File {
                rel,
                rows,
                outside_period,
            } => (Some(rel.as_str()), *rows, *outside_period),
            PopulationSource::Evidence
            | PopulationSource::Sources { .. }
            | PopulationSource::Calendar
            | PopulationSource::Rotations { .. } => (None, t.population.len(), 0),
        };
        let mut exceptions = Vec::new();
        // A rotation item not on time is shown with its required rotation below.
        let rotation_note = |id: &str| {
            t.rotation_deviations
                .iter()
                .find(|d| d.item == id)
                .map(|d| d.status.label())
        };
        for s in t.exceptions().filter(|s| rotation_note(&s.id).is_none()) {
            for &i in &s.evidence {
                if sampler.is_exception(i) {
                    exceptions.push(self.exception_view(i));
                }
            }
        }
        TestView {
            source_file,
            rows,
            outside_period,
            population: t.population.len(),
            digest: &t.digest,
            population_file: format!("populations/{}.txt", slug(&t.control.id)),
            seed: &sampler.seed,
            ranking_input: sampling::ranking_input(&sampler.seed, &t.control.id, "<item id>"),
            table_size: t.rule.table_size,
            sample_size: t.sample.len(),
            rule: t.rule.to_string(),
            sample: t
                .sample
                .iter()
                .map(|s| {
                    let item_withheld = self.item_withheld(t, &s.id);
                    SampleRow {
                        rank: s.rank,
                        id: if item_withheld { WITHHELD } else { &s.id },
                        occurred_on: s.occurred_on,
                        // The item's title is its evidence's when the population comes from
                        // evidence records: hidden when that evidence is withheld, and with its
                        // key when it is an item of a source the audience may not see.
                        title: s.title.as_deref().filter(|_| {
                            !item_withheld
                                && s.evidence.iter().all(|&i| {
                                    self.visible(self.content.evidence[i].value.classification)
                                })
                        }),
                        hash: &s.hash,
                        result: s.result.as_str(),
                        evidence: s.evidence.iter().map(|&i| self.evidence_ref(i)).collect(),
                        results: self.item_results(t, &s.id),
                        attributes: declared
                            .iter()
                            .map(|a| {
                                if s.evidence.is_empty() {
                                    return "missing";
                                }
                                match procedure::attribute_result(self.content, &s.evidence, &a.id)
                                {
                                    Some(AttributeResult::Pass) => "pass",
                                    Some(AttributeResult::Exception) => "exception",
                                    Some(AttributeResult::NotApplicable) => "not-applicable",
                                    None => "not recorded",
                                }
                            })
                            .collect(),
                        note: rotation_note(&s.id),
                    }
                })
                .collect(),
            exceptions,
            unsampled_exceptions: t
                .unsampled_exceptions
                .iter()
                .map(|&i| self.exception_view(i))
                .collect(),
            conclusion: conclusion_view(t.conclusion),
            sources: self.source_views(t),
            population_deviations: self.deviation_views(t),
            rotation_deviations: t
                .rotation_deviations
                .iter()
                .map(|d| RotationDeviationView {
                    id: &d.item,
                    identity: &d.identity,
                    anchor: slug(&d.identity),
                    status: d.status.label(),
                    description: &d.description,
                    sampled: d.sampled,
                    evidence: d.evidence.iter().map(|&i| self.evidence_ref(i)).collect(),
                    responses: d
                        .evidence
                        .iter()
                        .filter(|&&i| sampler.is_exception(i))
                        .map(|&i| self.exception_view(i))
                        .collect(),
                })
                .collect(),
            deviations: Deviations::of(t),
            rate: Deviations::of(t).rate(),
            attributes: declared
                .iter()
                .map(|a| AttributeView {
                    id: &a.id,
                    description: &a.description,
                })
                .collect(),
            calendar: self.calendar_view(t),
            gap_count: t.gaps().len(),
            as_of: sampler.as_of,
            reliance: t.control.automated.then(|| {
                let (relied, declared) = procedure::relied_on(self.analysis, t);
                RelianceView {
                    with_deviations: relied
                        .iter()
                        .filter(|(_, d)| *d)
                        .map(|(r, _)| r.control.id.as_str())
                        .collect(),
                    controls: self.control_refs(relied.iter().map(|(r, _)| r.control.id.as_str())),
                    declared,
                }
            }),
        }
    }

    /// The exception recorded by evidence record `i` (a late rotation counts as one).
    fn exception_view(&self, i: usize) -> ExceptionView<'a> {
        let ev = &self.content.evidence[i].value;
        let visible = self.visible(ev.classification);
        let detail = ev.exception.as_ref().filter(|_| visible);
        let mut sampled: Vec<String> = self
            .sampled_in
            .get(&i)
            .into_iter()
            .flatten()
            .map(|(c, rank, _)| format!("{c} #{rank}"))
            .collect();
        sampled.sort();
        ExceptionView {
            evidence: self.evidence_ref(i),
            occurred_on: ev.occurred_on,
            controls: &ev.controls,
            description: detail.map(|d| d.description.as_str()),
            management_response: detail.map(|d| d.management_response.as_str()),
            remediated_on: detail.and_then(|d| d.remediated_on),
            late_rotation: self
                .analysis
                .sampler
                .late_rotation(i)
                .map(LateRotation::describe),
            withheld: (!visible).then(|| self.withheld_note(ev.classification)),
            sampled,
        }
    }

    /// Every exception recorded in the period, by date, and every late rotation.
    pub(super) fn exceptions(&self) -> ExceptionsPage<'a> {
        let period = self.pack.period;
        let evidence = &self.content.evidence;
        let mut recorded: Vec<usize> = evidence
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.value.result == Outcome::Exception && period.contains(r.value.occurred_on)
            })
            .map(|(i, _)| i)
            .collect();
        recorded.sort_by(|&a, &b| {
            let (a, b) = (&evidence[a].value, &evidence[b].value);
            (a.occurred_on, a.id.as_bytes()).cmp(&(b.occurred_on, b.id.as_bytes()))
        });
        let late = self
            .analysis
            .sampler
            .identities
            .iter()
            .flat_map(|r| r.late.iter())
            .map(|l| self.late_view(l))
            .collect();
        ExceptionsPage {
            recorded: recorded
                .into_iter()
                .map(|i| self.exception_view(i))
                .collect(),
            late,
        }
    }

    fn late_view(&self, l: &'a LateRotation) -> LateView<'a> {
        LateView {
            identity: &l.identity,
            from: l.from,
            to: l.to,
            days: l.days,
            max_days: l.max_days,
            description: l.describe(),
            closed_by: match l.until {
                Until::Rotation(i) => Some(self.evidence_ref(i)),
                _ => None,
            },
            overdue: !matches!(l.until, Until::Rotation(_)),
        }
    }

    /// Every non-human identity's rotations, reviews, offboardings and late rotations.
    pub(super) fn identities(&self) -> IdentitiesPage<'a> {
        let period = self.pack.period;
        let record = |i: usize, previous: Option<NaiveDate>| {
            let ev = &self.content.evidence[i].value;
            IdentityRecord {
                evidence: self.evidence_ref(i),
                occurred_on: ev.occurred_on,
                in_period: period.contains(ev.occurred_on),
                result: ev.result,
                late: self.analysis.sampler.late_rotation(i).is_some(),
                days_since_previous: previous.map(|p| (ev.occurred_on - p).num_days()),
                performed_by: self.person(&ev.performed_by),
                approved_by: ev.approved_by.as_deref().map(|p| self.person(p)),
                by_owner: false,
                listed_in: None,
                decision: None,
            }
        };
        let records = |list: &[usize]| list.iter().map(|&i| record(i, None)).collect();
        let identities = self
            .analysis
            .sampler
            .identities
            .iter()
            .map(|r: &'a IdentityReview<'a>| {
                let idn = r.identity;
                let visible = self.visible(idn.classification);
                // The first rotation on record has no previous one: the pack may not hold the
                // history before the period, and the rotation analysis claims nothing about it.
                let mut previous = None;
                let rotations = r
                    .rotations
                    .iter()
                    .map(|&i| {
                        let rec = record(i, previous);
                        previous = Some(rec.occurred_on);
                        rec
                    })
                    .collect();
                IdentityView {
                    id: &idn.id,
                    anchor: slug(&idn.id),
                    withheld: (!visible).then(|| self.withheld_note(idn.classification)),
                    kind: serde_plain(&idn.kind),
                    system: &idn.system,
                    owner: idn.owner.as_deref().map(|o| self.person(o)),
                    created_on: idn.created_on,
                    rotation_days: idn.rotation_days,
                    decommissioned_on: idn.decommissioned_on,
                    rotations,
                    access_reviews: {
                        let by_owner: Vec<usize> = r.reviews_by_owner(self.content).collect();
                        r.access_reviews
                            .iter()
                            .map(|&i| {
                                // A withheld record's review CSV is withheld with it.
                                let row = self.content.review_row(i, &idn.id).filter(|_| {
                                    self.visible(self.content.evidence[i].value.classification)
                                });
                                IdentityRecord {
                                    by_owner: by_owner.contains(&i),
                                    listed_in: row.map(|(c, _)| c.attachment.as_str()),
                                    decision: row.and_then(|(_, r)| r.decision.as_deref()),
                                    ..record(i, None)
                                }
                            })
                            .collect()
                    },
                    offboardings: records(&r.offboardings),
                    other: records(&r.other),
                    late: r.late.iter().map(|l| self.late_view(l)).collect(),
                    due: r
                        .due
                        .iter()
                        .map(|d| DueView {
                            id: d.key(),
                            due: d.due,
                            status: d.status.label(),
                            deviation: d.is_deviation(),
                            rotation: d.status.rotation().map(|i| self.evidence_ref(i)),
                        })
                        .collect(),
                    status: identity_status(r),
                    age_not_evidenced: r.age_not_evidenced,
                    credential_keys: if visible {
                        crate::analyse::credentials::keys_of(self.content, idn)
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect::<Vec<_>>();
        let late = |overdue: bool| {
            identities
                .iter()
                .flat_map(|i| i.late.iter())
                .filter(|l| l.overdue == overdue)
                .count()
        };
        IdentitiesPage {
            late_total: late(false),
            overdue_total: late(true),
            identities,
        }
    }
}

/// An identity's status on the identities page: `overdue` (a required rotation not done by the
/// end of the period, or before its decommissioning), `late` (rotated after a due date), `age not
/// evidenced` (no rotation before the period on record), `decommissioned`, `no rotation policy`
/// (no `rotation_days`: nothing to be on time for) or `on time`.
fn identity_status(r: &IdentityReview<'_>) -> &'static str {
    let any = |f: fn(&DueStatus) -> bool| r.due.iter().any(|d| f(&d.status));
    if any(|s| {
        matches!(
            s,
            DueStatus::Overdue | DueStatus::OverdueUntilDecommissioned
        )
    }) {
        "overdue"
    } else if any(|s| matches!(s, DueStatus::Late(_))) {
        "late"
    } else if r.age_not_evidenced {
        "age not evidenced"
    } else if r.identity.decommissioned_on.is_some() {
        "decommissioned"
    } else if r.identity.rotation_days.is_none() {
        "no rotation policy"
    } else {
        "on time"
    }
}

/// The procedure the report states for control `c` (declared or the default for its kind).
fn procedure_view(c: &Control) -> ProcedureView {
    let p = procedure::procedure(c);
    ProcedureView {
        nature: p.nature.as_str(),
        text: p.text,
        default: p.default,
    }
}
