//! The rendering engine both bundles share: Tera templates, Markdown, links, assets, pages.
//!
//! # How a bundle adds its pages
//!
//! A bundle (ISO 27001 in [`iso`], SOC 2 in `soc2`) is a module that
//!
//! 1. ships its templates as a `pub const TEMPLATES: &[(&str, &str)]` (`("soc2/criteria.html",
//!    include_str!("../../templates/soc2/criteria.html"))`), which the build pipeline passes to
//!    [`Engine::new`] together with the shared [`TEMPLATES`] (`base.html`, `partials/*.html`);
//! 2. builds its view models once from `Content` + `Index` (plain structs deriving `Serialize`);
//! 3. creates a [`Renderer`] over a [`BundleWriter`] with a [`SiteInfo`] (organisation, period,
//!    content digest, navigation). [`Renderer::new`] writes the stylesheet and other assets;
//! 4. calls [`Renderer::page`] once per page (from rayon workers: the renderer is `Sync`) with the
//!    page's path in the bundle, its template, its title and its data. The data's fields become
//!    top-level template variables; the engine adds `site`, `page` and `assets` (see
//!    [`PageInfo`]).
//!
//! Page templates extend `base.html` and fill `{% block content %}` (one `<h1>` per page: base
//! has none). Paths follow the fixed URL scheme ([`href`]); links in templates are written
//! `{{ page.root }}controls/{{ id | slug }}.html` so they work at every depth, and links into the
//! other bundle are `{{ page.root }}../soc2/...`.
//!
//! # Templates and filters
//!
//! Every template is named `*.html`, so Tera autoescapes everything it prints. Filters:
//! `markdown(root=page.root)` renders and sanitises Markdown (see [`markdown`]) and is the only
//! way user text reaches a page unescaped; `slug` applies [`slug`]; `filesize` prints bytes as
//! `1.2 MiB`; `kind_link(root=page.root)` resolves a `kind:id` target to a relative URL.
//!
//! # Audiences
//!
//! [`Source::redactions`] says which records the pack's audience may not see
//! ([`crate::content::audience`]). Markdown links to them render as text, every page's footer links the
//! bundle's redaction log, and each bundle writes that log with [`Renderer::redaction_log`].
//!
//! # Pack overrides
//!
//! A pack may carry `templates/` and `assets/` folders *inside its content root*
//! (`content/templates/iso27001/control.html`, `content/assets/style.css`). A template there
//! replaces the built-in template of the same name (only `*.html` names are accepted, so
//! autoescape stays on); a file under `assets/` replaces the built-in asset of that name or adds
//! a new one. Assets are written content-hashed (`assets/style.<12 hex>.css`); templates find
//! their URL as `{{ page.root }}{{ assets["style.css"] }}`.

pub mod iso;
pub mod markdown;
pub mod soc2;

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Context as _, Result};
use serde::Serialize;
use walkdir::WalkDir;

use crate::bundle::{BundleWriter, FileEntry};
use crate::content::audience::Redactions;
use crate::content::links::{self, LinkKind};
use crate::content::{Content, Index};
use crate::diag::Diagnostic;

/// The shared templates every bundle uses: the page skeleton and partials.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    (
        "partials/macros.html",
        include_str!("../../templates/partials/macros.html"),
    ),
    (
        "redactions.html",
        include_str!("../../templates/redactions.html"),
    ),
];

/// Built-in assets, by name under `assets/`.
pub const ASSETS: &[(&str, &[u8])] = &[("style.css", include_bytes!("../../assets/style.css"))];

/// Folder (inside the content root) whose `*.html` files override built-in templates.
pub const TEMPLATE_OVERRIDE_DIR: &str = "templates";
/// Folder (inside the content root) whose files override or add assets.
pub const ASSET_OVERRIDE_DIR: &str = "assets";

/// One of the two bundles. Both live side by side in the output folder, so links between them
/// are relative (`../soc2/...` from the ISO bundle root).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bundle {
    /// The ISO/IEC 27001:2022 management-system narrative (`iso27001/`).
    Iso27001,
    /// The SOC 2 Type II control-sample report (`soc2/`).
    Soc2,
}

