//! The SOC 2 Type II control-sample report bundle (`soc2/`).
//!
//! Pages (fixed URL scheme, every link relative):
//!
//! | path | what |
//! | --- | --- |
//! | `index.html` | overview, figures, and management's assertion drafted from pack.yaml |
//! | `system.html` | the system description (DC 200) |
//! | `criteria.html` | every criterion of the categories in scope with its controls (`#CC6.1`) |
//! | `controls/index.html`, `controls/<slug>.html` | each control's test: population, digest, sample, results, conclusion |
//! | `exceptions.html` | every exception of the period with management's response |
//! | `identities.html` | non-human identity rotations, access reviews and offboardings (`#<slug>`) |
//! | `sampling.html` | the sampling method, seed and size table, and how to re-draw by hand |
//! | `populations/<slug>.txt` | each tested control's canonical population (what its digest is over) |
//! | `request-list.html`, `request-list.csv` | sampled items still missing evidence |
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

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::Serialize;

use super::{annex_anchor, slug, Bundle, NavItem, Renderer, Source};
use crate::analyse::identities::{IdentityReview, LateRotation};
use crate::analyse::sampling::{self, SizeSource};
use crate::analyse::soc2::{Conclusion, ControlTest, PopulationSource, Soc2Analysis};
use crate::bundle::{BundleWriter, FileEntry};
use crate::content::catalog::{catalogs, ISO27001, SOC2};
use crate::content::model::{Classification, Control, Evidence, Outcome, Pack, SubserviceMethod};
use crate::content::Content;

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
/// already be in the bundle under `files/` ([`super::share_attachments`]).
pub fn render(source: &Source, writer: &BundleWriter) -> Result<()> {
    let content = source.content;
    let pack = &content.pack.as_ref().context("pack.yaml is missing")?.value;
    let analysis = &Soc2Analysis::new(content, pack)?;
    let ctx = Ctx::new(source, pack, analysis);
    let engine = source.engine(Bundle::Soc2, TEMPLATES)?;
    let site = source.site(
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
    );
    let r = Renderer::new(&engine, writer, &site)?;
    r.redaction_log()?;

    let rows = ctx.control_rows();
    r.page(
        "index.html",
        "soc2/index.html",
        "SOC 2 report overview",
        &ctx.overview(&rows),
    )?;
    r.page(
        "system.html",
        "soc2/system.html",
        "System description",
        &ctx.system(),
    )?;
    r.page(
        "criteria.html",
        "soc2/criteria.html",
        "Trust services criteria",
        &ctx.criteria(),
    )?;
    r.page(
        "controls/index.html",
        "soc2/controls.html",
        "Controls and tests",
        &ControlsPage { controls: &rows },
    )?;
    r.page(
        "exceptions.html",
        "soc2/exceptions.html",
        "Exceptions",
        &ctx.exceptions(),
    )?;
    r.page(
        "identities.html",
        "soc2/identities.html",
        "Non-human identities",
        &ctx.identities(),
    )?;
    r.page(
        "sampling.html",
        "soc2/sampling.html",
        "Sampling method",
        &ctx.sampling(),
    )?;
    let requests = ctx.requests();
    r.page(
        "request-list.html",
        "soc2/request-list.html",
        "Request list",
        &requests,
    )?;
    writer.write("request-list.csv", &requests_csv(&requests)?)?;
    writer.write("controls.csv", &ctx.controls_csv(&rows)?)?;
    for test in analysis.in_scope() {
        writer.write(
            &format!("populations/{}.txt", slug(&test.control.id)),
            sampling::canonical_population(&test.population).as_bytes(),
        )?;
    }

    r.page(
        "policies/index.html",
        "soc2/policies.html",
        "Policies",
        &ctx.policies(),
    )?;
    r.page("risks/index.html", "soc2/risks.html", "Risks", &ctx.risks())?;
    content.controls.par_iter().try_for_each(|rec| {
        let c = &rec.value;
        r.page(
            &format!("controls/{}.html", slug(&c.id)),
            "soc2/control.html",
            &format!("{} {}", c.id, c.title),
            &ctx.control_page(c),
        )
    })?;
    content.policies.par_iter().try_for_each(|d| {
        let title = if ctx.visible(d.meta.classification) {
            format!("{} {}", d.meta.id, d.meta.title)
        } else {
            d.meta.id.clone()
        };
        r.page(
            &format!("policies/{}.html", slug(&d.meta.id)),
            "soc2/policy.html",
            &title,
            &ctx.policy_page(d),
        )
    })?;
    content.risks.par_iter().try_for_each(|rec| {
        let k = &rec.value;
        r.page(
            &format!("risks/{}.html", slug(&k.id)),
            "soc2/risk.html",
            &format!("{} {}", k.id, k.title),
            &ctx.risk_page(k),
        )
    })?;
    (0..content.evidence.len())
        .into_par_iter()
        .try_for_each(|i| {
            let ev = &content.evidence[i].value;
            let title = if ctx.visible(ev.classification) {
                format!("{} {}", ev.id, ev.title)
            } else {
                ev.id.clone()
            };
            r.page(
                &format!("evidence/{}.html", slug(&ev.id)),
                "soc2/evidence.html",
                &title,
                &ctx.evidence_page(i, source.attachments),
            )
        })?;
    Ok(())
}

