//! Everything the ISO pages show about each record, computed once ([`Model::build`]) from the
//! content and its index, borrowing from both.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use rayon::prelude::*;

use super::views::{
    AccessReviewView, ActionView, AnyRef, ControlView, EvidenceRow, IdentityView, PolicyView,
    ReviewView, RiskView, Rotation,
};
use super::warnings::{Message, Warnings};
use crate::analyse::identities::{self, IdentityReview, LateRotation, Until};
use crate::content::catalog::{self, catalogs};
use crate::content::model::{Control, EvidenceKind, Outcome, Period, ReviewKind, Status};
use crate::content::risk_method::RiskMethod;
use crate::content::{Content, Index};
use crate::diag::RecordKind;
use crate::render::views::{PersonView, Titled};
use crate::render::{record_page, Source};

/// Everything the ISO pages show, computed once.
pub(super) struct Model<'a> {
    pub(super) source: &'a Source<'a>,
    pub(super) content: &'a Content,
    pub(super) index: &'a Index,
    pub(super) period: Option<Period>,
    pub(super) policies: Vec<PolicyView<'a>>,
    pub(super) controls: Vec<ControlView<'a>>,
    /// Evidence per control (same order as `controls`), by date then id.
    evidence_by_control: Vec<Vec<usize>>,
    pub(super) risks: Vec<RiskView<'a>>,
    pub(super) identities: Vec<IdentityView<'a>>,
    /// By date, then id.
    pub(super) reviews: Vec<ReviewView<'a>>,
    warnings: Warnings<'a>,
    /// The pack's risk method (or the default).
    pub(super) method: &'a RiskMethod,
}

