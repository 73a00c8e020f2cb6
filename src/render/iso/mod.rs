//! The ISO/IEC 27001:2022 management-system narrative bundle: the way a certification auditor
//! walks an ISMS, clauses 4 to 10, then Annex A through the Statement of Applicability.
//!
//! Everything a page shows is computed once, up front, into view models (`views`) that borrow
//! from the content (no copies of big strings): per-control evidence lists, SoA rows, risk
//! grids, identity rotation histories (`model`). Pages then serialise only their own slice, in
//! parallel: the pages that gather many records (`pages`), the evidence pages (`evidence`), and
//! one page per record. "Overdue" and "late" are judged as at the end of
//! the period, never by the wall clock, so the same content always renders the same bytes.

mod clauses;
mod evidence;
mod isms;
mod model;
mod pages;
mod risks;
mod soa;
mod sources;
mod views;
mod warnings;

use std::cell::OnceCell;

use anyhow::Result;

use model::Model;
use views::{
    ControlPage, ControlsPage, EvidencePage, IdentitiesPage, IdentityPage, PolicyPage, ReviewPage,
    RiskPage,
};

use super::{record_page, Bundle, Engine, NavItem, Output, Page, Renderer, SiteInfo, Source};
use crate::bundle::BundleWriter;

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
    "clauses.html",
    "isms-nav.html",
    "objectives.html",
    "competence.html",
    "operations.html",
    "monitoring.html",
    "audit-programme.html",
);

/// The ISO bundle's main navigation.
fn nav() -> Vec<NavItem> {
    vec![
        NavItem::new("Overview", "index.html", "index"),
        NavItem::new("Clause index", "clauses.html", "clauses"),
        NavItem::new("Context & leadership", "policies/index.html", "policies"),
        NavItem::new("Risks", "risks/index.html", "risks"),
        NavItem::new("Objectives & operation", "isms/objectives.html", "isms"),
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
    Prepared::new(source, &engine).render(Output::Folder(writer))
}

/// The ISO bundle ready to render: its engine, site and view models, made once. `build`
/// renders it whole; `serve` keeps one per content change and renders from it the one file a
/// browser asks for.
pub struct Prepared<'a> {
    source: &'a Source<'a>,
    engine: &'a Engine,
    site: SiteInfo,
    m: Model<'a>,
}

impl<'a> Prepared<'a> {
    /// Make the view models of `source`'s pages, to render with `engine` (from
    /// [`Source::engine`] with this bundle's [`TEMPLATES`]).
    pub fn new(source: &'a Source<'a>, engine: &'a Engine) -> Prepared<'a> {
        Prepared {
            source,
            engine,
            site: source.site(Bundle::Iso27001, nav()),
            m: Model::build(source),
        }
    }

    /// Render every file of the bundle `out` wants.
    pub fn render(&self, out: Output<'_>) -> Result<()> {
        let (source, m) = (self.source, &self.m);
        let r = Renderer::new(self.engine, out, &self.site)?;
        r.redaction_log()?;

        r.page("index.html", "iso27001/index.html", "Overview", || {
            m.overview()
        })?;
        r.page(
            "policies/index.html",
            "iso27001/policies.html",
            "Context and leadership",
            || m.leadership(),
        )?;
        r.page(
            "risks/index.html",
            "iso27001/risks.html",
            "Risk assessment and treatment",
            || m.risks_page(),
        )?;
        r.page(
            "clauses.html",
            "iso27001/clauses.html",
            "Clause index: documented information",
            || m.clauses(),
        )?;
        r.page(
            "soa.html",
            "iso27001/soa.html",
            "Statement of Applicability",
            || m.soa(),
        )?;
        r.page(
            "controls/index.html",
            "iso27001/controls.html",
            "Controls",
            || ControlsPage {
                controls: &m.controls,
            },
        )?;
        r.page(
            "identities/index.html",
            "iso27001/identities.html",
            "Non-human identities",
            || IdentitiesPage {
                identities: &m.identities,
                counts: m.identity_counts(),
            },
        )?;
        r.page(
            "improvement.html",
            "iso27001/improvement.html",
            "Performance evaluation and improvement",
            || m.improvement(),
        )?;
        r.page(
            "isms/objectives.html",
            "iso27001/objectives.html",
            "Information security objectives",
            || m.objectives_page(),
        )?;
        r.page(
            "isms/competence.html",
            "iso27001/competence.html",
            "Competence",
            || serde_json::json!({ "roles": m.competence_page() }),
        )?;
        r.page(
            "isms/operations.html",
            "iso27001/operations.html",
            "Operational planning and planned changes",
            || m.operations_page(),
        )?;
        r.page(
            "isms/monitoring.html",
            "iso27001/monitoring.html",
            "Monitoring and measurement",
            || serde_json::json!({ "measurements": m.monitoring_page() }),
        )?;
        r.page(
            "isms/audit-programme.html",
            "iso27001/audit-programme.html",
            "Internal audit programme",
            || m.programme_page(),
        )?;
        // The index and the month pages share one pass over the evidence, made when either is
        // wanted.
        let months_dir = "evidence/months/";
        let evidence = OnceCell::new();
        let evidence = || evidence.get_or_init(|| m.evidence_index());
        r.page(
            "evidence/index.html",
            "iso27001/evidence-index.html",
            "Evidence",
            || &evidence().0,
        )?;
        if out.wants_under(months_dir) {
            r.pages(
                &evidence().1,
                "iso27001/evidence-month.html",
                |month| format!("{months_dir}{}.html", month.month.month),
                |month| Page {
                    title: format!("Evidence of {}", month.month.label),
                    data: month,
                },
            )?;
        }
        r.page(
            "csf.html",
            "iso27001/csf.html",
            "NIST CSF 2.0 profile",
            || m.csf(),
        )?;

        r.pages(
            &m.policies,
            "iso27001/policy.html",
            |p| record_page("policies", p.id),
            |p| Page {
                title: format!("{} {}", p.id, p.title),
                data: PolicyPage { policy: p },
            },
        )?;
        let method_policy = m.method_policy();
        r.pages(
            &m.risks,
            "iso27001/risk.html",
            |risk| record_page("risks", risk.id),
            |risk| Page {
                title: format!("{} {}", risk.id, risk.title),
                data: RiskPage {
                    risk,
                    method_policy,
                },
            },
        )?;
        r.pages(
            &m.controls,
            "iso27001/control.html",
            |c| record_page("controls", c.id),
            |c| Page {
                title: format!("{} {}", c.id, c.title),
                data: ControlPage {
                    control: c,
                    evidence: m.evidence_rows(c.index),
                    sources: sources::lines(source, c.id),
                },
            },
        )?;
        r.pages(
            &m.identities,
            "iso27001/identity.html",
            |i| record_page("identities", i.id),
            |i| Page {
                title: format!("{} ({})", i.id, i.system),
                data: IdentityPage { identity: i },
            },
        )?;
        r.pages(
            &m.reviews,
            "iso27001/review.html",
            |rv| record_page("reviews", rv.id),
            |rv| Page {
                title: format!("{} {}", rv.id, rv.title),
                data: ReviewPage { review: rv },
            },
        )?;
        let records = &source.content.evidence;
        r.pages(
            0..records.len(),
            "iso27001/evidence.html",
            |&i| record_page("evidence", &records[i].value.id),
            |i| {
                let evidence = m.evidence_detail(i);
                Page {
                    title: format!("{} {}", evidence.id, evidence.title),
                    data: EvidencePage { evidence },
                }
            },
        )
    }
}