impl Bundle {
    /// The bundle's folder name in the output folder.
    pub fn dir(self) -> &'static str {
        match self {
            Bundle::Iso27001 => "iso27001",
            Bundle::Soc2 => "soc2",
        }
    }

    /// The other bundle.
    pub fn other(self) -> Bundle {
        match self {
            Bundle::Iso27001 => Bundle::Soc2,
            Bundle::Soc2 => Bundle::Iso27001,
        }
    }

    /// Human title of the bundle.
    pub fn title(self) -> &'static str {
        match self {
            Bundle::Iso27001 => "ISO/IEC 27001:2022 management system",
            Bundle::Soc2 => "SOC 2 Type II control-sample report",
        }
    }
}

/// Folders whose `<slug>.html` pages exist in both bundles, so every such page links to its
/// counterpart in the other bundle.
pub const SHARED_DIRS: [&str; 4] = ["policies", "controls", "risks", "evidence"];

/// A file-name-safe, collision-free, deterministic form of a record id: `[A-Za-z0-9._-]` are
/// kept, every other byte (of the UTF-8 form) is written `~XX` (upper-case hex). `~` itself is
/// encoded, so two different ids never share a slug; a leading `.` is encoded so no slug names a
/// hidden file or `..`.
pub fn slug(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for (i, b) in id.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || (b == b'.' && i > 0);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("~{b:02X}"));
        }
    }
    out
}

/// The ISO bundle page that covers a management-system clause (`clause:9.2`): 4.3 scope and
/// 4.4 on the overview; 4.1, 4.2, 5 and 7 with the policies (context and leadership); 6 and 8 with
/// the risk register; 9 and 10 on the improvement page.
pub fn clause_page(clause: &str) -> &'static str {
    let top = clause.split('.').next().unwrap_or("");
    match (top, clause) {
        (_, "4" | "4.3" | "4.4") => "index.html",
        ("4" | "5" | "7", _) => "policies/index.html",
        ("6" | "8", _) => "risks/index.html",
        ("9" | "10", _) => "improvement.html",
        _ => "index.html",
    }
}

/// The anchor of an Annex A control on `soa.html` (`a-5.15`).
pub fn annex_anchor(id: &str) -> String {
    format!("a-{}", slug(id))
}

/// Where a `kind:id` link points, relative to the root of `from` (prefix it with the page's
/// [`PageInfo::root`]). Records that have pages in both bundles stay in `from`; framework ids go
/// to the page that lists them (`annex` → ISO `soa.html#a-5.15`, `csf` → ISO `csf.html#PR.AA-01`,
/// `soc2` → SOC 2 `criteria.html#CC6.1`, `clause` → [`clause_page`]); identities and reviews
/// have their pages in the ISO bundle (SOC 2 lists identities on `identities.html#<slug>`).
pub fn href(from: Bundle, kind: LinkKind, id: &str) -> String {
    let s = slug(id);
    let (bundle, path) = match kind {
        LinkKind::Policy => (from, format!("policies/{s}.html")),
        LinkKind::Control => (from, format!("controls/{s}.html")),
        LinkKind::Evidence => (from, format!("evidence/{s}.html")),
        LinkKind::Risk => (from, format!("risks/{s}.html")),
        LinkKind::Identity => match from {
            Bundle::Iso27001 => (from, format!("identities/{s}.html")),
            Bundle::Soc2 => (from, format!("identities.html#{s}")),
        },
        LinkKind::Review => (Bundle::Iso27001, format!("reviews/{s}.html")),
        LinkKind::Annex => (Bundle::Iso27001, format!("soa.html#{}", annex_anchor(id))),
        LinkKind::Clause => (Bundle::Iso27001, clause_page(id).to_string()),
        LinkKind::Csf => (Bundle::Iso27001, format!("csf.html#{s}")),
        LinkKind::Soc2 => (Bundle::Soc2, format!("criteria.html#{s}")),
    };
    if bundle == from {
        path
    } else {
        format!("../{}/{path}", bundle.dir())
    }
}

/// Resolve a Markdown link destination for a page of `bundle` whose way back to the bundle root
/// is `root` (`""` or `"../"`): `kind:id` targets become relative URLs, anything else is
/// returned unchanged (the sanitiser decides whether it may stay).
pub fn resolve_link(bundle: Bundle, root: &str, dest: &str) -> Option<String> {
    links::parse_target(dest).map(|(kind, id)| format!("{root}{}", href(bundle, kind, id)))
}

