//! The SOC 2 report's own pages: the overview, the system description, the criteria, the
//! sampling method, the request list and the controls spreadsheet.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::NaiveDate;

use super::ctx::{categories_in_scope, category_view, conclusion_key, Ctx};
use super::views::{
    BandView, CommitmentView, ControlLink, ControlRow, CriteriaCategory, CriteriaPage,
    CriterionView, EvidenceRef, HandCheck, IncidentView, Overview, RequestGroupView, RequestItem,
    RequestPage, SamplingPage, SamplingRow, SizeView, SubserviceView, SystemPage,
};
use crate::analyse::commitment;
use crate::analyse::sampling::{self, SizeSource};
use crate::analyse::soc2::{shell_quote, Conclusion, PopulationSource};
use crate::content::catalog::{catalogs, SOC2};
use crate::content::model::{
    Band, ComplementaryControl, EvidenceKind, Frequency, Outcome, SubserviceMethod,
};
use crate::render::slug;

impl<'a> Ctx<'a> {
    pub(super) fn overview(&self, rows: &[ControlRow<'a>]) -> Overview<'a> {
        let tested: Vec<&ControlRow> = rows.iter().filter(|r| r.in_scope).collect();
        let count = |c: Conclusion| {
            tested
                .iter()
                .filter(|r| r.conclusion.key == conclusion_key(c))
                .count()
        };
        let exception_controls: Vec<&str> = tested
            .iter()
            .filter(|r| r.conclusion.key == conclusion_key(Conclusion::Exceptions))
            .map(|r| r.id)
            .collect();
        let criteria = catalogs().soc2.in_categories(&self.pack.soc2.categories);
        let uncovered = criteria
            .iter()
            .filter(|c| !tested.iter().any(|r| r.criteria.contains(&c.id)))
            .count();
        // Each exception record once, however many tested controls it is linked to.
        let sampler = &self.analysis.sampler;
        let exception_records: std::collections::BTreeSet<usize> = self
            .analysis
            .in_scope()
            .flat_map(|t| {
                t.exceptions()
                    .flat_map(|s| s.evidence.iter().copied())
                    .filter(|&i| sampler.is_exception(i))
                    .chain(t.unsampled_exceptions.iter().copied())
                    .collect::<Vec<_>>()
            })
            .collect();
        let sys = &self.pack.system;
        let subservice = |method: SubserviceMethod| -> Vec<&'a str> {
            sys.subservice_organisations
                .iter()
                .filter(|s| s.method == method)
                .map(|s| s.name.as_str())
                .collect()
        };
        Overview {
            organisation: &self.pack.organisation.name,
            system: &sys.name,
            period_start: self.pack.period.start,
            period_end: self.pack.period.end,
            categories: categories_in_scope(self.pack),
            seed: &self.analysis.sampler.seed,
            controls_in_scope: tested.len(),
            controls_out_of_scope: rows.len() - tested.len(),
            controls_tested: tested
                .iter()
                .filter(|r| r.population > 0 && r.missing == 0)
                .count(),
            samples: tested.iter().map(|r| r.sample_size).sum(),
            exception_items: exception_records.len(),
            missing_items: tested.iter().map(|r| r.missing).sum(),
            no_exceptions: count(Conclusion::NoExceptions),
            with_exceptions: count(Conclusion::Exceptions),
            no_population: count(Conclusion::NoPopulation),
            exception_controls,
            criteria: criteria.len(),
            uncovered_criteria: uncovered,
            carve_out: subservice(SubserviceMethod::CarveOut),
            inclusive: subservice(SubserviceMethod::Inclusive),
            cuecs: sys.complementary_user_entity_controls.len(),
            policies: self.content.policies.len(),
            risks: self.content.risks.len(),
            evidence: self.content.evidence.len(),
            exception_records_controls: exception_records
                .iter()
                .flat_map(|&i| self.content.evidence[i].value.controls.iter())
                .filter(|c| tested.iter().any(|r| r.id == c.as_str()))
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            commitments_stated: sys
                .commitments
                .as_deref()
                .is_some_and(|t| !t.trim().is_empty()),
        }
    }

    pub(super) fn system(&self) -> SystemPage<'a> {
        let sys = &self.pack.system;
        let period = self.pack.period;
        let mut incidents: Vec<(NaiveDate, EvidenceRef, bool, Option<&str>)> = self
            .content
            .evidence
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.value.kind == EvidenceKind::Incident && period.contains(r.value.occurred_on)
            })
            .map(|(i, r)| {
                (
                    r.value.occurred_on,
                    self.evidence_ref(i),
                    r.value.result == Outcome::Exception,
                    r.value
                        .impact
                        .as_deref()
                        .filter(|_| self.visible(r.value.classification)),
                )
            })
            .collect();
        incidents.sort_by(|a, b| (a.0, a.1.id).cmp(&(b.0, b.1.id)));
        let mut changes: Vec<_> = sys.significant_changes.iter().collect();
        changes.sort_by_key(|c| c.date);
        let in_scope = categories_in_scope(self.pack);
        let not_in_scope = catalogs()
            .soc2
            .categories()
            .into_iter()
            .filter(|c| !in_scope.iter().any(|s| s.key == *c))
            .map(category_view)
            .collect();
        SystemPage {
            name: &sys.name,
            description: &sys.description,
            commitments: sys.commitments.as_deref(),
            boundaries: &self.pack.scope.boundaries,
            subservice: sys
                .subservice_organisations
                .iter()
                .map(|s| SubserviceView {
                    name: &s.name,
                    services: &s.services,
                    method: match s.method {
                        SubserviceMethod::CarveOut => "carve-out",
                        SubserviceMethod::Inclusive => "inclusive",
                    },
                    csocs: &s.csocs,
                    monitoring: s.monitoring.as_deref(),
                })
                .collect(),
            cuecs: &sys.complementary_user_entity_controls,
            changes,
            incidents: incidents
                .into_iter()
                .map(|(date, evidence, exception, impact)| IncidentView {
                    date,
                    evidence,
                    exception,
                    impact,
                })
                .collect(),
            categories: in_scope,
            not_in_scope,
        }
    }

    pub(super) fn criteria(&self) -> CriteriaPage<'a> {
        let mut by_criterion: HashMap<&str, Vec<ControlLink>> = HashMap::new();
        for t in self.analysis.in_scope() {
            for id in t.control.maps.get(SOC2).into_iter().flatten() {
                by_criterion
                    .entry(id.as_str())
                    .or_default()
                    .push(ControlLink {
                        id: &t.control.id,
                        title: &t.control.title,
                    });
            }
        }
        let sys = &self.pack.system;
        let supports = |c: &ComplementaryControl, id: &str| c.criteria.iter().any(|k| k == id);
        let mut categories: Vec<CriteriaCategory> = Vec::new();
        let mut uncovered = 0;
        for c in catalogs().soc2.in_categories(&self.pack.soc2.categories) {
            if categories.last().map(|k| k.category.key) != Some(c.category.as_str()) {
                categories.push(CriteriaCategory {
                    category: category_view(&c.category),
                    criteria: Vec::new(),
                });
            }
            let controls = by_criterion.remove(c.id.as_str()).unwrap_or_default();
            uncovered += usize::from(controls.is_empty());
            if let Some(cat) = categories.last_mut() {
                cat.criteria.push(CriterionView {
                    id: &c.id,
                    group: &c.group,
                    group_title: &c.group_title,
                    label: &c.label,
                    controls,
                    cuecs: (sys.complementary_user_entity_controls.iter().enumerate())
                        .filter(|(_, u)| supports(u, &c.id))
                        .map(|(i, _)| i + 1)
                        .collect(),
                    csocs: (sys.subservice_organisations.iter())
                        .filter(|s| s.csocs.iter().any(|k| supports(k, &c.id)))
                        .map(|s| s.name.as_str())
                        .collect(),
                });
            }
        }
        CriteriaPage {
            categories,
            uncovered,
        }
    }

    pub(super) fn sampling(&self) -> SamplingPage<'a> {
        let sampler = &self.analysis.sampler;
        let example = self
            .analysis
            .in_scope()
            .find(|t| !t.sample.is_empty())
            .map(|t| {
                let input = sampling::ranking_input(&sampler.seed, &t.control.id, &t.sample[0].id);
                HandCheck {
                    control: &t.control.id,
                    population_file: format!("populations/{}.txt", slug(&t.control.id)),
                    input_quoted: shell_quote(&input),
                    input,
                    seed_quoted: shell_quote(&sampler.seed),
                    hash: &t.sample[0].hash,
                    size: t.sample.len(),
                    digest: &t.digest,
                }
            });
        SamplingPage {
            seed: &sampler.seed,
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
                    id: &t.control.id,
                    source: match &t.source {
                        PopulationSource::File { rel, .. } => rel,
                        PopulationSource::Evidence => "evidence records",
                        PopulationSource::Sources { .. } => "sources",
                        PopulationSource::Calendar => "calendar",
                        PopulationSource::Rotations { .. } => "required rotations",
                    },
                    population: t.population.len(),
                    digest: &t.digest,
                    rule: t.rule.to_string(),
                    size: t.sample.len(),
                })
                .collect(),
            example,
            population_table: band_rows(sampler.sizes.by_population()),
            by_population: sampler
                .sizes
                .by_population()
                .keys()
                .map(|f| f.as_str())
                .collect(),
            extensions: sampler
                .sizes
                .extensions()
                .iter()
                .map(|(&a, &b)| (a, b))
                .collect(),
            commitment: sampler.commitment.as_ref().map(|c| CommitmentView {
                nonce: &c.nonce,
                header: commitment::HEADER,
                populations: &c.populations,
                file: COMMITMENT_FILE,
            }),
        }
    }

    pub(super) fn requests(&self) -> RequestPage<'a> {
        let groups: Vec<RequestGroupView> = self
            .analysis
            .requests()
            .into_iter()
            .map(|g| {
                let c = g.test.control;
                RequestGroupView {
                    control: &c.id,
                    title: &c.title,
                    owner: self.person(&c.owner),
                    operator: self.person(&c.operator),
                    items: g
                        .items
                        .iter()
                        .map(|s| RequestItem {
                            id: &s.id,
                            occurred_on: s.occurred_on,
                            title: s.title.as_deref(),
                            rank: s.rank,
                            hash: &s.hash,
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

    /// `controls.csv`: one row per criterion in scope and control that addresses it.
    pub(super) fn controls_csv(&self, rows: &[ControlRow]) -> Result<Vec<u8>> {
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
            "description",
            "test_nature",
            "test_procedure",
            "procedure_is_default",
            "items_tested",
            "deviations_in_sample",
            "deviation_rate",
            "deviations_in_population",
            "results_basis",
            "population_basis",
            "occurrences_without_evidence",
            "not_yet_due",
            "as_of",
        ])?;
        let as_of = self.analysis.sampler.as_of.to_string();
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
                        r.id,
                        r.title,
                        r.owner.name,
                        r.frequency,
                        if r.automated { "yes" } else { "no" },
                        &r.population.to_string(),
                        r.digest,
                        &r.sample_size.to_string(),
                        &r.exceptions.to_string(),
                        &r.missing.to_string(),
                        r.conclusion.label,
                        r.description,
                        r.procedure.nature,
                        &r.procedure.text,
                        if r.procedure.default { "yes" } else { "no" },
                        &r.deviations.tested.to_string(),
                        &r.deviations.in_sample.to_string(),
                        &r.rate,
                        &r.deviations.in_population.to_string(),
                        RESULTS_BASIS,
                        &r.basis,
                        &r.gaps.to_string(),
                        &r.not_yet_due.to_string(),
                        &as_of,
                    ]
                    .map(csv_cell),
                )?;
            }
            if !any {
                // The criterion, then "no control" in the conclusion column; every other cell empty.
                let mut row = vec![""; CSV_COLUMNS];
                row[0] = c.id.as_str();
                row[CONCLUSION_COLUMN] = "No control addresses this criterion";
                w.write_record(row)?;
            }
        }
        Ok(w.into_inner()?)
    }
}

