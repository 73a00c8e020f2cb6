//! Print and phone (issue 14 item 8, in part): pages print on A4 unless pack.yaml says
//! `print: { paper: letter }`, with page numbers and a running header (pack, bundle, page
//! title); the stylesheet carries the rules.

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
        ".mainnav ul { flex-wrap: wrap;",
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

/// The running header: every page's print frame names the pack, the bundle and the page; and
/// printed by headless Chromium (when installed, with poppler's `pdftotext`), a page several
/// sheets long carries it and "Page N of M" on every sheet.
#[test]
fn printed_pages_carry_a_running_header_and_page_numbers() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    build(&fixture("pack-audience"), &out);
    let running = |text: &str| -> String {
        let start = text
            .find(r#"<thead class="print-running"><tr><td>"#)
            .expect("no running header");
        let rest = &text[start..];
        rest[rest.find("<td>").unwrap() + 4..rest.find("</td>").unwrap()].to_string()
    };
    for bundle in ["iso27001", "soc2"] {
        for (page, text) in pages(&out.join(bundle)) {
            let head = running(&text);
            // The <title> is "<page> · <organisation> · <bundle>"; the header reorders it.
            let title = &text[text.find("<title>").unwrap() + 7..text.find("</title>").unwrap()];
            let (page_title, pack_bundle) = title.split_once(" · ").unwrap();
            assert_eq!(
                head,
                format!("{pack_bundle} · {page_title}"),
                "{bundle}/{page}"
            );
        }
    }

    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() || !crate::common::have("pdftotext", "-v") {
        eprintln!("skipped the printed check: needs chromium and pdftotext (poppler-utils)");
        return;
    }
    let page = out.join("iso27001/soa.html");
    let head = running(&fs::read_to_string(&page).unwrap()).replace("&amp;", "&");
    let pdf = d.path().join("soa.pdf");
    let o = std::process::Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            d.path().join("profile").display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&page)
        .output()
        .unwrap();
    assert!(pdf.is_file(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    let sheets: Vec<&str> = text
        .split('\x0c')
        .filter(|s| !s.trim().is_empty())
        .collect();
    assert!(sheets.len() >= 3, "{} sheets", sheets.len());
    for (i, sheet) in sheets.iter().enumerate() {
        assert!(
            sheet.contains(&head),
            "sheet {}: no {head:?} in\n{sheet}",
            i + 1
        );
        let number = format!("Page {} of {}", i + 1, sheets.len());
        assert!(sheet.contains(&number), "sheet {}: no {number:?}", i + 1);
    }
}
