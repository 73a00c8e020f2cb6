//! The Statement of Applicability (ISO 27001 6.1.3 d): per Annex A control the decision, why it
//! is included (risks by id, requirements, business need), the implementation status the
//! organisation declares, and beside it what the evidence shows, qualified by open
//! nonconformities, late rotations and coverage gaps on its controls.

use std::collections::{BTreeSet, HashMap};

use chrono::Months;

use super::model::Model;
use super::risks::natural_cmp;
use super::views::{
    ControlView, SoaControl, SoaDocument, SoaFinding, SoaPage, SoaRow, SoaTheme, SoaTotals,
};
use crate::content::catalog::catalogs;
use crate::content::model::{Implementation, ReviewKind, SoaDecision, Status};
use crate::diag::{codes, RecordKind};
use crate::render::views::Titled;
use crate::render::{annex_anchor, record_page};

impl<'a> Model<'a> {
    /// What qualifies each control's evidence, by control id: open nonconformities that name
    /// it, identities it rotates that were late, and coverage gaps (`W103`).
    fn control_findings(&self) -> HashMap<&'a str, Vec<SoaFinding>> {
        let mut out: HashMap<&str, Vec<SoaFinding>> = HashMap::new();
        for r in &self.reviews {
            if r.kind != ReviewKind::Nonconformity || r.status != Status::Open {
                continue;
            }
            for f in r.findings.iter().chain(&r.relates_to) {
                if let Some(&c) = self.index.controls.get(f.id) {
                    let id = self.content.controls[c].value.id.as_str();
                    let list = out.entry(id).or_default();
                    if !list.iter().any(|x| x.href == record_page("reviews", r.id)) {
                        list.push(SoaFinding {
                            text: format!("open nonconformity {} on {id}", r.id),
                            href: record_page("reviews", r.id),
                        });
                    }
                }
            }
        }
        // Identities with late or overdue rotations, by the controls their rotations evidence.
        let late: HashMap<&str, (usize, bool)> = self
            .identities
            .iter()
            .filter(|i| i.late_rotations > 0 || i.status == "overdue")
            .map(|i| (i.id, (i.late_rotations, i.status == "overdue")))
            .collect();
        let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
        for e in &self.content.evidence {
            let ev = &e.value;
            let Some((identity, &(n, overdue))) =
                ev.identity_ids().find_map(|i| late.get_key_value(i))
            else {
                continue;
            };
            for c in &ev.controls {
                let Some(&ci) = self.index.controls.get(c.as_str()) else {
                    continue;
                };
                let cid = self.content.controls[ci].value.id.as_str();
                if seen.insert((cid, identity)) {
                    let what = match (n, overdue) {
                        (0, _) => "rotation overdue".to_string(),
                        (1, false) => "1 late rotation".to_string(),
                        (n, false) => format!("{n} late rotations"),
                        (n, true) => format!("{n} late rotation(s), rotation overdue"),
                    };
                    out.entry(cid).or_default().push(SoaFinding {
                        text: format!("{identity}: {what} ({cid})"),
                        href: record_page("identities", identity),
                    });
                }
            }
        }
        for w in self.source.warnings {
            if w.code != codes::FREQUENCY_GAP.id {
                continue;
            }
            for s in &w.subjects {
                if s.kind != RecordKind::Control {
                    continue;
                }
                if let Some(&ci) = self.index.controls.get(s.id.as_str()) {
                    let cid = self.content.controls[ci].value.id.as_str();
                    out.entry(cid).or_default().push(SoaFinding {
                        text: format!("coverage gap on {cid}"),
                        href: record_page("controls", cid),
                    });
                }
            }
        }
        out
    }

    /// One row per Annex A control, in catalog order.
    pub(super) fn soa_rows(&self) -> Vec<SoaRow<'a>> {
        let cat = catalogs();
        let mut implementing: HashMap<&str, Vec<&ControlView>> = HashMap::new();
        for c in &self.controls {
            for m in &c.iso {
                implementing.entry(m.id).or_default().push(c);
            }
        }
        let decisions: HashMap<&str, &'a SoaDecision> = self
            .content
            .soa
            .iter()
            .map(|d| (d.value.annex_a.as_str(), &d.value))
            .collect();
        let findings = self.control_findings();
        let risk_title = |id: &'a str| Titled {
            id,
            title: self
                .index
                .risks
                .get(id)
                .map_or("", |&k| self.content.risks[k].value.title.as_str()),
        };
        cat.iso
            .annex_a
            .iter()
            .map(|a| {
                let d = decisions.get(a.id.as_str()).copied();
                let ctl = implementing.get(a.id.as_str()).cloned().unwrap_or_default();
                let applicable = d.and_then(|d| d.applicable) != Some(false);
                let evidenced = ctl.iter().any(|c| c.evidence_in_period > 0);
                let mut risk_ids: Vec<&'a str> = d
                    .map(|d| d.risks.iter().map(String::as_str).collect())
                    .unwrap_or_default();
                for c in &ctl {
                    risk_ids.extend(c.risks.iter().map(|r| r.id));
                }
                risk_ids.sort_by(|a, b| natural_cmp(a, b));
                risk_ids.dedup();
                let row_findings: Vec<SoaFinding> = if applicable {
                    ctl.iter()
                        .flat_map(|c| findings.get(c.id).into_iter().flatten())
                        .map(|f| SoaFinding {
                            text: f.text.clone(),
                            href: f.href.clone(),
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                SoaRow {
                    id: &a.id,
                    anchor: annex_anchor(&a.id),
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
                    } else if !evidenced {
                        "gap"
                    } else if !row_findings.is_empty() {
                        "findings"
                    } else {
                        "evidenced"
                    },
                    risks: if applicable {
                        risk_ids.into_iter().map(risk_title).collect()
                    } else {
                        Vec::new()
                    },
                    requirements: d.map_or(&[][..], |d| d.requirements.as_slice()),
                    business_need: d.and_then(|d| d.business_need.as_deref()),
                    implementation: d.and_then(|d| d.implementation).map(|i| match i {
                        Implementation::Implemented => "implemented",
                        Implementation::Partial => "partial",
                        Implementation::Planned => "planned",
                    }),
                    planned_for: d.and_then(|d| d.planned_for),
                    findings: row_findings,
                }
            })
            .collect()
    }

    /// The SoA page: rows by theme, with counts that match the rows.
    pub(super) fn soa(&self) -> SoaPage<'a> {
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
                findings: 0,
            })
            .collect();
        let count = |s: &str| rows.iter().filter(|r| r.status == s).count();
        let totals = SoaTotals {
            total: rows.len(),
            applicable: rows.iter().filter(|r| r.applicable).count(),
            excluded: count("excluded"),
            evidenced: count("evidenced"),
            gaps: count("gap"),
            findings: count("findings"),
            undeclared: rows
                .iter()
                .filter(|r| r.applicable && r.implementation.is_none())
                .count(),
            unreasoned: rows
                .iter()
                .filter(|r| {
                    r.applicable
                        && r.risks.is_empty()
                        && r.requirements.is_empty()
                        && r.business_need.is_none()
                })
                .count(),
        };
        for row in rows {
            if let Some(t) = themes.iter_mut().find(|t| t.id == row.theme) {
                match row.status {
                    "excluded" => t.excluded += 1,
                    "evidenced" => t.evidenced += 1,
                    "findings" => t.findings += 1,
                    _ => t.gaps += 1,
                }
                if row.applicable {
                    t.applicable += 1;
                }
                t.rows.push(row);
            }
        }
        let end = self.period.map(|p| p.end);
        let document = self
            .content
            .pack
            .as_ref()
            .and_then(|p| p.value.soa_document.as_ref())
            .map(|d| {
                let next_review = d
                    .approved_on
                    .checked_add_months(Months::new(d.review_interval_months));
                SoaDocument {
                    version: &d.version,
                    owner: self.person(&d.owner),
                    approved_by: self.person(&d.approved_by),
                    approved_on: d.approved_on,
                    next_review,
                    review_overdue: matches!((next_review, end), (Some(n), Some(e)) if n < e),
                    history: &d.history,
                }
            });
        SoaPage {
            themes,
            totals,
            document,
        }
    }
}