/// The way back from a page at `path` (`controls/AC-02.html`) to the bundle root (`../`).
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

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
}

impl Source<'_> {
    /// Header and footer data of a bundle's pages, with its main navigation.
    pub fn site(&self, bundle: Bundle, nav: Vec<NavItem>) -> SiteInfo {
        let pack = self.content.pack.as_ref().map(|p| &p.value);
        SiteInfo {
            bundle,
            bundle_title: bundle.title(),
            organisation: pack.map_or_else(String::new, |p| p.organisation.name.clone()),
            period_start: pack.map_or_else(String::new, |p| p.period.start.to_string()),
            period_end: pack.map_or_else(String::new, |p| p.period.end.to_string()),
            content_digest: self.content_digest.to_string(),
            generator: concat!("evidencepack ", env!("CARGO_PKG_VERSION")).to_string(),
            audience: self.audience.to_string(),
            withheld: self.redactions.records.len(),
            nav,
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
    /// Content digest (64 hex) of what the pack was built from.
    pub content_digest: String,
    /// The tool and its version, e.g. `evidencepack 0.1.0`.
    pub generator: String,
    /// The audience the bundle was built for.
    pub audience: String,
    /// Number of records withheld from this audience (listed on `redactions.html`).
    pub withheld: usize,
    /// Main navigation, in order.
    pub nav: Vec<NavItem>,
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
    fn new(bundle: Bundle, path: &str, title: &str) -> PageInfo {
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

/// Compiled templates and assets for one bundle.
pub struct Engine {
    bundle: Bundle,
    tera: tera::Tera,
    assets: BTreeMap<String, Vec<u8>>,
    redactions: Arc<Redactions>,
}

impl Engine {
    /// Compile the built-in templates of `template_sets` (the shared [`TEMPLATES`] and the
    /// bundle's own), then the pack's overrides on top, for pages of `bundle` in a pack that
    /// withholds `redactions`.
    pub fn new(
        bundle: Bundle,
        template_sets: &[&[(&str, &str)]],
        overrides: &Overrides,
        redactions: Arc<Redactions>,
    ) -> Result<Engine> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        register_filters(&mut tera, bundle, &redactions);
        let mut all: BTreeMap<&str, &str> = BTreeMap::new();
        for set in template_sets {
            for (name, text) in *set {
                all.insert(name, text);
            }
        }
        for (name, text) in &overrides.templates {
            all.insert(name, text);
        }
        tera.add_raw_templates(all)
            .context("compiling templates (a pack's templates/ override may be broken)")?;
        let mut assets: BTreeMap<String, Vec<u8>> = ASSETS
            .iter()
            .map(|(n, b)| (n.to_string(), b.to_vec()))
            .collect();
        for (name, bytes) in &overrides.assets {
            assets.insert(name.clone(), bytes.clone());
        }
        Ok(Engine {
            bundle,
            tera,
            assets,
            redactions,
        })
    }

    /// The bundle this engine renders.
    pub fn bundle(&self) -> Bundle {
        self.bundle
    }

    /// Render a template with a ready context (mostly for tests; bundles use [`Renderer::page`]).
    pub fn render(&self, template: &str, ctx: &tera::Context) -> Result<String> {
        self.tera
            .render(template, ctx)
            .map_err(|e| anyhow::anyhow!(tera_error_chain(&e)))
            .with_context(|| format!("rendering template {template}"))
    }
}

/// HTML escaping for text and quoted attribute values: `&`, `<`, `>`, `"` and `'`. (Tera's
/// default also escapes `/`, which makes every printed URL unreadable without adding safety:
/// all attributes in the templates are quoted.)
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            other => out.push(other),
        }
    }
    out
}

/// Tera nests the useful message (a missing variable, a filter error) in its error sources.
fn tera_error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

/// Writes the pages of one bundle through a [`BundleWriter`].
pub struct Renderer<'a> {
    engine: &'a Engine,
    writer: &'a BundleWriter,
    site: tera::Value,
    assets: BTreeMap<String, String>,
}

