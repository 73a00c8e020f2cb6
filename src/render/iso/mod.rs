//! The ISO/IEC 27001:2022 management-system narrative bundle: the way a certification auditor
//! walks an ISMS, clauses 4 to 10, then Annex A through the Statement of Applicability.
//!
//! Everything a page shows is computed once, up front, into view models ([`Model`]) that borrow
//! from the content (no copies of big strings): per-control evidence lists, SoA rows, risk
//! grids, identity rotation histories. Pages then serialise only their own slice, in parallel.
//! "Overdue" and "late" are judged as at the end of the period, never by the wall clock, so the
//! same content always renders the same bytes.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::{Datelike, Months, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;

use super::{slug, Bundle, NavItem, Renderer, Source};
use crate::analyse::identities::{self, IdentityReview, LateRotation, Until};
use crate::bundle::BundleWriter;
use crate::content::catalog::{self, catalogs};
use crate::content::model::{
    Classification, EvidenceKind, ExceptionDetail, Frequency, IdentityKind, Outcome, ReviewKind,
    Status, Treatment,
};
use crate::content::Content;
use crate::diag::RecordKind;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(
            (concat!("iso27001/", $name), include_str!(concat!("../../../templates/iso27001/", $name))),
        )*]
    };
}

/// The ISO bundle's templates (`iso27001/*.html`).
pub const TEMPLATES: &[(&str, &str)] = templates!(
    "index.html",
    "policies.html",
    "policy.html",
    "risks.html",
    "risk.html",
    "soa.html",
    "controls.html",
    "control.html",
    "identities.html",
    "identity.html",
    "improvement.html",
    "review.html",
    "evidence-index.html",
    "evidence-month.html",
    "evidence.html",
    "csf.html",
);

/// The ISO bundle's main navigation.
fn nav() -> Vec<NavItem> {
    vec![
        NavItem::new("Overview", "index.html", "index"),
        NavItem::new("Context & leadership", "policies/index.html", "policies"),
        NavItem::new("Risks", "risks/index.html", "risks"),
        NavItem::new("Statement of Applicability", "soa.html", "soa"),
        NavItem::new("Controls", "controls/index.html", "controls"),
        NavItem::new("Identities", "identities/index.html", "identities"),
        NavItem::new("Improvement", "improvement.html", "improvement"),
        NavItem::new("Evidence", "evidence/index.html", "evidence"),
        NavItem::new("NIST CSF", "csf.html", "csf"),
    ]
}

/// Render every page of the ISO bundle into `writer`.
pub fn render(source: &Source, writer: &BundleWriter) -> Result<()> {
    let engine = source.engine(Bundle::Iso27001, TEMPLATES)?;
    let site = source.site(Bundle::Iso27001, nav());
    let r = Renderer::new(&engine, writer, &site)?;
    r.redaction_log()?;
    let m = Model::build(source);

    r.page(
        "index.html",
        "iso27001/index.html",
        "Overview",
        &m.overview(),
    )?;
    r.page(
        "policies/index.html",
        "iso27001/policies.html",
        "Context and leadership",
        &m.leadership(),
    )?;
    r.page(
        "risks/index.html",
        "iso27001/risks.html",
        "Risk assessment and treatment",
        &RisksPage {
            risks: &m.risks,
            inherent: heat_map(&m.risks, |r| (r.likelihood, r.impact)),
            residual: heat_map(&m.risks, |r| {
                r.residual.map_or((r.likelihood, r.impact), |s| (s.0, s.1))
            }),
            method: RISK_METHOD,
        },
    )?;
    r.page(
        "soa.html",
        "iso27001/soa.html",
        "Statement of Applicability",
        &m.soa(),
    )?;
    r.page(
        "controls/index.html",
        "iso27001/controls.html",
        "Controls",
        &ControlsPage {
            controls: &m.controls,
        },
    )?;
    r.page(
        "identities/index.html",
        "iso27001/identities.html",
        "Non-human identities",
        &IdentitiesPage {
            identities: &m.identities,
            counts: m.identity_counts(),
        },
    )?;
    r.page(
        "improvement.html",
        "iso27001/improvement.html",
        "Performance evaluation and improvement",
        &m.improvement(),
    )?;
    let (evidence_index, evidence_months) = m.evidence_index();
    r.page(
        "evidence/index.html",
        "iso27001/evidence-index.html",
        "Evidence",
        &evidence_index,
    )?;
    evidence_months.par_iter().try_for_each(|month| {
        r.page(
            &format!("evidence/months/{}.html", month.month.month),
            "iso27001/evidence-month.html",
            &format!("Evidence of {}", month.month.label),
            month,
        )
    })?;
    r.page(
        "csf.html",
        "iso27001/csf.html",
        "NIST CSF 2.0 profile",
        &m.csf(),
    )?;

    m.policies.par_iter().try_for_each(|p| {
        r.page(
            &format!("policies/{}.html", slug(p.id)),
            "iso27001/policy.html",
            &format!("{} {}", p.id, p.title),
            &PolicyPage { policy: p },
        )
    })?;
    m.risks.par_iter().try_for_each(|risk| {
        r.page(
            &format!("risks/{}.html", slug(risk.id)),
            "iso27001/risk.html",
            &format!("{} {}", risk.id, risk.title),
            &RiskPage { risk },
        )
    })?;
    m.controls.par_iter().try_for_each(|c| {
        r.page(
            &format!("controls/{}.html", slug(c.id)),
            "iso27001/control.html",
            &format!("{} {}", c.id, c.title),
            &ControlPage {
                control: c,
                evidence: m.evidence_rows(c.index),
            },
        )
    })?;
    m.identities.par_iter().try_for_each(|i| {
        r.page(
            &format!("identities/{}.html", slug(i.id)),
            "iso27001/identity.html",
            &format!("{} ({})", i.id, i.system),
            &IdentityPage { identity: i },
        )
    })?;
    m.reviews.par_iter().try_for_each(|rv| {
        r.page(
            &format!("reviews/{}.html", slug(rv.id)),
            "iso27001/review.html",
            &format!("{} {}", rv.id, rv.title),
            &ReviewPage { review: rv },
        )
    })?;
    (0..source.content.evidence.len())
        .into_par_iter()
        .try_for_each(|i| {
            let ev = m.evidence_detail(i);
            r.page(
                &format!("evidence/{}.html", slug(ev.id)),
                "iso27001/evidence.html",
                &format!("{} {}", ev.id, ev.title),
                &EvidencePage { evidence: ev },
            )
        })
}

