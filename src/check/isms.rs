//! The ISMS's own records (`isms/`: objectives, changes, competence, operations, monitoring, the
//! audit programme) and the structured fields of nonconformities: ids unique, every person,
//! control, policy, evidence record and review they name exists, and the rules of ISO 27001 6.2
//! (a missed objective, one past due without a result: `W147`), 9.2 (an audit past its date
//! without a report: `W149`; an auditor who audits their own work: `W104`) and 10.2 (a
//! nonconformity closed without an effectiveness review, or open past its due date: `W148`).

use std::collections::{HashMap, HashSet};

use super::references::Target;
use super::{Rec, Validator};
use crate::content::catalog::catalogs;
use crate::content::model::{
    EffectivenessResult, IsmsFile, ObjectiveStatus, ReviewKind, ReviewMeta, Status,
};
use crate::content::{Loc, Record};
use crate::diag::{codes, RecordKind};

/// Every record of one `isms/` file with its place: `(section, index, id)`.
fn records(file: &IsmsFile) -> Vec<(&'static str, usize, &str)> {
    let mut out = Vec::new();
    fn add<'f>(
        out: &mut Vec<(&'static str, usize, &'f str)>,
        section: &'static str,
        ids: Vec<&'f str>,
    ) {
        out.extend(ids.into_iter().enumerate().map(|(i, id)| (section, i, id)));
    }
    add(
        &mut out,
        "objectives",
        file.objectives.iter().map(|o| o.id.as_str()).collect(),
    );
    add(
        &mut out,
        "changes",
        file.changes.iter().map(|o| o.id.as_str()).collect(),
    );
    add(
        &mut out,
        "competence",
        file.competence.iter().map(|o| o.id.as_str()).collect(),
    );
    add(
        &mut out,
        "operations",
        file.operations.iter().map(|o| o.id.as_str()).collect(),
    );
    add(
        &mut out,
        "monitoring",
        file.monitoring.iter().map(|o| o.id.as_str()).collect(),
    );
    if let Some(p) = &file.audit_programme {
        add(
            &mut out,
            "audit_programme/audits",
            p.audits.iter().map(|o| o.id.as_str()).collect(),
        );
    }
    out
}

/// The place of a record inside its file (`/objectives/2`).
fn loc_of(r: &Record<IsmsFile>, section: &str, i: usize) -> Loc {
    Loc {
        file: r.loc.file,
        pointer: format!("{}/{section}/{i}", r.loc.pointer),
    }
}

impl Validator<'_, '_> {
    /// Every ISMS record: unique ids, references, objectives, the audit programme.
    pub(super) fn isms(&mut self) {
        let c = self.content;
        let mut first: HashMap<&str, usize> = HashMap::new();
        let objectives: HashSet<&str> = c
            .isms
            .iter()
            .flat_map(|r| &r.value.objectives)
            .map(|o| o.id.as_str())
            .collect();
        let mut programme: Option<usize> = None;
        for r in &c.isms {
            let f = &r.value;
            for (section, i, id) in records(f) {
                let loc = loc_of(r, section, i);
                let rec = Rec::new(&loc, RecordKind::Isms, id);
                if let Some(&file) = first.get(id) {
                    let prev = self.rel(file);
                    self.problem(
                        rec,
                        rec.field("id"),
                        codes::DUPLICATE_ID,
                        format!("duplicate ISMS record id `{id}`; first defined in {prev}"),
                    );
                } else {
                    first.insert(id, r.loc.file);
                }
            }
            if f.audit_programme.is_some() {
                if let Some(file) = programme {
                    let prev = self.rel(file);
                    self.push(
                        r.loc.file,
                        r.loc.field("audit_programme"),
                        codes::DUPLICATE_ID,
                        format!("a second `audit_programme`; the pack's programme is in {prev}"),
                    )
                    .hint(
                        "keep one programme for the certification cycle and list every audit in it",
                    );
                } else {
                    programme = Some(r.loc.file);
                }
            }
            self.objectives(r);
            self.isms_references(r, &objectives);
            self.audit_programme(r);
        }
    }

