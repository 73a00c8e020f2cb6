//! What the SOC 2 pages are built from: the content, its index, the analysis, and the lookups
//! every page family shares.

use std::collections::HashMap;

use serde::Serialize;

use super::views::{CategoryView, ConclusionView, ControlRef, EvidenceRef};
use crate::analyse::soc2::{Conclusion, ControlTest, Soc2Analysis};
use crate::content::audience::Redactions;
use crate::content::catalog::catalogs;
use crate::content::model::{Classification, Pack};
use crate::content::{Content, Index};
use crate::render::views::{PersonView, RecordRef};
use crate::render::Source;

/// Everything the pages are built from, with lookups computed once.
pub(super) struct Ctx<'a> {
    pub(super) content: &'a Content,
    pub(super) index: &'a Index,
    pub(super) pack: &'a Pack,
    pub(super) analysis: &'a Soc2Analysis<'a>,
    redactions: &'a Redactions,
    tests: HashMap<&'a str, &'a ControlTest<'a>>,
    /// Evidence index → where it was sampled (control id, rank, item id).
    pub(super) sampled_in: HashMap<usize, Vec<(&'a str, usize, &'a str)>>,
    /// Source exports stored in the bundle, by path relative to the content root.
    pub(super) exports: &'a std::collections::BTreeMap<String, crate::bundle::FileEntry>,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
        source: &'a Source<'a>,
        pack: &'a Pack,
        analysis: &'a Soc2Analysis<'a>,
    ) -> Self {
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
        Ctx {
            content: source.content,
            index: source.index,
            pack,
            analysis,
            redactions: source.redactions,
            tests: analysis
                .tests
                .iter()
                .map(|t| (t.control.id.as_str(), t))
                .collect(),
            sampled_in,
            exports: source.exports,
        }
    }

    /// May the audience see a record of classification `c`?
    pub(super) fn visible(&self, c: Classification) -> bool {
        c <= self.redactions.max
    }

    /// Why a record of classification `c` is withheld.
    pub(super) fn withheld_note(&self, c: Classification) -> String {
        self.redactions.note(c)
    }

    /// A record's page title: its id and title, or its id alone when it is withheld.
    pub(super) fn title(&self, c: Classification, id: &str, title: &str) -> String {
        if self.visible(c) {
            format!("{id} {title}")
        } else {
            id.to_string()
        }
    }

    /// The person `id`.
    pub(super) fn person(&self, id: &'a str) -> PersonView<'a> {
        PersonView::lookup(self.content, self.index, id)
    }

    /// The test of control `id`.
    pub(super) fn test(&self, id: &str) -> Option<&'a ControlTest<'a>> {
        self.tests.get(id).copied()
    }

    /// A link to the evidence record at position `i`.
    pub(super) fn evidence_ref(&self, i: usize) -> EvidenceRef<'a> {
        let ev = &self.content.evidence[i].value;
        RecordRef {
            id: &ev.id,
            title: self.visible(ev.classification).then_some(ev.title.as_str()),
        }
    }

    /// The controls `ids`, with their conclusions (those without a test are left out).
    pub(super) fn control_refs<'i>(
        &self,
        ids: impl IntoIterator<Item = &'i str>,
    ) -> Vec<ControlRef<'a>> {
        ids.into_iter()
            .filter_map(|id| self.test(id))
            .map(|t| ControlRef {
                id: &t.control.id,
                title: &t.control.title,
                conclusion: conclusion_view(t.conclusion),
            })
            .collect()
    }

    /// The controls at `positions`, with their conclusions.
    pub(super) fn controls_at(&self, positions: &[usize]) -> Vec<ControlRef<'a>> {
        let ids = positions
            .iter()
            .map(|&c| self.content.controls[c].value.id.as_str());
        self.control_refs(ids)
    }
}

/// The kebab-case name serde gives a unit enum variant (`service-account`).
pub(super) fn serde_plain<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub(super) fn conclusion_key(c: Conclusion) -> &'static str {
    match c {
        Conclusion::NoExceptions => "no-exceptions",
        Conclusion::Exceptions => "exceptions",
        Conclusion::NoPopulation => "no-population",
    }
}

pub(super) fn conclusion_view(c: Conclusion) -> ConclusionView {
    ConclusionView {
        key: conclusion_key(c),
        label: c.label(),
        badge: match c {
            Conclusion::NoExceptions => "pass",
            Conclusion::Exceptions => "exception",
            Conclusion::NoPopulation => "gap",
        },
    }
}

pub(super) fn category_view(key: &str) -> CategoryView<'_> {
    let title = match key {
        "security" => "Security (common criteria)",
        "availability" => "Availability",
        "confidentiality" => "Confidentiality",
        "processing-integrity" => "Processing integrity",
        "privacy" => "Privacy",
        other => other,
    };
    CategoryView { key, title }
}

pub(super) fn categories_in_scope(pack: &Pack) -> Vec<CategoryView<'static>> {
    catalogs()
        .soc2
        .categories()
        .into_iter()
        .filter(|c| *c == "security" || pack.soc2.categories.iter().any(|k| k == c))
        .map(category_view)
        .collect()
}