/// Everything the pages are built from, with lookups computed once.
struct Ctx<'a, 'c> {
    content: &'c Content,
    pack: &'c Pack,
    analysis: &'a Soc2Analysis<'c>,
    redactions: &'a crate::content::audience::Redactions,
    people: HashMap<&'c str, &'c crate::content::model::Person>,
    tests: HashMap<&'c str, &'a ControlTest<'c>>,
    /// Evidence index → where it was sampled (control id, rank, item id).
    sampled_in: HashMap<usize, Vec<(&'c str, usize, &'a str)>>,
    /// Control id → risks that name it.
    risks_of: HashMap<&'c str, Vec<&'c crate::content::model::Risk>>,
    /// Control id → policies that name it (either side of the link).
    policies_of: HashMap<&'c str, Vec<&'c str>>,
}

impl<'a, 'c> Ctx<'a, 'c> {
    fn new(source: &'a Source<'c>, pack: &'c Pack, analysis: &'a Soc2Analysis<'c>) -> Self {
        let content = source.content;
        let mut sampled_in: HashMap<usize, Vec<(&str, usize, &str)>> = HashMap::new();
        for t in &analysis.tests {
            for s in &t.sample {
                for &i in &s.evidence {
                    sampled_in.entry(i).or_default().push((
                        t.control.id.as_str(),
                        s.rank,
                        s.id.as_str(),
                    ));
                }
            }
        }
        let mut risks_of: HashMap<&str, Vec<&crate::content::model::Risk>> = HashMap::new();
        for r in &content.risks {
            for c in &r.value.controls {
                risks_of.entry(c.as_str()).or_default().push(&r.value);
            }
        }
        let mut policies_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for d in &content.policies {
            for c in &d.meta.controls {
                policies_of
                    .entry(c.as_str())
                    .or_default()
                    .push(d.meta.id.as_str());
            }
        }
        for r in &content.controls {
            for p in &r.value.policies {
                policies_of
                    .entry(r.value.id.as_str())
                    .or_default()
                    .push(p.as_str());
            }
        }
        for v in policies_of.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        Ctx {
            content,
            pack,
            analysis,
            redactions: source.redactions,
            people: content
                .people
                .iter()
                .map(|p| (p.value.id.as_str(), &p.value))
                .collect(),
            tests: analysis
                .tests
                .iter()
                .map(|t| (t.control.id.as_str(), t))
                .collect(),
            sampled_in,
            risks_of,
            policies_of,
        }
    }

    fn visible(&self, c: Classification) -> bool {
        c <= self.redactions.max
    }

    fn person(&self, id: &str) -> PersonView {
        match self.people.get(id) {
            Some(p) => PersonView {
                id: id.to_string(),
                name: p.name.clone(),
                title: p.title.clone(),
            },
            None => PersonView {
                id: id.to_string(),
                name: id.to_string(),
                title: None,
            },
        }
    }

    fn withheld_note(&self, c: Classification) -> String {
        self.redactions.note(c)
    }

    fn evidence_ref(&self, i: usize) -> EvidenceRef {
        let ev = &self.content.evidence[i].value;
        EvidenceRef {
            id: ev.id.clone(),
            title: self.visible(ev.classification).then(|| ev.title.clone()),
        }
    }

    fn control_row(&self, t: &ControlTest<'_>) -> ControlRow {
        let c = t.control;
        ControlRow {
            id: c.id.clone(),
            title: c.title.clone(),
            owner: self.person(&c.owner),
            operator: self.person(&c.operator),
            frequency: c.frequency.as_str(),
            automated: c.automated,
            criteria: c.maps.get(SOC2).cloned().unwrap_or_default(),
            population: t.population.len(),
            digest: t.digest.clone(),
            sample_size: t.sample.len(),
            exceptions: t.exceptions().count() + t.unsampled_exceptions.len(),
            missing: t.missing().count(),
            conclusion: conclusion_view(t.conclusion),
            in_scope: t.in_scope,
        }
    }

    fn control_rows(&self) -> Vec<ControlRow> {
        self.analysis
            .tests
            .iter()
            .map(|t| self.control_row(t))
            .collect()
    }

    fn overview(&self, rows: &[ControlRow]) -> Overview {
        let tested: Vec<&ControlRow> = rows.iter().filter(|r| r.in_scope).collect();
        let count = |c: Conclusion| {
            tested
                .iter()
                .filter(|r| r.conclusion.key == conclusion_key(c))
                .count()
        };
        let exception_controls: Vec<String> = tested
            .iter()
            .filter(|r| r.conclusion.key == conclusion_key(Conclusion::Exceptions))
            .map(|r| r.id.clone())
            .collect();
        let criteria = catalogs().soc2.in_categories(&self.pack.soc2.categories);
        let uncovered = criteria
            .iter()
            .filter(|c| !tested.iter().any(|r| r.criteria.contains(&c.id)))
            .count();
        let sys = &self.pack.system;
        Overview {
            organisation: self.pack.organisation.name.clone(),
            system: sys.name.clone(),
            period_start: self.pack.period.start,
            period_end: self.pack.period.end,
            categories: categories_in_scope(self.pack),
            seed: self.analysis.sampler.seed.to_string(),
            controls_in_scope: tested.len(),
            controls_out_of_scope: rows.len() - tested.len(),
            controls_tested: tested
                .iter()
                .filter(|r| r.population > 0 && r.missing == 0)
                .count(),
            samples: tested.iter().map(|r| r.sample_size).sum(),
            exception_items: self
                .analysis
                .in_scope()
                .map(|t| t.exceptions().count() + t.unsampled_exceptions.len())
                .sum(),
            missing_items: tested.iter().map(|r| r.missing).sum(),
            no_exceptions: count(Conclusion::NoExceptions),
            with_exceptions: count(Conclusion::Exceptions),
            missing_evidence: count(Conclusion::MissingEvidence),
            no_population: count(Conclusion::NoPopulation),
            exception_controls,
            criteria: criteria.len(),
            uncovered_criteria: uncovered,
            carve_out: sys
                .subservice_organisations
                .iter()
                .filter(|s| s.method == SubserviceMethod::CarveOut)
                .map(|s| s.name.clone())
                .collect(),
            inclusive: sys
                .subservice_organisations
                .iter()
                .filter(|s| s.method == SubserviceMethod::Inclusive)
                .map(|s| s.name.clone())
                .collect(),
            cuecs: sys.complementary_user_entity_controls.len(),
            policies: self.content.policies.len(),
            risks: self.content.risks.len(),
            evidence: self.content.evidence.len(),
        }
    }

