//! Pages: what every page shows around its own data ([`SiteInfo`], [`PageInfo`]), and the
//! [`Renderer`] that writes them.

use std::borrow::Cow;
use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::Serialize;

use super::engine::Engine;
use super::output::Output;
use super::paths::{root_of, slug, Bundle, SHARED_DIRS};
use super::sections::{shown, withhold_links};

/// What every page of a bundle shows in its header and footer, and its navigation.
#[derive(Debug, Clone, Serialize)]
pub struct SiteInfo {
    /// Which bundle.
    pub bundle: Bundle,
    /// The bundle's title ([`Bundle::title`]).
    pub bundle_title: &'static str,
    /// Organisation name.
    pub organisation: String,
    /// Period start, ISO 8601.
    pub period_start: String,
    /// Period end, ISO 8601.
    pub period_end: String,
    /// The date the pack is evaluated at, ISO 8601 ([`crate::content::Content::as_of`]).
    pub as_of: String,
    /// Content digest (64 hex) of what the pack was built from.
    pub content_digest: String,
    /// The tool and its version, e.g. `evidencepack 0.1.0`.
    pub generator: String,
    /// The audience the bundle was built for.
    pub audience: String,
    /// Number of records withheld from this audience (listed on `redactions.html`).
    pub withheld: usize,
    /// The sections the audience does not receive (`risks`, `assertion`), for the templates
    /// that show part of a page only to some audiences (`"assertion" in site.withheld_sections`).
    pub withheld_sections: Vec<&'static str>,
    /// Main navigation, in order.
    pub nav: Vec<NavItem>,
    /// The paper pages print on (`a4`, `letter`; pack.yaml `print.paper`).
    pub paper: &'static str,
}

/// One entry of a bundle's main navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Link text.
    pub label: String,
    /// Target relative to the bundle root.
    pub href: String,
    /// Section key; pages of this section mark the entry as current.
    pub section: String,
}

impl NavItem {
    /// A navigation entry.
    pub fn new(label: &str, href: &str, section: &str) -> NavItem {
        NavItem {
            label: label.into(),
            href: href.into(),
            section: section.into(),
        }
    }
}

/// What the engine adds to every page's template context as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageInfo {
    /// Path of the page in the bundle (`controls/AC-02.html`).
    pub path: String,
    /// Way back to the bundle root (`../`), prefix of every internal link.
    pub root: String,
    /// The page title (also the `<title>` and, by convention, the `<h1>`).
    pub title: String,
    /// Navigation section of the page (first path component without `.html`; `index` for the
    /// root page).
    pub section: String,
    /// The same page in the other bundle (`../../soc2/controls/AC-02.html`) for records that have
    /// a page in both bundles ([`SHARED_DIRS`]).
    pub counterpart: Option<String>,
}

impl PageInfo {
    pub(super) fn new(bundle: Bundle, path: &str, title: &str) -> PageInfo {
        let root = root_of(path);
        let section = path
            .split('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".html")
            .to_string();
        let counterpart = path
            .split_once('/')
            .filter(|(dir, rest)| SHARED_DIRS.contains(dir) && *rest != "index.html")
            .map(|_| format!("{root}../{}/{path}", bundle.other().dir()));
        PageInfo {
            path: path.to_string(),
            root,
            title: title.to_string(),
            section,
            counterpart,
        }
    }
}

/// One page of a family ([`Renderer::pages`]): its title and its data.
pub struct Page<D> {
    /// Its title.
    pub title: String,
    /// What its template shows.
    pub data: D,
}

/// The path of the page of record `id` in the folder `dir` (`controls/AC-02.html`).
pub fn record_page(dir: &str, id: &str) -> String {
    format!("{dir}/{}.html", slug(id))
}

/// Writes the pages of one bundle to an [`Output`]: a bundle folder, or the one file a
/// preview asked for (then nothing else is rendered: each page's data is made only when the
/// page is wanted).
pub struct Renderer<'a> {
    engine: &'a Engine,
    out: Output<'a>,
    site: tera::Value,
    assets: BTreeMap<String, String>,
    /// Whether the audience misses a section (pages' links then need [`withhold_links`]).
    withholds_sections: bool,
}

impl<'a> Renderer<'a> {
    /// Write the engine's assets into the bundle (content-hashed names under `assets/`) and get
    /// ready to render pages that show `site`.
    pub fn new(engine: &'a Engine, out: Output<'a>, site: &SiteInfo) -> Result<Self> {
        let mut assets = BTreeMap::new();
        for (name, bytes) in engine.assets() {
            let (dir, file) = match name.rsplit_once('/') {
                Some((d, f)) => (format!("assets/{d}"), f),
                None => ("assets".to_string(), name.as_str()),
            };
            let (stem, ext) = file.rsplit_once('.').unwrap_or((file, "bin"));
            let path = out
                .write_hashed(&dir, stem, ext, bytes)
                .with_context(|| format!("writing asset {name}"))?;
            assets.insert(name.clone(), path);
        }
        Ok(Renderer {
            engine,
            out,
            site: serde_json::to_value(site)?,
            assets,
            withholds_sections: !site.withheld_sections.is_empty(),
        })
    }

