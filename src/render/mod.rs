//! The rendering engine both bundles share: Tera templates ([`engine`]), Markdown ([`markdown`]),
//! the URL scheme ([`paths`]), the pack's overrides, the page machinery ([`page`]) and the view
//! models both bundles use ([`views`]).
//!
//! # How a bundle adds its pages
//!
//! A bundle (ISO 27001 in [`iso`], SOC 2 in [`soc2`]) is a folder that
//!
//! 1. ships its templates as a `pub const TEMPLATES: &[(&str, &str)]` (`("soc2/criteria.html",
//!    include_str!("../../../templates/soc2/criteria.html"))`), which it passes to
//!    [`Source::engine`] to join the shared [`TEMPLATES`] (`base.html`, `partials/*.html`);
//! 2. builds its view models once, in its `views` module, borrowing from the content and its
//!    [`crate::content::Index`] ([`Source::index`]) rather than copying;
//! 3. creates a [`Renderer`] over an [`Output`] (a [`crate::bundle::BundleWriter`] for `build`,
//!    a [`Pick`] of one file for `serve`) with a [`SiteInfo`] (organisation, period, content
//!    digest, navigation). [`Renderer::new`] writes the stylesheet and other assets;
//! 4. calls [`Renderer::page`] for each page of its own, and [`Renderer::pages`] for each family
//!    of record pages (one per item, in parallel, at [`record_page`]) with the page's path in the
//!    bundle, its template, its title and a closure making its data, [`Renderer::file`] for
//!    other files. The data's fields become top-level template variables; the engine adds
//!    `site`, `page` and `assets` (see [`PageInfo`]). Data is made only for a page the output
//!    wants, so `serve` renders one page without computing any other.
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
//! ([`crate::content::audience`]). Markdown links to them render as text, every page's footer
//! links the bundle's redaction log, and each bundle writes that log with
//! [`Renderer::redaction_log`]. The audience's sections decide which pages are written at all:
//! [`Renderer::page`] skips the pages of a withheld section, and every written page's links to
//! them become text marked withheld ([`sections`]).
//!
//! # Pack overrides
//!
//! A pack may carry `templates/` and `assets/` folders *inside its content root*
//! (`content/templates/iso27001/control.html`, `content/assets/style.css`). A template there
//! replaces the built-in template of the same name (only `*.html` names are accepted, so
//! autoescape stays on); a file under `assets/` replaces the built-in asset of that name or adds
//! a new one. Assets are written content-hashed (`assets/style.<12 hex>.css`); templates find
//! their URL as `{{ page.root }}{{ assets["style.css"] }}`.

pub mod engine;
pub mod iso;
pub mod markdown;
mod output;
mod overrides;
pub mod page;
pub mod paths;
pub mod sections;
pub mod soc2;
mod source;
pub mod views;

pub use engine::{escape_html, filesize, Engine, ASSETS, TEMPLATES};
pub use output::{Output, Pick};
pub use overrides::{Overrides, ASSET_OVERRIDE_DIR, TEMPLATE_OVERRIDE_DIR};
pub use page::{record_page, NavItem, Page, PageInfo, Renderer, SiteInfo};
pub use paths::{
    annex_anchor, clause_page, href, resolve_link, root_of, slug, target_of, Bundle, SHARED_DIRS,
};
pub use source::Source;