    fn system(&self) -> SystemPage {
        let sys = &self.pack.system;
        let period = self.pack.period;
        let mut incidents: Vec<(NaiveDate, EvidenceRef, bool)> = self
            .content
            .evidence
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.value.kind == crate::content::model::EvidenceKind::Incident
                    && period.contains(r.value.occurred_on)
            })
            .map(|(i, r)| {
                (
                    r.value.occurred_on,
                    self.evidence_ref(i),
                    r.value.result == Outcome::Exception,
                )
            })
            .collect();
        incidents.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
        let in_scope = categories_in_scope(self.pack);
        let not_in_scope = catalogs()
            .soc2
            .categories()
            .into_iter()
            .filter(|c| !in_scope.iter().any(|s| s.key == *c))
            .map(category_view)
            .collect();
        SystemPage {
            name: sys.name.clone(),
            description: sys.description.clone(),
            commitments: sys.commitments.clone(),
            boundaries: self.pack.scope.boundaries.clone(),
            subservice: sys
                .subservice_organisations
                .iter()
                .map(|s| SubserviceView {
                    name: s.name.clone(),
                    services: s.services.clone(),
                    method: match s.method {
                        SubserviceMethod::CarveOut => "carve-out",
                        SubserviceMethod::Inclusive => "inclusive",
                    },
                })
                .collect(),
            cuecs: sys.complementary_user_entity_controls.clone(),
            incidents: incidents
                .into_iter()
                .map(|(date, evidence, exception)| IncidentView {
                    date,
                    evidence,
                    exception,
                })
                .collect(),
            categories: in_scope,
            not_in_scope,
        }
    }

    fn criteria(&self) -> CriteriaPage {
        let mut by_criterion: HashMap<&str, Vec<ControlRef>> = HashMap::new();
        for t in self.analysis.in_scope() {
            for id in t.control.maps.get(SOC2).into_iter().flatten() {
                by_criterion
                    .entry(id.as_str())
                    .or_default()
                    .push(ControlRef {
                        id: t.control.id.clone(),
                        title: t.control.title.clone(),
                        conclusion: conclusion_view(t.conclusion),
                    });
            }
        }
        let mut categories: Vec<CriteriaCategory> = Vec::new();
        let mut uncovered = 0;
        for c in catalogs().soc2.in_categories(&self.pack.soc2.categories) {
            if categories.last().map(|k| k.category.key.as_str()) != Some(c.category.as_str()) {
                categories.push(CriteriaCategory {
                    category: category_view(&c.category),
                    criteria: Vec::new(),
                });
            }
            let controls = by_criterion.remove(c.id.as_str()).unwrap_or_default();
            uncovered += usize::from(controls.is_empty());
            if let Some(cat) = categories.last_mut() {
                cat.criteria.push(CriterionView {
                    id: c.id.clone(),
                    group: c.group.clone(),
                    group_title: c.group_title.clone(),
                    label: c.label.clone(),
                    controls,
                });
            }
        }
        CriteriaPage {
            categories,
            uncovered,
        }
    }

    fn exception_view(&self, i: usize, late: Option<&LateRotation>) -> ExceptionView {
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
            controls: ev.controls.clone(),
            description: detail.map(|d| d.description.clone()),
            management_response: detail.map(|d| d.management_response.clone()),
            remediated_on: detail.and_then(|d| d.remediated_on),
            late_rotation: late.map(LateRotation::describe),
            withheld: (!visible).then(|| self.withheld_note(ev.classification)),
            sampled,
        }
    }

    fn exceptions(&self) -> ExceptionsPage {
        let period = self.pack.period;
        let sampler = &self.analysis.sampler;
        let mut recorded: Vec<usize> = self
            .content
            .evidence
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.value.result == Outcome::Exception && period.contains(r.value.occurred_on)
            })
            .map(|(i, _)| i)
            .collect();
        let by_date = |&a: &usize, &b: &usize| {
            let (a, b) = (
                &self.content.evidence[a].value,
                &self.content.evidence[b].value,
            );
            (a.occurred_on, a.id.as_bytes()).cmp(&(b.occurred_on, b.id.as_bytes()))
        };
        recorded.sort_by(by_date);
        let late: Vec<LateView> = sampler
            .identities
            .iter()
            .flat_map(|r| r.late.iter())
            .map(|l| self.late_view(l))
            .collect();
        ExceptionsPage {
            recorded: recorded
                .into_iter()
                .map(|i| self.exception_view(i, sampler.late_rotation(i)))
                .collect(),
            late,
        }
    }

    fn late_view(&self, l: &LateRotation) -> LateView {
        use crate::analyse::identities::Until;
        LateView {
            identity: l.identity.clone(),
            from: l.from,
            to: l.to,
            days: l.days,
            max_days: l.max_days,
            description: l.describe(),
            closed_by: match l.until {
                Until::Rotation(i) => Some(self.evidence_ref(i)),
                _ => None,
            },
        }
    }

    fn identities(&self) -> IdentitiesPage {
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
            }
        };
        let identities = self
            .analysis
            .sampler
            .identities
            .iter()
            .map(|r: &IdentityReview<'_>| {
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
                    id: idn.id.clone(),
                    anchor: slug(&idn.id),
                    withheld: (!visible).then(|| self.withheld_note(idn.classification)),
                    kind: serde_plain(&idn.kind),
                    system: idn.system.clone(),
                    owner: idn.owner.as_deref().map(|o| self.person(o)),
                    created_on: idn.created_on,
                    rotation_days: idn.rotation_days,
                    decommissioned_on: idn.decommissioned_on,
                    rotations,
                    access_reviews: r.access_reviews.iter().map(|&i| record(i, None)).collect(),
                    offboardings: r.offboardings.iter().map(|&i| record(i, None)).collect(),
                    other: r.other.iter().map(|&i| record(i, None)).collect(),
                    late: r.late.iter().map(|l| self.late_view(l)).collect(),
                }
            })
            .collect::<Vec<_>>();
        IdentitiesPage {
            late_total: identities.iter().map(|i| i.late.len()).sum(),
            identities,
        }
    }

    fn sampling(&self) -> SamplingPage {
        let sampler = &self.analysis.sampler;
        let example = self
            .analysis
            .in_scope()
            .find(|t| !t.sample.is_empty())
            .map(|t| HandCheck {
                control: t.control.id.clone(),
                population_file: format!("populations/{}.txt", slug(&t.control.id)),
                input: sampling::ranking_input(sampler.seed, &t.control.id, &t.sample[0].id),
                input_quoted: crate::analyse::soc2::shell_quote(&sampling::ranking_input(
                    sampler.seed,
                    &t.control.id,
                    &t.sample[0].id,
                )),
                seed_quoted: crate::analyse::soc2::shell_quote(sampler.seed),
                hash: t.sample[0].hash.clone(),
                size: t.sample.len(),
                digest: t.digest.clone(),
            });
        SamplingPage {
            seed: sampler.seed.to_string(),
            sizes: sampler
                .sizes
                .rows()
                .iter()
                .map(|r| SizeView {
                    frequency: r.frequency.as_str(),
                    default: r.default,
                    size: r.size,
                    overridden: r.source == SizeSource::Override,
                })
                .collect(),
            automated_size: sampling::AUTOMATED_SIZE,
            controls: self
                .analysis
                .in_scope()
                .map(|t| SamplingRow {
                    id: t.control.id.clone(),
                    source: match &t.source {
                        PopulationSource::File { rel, .. } => rel.clone(),
                        PopulationSource::Evidence => "evidence records".into(),
                    },
                    population: t.population.len(),
                    digest: t.digest.clone(),
                    rule: t.rule.to_string(),
                    size: t.sample.len(),
                })
                .collect(),
            example,
        }
    }

    fn requests(&self) -> RequestPage {
        let groups: Vec<RequestGroupView> = self
            .analysis
            .requests()
            .into_iter()
            .map(|g| {
                let c = g.test.control;
                RequestGroupView {
                    control: c.id.clone(),
                    title: c.title.clone(),
                    owner: self.person(&c.owner),
                    operator: self.person(&c.operator),
                    items: g
                        .items
                        .iter()
                        .map(|s| RequestItem {
                            id: s.id.clone(),
                            occurred_on: s.occurred_on,
                            title: s.title.clone(),
                            rank: s.rank,
                            hash: s.hash.clone(),
                        })
                        .collect(),
                }
            })
            .collect();
        RequestPage {
            total: groups.iter().map(|g| g.items.len()).sum(),
            groups,
        }
    }

    fn controls_csv(&self, rows: &[ControlRow]) -> Result<Vec<u8>> {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record([
            "criterion",
            "control",
            "title",
            "owner",
            "frequency",
            "automated",
            "population",
            "population_sha256",
            "sample_size",
            "exceptions",
            "missing",
            "conclusion",
        ])?;
        for c in catalogs().soc2.in_categories(&self.pack.soc2.categories) {
            let mut any = false;
            for r in rows
                .iter()
                .filter(|r| r.in_scope && r.criteria.contains(&c.id))
            {
                any = true;
                w.write_record(
                    [
                        c.id.as_str(),
                        &r.id,
                        &r.title,
                        &r.owner.name,
                        r.frequency,
                        if r.automated { "yes" } else { "no" },
                        &r.population.to_string(),
                        &r.digest,
                        &r.sample_size.to_string(),
                        &r.exceptions.to_string(),
                        &r.missing.to_string(),
                        r.conclusion.label,
                    ]
                    .map(csv_cell),
                )?;
            }
            if !any {
                w.write_record([
                    c.id.as_str(),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "No control addresses this criterion",
                ])?;
            }
        }
        Ok(w.into_inner()?)
    }

    fn policy_refs(&self, control: &str) -> Vec<RecordRef> {
        self.policies_of
            .get(control)
            .into_iter()
            .flatten()
            .map(|id| RecordRef {
                id: id.to_string(),
                title: self
                    .content
                    .policies
                    .iter()
                    .find(|d| d.meta.id == *id)
                    .filter(|d| self.visible(d.meta.classification))
                    .map(|d| d.meta.title.clone()),
            })
            .collect()
    }

    fn control_refs(&self, ids: &[String]) -> Vec<ControlRef> {
        ids.iter()
            .filter_map(|id| self.tests.get(id.as_str()))
            .map(|t| ControlRef {
                id: t.control.id.clone(),
                title: t.control.title.clone(),
                conclusion: conclusion_view(t.conclusion),
            })
            .collect()
    }

    fn control_page(&self, c: &Control) -> ControlPage {
        let test = self.tests.get(c.id.as_str()).copied();
        let cat = catalogs();
        let criteria = c
            .maps
            .get(SOC2)
            .into_iter()
            .flatten()
            .map(|id| CriterionRef {
                id: id.clone(),
                label: cat
                    .soc2
                    .criterion(id)
                    .map(|k| k.label.clone())
                    .unwrap_or_default(),
                anchor: slug(id),
            })
            .collect();
        let annex = c
            .maps
            .get(ISO27001)
            .into_iter()
            .flatten()
            .map(|id| AnnexRef {
                id: id.clone(),
                title: cat
                    .iso
                    .annex(id)
                    .map(|a| a.title.clone())
                    .unwrap_or_default(),
                anchor: annex_anchor(id),
            })
            .collect();
        let risks = self
            .risks_of
            .get(c.id.as_str())
            .into_iter()
            .flatten()
            .map(|r| RecordRef {
                id: r.id.clone(),
                title: Some(r.title.clone()),
            })
            .collect();
        ControlPage {
            id: c.id.clone(),
            title: c.title.clone(),
            description: c.description.clone(),
            owner: self.person(&c.owner),
            operator: self.person(&c.operator),
            frequency: c.frequency.as_str(),
            automated: c.automated,
            test_procedure: c.test_procedure.clone(),
            criteria,
            annex,
            policies: self.policy_refs(&c.id),
            risks,
            test: test.filter(|t| t.in_scope).map(|t| self.test_view(t)),
        }
    }

    fn test_view(&self, t: &ControlTest<'_>) -> TestView {
        let sampler = &self.analysis.sampler;
        let (source_file, rows, outside_period) = match &t.source {
            PopulationSource::File {
                rel,
                rows,
                outside_period,
            } => (Some(rel.clone()), *rows, *outside_period),
            PopulationSource::Evidence => (None, t.population.len(), 0),
        };
        let mut exceptions = Vec::new();
        for s in t.exceptions() {
            for &i in &s.evidence {
                if sampler.is_exception(i) {
                    exceptions.push(self.exception_view(i, sampler.late_rotation(i)));
                }
            }
        }
        TestView {
            source_file,
            rows,
            outside_period,
            population: t.population.len(),
            digest: t.digest.clone(),
            population_file: format!("populations/{}.txt", slug(&t.control.id)),
            seed: sampler.seed.to_string(),
            ranking_input: sampling::ranking_input(sampler.seed, &t.control.id, "<item id>"),
            table_size: t.rule.table_size,
            sample_size: t.sample.len(),
            rule: t.rule.to_string(),
            sample: t
                .sample
                .iter()
                .map(|s| SampleRow {
                    rank: s.rank,
                    id: s.id.clone(),
                    occurred_on: s.occurred_on,
                    // The item's title is its evidence's when the population comes from
                    // evidence records: hidden when that evidence is withheld.
                    title: s.title.clone().filter(|_| {
                        s.evidence
                            .iter()
                            .all(|&i| self.visible(self.content.evidence[i].value.classification))
                    }),
                    hash: s.hash.clone(),
                    result: s.result.as_str(),
                    evidence: s.evidence.iter().map(|&i| self.evidence_ref(i)).collect(),
                })
                .collect(),
            exceptions,
            unsampled_exceptions: t
                .unsampled_exceptions
                .iter()
                .map(|&i| self.exception_view(i, sampler.late_rotation(i)))
                .collect(),
            conclusion: conclusion_view(t.conclusion),
        }
    }

    fn policies(&self) -> ListPage {
        let mut items: Vec<ListItem> = self
            .content
            .policies
            .iter()
            .map(|d| {
                let visible = self.visible(d.meta.classification);
                ListItem {
                    id: d.meta.id.clone(),
                    title: visible.then(|| d.meta.title.clone()),
                    owner: self.person(&d.meta.owner),
                    controls: self.control_refs(&d.meta.controls),
                }
            })
            .collect();
        items.sort_by(|a, b| a.id.cmp(&b.id));
        ListPage { items }
    }

    fn risks(&self) -> ListPage {
        let mut items: Vec<ListItem> = self
            .content
            .risks
            .iter()
            .map(|r| ListItem {
                id: r.value.id.clone(),
                title: Some(r.value.title.clone()),
                owner: self.person(&r.value.owner),
                controls: self.control_refs(&r.value.controls),
            })
            .collect();
        items.sort_by(|a, b| a.id.cmp(&b.id));
        ListPage { items }
    }

    fn policy_page(
        &self,
        d: &crate::content::Document<crate::content::model::PolicyMeta>,
    ) -> PolicyPage {
        let m = &d.meta;
        let visible = self.visible(m.classification);
        let mut controls: Vec<String> = m.controls.clone();
        for r in &self.content.controls {
            if r.value.policies.contains(&m.id) && !controls.contains(&r.value.id) {
                controls.push(r.value.id.clone());
            }
        }
        controls.sort();
        PolicyPage {
            id: m.id.clone(),
            withheld: (!visible).then(|| self.withheld_note(m.classification)),
            title: visible.then(|| m.title.clone()),
            owner: self.person(&m.owner),
            approved_by: self.person(&m.approved_by),
            approved_on: m.approved_on,
            version: m.version.clone(),
            review_interval_months: m.review_interval_months,
            classification: m.classification.as_str(),
            body: visible.then(|| d.body.clone()),
            controls: if visible {
                self.control_refs(&controls)
            } else {
                Vec::new()
            },
        }
    }

    fn risk_page(&self, k: &crate::content::model::Risk) -> RiskPage {
        RiskPage {
            id: k.id.clone(),
            title: k.title.clone(),
            description: k.description.clone(),
            owner: self.person(&k.owner),
            likelihood: k.likelihood,
            impact: k.impact,
            score: u32::from(k.likelihood) * u32::from(k.impact),
            treatment: serde_plain(&k.treatment),
            residual: k.residual.map(|r| {
                (
                    r.likelihood,
                    r.impact,
                    u32::from(r.likelihood) * u32::from(r.impact),
                )
            }),
            accepted_by: k.accepted_by.as_deref().map(|p| self.person(p)),
            reviewed_on: k.reviewed_on,
            controls: self.control_refs(&k.controls),
        }
    }

    fn evidence_page(&self, i: usize, files: &BTreeMap<String, FileEntry>) -> EvidencePage {
        let ev: &Evidence = &self.content.evidence[i].value;
        let visible = self.visible(ev.classification);
        let period = self.pack.period;
        let mut sampled: Vec<SampledInView> = self
            .sampled_in
            .get(&i)
            .into_iter()
            .flatten()
            .map(|(c, rank, item)| SampledInView {
                control: c.to_string(),
                rank: *rank,
                item: item.to_string(),
            })
            .collect();
        sampled.sort_by(|a, b| a.control.cmp(&b.control));
        if !visible {
            return EvidencePage {
                id: ev.id.clone(),
                withheld: Some(self.withheld_note(ev.classification)),
                detail: None,
                sampled,
            };
        }
        let source_url = ev
            .source
            .as_deref()
            .filter(|s| s.starts_with("https://") || s.starts_with("http://"))
            .map(str::to_string);
        EvidencePage {
            id: ev.id.clone(),
            withheld: None,
            detail: Some(EvidenceDetail {
                title: ev.title.clone(),
                kind: serde_plain(&ev.kind),
                occurred_on: ev.occurred_on,
                in_period: period.contains(ev.occurred_on),
                performed_by: self.person(&ev.performed_by),
                approved_by: ev.approved_by.as_deref().map(|p| self.person(p)),
                system: ev.system.clone(),
                identity: ev.identity.as_ref().map(|id| RecordRef {
                    id: id.clone(),
                    title: None,
                }),
                identity_anchor: ev.identity.as_deref().map(slug),
                source: ev.source.clone(),
                source_url,
                result: serde_plain(&ev.result),
                exception: ev.exception.as_ref().map(|x| ExceptionText {
                    description: x.description.clone(),
                    management_response: x.management_response.clone(),
                    remediated_on: x.remediated_on,
                }),
                late_rotation: self
                    .analysis
                    .sampler
                    .late_rotation(i)
                    .map(LateRotation::describe),
                classification: ev.classification.as_str(),
                summary: ev.summary.clone(),
                controls: self.control_refs(&ev.controls),
                attachments: ev
                    .attachments
                    .iter()
                    .filter_map(|a| {
                        files.get(a).map(|f| AttachmentView {
                            name: a.clone(),
                            href: f.path.clone(),
                            size: f.size,
                            sha256: f.sha256.clone(),
                        })
                    })
                    .collect(),
            }),
            sampled,
        }
    }
}