    /// An evidence record `id`, named at `field`, exists.
    fn evidence_ref(&mut self, rec: Rec, field: &str, id: &str) {
        if self.index.evidence.contains_key(id) || self.exists_unparsed(RecordKind::Evidence, id) {
            return;
        }
        self.problem(
            rec,
            rec.field(field),
            codes::UNKNOWN_RECORD,
            format!("`{id}` is not an evidence id"),
        );
    }

    /// Every evidence id of `ids`, named at `field/<i>`.
    fn evidence_refs(&mut self, rec: Rec, field: &str, ids: &[String]) {
        for (i, id) in ids.iter().enumerate() {
            self.evidence_ref(rec, &format!("{field}/{i}"), id);
        }
    }

    /// Objectives: owner, policy and evidence exist; missed or past due without a result.
    fn objectives(&mut self, r: &Record<IsmsFile>) {
        let as_of = self.as_of();
        for (i, o) in r.value.objectives.iter().enumerate() {
            let loc = loc_of(r, "objectives", i);
            let rec = Rec::new(&loc, RecordKind::Isms, &o.id);
            self.person(rec, "owner", &o.owner);
            if let Some(p) = &o.policy {
                self.reference(rec, "policy", p, Target::Policy);
            }
            self.evidence_refs(rec, "evidence", &o.evidence);
            for (j, res) in o.results.iter().enumerate() {
                self.evidence_refs(rec, &format!("results/{j}/evidence"), &res.evidence);
            }
            let latest = o
                .results
                .iter()
                .enumerate()
                .filter(|(_, res)| as_of.is_none_or(|d| res.date <= d))
                .max_by_key(|(j, res)| (res.date, *j));
            match latest {
                Some((j, res)) if res.status == ObjectiveStatus::NotMet => {
                    self.problem(
                        rec,
                        rec.field(&format!("results/{j}/status")),
                        codes::OBJECTIVE_MISSED,
                        format!(
                            "objective `{}` missed its target ({}): {} in {}",
                            o.id, o.target, res.value, res.period
                        ),
                    )
                    .hint("say what is done about it: a corrective action, a new plan or a revised target approved by management");
                }
                Some((_, res))
                    if res.status == ObjectiveStatus::Met || as_of.is_none_or(|d| o.due >= d) => {}
                None if as_of.is_none_or(|d| o.due >= d) => {}
                _ => {
                    self.problem(
                        rec,
                        rec.field("due"),
                        codes::OBJECTIVE_MISSED,
                        format!(
                            "objective `{}` was due on {} and has no result saying whether it was met",
                            o.id, o.due
                        ),
                    )
                    .hint("add a result with `status: met` or `status: not-met` and the value measured");
                }
            }
        }
    }

    /// The people, controls, evidence and objectives changes, roles, processes and measurements
    /// name.
    fn isms_references(&mut self, r: &Record<IsmsFile>, objectives: &HashSet<&str>) {
        let f = &r.value;
        for (i, ch) in f.changes.iter().enumerate() {
            let loc = loc_of(r, "changes", i);
            let rec = Rec::new(&loc, RecordKind::Isms, &ch.id);
            self.person(rec, "owner", &ch.owner);
            self.evidence_refs(rec, "evidence", &ch.evidence);
        }
        for (i, role) in f.competence.iter().enumerate() {
            let loc = loc_of(r, "competence", i);
            let rec = Rec::new(&loc, RecordKind::Isms, &role.id);
            for (j, p) in role.people.iter().enumerate() {
                self.person(rec, &format!("people/{j}"), p);
            }
            self.evidence_refs(rec, "evidence", &role.evidence);
        }
        for (i, op) in f.operations.iter().enumerate() {
            let loc = loc_of(r, "operations", i);
            let rec = Rec::new(&loc, RecordKind::Isms, &op.id);
            self.person(rec, "owner", &op.owner);
            for (j, ctl) in op.controls.iter().enumerate() {
                self.reference(rec, &format!("controls/{j}"), ctl, Target::Control);
            }
            self.evidence_refs(rec, "evidence", &op.evidence);
        }
        for (i, m) in f.monitoring.iter().enumerate() {
            let loc = loc_of(r, "monitoring", i);
            let rec = Rec::new(&loc, RecordKind::Isms, &m.id);
            self.person(rec, "by", &m.by);
            if let Some(a) = &m.analysed_by {
                self.person(rec, "analysed_by", a);
            }
            if let Some(o) = m.objective.as_deref().filter(|o| !objectives.contains(o)) {
                self.problem(
                    rec,
                    rec.field("objective"),
                    codes::UNKNOWN_RECORD,
                    format!("`{o}` is not an objective id"),
                )
                .hint("objectives are listed under `objectives:` in a file of isms/");
            }
            for (j, res) in m.results.iter().enumerate() {
                self.evidence_refs(rec, &format!("results/{j}/evidence"), &res.evidence);
            }
        }
    }

