//! The ISO/IEC 27001:2022 management-system narrative bundle.

use anyhow::Result;
use serde::Serialize;

use super::{Bundle, NavItem, Renderer, Source};
use crate::bundle::BundleWriter;

/// The ISO bundle's templates.
pub const TEMPLATES: &[(&str, &str)] = &[(
    "iso27001/index.html",
    include_str!("../../templates/iso27001/index.html"),
)];

/// Render every page of the ISO bundle into `writer`.
pub fn render(source: &Source, writer: &BundleWriter) -> Result<()> {
    let engine = source.engine(Bundle::Iso27001, TEMPLATES)?;
    let site = source.site(
        Bundle::Iso27001,
        vec![NavItem::new("Overview", "index.html", "index")],
    );
    let r = Renderer::new(&engine, writer, &site)?;
    #[derive(Serialize)]
    struct Overview {}
    r.page(
        "index.html",
        "iso27001/index.html",
        "Overview",
        &Overview {},
    )
}