/// A cell for spreadsheets: text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
/// tab, carriage return first) is prefixed with `'`.
fn csv_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The request list as CSV: one row per sampled item missing evidence.
fn requests_csv(page: &RequestPage) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record([
        "owner",
        "owner_name",
        "control",
        "control_title",
        "operator",
        "item",
        "occurred_on",
        "item_title",
        "rank",
        "ranking_sha256",
    ])?;
    for g in &page.groups {
        for item in &g.items {
            w.write_record(
                [
                    g.owner.id.as_str(),
                    &g.owner.name,
                    &g.control,
                    &g.title,
                    &g.operator.name,
                    &item.id,
                    &item.occurred_on.to_string(),
                    item.title.as_deref().unwrap_or(""),
                    &item.rank.to_string(),
                    &item.hash,
                ]
                .map(csv_cell),
            )?;
        }
    }
    Ok(w.into_inner()?)
}

/// The kebab-case name serde gives a unit enum variant (`service-account`).
fn serde_plain<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn conclusion_key(c: Conclusion) -> &'static str {
    match c {
        Conclusion::NoExceptions => "no-exceptions",
        Conclusion::Exceptions => "exceptions",
        Conclusion::MissingEvidence => "missing-evidence",
        Conclusion::NoPopulation => "no-population",
    }
}

