//! The ISO bundle's evidence pages: the index by month, one page per month, one per record.

use std::collections::BTreeMap;

use chrono::Datelike;
use rayon::prelude::*;

use super::model::{evidence_kind_label, Model};
use super::views::{
    EvidenceDetail, EvidenceIndex, EvidenceMonth, EvidenceRow, KindCount, MonthSummary,
};
use crate::content::model::Outcome;
use crate::diag::RecordKind;
use crate::render::views::AttachmentView;

impl<'a> Model<'a> {
    pub(super) fn evidence_index(&self) -> (EvidenceIndex, Vec<EvidenceMonth<'a>>) {
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
            let row = self.evidence_row(e);
            let day = ev.occurred_on;
            let same_month = |r: &EvidenceRow| {
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

    pub(super) fn evidence_detail(&self, e: usize) -> EvidenceDetail<'a> {
        let ev = &self.content.evidence[e].value;
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
            identities: ev.identity_ids().collect(),
            source: ev.source.as_deref(),
            source_is_url: ev
                .source
                .as_deref()
                .is_some_and(|s| s.starts_with("https://") || s.starts_with("http://")),
            result: ev.result,
            exception: ev.exception.as_ref(),
            classification: ev.classification,
            summary: ev.summary.as_deref(),
            controls: ev.controls.iter().map(|c| self.control_title(c)).collect(),
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
            warnings: self.warnings(RecordKind::Evidence, &ev.id),
            withheld: self
                .source
                .redactions
                .is_withheld(crate::content::links::LinkKind::Evidence, &ev.id),
        }
    }
}