impl<'a> Renderer<'a> {
    /// Write the engine's assets into the bundle (content-hashed names under `assets/`) and get
    /// ready to render pages that show `site`.
    pub fn new(engine: &'a Engine, writer: &'a BundleWriter, site: &SiteInfo) -> Result<Self> {
        let mut assets = BTreeMap::new();
        for (name, bytes) in &engine.assets {
            let (dir, file) = match name.rsplit_once('/') {
                Some((d, f)) => (format!("assets/{d}"), f),
                None => ("assets".to_string(), name.as_str()),
            };
            let (stem, ext) = file.rsplit_once('.').unwrap_or((file, "bin"));
            let path = writer
                .write_hashed(&dir, stem, ext, bytes)
                .with_context(|| format!("writing asset {name}"))?;
            assets.insert(name.clone(), path);
        }
        Ok(Renderer {
            engine,
            writer,
            site: serde_json::to_value(site)?,
            assets,
        })
    }

    /// The bundle-relative path of an asset (`assets/style.0123456789ab.css`).
    pub fn asset(&self, name: &str) -> Option<&str> {
        self.assets.get(name).map(String::as_str)
    }

    /// The writer pages go to (attachments are stored through it too).
    pub fn writer(&self) -> &BundleWriter {
        self.writer
    }

    /// Render `template` with `data` (its fields become top-level variables, next to `site`,
    /// `page` and `assets`) and write it to `path` in the bundle.
    pub fn page<T: Serialize + ?Sized>(
        &self,
        path: &str,
        template: &str,
        title: &str,
        data: &T,
    ) -> Result<()> {
        let html = self.render_page(path, template, title, data)?;
        self.writer
            .write(path, html.as_bytes())
            .with_context(|| format!("writing {path}"))
    }

    /// Write the bundle's redaction log, `redactions.html`: the audience, its classification
    /// limit and every withheld record (kind, id, classification, reason; never its content).
    pub fn redaction_log(&self) -> Result<()> {
        let r = &self.engine.redactions;
        #[derive(Serialize)]
        struct Log<'a> {
            audience: &'a str,
            max_classification: &'static str,
            records: &'a [crate::content::audience::Withheld],
            attachments: usize,
        }
        self.page(
            "redactions.html",
            "redactions.html",
            "Redaction log",
            &Log {
                audience: &r.audience,
                max_classification: r.max.as_str(),
                records: &r.records,
                attachments: r.attachments.len(),
            },
        )
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
        ctx.insert("page", &PageInfo::new(self.engine.bundle, path, title));
        ctx.insert("assets", &self.assets);
        self.engine
            .render(template, &ctx)
            .with_context(|| format!("rendering {path}"))
    }
}

fn register_filters(tera: &mut tera::Tera, bundle: Bundle, redactions: &Arc<Redactions>) {
    tera.register_filter("markdown", MarkdownFilter(bundle, Arc::clone(redactions)));
    tera.register_filter("kind_link", KindLinkFilter(bundle));
    tera.register_filter(
        "slug",
        |v: &tera::Value, _: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            Ok(tera::Value::String(slug(&value_text(v))))
        },
    );
    tera.register_filter(
        "filesize",
        |v: &tera::Value, _: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> {
            let n = v
                .as_u64()
                .ok_or_else(|| tera::Error::msg("filesize expects a number of bytes"))?;
            Ok(tera::Value::String(filesize(n)))
        },
    );
}

