//! Accessibility rules that axe-core checks in a browser, checked here on every page of both
//! bundles so that a template change cannot quietly undo them.

use evidencepack::build::{build, BuildOptions};

/// A box that scrolls sideways (a table or code block wider than the screen) must be focusable,
/// or keyboard users cannot scroll it (WCAG 2.1.1, axe `scrollable-region-focusable`).
#[test]
fn every_scroll_box_is_keyboard_focusable() {
    let out = tempfile::tempdir().unwrap();
    build(
        &crate::common::fixture("soc2-basic"),
        out.path(),
        &BuildOptions::default(),
    )
    .unwrap();
    let (mut tables, mut code) = (0, 0);
    for bundle in ["iso27001", "soc2"] {
        for (page, html) in crate::common::pages(&out.path().join(bundle)) {
            for tag in crate::common::tags(&html) {
                let scrolls = if tag.starts_with("<pre") {
                    code += 1;
                    true
                } else if tag.starts_with("<div") && tag.contains(r#"class="table-wrap""#) {
                    tables += 1;
                    true
                } else {
                    false
                };
                if scrolls {
                    assert!(
                        tag.contains(r#"tabindex="0""#),
                        "{bundle}/{page}: {tag} scrolls but cannot be focused"
                    );
                }
            }
        }
    }
    assert!(tables > 0, "no table seen");
    assert!(code > 0, "no code block seen (the sampling page has one)");
}
