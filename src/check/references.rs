//! Ids and references between records: duplicate ids, and every owner, operator, performer,
//! approver, control, policy, identity and review finding a record names must exist.

use std::collections::{HashMap, HashSet};

use super::{Rec, Validator};
use crate::content::model::ReviewKind;
use crate::diag::suggest::closest;
use crate::diag::{codes, Code, RecordKind};

/// What a reference points at.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target {
    /// A control (`E012`).
    Control,
    /// A policy (`E013`).
    Policy,
    /// A non-human identity (`E014`).
    Identity,
}

impl Target {
    /// The kind of record it names.
    fn kind(self) -> RecordKind {
        match self {
            Target::Control => RecordKind::Control,
            Target::Policy => RecordKind::Policy,
            Target::Identity => RecordKind::Identity,
        }
    }

    /// The code of an unknown one.
    fn code(self) -> Code {
        match self {
            Target::Control => codes::UNKNOWN_CONTROL,
            Target::Policy => codes::UNKNOWN_POLICY,
            Target::Identity => codes::UNKNOWN_IDENTITY,
        }
    }

    /// What it is, in a message.
    fn what(self) -> &'static str {
        match self {
            Target::Control => "control",
            Target::Policy => "policy",
            Target::Identity => "non-human identity",
        }
    }
}