/// The text of a scalar template value (strings as they are, numbers printed).
fn value_text(v: &tera::Value) -> String {
    match v {
        tera::Value::String(s) => s.clone(),
        tera::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The `root` argument of a link-aware filter.
fn root_arg(args: &HashMap<String, tera::Value>, filter: &str) -> tera::Result<String> {
    match args.get("root") {
        Some(tera::Value::String(s)) => Ok(s.clone()),
        _ => Err(tera::Error::msg(format!(
            "the `{filter}` filter needs `root=page.root`"
        ))),
    }
}

/// `{{ text | markdown(root=page.root) }}`: sanitised HTML (safe: not escaped again); links to
/// withheld records become text.
struct MarkdownFilter(Bundle, Arc<Redactions>);

impl tera::Filter for MarkdownFilter {
    fn filter(
        &self,
        value: &tera::Value,
        args: &HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let root = root_arg(args, "markdown")?;
        Ok(tera::Value::String(markdown::to_html(
            &value_text(value),
            self.0,
            &root,
            &self.1,
        )))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `{{ "annex:5.15" | kind_link(root=page.root) }}`: the relative URL of a `kind:id` target.
struct KindLinkFilter(Bundle);

impl tera::Filter for KindLinkFilter {
    fn filter(
        &self,
        value: &tera::Value,
        args: &HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let root = root_arg(args, "kind_link")?;
        let target = value_text(value);
        resolve_link(self.0, &root, &target)
            .map(tera::Value::String)
            .ok_or_else(|| tera::Error::msg(format!("`{target}` is not a kind:id link")))
    }
}

/// Bytes as a short human size (`912 B`, `4.0 KiB`, `1.2 MiB`).
pub fn filesize(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_safe_ids_and_encode_the_rest() {
        assert_eq!(slug("AC-02"), "AC-02");
        assert_eq!(slug("EV-2026.0142_a"), "EV-2026.0142_a");
        assert_eq!(slug("a/b c"), "a~2Fb~20c");
        assert_eq!(slug("~"), "~7E");
        assert_eq!(slug(".."), "~2E.");
        assert_eq!(slug("é"), "~C3~A9");
        // `~` is always encoded, so an id that looks like an encoding cannot collide.
        assert_ne!(slug("a~2Fb"), slug("a/b"));
    }

    #[test]
    fn hrefs_follow_the_url_scheme() {
        use Bundle::*;
        assert_eq!(
            href(Iso27001, LinkKind::Control, "AC-02"),
            "controls/AC-02.html"
        );
        assert_eq!(href(Iso27001, LinkKind::Annex, "5.15"), "soa.html#a-5.15");
        assert_eq!(
            href(Soc2, LinkKind::Annex, "5.15"),
            "../iso27001/soa.html#a-5.15"
        );
        assert_eq!(
            href(Iso27001, LinkKind::Soc2, "CC6.1"),
            "../soc2/criteria.html#CC6.1"
        );
        assert_eq!(href(Soc2, LinkKind::Soc2, "CC6.1"), "criteria.html#CC6.1");
        assert_eq!(
            href(Soc2, LinkKind::Csf, "PR.AA-01"),
            "../iso27001/csf.html#PR.AA-01"
        );
        assert_eq!(href(Iso27001, LinkKind::Clause, "9.2"), "improvement.html");
        assert_eq!(href(Iso27001, LinkKind::Clause, "4.3"), "index.html");
        assert_eq!(
            href(Iso27001, LinkKind::Clause, "6.1.2"),
            "risks/index.html"
        );
        assert_eq!(
            href(Soc2, LinkKind::Review, "MR 1"),
            "../iso27001/reviews/MR~201.html"
        );
        assert_eq!(
            resolve_link(Iso27001, "../", "policy:POL-AC").as_deref(),
            Some("../policies/POL-AC.html")
        );
        assert_eq!(resolve_link(Iso27001, "../", "https://x.example"), None);
    }

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

    #[test]
    fn file_sizes_are_short() {
        assert_eq!(filesize(0), "0 B");
        assert_eq!(filesize(1023), "1023 B");
        assert_eq!(filesize(1536), "1.5 KiB");
        assert_eq!(filesize(5 * 1024 * 1024), "5.0 MiB");
    }

    #[test]
    fn overrides_replace_built_in_templates() {
        let mut o = Overrides::default();
        o.templates
            .insert("base.html".into(), "<p>{{ page.title }}</p>".into());
        let e = Engine::new(
            Bundle::Iso27001,
            &[TEMPLATES],
            &o,
            Arc::new(Redactions::none("auditor")),
        )
        .unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert(
            "page",
            &PageInfo::new(Bundle::Iso27001, "index.html", "<b>"),
        );
        assert_eq!(e.render("base.html", &ctx).unwrap(), "<p>&lt;b&gt;</p>");
    }

    #[test]
    fn escaping_covers_text_and_quoted_attributes() {
        assert_eq!(
            escape_html(r#"<a href="x" title='y'>&</a> ../b/c"#),
            "&lt;a href=&quot;x&quot; title=&#x27;y&#x27;&gt;&amp;&lt;/a&gt; ../b/c"
        );
    }
}
