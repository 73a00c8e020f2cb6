//! The classification of a record that gives none (issue 14 item 5).
//!
//! A policy, evidence record, non-human identity or review without `classification` counts as
//! the pack's `default_classification` (pack.yaml) and, when the pack sets none, as the most
//! restrictive `max_classification` its audiences use (restricted when it declares no
//! audience), never silently as `internal`: a record nobody classified is withheld from every
//! audience that may not see that level. `check` warns with the number of such records
//! (`W150`), and each bundle's redaction log names them.

use std::collections::HashSet;

use super::links::LinkKind;
use super::model::Classification;
use super::Content;

impl Content {
    /// The classification of a record that gives none, and why, in words.
    pub fn default_classification(&self) -> (Classification, &'static str) {
        let pack = self.pack.as_ref().map(|p| &p.value);
        if let Some(c) = pack.and_then(|p| p.default_classification) {
            return (c, "the pack's default_classification");
        }
        match pack.and_then(|p| p.audiences.values().map(|a| a.max_classification).max()) {
            Some(c) => (
                c,
                "the most restrictive level the pack's audiences use (pack.yaml sets no default_classification)",
            ),
            None => (
                Classification::Restricted,
                "the most restrictive level (pack.yaml sets no default_classification and no audiences)",
            ),
        }
    }

    /// The records that give no classification, as (kind, id), in the order they were loaded.
    pub fn unclassified_records(&self) -> Vec<(LinkKind, &str)> {
        let at: HashSet<(usize, &str)> = self
            .unclassified
            .iter()
            .map(|l| (l.file, l.pointer.as_str()))
            .collect();
        let has = |l: &super::Loc| at.contains(&(l.file, l.pointer.as_str()));
        let mut out = Vec::with_capacity(at.len());
        out.extend(
            self.policies
                .iter()
                .filter(|d| has(&d.loc))
                .map(|d| (LinkKind::Policy, d.meta.id.as_str())),
        );
        out.extend(
            self.evidence
                .iter()
                .filter(|r| has(&r.loc))
                .map(|r| (LinkKind::Evidence, r.value.id.as_str())),
        );
        out.extend(
            self.identities
                .iter()
                .filter(|r| has(&r.loc))
                .map(|r| (LinkKind::Identity, r.value.id.as_str())),
        );
        out.extend(
            self.reviews
                .iter()
                .filter(|d| has(&d.loc))
                .map(|d| (LinkKind::Review, d.meta.id.as_str())),
        );
        out
    }

    /// Give every record without a classification [`Content::default_classification`]
    /// (done once, by [`crate::content::load()`], before the index is built).
    pub(super) fn apply_default_classification(&mut self) {
        if self.unclassified.is_empty() {
            return;
        }
        let (c, _) = self.default_classification();
        let at: HashSet<(usize, String)> = self
            .unclassified
            .iter()
            .map(|l| (l.file, l.pointer.clone()))
            .collect();
        let has = |l: &super::Loc| at.contains(&(l.file, l.pointer.clone()));
        for d in self.policies.iter_mut().filter(|d| has(&d.loc)) {
            d.meta.classification = c;
        }
        for r in self.evidence.iter_mut().filter(|r| has(&r.loc)) {
            r.value.classification = c;
        }
        for r in self.identities.iter_mut().filter(|r| has(&r.loc)) {
            r.value.classification = c;
        }
        for d in self.reviews.iter_mut().filter(|d| has(&d.loc)) {
            d.meta.classification = c;
        }
    }
}