/// How the register scores risks, shown on the risk pages.
const RISK_METHOD: &str = "Likelihood and impact are each scored 1 (rare, negligible) to 5 (almost certain, severe); the score is their product. Scores of 15 and more are high, 8 to 14 medium, below 8 low.";

// ---------------------------------------------------------------------------------------------
// View models

/// A person as pages show them.
#[derive(Debug, Clone, Copy, Serialize)]
struct PersonRef<'a> {
    id: &'a str,
    name: &'a str,
    title: Option<&'a str>,
}

/// A record reference: id and title.
#[derive(Debug, Clone, Copy, Serialize)]
struct Ref<'a> {
    id: &'a str,
    title: &'a str,
}

/// A framework id with its catalog title.
#[derive(Debug, Clone, Serialize)]
struct Mapped<'a> {
    id: &'a str,
    title: &'a str,
}

/// A reference to any record, with its bundle-relative link.
#[derive(Debug, Clone, Serialize)]
struct AnyRef<'a> {
    id: &'a str,
    kind: &'static str,
    href: Option<String>,
}

/// Everything the ISO pages show, computed once.
struct Model<'a> {
    source: &'a Source<'a>,
    content: &'a Content,
    period: Option<crate::content::model::Period>,
    people: HashMap<&'a str, PersonRef<'a>>,
    policies: Vec<PolicyView<'a>>,
    controls: Vec<ControlView<'a>>,
    /// Evidence indices per control (same order as `controls`), sorted by date then id.
    evidence_by_control: Vec<Vec<usize>>,
    risks: Vec<RiskView<'a>>,
    identities: Vec<IdentityView<'a>>,
    reviews: Vec<ReviewView<'a>>,
    /// Warning messages by the record they are about.
    warnings_by_subject: HashMap<(RecordKind, &'a str), Vec<&'a str>>,
}

#[derive(Debug, Serialize)]
struct PolicyView<'a> {
    id: &'a str,
    title: &'a str,
    owner: PersonRef<'a>,
    approved_by: PersonRef<'a>,
    approved_on: NaiveDate,
    version: &'a str,
    review_interval_months: u32,
    next_review: Option<NaiveDate>,
    review_overdue: bool,
    classification: Classification,
    controls: Vec<Ref<'a>>,
    body: &'a str,
    warnings: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct ControlView<'a> {
    #[serde(skip)]
    index: usize,
    id: &'a str,
    title: &'a str,
    description: &'a str,
    owner: PersonRef<'a>,
    operator: PersonRef<'a>,
    frequency: Frequency,
    automated: bool,
    policies: Vec<Ref<'a>>,
    iso: Vec<Mapped<'a>>,
    soc2: Vec<Mapped<'a>>,
    csf: Vec<Mapped<'a>>,
    risks: Vec<Ref<'a>>,
    test_procedure: Option<&'a str>,
    evidence_in_period: usize,
    evidence_outside_period: usize,
    exceptions: usize,
    last_evidence: Option<NaiveDate>,
    status: &'static str,
    warnings: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct EvidenceRow<'a> {
    id: &'a str,
    title: &'a str,
    kind: EvidenceKind,
    occurred_on: NaiveDate,
    in_period: bool,
    result: Outcome,
    performed_by: PersonRef<'a>,
    attachments: usize,
}

#[derive(Debug, Clone, Copy, Serialize)]
struct Score(u8, u8);

#[derive(Debug, Serialize)]
struct RiskView<'a> {
    id: &'a str,
    title: &'a str,
    description: Option<&'a str>,
    owner: PersonRef<'a>,
    likelihood: u8,
    impact: u8,
    score: u32,
    level: &'static str,
    treatment: Treatment,
    residual: Option<Score>,
    residual_score: Option<u32>,
    residual_level: Option<&'static str>,
    controls: Vec<Ref<'a>>,
    accepted_by: Option<PersonRef<'a>>,
    reviewed_on: Option<NaiveDate>,
    warnings: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct Rotation<'a> {
    evidence: &'a str,
    date: NaiveDate,
    days_since_previous: Option<i64>,
    late: bool,
}

#[derive(Debug, Serialize)]
struct IdentityView<'a> {
    id: &'a str,
    kind: IdentityKind,
    system: &'a str,
    owner: Option<PersonRef<'a>>,
    description: Option<&'a str>,
    created_on: NaiveDate,
    rotation_days: Option<u32>,
    decommissioned_on: Option<NaiveDate>,
    classification: Classification,
    rotations: Vec<Rotation<'a>>,
    last_rotated: Option<NaiveDate>,
    age_at_period_end: Option<i64>,
    late_rotations: usize,
    /// One sentence per period the credential was older than allowed.
    late: Vec<String>,
    status: &'static str,
    access_reviews: Vec<Ref<'a>>,
    offboarding: Vec<Ref<'a>>,
    other_evidence: Vec<Ref<'a>>,
    warnings: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct ActionView<'a> {
    id: &'a str,
    title: Option<&'a str>,
    owner: PersonRef<'a>,
    due: NaiveDate,
    status: Status,
    overdue: bool,
    review: &'a str,
}

#[derive(Debug, Serialize)]
struct ReviewView<'a> {
    id: &'a str,
    kind: ReviewKind,
    kind_label: &'static str,
    clause: &'static str,
    title: String,
    date: NaiveDate,
    attendees: Vec<PersonRef<'a>>,
    auditor: Option<PersonRef<'a>>,
    status: Status,
    actions: Vec<ActionView<'a>>,
    findings: Vec<AnyRef<'a>>,
    relates_to: Vec<AnyRef<'a>>,
    classification: Classification,
    body: &'a str,
}

impl<'a> Model<'a> {
    fn build(source: &'a Source<'a>) -> Model<'a> {
        let content = source.content;
        let index = source.index;
        let period = content.pack.as_ref().map(|p| p.value.period);
        let end = period.map(|p| p.end);
        let people: HashMap<&str, PersonRef> = content
            .people
            .iter()
            .map(|p| {
                (
                    p.value.id.as_str(),
                    PersonRef {
                        id: &p.value.id,
                        name: &p.value.name,
                        title: p.value.title.as_deref(),
                    },
                )
            })
            .collect();
        let person = |id: &'a str| -> PersonRef<'a> {
            people.get(id).copied().unwrap_or(PersonRef {
                id,
                name: id,
                title: None,
            })
        };

