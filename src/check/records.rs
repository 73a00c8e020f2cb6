//! The rules of each kind of record: pack.yaml, policies, controls and their framework mappings,
//! risks, identities, evidence and population files.

use std::collections::HashSet;

use chrono::Months;

use super::bundles::{criterion_in_scope, out_of_scope_hint};
use super::references::Target;
use super::{Rec, Validator};
use crate::content::catalog::{self, catalogs, SOC2};
use crate::content::model::{Control, EvidenceKind, Outcome, Period, Treatment};
use crate::content::risk_method::RiskMethod;
use crate::diag::{codes, Place, RecordKind};

impl Validator<'_, '_> {
    /// pack.yaml: the period, frameworks, trust services categories and allowed fingerprints.
    pub(super) fn pack(&mut self) {
        let Some(pack) = &self.content.pack else {
            return;
        };
        let p = &pack.value;
        let loc = &pack.loc;
        if p.period.end < p.period.start {
            self.push(
                loc.file,
                loc.field("period/end"),
                codes::OUT_OF_RANGE,
                format!(
                    "period ends ({}) before it starts ({})",
                    p.period.end, p.period.start
                ),
            );
        }
        if p.calendar.working_days.is_empty() {
            self.push(
                loc.file,
                loc.field("calendar/working_days"),
                codes::INVALID_VALUE,
                "`calendar.working_days` is empty: no daily control could ever be expected to run"
                    .to_string(),
            )
            .hint("list the working days, e.g. `working_days: [mon, tue, wed, thu, fri]` (the default)");
        }
        for (i, fw) in p.frameworks.iter().enumerate() {
            if !catalog::FRAMEWORKS.contains(&fw.as_str()) {
                self.push(
                    loc.file,
                    loc.field(&format!("frameworks/{i}")),
                    codes::INVALID_VALUE,
                    format!("unknown framework `{fw}`"),
                )
                .hint(format!(
                    "known frameworks: {}",
                    catalog::FRAMEWORKS.join(", ")
                ));
            }
        }
        let known_cats = catalogs().soc2.categories();
        for (i, cat) in p.soc2.categories.iter().enumerate() {
            if !known_cats.contains(&cat.as_str()) {
                self.push(
                    loc.file,
                    loc.field(&format!("soc2/categories/{i}")),
                    codes::INVALID_VALUE,
                    format!("unknown trust services category `{cat}`"),
                )
                .hint(format!("known categories: {}", known_cats.join(", ")));
            }
        }
        for (i, fp) in p.secrets.allow.iter().enumerate() {
            let ok = fp.len() == 19
                && fp.starts_with("fp:")
                && fp[3..].bytes().all(|b| b.is_ascii_hexdigit());
            if !ok {
                self.push(
                    loc.file,
                    loc.field(&format!("secrets/allow/{i}")),
                    codes::INVALID_VALUE,
                    format!("`{fp}` is not a secret fingerprint"),
                )
                .hint("fingerprints look like `fp:` and 16 hex digits, as `check` prints them");
            }
        }
    }

    /// Policies: the controls they name, and their review date.
    pub(super) fn policies(&mut self) {
        let c = self.content;
        let end = self.as_of();
        for d in &c.policies {
            let m = &d.meta;
            let rec = Rec::new(&d.loc, RecordKind::Policy, &m.id);
            for (i, id) in m.controls.iter().enumerate() {
                self.reference(rec, &format!("controls/{i}"), id, Target::Control);
            }
            let due = m
                .approved_on
                .checked_add_months(Months::new(m.review_interval_months));
            if let (Some(end), Some(due)) = (end, due) {
                if due < end {
                    self.problem(
                        rec,
                        rec.field("approved_on"),
                        codes::POLICY_REVIEW_OVERDUE,
                        format!(
                            "policy `{}` was due for review on {due} (approved {}, every {} months)",
                            m.id, m.approved_on, m.review_interval_months
                        ),
                    );
                }
            }
        }
    }

    /// Controls: the policies they name, segregation of owner and operator, and every framework
    /// mapping.
    pub(super) fn controls(&mut self) {
        let c = self.content;
        let declared: Vec<&str> = c
            .pack
            .as_ref()
            .map(|p| p.value.frameworks.iter().map(String::as_str).collect())
            .unwrap_or_default();
        for r in &c.controls {
            let ctl = &r.value;
            let rec = Rec::new(&r.loc, RecordKind::Control, &ctl.id);
            for (i, id) in ctl.policies.iter().enumerate() {
                self.reference(rec, &format!("policies/{i}"), id, Target::Policy);
            }
            if ctl.owner == ctl.operator {
                self.problem(
                    rec,
                    rec.field("operator"),
                    codes::OWNER_IS_OPERATOR,
                    format!(
                        "control `{}` is owned and operated by `{}`",
                        ctl.id, ctl.owner
                    ),
                )
                .about(RecordKind::Person, &ctl.owner);
            }
            self.mappings(rec, ctl, &declared);
        }
    }

