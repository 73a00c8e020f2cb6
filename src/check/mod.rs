//! Validation: every rule of the content format, all problems at once.
//!
//! Rules and their codes are listed in [`crate::diag::codes`]. Validation never stops at the
//! first problem; it records everything into a [`Report`].

mod soc2;

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use rayon::prelude::*;
use unicode_normalization::is_nfc;

use crate::analyse::identities::{self, Until};
use crate::content::catalog::{self, catalogs};
use crate::content::links;
use crate::content::model::{Frequency, Outcome, Treatment};
use crate::content::{AttachmentKind, Content, Index, Loc};
use crate::diag::{codes, Code};
use crate::diag::{Place, Report};
use crate::secrets;

/// Validate a loaded pack, recording every problem but the secrets in its attachments: the
/// returned [`SecretGuard`] reports those once the attachments are read.
pub fn validate(content: &Content, report: &mut Report) -> SecretGuard {
    let mut v = Validator {
        content,
        index: content.index(),
        report,
    };
    v.duplicates();
    v.pack();
    v.people_refs();
    v.policies();
    v.controls();
    v.soa();
    v.risks();
    v.identities();
    v.evidence();
    v.reviews();
    v.populations();
    v.markdown_links();
    v.coverage();
    v.rotations();
    soc2::settings(content, v.report);
    v.secrets()
}

struct Validator<'c, 'r> {
    content: &'c Content,
    index: &'c Index,
    report: &'r mut Report,
}

impl Validator<'_, '_> {
    fn push(&mut self, file: usize, place: Place, code: Code, message: String) {
        self.report.push(file, place, code, message, None);
    }

    fn push_hint(&mut self, file: usize, place: Place, code: Code, message: String, hint: String) {
        self.report.push(file, place, code, message, Some(hint));
    }

    fn rel(&self, file: usize) -> &str {
        &self.content.files[file].rel
    }

    fn period(&self) -> Option<crate::content::model::Period> {
        self.content.pack.as_ref().map(|p| p.value.period)
    }

    /// Report an unknown reference of `code`'s kind, with a did-you-mean hint.
    fn reference(
        &mut self,
        loc: &Loc,
        field: &str,
        id: &str,
        known: &HashMap<String, usize>,
        code: Code,
        what: &str,
    ) {
        if known.contains_key(id) {
            return;
        }
        let cands: Vec<&str> = known.keys().map(String::as_str).collect();
        let hint =
            crate::diag::suggest::closest(id, &cands).map(|c| format!("did you mean `{c}`?"));
        self.report.push(
            loc.file,
            loc.field(field),
            code,
            format!("unknown {what} `{id}`"),
            hint,
        );
    }

    fn person(&mut self, loc: &Loc, field: &str, id: &str) {
        let index = self.index;
        if index.people.contains_key(id) {
            return;
        }
        let extra = if index.identities.contains_key(id) {
            " (a non-human identity cannot own, operate, perform or approve)"
        } else {
            ""
        };
        let cands: Vec<&str> = index.people.keys().map(String::as_str).collect();
        let hint = crate::diag::suggest::closest(id, &cands)
            .map(|c| format!("did you mean `{c}`?"))
            .unwrap_or_else(|| "people are defined in people.yaml".into());
        self.report.push(
            loc.file,
            loc.field(field),
            codes::UNKNOWN_PERSON,
            format!("unknown person `{id}`{extra}"),
            Some(hint),
        );
    }

    fn control_ref(&mut self, loc: &Loc, field: &str, id: &str) {
        let index = self.index;
        self.reference(
            loc,
            field,
            id,
            &index.controls,
            codes::UNKNOWN_CONTROL,
            "control",
        );
    }