    /// The audit programme: its owner and auditors exist, each audit's clauses, controls and
    /// report exist; an audit past its date without a report, an auditor of their own work.
    fn audit_programme(&mut self, r: &Record<IsmsFile>) {
        let Some(p) = &r.value.audit_programme else {
            return;
        };
        let as_of = self.as_of();
        let at = Loc {
            file: r.loc.file,
            pointer: format!("{}/audit_programme", r.loc.pointer),
        };
        self.person(
            Rec::new(&at, RecordKind::Isms, "audit_programme"),
            "owner",
            &p.owner,
        );
        let iso = &catalogs().iso;
        for (i, a) in p.audits.iter().enumerate() {
            let loc = loc_of(r, "audit_programme/audits", i);
            let rec = Rec::new(&loc, RecordKind::Isms, &a.id);
            self.person(rec, "auditor", &a.auditor);
            for (j, clause) in a.clauses.iter().enumerate() {
                if iso.clause(clause).is_none() {
                    self.problem(
                        rec,
                        rec.field(&format!("clauses/{j}")),
                        codes::UNKNOWN_FRAMEWORK_ID,
                        format!("`{clause}` is not an ISO 27001:2022 clause"),
                    )
                    .hint(
                        "clauses run 4 to 10.2; Annex A controls are covered through `controls:`",
                    );
                }
            }
            for (j, ctl) in a.controls.iter().enumerate() {
                self.reference(rec, &format!("controls/{j}"), ctl, Target::Control);
                let Some(&k) = self.index.controls.get(ctl.as_str()) else {
                    continue;
                };
                let control = &self.content.controls[k].value;
                let role = if control.operator == a.auditor {
                    Some("operates")
                } else if control.owner == a.auditor {
                    Some("owns")
                } else {
                    None
                };
                if let Some(role) = role {
                    self.problem(
                        rec,
                        rec.field(&format!("controls/{j}")),
                        codes::SEGREGATION,
                        format!(
                            "audit `{}` is done by `{}`, who {role} control `{ctl}` it audits: an auditor must not audit their own work (ISO 27001 9.2.2)",
                            a.id, a.auditor
                        ),
                    )
                    .about(RecordKind::Control, ctl)
                    .hint("give this part of the audit to another auditor, or take the control out of its scope");
                }
            }
            match &a.report {
                Some(report) => self.audit_report(rec, report),
                None if as_of.is_some_and(|d| a.planned < d) => {
                    self.problem(
                        rec,
                        rec.field("planned"),
                        codes::AUDIT_OVERDUE,
                        format!(
                            "audit `{}` was planned for {} and has no report",
                            a.id, a.planned
                        ),
                    )
                    .hint("link its internal audit review with `report:`, or re-plan it with a new date and say why");
                }
                None => {}
            }
        }
    }

