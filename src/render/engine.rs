//! The template engine of one bundle: Tera with the built-in templates, the pack's overrides,
//! the assets and the filters templates use.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::{Context as _, Result};

use super::markdown;
use super::paths::{resolve_link, slug, Bundle};
use super::Overrides;
use crate::content::audience::Redactions;

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

    /// The assets (built-in, then the pack's), by name under `assets/`.
    pub fn assets(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.assets
    }

    /// What the pack's audience may not see.
    pub fn redactions(&self) -> &Redactions {
        &self.redactions
    }

    /// Render a template with a ready context (mostly for tests; bundles use
    /// [`crate::render::Renderer::page`]).
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
pub(crate) fn tera_error_chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
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
    use crate::render::PageInfo;

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