    fn duplicates(&mut self) {
        let c = self.content;
        let mut groups: Vec<(&str, Vec<(&str, &Loc)>)> = vec![
            (
                "person",
                c.people
                    .iter()
                    .map(|r| (r.value.id.as_str(), &r.loc))
                    .collect(),
            ),
            (
                "policy",
                c.policies
                    .iter()
                    .map(|d| (d.meta.id.as_str(), &d.loc))
                    .collect(),
            ),
            (
                "control",
                c.controls
                    .iter()
                    .map(|r| (r.value.id.as_str(), &r.loc))
                    .collect(),
            ),
            (
                "risk",
                c.risks
                    .iter()
                    .map(|r| (r.value.id.as_str(), &r.loc))
                    .collect(),
            ),
            (
                "identity",
                c.identities
                    .iter()
                    .map(|r| (r.value.id.as_str(), &r.loc))
                    .collect(),
            ),
            (
                "evidence",
                c.evidence
                    .iter()
                    .map(|r| (r.value.id.as_str(), &r.loc))
                    .collect(),
            ),
            (
                "review",
                c.reviews
                    .iter()
                    .map(|d| (d.meta.id.as_str(), &d.loc))
                    .collect(),
            ),
            (
                "SoA decision for Annex A",
                c.soa
                    .iter()
                    .map(|r| (r.value.annex_a.as_str(), &r.loc))
                    .collect(),
            ),
        ];
        for (what, items) in groups.iter_mut() {
            let mut first: HashMap<&str, &Loc> = HashMap::with_capacity(items.len());
            let mut reported_first: HashSet<&str> = HashSet::new();
            for (id, loc) in items.iter() {
                match first.get(id) {
                    None => {
                        first.insert(id, loc);
                    }
                    Some(prev) => {
                        let prev_rel = self.rel(prev.file).to_string();
                        let this_rel = self.rel(loc.file).to_string();
                        let field = if what.starts_with("SoA") {
                            "annex_a"
                        } else {
                            "id"
                        };
                        self.push(
                            loc.file,
                            loc.field(field),
                            codes::DUPLICATE_ID,
                            format!("duplicate {what} id `{id}`; first defined in {prev_rel}"),
                        );
                        if reported_first.insert(id) {
                            let (pf, pp) = (prev.file, prev.field(field));
                            self.push(
                                pf,
                                pp,
                                codes::DUPLICATE_ID,
                                format!("{what} id `{id}` is defined again in {this_rel}"),
                            );
                        }
                    }
                }
            }
        }
    }

    fn pack(&mut self) {
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
        for (i, fw) in p.frameworks.iter().enumerate() {
            if !catalog::FRAMEWORKS.contains(&fw.as_str()) {
                self.push_hint(
                    loc.file,
                    loc.field(&format!("frameworks/{i}")),
                    codes::INVALID_VALUE,
                    format!("unknown framework `{fw}`"),
                    format!("known frameworks: {}", catalog::FRAMEWORKS.join(", ")),
                );
            }
        }
        let known_cats = catalogs().soc2.categories();
        for (i, cat) in p.soc2.categories.iter().enumerate() {
            if !known_cats.contains(&cat.as_str()) {
                self.push_hint(
                    loc.file,
                    loc.field(&format!("soc2/categories/{i}")),
                    codes::INVALID_VALUE,
                    format!("unknown trust services category `{cat}`"),
                    format!("known categories: {}", known_cats.join(", ")),
                );
            }
        }
        for (i, fp) in p.secrets.allow.iter().enumerate() {
            let ok = fp.len() == 19
                && fp.starts_with("fp:")
                && fp[3..].bytes().all(|b| b.is_ascii_hexdigit());
            if !ok {
                self.push_hint(
                    loc.file,
                    loc.field(&format!("secrets/allow/{i}")),
                    codes::INVALID_VALUE,
                    format!("`{fp}` is not a secret fingerprint"),
                    "fingerprints look like `fp:` and 16 hex digits, as `check` prints them".into(),
                );
            }
        }
    }

    fn people_refs(&mut self) {
        let c = self.content;
        for r in &c.controls {
            self.person(&r.loc, "owner", &r.value.owner);
            self.person(&r.loc, "operator", &r.value.operator);
        }
        for d in &c.policies {
            self.person(&d.loc, "owner", &d.meta.owner);
            self.person(&d.loc, "approved_by", &d.meta.approved_by);
        }
        for r in &c.risks {
            self.person(&r.loc, "owner", &r.value.owner);
            if let Some(a) = &r.value.accepted_by {
                self.person(&r.loc, "accepted_by", a);
            }
        }
        for r in &c.identities {
            if let Some(o) = &r.value.owner {
                self.person(&r.loc, "owner", o);
            }
        }
        for r in &c.evidence {
            self.person(&r.loc, "performed_by", &r.value.performed_by);
            if let Some(a) = &r.value.approved_by {
                self.person(&r.loc, "approved_by", a);
            }
        }
        for d in &c.reviews {
            for (i, a) in d.meta.attendees.iter().enumerate() {
                self.person(&d.loc, &format!("attendees/{i}"), a);
            }
            if let Some(a) = &d.meta.auditor {
                self.person(&d.loc, "auditor", a);
            }
            for (i, a) in d.meta.actions.iter().enumerate() {
                self.person(&d.loc, &format!("actions/{i}/owner"), &a.owner);
            }
        }
    }