    /// The bundle-relative path of an asset (`assets/style.0123456789ab.css`).
    pub fn asset(&self, name: &str) -> Option<&str> {
        self.assets.get(name).map(String::as_str)
    }

    /// Does the audience receive the file at `path` (its section, [`super::sections::section_of`])?
    pub fn shows(&self, path: &str) -> bool {
        shown(
            &self.engine.redactions().sections,
            self.engine.bundle(),
            path,
        )
    }

    /// Is the file at `path` to be made: wanted by the output and received by the audience?
    fn makes(&self, path: &str) -> bool {
        self.out.wants(path) && self.shows(path)
    }

    /// Write a file that is not a page (`request-list.csv`) to `path`, made by `bytes` only
    /// when it is wanted, unless it belongs to a section the audience does not receive.
    pub fn file(&self, path: &str, bytes: impl FnOnce() -> Result<Vec<u8>>) -> Result<()> {
        if !self.makes(path) {
            return Ok(());
        }
        self.out
            .write(path, &bytes()?)
            .with_context(|| format!("writing {path}"))
    }

    /// Render `template` with the data `data` makes (its fields become top-level variables,
    /// next to `site`, `page` and `assets`) and write it to `path` in the bundle; `data` runs
    /// only when the page is wanted; nothing when the page belongs to a section the audience
    /// does not receive.
    pub fn page<T: Serialize>(
        &self,
        path: &str,
        template: &str,
        title: &str,
        data: impl FnOnce() -> T,
    ) -> Result<()> {
        if !self.makes(path) {
            return Ok(());
        }
        let html = self.render_page(path, template, title, &data())?;
        self.out
            .write(path, html.as_bytes())
            .with_context(|| format!("writing {path}"))
    }

    /// Write the bundle's redaction log, `redactions.html`: the audience, its classification
    /// limit and every withheld record (kind, id, classification, reason; never its content).
    pub fn redaction_log(&self) -> Result<()> {
        let r = self.engine.redactions();
        #[derive(Serialize)]
        struct Log<'a> {
            audience: &'a str,
            max_classification: &'static str,
            records: &'a [crate::content::audience::Withheld],
            attachments: usize,
            defaulted: &'a [crate::content::audience::Defaulted],
            default_classification: &'static str,
            default_why: &'static str,
        }
        self.page(
            "redactions.html",
            "redactions.html",
            "Redaction log",
            || Log {
                audience: &r.audience,
                max_classification: r.max.as_str(),
                records: &r.records,
                attachments: r.attachments.len(),
                defaulted: &r.defaulted,
                default_classification: r.default_classification.0.as_str(),
                default_why: r.default_classification.1,
            },
        )
    }

    /// Render a family of pages from `template`, one per item of `items`, in parallel: `path`
    /// says where each goes ([`record_page`] for a record's page), `page` its title and its
    /// data (made only for a wanted page).
    pub fn pages<I, D>(
        &self,
        items: I,
        template: &str,
        path: impl Fn(&I::Item) -> String + Sync + Send,
        page: impl Fn(I::Item) -> Page<D> + Sync + Send,
    ) -> Result<()>
    where
        I: IntoParallelIterator,
        D: Serialize,
    {
        items.into_par_iter().try_for_each(|item| {
            let at = path(&item);
            if !self.makes(&at) {
                return Ok(());
            }
            let p = page(item);
            self.page(&at, template, &p.title, || p.data)
        })
    }

    /// Render a page to a string without writing it.
    pub fn render_page<T: Serialize + ?Sized>(
        &self,
        path: &str,
        template: &str,
        title: &str,
        data: &T,
    ) -> Result<String> {
        let mut ctx = tera::Context::from_serialize(data)
            .with_context(|| format!("preparing data for {path}"))?;
        ctx.insert("site", &self.site);
        ctx.insert("page", &PageInfo::new(self.engine.bundle(), path, title));
        ctx.insert("assets", &self.assets);
        let html = self
            .engine
            .render(template, &ctx)
            .with_context(|| format!("rendering {path}"))?;
        if !self.withholds_sections {
            return Ok(html);
        }
        let sections = &self.engine.redactions().sections;
        Ok(
            match withhold_links(&html, self.engine.bundle(), path, sections) {
                Cow::Borrowed(_) => html,
                Cow::Owned(rewritten) => rewritten,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_info_knows_its_depth_and_counterpart() {
        let p = PageInfo::new(Bundle::Iso27001, "controls/AC-02.html", "AC-02");
        assert_eq!(p.root, "../");
        assert_eq!(p.section, "controls");
        assert_eq!(
            p.counterpart.as_deref(),
            Some("../../soc2/controls/AC-02.html")
        );
        let p = PageInfo::new(Bundle::Iso27001, "soa.html", "SoA");
        assert_eq!(p.root, "");
        assert_eq!(p.section, "soa");
        assert_eq!(p.counterpart, None);
        assert_eq!(
            PageInfo::new(Bundle::Soc2, "controls/index.html", "x").counterpart,
            None
        );
    }
}