        // Warnings by the records they are about.
        let mut warnings_by_subject: HashMap<(RecordKind, &str), Vec<&str>> = HashMap::new();
        for d in source.warnings {
            for subject in &d.subjects {
                let list = warnings_by_subject
                    .entry((subject.kind, &subject.id))
                    .or_default();
                if list.last() != Some(&d.message.as_str()) {
                    list.push(&d.message);
                }
            }
        }
        let warnings_for = |kind: RecordKind, id: &str| {
            warnings_by_subject
                .get(&(kind, id))
                .cloned()
                .unwrap_or_default()
        };

        // Evidence per control, sorted by date then id.
        let mut evidence_by_control: Vec<Vec<usize>> = vec![Vec::new(); content.controls.len()];
        for (i, ev) in content.evidence.iter().enumerate() {
            for c in &ev.value.controls {
                if let Some(&ci) = index.controls.get(c.as_str()) {
                    evidence_by_control[ci].push(i);
                }
            }
        }
        evidence_by_control.par_iter_mut().for_each(|list| {
            list.sort_by(|&a, &b| {
                let (a, b) = (&content.evidence[a].value, &content.evidence[b].value);
                (a.occurred_on, &a.id).cmp(&(b.occurred_on, &b.id))
            });
            list.dedup();
        });

        let control_ref = |id: &'a str| -> Ref<'a> {
            Ref {
                id,
                title: index
                    .controls
                    .get(id)
                    .map_or("", |&i| content.controls[i].value.title.as_str()),
            }
        };

        // Policies ↔ controls, both directions.
        let mut policy_controls: Vec<Vec<&str>> = content
            .policies
            .iter()
            .map(|p| p.meta.controls.iter().map(String::as_str).collect())
            .collect();
        for c in &content.controls {
            for p in &c.value.policies {
                if let Some(&pi) = index.policies.get(p.as_str()) {
                    policy_controls[pi].push(&c.value.id);
                }
            }
        }
        let policies = content
            .policies
            .iter()
            .zip(policy_controls)
            .map(|(d, mut ctl)| {
                ctl.sort_unstable();
                ctl.dedup();
                let m = &d.meta;
                let next_review = m
                    .approved_on
                    .checked_add_months(Months::new(m.review_interval_months));
                PolicyView {
                    id: &m.id,
                    title: &m.title,
                    owner: person(&m.owner),
                    approved_by: person(&m.approved_by),
                    approved_on: m.approved_on,
                    version: &m.version,
                    review_interval_months: m.review_interval_months,
                    next_review,
                    review_overdue: matches!((next_review, end), (Some(n), Some(e)) if n < e),
                    classification: m.classification,
                    controls: ctl.into_iter().map(control_ref).collect(),
                    body: &d.body,
                    warnings: warnings_for(RecordKind::Policy, &m.id),
                }
            })
            .collect();

        // Risks per control.
        let mut risks_by_control: HashMap<&str, Vec<Ref>> = HashMap::new();
        for r in &content.risks {
            for c in &r.value.controls {
                risks_by_control.entry(c).or_default().push(Ref {
                    id: &r.value.id,
                    title: &r.value.title,
                });
            }
        }

