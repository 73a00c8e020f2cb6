//! The one line an ISO 27001 control page gives each source of the control: kind, file (linked
//! to its copy in the bundle), SHA-256, rows, item dates, who extracted it and when, and how many
//! completeness warnings and unclaimed accounts the SOC 2 page details.

use chrono::NaiveDate;
use serde::Serialize;

use crate::analyse::soc2_sources;
use crate::render::Source;

/// One source of a control, in one line.
#[derive(Serialize)]
pub(super) struct SourceLine<'a> {
    pub(super) id: &'a str,
    pub(super) kind: &'static str,
    pub(super) file: &'a str,
    pub(super) href: Option<&'a str>,
    pub(super) sha256: &'a str,
    pub(super) rows_read: u64,
    pub(super) items_in_period: u64,
    pub(super) earliest: Option<NaiveDate>,
    pub(super) latest: Option<NaiveDate>,
    pub(super) extracted_at: String,
    pub(super) extracted_by: &'a str,
    pub(super) warnings: usize,
    /// How many accounts with active credentials no identity or person claims.
    pub(super) unclaimed: usize,
}

/// The sources whose `control:` is `control`, in declaration order.
pub(super) fn lines<'a>(source: &Source<'a>, control: &str) -> Vec<SourceLine<'a>> {
    let content = source.content;
    (0..content.sources.len())
        .filter_map(|i| soc2_sources::facts(content, i))
        .filter(|f| f.decl.control.as_deref() == Some(control))
        .map(|f| SourceLine {
            id: &f.decl.id,
            kind: f.decl.kind.kind().as_str(),
            file: f.rel,
            href: source.exports.get(f.rel).map(|e| e.path.as_str()),
            sha256: &f.loaded.provenance.sha256,
            rows_read: f.loaded.provenance.rows_read,
            items_in_period: f.provenance.items_in_period,
            earliest: f.loaded.provenance.earliest,
            latest: f.loaded.provenance.latest,
            extracted_at: f.decl.extracted_at.to_rfc3339(),
            extracted_by: &f.decl.extracted_by,
            warnings: f.warnings.len(),
            unclaimed: f.loaded.unknown_credentials.len(),
        })
        .collect()
}
