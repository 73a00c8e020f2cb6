//! The SOC 2 Type II control-sample report bundle (`soc2/`).
//!
//! Pages (fixed URL scheme, every link relative):
//!
//! | path | what |
//! | --- | --- |
//! | `index.html` | overview, figures, and management's assertion drafted from pack.yaml |
//! | `system.html` | the system description (DC 200) |
//! | `criteria.html` | every criterion of the categories in scope with its controls, CUECs and CSOCs, no conclusion on it (`#CC6.1`) |
//! | `controls/index.html`, `controls/<slug>.html` | each control's test: population, digest, sample, results, conclusion |
//! | `exceptions.html` | every exception of the period with management's response |
//! | `identities.html` | non-human identity rotations, access reviews and offboardings (`#<slug>`) |
//! | `sampling.html` | the sampling method, seed and size table, and how to re-draw by hand |
//! | `populations/<slug>.txt` | each tested control's canonical population (what its digest is over) |
//! | `request-list.html`, `request-list.csv` | sampled items still missing evidence |
//! | `seed-commitment.txt` | with `soc2.seed_commitment`: the exact text the seed is the SHA-256 of |
//! | `controls.csv` | criterion, control, owner, frequency, population, sample size, exceptions, conclusion |
//! | `policies/`, `risks/`, `evidence/` | one page per record (index pages for policies and risks) |
//! | `files/<sha256>.<ext>` | attachments of the evidence records shown |
//!
//! Control, policy, risk and evidence pages link to their counterpart in the ISO bundle
//! (`page.counterpart`); control pages also link to the Statement of Applicability rows of the
//! Annex A controls they map to.
//!
//! Records above the audience's `max_classification` keep their page (so links from either
//! bundle still resolve) but show only their id and that they are withheld.
//!
//! This bundle is the organisation's own material for its auditor: the assertion is drafted
//! for management to sign, and the tests are re-performable. It is not a service auditor's
//! report and expresses no opinion.

mod ctx;
mod records;
mod report;
mod sources;
mod testing;
mod views;

use std::cell::OnceCell;

use anyhow::{Context as _, Result};

use ctx::Ctx;
use views::ControlsPage;

use super::{record_page, slug, Bundle, Engine, NavItem, Output, Page, Renderer, SiteInfo, Source};
use crate::analyse::sampling;
use crate::analyse::soc2::Soc2Analysis;
use crate::bundle::BundleWriter;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        /// The SOC 2 bundle's templates.
        pub const TEMPLATES: &[(&str, &str)] = &[
            $((concat!("soc2/", $name), include_str!(concat!("../../../templates/soc2/", $name)))),*
        ];
    };
}

templates!(
    "index.html",
    "system.html",
    "criteria.html",
    "controls.html",
    "control.html",
    "exceptions.html",
    "identities.html",
    "sampling.html",
    "request-list.html",
    "policies.html",
    "policy.html",
    "risks.html",
    "risk.html",
    "evidence.html",
    "macros.html",
);

/// Test every control ([`Soc2Analysis`]) and render every page of the SOC 2 bundle into
/// `writer`. The attachments of the evidence the audience may see (`source.attachments`) must
/// already be in the bundle under `files/` (the build shares the first bundle's).
pub fn render(source: &Source, writer: &BundleWriter) -> Result<()> {
    let analysis = analyse(source)?;
    let engine = source.engine(Bundle::Soc2, TEMPLATES)?;
    Prepared::new(source, &analysis, &engine)?.render(Output::Folder(writer))
}

/// Test every control of `source`'s pack ([`Soc2Analysis`]): what the bundle shows.
pub fn analyse<'c>(source: &Source<'c>) -> Result<Soc2Analysis<'c>> {
    let content = source.content;
    let pack = &content.pack.as_ref().context("pack.yaml is missing")?.value;
    Ok(Soc2Analysis::new(content, pack)?)
}

/// The SOC 2 bundle ready to render: its engine, site and the lookups its pages share, made
/// once from an [`analyse`]d pack. `build` renders it whole; `serve` keeps one per content
/// change and renders from it the one file a browser asks for.
pub struct Prepared<'a> {
    source: &'a Source<'a>,
    engine: &'a Engine,
    site: SiteInfo,
    ctx: Ctx<'a>,
}