fn conclusion_view(c: Conclusion) -> ConclusionView {
    ConclusionView {
        key: conclusion_key(c),
        label: c.label(),
        badge: match c {
            Conclusion::NoExceptions => "pass",
            Conclusion::Exceptions => "exception",
            Conclusion::MissingEvidence | Conclusion::NoPopulation => "gap",
        },
    }
}

fn category_view(key: &str) -> CategoryView {
    let title = match key {
        "security" => "Security (common criteria)",
        "availability" => "Availability",
        "confidentiality" => "Confidentiality",
        "processing-integrity" => "Processing integrity",
        "privacy" => "Privacy",
        other => other,
    };
    CategoryView {
        key: key.to_string(),
        title: title.to_string(),
    }
}

fn categories_in_scope(pack: &Pack) -> Vec<CategoryView> {
    catalogs()
        .soc2
        .categories()
        .into_iter()
        .filter(|c| *c == "security" || pack.soc2.categories.iter().any(|k| k == c))
        .map(category_view)
        .collect()
}

// ---- View models (plain data for the templates) ----

#[derive(Serialize)]
struct PersonView {
    id: String,
    name: String,
    title: Option<String>,
}

#[derive(Serialize)]
struct ConclusionView {
    key: &'static str,
    label: &'static str,
    badge: &'static str,
}

