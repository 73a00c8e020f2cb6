//! The SOC 2 bundle's record pages: policies and risks (with their index pages) and evidence,
//! each linked to its counterpart in the ISO bundle. A withheld record shows its id only.

use std::collections::BTreeMap;

use super::ctx::{serde_plain, Ctx};
use super::views::{
    EvidenceDetail, EvidencePage, ListItem, ListPage, PolicyPage, RiskPage, SampledInView,
    ScoreView,
};
use crate::analyse::identities::LateRotation;
use crate::bundle::FileEntry;
use crate::content::model::{PolicyMeta, Risk};
use crate::content::risk_method::{Formula, RiskMethod};
use crate::content::Document;
use crate::render::slug;
use crate::render::views::{AttachmentView, RecordRef};

impl<'a> Ctx<'a> {
    /// `policies/index.html`: every policy with the controls it names, by id.
    pub(super) fn policies(&self) -> ListPage<'a> {
        let mut items: Vec<ListItem> = self
            .content
            .policies
            .iter()
            .map(|d| ListItem {
                id: &d.meta.id,
                title: self
                    .visible(d.meta.classification)
                    .then_some(d.meta.title.as_str()),
                owner: self.person(&d.meta.owner),
                controls: self.control_refs(d.meta.controls.iter().map(String::as_str)),
            })
            .collect();
        items.sort_by(|a, b| a.id.cmp(b.id));
        ListPage { items }
    }

    /// `risks/index.html`: every risk with the controls that treat it, by id.
    pub(super) fn risks(&self) -> ListPage<'a> {
        let mut items: Vec<ListItem> = self
            .content
            .risks
            .iter()
            .map(|r| ListItem {
                id: &r.value.id,
                title: Some(&r.value.title),
                owner: self.person(&r.value.owner),
                controls: self.control_refs(r.value.controls.iter().map(String::as_str)),
            })
            .collect();
        items.sort_by(|a, b| a.id.cmp(b.id));
        ListPage { items }
    }

    /// The page of policy `d` (at position `p`).
    pub(super) fn policy_page(&self, p: usize, d: &'a Document<PolicyMeta>) -> PolicyPage<'a> {
        let m = &d.meta;
        let visible = self.visible(m.classification);
        PolicyPage {
            id: &m.id,
            withheld: (!visible).then(|| self.withheld_note(m.classification)),
            title: visible.then_some(m.title.as_str()),
            owner: self.person(&m.owner),
            approved_by: self.person(&m.approved_by),
            approved_on: m.approved_on,
            version: &m.version,
            review_interval_months: m.review_interval_months,
            classification: m.classification.as_str(),
            body: visible.then_some(d.body.as_str()),
            controls: if visible {
                self.controls_at(&self.index.controls_of_policy[p])
            } else {
                Vec::new()
            },
        }
    }

    /// The page of risk `k`.
    /// Scores, levels and appetite are the pack's risk method's, as on the ISO bundle's page.
    pub(super) fn risk_page(&self, k: &'a Risk) -> RiskPage<'a> {
        let method = RiskMethod::of(Some(self.pack));
        let label = |scale: &'a [String], point: u8| {
            scale
                .get(usize::from(point).wrapping_sub(1))
                .map_or("", String::as_str)
        };
        let view = |likelihood: u8, impact: u8| {
            let score = method.score(likelihood, impact);
            ScoreView {
                likelihood,
                likelihood_label: label(&method.likelihood, likelihood),
                impact,
                impact_label: label(&method.impact, impact),
                score,
                level: method.level(score),
                tone: method.tone_of(score),
            }
        };
        let inherent = view(k.likelihood, k.impact);
        let residual = k.residual.map(|r| view(r.likelihood, r.impact));
        RiskPage {
            id: &k.id,
            title: &k.title,
            description: k.description.as_deref(),
            owner: self.person(&k.owner),
            above_appetite: method.above_appetite(residual.as_ref().unwrap_or(&inherent).score),
            operator: match method.formula {
                Formula::Product => "×",
                Formula::Sum => "+",
            },
            inherent,
            treatment: serde_plain(&k.treatment),
            residual,
            accepted_by: k.accepted_by.as_deref().map(|p| self.person(p)),
            accepted_on: k.accepted_on,
            reviewed_on: k.reviewed_on,
            controls: self.control_refs(k.controls.iter().map(String::as_str)),
        }
    }

    /// The page of evidence record `i`, with the attachments the bundle holds (`files`).
    pub(super) fn evidence_page(
        &self,
        i: usize,
        files: &'a BTreeMap<String, FileEntry>,
    ) -> EvidencePage<'a> {
        let ev = &self.content.evidence[i].value;
        let visible = self.visible(ev.classification);
        let period = self.pack.period;
        let mut sampled: Vec<SampledInView> = self
            .sampled_in
            .get(&i)
            .into_iter()
            .flatten()
            .map(|&(control, rank, item)| SampledInView {
                control,
                rank,
                item,
            })
            .collect();
        sampled.sort_by(|a, b| a.control.cmp(b.control));
        if !visible {
            return EvidencePage {
                id: &ev.id,
                withheld: Some(self.withheld_note(ev.classification)),
                detail: None,
                sampled,
            };
        }
        let source_url = ev
            .source
            .as_deref()
            .filter(|s| s.starts_with("https://") || s.starts_with("http://"));
        EvidencePage {
            id: &ev.id,
            withheld: None,
            detail: Some(EvidenceDetail {
                title: &ev.title,
                kind: serde_plain(&ev.kind),
                occurred_on: ev.occurred_on,
                in_period: period.contains(ev.occurred_on),
                performed_by: self.person(&ev.performed_by),
                approved_by: ev.approved_by.as_deref().map(|p| self.person(p)),
                system: ev.system.as_deref(),
                identities: ev
                    .identity_ids()
                    .map(|id| (RecordRef { id, title: None }, slug(id)))
                    .collect(),
                source: ev.source.as_deref(),
                source_url,
                result: serde_plain(&ev.result),
                exception: ev.exception.as_ref(),
                late_rotation: self
                    .analysis
                    .sampler
                    .late_rotation(i)
                    .map(LateRotation::describe),
                classification: ev.classification.as_str(),
                summary: ev.summary.as_deref(),
                controls: self.control_refs(ev.controls.iter().map(String::as_str)),
                attachments: ev
                    .attachments
                    .iter()
                    .filter_map(|a| {
                        files.get(a).map(|f| AttachmentView {
                            name: a,
                            href: Some(&f.path),
                            size: f.size,
                            sha256: &f.sha256,
                        })
                    })
                    .collect(),
            }),
            sampled,
        }
    }
}
