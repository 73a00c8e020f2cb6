//! What a bundle renders from.

use std::collections::BTreeMap;
use std::sync::Arc;

use anyhow::Result;

use super::engine::{Engine, TEMPLATES};
use super::page::{NavItem, SiteInfo};
use super::views::PersonView;
use super::{Bundle, Overrides};
use crate::bundle::FileEntry;
use crate::content::audience::Redactions;
use crate::content::sections::Section;
use crate::content::{Content, Index};
use crate::diag::Diagnostic;

/// Everything a bundle renders from, computed once by the build pipeline and
/// shared by both bundles.
pub struct Source<'a> {
    /// The pack as loaded (already checked: no errors).
    pub content: &'a Content,
    /// Lookups by id.
    pub index: &'a Index,
    /// The warnings `check` found (errors stop the build before rendering).
    pub warnings: &'a [Diagnostic],
    /// Content digest (64 hex) of what the pack was built from.
    pub content_digest: &'a str,
    /// Name of the audience the bundles are built for (`auditor`, `customer`).
    pub audience: &'a str,
    /// Attachments stored in the bundles (`attachments/` path → `files/<sha256>.<ext>` entry);
    /// the same in both bundles because the files are content-addressed.
    pub attachments: &'a BTreeMap<String, FileEntry>,
    /// The pack's template and asset overrides.
    pub overrides: &'a Overrides,
    /// What the audience may not see (records and attachments).
    pub redactions: &'a Arc<Redactions>,
    /// Source exports stored in the bundles (path relative to the content root →
    /// `files/<sha256>.<ext>` entry); those the audience may not see are absent.
    pub exports: &'a BTreeMap<String, FileEntry>,
}

impl<'a> Source<'a> {
    /// The person `id`, as pages show them.
    pub fn person(&self, id: &'a str) -> PersonView<'a> {
        PersonView::lookup(self.content, self.index, id)
    }

    /// Header and footer data of a bundle's pages, with its main navigation.
    pub fn site(&self, bundle: Bundle, nav: Vec<NavItem>) -> SiteInfo {
        let pack = self.content.pack.as_ref().map(|p| &p.value);
        SiteInfo {
            bundle,
            bundle_title: bundle.title(),
            organisation: pack.map_or_else(String::new, |p| p.organisation.name.clone()),
            period_start: pack.map_or_else(String::new, |p| p.period.start.to_string()),
            period_end: pack.map_or_else(String::new, |p| p.period.end.to_string()),
            as_of: self
                .content
                .as_of()
                .map_or_else(String::new, |d| d.to_string()),
            content_digest: self.content_digest.to_string(),
            generator: concat!("evidencepack ", env!("CARGO_PKG_VERSION")).to_string(),
            audience: self.audience.to_string(),
            withheld: self.redactions.records.len(),
            withheld_sections: self
                .redactions
                .sections
                .withheld()
                .into_iter()
                .map(Section::as_str)
                .collect(),
            nav,
            paper: pack.map_or("a4", |p| p.print.paper.as_str()),
        }
    }

    /// The template engine for `bundle`, with the shared templates, `bundle_templates` and the
    /// pack's overrides.
    pub fn engine(&self, bundle: Bundle, bundle_templates: &[(&str, &str)]) -> Result<Engine> {
        Engine::new(
            bundle,
            &[TEMPLATES, bundle_templates],
            self.overrides,
            Arc::clone(self.redactions),
        )
    }
}