    /// An audit's `report` is an internal audit review.
    fn audit_report(&mut self, rec: Rec, report: &str) {
        match self.index.reviews.get(report) {
            Some(&k) if self.content.reviews[k].meta.kind == ReviewKind::InternalAudit => {}
            Some(_) => {
                self.problem(
                    rec,
                    rec.field("report"),
                    codes::INVALID_VALUE,
                    format!("`{report}` is not an internal audit (`kind: internal-audit`)"),
                );
            }
            None if self.exists_unparsed(RecordKind::Review, report) => {}
            None => {
                self.problem(
                    rec,
                    rec.field("report"),
                    codes::UNKNOWN_RECORD,
                    format!("`{report}` is not a review id"),
                )
                .hint("`report:` names the internal audit review (reviews/*.md) of this audit");
            }
        }
    }

    /// The structured fields of nonconformities: owner, effectiveness reviewer and evidence,
    /// corrective actions exist; closed without an effectiveness review, open past due.
    pub(super) fn nonconformities(&mut self) {
        let c = self.content;
        let as_of = self.as_of();
        for d in &c.reviews {
            let m = &d.meta;
            let rec = Rec::new(&d.loc, RecordKind::Review, &m.id);
            if let Some(o) = &m.owner {
                self.person(rec, "owner", o);
            }
            for (i, id) in m.corrective_actions.iter().enumerate() {
                if !self.is_corrective_action(id) {
                    self.problem(
                        rec,
                        rec.field(&format!("corrective_actions/{i}")),
                        codes::UNKNOWN_RECORD,
                        format!("`{id}` is not a corrective action review or an action id"),
                    )
                    .hint("name a review of `kind: corrective-action`, or the id of an action under a review's `actions:`");
                }
            }
            if let Some(e) = &m.effectiveness {
                self.person(rec, "effectiveness/by", &e.by);
                self.evidence_refs(rec, "effectiveness/evidence", &e.evidence);
            }
            if m.kind != ReviewKind::Nonconformity {
                continue;
            }
            self.nonconformity_open_or_closed(rec, m, as_of);
        }
    }

    /// `id` is a corrective-action review or an action of any review.
    fn is_corrective_action(&self, id: &str) -> bool {
        let c = self.content;
        match self.index.reviews.get(id) {
            Some(&k) => c.reviews[k].meta.kind == ReviewKind::CorrectiveAction,
            None => {
                self.exists_unparsed(RecordKind::Review, id)
                    || c.reviews
                        .iter()
                        .any(|d| d.meta.actions.iter().any(|a| a.id == id))
            }
        }
    }

    /// W148: closed without an effectiveness review (or with one that found the actions did
    /// not work), or open past its due date.
    fn nonconformity_open_or_closed(
        &mut self,
        rec: Rec,
        m: &ReviewMeta,
        as_of: Option<chrono::NaiveDate>,
    ) {
        let id = &m.id;
        match (m.status, &m.effectiveness) {
            (Status::Closed, None) => {
                self.problem(
                    rec,
                    rec.field("status"),
                    codes::NONCONFORMITY_NOT_CLOSED_OUT,
                    format!("nonconformity `{id}` is closed without a review of the effectiveness of its corrective actions"),
                )
                .hint("add `effectiveness: { date, by, result: effective }` saying how it was checked (ISO 27001 10.2 d)");
            }
            (Status::Closed, Some(e)) if e.result == EffectivenessResult::NotEffective => {
                self.problem(
                    rec,
                    rec.field("effectiveness/result"),
                    codes::NONCONFORMITY_NOT_CLOSED_OUT,
                    format!("nonconformity `{id}` is closed although its effectiveness review found the corrective actions not effective"),
                )
                .hint("reopen it with a new corrective action, or record the review that found the new actions effective");
            }
            (Status::Open, _) => {
                if let Some(due) = m.due.filter(|&due| as_of.is_some_and(|d| due < d)) {
                    self.problem(
                        rec,
                        rec.field("due"),
                        codes::NONCONFORMITY_NOT_CLOSED_OUT,
                        format!("nonconformity `{id}` is still open after its due date {due}"),
                    )
                    .hint("close it with its effectiveness review, or set a new due date and say why in the record");
                }
            }
            (Status::Closed, Some(_)) => {}
        }
    }
}
