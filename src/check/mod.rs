//! Validation: every rule of the content format, all problems at once.
//!
//! Rules and their codes are listed in [`crate::diag::codes`]. Validation never stops at the
//! first problem; it records everything into a [`Report`], each problem with the records it is
//! about ([`crate::diag::Subject`]). One module per topic:
//!
//! - `references`: duplicate ids and references between records (people, controls, policies,
//!   identities, review findings);
//! - `records`: the rules of each kind of record (pack, policies, controls and their framework
//!   mappings, risks, identities, evidence, populations);
//! - `risk`: the pack's risk method, acceptance above the appetite, treatment plans;
//! - `soa`: the Statement of Applicability against Annex A; `soa_reasons` its reasons, declared
//!   status and exclusions by outsourcing alone;
//! - `documents`: document control of the SoA, the context's climate change question;
//! - `links`: `kind:id` links in Markdown;
//! - `coverage`: evidence over the period (frequency gaps, late rotations, review CSV rows
//!   naming an identity the pack does not hold);
//! - `attachments`: the paths evidence records give their attachments;
//! - `isms`: the ISMS's own records (objectives, changes, competence, operations, monitoring,
//!   the audit programme) and the structured fields of nonconformities;
//! - `clauses`: the documented information ISO 27001 requires, and the clauses records map to;
//! - `soc2`: the SOC 2 sampling settings; `system` the system description (DC 200): criteria of
//!   complementary controls, significant changes, the commitments the draft assertion relies on;
//! - `sources`: source declarations, claimed accounts, `item:` references and what loaded
//!   exports say about themselves;
//! - `bundles`: what the bundles would refuse (a criterion of a category out of scope) or show
//!   as findings (sampled items without evidence, uncovered criteria, overdue actions);
//! - `secrets`: the secret-leak guard's findings and its allow list.

mod attachments;
mod bundles;
mod classification;
mod clauses;
mod coverage;
mod documents;
mod isms;
mod links;
mod records;
mod references;
mod risk;
mod secrets;
mod soa;
mod soa_reasons;
mod soc2;
mod sources;
mod system;
mod tests_of_controls;

pub use attachments::check_attachment_path;
pub use bundles::SHOWN_BY_BUNDLES;
pub use secrets::{AttachmentSecret, SecretGuard};
pub use soa::TODO as SOA_TODO;

use crate::content::model::Period;
use crate::content::{Content, Index, Loc};
use crate::diag::{Code, Pending, Place, RecordKind, Report};

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
    v.soa_reasons();
    v.soa_document();
    v.context();
    v.risks();
    v.risk_method();
    v.risk_treatment();
    v.identities();
    v.evidence();
    v.reviews();
    v.nonconformities();
    v.isms();
    v.populations();
    v.markdown_links();
    v.coverage();
    v.rotations();
    v.review_csvs();
    v.tests_of_controls();
    v.clauses();
    v.bundle_findings();
    soc2::settings(content, v.report);
    v.system_description();
    v.sources();
    classification::defaulted(content, v.report);
    v.secrets()
}

/// The rules' shared state: the pack, its index and the report.
struct Validator<'c, 'r> {
    content: &'c Content,
    index: &'c Index,
    report: &'r mut Report,
}

/// A record being checked: where it is, and its kind and id (the subject of its problems).
#[derive(Clone, Copy)]
struct Rec<'a> {
    loc: &'a Loc,
    kind: RecordKind,
    id: &'a str,
}

impl<'a> Rec<'a> {
    /// The record `kind:id` at `loc`.
    fn new(loc: &'a Loc, kind: RecordKind, id: &'a str) -> Rec<'a> {
        Rec { loc, kind, id }
    }

    /// The place of one of its fields.
    fn field(&self, field: &str) -> Place {
        self.loc.field(field)
    }
}

impl<'c> Validator<'c, '_> {
    /// Record a problem of `rec` at `place`.
    fn problem(&mut self, rec: Rec, place: Place, code: Code, message: String) -> &mut Pending {
        self.report
            .push(rec.loc.file, place, code, message)
            .about(rec.kind, rec.id)
    }

    /// Record a problem of a file as such (no record).
    fn push(&mut self, file: usize, place: Place, code: Code, message: String) -> &mut Pending {
        self.report.push(file, place, code, message)
    }

    /// Might `id` be a record of `kind` that failed to parse? Its id was read from the broken
    /// record, or (for people.yaml, the one file of people) the file could not be read at all.
    /// A reference to it is then not an error of its own: one broken record is one error.
    fn exists_unparsed(&self, kind: RecordKind, id: &str) -> bool {
        let unparsed = &self.content.unparsed;
        unparsed.has(kind, id) || (kind == RecordKind::Person && unparsed.unreadable(kind))
    }

    fn rel(&self, file: usize) -> &'c str {
        &self.content.files[file].rel
    }

    fn period(&self) -> Option<Period> {
        self.content.pack.as_ref().map(|p| p.value.period)
    }

    /// The date coverage, rotations, reviews and overdue items are judged at
    /// ([`Content::as_of`](crate::content::Content::as_of)).
    fn as_of(&self) -> Option<chrono::NaiveDate> {
        self.content.as_of()
    }
}