        let cat = catalogs();
        let mapped = |c: &'a crate::content::model::Control, fw: &str| -> Vec<Mapped<'a>> {
            c.maps
                .get(fw)
                .map(|ids| {
                    ids.iter()
                        .map(|id| Mapped {
                            id,
                            title: cat.title(fw, id).unwrap_or(""),
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let controls = content
            .controls
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let c = &r.value;
                let evs = &evidence_by_control[i];
                let in_period = |e: usize| {
                    period.is_none_or(|p| p.contains(content.evidence[e].value.occurred_on))
                };
                let n_in = evs.iter().filter(|&&e| in_period(e)).count();
                let exceptions = evs
                    .iter()
                    .filter(|&&e| content.evidence[e].value.result == Outcome::Exception)
                    .count();
                ControlView {
                    index: i,
                    id: &c.id,
                    title: &c.title,
                    description: &c.description,
                    owner: person(&c.owner),
                    operator: person(&c.operator),
                    frequency: c.frequency,
                    automated: c.automated,
                    policies: c
                        .policies
                        .iter()
                        .map(|p| Ref {
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
                    risks: risks_by_control.remove(c.id.as_str()).unwrap_or_default(),
                    test_procedure: c.test_procedure.as_deref(),
                    evidence_in_period: n_in,
                    evidence_outside_period: evs.len() - n_in,
                    exceptions,
                    last_evidence: evs
                        .iter()
                        .rev()
                        .find(|&&e| in_period(e))
                        .map(|&e| content.evidence[e].value.occurred_on),
                    status: if n_in > 0 { "evidenced" } else { "gap" },
                    warnings: warnings_for(RecordKind::Control, &c.id),
                }
            })
            .collect();

        let risks = content
            .risks
            .iter()
            .map(|r| {
                let v = &r.value;
                let score = u32::from(v.likelihood) * u32::from(v.impact);
                let residual_score = v
                    .residual
                    .map(|s| u32::from(s.likelihood) * u32::from(s.impact));
                RiskView {
                    id: &v.id,
                    title: &v.title,
                    description: v.description.as_deref(),
                    owner: person(&v.owner),
                    likelihood: v.likelihood,
                    impact: v.impact,
                    score,
                    level: risk_level(score),
                    treatment: v.treatment,
                    residual: v.residual.map(|s| Score(s.likelihood, s.impact)),
                    residual_score,
                    residual_level: residual_score.map(risk_level),
                    controls: v.controls.iter().map(|c| control_ref(c)).collect(),
                    accepted_by: v.accepted_by.as_deref().map(person),
                    reviewed_on: v.reviewed_on,
                    warnings: warnings_for(RecordKind::Risk, &v.id),
                }
            })
            .collect();

        // Identities: the same rotation analysis as the SOC 2 report, so both bundles agree on
        // what was late (the age from creation to the first rotation counts too).
        let mut reviewed: HashMap<&str, IdentityReview> = period
            .map(|p| identities::review(content, index, p))
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.identity.id.as_str(), r))
            .collect();
        let identities = content
            .identities
            .iter()
            .map(|r| {
                let v = &r.value;
                let review = reviewed.remove(v.id.as_str());
                let ev_ref = |e: &usize| Ref {
                    id: &content.evidence[*e].value.id,
                    title: &content.evidence[*e].value.title,
                };
                let refs = |list: Option<&Vec<usize>>| -> Vec<Ref<'a>> {
                    list.map(|l| l.iter().map(ev_ref).collect())
                        .unwrap_or_default()
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
                } else if v.rotation_days.is_none() {
                    "no-rotation-policy"
                } else {
                    "on-time"
                };
                IdentityView {
                    id: &v.id,
                    kind: v.kind,
                    system: &v.system,
                    owner: v.owner.as_deref().map(person),
                    description: v.description.as_deref(),
                    created_on: v.created_on,
                    rotation_days: v.rotation_days,
                    decommissioned_on: v.decommissioned_on,
                    classification: v.classification,
                    late_rotations: rotations.iter().filter(|r| r.late).count(),
                    late: late.iter().map(LateRotation::describe).collect(),
                    rotations,
                    last_rotated,
                    age_at_period_end: age,
                    status,
                    access_reviews: refs(review.as_ref().map(|r| &r.access_reviews)),
                    offboarding: refs(review.as_ref().map(|r| &r.offboardings)),
                    other_evidence: refs(review.as_ref().map(|r| &r.other)),
                    warnings: warnings_for(RecordKind::Identity, &v.id),
                }
            })
            .collect();

        let any_ref = |id: &'a str| -> AnyRef<'a> {
            let (kind, href) = if index.controls.contains_key(id) {
                ("control", Some(format!("controls/{}.html", slug(id))))
            } else if index.risks.contains_key(id) {
                ("risk", Some(format!("risks/{}.html", slug(id))))
            } else if index.reviews.contains_key(id) {
                ("review", Some(format!("reviews/{}.html", slug(id))))
            } else if index.policies.contains_key(id) {
                ("policy", Some(format!("policies/{}.html", slug(id))))
            } else {
                ("record", None)
            };
            AnyRef { id, kind, href }
        };
        let mut reviews: Vec<ReviewView> = content
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
                    attendees: m.attendees.iter().map(|a| person(a)).collect(),
                    auditor: m.auditor.as_deref().map(person),
                    status: m.status,
                    actions: m
                        .actions
                        .iter()
                        .map(|a| ActionView {
                            id: &a.id,
                            title: a.title.as_deref(),
                            owner: person(&a.owner),
                            due: a.due,
                            status: a.status,
                            overdue: a.status == Status::Open && end.is_some_and(|e| a.due < e),
                            review: &m.id,
                        })
                        .collect(),
                    findings: m.findings.iter().map(|f| any_ref(f)).collect(),
                    relates_to: m.relates_to.iter().map(|f| any_ref(f)).collect(),
                    classification: m.classification,
                    body: &d.body,
                }
            })
            .collect();
        reviews.sort_by(|a, b| (a.date, a.id).cmp(&(b.date, b.id)));

        Model {
            source,
            content,
            period,
            people,
            policies,
            controls,
            evidence_by_control,
            risks,
            identities,
            reviews,
            warnings_by_subject,
        }
    }

    fn person(&self, id: &'a str) -> PersonRef<'a> {
        self.people.get(id).copied().unwrap_or(PersonRef {
            id,
            name: id,
            title: None,
        })
    }

    fn in_period(&self, day: NaiveDate) -> bool {
        self.period.is_none_or(|p| p.contains(day))
    }

    fn evidence_rows(&self, control: usize) -> Vec<EvidenceRow<'a>> {
        self.evidence_by_control[control]
            .iter()
            .map(|&e| self.evidence_row(e))
            .collect()
    }

    fn evidence_row(&self, e: usize) -> EvidenceRow<'a> {
        let ev = &self.content.evidence[e].value;
        EvidenceRow {
            id: &ev.id,
            title: &ev.title,
            kind: ev.kind,
            occurred_on: ev.occurred_on,
            in_period: self.in_period(ev.occurred_on),
            result: ev.result,
            performed_by: self.person(&ev.performed_by),
            attachments: ev.attachments.len(),
        }
    }

    fn overview(&self) -> Overview<'_> {
        let c = self.content;
        let pack = c.pack.as_ref().map(|p| &p.value);
        let soa = self.soa_rows();
        let applicable = soa.iter().filter(|r| r.applicable).count();
        let nonconformities_open = self
            .reviews
            .iter()
            .filter(|r| r.kind == ReviewKind::Nonconformity && r.status == Status::Open)
            .count();
        let actions: Vec<&ActionView> = self.reviews.iter().flat_map(|r| &r.actions).collect();
        let mut by_rule: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for w in self.source.warnings {
            *by_rule.entry((w.code, w.rule)).or_default() += 1;
        }
        Overview {
            organisation: pack.map(|p| p.organisation.name.as_str()).unwrap_or(""),
            website: pack.and_then(|p| p.organisation.website.as_deref()),
            scope_statement: pack.map(|p| p.scope.statement.as_str()).unwrap_or(""),
            boundaries: pack.map(|p| p.scope.boundaries.as_slice()).unwrap_or(&[]),
            exclusions: pack
                .map(|p| {
                    p.scope
                        .exclusions
                        .iter()
                        .map(|e| (e.item.as_str(), e.reason.as_str()))
                        .collect()
                })
                .unwrap_or_default(),
            frameworks: pack
                .map(|p| p.frameworks.iter().map(|f| framework_name(f)).collect())
                .unwrap_or_default(),
            health: Health {
                policies: self.policies.len(),
                policies_overdue: self.policies.iter().filter(|p| p.review_overdue).count(),
                controls: self.controls.len(),
                controls_evidenced: self
                    .controls
                    .iter()
                    .filter(|c| c.evidence_in_period > 0)
                    .count(),
                annex_applicable: applicable,
                annex_excluded: soa.len() - applicable,
                annex_gaps: soa.iter().filter(|r| r.status == "gap").count(),
                risks: self.risks.len(),
                risks_high_residual: self
                    .risks
                    .iter()
                    .filter(|r| r.residual_level.unwrap_or(r.level) == "high")
                    .count(),
                evidence: c.evidence.len(),
                evidence_in_period: c
                    .evidence
                    .iter()
                    .filter(|e| self.in_period(e.value.occurred_on))
                    .count(),
                exceptions: c
                    .evidence
                    .iter()
                    .filter(|e| e.value.result == Outcome::Exception)
                    .count(),
                identities: self.identities.len(),
                identities_overdue: self
                    .identities
                    .iter()
                    .filter(|i| i.status == "overdue")
                    .count(),
                nonconformities_open,
                actions_open: actions.iter().filter(|a| a.status == Status::Open).count(),
                actions_overdue: actions.iter().filter(|a| a.overdue).count(),
                warnings: self.source.warnings.len(),
            },
            warnings_by_rule: by_rule
                .into_iter()
                .map(|((code, rule), count)| RuleCount { code, rule, count })
                .collect(),
            warnings: self
                .source
                .warnings
                .iter()
                .map(|w| WarningView {
                    code: w.code,
                    rule: w.rule,
                    message: &w.message,
                    file: w
                        .path
                        .strip_prefix(&*self.content.root.to_string_lossy())
                        .map(|s| s.trim_start_matches('/'))
                        .unwrap_or(&w.path),
                    line: w.line,
                })
                .collect(),
        }
    }

    fn leadership(&self) -> Leadership<'_> {
        let mut roles: BTreeMap<&str, RoleView> = BTreeMap::new();
        for p in &self.content.people {
            roles.insert(
                &p.value.id,
                RoleView {
                    person: self.person(&p.value.id),
                    policies_owned: 0,
                    policies_approved: 0,
                    controls_owned: 0,
                    controls_operated: 0,
                    risks_owned: 0,
                },
            );
        }
        for p in &self.policies {
            if let Some(r) = roles.get_mut(p.owner.id) {
                r.policies_owned += 1;
            }
            if let Some(r) = roles.get_mut(p.approved_by.id) {
                r.policies_approved += 1;
            }
        }
        for c in &self.controls {
            if let Some(r) = roles.get_mut(c.owner.id) {
                r.controls_owned += 1;
            }
            if let Some(r) = roles.get_mut(c.operator.id) {
                r.controls_operated += 1;
            }
        }
        for k in &self.risks {
            if let Some(r) = roles.get_mut(k.owner.id) {
                r.risks_owned += 1;
            }
        }
        let mut roles: Vec<RoleView> = roles.into_values().collect();
        roles.sort_by(|a, b| a.person.name.cmp(b.person.name));
        Leadership {
            policies: &self.policies,
            roles,
            scope_statement: self
                .content
                .pack
                .as_ref()
                .map(|p| p.value.scope.statement.as_str())
                .unwrap_or(""),
        }
    }

    fn soa_rows(&self) -> Vec<SoaRow<'a>> {
        let cat = catalogs();
        let mut implementing: HashMap<&str, Vec<&ControlView>> = HashMap::new();
        for c in &self.controls {
            for m in &c.iso {
                implementing.entry(m.id).or_default().push(c);
            }
        }
        let decisions: HashMap<&str, &crate::content::model::SoaDecision> = self
            .content
            .soa
            .iter()
            .map(|d| (d.value.annex_a.as_str(), &d.value))
            .collect();
        cat.iso
            .annex_a
            .iter()
            .map(|a| {
                let d = decisions.get(a.id.as_str());
                let ctl = implementing.get(a.id.as_str()).cloned().unwrap_or_default();
                let applicable = d.and_then(|d| d.applicable) != Some(false);
                let evidenced = ctl.iter().any(|c| c.evidence_in_period > 0);
                SoaRow {
                    id: &a.id,
                    anchor: super::annex_anchor(&a.id),
                    title: &a.title,
                    theme: &a.theme,
                    applicable,
                    justification: d.and_then(|d| d.justification.as_deref()),
                    note: d.and_then(|d| d.note.as_deref()),
                    controls: ctl
                        .iter()
                        .map(|c| SoaControl {
                            id: c.id,
                            title: c.title,
                            status: c.status,
                            evidence: c.evidence_in_period,
                        })
                        .collect(),
                    status: if !applicable {
                        "excluded"
                    } else if evidenced {
                        "evidenced"
                    } else {
                        "gap"
                    },
                }
            })
            .collect()
    }

    fn soa(&self) -> SoaPage<'a> {
        let rows = self.soa_rows();
        let cat = catalogs();
        let mut themes: Vec<SoaTheme> = cat
            .iso
            .themes()
            .into_iter()
            .map(|(id, title)| SoaTheme {
                id,
                title,
                rows: Vec::new(),
                applicable: 0,
                excluded: 0,
                evidenced: 0,
                gaps: 0,
            })
            .collect();
        let totals = SoaTotals {
            total: rows.len(),
            applicable: rows.iter().filter(|r| r.applicable).count(),
            excluded: rows.iter().filter(|r| !r.applicable).count(),
            evidenced: rows.iter().filter(|r| r.status == "evidenced").count(),
            gaps: rows.iter().filter(|r| r.status == "gap").count(),
        };
        for row in rows {
            if let Some(t) = themes.iter_mut().find(|t| t.id == row.theme) {
                match row.status {
                    "excluded" => t.excluded += 1,
                    "evidenced" => t.evidenced += 1,
                    _ => t.gaps += 1,
                }
                if row.applicable {
                    t.applicable += 1;
                }
                t.rows.push(row);
            }
        }
        SoaPage { themes, totals }
    }

    fn identity_counts(&self) -> IdentityCounts {
        let count = |s: &str| self.identities.iter().filter(|i| i.status == s).count();
        IdentityCounts {
            total: self.identities.len(),
            on_time: count("on-time"),
            late: count("late"),
            overdue: count("overdue"),
            decommissioned: count("decommissioned"),
            unowned: self.identities.iter().filter(|i| i.owner.is_none()).count(),
        }
    }

    fn improvement(&self) -> Improvement<'_> {
        let of = |k: ReviewKind| -> Vec<&ReviewView> {
            self.reviews.iter().filter(|r| r.kind == k).collect()
        };
        let mut actions: Vec<&ActionView> = self.reviews.iter().flat_map(|r| &r.actions).collect();
        actions.sort_by(|a, b| (a.due, a.id).cmp(&(b.due, b.id)));
        let mut timeline: Vec<TimelineItem> = self
            .reviews
            .iter()
            .map(|r| TimelineItem {
                date: r.date,
                id: r.id,
                href: format!("reviews/{}.html", slug(r.id)),
                what: r.kind_label,
                title: r.title.clone(),
                status: if r.status == Status::Open {
                    "open"
                } else {
                    "closed"
                },
            })
            .chain(actions.iter().map(|a| TimelineItem {
                date: a.due,
                id: a.id,
                href: format!("reviews/{}.html#action-{}", slug(a.review), slug(a.id)),
                what: "Action due",
                title: a.title.unwrap_or("").to_string(),
                status: if a.overdue {
                    "overdue"
                } else if a.status == Status::Open {
                    "open"
                } else {
                    "closed"
                },
            }))
            .collect();
        timeline.sort_by(|a, b| (a.date, a.id).cmp(&(b.date, b.id)));
        Improvement {
            audits: of(ReviewKind::InternalAudit),
            management_reviews: of(ReviewKind::ManagementReview),
            nonconformities: of(ReviewKind::Nonconformity),
            corrective_actions: of(ReviewKind::CorrectiveAction),
            actions,
            timeline,
        }
    }

    /// The evidence index (counts and one line per calendar month) and one page per month that
    /// holds records, each listing that month's records in date order: a pack of 100,000
    /// records would otherwise be one page of tens of megabytes.
    fn evidence_index(&self) -> (EvidenceIndex, Vec<EvidenceMonth<'a>>) {
        let mut order: Vec<usize> = (0..self.content.evidence.len()).collect();
        order.par_sort_by(|&a, &b| {
            let (x, y) = (
                &self.content.evidence[a].value,
                &self.content.evidence[b].value,
            );
            (x.occurred_on, &x.id).cmp(&(y.occurred_on, &y.id))
        });
        let mut by_kind: BTreeMap<&'static str, usize> = BTreeMap::new();
        let mut months: Vec<EvidenceMonth> = Vec::new();
        for e in order {
            let ev = &self.content.evidence[e].value;
            *by_kind.entry(evidence_kind_label(ev.kind)).or_default() += 1;
            let row = EvidenceIndexRow {
                id: &ev.id,
                title: &ev.title,
                kind: ev.kind,
                occurred_on: ev.occurred_on,
                in_period: self.in_period(ev.occurred_on),
                result: ev.result,
                controls: &ev.controls,
                attachments: ev.attachments.len(),
            };
            let day = ev.occurred_on;
            let same_month = |r: &EvidenceIndexRow| {
                (r.occurred_on.year(), r.occurred_on.month()) == (day.year(), day.month())
            };
            if months
                .last()
                .and_then(|m| m.rows.last())
                .is_none_or(|r| !same_month(r))
            {
                months.push(EvidenceMonth {
                    month: MonthSummary {
                        label: day.format("%B %Y").to_string(),
                        month: day.format("%Y-%m").to_string(),
                        records: 0,
                        exceptions: 0,
                        outside_period: 0,
                    },
                    previous: None,
                    next: None,
                    rows: Vec::new(),
                });
            }
            let current = months.last_mut().expect("a month was just pushed");
            current.month.records += 1;
            current.month.exceptions += usize::from(row.result == Outcome::Exception);
            current.month.outside_period += usize::from(!row.in_period);
            current.rows.push(row);
        }
        for i in 0..months.len() {
            let previous = i.checked_sub(1).map(|p| months[p].month.clone());
            let next = months.get(i + 1).map(|n| n.month.clone());
            months[i].previous = previous;
            months[i].next = next;
        }
        let index = EvidenceIndex {
            total: self.content.evidence.len(),
            attachments: self.source.attachments.len(),
            attachment_bytes: self.source.attachments.values().map(|e| e.size).sum(),
            by_kind: by_kind
                .into_iter()
                .map(|(kind, count)| KindCount { kind, count })
                .collect(),
            months: months.iter().map(|m| m.month.clone()).collect(),
        };
        (index, months)
    }

    fn evidence_detail(&self, e: usize) -> EvidenceDetail<'a> {
        let ev = &self.content.evidence[e].value;
        let index = self.source.index;
        EvidenceDetail {
            id: &ev.id,
            title: &ev.title,
            kind: ev.kind,
            kind_label: evidence_kind_label(ev.kind),
            occurred_on: ev.occurred_on,
            in_period: self.in_period(ev.occurred_on),
            performed_by: self.person(&ev.performed_by),
            approved_by: ev.approved_by.as_deref().map(|p| self.person(p)),
            system: ev.system.as_deref(),
            identity: ev.identity.as_deref(),
            source: ev.source.as_deref(),
            source_is_url: ev
                .source
                .as_deref()
                .is_some_and(|s| s.starts_with("https://") || s.starts_with("http://")),
            result: ev.result,
            exception: ev.exception.as_ref(),
            classification: ev.classification,
            summary: ev.summary.as_deref(),
            controls: ev
                .controls
                .iter()
                .map(|c| Ref {
                    id: c,
                    title: index
                        .controls
                        .get(c.as_str())
                        .map_or("", |&i| self.content.controls[i].value.title.as_str()),
                })
                .collect(),
            attachments: ev
                .attachments
                .iter()
                .map(|a| {
                    let stored = self.source.attachments.get(a);
                    AttachmentView {
                        name: a,
                        href: stored.map(|s| s.path.as_str()),
                        size: stored.map_or(0, |s| s.size),
                        sha256: stored.map_or("", |s| s.sha256.as_str()),
                    }
                })
                .collect(),
            warnings: self
                .warnings_by_subject
                .get(&(RecordKind::Evidence, ev.id.as_str()))
                .cloned()
                .unwrap_or_default(),
        }
    }

    fn csf(&self) -> CsfPage<'a> {
        let cat = catalogs();
        let mut covering: HashMap<&str, Vec<Ref>> = HashMap::new();
        for c in &self.controls {
            for m in &c.csf {
                covering.entry(m.id).or_default().push(Ref {
                    id: c.id,
                    title: c.title,
                });
            }
        }
        let mut total = 0;
        let mut covered_total = 0;
        let functions = cat
            .csf
            .functions
            .iter()
            .map(|f| {
                let categories: Vec<CsfCategoryView> = cat
                    .csf
                    .categories
                    .iter()
                    .filter(|c| c.function == f.id)
                    .map(|c| {
                        let subcategories: Vec<CsfSubView> = cat
                            .csf
                            .subcategories
                            .iter()
                            .filter(|s| s.category == c.id)
                            .map(|s| {
                                let controls =
                                    covering.get(s.id.as_str()).cloned().unwrap_or_default();
                                let iso = cat.crosswalk.iso_for(&s.id);
                                CsfSubView {
                                    id: &s.id,
                                    text: &s.text,
                                    covered: !controls.is_empty(),
                                    controls,
                                    iso_annex: iso
                                        .map(|r| {
                                            r.annex_a
                                                .iter()
                                                .map(|a| Mapped {
                                                    id: a,
                                                    title: cat
                                                        .title(catalog::ISO27001, a)
                                                        .unwrap_or(""),
                                                })
                                                .collect()
                                        })
                                        .unwrap_or_default(),
                                    iso_clauses: iso
                                        .map(|r| r.clauses.iter().map(String::as_str).collect())
                                        .unwrap_or_default(),
                                }
                            })
                            .collect();
                        let covered = subcategories.iter().filter(|s| s.covered).count();
                        CsfCategoryView {
                            id: &c.id,
                            name: &c.name,
                            total: subcategories.len(),
                            covered,
                            subcategories,
                        }
                    })
                    .collect();
                let t: usize = categories.iter().map(|c| c.total).sum();
                let cov: usize = categories.iter().map(|c| c.covered).sum();
                total += t;
                covered_total += cov;
                CsfFunctionView {
                    id: &f.id,
                    name: &f.name,
                    text: &f.text,
                    total: t,
                    covered: cov,
                    categories,
                }
            })
            .collect();
        CsfPage {
            functions,
            total,
            covered: covered_total,
        }
    }
}