#[derive(Serialize)]
struct CategoryView {
    key: String,
    title: String,
}

/// A link to a record; `title` is `None` when the record is withheld (or has no title).
#[derive(Serialize)]
struct RecordRef {
    id: String,
    title: Option<String>,
}

type EvidenceRef = RecordRef;

#[derive(Serialize)]
struct ControlRef {
    id: String,
    title: String,
    conclusion: ConclusionView,
}

#[derive(Serialize)]
struct ControlRow {
    id: String,
    title: String,
    owner: PersonView,
    operator: PersonView,
    frequency: &'static str,
    automated: bool,
    criteria: Vec<String>,
    population: usize,
    digest: String,
    sample_size: usize,
    exceptions: usize,
    missing: usize,
    conclusion: ConclusionView,
    in_scope: bool,
}

#[derive(Serialize)]
struct ControlsPage<'a> {
    controls: &'a [ControlRow],
}

#[derive(Serialize)]
struct Overview {
    organisation: String,
    system: String,
    period_start: NaiveDate,
    period_end: NaiveDate,
    categories: Vec<CategoryView>,
    seed: String,
    controls_in_scope: usize,
    controls_out_of_scope: usize,
    controls_tested: usize,
    samples: usize,
    exception_items: usize,
    missing_items: usize,
    no_exceptions: usize,
    with_exceptions: usize,
    missing_evidence: usize,
    no_population: usize,
    exception_controls: Vec<String>,
    criteria: usize,
    uncovered_criteria: usize,
    carve_out: Vec<String>,
    inclusive: Vec<String>,
    cuecs: usize,
    policies: usize,
    risks: usize,
    evidence: usize,
}