    /// A control's `maps:`: known frameworks the pack declares (`declared`), ids their catalogs
    /// hold.
    fn mappings(&mut self, rec: Rec, ctl: &Control, declared: &[&str]) {
        let has_pack = self.content.pack.is_some();
        let cat = catalogs();
        for (fw, ids) in &ctl.maps {
            if !catalog::FRAMEWORKS.contains(&fw.as_str()) {
                self.problem(
                    rec,
                    rec.field(&format!("maps/{fw}")),
                    codes::UNKNOWN_FRAMEWORK_ID,
                    format!("unknown framework `{fw}`"),
                )
                .hint(format!(
                    "known frameworks: {}",
                    catalog::FRAMEWORKS.join(", ")
                ));
                continue;
            }
            if has_pack && !declared.contains(&fw.as_str()) {
                self.problem(
                    rec,
                    rec.field(&format!("maps/{fw}")),
                    codes::UNDECLARED_FRAMEWORK,
                    format!(
                        "control `{}` maps to `{fw}`, which pack.yaml does not declare",
                        ctl.id
                    ),
                )
                .hint("add it to `frameworks:` in pack.yaml or remove the mapping");
            }
            for (i, id) in ids.iter().enumerate() {
                if cat.contains(fw, id) {
                    let pack = self.content.pack.as_ref().map(|p| &p.value);
                    if fw == SOC2 && declared.contains(&SOC2) && !criterion_in_scope(pack, id) {
                        self.problem(
                            rec,
                            rec.field(&format!("maps/{fw}/{i}")),
                            codes::SOC2_CATEGORY_OUT_OF_SCOPE,
                            format!("`{id}` is a SOC 2 criterion of a category pack.yaml does not declare"),
                        )
                        .hint(out_of_scope_hint(id));
                    }
                    continue;
                }
                let sugg = cat.suggest(fw, id);
                let hint = if sugg.is_empty() {
                    format!("no such id in the embedded {fw} catalog")
                } else {
                    let quoted: Vec<String> = sugg.iter().map(|s| format!("`{s}`")).collect();
                    format!("did you mean {}?", quoted.join(" or "))
                };
                self.problem(
                    rec,
                    rec.field(&format!("maps/{fw}/{i}")),
                    codes::UNKNOWN_FRAMEWORK_ID,
                    format!("`{id}` is not in the {fw} catalog"),
                )
                .hint(hint);
            }
        }
    }

    /// Risks: the controls they name, acceptance, and scores in 1..5.
    pub(super) fn risks(&mut self) {
        let c = self.content;
        for r in &c.risks {
            let risk = &r.value;
            let rec = Rec::new(&r.loc, RecordKind::Risk, &risk.id);
            for (i, id) in risk.controls.iter().enumerate() {
                self.reference(rec, &format!("controls/{i}"), id, Target::Control);
            }
            if risk.treatment == Treatment::Accept && risk.accepted_by.is_none() {
                self.problem(
                    rec,
                    rec.field("treatment"),
                    codes::ACCEPTANCE_MISSING,
                    format!("risk `{}` is accepted but names no `accepted_by`", risk.id),
                )
                .hint("name the person who accepted the risk (ISO 27001 6.1.3 f)");
            }
            let mut scores = vec![("likelihood", risk.likelihood), ("impact", risk.impact)];
            if let Some(res) = &risk.residual {
                scores.push(("residual/likelihood", res.likelihood));
                scores.push(("residual/impact", res.impact));
            }
            let method = RiskMethod::of(c.pack.as_ref().map(|p| &p.value));
            for (field, v) in scores {
                let top = if field.ends_with("likelihood") {
                    method.likelihood.len()
                } else {
                    method.impact.len()
                };
                if v == 0 || usize::from(v) > top {
                    self.problem(
                        rec,
                        rec.field(field),
                        codes::OUT_OF_RANGE,
                        format!("`{field}` is {v}; scores run from 1 to {top}"),
                    );
                }
            }
        }
    }

