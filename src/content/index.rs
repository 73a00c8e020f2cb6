//! The cross-references of a pack, computed once on the content side ([`Content::index`]) and
//! borrowed by validation, analysis and both renderers: every record by id, and the links
//! between records that several of them follow (policies ↔ controls, the risks and evidence of a
//! control, the evidence of a non-human identity).
//!
//! Positions are indices into the lists of [`Content`]. A redacted copy of the content
//! ([`super::audience::Redactions::redact`]) keeps every record in its place with its id and
//! links, so the index of the full content serves the copy too.

use std::collections::HashMap;

use super::catalog::catalogs;
use super::links::LinkKind;
use super::Content;

/// Lookups by id and links between records.
#[derive(Debug, Default)]
pub struct Index {
    /// Person id → position in `content.people`.
    pub people: HashMap<String, usize>,
    /// Policy id → position in `content.policies`.
    pub policies: HashMap<String, usize>,
    /// Control id → position in `content.controls`.
    pub controls: HashMap<String, usize>,
    /// Risk id → position in `content.risks`.
    pub risks: HashMap<String, usize>,
    /// Identity id → position in `content.identities`.
    pub identities: HashMap<String, usize>,
    /// Evidence id → position in `content.evidence`.
    pub evidence: HashMap<String, usize>,
    /// Review id → position in `content.reviews`.
    pub reviews: HashMap<String, usize>,
    /// Per policy: the controls linked to it either way (the policy's `controls:` or the
    /// control's `policies:`), sorted by id, each once.
    pub controls_of_policy: Vec<Vec<usize>>,
    /// Per control: the policies linked to it either way, sorted by id, each once.
    pub policies_of_control: Vec<Vec<usize>>,
    /// Per control: the risks that name it, in content order, each once.
    pub risks_of_control: Vec<Vec<usize>>,
    /// Per control: the evidence records that name it, in content order, each once.
    pub evidence_of_control: Vec<Vec<usize>>,
    /// Per identity: the evidence records that name it, or whose review CSV lists it
    /// ([`super::review_csv`]), by date, then id, each once.
    pub evidence_of_identity: Vec<Vec<usize>>,
    // Accounts (issue 11) join here: account id → position, and the evidence of each account.
}

impl Index {
    /// Build the index of `content`. Where two records share an id the first wins (validation
    /// reports the duplicate); links to ids that do not exist are left out (validation reports
    /// them too).
    pub fn build(content: &Content) -> Index {
        fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, usize> {
            let mut m = HashMap::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                m.entry(id(item).to_string()).or_insert(i);
            }
            m
        }
        let mut index = Index {
            people: ids(&content.people, |r| &r.value.id),
            policies: ids(&content.policies, |d| &d.meta.id),
            controls: ids(&content.controls, |r| &r.value.id),
            risks: ids(&content.risks, |r| &r.value.id),
            identities: ids(&content.identities, |r| &r.value.id),
            evidence: ids(&content.evidence, |r| &r.value.id),
            reviews: ids(&content.reviews, |d| &d.meta.id),
            ..Index::default()
        };
        index.links(content);
        index
    }

    /// The links between records.
    fn links(&mut self, content: &Content) {
        let mut controls_of_policy = vec![Vec::new(); content.policies.len()];
        let mut policies_of_control = vec![Vec::new(); content.controls.len()];
        for (p, d) in content.policies.iter().enumerate() {
            for c in d
                .meta
                .controls
                .iter()
                .filter_map(|id| self.controls.get(id))
            {
                controls_of_policy[p].push(*c);
                policies_of_control[*c].push(p);
            }
        }
        for (c, r) in content.controls.iter().enumerate() {
            for p in r
                .value
                .policies
                .iter()
                .filter_map(|id| self.policies.get(id))
            {
                controls_of_policy[*p].push(c);
                policies_of_control[c].push(*p);
            }
        }
        for list in &mut controls_of_policy {
            sort_unique(list, |&c| &content.controls[c].value.id);
        }
        for list in &mut policies_of_control {
            sort_unique(list, |&p| &content.policies[p].meta.id);
        }
        let mut risks_of_control = vec![Vec::new(); content.controls.len()];
        for (k, r) in content.risks.iter().enumerate() {
            for c in r
                .value
                .controls
                .iter()
                .filter_map(|id| self.controls.get(id))
            {
                push_once(&mut risks_of_control[*c], k);
            }
        }
        let mut evidence_of_control = vec![Vec::new(); content.controls.len()];
        let mut evidence_of_identity = vec![Vec::new(); content.identities.len()];
        for (e, r) in content.evidence.iter().enumerate() {
            for c in r
                .value
                .controls
                .iter()
                .filter_map(|id| self.controls.get(id))
            {
                push_once(&mut evidence_of_control[*c], e);
            }
            for i in r
                .value
                .identity_ids()
                .filter_map(|id| self.identities.get(id))
            {
                push_once(&mut evidence_of_identity[*i], e);
            }
        }
        for csv in &content.review_csvs {
            for i in csv
                .rows
                .iter()
                .filter_map(|r| self.identities.get(r.identity.as_str()))
            {
                evidence_of_identity[*i].push(csv.evidence);
            }
        }
        for list in &mut evidence_of_identity {
            list.sort_by(|&a, &b| {
                let (a, b) = (&content.evidence[a].value, &content.evidence[b].value);
                (a.occurred_on, a.id.as_bytes()).cmp(&(b.occurred_on, b.id.as_bytes()))
            });
            // A record both named and listed (or listed twice) counts once: equal records sort
            // side by side.
            list.dedup();
        }
        self.controls_of_policy = controls_of_policy;
        self.policies_of_control = policies_of_control;
        self.risks_of_control = risks_of_control;
        self.evidence_of_control = evidence_of_control;
        self.evidence_of_identity = evidence_of_identity;
    }

    /// Does a `kind:id` link resolve?
    pub fn resolves(&self, kind: LinkKind, id: &str) -> bool {
        let cat = catalogs();
        match kind {
            LinkKind::Policy => self.policies.contains_key(id),
            LinkKind::Control => self.controls.contains_key(id),
            LinkKind::Evidence => self.evidence.contains_key(id),
            LinkKind::Risk => self.risks.contains_key(id),
            LinkKind::Identity => self.identities.contains_key(id),
            LinkKind::Review => self.reviews.contains_key(id),
            LinkKind::Annex => cat.iso.annex(id).is_some(),
            LinkKind::Clause => cat.iso.clause(id).is_some(),
            LinkKind::Soc2 => cat.soc2.criterion(id).is_some(),
            LinkKind::Csf => {
                cat.csf.subcategory(id).is_some()
                    || cat.csf.category(id).is_some()
                    || cat.csf.function(id).is_some()
            }
        }
    }
}