impl<'c> Validator<'c, '_> {
    /// Every record of `kind`, in load order.
    pub(super) fn all(&self, kind: RecordKind) -> Vec<Rec<'c>> {
        let c = self.content;
        let rec = |loc, id| Rec::new(loc, kind, id);
        match kind {
            RecordKind::Person => c.people.iter().map(|r| rec(&r.loc, &r.value.id)).collect(),
            RecordKind::Policy => c.policies.iter().map(|d| rec(&d.loc, &d.meta.id)).collect(),
            RecordKind::Control => c
                .controls
                .iter()
                .map(|r| rec(&r.loc, &r.value.id))
                .collect(),
            RecordKind::Risk => c.risks.iter().map(|r| rec(&r.loc, &r.value.id)).collect(),
            RecordKind::Identity => c
                .identities
                .iter()
                .map(|r| rec(&r.loc, &r.value.id))
                .collect(),
            RecordKind::Evidence => c
                .evidence
                .iter()
                .map(|r| rec(&r.loc, &r.value.id))
                .collect(),
            RecordKind::Review => c.reviews.iter().map(|d| rec(&d.loc, &d.meta.id)).collect(),
            RecordKind::SoaDecision => c
                .soa
                .iter()
                .map(|r| rec(&r.loc, &r.value.annex_a))
                .collect(),
            // Their places are inside a file's sections: `isms` checks their ids.
            RecordKind::Isms => Vec::new(),
        }
    }

    /// Two records of one kind with the same id: both places are named.
    pub(super) fn duplicates(&mut self) {
        use RecordKind::*;
        for (kind, what) in [
            (Person, "person"),
            (Policy, "policy"),
            (Control, "control"),
            (Risk, "risk"),
            (Identity, "identity"),
            (Evidence, "evidence"),
            (Review, "review"),
            (SoaDecision, "SoA decision for Annex A"),
        ] {
            let field = if kind == SoaDecision { "annex_a" } else { "id" };
            let records = self.all(kind);
            let mut first: HashMap<&str, Rec> = HashMap::with_capacity(records.len());
            let mut reported_first: HashSet<&str> = HashSet::new();
            for rec in records {
                let Some(&prev) = first.get(rec.id) else {
                    first.insert(rec.id, rec);
                    continue;
                };
                let (prev_rel, this_rel) = (self.rel(prev.loc.file), self.rel(rec.loc.file));
                let id = rec.id;
                self.problem(
                    rec,
                    rec.field(field),
                    codes::DUPLICATE_ID,
                    format!("duplicate {what} id `{id}`; first defined in {prev_rel}"),
                );
                if reported_first.insert(id) {
                    self.problem(
                        prev,
                        prev.field(field),
                        codes::DUPLICATE_ID,
                        format!("{what} id `{id}` is defined again in {this_rel}"),
                    );
                }
            }
        }
    }

    /// Every person a record names is in people.yaml.
    pub(super) fn people_refs(&mut self) {
        let c = self.content;
        for r in &c.controls {
            let rec = Rec::new(&r.loc, RecordKind::Control, &r.value.id);
            self.person(rec, "owner", &r.value.owner);
            self.person(rec, "operator", &r.value.operator);
        }
        for d in &c.policies {
            let rec = Rec::new(&d.loc, RecordKind::Policy, &d.meta.id);
            self.person(rec, "owner", &d.meta.owner);
            self.person(rec, "approved_by", &d.meta.approved_by);
        }
        for r in &c.risks {
            let rec = Rec::new(&r.loc, RecordKind::Risk, &r.value.id);
            self.person(rec, "owner", &r.value.owner);
            if let Some(a) = &r.value.accepted_by {
                self.person(rec, "accepted_by", a);
            }
        }
        for r in &c.identities {
            let rec = Rec::new(&r.loc, RecordKind::Identity, &r.value.id);
            if let Some(o) = &r.value.owner {
                self.person(rec, "owner", o);
            }
        }
        for r in &c.evidence {
            let rec = Rec::new(&r.loc, RecordKind::Evidence, &r.value.id);
            self.person(rec, "performed_by", &r.value.performed_by);
            if let Some(a) = &r.value.approved_by {
                self.person(rec, "approved_by", a);
            }
        }
        for d in &c.reviews {
            let rec = Rec::new(&d.loc, RecordKind::Review, &d.meta.id);
            for (i, a) in d.meta.attendees.iter().enumerate() {
                self.person(rec, &format!("attendees/{i}"), a);
            }
            if let Some(a) = &d.meta.auditor {
                self.person(rec, "auditor", a);
            }
            for (i, a) in d.meta.actions.iter().enumerate() {
                self.person(rec, &format!("actions/{i}/owner"), &a.owner);
            }
        }
    }

    /// `id`, named by `rec` in `field`, is a person (a non-human identity is not).
    pub(super) fn person(&mut self, rec: Rec, field: &str, id: &str) {
        let index = self.index;
        // people.yaml unreadable: its own error is the one to fix.
        if index.people.contains_key(id) || self.exists_unparsed(RecordKind::Person, id) {
            return;
        }
        let extra = if index.identities.contains_key(id) {
            " (a non-human identity cannot own, operate, perform or approve)"
        } else {
            ""
        };
        let cands: Vec<&str> = index.people.keys().map(String::as_str).collect();
        let hint = closest(id, &cands)
            .map(|c| format!("did you mean `{c}`?"))
            .unwrap_or_else(|| "people are defined in people.yaml".into());
        self.problem(
            rec,
            rec.field(field),
            codes::UNKNOWN_PERSON,
            format!("unknown person `{id}`{extra}"),
        )
        .hint(hint);
    }

    /// `id`, named by `rec` in `field`, is a record of `target`'s kind; a did-you-mean hint
    /// otherwise.
    pub(super) fn reference(&mut self, rec: Rec, field: &str, id: &str, target: Target) {
        let known = match target {
            Target::Control => &self.index.controls,
            Target::Policy => &self.index.policies,
            Target::Identity => &self.index.identities,
        };
        if known.contains_key(id) || self.exists_unparsed(target.kind(), id) {
            return;
        }
        let cands: Vec<&str> = known.keys().map(String::as_str).collect();
        let hint = closest(id, &cands).map(|c| format!("did you mean `{c}`?"));
        let p = self.problem(
            rec,
            rec.field(field),
            target.code(),
            format!("unknown {} `{id}`", target.what()),
        );
        if let Some(hint) = hint {
            p.hint(hint);
        }
    }

    /// Review findings and relations name controls, risks, policies or reviews; no two
    /// nonconformities share a title.
    pub(super) fn reviews(&mut self) {
        let c = self.content;
        let index = self.index;
        let mut nonconformities: HashMap<String, &str> = HashMap::new();
        for d in &c.reviews {
            let rec = Rec::new(&d.loc, RecordKind::Review, &d.meta.id);
            if let (ReviewKind::Nonconformity, Some(title)) = (d.meta.kind, &d.meta.title) {
                let key = title.trim().to_lowercase();
                match nonconformities.get(&key) {
                    Some(&first) => {
                        self.problem(
                            rec,
                            rec.field("title"),
                            codes::NONCONFORMITY_TITLE_TWICE,
                            format!(
                                "nonconformity `{}` has the same title as `{first}`: \"{}\"",
                                d.meta.id,
                                title.trim()
                            ),
                        )
                        .about(RecordKind::Review, first)
                        .hint("say what happened in this one, so registers and actions tell them apart");
                    }
                    None => {
                        nonconformities.insert(key, &d.meta.id);
                    }
                }
            }
            for (field, ids) in [
                ("findings", &d.meta.findings),
                ("relates_to", &d.meta.relates_to),
            ] {
                for (i, id) in ids.iter().enumerate() {
                    let known = index.controls.contains_key(id.as_str())
                        || index.risks.contains_key(id.as_str())
                        || index.reviews.contains_key(id.as_str())
                        || index.policies.contains_key(id.as_str())
                        || [
                            RecordKind::Control,
                            RecordKind::Risk,
                            RecordKind::Review,
                            RecordKind::Policy,
                        ]
                        .into_iter()
                        .any(|kind| self.exists_unparsed(kind, id));
                    if !known {
                        self.problem(
                            rec,
                            rec.field(&format!("{field}/{i}")),
                            codes::UNKNOWN_RECORD,
                            format!("`{id}` is not a control, risk, policy or review id"),
                        )
                        .hint("findings and relates_to name control, risk, policy or review ids");
                    }
                }
            }
        }
    }
}
