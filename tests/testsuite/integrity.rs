//! Integrity of bundles, bag zips and packs, through the library API only.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use evidencepack::bundle::package::{
    external_description, parse_source_date_epoch, write_bag_zip, Bag, BagInfo, SOFTWARE_AGENT,
};
use evidencepack::bundle::Signer;
use evidencepack::bundle::{sha256_hex, BundleWriter, Manifest};
use evidencepack::verify::{verify_path, Outcome, Report};
use zip::write::SimpleFileOptions;

const EPOCH: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A small bundle: pages, a hashed stylesheet, content-addressed and copied
/// attachments.
fn make_bundle(root: &Path, scratch: &Path) -> Manifest {
    use rayon::prelude::*;
    let w = BundleWriter::new(root).unwrap();
    (0..20).into_par_iter().for_each(|i| {
        let page = format!("<html><body><h1>Control A.5.{i}</h1></body></html>\n");
        w.write(&format!("controls/a5-{i:02}.html"), page.as_bytes())
            .unwrap();
    });
    w.write("index.html", b"<html><body>Evidence</body></html>\n")
        .unwrap();
    w.write_hashed("assets", "style", "css", b"body { color: #222 }\n")
        .unwrap();
    let png = scratch.join("shot.png");
    fs::write(
        &png,
        b"\x89PNG\r\n\x1a\nnot really a png, but stored as one",
    )
    .unwrap();
    w.store_hashed("attachments", &png, "png").unwrap();
    let pdf = scratch.join("policy.pdf");
    fs::write(&pdf, b"%PDF-1.7 pretend policy").unwrap();
    w.copy_file("policies/access-control.pdf", &pdf).unwrap();
    w.finish().unwrap()
}

const TITLE: &str = "ISO 27001 evidence bundle";

/// The `bag-info.txt` of every test bag.
fn info() -> &'static BagInfo {
    static INFO: std::sync::OnceLock<BagInfo> = std::sync::OnceLock::new();
    INFO.get_or_init(|| BagInfo {
        source_organization: "ACME Corp".into(),
        external_description: external_description(TITLE, "ACME Corp", "auditor"),
        audience: "auditor".into(),
        max_classification: "confidential".into(),
        withheld_records: 0,
        period: "2026-01-01/2026-06-30".into(),
        content_digest: "c".repeat(64),
        bundle_digest: String::new(),
    })
}

/// The bundle `folder` (with its manifest `m`) as the bag `name`, dated [`EPOCH`], unsigned.
fn bag<'a>(folder: &'a Path, m: &'a Manifest, name: &'a str) -> Bag<'a> {
    Bag {
        bundle_dir: folder,
        manifest: m,
        name,
        info: info(),
        epoch: EPOCH,
        signer: None,
        reuse: None,
    }
}

/// A bundle folder and its zip inside `dir`: returns (folder, zip, manifest).
fn bundle_and_zip(dir: &Path, signer: Option<&Signer>) -> (PathBuf, PathBuf, Manifest) {
    let folder = dir.join("iso27001");
    let m = make_bundle(&folder, dir);
    let zip = dir.join("iso27001.zip");
    let signed = Bag {
        signer,
        ..bag(&folder, &m, "iso27001")
    };
    write_bag_zip(&signed, &zip).unwrap();
    (folder, zip, m)
}

fn one(reports: Vec<Report>) -> Report {
    assert_eq!(reports.len(), 1, "{reports:?}");
    reports.into_iter().next().unwrap()
}

/// Every file under `dir` with its size and content hash.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let h = if e.file_type().is_file() {
                sha256_hex(&fs::read(e.path()).unwrap())
            } else {
                "dir".into()
            };
            (e.path().to_path_buf(), h)
        })
        .collect()
}

