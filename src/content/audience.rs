//! Audience packs: what a pack built for one audience may contain.
//!
//! `pack.yaml` gives each audience the most sensitive classification it may receive
//! (`audiences: { customer: { max_classification: internal } }`). A build for an audience
//! withholds every policy, evidence record, non-human identity and review classified above
//! that, and every attachment such a record names, even when a visible record names the same
//! file. Controls and risks carry no classification and are always shown.
//!
//! Withholding hides content, never the facts the reports are computed from: SOC 2 populations,
//! samples, exception counts, rotation lateness and control status are computed from every
//! record, so each audience sees the same samples and the same conclusions. A withheld record
//! shows only its id, kind, dates, people, links to other records and result; its title, text,
//! source, system, attachments and `extra` never reach a bundle.
//!
//! How the pieces use this module:
//!
//! * [`Redactions::for_audience`] decides what is withheld; an audience that pack.yaml does not
//!   define is a usage error naming the defined ones;
//! * the SOC 2 renderer redacts its own views (it samples from the full content);
//! * the ISO renderer, which shows records as they are, renders from [`Redactions::redact`]'s
//!   copy of the content, in which each withheld record keeps only the fields listed above;
//! * Markdown links to a withheld record render as `<span class="withheld">` text
//!   (by the Markdown renderer), and every bundle lists what was withheld on its redaction
//!   log page, `redactions.html`.
//!
//! Besides records, an audience receives only its sections ([`Sections`], pack.yaml
//! `audiences.<name>.sections`): the pages of the others are not written, links to them read as
//! withheld (`crate::render::sections`), and without the `evidence` section no attachment or
//! export is stored.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use anyhow::{bail, Result};
use serde::Serialize;

use crate::content::links::LinkKind;
use crate::content::model::{
    Classification, Evidence, ExceptionDetail, HistoryEntry, Identity, PolicyMeta, ReviewMeta,
};
use crate::content::sections::Sections;
use crate::content::{Content, Document, Record, Unparsed};
use crate::diag::{codes, Diagnostic, Positions, RecordKind, Severity, Subject};

/// Title a withheld record carries in the copy the ISO bundle renders from.
pub const WITHHELD_TITLE: &str = "Withheld from this pack";

/// One record left out of a pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withheld {
    /// Its kind as written in links: `policy`, `evidence`, `identity` or `review`.
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// Its classification.
    pub classification: Classification,
    /// Why it was withheld, in words (names the classification and the audience's limit).
    pub reason: String,
}

/// What a pack built for one audience leaves out.
#[derive(Debug)]
pub struct Redactions {
    /// The audience (`auditor`, `customer`).
    pub audience: String,
    /// The most sensitive classification the audience receives.
    pub max: Classification,
    /// Every withheld record, sorted by kind then id.
    pub records: Vec<Withheld>,
    /// Every withheld attachment (paths under `attachments/`): those a withheld record names.
    pub attachments: BTreeSet<String>,
    /// Withheld ids by kind, for lookups.
    ids: HashMap<LinkKind, HashSet<String>>,
    /// The records that give no classification and took the pack's default, withheld or not.
    pub defaulted: Vec<Defaulted>,
    /// That default, and why it is the default, in words
    /// ([`Content::default_classification`]).
    pub default_classification: (Classification, &'static str),
    /// The sections of the bundles the audience receives.
    pub sections: Sections,
}

/// A record without `classification` that took the pack's default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Defaulted {
    /// Its kind as written in links.
    pub kind: &'static str,
    /// Its id.
    pub id: String,
    /// Whether the audience does not see it.
    pub withheld: bool,
}

impl Redactions {
    /// A pack for `audience` that withholds nothing (the audience sees every classification).
    pub fn none(audience: &str) -> Redactions {
        Redactions {
            audience: audience.to_string(),
            max: Classification::Restricted,
            records: Vec::new(),
            attachments: BTreeSet::new(),
            ids: HashMap::new(),
            defaulted: Vec::new(),
            default_classification: (Classification::Restricted, ""),
            sections: Sections::all(),
        }
    }