    fn policies(&mut self) {
        let c = self.content;
        let end = self.period().map(|p| p.end);
        for d in &c.policies {
            for (i, id) in d.meta.controls.iter().enumerate() {
                self.control_ref(&d.loc, &format!("controls/{i}"), id);
            }
            if let Some(end) = end {
                let due = d
                    .meta
                    .approved_on
                    .checked_add_months(Months::new(d.meta.review_interval_months));
                if let Some(due) = due {
                    if due < end {
                        self.push(
                            d.loc.file,
                            d.loc.field("approved_on"),
                            codes::POLICY_REVIEW_OVERDUE,
                            format!(
                                "policy `{}` was due for review on {due} (approved {}, every {} months)",
                                d.meta.id, d.meta.approved_on, d.meta.review_interval_months
                            ),
                        );
                    }
                }
            }
        }
    }

    fn controls(&mut self) {
        let c = self.content;
        let index = self.index;
        let declared: Vec<&str> = c
            .pack
            .as_ref()
            .map(|p| p.value.frameworks.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let cat = catalogs();
        for r in &c.controls {
            let ctl = &r.value;
            for (i, id) in ctl.policies.iter().enumerate() {
                self.reference(
                    &r.loc,
                    &format!("policies/{i}"),
                    id,
                    &index.policies,
                    codes::UNKNOWN_POLICY,
                    "policy",
                );
            }
            if ctl.owner == ctl.operator {
                self.push(
                    r.loc.file,
                    r.loc.field("operator"),
                    codes::OWNER_IS_OPERATOR,
                    format!(
                        "control `{}` is owned and operated by `{}`",
                        ctl.id, ctl.owner
                    ),
                );
            }
            for (fw, ids) in &ctl.maps {
                if !catalog::FRAMEWORKS.contains(&fw.as_str()) {
                    self.push_hint(
                        r.loc.file,
                        r.loc.field(&format!("maps/{fw}")),
                        codes::UNKNOWN_FRAMEWORK_ID,
                        format!("unknown framework `{fw}`"),
                        format!("known frameworks: {}", catalog::FRAMEWORKS.join(", ")),
                    );
                    continue;
                }
                if c.pack.is_some() && !declared.contains(&fw.as_str()) {
                    self.push_hint(
                        r.loc.file,
                        r.loc.field(&format!("maps/{fw}")),
                        codes::UNDECLARED_FRAMEWORK,
                        format!(
                            "control `{}` maps to `{fw}`, which pack.yaml does not declare",
                            ctl.id
                        ),
                        "add it to `frameworks:` in pack.yaml or remove the mapping".into(),
                    );
                }
                for (i, id) in ids.iter().enumerate() {
                    if !cat.contains(fw, id) {
                        let sugg = cat.suggest(fw, id);
                        let hint = if sugg.is_empty() {
                            format!("no such id in the embedded {fw} catalog")
                        } else {
                            format!(
                                "did you mean {}?",
                                sugg.iter()
                                    .map(|s| format!("`{s}`"))
                                    .collect::<Vec<_>>()
                                    .join(" or ")
                            )
                        };
                        self.push_hint(
                            r.loc.file,
                            r.loc.field(&format!("maps/{fw}/{i}")),
                            codes::UNKNOWN_FRAMEWORK_ID,
                            format!("`{id}` is not in the {fw} catalog"),
                            hint,
                        );
                    }
                }
            }
        }
    }

    fn soa(&mut self) {
        let c = self.content;
        let cat = catalogs();
        let mut mapped: BTreeSet<&str> = BTreeSet::new();
        for r in &c.controls {
            if let Some(ids) = r.value.maps.get(catalog::ISO27001) {
                mapped.extend(ids.iter().map(String::as_str));
            }
        }
        let mut excluded: BTreeSet<&str> = BTreeSet::new();
        for r in &c.soa {
            let d = &r.value;
            if cat.iso.annex(&d.annex_a).is_none() {
                let sugg = cat.suggest(catalog::ISO27001, &d.annex_a);
                self.push_hint(
                    r.loc.file,
                    r.loc.field("annex_a"),
                    codes::UNKNOWN_FRAMEWORK_ID,
                    format!("`{}` is not an ISO 27001:2022 Annex A control", d.annex_a),
                    if sugg.is_empty() {
                        "Annex A ids run 5.1-5.37, 6.1-6.8, 7.1-7.14, 8.1-8.34, without the `A.` prefix".into()
                    } else {
                        format!("did you mean `{}`?", sugg[0])
                    },
                );
                continue;
            }
            if d.applicable == Some(false) {
                excluded.insert(&d.annex_a);
                if d.justification
                    .as_deref()
                    .is_none_or(|j| j.trim().is_empty())
                {
                    self.push(
                        r.loc.file,
                        r.loc.place(),
                        codes::SOA_NO_JUSTIFICATION,
                        format!("Annex A {} is excluded without a justification", d.annex_a),
                    );
                }
                if mapped.contains(d.annex_a.as_str()) {
                    let by: Vec<&str> = c
                        .controls
                        .iter()
                        .filter(|ctl| {
                            ctl.value
                                .maps
                                .get(catalog::ISO27001)
                                .is_some_and(|ids| ids.contains(&d.annex_a))
                        })
                        .map(|ctl| ctl.value.id.as_str())
                        .collect();
                    self.push(
                        r.loc.file,
                        r.loc.field("applicable"),
                        codes::SOA_EXCLUDED_MAPPED,
                        format!(
                            "Annex A {} is excluded, but control(s) {} map to it",
                            d.annex_a,
                            by.join(", ")
                        ),
                    );
                }
            }
        }
        let soa_file = self
            .report
            .file_index("soa.yaml")
            .or_else(|| self.content.pack.as_ref().map(|p| p.loc.file));
        let Some(file) = soa_file else {
            return;
        };
        for a in &cat.iso.annex_a {
            if !mapped.contains(a.id.as_str()) && !excluded.contains(a.id.as_str()) {
                self.push_hint(
                    file,
                    Place::Start,
                    codes::SOA_UNDECIDED,
                    format!("Annex A {} ({}) is neither mapped by a control nor excluded", a.id, a.title),
                    "map a control to it in controls/, or exclude it in soa.yaml with a justification".into(),
                );
            }
        }
    }

    fn risks(&mut self) {
        let c = self.content;
        for r in &c.risks {
            let risk = &r.value;
            for (i, id) in risk.controls.iter().enumerate() {
                self.control_ref(&r.loc, &format!("controls/{i}"), id);
            }
            if risk.treatment == Treatment::Accept && risk.accepted_by.is_none() {
                self.push_hint(
                    r.loc.file,
                    r.loc.field("treatment"),
                    codes::ACCEPTANCE_MISSING,
                    format!("risk `{}` is accepted but names no `accepted_by`", risk.id),
                    "name the person who accepted the risk (ISO 27001 6.1.3 f)".into(),
                );
            }
            let mut scores = vec![("likelihood", risk.likelihood), ("impact", risk.impact)];
            if let Some(res) = &risk.residual {
                scores.push(("residual/likelihood", res.likelihood));
                scores.push(("residual/impact", res.impact));
            }
            for (field, v) in scores {
                if !(1..=5).contains(&v) {
                    self.push(
                        r.loc.file,
                        r.loc.field(field),
                        codes::OUT_OF_RANGE,
                        format!("`{field}` is {v}; scores run from 1 to 5"),
                    );
                }
            }
        }
    }

    fn identities(&mut self) {
        let c = self.content;
        for r in &c.identities {
            if r.value.owner.is_none() {
                self.push_hint(
                    r.loc.file,
                    r.loc.place(),
                    codes::IDENTITY_UNOWNED,
                    format!("non-human identity `{}` is owned by nobody", r.value.id),
                    "name an accountable person in `owner:`".into(),
                );
            }
        }
    }

    fn evidence(&mut self) {
        let c = self.content;
        let index = self.index;
        let period = self.period();
        for r in &c.evidence {
            let ev = &r.value;
            for (i, id) in ev.controls.iter().enumerate() {
                self.control_ref(&r.loc, &format!("controls/{i}"), id);
            }
            if let Some(id) = &ev.identity {
                self.reference(
                    &r.loc,
                    "identity",
                    id,
                    &index.identities,
                    codes::UNKNOWN_IDENTITY,
                    "non-human identity",
                );
            }
            match (ev.result, &ev.exception) {
                (Outcome::Exception, None) => self.push_hint(
                    r.loc.file,
                    r.loc.field("result"),
                    codes::EXCEPTION_MISSING,
                    format!("evidence `{}` is an exception but has no `exception:` block", ev.id),
                    "describe it with `exception: { description, management_response, remediated_on }`".into(),
                ),
                (Outcome::Pass, Some(_)) => self.push(
                    r.loc.file,
                    r.loc.field("exception"),
                    codes::EXCEPTION_MISSING,
                    format!("evidence `{}` passed but carries an `exception:` block", ev.id),
                ),
                _ => {}
            }
            if ev.approved_by.as_deref() == Some(ev.performed_by.as_str()) {
                self.push(
                    r.loc.file,
                    r.loc.field("approved_by"),
                    codes::SEGREGATION,
                    format!(
                        "`{}` both performed and approved evidence `{}`",
                        ev.performed_by, ev.id
                    ),
                );
            }
            if let Some(p) = period {
                if !p.contains(ev.occurred_on) {
                    self.push(
                        r.loc.file,
                        r.loc.field("occurred_on"),
                        codes::OUTSIDE_PERIOD,
                        format!(
                            "evidence `{}` is dated {}, outside the period {} to {}",
                            ev.id, ev.occurred_on, p.start, p.end
                        ),
                    );
                }
            }
            for (i, att) in ev.attachments.iter().enumerate() {
                self.attachment(&r.loc, i, att);
            }
        }
    }

    fn attachment(&mut self, loc: &Loc, i: usize, path: &str) {
        let field = format!("attachments/{i}");
        if let Err(why) = check_attachment_path(path) {
            self.push_hint(
                loc.file,
                loc.field(&field),
                codes::ATTACHMENT_PATH,
                format!("attachment path `{path}` {why}"),
                "write a plain relative path inside attachments/, e.g. `access-reviews/2026-q1.csv`".into(),
            );
            return;
        }
        match self.content.attachments.get(path).map(|a| a.kind) {
            None => self.push(
                loc.file,
                loc.field(&field),
                codes::ATTACHMENT_MISSING,
                format!("attachment `attachments/{path}` does not exist"),
            ),
            Some(AttachmentKind::Symlink) => self.push(
                loc.file,
                loc.field(&field),
                codes::ATTACHMENT_SYMLINK,
                format!(
                    "attachment `attachments/{path}` is a symbolic link; links are never followed"
                ),
            ),
            Some(AttachmentKind::Other) => self.push(
                loc.file,
                loc.field(&field),
                codes::ATTACHMENT_NOT_FILE,
                format!("attachment `attachments/{path}` is not a regular file"),
            ),
            Some(AttachmentKind::File) => {}
        }
    }

    fn reviews(&mut self) {
        let c = self.content;
        let index = self.index;
        for d in &c.reviews {
            for (field, ids) in [
                ("findings", &d.meta.findings),
                ("relates_to", &d.meta.relates_to),
            ] {
                for (i, id) in ids.iter().enumerate() {
                    let known = index.controls.contains_key(id.as_str())
                        || index.risks.contains_key(id.as_str())
                        || index.reviews.contains_key(id.as_str())
                        || index.policies.contains_key(id.as_str());
                    if !known {
                        self.push_hint(
                            d.loc.file,
                            d.loc.field(&format!("{field}/{i}")),
                            codes::UNKNOWN_RECORD,
                            format!("`{id}` is not a control, risk, policy or review id"),
                            "findings and relates_to name control, risk, policy or review ids"
                                .into(),
                        );
                    }
                }
            }
        }
    }

    fn populations(&mut self) {
        let c = self.content;
        let period = self.period();
        for pop in &c.populations {
            if !self.index.controls.contains_key(pop.control.as_str()) {
                self.push_hint(
                    pop.file,
                    Place::Start,
                    codes::POPULATION,
                    format!("population for unknown control `{}`", pop.control),
                    "name the file after the control: populations/<control-id>.csv".into(),
                );
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
                if let Some(p) = period {
                    if !p.contains(row.occurred_on) {
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

    /// Every Markdown text of the pack, with where it sits, for link checks.
    fn markdown_links(&mut self) {
        let c = self.content;
        // (file, place of the text, absolute first line if known, text)
        let mut texts: Vec<(usize, Place, Option<usize>, &str)> = Vec::new();
        let field = |loc: &Loc, f: &str| loc.field(f);
        if let Some(p) = &c.pack {
            texts.push((
                p.loc.file,
                field(&p.loc, "scope/statement"),
                None,
                &p.value.scope.statement,
            ));
            texts.push((
                p.loc.file,
                field(&p.loc, "system/description"),
                None,
                &p.value.system.description,
            ));
            if let Some(t) = &p.value.system.commitments {
                texts.push((p.loc.file, field(&p.loc, "system/commitments"), None, t));
            }
            for (i, t) in p
                .value
                .system
                .complementary_user_entity_controls
                .iter()
                .enumerate()
            {
                texts.push((
                    p.loc.file,
                    field(
                        &p.loc,
                        &format!("system/complementary_user_entity_controls/{i}"),
                    ),
                    None,
                    t,
                ));
            }
        }
        for d in &c.policies {
            texts.push((d.loc.file, Place::Start, Some(d.body_line), &d.body));
        }
        for d in &c.reviews {
            texts.push((d.loc.file, Place::Start, Some(d.body_line), &d.body));
        }
        for r in &c.controls {
            texts.push((
                r.loc.file,
                field(&r.loc, "description"),
                None,
                &r.value.description,
            ));
            if let Some(t) = &r.value.test_procedure {
                texts.push((r.loc.file, field(&r.loc, "test_procedure"), None, t));
            }
        }
        for r in &c.risks {
            if let Some(t) = &r.value.description {
                texts.push((r.loc.file, field(&r.loc, "description"), None, t));
            }
        }
        for r in &c.identities {
            if let Some(t) = &r.value.description {
                texts.push((r.loc.file, field(&r.loc, "description"), None, t));
            }
        }
        for r in &c.evidence {
            if let Some(t) = &r.value.summary {
                texts.push((r.loc.file, field(&r.loc, "summary"), None, t));
            }
            if let Some(x) = &r.value.exception {
                texts.push((
                    r.loc.file,
                    field(&r.loc, "exception/description"),
                    None,
                    &x.description,
                ));
                texts.push((
                    r.loc.file,
                    field(&r.loc, "exception/management_response"),
                    None,
                    &x.management_response,
                ));
            }
        }
        let index = self.index;
        let broken: Vec<(usize, Place, String)> = texts
            .par_iter()
            .flat_map_iter(|(file, place, first_line, text)| {
                links::find(text)
                    .into_iter()
                    .filter(|l| !index.resolves(l.kind, &l.id))
                    .map(|l| {
                        let place = match first_line {
                            Some(first) => {
                                let (line, col) = links::line_col(text, l.offset);
                                Place::Line(first + line - 1, col)
                            }
                            None => match place {
                                Place::Pointer(ptr) if text.contains('\n') => {
                                    let (line, col) = links::line_col(text, l.offset);
                                    Place::InBlock(ptr.clone(), line, col)
                                }
                                _ => place.clone(),
                            },
                        };
                        (
                            *file,
                            place,
                            format!("link to unknown {} `{}`", l.kind.scheme(), l.id),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        for (file, place, message) in broken {
            self.push(file, place, codes::BROKEN_LINK, message);
        }
    }

    /// Warnings about controls whose evidence does not cover the period.
    fn coverage(&mut self) {
        let c = self.content;
        let Some(period) = self.period() else {
            return;
        };
        let mut dates: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
        for r in &c.evidence {
            if period.contains(r.value.occurred_on) {
                for id in &r.value.controls {
                    dates
                        .entry(id.as_str())
                        .or_default()
                        .push(r.value.occurred_on);
                }
            }
        }
        for pop in &c.populations {
            for row in &pop.rows {
                if period.contains(row.occurred_on) {
                    dates
                        .entry(pop.control.as_str())
                        .or_default()
                        .push(row.occurred_on);
                }
            }
        }
        for r in &c.controls {
            let ctl = &r.value;
            let Some(ds) = dates.get(ctl.id.as_str()) else {
                self.push_hint(
                    r.loc.file,
                    r.loc.field("id"),
                    codes::NO_EVIDENCE,
                    format!(
                        "control `{}` has no evidence in the period {} to {}",
                        ctl.id, period.start, period.end
                    ),
                    "add evidence records that name this control, or a population CSV".into(),
                );
                continue;
            };
            let missing = uncovered_intervals(ctl.frequency, period.start, period.end, ds);
            if !missing.is_empty() {
                let shown: Vec<&str> = missing.iter().take(6).map(String::as_str).collect();
                let more = if missing.len() > 6 {
                    format!(" and {} more", missing.len() - 6)
                } else {
                    String::new()
                };
                self.push(
                    r.loc.file,
                    r.loc.field("frequency"),
                    codes::FREQUENCY_GAP,
                    format!(
                        "{} control `{}` has no evidence in {}{}",
                        ctl.frequency,
                        ctl.id,
                        shown.join(", "),
                        more
                    ),
                );
            }
        }
    }

    /// Late and overdue rotations of non-human identities (the same analysis both bundles show).
    fn rotations(&mut self) {
        let c = self.content;
        let Some(period) = self.period() else {
            return;
        };
        for review in identities::review(c, self.index, period) {
            let Some(&i) = self.index.identities.get(review.identity.id.as_str()) else {
                continue;
            };
            let loc = &c.identities[i].loc;
            for late in &review.late {
                let code = match late.until {
                    Until::Rotation(_) => codes::ROTATION_LATE,
                    Until::PeriodEnd | Until::Decommissioned => codes::ROTATION_OVERDUE,
                };
                self.push(loc.file, loc.field("rotation_days"), code, late.describe());
            }
        }
    }

    /// The secret-leak guard over every content file (YAML, Markdown, CSV: each scanned whole,
    /// so positions are exact). Attachments are scanned where they are read
    /// ([`SecretGuard::finish`]).
    fn secrets(&mut self) -> SecretGuard {
        let c = self.content;
        let findings: Vec<(usize, secrets::Finding)> = c
            .files
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, f)| secrets::scan(&f.text).into_iter().map(move |x| (i, x)))
            .collect();
        let mut guard = SecretGuard::default();
        for (file, finding) in findings {
            guard.report(c, self.report, file, &finding);
        }
        guard
    }
}

/// A secret found in an attachment: its path under `attachments/` and the finding.
pub type AttachmentSecret = (String, secrets::Finding);

/// The secret guard between [`validate`] and the reads of the attachments: which of
/// `secrets.allow`'s fingerprints matched so far. [`SecretGuard::finish`] reports the findings
/// in attachments and the allowed fingerprints that matched nothing.
#[derive(Debug, Default)]
#[must_use = "SecretGuard::finish reports the attachments' findings and unused allow entries"]
pub struct SecretGuard {
    used: HashSet<String>,
}

impl SecretGuard {
    /// Reports `found` (each attachment's findings, from [`scan_attachments`] or from the reads
    /// that copy them), then every `secrets.allow` entry that matched no finding.
    pub fn finish(
        mut self,
        content: &Content,
        report: &mut Report,
        mut found: Vec<AttachmentSecret>,
    ) {
        found.sort_by(|a, b| (&a.0, a.1.line, a.1.col).cmp(&(&b.0, b.1.line, b.1.col)));
        for (rel, finding) in found {
            let rel = format!("attachments/{rel}");
            let file = match report.file_index(&rel) {
                Some(i) => i,
                None => report.add_file(&rel),
            };
            self.report(content, report, file, &finding);
        }
        if let Some(p) = &content.pack {
            for (i, fp) in p.value.secrets.allow.iter().enumerate() {
                if !self.used.contains(fp) {
                    report.push(
                        p.loc.file,
                        p.loc.field(&format!("secrets/allow/{i}")),
                        codes::UNUSED_ALLOW,
                        format!("`{fp}` matches no finding; remove it from secrets.allow"),
                        None,
                    );
                }
            }
        }
    }

    /// Reports one finding in `file`, unless `secrets.allow` lists its fingerprint.
    fn report(
        &mut self,
        content: &Content,
        report: &mut Report,
        file: usize,
        f: &secrets::Finding,
    ) {
        let allowed = content
            .pack
            .as_ref()
            .is_some_and(|p| p.value.secrets.allow.contains(&f.fingerprint));
        if allowed {
            self.used.insert(f.fingerprint.clone());
            return;
        }
        report.push(
            file,
            Place::Line(f.line, f.col),
            codes::SECRET,
            format!("possible {} ({}), fingerprint {}; the value is not shown", f.rule_name, f.rule_id, f.fingerprint),
            Some(format!("remove it and rotate the credential; if it is a reviewed false positive, add \"{}\" to secrets.allow in pack.yaml", f.fingerprint)),
        );
    }
}

/// Scans every attachment file for secrets, in parallel, except those `skip` names (paths under
/// `attachments/`; the build skips those it reads anyway to copy or hash them). An attachment
/// that cannot be read is not scanned: validation has reported it.
pub fn scan_attachments(
    content: &Content,
    skip: impl Fn(&str) -> bool + Sync,
) -> Vec<AttachmentSecret> {
    content
        .attachments
        .par_iter()
        .filter(|(rel, a)| a.kind == AttachmentKind::File && !skip(rel))
        .flat_map_iter(|(rel, a)| {
            secrets::scan_file(&a.path)
                .unwrap_or_default()
                .into_iter()
                .map(move |x| (rel.clone(), x))
        })
        .collect()
}

/// Check an attachment path: plain, relative, portable, NFC.
pub fn check_attachment_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("is empty");
    }
    if path.starts_with('/') || path.starts_with('\\') {
        return Err("is absolute");
    }
    if path.contains('\\') {
        return Err("uses a backslash; use `/`");
    }
    let bytes = path.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return Err("has a drive prefix");
    }
    if path.chars().any(|ch| ch.is_control()) {
        return Err("contains a control character");
    }
    if !is_nfc(path) {
        return Err("is not in Unicode NFC form");
    }
    for part in path.split('/') {
        match part {
            "" => return Err("has an empty component"),
            "." | ".." => return Err("has a `.` or `..` component"),
            _ => {}
        }
        let stem = part.split('.').next().unwrap_or("").to_ascii_uppercase();
        let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
            || ((stem.starts_with("COM") || stem.starts_with("LPT"))
                && stem.len() == 4
                && stem.as_bytes()[3].is_ascii_digit()
                && stem.as_bytes()[3] != b'0');
        if reserved {
            return Err("uses a name reserved on Windows (CON, NUL, COM1 …)");
        }
        if part.ends_with(' ') || part.ends_with('.') {
            return Err("has a component ending in a space or dot");
        }
    }
    Ok(())
}

/// Labels of the intervals of `freq` inside `start..=end` that hold none of `dates`.
pub fn uncovered_intervals(
    freq: Frequency,
    start: NaiveDate,
    end: NaiveDate,
    dates: &[NaiveDate],
) -> Vec<String> {
    let key: fn(NaiveDate) -> (i32, u32) = match freq {
        Frequency::Annual => |d| (d.year(), 0),
        Frequency::Semiannual => |d| (d.year(), (d.month0() / 6) + 1),
        Frequency::Quarterly => |d| (d.year(), (d.month0() / 3) + 1),
        Frequency::Monthly => |d| (d.year(), d.month()),
        Frequency::Weekly | Frequency::Daily | Frequency::MultipleDaily => |d| {
            let w = d.iso_week();
            (w.year(), w.week())
        },
        Frequency::OnEvent | Frequency::Continuous => return Vec::new(),
    };
    let label = |k: (i32, u32)| match freq {
        Frequency::Annual => format!("{}", k.0),
        Frequency::Semiannual => format!("{}-H{}", k.0, k.1),
        Frequency::Quarterly => format!("{}-Q{}", k.0, k.1),
        Frequency::Monthly => format!("{}-{:02}", k.0, k.1),
        _ => format!("{}-W{:02}", k.0, k.1),
    };
    let have: HashSet<(i32, u32)> = dates.iter().map(|d| key(*d)).collect();
    let mut missing = Vec::new();
    let mut seen = HashSet::new();
    let mut day = start;
    while day <= end {
        let k = key(day);
        if seen.insert(k) && !have.contains(&k) {
            missing.push(label(k));
        }
        day = match day.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    #[test]
    fn attachment_paths_are_plain_and_relative() {
        assert!(check_attachment_path("access-reviews/2026-q1.csv").is_ok());
        for bad in [
            "../etc/passwd",
            "a/../../b",
            "/etc/passwd",
            "C:/x.txt",
            "a\\b.txt",
            "logs/CON.txt",
            "nul",
            "COM1.log",
            "a//b",
            "./a",
            "cafe\u{301}.txt",
        ] {
            assert!(check_attachment_path(bad).is_err(), "{bad}");
        }
        assert!(check_attachment_path("COM0.txt").is_ok());
        assert!(check_attachment_path("console.txt").is_ok());
    }

    #[test]
    fn quarterly_coverage_names_the_missing_quarter() {
        let missing = uncovered_intervals(
            Frequency::Quarterly,
            d("2026-01-01"),
            d("2026-06-30"),
            &[d("2026-02-10")],
        );
        assert_eq!(missing, vec!["2026-Q2"]);
    }

    #[test]
    fn monthly_coverage_counts_every_month() {
        let dates: Vec<NaiveDate> = (1..=6).map(|m| d(&format!("2026-{m:02}-15"))).collect();
        assert!(
            uncovered_intervals(Frequency::Monthly, d("2026-01-01"), d("2026-06-30"), &dates)
                .is_empty()
        );
        assert_eq!(
            uncovered_intervals(
                Frequency::Monthly,
                d("2026-01-01"),
                d("2026-06-30"),
                &dates[..5]
            ),
            vec!["2026-06"]
        );
        assert!(
            uncovered_intervals(Frequency::OnEvent, d("2026-01-01"), d("2026-06-30"), &[])
                .is_empty()
        );
    }
}