fn risk_level(score: u32) -> &'static str {
    match score {
        15.. => "high",
        8..=14 => "medium",
        _ => "low",
    }
}

fn review_kind(kind: ReviewKind) -> (&'static str, &'static str) {
    match kind {
        ReviewKind::ManagementReview => ("Management review", "9.3"),
        ReviewKind::InternalAudit => ("Internal audit", "9.2"),
        ReviewKind::Nonconformity => ("Nonconformity", "10.2"),
        ReviewKind::CorrectiveAction => ("Corrective action", "10.2"),
    }
}

fn evidence_kind_label(kind: EvidenceKind) -> &'static str {
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

fn framework_name(key: &str) -> &str {
    match key {
        catalog::ISO27001 => "ISO/IEC 27001:2022",
        catalog::SOC2 => "SOC 2 (AICPA Trust Services Criteria 2017)",
        catalog::CSF => "NIST Cybersecurity Framework 2.0",
        other => other,
    }
}

/// A 5×5 likelihood × impact grid: `cells[impact 5..1][likelihood 1..5]`, top row impact 5.
fn heat_map(risks: &[RiskView], score: impl Fn(&RiskView) -> (u8, u8)) -> HeatMap {
    let mut rows: Vec<HeatRow> = (1..=5u8)
        .rev()
        .map(|impact| HeatRow {
            impact,
            cells: (1..=5u8)
                .map(|likelihood| {
                    let s = u32::from(likelihood) * u32::from(impact);
                    HeatCell {
                        likelihood,
                        impact,
                        level: risk_level(s),
                        risks: Vec::new(),
                    }
                })
                .collect(),
        })
        .collect();
    for r in risks {
        let (l, i) = score(r);
        if (1..=5).contains(&l) && (1..=5).contains(&i) {
            rows[usize::from(5 - i)].cells[usize::from(l - 1)]
                .risks
                .push(r.id.to_string());
        }
    }
    HeatMap { rows }
}