    /// What a pack for `audience` withholds from `content` (which passed `check`).
    ///
    /// The audience must be defined under `audiences:` in pack.yaml; otherwise this is an error
    /// that names the defined audiences. A pack.yaml without any `audiences:` builds for the
    /// `auditor` alone, who then sees everything.
    pub fn for_audience(content: &Content, audience: &str) -> Result<Redactions> {
        let Some(pack) = content.pack.as_ref().map(|p| &p.value) else {
            bail!("pack.yaml is missing");
        };
        let (max, sections) = match pack.audiences.get(audience) {
            Some(a) => (
                a.max_classification,
                Sections::declared(audience, a.sections.as_deref()),
            ),
            None if pack.audiences.is_empty() && audience == "auditor" => {
                let mut r = Redactions::none(audience);
                r.note_defaults(content);
                return Ok(r);
            }
            None if pack.audiences.is_empty() => bail!(
                "audience `{audience}` is not defined: pack.yaml has no `audiences:`; add \
                 `audiences: {{ {audience}: {{ max_classification: internal }} }}`"
            ),
            None => bail!(
                "audience `{audience}` is not defined in pack.yaml; defined audiences: {}",
                pack.audiences
                    .keys()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let evidence_shown = sections.shows(crate::content::sections::Section::Evidence);
        let mut r = Redactions {
            max,
            sections,
            ..Redactions::none(audience)
        };
        let mut add = |kind: LinkKind, id: &str, c: Classification| {
            if c > max {
                r.records.push(Withheld {
                    kind: kind.scheme(),
                    id: id.to_string(),
                    classification: c,
                    reason: format!(
                        "classified {}, above what the {audience} audience receives ({})",
                        c.as_str(),
                        max.as_str()
                    ),
                });
                r.ids.entry(kind).or_default().insert(id.to_string());
                true
            } else {
                false
            }
        };
        for d in &content.policies {
            add(LinkKind::Policy, &d.meta.id, d.meta.classification);
        }
        for rec in &content.identities {
            add(LinkKind::Identity, &rec.value.id, rec.value.classification);
        }
        for d in &content.reviews {
            add(LinkKind::Review, &d.meta.id, d.meta.classification);
        }
        let mut attachments = BTreeSet::new();
        for rec in &content.evidence {
            let withheld = add(LinkKind::Evidence, &rec.value.id, rec.value.classification);
            if withheld || !evidence_shown {
                attachments.extend(rec.value.attachments.iter().cloned());
            }
        }
        r.attachments = attachments;
        r.records
            .sort_by(|a, b| (a.kind, a.id.as_bytes()).cmp(&(b.kind, b.id.as_bytes())));
        r.note_defaults(content);
        Ok(r)
    }

    /// Record which records took the default classification, and say so in the reason of
    /// those withheld.
    fn note_defaults(&mut self, content: &Content) {
        let (level, why) = content.default_classification();
        self.default_classification = (level, why);
        for (kind, id) in content.unclassified_records() {
            let withheld = self.is_withheld(kind, id);
            if withheld {
                if let Some(w) = self
                    .records
                    .iter_mut()
                    .find(|w| w.kind == kind.scheme() && w.id == id)
                {
                    w.reason = format!(
                        "gives no classification, so counts as {}, {why}; {}",
                        level.as_str(),
                        w.reason
                    );
                }
            }
            self.defaulted.push(Defaulted {
                kind: kind.scheme(),
                id: id.to_string(),
                withheld,
            });
        }
        self.defaulted
            .sort_by(|a, b| (a.kind, a.id.as_bytes()).cmp(&(b.kind, b.id.as_bytes())));
    }

    /// A pack that withholds the one record `kind:id` (for tests of the renderers).
    #[cfg(test)]
    pub(crate) fn withholding(kind: LinkKind, id: &str) -> Redactions {
        let mut r = Redactions {
            max: Classification::Internal,
            ..Redactions::none("customer")
        };
        r.records.push(Withheld {
            kind: kind.scheme(),
            id: id.to_string(),
            classification: Classification::Confidential,
            reason: "test".into(),
        });
        r.ids.entry(kind).or_default().insert(id.to_string());
        r
    }

    /// True when the record `kind:id` is withheld.
    pub fn is_withheld(&self, kind: LinkKind, id: &str) -> bool {
        self.ids.get(&kind).is_some_and(|ids| ids.contains(id))
    }

    /// True when nothing is withheld.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The build's diagnostic when `audience` is not one pack.yaml declares (`E100`, at its
    /// `audiences:`, naming those it declares); `None` when it is, or when the pack declares
    /// none and the audience is the `auditor` (who then sees everything).
    pub fn undeclared(content: &Content, audience: &str) -> Option<Diagnostic> {
        let pack = content.pack.as_ref()?;
        let declared = &pack.value.audiences;
        if declared.contains_key(audience) || (declared.is_empty() && audience == "auditor") {
            return None;
        }
        let file = content.files.get(pack.loc.file)?;
        let (line, column) = Positions::build(file.yaml_text()).locate("/audiences");
        let names: Vec<&str> = declared.keys().map(String::as_str).collect();
        let (message, hint) = if names.is_empty() {
            (
                format!("audience `{audience}` is not declared: pack.yaml has no `audiences:`"),
                format!("add `audiences: {{ {audience}: {{ max_classification: internal }} }}`"),
            )
        } else {
            (
                format!(
                    "audience `{audience}` is not declared under `audiences:`; declared: {}",
                    names.join(", ")
                ),
                format!(
                    "declare it (`{audience}: {{ max_classification: internal, sections: [overview, soa, controls] }}`) or build for one of those"
                ),
            )
        };
        Some(Diagnostic {
            path: content.root.join(&file.rel).to_string_lossy().into_owned(),
            line: line + file.yaml_line_offset,
            column,
            severity: Severity::Error,
            code: codes::UNDECLARED_AUDIENCE.id,
            rule: codes::UNDECLARED_AUDIENCE.name,
            message,
            hint: Some(hint),
            subjects: Vec::new(),
        })
    }

    /// Why a record of classification `c` is withheld, as one sentence for a page.
    pub fn note(&self, c: Classification) -> String {
        format!(
            "Withheld from this pack: the record is classified {}, above what the {} audience receives ({}).",
            c.as_str(),
            self.audience,
            self.max.as_str()
        )
    }

    /// The warnings this audience may see: those about no withheld record.
    pub fn visible_warnings(&self, warnings: &[Diagnostic]) -> Vec<Diagnostic> {
        warnings
            .iter()
            .filter(|d| !d.subjects.iter().any(|s| self.withholds(s)))
            .cloned()
            .collect()
    }

    /// True when the record a diagnostic is about is withheld.
    fn withholds(&self, subject: &Subject) -> bool {
        let kind = match subject.kind {
            RecordKind::Policy => LinkKind::Policy,
            RecordKind::Identity => LinkKind::Identity,
            RecordKind::Evidence => LinkKind::Evidence,
            RecordKind::Review => LinkKind::Review,
            // Classified records only: people, controls, risks, SoA decisions and ISMS records
            // are shown.
            RecordKind::Person
            | RecordKind::Control
            | RecordKind::Risk
            | RecordKind::SoaDecision
            | RecordKind::Isms => return false,
        };
        self.is_withheld(kind, &subject.id)
    }

    /// A copy of `content` for renderers that show records as they are: every withheld record
    /// keeps its place (so indices and links stay valid) and its structure, and loses its
    /// title, text, source, system, attachments and `extra`; withheld attachments are gone.
    /// `None` when nothing is withheld (render from `content` itself).
    ///
    /// The copy carries no source files (`files` is empty): it is for rendering records only.
    /// Its records keep their places, ids and links, so the original's [`Content::index`] serves
    /// it too.
    pub fn redact(&self, content: &Content) -> Option<Content> {
        if self.is_empty() {
            return None;
        }
        let attachments: BTreeMap<_, _> = content
            .attachments
            .iter()
            .filter(|(rel, _)| !self.attachments.contains(*rel))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Some(Content {
            root: content.root.clone(),
            files: Vec::new(),
            pack: content.pack.clone(),
            people: content.people.clone(),
            policies: content.policies.iter().map(|d| self.policy(d)).collect(),
            controls: content.controls.clone(),
            soa: content.soa.clone(),
            risks: content.risks.clone(),
            identities: content
                .identities
                .iter()
                .map(|r| self.identity(r))
                .collect(),
            evidence: content.evidence.iter().map(|r| self.evidence(r)).collect(),
            populations: content.populations.clone(),
            isms: content.isms.clone(),
            reviews: content.reviews.iter().map(|d| self.review(d)).collect(),
            // A withheld record's review CSV is withheld with it: its rows' decisions go too.
            review_csvs: content
                .review_csvs
                .iter()
                .filter(|c| !self.attachments.contains(&c.attachment))
                .cloned()
                .collect(),
            attachments,
            index: OnceLock::new(),
            source_files: content.source_files.clone(),
            sources: content.sources.clone(),
            unclassified: content.unclassified.clone(),
            // Only a pack without errors is rendered, so nothing failed to parse.
            unparsed: Unparsed::default(),
            as_of: content.as_of,
        })
    }

    // Each of the following names every field of its record (no `..`), so a field added to
    // the model does not compile until someone decides whether a withheld record keeps it.

    fn policy(&self, d: &Document<PolicyMeta>) -> Document<PolicyMeta> {
        if !self.is_withheld(LinkKind::Policy, &d.meta.id) {
            return d.clone();
        }
        let PolicyMeta {
            id,
            title: _,
            owner,
            approved_by,
            approved_on,
            version,
            review_interval_months,
            classification,
            controls,
            extra: _,
            clauses,
            history,
        } = &d.meta;
        Document {
            meta: PolicyMeta {
                id: id.clone(),
                title: WITHHELD_TITLE.to_string(),
                owner: owner.clone(),
                approved_by: approved_by.clone(),
                approved_on: *approved_on,
                version: version.clone(),
                review_interval_months: *review_interval_months,
                classification: *classification,
                controls: controls.clone(),
                extra: None,
                // Which clause a policy documents is structure, not content: the clause index
                // still lists it (as withheld).
                clauses: clauses.clone(),
                // Version labels and dates are document control, kept; what changed is content.
                history: history
                    .iter()
                    .map(|h| HistoryEntry {
                        change: String::new(),
                        ..h.clone()
                    })
                    .collect(),
            },
            body: self.note(*classification),
            body_line: d.body_line,
            loc: d.loc.clone(),
        }
    }

    fn identity(&self, r: &Record<Identity>) -> Record<Identity> {
        if !self.is_withheld(LinkKind::Identity, &r.value.id) {
            return r.clone();
        }
        let Identity {
            id,
            kind,
            system: _,
            owner,
            description: _,
            created_on,
            rotation_days,
            decommissioned_on,
            classification,
            extra: _,
            accounts: _,
        } = &r.value;
        Record {
            value: Identity {
                id: id.clone(),
                kind: *kind,
                system: "withheld".to_string(),
                owner: owner.clone(),
                description: Some(self.note(*classification)),
                created_on: *created_on,
                rotation_days: *rotation_days,
                decommissioned_on: *decommissioned_on,
                classification: *classification,
                extra: None,
                accounts: Default::default(),
            },
            loc: r.loc.clone(),
        }
    }

    fn evidence(&self, r: &Record<Evidence>) -> Record<Evidence> {
        if !self.is_withheld(LinkKind::Evidence, &r.value.id) {
            return r.clone();
        }
        let Evidence {
            id,
            controls,
            kind,
            title: _,
            occurred_on,
            performed_by,
            approved_by,
            system: _,
            identity,
            identities,
            source: _,
            result,
            exception,
            classification,
            attachments: _,
            summary: _,
            extra: _,
            item,
            attributes,
            impact: _,
            covers,
        } = &r.value;
        let note = self.note(*classification);
        Record {
            value: Evidence {
                id: id.clone(),
                controls: controls.clone(),
                kind: *kind,
                title: WITHHELD_TITLE.to_string(),
                occurred_on: *occurred_on,
                performed_by: performed_by.clone(),
                approved_by: approved_by.clone(),
                system: None,
                identity: identity.clone(),
                identities: identities.clone(),
                source: None,
                result: *result,
                exception: exception.as_ref().map(|x| ExceptionDetail {
                    description: note.clone(),
                    management_response: note.clone(),
                    remediated_on: x.remediated_on,
                }),
                classification: *classification,
                attachments: Vec::new(),
                summary: Some(note),
                extra: None,
                item: item.clone(),
                // Attribute results are results, like `result`: the sample's figures stay.
                attributes: attributes.clone(),
                impact: None,
                covers: *covers,
            },
            loc: r.loc.clone(),
        }
    }

    fn review(&self, d: &Document<ReviewMeta>) -> Document<ReviewMeta> {
        if !self.is_withheld(LinkKind::Review, &d.meta.id) {
            return d.clone();
        }
        let ReviewMeta {
            id,
            kind,
            title: _,
            date,
            attendees,
            auditor,
            status,
            actions,
            findings,
            relates_to,
            classification,
            extra: _,
            what_happened: _,
            correction: _,
            root_cause: _,
            corrective_actions,
            owner,
            due,
            effectiveness,
        } = &d.meta;
        Document {
            meta: ReviewMeta {
                id: id.clone(),
                kind: *kind,
                title: Some(WITHHELD_TITLE.to_string()),
                date: *date,
                attendees: attendees.clone(),
                auditor: auditor.clone(),
                status: *status,
                actions: actions
                    .iter()
                    .map(|a| crate::content::model::Action {
                        title: None,
                        ..a.clone()
                    })
                    .collect(),
                findings: findings.clone(),
                relates_to: relates_to.clone(),
                classification: *classification,
                extra: None,
                what_happened: None,
                correction: None,
                root_cause: None,
                corrective_actions: corrective_actions.clone(),
                owner: owner.clone(),
                due: *due,
                // The review's date, reviewer and finding are results; how it was checked is text.
                effectiveness: effectiveness.as_ref().map(|e| {
                    crate::content::model::Effectiveness {
                        note: None,
                        ..e.clone()
                    }
                }),
            },
            body: self.note(*classification),
            body_line: d.body_line,
            loc: d.loc.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Report;

    fn pack(dir: &std::path::Path, audiences: &str) -> Content {
        let w = |rel: &str, text: &str| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        w(
            "pack.yaml",
            &format!(
                "organisation: {{ name: A }}\nscope: {{ statement: s }}\nsystem: {{ name: S, description: d }}\nperiod: {{ start: 2026-01-01, end: 2026-06-30 }}\nframeworks: [iso27001-2022]\n{audiences}"
            ),
        );
        w("people.yaml", "- { id: p, name: P }\n");
        w(
            "evidence/e.yaml",
            "- { id: E-1, controls: [C], kind: log, title: Open, occurred_on: 2026-02-01, performed_by: p, result: pass, attachments: [a.txt, shared.txt] }\n\
             - { id: E-2, controls: [C], kind: incident, title: Secret breach, occurred_on: 2026-02-02, performed_by: p, result: exception, classification: confidential, source: INC-7, system: db, attachments: [b.txt, shared.txt], summary: details, exception: { description: bad, management_response: fixed } }\n",
        );
        w("attachments/a.txt", "a");
        w("attachments/b.txt", "b");
        w("attachments/shared.txt", "s");
        let mut report = Report::new();
        crate::content::load(dir, &mut report).unwrap()
    }

    #[test]
    fn customers_lose_confidential_records_and_their_attachments() {
        let d = tempfile::tempdir().unwrap();
        let c = pack(
            d.path(),
            "audiences: { auditor: { max_classification: confidential }, customer: { max_classification: internal, sections: [evidence] } }\ndefault_classification: internal\n",
        );
        let r = Redactions::for_audience(&c, "customer").unwrap();
        assert_eq!(r.records.len(), 1);
        assert_eq!(r.records[0].kind, "evidence");
        assert_eq!(r.records[0].id, "E-2");
        assert!(r.records[0].reason.contains("confidential"));
        assert!(r.is_withheld(LinkKind::Evidence, "E-2"));
        assert!(!r.is_withheld(LinkKind::Evidence, "E-1"));
        assert!(!r.is_withheld(LinkKind::Policy, "E-2"));
        let att: Vec<&str> = r.attachments.iter().map(String::as_str).collect();
        assert_eq!(att, ["b.txt", "shared.txt"]);

        let shown = r.redact(&c).unwrap();
        let e2 = &shown.evidence[1].value;
        assert_eq!(e2.id, "E-2");
        assert_eq!(e2.title, WITHHELD_TITLE);
        assert_eq!((e2.source.as_deref(), e2.system.as_deref()), (None, None));
        assert!(e2.attachments.is_empty());
        let x = e2.exception.as_ref().unwrap();
        assert!(!x.description.contains("bad") && !x.management_response.contains("fixed"));
        assert!(!format!("{e2:?}").contains("Secret breach"));
        // Structure the analyses need stays.
        assert_eq!(e2.controls, ["C"]);
        assert_eq!(e2.result, crate::content::model::Outcome::Exception);
        assert_eq!(shown.evidence[0].value.title, "Open");
        let kept: Vec<&str> = shown.attachments.keys().map(String::as_str).collect();
        assert_eq!(kept, ["a.txt"]);

        let auditor = Redactions::for_audience(&c, "auditor").unwrap();
        assert!(auditor.is_empty() && auditor.redact(&c).is_none());
    }

    #[test]
    fn an_unclassified_record_takes_the_most_restrictive_audience_level_unless_the_pack_sets_one() {
        let audiences = "audiences: { auditor: { max_classification: confidential }, customer: { max_classification: internal } }\n";
        let d = tempfile::tempdir().unwrap();
        let c = pack(d.path(), audiences);
        assert_eq!(
            c.evidence[0].value.classification,
            Classification::Confidential
        );
        let r = Redactions::for_audience(&c, "customer").unwrap();
        assert!(r.is_withheld(LinkKind::Evidence, "E-1"));
        assert_eq!(
            r.defaulted,
            [Defaulted {
                kind: "evidence",
                id: "E-1".into(),
                withheld: true
            }]
        );
        assert!(r.records[0].reason.starts_with("gives no classification"));
        // E-2 gives its own.
        assert!(!r.records[1].reason.starts_with("gives no classification"));

        let d = tempfile::tempdir().unwrap();
        let c = pack(
            d.path(),
            &format!("{audiences}default_classification: public\n"),
        );
        assert_eq!(c.evidence[0].value.classification, Classification::Public);
        let d = tempfile::tempdir().unwrap();
        let c = pack(d.path(), "");
        assert_eq!(
            c.evidence[0].value.classification,
            Classification::Restricted
        );
        let r = Redactions::for_audience(&c, "auditor").unwrap();
        assert!(r.is_empty() && r.defaulted.len() == 1 && !r.defaulted[0].withheld);
    }

    #[test]
    fn without_the_evidence_section_no_attachment_is_stored() {
        let d = tempfile::tempdir().unwrap();
        let c = pack(
            d.path(),
            "audiences: { customer: { max_classification: internal }, board: { max_classification: confidential, sections: [risks] } }\n",
        );
        for audience in ["customer", "board"] {
            let r = Redactions::for_audience(&c, audience).unwrap();
            let att: Vec<&str> = r.attachments.iter().map(String::as_str).collect();
            assert_eq!(att, ["a.txt", "b.txt", "shared.txt"], "{audience}");
            assert!(!r
                .sections
                .shows(crate::content::sections::Section::Evidence));
        }
        let board = Redactions::for_audience(&c, "board").unwrap();
        assert!(board.records.is_empty());
        assert!(board
            .sections
            .shows(crate::content::sections::Section::Risks));
        assert!(!board.sections.shows(crate::content::sections::Section::Soa));
    }

    #[test]
    fn an_undeclared_audience_is_an_error_at_the_audiences_of_pack_yaml() {
        let d = tempfile::tempdir().unwrap();
        let c = pack(
            d.path(),
            "audiences:\n  auditor: { max_classification: confidential }\n  customer: { max_classification: internal }\n",
        );
        assert_eq!(Redactions::undeclared(&c, "customer"), None);
        let e = Redactions::undeclared(&c, "board").unwrap();
        assert_eq!((e.code, e.line, e.column), ("E100", 6, 1));
        assert!(e.path.ends_with("pack.yaml"), "{}", e.path);
        assert!(e.message.contains("`board`") && e.message.contains("auditor, customer"));

        let d = tempfile::tempdir().unwrap();
        let c = pack(d.path(), "");
        assert_eq!(Redactions::undeclared(&c, "auditor"), None);
        let e = Redactions::undeclared(&c, "customer").unwrap();
        assert_eq!((e.line, e.column), (1, 1));
        assert!(e.message.contains("no `audiences:`"), "{}", e.message);
    }

    #[test]
    fn unknown_audiences_name_the_defined_ones() {
        let d = tempfile::tempdir().unwrap();
        let c = pack(
            d.path(),
            "audiences: { auditor: { max_classification: confidential } }\n",
        );
        let e = Redactions::for_audience(&c, "customer")
            .unwrap_err()
            .to_string();
        assert!(e.contains("`customer`") && e.contains("auditor"), "{e}");

        let d = tempfile::tempdir().unwrap();
        let c = pack(d.path(), "");
        let r = Redactions::for_audience(&c, "auditor").unwrap();
        assert!(r.is_empty());
        assert_eq!(r.max, Classification::Restricted);
        let e = Redactions::for_audience(&c, "customer")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no `audiences:`"), "{e}");
    }

    #[test]
    fn warnings_about_withheld_records_are_dropped() {
        let d = tempfile::tempdir().unwrap();
        let c = pack(
            d.path(),
            "audiences: { customer: { max_classification: internal } }\n",
        );
        let r = Redactions::for_audience(&c, "customer").unwrap();
        let w = |message: &str, subjects: &[(RecordKind, &str)]| Diagnostic {
            path: "c/x.yaml".into(),
            line: 1,
            column: 1,
            severity: crate::diag::Severity::Warning,
            code: "W101",
            rule: "outside-period",
            message: message.into(),
            hint: None,
            subjects: subjects
                .iter()
                .map(|&(kind, id)| Subject {
                    kind,
                    id: id.into(),
                })
                .collect(),
        };
        let all = vec![
            w("control `C` has no evidence", &[(RecordKind::Control, "C")]),
            w("evidence `E-2` is late", &[(RecordKind::Evidence, "E-2")]),
            w(
                "`p` both performed and approved evidence `E-2`",
                &[(RecordKind::Evidence, "E-2"), (RecordKind::Person, "p")],
            ),
            w(
                "evidence `E-1` is dated 2025-12-01",
                &[(RecordKind::Evidence, "E-1")],
            ),
            // A control that shares the withheld record's id is not withheld, whatever the
            // message says.
            w(
                "control `E-2` is owned and operated by `p`",
                &[(RecordKind::Control, "E-2")],
            ),
        ];
        let kept = r.visible_warnings(&all);
        assert_eq!(kept, vec![all[0].clone(), all[3].clone(), all[4].clone()]);
    }
}