    /// Non-human identities have an owner.
    pub(super) fn identities(&mut self) {
        let c = self.content;
        for r in &c.identities {
            if r.value.owner.is_none() {
                let rec = Rec::new(&r.loc, RecordKind::Identity, &r.value.id);
                self.problem(
                    rec,
                    r.loc.place(),
                    codes::IDENTITY_UNOWNED,
                    format!("non-human identity `{}` is owned by nobody", r.value.id),
                )
                .hint("name an accountable person in `owner:`");
            }
        }
    }

    /// Evidence: the controls and identity it names, its exception block, segregation of duties,
    /// its date and its attachments.
    pub(super) fn evidence(&mut self) {
        let c = self.content;
        let period = self.period();
        for r in &c.evidence {
            let ev = &r.value;
            let rec = Rec::new(&r.loc, RecordKind::Evidence, &ev.id);
            for (i, id) in ev.controls.iter().enumerate() {
                self.reference(rec, &format!("controls/{i}"), id, Target::Control);
            }
            for (i, id) in ev.identity.ids.iter().enumerate() {
                let path = if ev.identity.list {
                    format!("identity/{i}")
                } else {
                    "identity".to_string()
                };
                self.reference(rec, &path, id, Target::Identity);
            }
            for (i, id) in ev.identities.iter().enumerate() {
                self.reference(rec, &format!("identities/{i}"), id, Target::Identity);
            }
            match (ev.result, &ev.exception) {
                (Outcome::Exception, None) => {
                    self.problem(
                        rec,
                        rec.field("result"),
                        codes::EXCEPTION_MISSING,
                        format!("evidence `{}` is an exception but has no `exception:` block", ev.id),
                    )
                    .hint("describe it with `exception: { description, management_response, remediated_on }`");
                }
                (Outcome::Pass, Some(_)) => {
                    self.problem(
                        rec,
                        rec.field("exception"),
                        codes::EXCEPTION_MISSING,
                        format!(
                            "evidence `{}` passed but carries an `exception:` block",
                            ev.id
                        ),
                    );
                }
                _ => {}
            }
            if ev.approved_by.as_deref() == Some(ev.performed_by.as_str()) {
                self.problem(
                    rec,
                    rec.field("approved_by"),
                    codes::SEGREGATION,
                    format!(
                        "`{}` both performed and approved evidence `{}`",
                        ev.performed_by, ev.id
                    ),
                )
                .about(RecordKind::Person, &ev.performed_by);
            }
            // A rotation of an identity before the period is history the rotation analysis
            // needs: it starts the credential's age at the period's start.
            let history = ev.kind == EvidenceKind::Rotation
                && !ev.identity.is_empty()
                && period.is_some_and(|p| ev.occurred_on < p.start);
            // A record made after its interval that says which one it covers (`covers: 2026-Q2`
            // on a sign-off of 1 July) is evidence of the period.
            let covers_period = |p: &Period| {
                ev.covers
                    .is_some_and(|i| i.first() <= p.end && i.last() >= p.start)
            };
            if let Some(p) =
                period.filter(|p| !p.contains(ev.occurred_on) && !history && !covers_period(p))
            {
                self.problem(
                    rec,
                    rec.field("occurred_on"),
                    codes::OUTSIDE_PERIOD,
                    format!(
                        "evidence `{}` is dated {}, outside the period {} to {}",
                        ev.id, ev.occurred_on, p.start, p.end
                    ),
                );
            }
            for (i, att) in ev.attachments.iter().enumerate() {
                self.attachment(rec, i, att);
            }
        }
    }

    /// Population files: a known control, unique row ids, rows inside the period.
    pub(super) fn populations(&mut self) {
        let c = self.content;
        let period = self.period();
        for pop in &c.populations {
            let control = pop.control.as_str();
            if !self.index.controls.contains_key(control)
                && !self.exists_unparsed(RecordKind::Control, control)
            {
                self.push(
                    pop.file,
                    Place::Start,
                    codes::POPULATION,
                    format!("population for unknown control `{}`", pop.control),
                )
                .hint("name the file after the control: populations/<control-id>.csv");
            }
            let mut seen: HashSet<&str> = HashSet::new();
            for row in &pop.rows {
                if !seen.insert(row.id.as_str()) {
                    self.push(
                        pop.file,
                        Place::Line(row.line, 1),
                        codes::DUPLICATE_ID,
                        format!("population row id `{}` appears twice", row.id),
                    );
                }
                if period.is_some_and(|p| !p.contains(row.occurred_on)) {
                    self.push(
                        pop.file,
                        Place::Line(row.line, 1),
                        codes::OUTSIDE_PERIOD,
                        format!(
                            "population row `{}` is dated {}, outside the period",
                            row.id, row.occurred_on
                        ),
                    );
                }
            }
        }
    }
}