// ---------------------------------------------------------------------------------------------
// Page data

#[derive(Serialize)]
struct Health {
    policies: usize,
    policies_overdue: usize,
    controls: usize,
    controls_evidenced: usize,
    annex_applicable: usize,
    annex_excluded: usize,
    annex_gaps: usize,
    risks: usize,
    risks_high_residual: usize,
    evidence: usize,
    evidence_in_period: usize,
    exceptions: usize,
    identities: usize,
    identities_overdue: usize,
    nonconformities_open: usize,
    actions_open: usize,
    actions_overdue: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct RuleCount<'a> {
    code: &'a str,
    rule: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct WarningView<'a> {
    code: &'a str,
    rule: &'a str,
    message: &'a str,
    file: &'a str,
    line: usize,
}

#[derive(Serialize)]
struct Overview<'a> {
    organisation: &'a str,
    website: Option<&'a str>,
    scope_statement: &'a str,
    boundaries: &'a [String],
    exclusions: Vec<(&'a str, &'a str)>,
    frameworks: Vec<&'a str>,
    health: Health,
    warnings_by_rule: Vec<RuleCount<'a>>,
    warnings: Vec<WarningView<'a>>,
}

#[derive(Serialize)]
struct RoleView<'a> {
    person: PersonRef<'a>,
    policies_owned: usize,
    policies_approved: usize,
    controls_owned: usize,
    controls_operated: usize,
    risks_owned: usize,
}

