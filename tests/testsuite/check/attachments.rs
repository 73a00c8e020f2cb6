//! Attachments and links in the content tree: plain relative paths, symbolic links (never
//! followed, also when a folder is linked), folders and FIFOs that are not files.

use super::*;

// ---------------------------------------------------------------------------------------------
// Attachments

#[test]
fn attachment_paths_must_be_plain_relative_portable_and_nfc() {
    let list = "attachments:
  - ../etc/passwd
  - /etc/passwd
  - C:/x.txt
  - logs/CON.txt
  - NUL
  - COM1.log
  - \"cafe\\u0301.txt\"
  - missing/none.csv
  - access-reviews/2026-q1.csv
";
    let checked = fixture_with(&[("evidence/t.yaml", &format!("{EV}{list}"))]).check();
    checked.expect(&[
        ("E040", "evidence/t.yaml", 9, 5),
        ("E040", "evidence/t.yaml", 10, 5),
        ("E040", "evidence/t.yaml", 11, 5),
        ("E040", "evidence/t.yaml", 12, 5),
        ("E040", "evidence/t.yaml", 13, 5),
        ("E040", "evidence/t.yaml", 14, 5),
        ("E040", "evidence/t.yaml", 15, 5),
        ("E041", "evidence/t.yaml", 16, 5),
    ]);
    let why: Vec<&str> = checked.diags.iter().map(|d| d.message.as_str()).collect();
    assert!(why[0].contains("`.` or `..`"), "{why:?}");
    assert!(why[1].contains("absolute"), "{why:?}");
    assert!(why[2].contains("drive"), "{why:?}");
    for w in &why[3..6] {
        assert!(w.contains("reserved on Windows"), "{why:?}");
    }
    assert!(why[6].contains("NFC"), "{why:?}");
    assert!(why[7].contains("does not exist"), "{why:?}");
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_reported_and_never_followed() {
    use std::os::unix::fs::symlink;
    let pack = fixture_with(&[(
        "evidence/t.yaml",
        &format!("{EV}attachments: [evil.csv, outside/secret.txt]\n"),
    )]);
    // Outside the content root: a secret file and a file that would not even parse.
    let outside = pack.tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("secret.txt"), "root:x:0:0\n").unwrap();
    fs::write(outside.join("control.yaml"), "id: [never parsed\n").unwrap();
    symlink(
        outside.join("secret.txt"),
        pack.path("attachments/evil.csv"),
    )
    .unwrap();
    symlink(&outside, pack.path("attachments/outside")).unwrap();
    symlink(
        outside.join("control.yaml"),
        pack.path("controls/linked.yaml"),
    )
    .unwrap();

    let checked = pack.check();
    checked.expect(&[
        ("E042", "controls/linked.yaml", 1, 1),
        ("E042", "evidence/t.yaml", 8, 15),
        // A linked folder is not walked into; what lies behind it is reached through a link.
        ("E042", "evidence/t.yaml", 8, 25),
    ]);
    assert!(checked.at(0).message.contains("symbolic link"));
}

/// `attachments/ext -> /etc` and an evidence record naming `ext/passwd`: the attachment is
/// reached through a symbolic link (E042), not missing (E041), and nothing behind the link is
/// read.
#[cfg(unix)]
#[test]
fn an_attachment_behind_a_linked_folder_is_a_symlink_not_missing() {
    use std::os::unix::fs::symlink;
    let pack = fixture_with(&[(
        "evidence/t.yaml",
        &format!("{EV}attachments: [ext/passwd]\n"),
    )]);
    symlink("/etc", pack.path("attachments/ext")).unwrap();
    let checked = pack.check();
    checked.expect(&[("E042", "evidence/t.yaml", 8, 15)]);
    assert_eq!(
        checked.at(0).message,
        "attachment `attachments/ext/passwd` is reached through the symbolic link `attachments/ext`; links are never followed"
    );
}

#[cfg(unix)]
#[test]
fn a_linked_content_folder_is_reported_not_silently_skipped() {
    use std::os::unix::fs::symlink;
    let pack = Pack::valid();
    let outside = pack.tmp.path().join("shared-evidence");
    fs::rename(pack.path("evidence"), &outside).unwrap();
    symlink(&outside, pack.path("evidence")).unwrap();
    symlink(&outside, pack.path("controls/more")).unwrap();
    let checked = pack.check();
    let errors: Vec<_> = checked
        .found()
        .into_iter()
        .filter(|d| d.0.starts_with('E'))
        .collect();
    // The review links to an evidence record that is no longer part of the pack.
    assert_eq!(
        errors,
        [
            ("E042", "controls/more", 1, 1),
            ("E042", "evidence", 1, 1),
            ("E018", "reviews/mr-2026-1.md", 13, 36),
        ]
    );
    assert_eq!(checked.status, 1);
}

#[test]
fn an_attachment_that_is_a_folder_is_not_a_file() {
    let pack = fixture_with(&[
        ("attachments/folder/inside.txt", "x"),
        (
            "evidence/t.yaml",
            &format!("{EV}attachments: [folder, folder/inside.txt]\n"),
        ),
    ]);
    let checked = pack.check();
    checked.expect(&[("E043", "evidence/t.yaml", 8, 15)]);
    assert_eq!(
        checked.at(0).message,
        "attachment `attachments/folder` is not a regular file"
    );
}

#[cfg(unix)]
#[test]
fn an_attachment_that_is_a_fifo_is_not_a_file_and_is_never_opened() {
    let pack = fixture_with(&[("evidence/t.yaml", &format!("{EV}attachments: [pipe]\n"))]);
    let made = Command::new("mkfifo")
        .arg(pack.path("attachments/pipe"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("note: mkfifo is not available; skipping the FIFO attachment test");
        return;
    }
    // Reading a FIFO without a writer would block forever.
    let checked = pack.check();
    checked.expect(&[("E043", "evidence/t.yaml", 8, 15)]);
    assert!(checked.elapsed < HOSTILE_BUDGET);
}