#[derive(Serialize)]
struct SubserviceView {
    name: String,
    services: String,
    method: &'static str,
}

#[derive(Serialize)]
struct IncidentView {
    date: NaiveDate,
    evidence: EvidenceRef,
    exception: bool,
}

#[derive(Serialize)]
struct SystemPage {
    name: String,
    description: String,
    commitments: Option<String>,
    boundaries: Vec<String>,
    subservice: Vec<SubserviceView>,
    cuecs: Vec<String>,
    incidents: Vec<IncidentView>,
    categories: Vec<CategoryView>,
    not_in_scope: Vec<CategoryView>,
}

#[derive(Serialize)]
struct CriterionView {
    id: String,
    group: String,
    group_title: String,
    label: String,
    controls: Vec<ControlRef>,
}

#[derive(Serialize)]
struct CriteriaCategory {
    category: CategoryView,
    criteria: Vec<CriterionView>,
}

#[derive(Serialize)]
struct CriteriaPage {
    categories: Vec<CriteriaCategory>,
    uncovered: usize,
}

#[derive(Serialize)]
struct ExceptionText {
    description: String,
    management_response: String,
    remediated_on: Option<NaiveDate>,
}

#[derive(Serialize)]
struct ExceptionView {
    evidence: EvidenceRef,
    occurred_on: NaiveDate,
    controls: Vec<String>,
    description: Option<String>,
    management_response: Option<String>,
    remediated_on: Option<NaiveDate>,
    late_rotation: Option<String>,
    withheld: Option<String>,
    sampled: Vec<String>,
}

#[derive(Serialize)]
struct LateView {
    identity: String,
    from: NaiveDate,
    to: NaiveDate,
    days: i64,
    max_days: u32,
    description: String,
    closed_by: Option<EvidenceRef>,
}

#[derive(Serialize)]
struct ExceptionsPage {
    recorded: Vec<ExceptionView>,
    late: Vec<LateView>,
}

#[derive(Serialize)]
struct IdentityRecord {
    evidence: EvidenceRef,
    occurred_on: NaiveDate,
    in_period: bool,
    result: Outcome,
    late: bool,
    days_since_previous: Option<i64>,
}