fn write_entries(zip: &Path, entries: &[(String, Vec<u8>)]) {
    let mut w = zip::ZipWriter::new(fs::File::create(zip).unwrap());
    for (name, bytes) in entries {
        w.start_file(name.as_str(), SimpleFileOptions::default())
            .unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn manifest_format_matches_sha256sum() {
    let d = tempdir();
    let root = d.path().join("b");
    let m = make_bundle(&root, d.path());
    let text = fs::read_to_string(root.join("manifest-sha256.txt")).unwrap();
    assert_eq!(text, m.text);
    assert_eq!(m.digest, sha256_hex(text.as_bytes()));
    assert!(text.ends_with('\n') && !text.contains('\r'));
    let paths: Vec<&str> = text.lines().map(|l| &l[66..]).collect();
    let mut sorted = paths.clone();
    sorted.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    assert_eq!(paths, sorted);
    for (line, e) in text.lines().zip(&m.entries) {
        assert_eq!(line, format!("{}  {}", e.sha256, e.path));
        let bytes = fs::read(root.join(&e.path)).unwrap();
        assert_eq!(sha256_hex(&bytes), e.sha256);
        assert_eq!(bytes.len() as u64, e.size);
    }
    assert_eq!(m.entries.len(), 24);
    if crate::common::have("sha256sum", "--version") {
        let out = Command::new("sha256sum")
            .args(["-c", "--strict", "manifest-sha256.txt"])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    } else {
        eprintln!("note: sha256sum not found, format checked without it");
    }
}

#[test]
fn folder_change_deletion_addition_are_named() {
    let d = tempdir();
    let (folder, _, m) = bundle_and_zip(d.path(), None);
    let r = one(verify_path(&folder, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Intact, "{r}");
    assert_eq!(r.checked, m.entries.len());
    assert_eq!(r.bundle_digest.as_deref(), Some(m.digest.as_str()));

    // One byte changed, one file deleted, one added.
    let victim = folder.join("controls/a5-03.html");
    let mut bytes = fs::read(&victim).unwrap();
    bytes[10] ^= 1;
    fs::write(&victim, bytes).unwrap();
    fs::remove_file(folder.join("index.html")).unwrap();
    fs::write(folder.join("controls/new.html"), b"sneaky").unwrap();

    let r = one(verify_path(&folder, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Tampered);
    assert_eq!(r.changed, vec!["controls/a5-03.html"]);
    assert_eq!(r.missing, vec!["index.html"]);
    assert_eq!(r.extra, vec!["controls/new.html"]);
    let text = r.to_string();
    for name in ["controls/a5-03.html", "index.html", "controls/new.html"] {
        assert!(text.contains(name), "{text}");
    }
    assert!(text.contains("TAMPERED"));
}

#[test]
fn zip_change_deletion_addition_are_named() {
    let d = tempdir();
    let (_, zip, m) = bundle_and_zip(d.path(), None);
    let r = one(verify_path(&zip, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Intact, "{r}");
    assert_eq!(r.bundle_digest.as_deref(), Some(m.digest.as_str()));
    assert_eq!(r.checked, m.entries.len() + 1 + 4);
    assert_eq!(r.signature, None);

    let entries = crate::common::zip_entries(&zip);
    let page = "iso27001/data/controls/a5-07.html";

    let mut changed = entries.clone();
    let e = changed.iter_mut().find(|e| e.0 == page).unwrap();
    e.1[5] ^= 0x20;
    let z1 = d.path().join("changed.zip");
    write_entries(&z1, &changed);
    let r = one(verify_path(&z1, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Tampered, "{r}");
    assert_eq!(r.changed, vec![page.to_string()], "{r}");
    assert!(r.missing.is_empty() && r.extra.is_empty(), "{r}");

    let deleted: Vec<_> = entries.iter().filter(|e| e.0 != page).cloned().collect();
    let z2 = d.path().join("deleted.zip");
    write_entries(&z2, &deleted);
    let r = one(verify_path(&z2, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Tampered, "{r}");
    assert_eq!(r.missing, vec![page.to_string()], "{r}");
    assert!(r.changed.is_empty() && r.extra.is_empty(), "{r}");
    assert!(r.problems.iter().any(|p| p.contains("Payload-Oxum")), "{r}");

    let mut added = entries.clone();
    added.push(("iso27001/data/extra.html".into(), b"<p>added</p>".to_vec()));
    let z3 = d.path().join("added.zip");
    write_entries(&z3, &added);
    let r = one(verify_path(&z3, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Tampered, "{r}");
    assert_eq!(r.extra, vec!["iso27001/data/extra.html".to_string()], "{r}");
    assert!(r.changed.is_empty() && r.missing.is_empty(), "{r}");
    assert!(r.to_string().contains("extra: iso27001/data/extra.html"));
}

/// `text` with the hex digit at byte `at` replaced by another.
fn edit_hex_digit(text: &[u8], at: usize) -> Vec<u8> {
    let mut t = text.to_vec();
    assert!(t[at].is_ascii_hexdigit(), "{at}");
    t[at] = if t[at] == b'0' { b'1' } else { b'0' };
    t
}

#[test]
fn an_edited_manifest_byte_is_blamed_on_the_manifest() {
    let d = tempdir();
    let (folder, zip, m) = bundle_and_zip(d.path(), None);
    assert!(
        m.entries[0].path.starts_with("assets/style."),
        "{:?}",
        m.entries[0]
    );
    let page = m
        .entries
        .iter()
        .position(|e| e.path == "index.html")
        .unwrap();

    // The zip: one byte of the bundle's own manifest, or of the payload manifest, in the line
    // of the hashed stylesheet (the first line) or of a page. The files match the other
    // manifest, so the edited manifest is what changed.
    let entries = crate::common::zip_entries(&zip);
    for (manifest, line) in [
        ("iso27001/data/manifest-sha256.txt", 0),
        ("iso27001/data/manifest-sha256.txt", page),
        ("iso27001/manifest-sha256.txt", 0),
        ("iso27001/manifest-sha256.txt", page),
    ] {
        let mut edited = entries.clone();
        let e = edited.iter_mut().find(|e| e.0 == manifest).unwrap();
        let at =
            e.1.split(|&b| b == b'\n')
                .take(line)
                .map(|l| l.len() + 1)
                .sum::<usize>()
                + 5;
        e.1 = edit_hex_digit(&e.1, at);
        let z = d.path().join("edited.zip");
        write_entries(&z, &edited);
        let r = one(verify_path(&z, None).unwrap());
        assert_eq!(
            r.outcome(),
            Outcome::Tampered,
            "{manifest} line {line}: {r}"
        );
        assert_eq!(
            r.changed,
            vec![manifest.to_string()],
            "{manifest} line {line}: {r}"
        );
        assert!(r.missing.is_empty() && r.extra.is_empty(), "{r}");
    }

    // The folder: the stylesheet's line is wrong, and the stylesheet still matches the hash in
    // its name.
    let text = fs::read(folder.join("manifest-sha256.txt")).unwrap();
    fs::write(folder.join("manifest-sha256.txt"), edit_hex_digit(&text, 0)).unwrap();
    let r = one(verify_path(&folder, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Tampered, "{r}");
    assert_eq!(r.changed, vec!["manifest-sha256.txt"], "{r}");
    let css = &m.entries[0].path;
    assert!(
        r.problems.iter().any(|p| p.starts_with(&format!(
            "manifest-sha256.txt: lists {css} with another hash"
        ))),
        "{r}"
    );
}

/// Finds the central and local header of entry `name` in zip bytes and lets
/// `f` patch them (central header: 46 bytes, local header: 30 bytes).
fn patch_entry(zip: &mut [u8], name: &str, f: impl Fn(&mut [u8], &mut [u8])) {
    let mut i = 0;
    while i + 46 <= zip.len() {
        if zip[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] {
            let nl = u16::from_le_bytes([zip[i + 28], zip[i + 29]]) as usize;
            if &zip[i + 46..i + 46 + nl] == name.as_bytes() {
                let lo = u32::from_le_bytes(zip[i + 42..i + 46].try_into().unwrap()) as usize;
                let mut local = zip[lo..lo + 30].to_vec();
                f(&mut zip[i..i + 46], &mut local);
                zip[lo..lo + 30].copy_from_slice(&local);
                return;
            }
        }
        i += 1;
    }
    panic!("{name} not found");
}

/// Builds a zip, verifies it must be refused as Unusable quickly, and that
/// verification wrote nothing.
fn assert_refused(label: &str, build: impl FnOnce(&Path) -> Vec<u8>, expect: &str) {
    let d = tempdir();
    let bytes = build(d.path());
    let zip = d.path().join(format!("{label}.zip"));
    fs::write(&zip, bytes).unwrap();
    let before = snapshot(d.path());
    let t = Instant::now();
    let r = one(verify_path(&zip, None).unwrap());
    let took = t.elapsed();
    assert_eq!(r.outcome(), Outcome::Unusable, "{label}: {r}");
    assert!(
        r.problems.iter().any(|p| p.contains(expect)),
        "{label}: expected {expect:?} in {r}"
    );
    assert_eq!(snapshot(d.path()), before, "{label}: files were written");
    assert!(took < Duration::from_secs(3), "{label}: took {took:?}");
}

fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Replaces every occurrence of `from` with `to` (same length) in `bytes`.
fn rename_raw(mut bytes: Vec<u8>, from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let (f, t) = (from.as_bytes(), to.as_bytes());
    let mut hits = 0;
    for i in 0..=bytes.len() - f.len() {
        if &bytes[i..i + f.len()] == f {
            bytes[i..i + f.len()].copy_from_slice(t);
            hits += 1;
        }
    }
    assert_eq!(hits, 2, "name should appear in local and central header");
    bytes
}

#[test]
fn unsafe_zips_are_refused_without_writing() {
    assert_refused(
        "dotdot",
        |_| {
            let z = zip_bytes(&[("bag/bagit.txt", b"x"), ("XX/evil", b"pwned")]);
            rename_raw(z, "XX/evil", "../evil")
        },
        "`..`",
    );
    assert_refused(
        "absolute",
        |_| {
            let z = zip_bytes(&[("Xabs/passwd", b"root")]);
            rename_raw(z, "Xabs/passwd", "/abs/passwd")
        },
        "absolute",
    );
    assert_refused(
        "backslash",
        |_| rename_raw(zip_bytes(&[("bag/aXb", b"1")]), "bag/aXb", "bag\\a\\b"),
        "backslash",
    );
    assert_refused(
        "drive",
        |_| rename_raw(zip_bytes(&[("CX/x", b"1")]), "CX/x", "C:/x"),
        "drive letter",
    );
    assert_refused(
        "duplicate",
        |_| {
            let z = zip_bytes(&[("bag/data/a.txt", b"good"), ("bag/data/b.txt", b"evil")]);
            rename_raw(z, "bag/data/b.txt", "bag/data/a.txt")
        },
        "duplicate",
    );
    assert_refused(
        "case",
        |_| zip_bytes(&[("bag/data/a.txt", b"good"), ("bag/data/A.txt", b"evil")]),
        "letter case",
    );
    assert_refused(
        "symlink",
        |_| {
            let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            w.start_file("bag/bagit.txt", SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"x").unwrap();
            w.add_symlink("bag/data/link", "/etc/passwd", SimpleFileOptions::default())
                .unwrap();
            w.finish().unwrap().into_inner()
        },
        "symbolic link",
    );
    assert_refused(
        "encrypted",
        |_| {
            let mut z = zip_bytes(&[("bag/data/secret.txt", b"hidden")]);
            patch_entry(&mut z, "bag/data/secret.txt", |c, l| {
                c[8] |= 1;
                l[6] |= 1;
            });
            z
        },
        "encrypted",
    );
    assert_refused(
        "bomb",
        |dir| {
            // One entry: 100 MB of zeros, deflated to about 100 KB.
            let p = dir.join("bomb.build");
            let mut w = zip::ZipWriter::new(fs::File::create(&p).unwrap());
            w.start_file("bag/data/zeros.bin", SimpleFileOptions::default())
                .unwrap();
            let chunk = vec![0u8; 1 << 20];
            for _ in 0..100 {
                w.write_all(&chunk).unwrap();
            }
            w.finish().unwrap();
            let b = fs::read(&p).unwrap();
            fs::remove_file(&p).unwrap();
            assert!(b.len() < 200_000);
            b
        },
        "bomb guard",
    );
    assert_refused(
        "lying-bomb",
        |_| {
            // Declares 1000 bytes; its deflate data inflates to 100 MB, past 1000 times its
            // size: reading must stop.
            let zeros = vec![0u8; 100 << 20];
            let mut z = zip_bytes(&[("bag/data/zeros.bin", &zeros)]);
            patch_entry(&mut z, "bag/data/zeros.bin", |c, l| {
                c[24..28].copy_from_slice(&1000u32.to_le_bytes());
                l[22..26].copy_from_slice(&1000u32.to_le_bytes());
            });
            z
        },
        "inflates past",
    );
    assert_refused(
        "local-name",
        |_| {
            // The central directory says one name, the local header another
            // (extractors that read local headers would write there).
            let mut z = zip_bytes(&[("bag/data/aaa.txt", b"x")]);
            let at = z
                .windows(16)
                .position(|w| w == b"bag/data/aaa.txt")
                .unwrap();
            z[at..at + 16].copy_from_slice(b"bag/../../aa.txt");
            z
        },
        "local header names",
    );
    assert_refused(
        "not-a-zip",
        |_| b"this is not a zip file at all, just text".to_vec(),
        "not a zip",
    );
}

/// The byte range of entry `name`'s (compressed) data in zip bytes.
fn entry_data(zip: &[u8], name: &str) -> std::ops::Range<usize> {
    let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes(zip[i..i + 4].try_into().unwrap()) as usize;
    let central = (0..zip.len() - 46)
        .find(|&i| {
            zip[i..i + 4] == [0x50, 0x4b, 0x01, 0x02]
                && &zip[i + 46..i + 46 + u16_at(i + 28)] == name.as_bytes()
        })
        .unwrap_or_else(|| panic!("{name} not found"));
    let local = u32_at(central + 42);
    let start = local + 30 + u16_at(local + 26) + u16_at(local + 28);
    start..start + u32_at(central + 20)
}

#[test]
fn a_bit_flip_in_deflated_data_is_tampering_of_that_entry() {
    // Single-bit flips in the deflate data of a page (every bit) and of the bundle manifest (600
    // bits spread over it): the zip is readable, so the verdict is Tampered with the entry
    // named, never Unusable (a flip is not a bomb). A flip in the unused bits after the final
    // block changes nothing.
    let d = tempdir();
    let (_, zip, _) = bundle_and_zip(d.path(), None);
    let good = fs::read(&zip).unwrap();
    let flipped = d.path().join("flipped.zip");
    for name in [
        "iso27001/data/index.html",
        "iso27001/data/manifest-sha256.txt",
    ] {
        let data = entry_data(&good, name);
        let bits = data.len() * 8;
        let step = bits.div_ceil(600);
        let (mut tried, mut tampered) = (0, 0);
        for bit in (0..bits).step_by(step) {
            tried += 1;
            let mut bytes = good.clone();
            bytes[data.start + bit / 8] ^= 1 << (bit % 8);
            fs::write(&flipped, &bytes).unwrap();
            let r = one(verify_path(&flipped, None).unwrap());
            match r.outcome() {
                Outcome::Intact => assert!(bit >= (data.len() - 1) * 8, "{name} bit {bit}: {r}"),
                Outcome::Tampered => {
                    assert!(r.changed.iter().any(|c| c == name), "{name} bit {bit}: {r}");
                    tampered += 1;
                }
                Outcome::Unusable => panic!("{name} bit {bit}: {r}"),
            }
        }
        assert!(
            tampered + 8 >= tried,
            "{name}: {tampered} of {tried} flips caught"
        );
    }
}

#[test]
fn an_entry_inflating_to_another_size_than_declared_is_changed() {
    // Within the bomb guard's limits a wrong declared size is tampering with that entry.
    let d = tempdir();
    let (_, zip, _) = bundle_and_zip(d.path(), None);
    let name = "iso27001/data/index.html";
    for declared in [10u32, 60] {
        let mut bytes = fs::read(&zip).unwrap();
        patch_entry(&mut bytes, name, |c, l| {
            c[24..28].copy_from_slice(&declared.to_le_bytes());
            l[22..26].copy_from_slice(&declared.to_le_bytes());
        });
        let lying = d.path().join("lying.zip");
        fs::write(&lying, bytes).unwrap();
        let r = one(verify_path(&lying, None).unwrap());
        assert_eq!(r.outcome(), Outcome::Tampered, "{r}");
        assert_eq!(r.changed, vec![name.to_string()], "{r}");
        let why = format!("inflates to 35 bytes, not the {declared} declared");
        assert!(r.problems.iter().any(|p| p.contains(&why)), "{r}");
    }
}

#[test]
fn too_many_entries_are_refused() {
    let d = tempdir();
    let p = d.path().join("many.zip");
    let mut w = zip::ZipWriter::new(std::io::BufWriter::new(fs::File::create(&p).unwrap()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..200_001u32 {
        w.start_file(format!("b/{i}"), opts).unwrap();
    }
    w.finish().unwrap();
    let r = one(verify_path(&p, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Unusable);
    assert!(r.problems.iter().any(|x| x.contains("200000")), "{r}");
}

#[test]
fn packaging_is_reproducible() {
    let d = tempdir();
    let (folder, zip1, m) = bundle_and_zip(d.path(), None);
    let zip2 = d.path().join("again.zip");
    write_bag_zip(&bag(&folder, &m, "iso27001"), &zip2).unwrap();
    let h1 = sha256_hex(&fs::read(&zip1).unwrap());
    assert_eq!(h1, sha256_hex(&fs::read(&zip2).unwrap()));

    // The same content rendered again (in parallel, in another folder).
    let d2 = tempdir();
    let (_, zip3, _) = bundle_and_zip(d2.path(), None);
    assert_eq!(h1, sha256_hex(&fs::read(&zip3).unwrap()));

    // No temp files left beside the zip.
    let names: Vec<_> = fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".tmp")), "{names:?}");

    // SOURCE_DATE_EPOCH moves the date, and only the date. (Its value is parsed here rather than
    // set: the tests share one process, and builds running beside this one read it.)
    assert_eq!(
        parse_source_date_epoch(" 1800000000\n"),
        Some(1_800_000_000)
    );
    for bad in ["not a number", "-1", "1e9", ""] {
        assert_eq!(parse_source_date_epoch(bad), None, "{bad:?}");
    }
    let later = 1_800_000_000;
    let zip4 = d.path().join("later.zip");
    let later_bag = Bag {
        epoch: later,
        ..bag(&folder, &m, "iso27001")
    };
    write_bag_zip(&later_bag, &zip4).unwrap();
    let zip5 = d.path().join("later2.zip");
    write_bag_zip(&later_bag, &zip5).unwrap();
    let h4 = sha256_hex(&fs::read(&zip4).unwrap());
    assert_ne!(h1, h4);
    assert_eq!(h4, sha256_hex(&fs::read(&zip5).unwrap()));

    let a = crate::common::zip_entries(&zip1);
    let b = crate::common::zip_entries(&zip4);
    assert_eq!(
        a.iter().map(|e| &e.0).collect::<Vec<_>>(),
        b.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        match name.as_str() {
            "iso27001/bag-info.txt" => {
                let (x, y) = (String::from_utf8_lossy(x), String::from_utf8_lossy(y));
                let diff: Vec<_> = x.lines().zip(y.lines()).filter(|(p, q)| p != q).collect();
                assert_eq!(
                    diff,
                    vec![("Bagging-Date: 2026-01-01", "Bagging-Date: 2027-01-15")]
                );
            }
            "iso27001/tagmanifest-sha256.txt" => {} // hashes bag-info.txt
            _ => assert_eq!(x, y, "{name} differs"),
        }
    }
    let mut za = zip::ZipArchive::new(fs::File::open(&zip4).unwrap()).unwrap();
    let t = za.by_index(0).unwrap().last_modified().unwrap();
    assert_eq!((t.year(), t.month(), t.day()), (2027, 1, 15));
    assert_eq!(za.by_index(0).unwrap().unix_mode(), Some(0o100644));
}

#[test]
fn precompressed_files_are_stored_text_deflated() {
    let d = tempdir();
    let (_, zip, _) = bundle_and_zip(d.path(), None);
    let mut a = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    let mut tops = std::collections::BTreeSet::new();
    for i in 0..a.len() {
        let f = a.by_index_raw(i).unwrap();
        tops.insert(f.name().split('/').next().unwrap().to_string());
        assert!(!f.is_dir());
        assert!(f.extra_data().is_none_or(|x| x.is_empty()), "{}", f.name());
        let stored = f.name().ends_with(".png") || f.name().ends_with(".pdf");
        let want = if stored {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        assert_eq!(f.compression(), want, "{}", f.name());
    }
    assert_eq!(tops.into_iter().collect::<Vec<_>>(), vec!["iso27001"]);
}

#[test]
fn bagit_python_accepts_the_bag() {
    let python_bagit = Command::new("python3")
        .args(["-c", "import bagit"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !python_bagit {
        eprintln!("note: bagit-python not importable (pip install bagit); skipping its check");
        return;
    }
    let d = tempdir();
    let (_, zip, _) = bundle_and_zip(d.path(), None);
    let out = d.path().join("out");
    crate::common::unpack(&zip, &out);
    let res = Command::new("python3")
        .args(["-m", "bagit", "--validate"])
        .arg(out.join("iso27001"))
        .output()
        .unwrap();
    assert!(res.status.success(), "{res:?}");

    // Tampering is caught by bagit-python as well.
    fs::write(out.join("iso27001/data/index.html"), b"changed").unwrap();
    let res = Command::new("python3")
        .args(["-m", "bagit", "--validate"])
        .arg(out.join("iso27001"))
        .output()
        .unwrap();
    assert!(!res.status.success());
}

/// A fresh unencrypted minisign key pair written to `dir`: (secret key
/// path, public key path).
fn keypair(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let kp = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let sk = dir.join(format!("{name}.key"));
    let pk = dir.join(format!("{name}.pub"));
    fs::write(&sk, kp.sk.to_box(None).unwrap().into_string()).unwrap();
    fs::write(&pk, kp.pk.to_box().unwrap().into_string()).unwrap();
    (sk, pk)
}

#[test]
fn signed_pack_verifies_and_tampering_is_caught() {
    let d = tempdir();
    let (sk, pk) = keypair(d.path(), "k");
    let signer = Signer::from_file(&sk, None).unwrap();
    let (_, zip, m) = bundle_and_zip(d.path(), Some(&signer));
    let names: Vec<_> = crate::common::zip_entries(&zip)
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert!(names.contains(&"iso27001/tagmanifest-sha256.txt.minisig".to_string()));

    let r = one(verify_path(&zip, Some(&pk)).unwrap());
    assert_eq!(r.outcome(), Outcome::Intact, "{r}");
    let sig = r.signature.clone().unwrap();
    assert!(
        sig.starts_with(&format!("valid (key id {}", signer.key_id())),
        "{sig}"
    );
    assert!(sig.contains(&m.digest), "{sig}");

    // Without a key the signature is reported, not checked.
    let r = one(verify_path(&zip, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Intact);
    assert!(r.signature.unwrap().contains("not checked"));

    // Another key: tampered.
    let (_, other) = keypair(d.path(), "other");
    let r = one(verify_path(&zip, Some(&other)).unwrap());
    assert_eq!(r.outcome(), Outcome::Tampered, "{r}");
    assert!(r.signature.unwrap().starts_with("INVALID"));

    // A consistent forgery (bag-info edited, tag manifest recomputed) is
    // caught by the signature alone.
    let mut forged = crate::common::zip_entries(&zip);
    let info = forged
        .iter_mut()
        .find(|e| e.0 == "iso27001/bag-info.txt")
        .unwrap();
    info.1 = String::from_utf8(info.1.clone())
        .unwrap()
        .replace("ACME Corp", "Evil Corp")
        .into_bytes();
    let tag_text: String = {
        let mut lines: Vec<(String, String)> = forged
            .iter()
            .filter(|e| {
                matches!(
                    e.0.as_str(),
                    "iso27001/bag-info.txt" | "iso27001/bagit.txt" | "iso27001/manifest-sha256.txt"
                )
            })
            .map(|e| (e.0["iso27001/".len()..].to_string(), sha256_hex(&e.1)))
            .collect();
        lines.sort();
        lines.iter().map(|(n, h)| format!("{h}  {n}\n")).collect()
    };
    forged
        .iter_mut()
        .find(|e| e.0 == "iso27001/tagmanifest-sha256.txt")
        .unwrap()
        .1 = tag_text.into_bytes();
    let fz = d.path().join("forged.zip");
    write_entries(&fz, &forged);
    let r = one(verify_path(&fz, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Intact, "forgery is consistent: {r}");
    let r = one(verify_path(&fz, Some(&pk)).unwrap());
    assert_eq!(r.outcome(), Outcome::Tampered, "{r}");
    assert!(r.problems.iter().any(|p| p.contains("signature")), "{r}");

    // Signature removed while a key is expected: tampered.
    let stripped: Vec<_> = crate::common::zip_entries(&zip)
        .into_iter()
        .filter(|e| !e.0.ends_with(".minisig"))
        .collect();
    let sz = d.path().join("stripped.zip");
    write_entries(&sz, &stripped);
    let r = one(verify_path(&sz, Some(&pk)).unwrap());
    assert_eq!(r.outcome(), Outcome::Tampered, "{r}");
    assert_eq!(r.signature.as_deref(), Some("missing"));
    assert!(
        r.problems.iter().any(|p| p.contains("no tagmanifest")),
        "{r}"
    );
}

#[test]
fn minisign_cli_accepts_the_signature() {
    if !crate::common::have("minisign", "-v") {
        eprintln!("note: minisign CLI not installed (apt-get install minisign); skipping");
        return;
    }
    let d = tempdir();
    let (sk, pk) = keypair(d.path(), "k");
    let signer = Signer::from_file(&sk, None).unwrap();
    let (_, zip, _) = bundle_and_zip(d.path(), Some(&signer));
    let out = d.path().join("out");
    crate::common::unpack(&zip, &out);
    let bag = out.join("iso27001");
    let res = Command::new("minisign")
        .args(["-Vm", "tagmanifest-sha256.txt", "-p"])
        .arg(&pk)
        .current_dir(&bag)
        .output()
        .unwrap();
    assert!(res.status.success(), "{res:?}");
    let stdout = String::from_utf8_lossy(&res.stdout);
    assert!(
        stdout.contains("Signature and comment signature verified"),
        "{stdout}"
    );

    fs::write(bag.join("tagmanifest-sha256.txt"), b"tampered\n").unwrap();
    let res = Command::new("minisign")
        .args(["-Vm", "tagmanifest-sha256.txt", "-p"])
        .arg(&pk)
        .current_dir(&bag)
        .output()
        .unwrap();
    assert!(!res.status.success());
}

#[test]
fn pack_json_names_folders_and_zips() {
    let d = tempdir();
    let (sk, pk) = keypair(d.path(), "k");
    let signer = Signer::from_file(&sk, None).unwrap();
    let out = d.path().join("site");
    fs::create_dir(&out).unwrap();
    let mut bundles = Vec::new();
    for name in ["iso27001", "soc2"] {
        let folder = out.join(name);
        let m = make_bundle(&folder, d.path());
        let bag_name = format!("{name}-{}", &m.digest[..12]);
        let signed = Bag {
            signer: Some(&signer),
            ..bag(&folder, &m, &bag_name)
        };
        write_bag_zip(&signed, &out.join(format!("{bag_name}.zip"))).unwrap();
        bundles.push(serde_json::json!({
            "name": name, "title": TITLE, "folder": name, "zip": format!("{bag_name}.zip"),
            "digest": m.digest, "files": m.entries.len(),
            "bytes": m.entries.iter().map(|e| e.size).sum::<u64>(),
        }));
    }
    // What build writes, for the bags info() describes.
    let pack = serde_json::json!({
        "format": "evidencepack-pack/1", "generator": SOFTWARE_AGENT,
        "tool_version": env!("CARGO_PKG_VERSION"), "built_at": "2026-01-01T00:00:00Z",
        "organisation": "ACME Corp", "period": { "start": "2026-01-01", "end": "2026-06-30" },
        "audience": "auditor", "max_classification": "confidential", "withheld_records": 0,
        "content_digest": "c".repeat(64),
        "signature": { "key_id": signer.key_id(), "file": "<bag>/tagmanifest-sha256.txt.minisig" },
        "bundles": bundles,
    });
    fs::write(out.join("pack.json"), pack.to_string()).unwrap();

    let reports = verify_path(&out, Some(&pk)).unwrap();
    assert_eq!(reports.len(), 5, "pack.json, two folders, two zips");
    for r in &reports {
        assert_eq!(r.outcome(), Outcome::Intact, "{r}");
    }
    assert_eq!(Outcome::worst(&reports), Outcome::Intact);
    let iso = reports
        .iter()
        .find(|r| r.target.ends_with("iso27001"))
        .unwrap();
    assert!(iso
        .signature
        .as_deref()
        .unwrap()
        .starts_with("covered by the signed zip"));
    // pack.json itself may be given too.
    assert_eq!(
        verify_path(&out.join("pack.json"), Some(&pk))
            .unwrap()
            .len(),
        5
    );

    // A folder changed and its manifest regenerated: the digest no longer
    // matches pack.json nor the signed zip.
    let folder = out.join("soc2");
    fs::write(folder.join("index.html"), b"rewritten").unwrap();
    let rest = d.path().join("rebuilt");
    let w = BundleWriter::new(&rest).unwrap();
    for e in Manifest::read_from(&folder).unwrap().entries {
        w.copy_file(&e.path, &folder.join(&e.path)).unwrap();
    }
    let m2 = w.finish().unwrap();
    fs::write(folder.join("manifest-sha256.txt"), &m2.text).unwrap();
    let reports = verify_path(&out, Some(&pk)).unwrap();
    let soc2 = reports.iter().find(|r| r.target.ends_with("soc2")).unwrap();
    assert_eq!(soc2.outcome(), Outcome::Tampered, "{soc2}");
    assert!(
        soc2.problems.iter().any(|p| p.contains("pack.json")),
        "{soc2}"
    );
    assert!(soc2.problems.iter().any(|p| p.contains("zip")), "{soc2}");
    assert_eq!(Outcome::worst(&reports), Outcome::Tampered);

    // A zip named in pack.json that is gone.
    let zips: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "zip"))
        .collect();
    fs::remove_file(&zips[0]).unwrap();
    let reports = verify_path(&out, Some(&pk)).unwrap();
    assert!(reports
        .iter()
        .any(|r| r.outcome() == Outcome::Tampered && !r.missing.is_empty()));

    // Garbage pack.json: unusable.
    fs::write(out.join("pack.json"), b"{not json").unwrap();
    let r = one(verify_path(&out, None).unwrap());
    assert_eq!(r.outcome(), Outcome::Unusable);
}

#[test]
fn encrypted_key_needs_a_password() {
    let d = tempdir();
    let kp = minisign::KeyPair::generate_encrypted_keypair(Some("s3cret".into())).unwrap();
    let sk = d.path().join("enc.key");
    fs::write(&sk, kp.sk.to_box(None).unwrap().into_string()).unwrap();
    assert!(Signer::from_file(&sk, Some("wrong".into())).is_err());
    // The password from EVIDENCEPACK_SIGN_PASSWORD is tested through the binary
    // (pack::an_encrypted_key_reads_its_password_from_the_environment): the tests share one
    // process, so none of them changes its environment.
    let s = Signer::from_file(&sk, Some("s3cret".into())).unwrap();
    let (_, zip, _) = bundle_and_zip(d.path(), Some(&s));
    let pk = d.path().join("enc.pub");
    fs::write(&pk, kp.pk.to_box().unwrap().into_string()).unwrap();
    let r = one(verify_path(&zip, Some(&pk)).unwrap());
    assert_eq!(r.outcome(), Outcome::Intact, "{r}");
}