/// Columns of `controls.csv`, and the position of its `conclusion` column.
const CSV_COLUMNS: usize = 25;
const CONCLUSION_COLUMN: usize = 11;

/// The bundle file holding the exact text a committed seed is the SHA-256 of.
pub(super) const COMMITMENT_FILE: &str = "seed-commitment.txt";

/// The population-scaled size table, with the size in force for each frequency sized by
/// population.
fn band_rows(by: &BTreeMap<Frequency, BTreeMap<Band, u32>>) -> Vec<BandView> {
    let row = |population, range: String, at: usize| BandView {
        population,
        range,
        chosen: by
            .values()
            .map(|b| sampling::population_size(b, at).0)
            .collect(),
    };
    let ranged = |band: Band| {
        let (lo, hi, _) = band.range();
        format!("{lo} to {hi}")
    };
    vec![
        row("1", "1".into(), 1),
        row("2 to 4", "2".into(), 2),
        row("5 to 12", ranged(Band::From5To12), 5),
        row("13 to 52", ranged(Band::From13To52), 13),
        row("53 to 365", "25".into(), 53),
        row("more than 365", ranged(Band::Over365), 366),
    ]
}

/// Who concluded what, on every row of `controls.csv`: management, from its own records.
const RESULTS_BASIS: &str = "management's testing; results per management's records";

/// The request list as CSV: one row per sampled item missing evidence.
pub(super) fn requests_csv(page: &RequestPage) -> Result<Vec<u8>> {
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
                    g.owner.id,
                    g.owner.name,
                    g.control,
                    g.title,
                    g.operator.name,
                    item.id,
                    &item.occurred_on.to_string(),
                    item.title.unwrap_or(""),
                    &item.rank.to_string(),
                    item.hash,
                ]
                .map(csv_cell),
            )?;
        }
    }
    Ok(w.into_inner()?)
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