#[derive(Serialize)]
struct Leadership<'a> {
    policies: &'a [PolicyView<'a>],
    roles: Vec<RoleView<'a>>,
    scope_statement: &'a str,
}

#[derive(Serialize)]
struct PolicyPage<'a> {
    policy: &'a PolicyView<'a>,
}

#[derive(Serialize)]
struct HeatCell {
    likelihood: u8,
    impact: u8,
    level: &'static str,
    risks: Vec<String>,
}

#[derive(Serialize)]
struct HeatRow {
    impact: u8,
    cells: Vec<HeatCell>,
}

#[derive(Serialize)]
struct HeatMap {
    rows: Vec<HeatRow>,
}

#[derive(Serialize)]
struct RisksPage<'a> {
    risks: &'a [RiskView<'a>],
    inherent: HeatMap,
    residual: HeatMap,
    method: &'static str,
}

#[derive(Serialize)]
struct RiskPage<'a> {
    risk: &'a RiskView<'a>,
}

#[derive(Serialize)]
struct SoaControl<'a> {
    id: &'a str,
    title: &'a str,
    status: &'static str,
    evidence: usize,
}

#[derive(Serialize)]
struct SoaRow<'a> {
    id: &'a str,
    anchor: String,
    title: &'a str,
    #[serde(skip)]
    theme: &'a str,
    applicable: bool,
    justification: Option<&'a str>,
    note: Option<&'a str>,
    controls: Vec<SoaControl<'a>>,
    status: &'static str,
}