/// Sort `list` by the id of each position, and drop repeats.
fn sort_unique<'c>(list: &mut Vec<usize>, id: impl Fn(&usize) -> &'c String) {
    list.sort_by(|a, b| id(a).cmp(id(b)));
    list.dedup();
}

/// Push `item` unless it is already the last (positions arrive in order, so this keeps each once).
fn push_once(list: &mut Vec<usize>, item: usize) {
    if list.last() != Some(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Report;

    fn pack(files: &[(&str, &str)]) -> (tempfile::TempDir, Content) {
        let d = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = d.path().join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        let content = crate::content::load(d.path(), &mut Report::new()).unwrap();
        (d, content)
    }

    #[test]
    fn links_are_followed_both_ways_and_each_once() {
        let (_d, c) = pack(&[
            ("policies/b.md", "---\n{ id: P-B, title: B, owner: p, approved_by: p, approved_on: 2026-01-01, version: 1, controls: [C-2, C-1] }\n---\n"),
            ("policies/a.md", "---\n{ id: P-A, title: A, owner: p, approved_by: p, approved_on: 2026-01-01, version: 1 }\n---\n"),
            ("controls/c.yaml", "- { id: C-2, title: T, description: d, owner: p, operator: q, frequency: annual, policies: [P-A, P-B, P-X] }\n- { id: C-1, title: T, description: d, owner: p, operator: q, frequency: annual }\n"),
            ("risks/r.yaml", "- { id: R-1, title: T, owner: p, likelihood: 1, impact: 1, treatment: avoid, controls: [C-1, C-1, C-2] }\n"),
            ("identities/i.yaml", "- { id: svc, kind: bot, system: s, created_on: 2026-01-01 }\n"),
            ("evidence/e.yaml", "- { id: E-2, controls: [C-1, C-1], kind: rotation, title: t, occurred_on: 2026-03-01, performed_by: p, result: pass, identity: svc }\n- { id: E-1, controls: [C-1], kind: rotation, title: t, occurred_on: 2026-03-01, performed_by: p, result: pass, identity: svc }\n- { id: E-0, controls: [C-2], kind: log, title: t, occurred_on: 2026-04-01, performed_by: p, result: pass, identity: nobody }\n"),
        ]);
        let x = c.index();
        // policies: a.md (P-A) is loaded first, then b.md (P-B); controls: C-2, C-1.
        assert_eq!(x.policies["P-A"], 0);
        assert_eq!(x.controls_of_policy, [vec![0], vec![1, 0]]);
        assert_eq!(x.policies_of_control, [vec![0, 1], vec![1]]);
        assert_eq!(x.risks_of_control, [vec![0], vec![0]]);
        assert_eq!(x.evidence_of_control, [vec![2], vec![0, 1]]);
        assert_eq!(x.evidence_of_identity, [vec![1, 0]], "by date, then id");
        assert!(x.resolves(LinkKind::Risk, "R-1") && !x.resolves(LinkKind::Risk, "R-2"));
    }

    #[test]
    fn an_access_review_naming_no_identity_covers_the_rows_of_its_review_csv() {
        let (_d, c) = pack(&[
            ("identities/i.yaml", "- { id: svc-a, kind: bot, system: s, created_on: 2026-01-01 }\n- { id: svc-b, kind: bot, system: s, created_on: 2026-01-01 }\n"),
            ("evidence/e.yaml", "- { id: E-1, controls: [C], kind: access-review, title: t, occurred_on: 2026-03-01, performed_by: p, result: pass, attachments: [r.csv, also.CSV] }\n- { id: E-2, controls: [C], kind: access-review, title: t, occurred_on: 2026-02-01, performed_by: p, result: pass, identity: svc-b, attachments: [r.csv] }\n"),
            ("attachments/r.csv", "identity,decision\nsvc-a,keep\nsvc-a,keep\nghost,revoke\n"),
            ("attachments/also.CSV", "Identity_ID\nsvc-a\nsvc-b\n"),
        ]);
        let x = c.index();
        assert_eq!(
            x.evidence_of_identity,
            [vec![0], vec![1, 0]],
            "E-1 once per identity, whatever its rows; E-2 names svc-b, so its CSV is not read"
        );
        assert_eq!(c.review_csvs.len(), 2);
        assert_eq!(c.review_csvs[0].attachment, "r.csv");
        assert_eq!(
            c.review_csvs[0].rows.len(),
            3,
            "unknown ids are kept for the warning"
        );
        let (csv, row) = c.review_row(0, "svc-a").unwrap();
        assert_eq!((csv.attachment.as_str(), row.line), ("r.csv", 2));
        assert_eq!(row.decision.as_deref(), Some("keep"));
        assert!(c.review_row(1, "svc-b").is_none());
    }
}