#[derive(Serialize)]
struct IdentityView {
    id: String,
    anchor: String,
    withheld: Option<String>,
    kind: String,
    system: String,
    owner: Option<PersonView>,
    created_on: NaiveDate,
    rotation_days: Option<u32>,
    decommissioned_on: Option<NaiveDate>,
    rotations: Vec<IdentityRecord>,
    access_reviews: Vec<IdentityRecord>,
    offboardings: Vec<IdentityRecord>,
    other: Vec<IdentityRecord>,
    late: Vec<LateView>,
}

#[derive(Serialize)]
struct IdentitiesPage {
    identities: Vec<IdentityView>,
    late_total: usize,
}

#[derive(Serialize)]
struct SizeView {
    frequency: &'static str,
    default: u32,
    size: u32,
    overridden: bool,
}

#[derive(Serialize)]
struct SamplingRow {
    id: String,
    source: String,
    population: usize,
    digest: String,
    rule: String,
    size: usize,
}

#[derive(Serialize)]
struct HandCheck {
    control: String,
    population_file: String,
    input: String,
    input_quoted: String,
    seed_quoted: String,
    hash: String,
    size: usize,
    digest: String,
}

#[derive(Serialize)]
struct SamplingPage {
    seed: String,
    sizes: Vec<SizeView>,
    automated_size: u32,
    controls: Vec<SamplingRow>,
    example: Option<HandCheck>,
}

#[derive(Serialize)]
struct RequestItem {
    id: String,
    occurred_on: NaiveDate,
    title: Option<String>,
    rank: usize,
    hash: String,
}

#[derive(Serialize)]
struct RequestGroupView {
    control: String,
    title: String,
    owner: PersonView,
    operator: PersonView,
    items: Vec<RequestItem>,
}

#[derive(Serialize)]
struct RequestPage {
    groups: Vec<RequestGroupView>,
    total: usize,
}

#[derive(Serialize)]
struct CriterionRef {
    id: String,
    label: String,
    anchor: String,
}

#[derive(Serialize)]
struct AnnexRef {
    id: String,
    title: String,
    anchor: String,
}

#[derive(Serialize)]
struct SampleRow {
    rank: usize,
    id: String,
    occurred_on: NaiveDate,
    title: Option<String>,
    hash: String,
    result: &'static str,
    evidence: Vec<EvidenceRef>,
}

#[derive(Serialize)]
struct TestView {
    source_file: Option<String>,
    rows: usize,
    outside_period: usize,
    population: usize,
    digest: String,
    population_file: String,
    seed: String,
    ranking_input: String,
    table_size: usize,
    sample_size: usize,
    rule: String,
    sample: Vec<SampleRow>,
    exceptions: Vec<ExceptionView>,
    unsampled_exceptions: Vec<ExceptionView>,
    conclusion: ConclusionView,
}

#[derive(Serialize)]
struct ControlPage {
    id: String,
    title: String,
    description: String,
    owner: PersonView,
    operator: PersonView,
    frequency: &'static str,
    automated: bool,
    test_procedure: Option<String>,
    criteria: Vec<CriterionRef>,
    annex: Vec<AnnexRef>,
    policies: Vec<RecordRef>,
    risks: Vec<RecordRef>,
    test: Option<TestView>,
}

#[derive(Serialize)]
struct ListItem {
    id: String,
    title: Option<String>,
    owner: PersonView,
    controls: Vec<ControlRef>,
}

#[derive(Serialize)]
struct ListPage {
    items: Vec<ListItem>,
}

#[derive(Serialize)]
struct PolicyPage {
    id: String,
    withheld: Option<String>,
    title: Option<String>,
    owner: PersonView,
    approved_by: PersonView,
    approved_on: NaiveDate,
    version: String,
    review_interval_months: u32,
    classification: &'static str,
    body: Option<String>,
    controls: Vec<ControlRef>,
}

#[derive(Serialize)]
struct RiskPage {
    id: String,
    title: String,
    description: Option<String>,
    owner: PersonView,
    likelihood: u8,
    impact: u8,
    score: u32,
    treatment: String,
    residual: Option<(u8, u8, u32)>,
    accepted_by: Option<PersonView>,
    reviewed_on: Option<NaiveDate>,
    controls: Vec<ControlRef>,
}

#[derive(Serialize)]
struct AttachmentView {
    name: String,
    href: String,
    size: u64,
    sha256: String,
}

#[derive(Serialize)]
struct SampledInView {
    control: String,
    rank: usize,
    item: String,
}

#[derive(Serialize)]
struct EvidenceDetail {
    title: String,
    kind: String,
    occurred_on: NaiveDate,
    in_period: bool,
    performed_by: PersonView,
    approved_by: Option<PersonView>,
    system: Option<String>,
    identity: Option<RecordRef>,
    identity_anchor: Option<String>,
    source: Option<String>,
    source_url: Option<String>,
    result: String,
    exception: Option<ExceptionText>,
    late_rotation: Option<String>,
    classification: &'static str,
    summary: Option<String>,
    controls: Vec<ControlRef>,
    attachments: Vec<AttachmentView>,
}

#[derive(Serialize)]
struct EvidencePage {
    id: String,
    withheld: Option<String>,
    detail: Option<EvidenceDetail>,
    sampled: Vec<SampledInView>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_never_start_a_formula() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM"), "'@SUM");
        assert_eq!(csv_cell("CHG-1001"), "CHG-1001");
        assert_eq!(csv_cell(""), "");
    }
}
