//! The landing page `<out>/index.html`: the pack's facts (organisation, period, as-of date,
//! audience, content and bundle digests), a link to each bundle, each zip with its size, and
//! how to verify them. It is written after the zips (it states their sizes) and before
//! `pack.json`, which records its SHA-256 (`landing`) for `verify`.
//!
//! Like every page, it runs no script and loads nothing from the network; it borrows the ISO
//! bundle's stylesheet. A pack may replace it with `templates/landing.html` in its content
//! root (see [`crate::render::Overrides`]).

use std::fs;

use anyhow::{Context, Result};
use serde::Serialize;

use super::BundleSummary;
use crate::render::{escape_html, filesize, Overrides};

pub use crate::bundle::LANDING;

/// The built-in template.
const TEMPLATE: &str = include_str!("../../templates/landing.html");

/// What the landing page states.
#[derive(Debug, Serialize)]
pub(super) struct Landing<'a> {
    /// The organisation.
    pub(super) organisation: &'a str,
    /// First day of the period.
    pub(super) period_start: String,
    /// Last day of the period.
    pub(super) period_end: String,
    /// The date checks are evaluated at.
    pub(super) as_of: String,
    /// The audience the pack is for.
    pub(super) audience: &'a str,
    /// The most sensitive classification it receives.
    pub(super) max_classification: &'a str,
    /// How many records it does not see.
    pub(super) withheld: usize,
    /// `built_at` of `pack.json`.
    pub(super) built_at: &'a str,
    /// This tool and its version.
    pub(super) generator: &'a str,
    /// The content digest.
    pub(super) content_digest: &'a str,
    /// Key id of the signing key, when the zips are signed.
    pub(super) signed_by: Option<String>,
    /// The stylesheet, relative to the output folder.
    pub(super) style: Option<String>,
    /// The bundles, in `pack.json`'s order.
    pub(super) bundles: Vec<LandingBundle>,
}

/// One bundle on the landing page.
#[derive(Debug, Serialize)]
pub(super) struct LandingBundle {
    title: &'static str,
    folder: &'static str,
    digest: String,
    files: usize,
    size: String,
    zip: String,
    bag: String,
    zip_bytes: u64,
    zip_size: String,
}

impl LandingBundle {
    /// A bundle of the build, with the size of its zip (already written).
    pub(super) fn new(b: &BundleSummary) -> Result<LandingBundle> {
        let zip_bytes = fs::metadata(&b.zip)
            .with_context(|| format!("cannot read {}", b.zip.display()))?
            .len();
        let zip = b
            .zip
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(LandingBundle {
            title: b.bundle.title(),
            folder: b.bundle.dir(),
            digest: b.digest.clone(),
            files: b.files,
            size: filesize(b.bytes),
            bag: zip.trim_end_matches(".zip").to_string(),
            zip,
            zip_bytes,
            zip_size: filesize(zip_bytes),
        })
    }
}

/// The text of the landing page (the pack's `templates/landing.html` when it has one).
pub(super) fn render(landing: &Landing, overrides: &Overrides) -> Result<String> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_html);
    let template = overrides
        .templates
        .get(LANDING_TEMPLATE)
        .map_or(TEMPLATE, String::as_str);
    tera.add_raw_template(LANDING_TEMPLATE, template)
        .context("compiling templates/landing.html")?;
    let ctx = tera::Context::from_serialize(landing)?;
    tera.render(LANDING_TEMPLATE, &ctx)
        .map_err(|e| anyhow::anyhow!(crate::render::engine::tera_error_chain(&e)))
        .context("rendering the landing page")
}

/// The template's name, also the name of a pack's override.
const LANDING_TEMPLATE: &str = "landing.html";
