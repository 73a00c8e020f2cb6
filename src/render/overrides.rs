//! Template and asset overrides a pack brings in its content root.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use walkdir::WalkDir;

/// Folder (inside the content root) whose `*.html` files override built-in templates.
pub const TEMPLATE_OVERRIDE_DIR: &str = "templates";
/// Folder (inside the content root) whose files override or add assets.
pub const ASSET_OVERRIDE_DIR: &str = "assets";

/// Template and asset files a pack brings in its content root.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `templates/**/*.html`, by name (path under `templates/`).
    pub templates: BTreeMap<String, String>,
    /// `assets/**`, by name (path under `assets/`).
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Overrides {
    /// Read `<content_root>/templates/` and `<content_root>/assets/` (both optional). Symbolic
    /// links are refused, as everywhere in a pack; a template not named `*.html` is an error
    /// (autoescape is keyed on the name).
    pub fn load(content_root: &Path) -> Result<Overrides> {
        let mut o = Overrides::default();
        for (dir, is_templates) in [(TEMPLATE_OVERRIDE_DIR, true), (ASSET_OVERRIDE_DIR, false)] {
            let base = content_root.join(dir);
            if !base.is_dir() {
                continue;
            }
            for entry in WalkDir::new(&base).follow_links(false).sort_by_file_name() {
                let entry = entry.with_context(|| format!("reading {}", base.display()))?;
                let ft = entry.file_type();
                if ft.is_dir() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&base)
                    .unwrap_or(entry.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                if !ft.is_file() {
                    bail!("{dir}/{rel} is not a regular file (links are never followed)");
                }
                let bytes = fs::read(entry.path())
                    .with_context(|| format!("reading {}", entry.path().display()))?;
                if is_templates {
                    if !rel.ends_with(".html") {
                        bail!("template override {dir}/{rel} must be named *.html");
                    }
                    let text = String::from_utf8(bytes)
                        .map_err(|_| anyhow::anyhow!("template {dir}/{rel} is not UTF-8"))?;
                    o.templates.insert(rel, text);
                } else {
                    o.assets.insert(rel, bytes);
                }
            }
        }
        Ok(o)
    }

    /// Every override file as (path relative to the content root, bytes), sorted by path: what
    /// the content digest covers besides the content files.
    pub fn files(&self) -> Vec<(String, &[u8])> {
        let mut v: Vec<(String, &[u8])> = self
            .templates
            .iter()
            .map(|(n, t)| (format!("{TEMPLATE_OVERRIDE_DIR}/{n}"), t.as_bytes()))
            .chain(
                self.assets
                    .iter()
                    .map(|(n, b)| (format!("{ASSET_OVERRIDE_DIR}/{n}"), b.as_slice())),
            )
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }
}