impl<'a> Prepared<'a> {
    /// Get `source`'s pages ready, tested by `analysis`, to render with `engine` (from
    /// [`Source::engine`] with this bundle's [`TEMPLATES`]).
    pub fn new(
        source: &'a Source<'a>,
        analysis: &'a Soc2Analysis<'a>,
        engine: &'a Engine,
    ) -> Result<Prepared<'a>> {
        let pack = &source
            .content
            .pack
            .as_ref()
            .context("pack.yaml is missing")?
            .value;
        Ok(Prepared {
            source,
            engine,
            site: source.site(
                Bundle::Soc2,
                vec![
                    NavItem::new("Overview", "index.html", "index"),
                    NavItem::new("System", "system.html", "system"),
                    NavItem::new("Criteria", "criteria.html", "criteria"),
                    NavItem::new("Controls", "controls/index.html", "controls"),
                    NavItem::new("Exceptions", "exceptions.html", "exceptions"),
                    NavItem::new("Identities", "identities.html", "identities"),
                    NavItem::new("Sampling", "sampling.html", "sampling"),
                    NavItem::new("Request list", "request-list.html", "request-list"),
                ],
            ),
            ctx: Ctx::new(source, pack, analysis),
        })
    }

    /// Render every file of the bundle `out` wants.
    pub fn render(&self, out: Output<'_>) -> Result<()> {
        let (source, ctx) = (self.source, &self.ctx);
        let content = source.content;
        let analysis = ctx.analysis;
        let r = Renderer::new(self.engine, out, &self.site)?;
        r.redaction_log()?;

        // Made once, when a page or file that shows them is wanted.
        let rows = OnceCell::new();
        let rows = || rows.get_or_init(|| ctx.control_rows());
        let requests = OnceCell::new();
        let requests = || requests.get_or_init(|| ctx.requests());
        r.page(
            "index.html",
            "soc2/index.html",
            "SOC 2 report overview",
            || ctx.overview(rows()),
        )?;
        r.page(
            "system.html",
            "soc2/system.html",
            "System description",
            || ctx.system(),
        )?;
        r.page(
            "criteria.html",
            "soc2/criteria.html",
            "Trust services criteria",
            || ctx.criteria(),
        )?;
        r.page(
            "controls/index.html",
            "soc2/controls.html",
            "Controls and tests",
            || ControlsPage { controls: rows() },
        )?;
        r.page(
            "exceptions.html",
            "soc2/exceptions.html",
            "Exceptions",
            || ctx.exceptions(),
        )?;
        r.page(
            "identities.html",
            "soc2/identities.html",
            "Non-human identities",
            || ctx.identities(),
        )?;
        r.page(
            "sampling.html",
            "soc2/sampling.html",
            "Sampling method",
            || ctx.sampling(),
        )?;
        r.page(
            "request-list.html",
            "soc2/request-list.html",
            "Request list",
            requests,
        )?;
        r.file("request-list.csv", || report::requests_csv(requests()))?;
        r.file("controls.csv", || ctx.controls_csv(rows()))?;
        if let Some(c) = &analysis.sampler.commitment {
            r.file(report::COMMITMENT_FILE, || Ok(c.text.as_bytes().to_vec()))?;
        }
        for test in analysis.in_scope().filter(|_| r.shows("populations/")) {
            r.file(&format!("populations/{}.txt", slug(&test.control.id)), || {
                Ok(if ctx.population_withheld(test) {
                    // The items of a source above the audience's ceiling are not listed (their
                    // keys name tickets and changes); the digest on the page still commits to
                    // them.
                    format!(
                        "# withheld: this population of {} items comes from a source whose classification is above this bundle's audience\n",
                        test.population.len()
                    )
                } else {
                    sampling::canonical_population(&test.population)
                }
                .into_bytes())
            })?;
        }

        r.page(
            "policies/index.html",
            "soc2/policies.html",
            "Policies",
            || ctx.policies(),
        )?;
        r.page("risks/index.html", "soc2/risks.html", "Risks", || {
            ctx.risks()
        })?;
        r.pages(
            &content.controls,
            "soc2/control.html",
            |rec| record_page("controls", &rec.value.id),
            |rec| {
                let c = &rec.value;
                Page {
                    title: format!("{} {}", c.id, c.title),
                    data: ctx.control_page(c),
                }
            },
        )?;
        r.pages(
            0..content.policies.len(),
            "soc2/policy.html",
            |&p| record_page("policies", &content.policies[p].meta.id),
            |p| {
                let d = &content.policies[p];
                Page {
                    title: ctx.title(d.meta.classification, &d.meta.id, &d.meta.title),
                    data: ctx.policy_page(p, d),
                }
            },
        )?;
        r.pages(
            &content.risks,
            "soc2/risk.html",
            |rec| record_page("risks", &rec.value.id),
            |rec| {
                let k = &rec.value;
                Page {
                    title: format!("{} {}", k.id, k.title),
                    data: ctx.risk_page(k),
                }
            },
        )?;
        r.pages(
            0..content.evidence.len(),
            "soc2/evidence.html",
            |&i| record_page("evidence", &content.evidence[i].value.id),
            |i| {
                let ev = &content.evidence[i].value;
                Page {
                    title: ctx.title(ev.classification, &ev.id, &ev.title),
                    data: ctx.evidence_page(i, source.attachments),
                }
            },
        )
    }
}
