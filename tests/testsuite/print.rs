//! Print and phone (issue 14 item 8, in part): pages print on A4 unless pack.yaml says
//! `print: { paper: letter }`, with page numbers; the stylesheet carries the rules.

use std::fs;
use std::path::Path;

use crate::common::{bin, copy_tree, files, fixture, pages};

fn build(content: &Path, out: &Path) {
    let o = bin()
        .arg("--content")
        .arg(content)
        .arg("--out")
        .arg(out)
        .arg("build")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn stylesheet(bundle: &Path) -> String {
    let css = files(bundle)
        .into_iter()
        .find(|f| f.starts_with("assets/style.") && f.ends_with(".css"))
        .unwrap();
    fs::read_to_string(bundle.join(css)).unwrap()
}

#[test]
fn pages_print_on_a4_by_default_and_on_letter_when_the_pack_says_so() {
    let d = tempfile::tempdir().unwrap();
    let content = d.path().join("content");
    copy_tree(&fixture("pack-audience"), &content);
    build(&content, &d.path().join("a4"));
    for bundle in ["iso27001", "soc2"] {
        for (page, text) in pages(&d.path().join("a4").join(bundle)) {
            assert!(
                text.contains(r#"<body class="paper-a4">"#),
                "{bundle}/{page}"
            );
        }
    }
    let css = stylesheet(&d.path().join("a4/iso27001"));
    for rule in [
        "size: A4;",
        r#"content: "Page " counter(page) " of " counter(pages);"#,
        "@page letter { size: letter; }",
        "body.paper-letter { page: letter; }",
        ".mainnav ul { flex-wrap: nowrap; overflow-x: auto;",
    ] {
        assert!(css.contains(rule), "{rule}");
    }

    let yaml = fs::read_to_string(content.join("pack.yaml")).unwrap();
    fs::write(
        content.join("pack.yaml"),
        format!("{yaml}print: {{ paper: letter }}\n"),
    )
    .unwrap();
    build(&content, &d.path().join("letter"));
    for (page, text) in pages(&d.path().join("letter/soc2")) {
        assert!(text.contains(r#"<body class="paper-letter">"#), "{page}");
    }
}