impl<'a> Model<'a> {
    /// The views of every record of `source`.
    pub(super) fn build(source: &'a Source<'a>) -> Model<'a> {
        let content = source.content;
        let index = source.index;
        let mut evidence_by_control = index.evidence_of_control.clone();
        evidence_by_control.par_iter_mut().for_each(|list| {
            list.sort_by(|&a, &b| {
                let (a, b) = (&content.evidence[a].value, &content.evidence[b].value);
                (a.occurred_on, &a.id).cmp(&(b.occurred_on, &b.id))
            });
        });
        let mut m = Model {
            source,
            content,
            index,
            period: content.pack.as_ref().map(|p| p.value.period),
            policies: Vec::new(),
            controls: Vec::new(),
            evidence_by_control,
            risks: Vec::new(),
            identities: Vec::new(),
            reviews: Vec::new(),
            warnings: Warnings::of(source),
            method: RiskMethod::of(content.pack.as_ref().map(|p| &p.value)),
        };
        m.policies = m.policy_views();
        m.controls = m.control_views();
        m.risks = m.risk_views();
        m.identities = m.identity_views();
        m.reviews = m.review_views();
        m
    }

    /// The person `id`.
    pub(super) fn person(&self, id: &'a str) -> PersonView<'a> {
        self.source.person(id)
    }

    /// Is `day` in the period (every day is, without a period)?
    pub(super) fn in_period(&self, day: NaiveDate) -> bool {
        self.period.is_none_or(|p| p.contains(day))
    }

    fn end(&self) -> Option<NaiveDate> {
        self.period.map(|p| p.end)
    }

    /// The control at position `c`, with its title.
    fn control_ref(&self, c: usize) -> Titled<'a> {
        let ctl = &self.content.controls[c].value;
        Titled {
            id: &ctl.id,
            title: &ctl.title,
        }
    }

    /// The control `id`, with its title (empty when there is none of that id).
    pub(super) fn control_title(&self, id: &'a str) -> Titled<'a> {
        match self.index.controls.get(id) {
            Some(&c) => Titled {
                id,
                ..self.control_ref(c)
            },
            None => Titled { id, title: "" },
        }
    }

    /// The policy `id`, with its title (empty when there is none of that id).
    pub(super) fn policy_title(&self, id: &'a str) -> Titled<'a> {
        Titled {
            id,
            title: self
                .index
                .policies
                .get(id)
                .map_or("", |&p| self.content.policies[p].meta.title.as_str()),
        }
    }

    /// The evidence record at position `e`, with its title.
    fn evidence_ref(&self, e: usize) -> Titled<'a> {
        let ev = &self.content.evidence[e].value;
        Titled {
            id: &ev.id,
            title: &ev.title,
        }
    }

    /// The evidence rows of the control at position `control`, by date.
    pub(super) fn evidence_rows(&self, control: usize) -> Vec<EvidenceRow<'a>> {
        self.evidence_by_control[control]
            .iter()
            .map(|&e| self.evidence_row(e))
            .collect()
    }

    /// The evidence record at position `e` in a list.
    pub(super) fn evidence_row(&self, e: usize) -> EvidenceRow<'a> {
        let ev = &self.content.evidence[e].value;
        EvidenceRow {
            id: &ev.id,
            title: &ev.title,
            kind: ev.kind,
            occurred_on: ev.occurred_on,
            in_period: self.in_period(ev.occurred_on),
            result: ev.result,
            performed_by: self.person(&ev.performed_by),
            controls: &ev.controls,
            attachments: ev.attachments.len(),
        }
    }

    /// The warnings about `kind:id`.
    pub(super) fn warnings(&self, kind: RecordKind, id: &str) -> Vec<Message<'a>> {
        self.warnings.about(kind, id)
    }

    fn policy_views(&self) -> Vec<PolicyView<'a>> {
        let content = self.content;
        let end = self.end();
        content
            .policies
            .iter()
            .zip(&self.index.controls_of_policy)
            .map(|(d, controls)| {
                let m = &d.meta;
                let next_review = m
                    .approved_on
                    .checked_add_months(Months::new(m.review_interval_months));
                PolicyView {
                    id: &m.id,
                    title: &m.title,
                    owner: self.person(&m.owner),
                    approved_by: self.person(&m.approved_by),
                    approved_on: m.approved_on,
                    version: &m.version,
                    review_interval_months: m.review_interval_months,
                    next_review,
                    review_overdue: matches!((next_review, end), (Some(n), Some(e)) if n < e),
                    classification: m.classification,
                    controls: controls.iter().map(|&c| self.control_ref(c)).collect(),
                    body: &d.body,
                    warnings: self.warnings(RecordKind::Policy, &m.id),
                    history: &m.history,
                }
            })
            .collect()
    }

    fn control_views(&self) -> Vec<ControlView<'a>> {
        let content = self.content;
        let index = self.index;
        let cat = catalogs();
        let mapped = |c: &'a Control, fw: &str| -> Vec<Titled<'a>> {
            let ids = c.maps.get(fw).map_or(&[][..], Vec::as_slice);
            ids.iter()
                .map(|id| Titled {
                    id,
                    title: cat.title(fw, id).unwrap_or(""),
                })
                .collect()
        };
        content
            .controls
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let c = &r.value;
                let evs = &self.evidence_by_control[i];
                let in_period = |&e: &usize| self.in_period(content.evidence[e].value.occurred_on);
                let n_in = evs.iter().filter(|e| in_period(e)).count();
                let exceptions = evs
                    .iter()
                    .filter(|&&e| content.evidence[e].value.result == Outcome::Exception)
                    .count();
                let risks = &index.risks_of_control[i];
                ControlView {
                    index: i,
                    id: &c.id,
                    title: &c.title,
                    description: &c.description,
                    owner: self.person(&c.owner),
                    operator: self.person(&c.operator),
                    frequency: c.frequency,
                    automated: c.automated,
                    // The control's own `policies:` (its policy pages list both directions).
                    policies: c
                        .policies
                        .iter()
                        .map(|p| Titled {
                            id: p,
                            title: index
                                .policies
                                .get(p.as_str())
                                .map_or("", |&pi| content.policies[pi].meta.title.as_str()),
                        })
                        .collect(),
                    iso: mapped(c, catalog::ISO27001),
                    soc2: mapped(c, catalog::SOC2),
                    csf: mapped(c, catalog::CSF),
                    risks: risks
                        .iter()
                        .map(|&k| {
                            let risk = &content.risks[k].value;
                            Titled {
                                id: &risk.id,
                                title: &risk.title,
                            }
                        })
                        .collect(),
                    test_procedure: c.test_procedure.as_deref(),
                    evidence_in_period: n_in,
                    evidence_outside_period: evs.len() - n_in,
                    exceptions,
                    last_evidence: evs
                        .iter()
                        .rev()
                        .find(|e| in_period(e))
                        .map(|&e| content.evidence[e].value.occurred_on),
                    status: if n_in > 0 { "evidenced" } else { "gap" },
                    warnings: self.warnings(RecordKind::Control, &c.id),
                }
            })
            .collect()
    }

    /// Identities: the same rotation analysis as the SOC 2 report, so both bundles agree on
    /// what was late (the age from creation to the first rotation counts too).
    fn identity_views(&self) -> Vec<IdentityView<'a>> {
        let content = self.content;
        let end = self.end();
        let mut reviewed: HashMap<&str, IdentityReview> = self
            .period
            .map(|p| {
                identities::review(content, self.index, content.evaluated_period().unwrap_or(p))
            })
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.identity.id.as_str(), r))
            .collect();
        content
            .identities
            .iter()
            .map(|r| {
                let v = &r.value;
                let review = reviewed.remove(v.id.as_str());
                let refs = |list: Option<&Vec<usize>>| -> Vec<Titled<'a>> {
                    list.map_or(&[][..], Vec::as_slice)
                        .iter()
                        .map(|&e| self.evidence_ref(e))
                        .collect()
                };
                let late: &[LateRotation] = review.as_ref().map_or(&[], |r| r.late.as_slice());
                let mut rotations: Vec<Rotation> = Vec::new();
                for &e in review.as_ref().map_or(&[][..], |r| r.rotations.as_slice()) {
                    let ev = &content.evidence[e].value;
                    rotations.push(Rotation {
                        evidence: &ev.id,
                        date: ev.occurred_on,
                        days_since_previous: rotations
                            .last()
                            .map(|p| (ev.occurred_on - p.date).num_days()),
                        late: late.iter().any(|l| l.until == Until::Rotation(e)),
                    });
                }
                let last_rotated = rotations.last().map(|r| r.date);
                let decommissioned =
                    matches!((v.decommissioned_on, end), (Some(d), Some(e)) if d <= e);
                let age = match (end, decommissioned) {
                    (Some(e), false) => Some((e - last_rotated.unwrap_or(v.created_on)).num_days()),
                    _ => None,
                };
                let status = if decommissioned {
                    "decommissioned"
                } else if late.iter().any(|l| l.until == Until::PeriodEnd) {
                    "overdue"
                } else if !late.is_empty() {
                    "late"
                } else if review.as_ref().is_some_and(|r| r.age_not_evidenced) {
                    "age-not-evidenced"
                } else if v.rotation_days.is_none() {
                    "no-rotation-policy"
                } else {
                    "on-time"
                };
                IdentityView {
                    id: &v.id,
                    kind: v.kind,
                    system: &v.system,
                    owner: v.owner.as_deref().map(|p| self.person(p)),
                    description: v.description.as_deref(),
                    created_on: v.created_on,
                    rotation_days: v.rotation_days,
                    decommissioned_on: v.decommissioned_on,
                    classification: v.classification,
                    late_rotations: rotations.iter().filter(|r| r.late).count(),
                    rotations,
                    last_rotated,
                    age_at_period_end: age,
                    status,
                    access_reviews: review.as_ref().map_or_else(Vec::new, |r| {
                        let by_owner: Vec<usize> = r.reviews_by_owner(content).collect();
                        r.access_reviews
                            .iter()
                            .map(|&e| {
                                let ev = &content.evidence[e].value;
                                // The redacted copy holds no review CSV of a withheld record.
                                let row = content.review_row(e, &v.id);
                                AccessReviewView {
                                    listed_in: row.map(|(c, _)| c.attachment.as_str()),
                                    decision: row.and_then(|(_, r)| r.decision.as_deref()),
                                    evidence: self.evidence_ref(e),
                                    date: ev.occurred_on,
                                    performed_by: self.person(&ev.performed_by),
                                    approved_by: ev.approved_by.as_deref().map(|p| self.person(p)),
                                    by_owner: by_owner.contains(&e),
                                }
                            })
                            .collect()
                    }),
                    offboarding: refs(review.as_ref().map(|r| &r.offboardings)),
                    other_evidence: refs(review.as_ref().map(|r| &r.other)),
                    warnings: self.warnings(RecordKind::Identity, &v.id),
                    credential_keys: crate::analyse::credentials::keys_of(self.content, v),
                }
            })
            .collect()
    }

    /// A finding or relation of a review: a control, risk, review or policy, with its page.
    fn any_ref(&self, id: &'a str) -> AnyRef<'a> {
        let index = self.index;
        let kind = if index.controls.contains_key(id) {
            Some(("control", "controls"))
        } else if index.risks.contains_key(id) {
            Some(("risk", "risks"))
        } else if index.reviews.contains_key(id) {
            Some(("review", "reviews"))
        } else if index.policies.contains_key(id) {
            Some(("policy", "policies"))
        } else {
            None
        };
        AnyRef {
            id,
            kind: kind.map_or("record", |(k, _)| k),
            href: kind.map(|(_, dir)| record_page(dir, id)),
        }
    }

    fn review_views(&self) -> Vec<ReviewView<'a>> {
        let end = self.end();
        let mut reviews: Vec<ReviewView> = self
            .content
            .reviews
            .iter()
            .map(|d| {
                let m = &d.meta;
                let (kind_label, clause) = review_kind(m.kind);
                ReviewView {
                    id: &m.id,
                    kind: m.kind,
                    kind_label,
                    clause,
                    title: m
                        .title
                        .clone()
                        .unwrap_or_else(|| format!("{kind_label} of {}", m.date)),
                    date: m.date,
                    attendees: m.attendees.iter().map(|a| self.person(a)).collect(),
                    auditor: m.auditor.as_deref().map(|p| self.person(p)),
                    status: m.status,
                    actions: m
                        .actions
                        .iter()
                        .map(|a| ActionView {
                            id: &a.id,
                            title: a.title.as_deref(),
                            owner: self.person(&a.owner),
                            due: a.due,
                            status: a.status,
                            overdue: a.status == Status::Open && end.is_some_and(|e| a.due < e),
                            review: &m.id,
                        })
                        .collect(),
                    findings: m.findings.iter().map(|f| self.any_ref(f)).collect(),
                    relates_to: m.relates_to.iter().map(|f| self.any_ref(f)).collect(),
                    classification: m.classification,
                    body: &d.body,
                    nonconformity: self.nonconformity(m),
                    warnings: self.warnings(RecordKind::Review, &m.id),
                }
            })
            .collect();
        reviews.sort_by(|a, b| (a.date, a.id).cmp(&(b.date, b.id)));
        reviews
    }
}

/// What a review is called and the ISO 27001 clause it belongs to.
fn review_kind(kind: ReviewKind) -> (&'static str, &'static str) {
    match kind {
        ReviewKind::ManagementReview => ("Management review", "9.3"),
        ReviewKind::InternalAudit => ("Internal audit", "9.2"),
        ReviewKind::Nonconformity => ("Nonconformity", "10.2"),
        ReviewKind::CorrectiveAction => ("Corrective action", "10.2"),
    }
}

/// An evidence kind in words.
pub(super) fn evidence_kind_label(kind: EvidenceKind) -> &'static str {
    match kind {
        EvidenceKind::Ticket => "ticket",
        EvidenceKind::Log => "log",
        EvidenceKind::Approval => "approval",
        EvidenceKind::Change => "change",
        EvidenceKind::Exception => "exception",
        EvidenceKind::Rotation => "rotation",
        EvidenceKind::AccessReview => "access review",
        EvidenceKind::Offboarding => "offboarding",
        EvidenceKind::Training => "training",
        EvidenceKind::Review => "review",
        EvidenceKind::Incident => "incident",
        EvidenceKind::Scan => "scan",
        EvidenceKind::Other => "other",
    }
}