#[derive(Serialize)]
struct SoaTheme<'a> {
    id: &'a str,
    title: &'a str,
    rows: Vec<SoaRow<'a>>,
    applicable: usize,
    excluded: usize,
    evidenced: usize,
    gaps: usize,
}

#[derive(Serialize)]
struct SoaTotals {
    total: usize,
    applicable: usize,
    excluded: usize,
    evidenced: usize,
    gaps: usize,
}

#[derive(Serialize)]
struct SoaPage<'a> {
    themes: Vec<SoaTheme<'a>>,
    totals: SoaTotals,
}

#[derive(Serialize)]
struct ControlsPage<'a> {
    controls: &'a [ControlView<'a>],
}

#[derive(Serialize)]
struct ControlPage<'a> {
    control: &'a ControlView<'a>,
    evidence: Vec<EvidenceRow<'a>>,
}

#[derive(Serialize)]
struct IdentityCounts {
    total: usize,
    on_time: usize,
    late: usize,
    overdue: usize,
    decommissioned: usize,
    unowned: usize,
}

#[derive(Serialize)]
struct IdentitiesPage<'a> {
    identities: &'a [IdentityView<'a>],
    counts: IdentityCounts,
}

#[derive(Serialize)]
struct IdentityPage<'a> {
    identity: &'a IdentityView<'a>,
}

#[derive(Serialize)]
struct TimelineItem<'a> {
    date: NaiveDate,
    id: &'a str,
    href: String,
    what: &'static str,
    title: String,
    status: &'static str,
}

#[derive(Serialize)]
struct Improvement<'a> {
    audits: Vec<&'a ReviewView<'a>>,
    management_reviews: Vec<&'a ReviewView<'a>>,
    nonconformities: Vec<&'a ReviewView<'a>>,
    corrective_actions: Vec<&'a ReviewView<'a>>,
    actions: Vec<&'a ActionView<'a>>,
    timeline: Vec<TimelineItem<'a>>,
}

#[derive(Serialize)]
struct ReviewPage<'a> {
    review: &'a ReviewView<'a>,
}

#[derive(Serialize)]
struct EvidenceIndexRow<'a> {
    id: &'a str,
    title: &'a str,
    kind: EvidenceKind,
    occurred_on: NaiveDate,
    in_period: bool,
    result: Outcome,
    controls: &'a [String],
    attachments: usize,
}

#[derive(Serialize)]
struct KindCount {
    kind: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct EvidenceIndex {
    total: usize,
    attachments: usize,
    attachment_bytes: u64,
    by_kind: Vec<KindCount>,
    months: Vec<MonthSummary>,
}

/// A calendar month of evidence: `month` is `2026-03` (its page's file name), `label` `March 2026`.
#[derive(Serialize, Clone)]
struct MonthSummary {
    month: String,
    label: String,
    records: usize,
    exceptions: usize,
    outside_period: usize,
}

#[derive(Serialize)]
struct EvidenceMonth<'a> {
    month: MonthSummary,
    previous: Option<MonthSummary>,
    next: Option<MonthSummary>,
    rows: Vec<EvidenceIndexRow<'a>>,
}

#[derive(Serialize)]
struct AttachmentView<'a> {
    name: &'a str,
    href: Option<&'a str>,
    size: u64,
    sha256: &'a str,
}

#[derive(Serialize)]
struct EvidenceDetail<'a> {
    id: &'a str,
    title: &'a str,
    kind: EvidenceKind,
    kind_label: &'static str,
    occurred_on: NaiveDate,
    in_period: bool,
    performed_by: PersonRef<'a>,
    approved_by: Option<PersonRef<'a>>,
    system: Option<&'a str>,
    identity: Option<&'a str>,
    source: Option<&'a str>,
    source_is_url: bool,
    result: Outcome,
    exception: Option<&'a ExceptionDetail>,
    classification: Classification,
    summary: Option<&'a str>,
    controls: Vec<Ref<'a>>,
    attachments: Vec<AttachmentView<'a>>,
    warnings: Vec<&'a str>,
}

#[derive(Serialize)]
struct EvidencePage<'a> {
    evidence: EvidenceDetail<'a>,
}

#[derive(Serialize)]
struct CsfSubView<'a> {
    id: &'a str,
    text: &'a str,
    covered: bool,
    controls: Vec<Ref<'a>>,
    iso_annex: Vec<Mapped<'a>>,
    iso_clauses: Vec<&'a str>,
}

#[derive(Serialize)]
struct CsfCategoryView<'a> {
    id: &'a str,
    name: &'a str,
    total: usize,
    covered: usize,
    subcategories: Vec<CsfSubView<'a>>,
}

#[derive(Serialize)]
struct CsfFunctionView<'a> {
    id: &'a str,
    name: &'a str,
    text: &'a str,
    total: usize,
    covered: usize,
    categories: Vec<CsfCategoryView<'a>>,
}

#[derive(Serialize)]
struct CsfPage<'a> {
    functions: Vec<CsfFunctionView<'a>>,
    total: usize,
    covered: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_levels_split_the_grid() {
        assert_eq!(risk_level(25), "high");
        assert_eq!(risk_level(15), "high");
        assert_eq!(risk_level(12), "medium");
        assert_eq!(risk_level(8), "medium");
        assert_eq!(risk_level(6), "low");
        assert_eq!(risk_level(1), "low");
    }

    #[test]
    fn heat_map_puts_high_impact_on_top() {
        let map = heat_map(&[], |_| (1, 1));
        assert_eq!(map.rows.len(), 5);
        assert_eq!(map.rows[0].impact, 5);
        assert_eq!(map.rows[0].cells[4].level, "high");
        assert_eq!(map.rows[4].cells[0].level, "low");
    }
}
