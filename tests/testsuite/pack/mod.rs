//! Whole packs through the binary: reproducible zips and pack.json, `verify`, signatures,
//! audience packs, the Content-Security-Policy and the secret-leak guard.
//!
//! The fixture `pack-audience` is the small render fixture plus records classified above
//! `internal` (an incident, a restricted rotation, an identity, a policy and an internal audit)
//! whose titles and text carry marker words (Quokka, Wombat, Platypus, Numbat) that must never
//! reach a customer pack, and a visible policy that links to each of them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use evidencepack::bundle::sha256_hex;

mod secret_guard;

/// Words that appear only in the fixture's withheld (confidential or restricted) records.
const MARKERS: [&str; 4] = ["Quokka", "Wombat", "Platypus", "Numbat"];

/// The exact policy every page must carry.
const CSP: &str = r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self' file:; img-src 'self' file:; base-uri 'none'; form-action 'none'">"#;

fn evidencepack(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = crate::common::bin();
    cmd.args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "status {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Build `content` into `out` with extra arguments after `build`; asserts success.
fn build(content: &Path, out: &Path, extra: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut args = vec!["--content", s(content), "--out", s(out), "build"];
    args.extend_from_slice(extra);
    let o = evidencepack(&args, envs);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    o
}

fn verify(path: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["verify", s(path)];
    args.extend_from_slice(extra);
    evidencepack(&args, &[])
}

/// A copy of the audience fixture that a test may change: (temp dir, content folder inside it).
fn editable_pack() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let content = d.path().join("content");
    crate::common::copy_tree(&crate::common::fixture("pack-audience"), &content);
    (d, content)
}

/// A fresh build of the audience fixture: (temp dir, output folder).
fn built(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("dist");
    build(&crate::common::fixture("pack-audience"), &out, extra, &[]);
    (d, out)
}

/// The zip of `bundle` in `out`, as named by pack.json.
fn zip_of(out: &Path, bundle: &str) -> PathBuf {
    let pack = pack_json(out);
    let b = pack["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == bundle)
        .unwrap();
    out.join(b["zip"].as_str().unwrap())
}

fn pack_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(out.join("pack.json")).unwrap()).unwrap()
}

/// SHA-256 of every file under `dir`, by relative path.
/// The build's lock file is not output (it is empty and stays between builds) and is skipped.
fn hashes(dir: &Path) -> BTreeMap<String, String> {
    crate::common::files(dir)
        .into_iter()
        .filter(|f| f != evidencepack::build::LOCK_NAME)
        .map(|f| {
            let h = sha256_hex(&fs::read(dir.join(&f)).unwrap());
            (f, h)
        })
        .collect()
}

#[test]
fn two_builds_are_byte_identical() {
    let (_a, one) = built(&[]);
    let (_b, two) = built(&[]);
    let h1 = hashes(&one);
    assert_eq!(h1, hashes(&two));
    let zips: Vec<&String> = h1.keys().filter(|f| f.ends_with(".zip")).collect();
    assert_eq!(zips.len(), 2, "{h1:#?}");

    // pack.json names both bundles, their folders, zips and digests; the build time is the
    // period's end (no SOURCE_DATE_EPOCH), not the clock.
    let pack = pack_json(&one);
    assert_eq!(pack["built_at"], "2026-06-30T00:00:00Z");
    assert_eq!(pack["tool_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(pack["period"]["start"], "2026-01-01");
    assert_eq!(pack["audience"], "auditor");
    assert_eq!(pack["content_digest"].as_str().unwrap().len(), 64);
    for (b, name) in pack["bundles"]
        .as_array()
        .unwrap()
        .iter()
        .zip(["iso27001", "soc2"])
    {
        assert_eq!(b["name"], name);
        assert_eq!(b["folder"], name);
        let manifest = fs::read(one.join(name).join("manifest-sha256.txt")).unwrap();
        let digest = sha256_hex(&manifest);
        assert_eq!(b["digest"], digest.as_str());
        assert_eq!(b["zip"], format!("{name}-{}.zip", &digest[..12]).as_str());
        let info = crate::common::zip_entries(&one.join(b["zip"].as_str().unwrap()))
            .into_iter()
            .find(|(n, _)| n.ends_with("/bag-info.txt"))
            .unwrap()
            .1;
        let info = String::from_utf8(info).unwrap();
        assert!(
            info.contains(&format!("Bundle-Digest: {digest}\n")),
            "{info}"
        );
        assert!(info.contains("Bagging-Date: 2026-06-30\n"), "{info}");
    }

    // SOURCE_DATE_EPOCH moves every timestamp (zips, pack.json), not the bundle folders.
    let d = tempfile::tempdir().unwrap();
    let three = d.path().join("dist");
    build(
        &crate::common::fixture("pack-audience"),
        &three,
        &[],
        &[("SOURCE_DATE_EPOCH", "1767225600")],
    );
    assert_eq!(pack_json(&three)["built_at"], "2026-01-01T00:00:00Z");
    let h3 = hashes(&three);
    for (f, h) in &h1 {
        let same = h3.get(f) == Some(h);
        let folder = f.starts_with("iso27001/") || f.starts_with("soc2/");
        assert_eq!(same, folder, "{f}");
    }
}

#[test]
fn verify_accepts_the_pack_a_bundle_and_a_zip() {
    let (_d, out) = built(&[]);
    let zip = zip_of(&out, "iso27001");
    for target in [
        out.clone(),
        out.join("iso27001"),
        zip,
        out.join("pack.json"),
    ] {
        let o = verify(&target, &[]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(stdout.contains("INTACT"), "{stdout}");
        assert!(!stdout.contains("TAMPERED"), "{stdout}");
    }
    let pack = verify(&out, &[]);
    assert_eq!(
        String::from_utf8_lossy(&pack.stdout)
            .matches(": INTACT (")
            .count(),
        5,
        "pack.json, two folders and two zips"
    );
    // Not a bundle, zip or pack: unusable.
    let o = verify(&out.join("iso27001/index.html"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let help = evidencepack(&["verify", "--help"], &[]);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Examples:"));
}

#[test]
fn a_change_a_deletion_and_an_addition_are_each_named() {
    type Tamper = fn(&Path) -> &'static str;
    let cases: [(&str, Tamper); 3] = [
        ("changed", |b| {
            let p = b.join("controls/AC-02.html");
            let mut bytes = fs::read(&p).unwrap();
            bytes[100] ^= 0x20;
            fs::write(&p, bytes).unwrap();
            "controls/AC-02.html"
        }),
        ("missing", |b| {
            fs::remove_file(b.join("evidence/EV-0001.html")).unwrap();
            "evidence/EV-0001.html"
        }),
        ("extra", |b| {
            fs::write(b.join("policies/planted.html"), "<p>not ours</p>").unwrap();
            "policies/planted.html"
        }),
    ];
    for (label, tamper) in cases {
        let (_d, out) = built(&[]);
        let name = tamper(&out.join("soc2"));
        for target in [out.join("soc2"), out.clone()] {
            let o = verify(&target, &[]);
            assert_eq!(o.status.code(), Some(1), "{label}: {}", text(&o));
            let stdout = String::from_utf8_lossy(&o.stdout);
            assert!(
                stdout.contains(&format!("  {label}: {name}\n")),
                "{label}: {stdout}"
            );
            assert!(stdout.contains("TAMPERED"), "{stdout}");
        }
        // The zip is untouched and still verifies.
        let o = verify(&zip_of(&out, "soc2"), &[]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    }
}

#[test]
fn an_edited_byte_of_a_folder_manifest_is_blamed_on_the_manifest() {
    // One hex digit of the line of a page (only the pack's zip can tell the page is intact) and
    // of the first line, the hashed stylesheet's (its name tells, even for the folder alone).
    let (_d, out) = built(&[]);
    let manifest = out.join("soc2/manifest-sha256.txt");
    let good = fs::read_to_string(&manifest).unwrap();
    let page_line = good.find("  controls/AC-02.html\n").unwrap() - 64;
    for (at, targets) in [
        (page_line, vec![out.clone()]),
        (0, vec![out.clone(), out.join("soc2")]),
    ] {
        let mut edited = good.clone().into_bytes();
        edited[at] = if edited[at] == b'0' { b'1' } else { b'0' };
        fs::write(&manifest, &edited).unwrap();
        for target in targets {
            let o = verify(&target, &[]);
            assert_eq!(o.status.code(), Some(1), "{}", text(&o));
            let stdout = String::from_utf8_lossy(&o.stdout);
            let blamed: Vec<&str> = stdout
                .lines()
                .filter(|l| l.starts_with("  changed: "))
                .collect();
            assert_eq!(blamed, vec!["  changed: manifest-sha256.txt"], "{stdout}");
        }
    }
    // Made malformed, or deleted: alone the folder cannot be checked; in the pack its files are
    // checked against the zip's manifest, and only the manifest is named.
    let mut malformed = good.clone().into_bytes();
    malformed[page_line] = b'x';
    for (bytes, verdict) in [(Some(malformed), "changed"), (None, "missing")] {
        match bytes {
            Some(t) => fs::write(&manifest, t).unwrap(),
            None => fs::remove_file(&manifest).unwrap(),
        }
        let o = verify(&out, &[]);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        let named: Vec<&str> = stdout
            .lines()
            .filter(|l| {
                ["  changed: ", "  missing: ", "  extra: "]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
            .collect();
        assert_eq!(
            named,
            vec![format!("  {verdict}: manifest-sha256.txt")],
            "{stdout}"
        );
    }
    fs::write(&manifest, b"not a manifest\n").unwrap();
    assert_eq!(verify(&out.join("soc2"), &[]).status.code(), Some(2));
}

#[test]
fn every_field_of_pack_json_is_checked_against_the_bags_and_folders() {
    // Each edit of pack.json alone is tampering, and the verdict names the field it changed.
    let (_d, out) = built(&["--audience", "customer"]);
    let good = pack_json(&out);
    assert_eq!(verify(&out, &[]).status.code(), Some(0));
    type Edit = fn(&mut serde_json::Value);
    let edits: [(&str, Edit); 20] = [
        ("content_digest", |p| {
            p["content_digest"] = "0".repeat(64).into()
        }),
        ("organisation", |p| {
            p["organisation"] = "Someone Else Ltd".into()
        }),
        ("period", |p| p["period"]["start"] = "2025-01-01".into()),
        ("period", |p| p["period"]["end"] = "2026-12-31".into()),
        ("audience", |p| p["audience"] = "auditor".into()),
        ("max_classification", |p| {
            p["max_classification"] = "confidential".into()
        }),
        ("withheld_records", |p| p["withheld_records"] = 0.into()),
        ("built_at", |p| {
            p["built_at"] = "2026-07-01T00:00:00Z".into()
        }),
        ("generator", |p| {
            p["generator"] = "evidencepack 9.9.9".into()
        }),
        ("tool_version", |p| p["tool_version"] = "9.9.9".into()),
        ("signature", |p| {
            p["signature"] = serde_json::json!({ "key_id": "0123456789ABCDEF",
                "file": "<bag>/tagmanifest-sha256.txt.minisig" })
        }),
        ("files", |p| p["bundles"][1]["files"] = 1.into()),
        ("bytes", |p| {
            let b = p["bundles"][0]["bytes"].as_u64().unwrap();
            p["bundles"][0]["bytes"] = (b + 1).into()
        }),
        ("title", |p| {
            p["bundles"][1]["title"] = "SOC 2 Type I report".into()
        }),
        ("folder", |p| p["bundles"][0]["folder"] = "soc2".into()),
        ("zip", |p| {
            let z = p["bundles"][1]["zip"].clone();
            p["bundles"][0]["zip"] = z
        }),
        ("name", |p| p["bundles"][0]["name"] = "soc2".into()),
        ("digest", |p| {
            p["bundles"][1]["digest"] = "0".repeat(64).into()
        }),
        // A bundle left out, and one named that is not there.
        ("soc2", |p| {
            p["bundles"].as_array_mut().unwrap().pop();
        }),
        ("extra", |p| {
            let mut b = p["bundles"][0].clone();
            b["name"] = "extra".into();
            b["folder"] = "extra".into();
            p["bundles"].as_array_mut().unwrap().push(b)
        }),
    ];
    for (field, edit) in edits {
        let mut pack = good.clone();
        edit(&mut pack);
        assert_ne!(pack, good, "{field}");
        fs::write(
            out.join("pack.json"),
            serde_json::to_string_pretty(&pack).unwrap(),
        )
        .unwrap();
        let o = verify(&out, &[]);
        assert_eq!(o.status.code(), Some(1), "{field}: {}", text(&o));
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with("  ") && l.contains(field)),
            "{field}: {stdout}"
        );
    }
    // A format this verifier does not read: nothing can be checked.
    let mut pack = good.clone();
    pack["format"] = "evidencepack-pack/2".into();
    fs::write(out.join("pack.json"), pack.to_string()).unwrap();
    let o = verify(&out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("format"),
        "{}",
        text(&o)
    );
}

#[test]
fn standard_tools_validate_both_bags() {
    let (d, out) = built(&[]);
    let bagit = Command::new("python3")
        .args(["-c", "import bagit"])
        .output()
        .is_ok_and(|o| o.status.success());
    for bundle in ["iso27001", "soc2"] {
        let bag =
            crate::common::unpack(&zip_of(&out, bundle), &d.path().join(format!("x-{bundle}")));
        // The bundle inside the bag is the bundle folder, byte for byte.
        assert_eq!(hashes(&bag.join("data")), hashes(&out.join(bundle)));
        if crate::common::have("sha256sum", "--version") {
            let o = Command::new("sha256sum")
                .args(["-c", "--strict", "--quiet", "manifest-sha256.txt"])
                .current_dir(bag.join("data"))
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", text(&o));
        }
        if bagit {
            let o = Command::new("python3")
                .args(["-m", "bagit", "--validate"])
                .arg(&bag)
                .output()
                .unwrap();
            assert!(o.status.success(), "{bundle}: {}", text(&o));
        } else {
            eprintln!("note: bagit-python not importable (pip install bagit); skipping it");
        }
    }
}

/// A fresh unencrypted minisign key pair in `dir`: (secret key, public key).
fn keypair(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let kp = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let (sk, pk) = (
        dir.join(format!("{name}.key")),
        dir.join(format!("{name}.pub")),
    );
    fs::write(&sk, kp.sk.to_box(None).unwrap().into_string()).unwrap();
    fs::write(&pk, kp.pk.to_box().unwrap().into_string()).unwrap();
    (sk, pk)
}

#[test]
fn a_signed_pack_verifies_with_its_key_and_fails_after_tampering() {
    let d = tempfile::tempdir().unwrap();
    let (sk, pk) = keypair(d.path(), "pack");
    let (_, other) = keypair(d.path(), "other");
    let out = d.path().join("dist");
    let o = build(
        &crate::common::fixture("pack-audience"),
        &out,
        &["--sign", s(&sk)],
        &[],
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("zips signed by key"),
        "{}",
        text(&o)
    );
    let key_id = pack_json(&out)["signature"]["key_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(key_id.len(), 16);
    for bundle in ["iso27001", "soc2"] {
        let names: Vec<String> = crate::common::zip_entries(&zip_of(&out, bundle))
            .into_iter()
            .map(|e| e.0)
            .collect();
        assert!(
            names
                .iter()
                .any(|n| n.ends_with("/tagmanifest-sha256.txt.minisig")),
            "{names:?}"
        );
    }

    let o = verify(&out, &["--pubkey", s(&pk)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("valid (key id {key_id}")));
    let o = verify(&zip_of(&out, "soc2"), &["--pubkey", s(&other)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));

    if crate::common::have("minisign", "-v") {
        let bag = crate::common::unpack(&zip_of(&out, "iso27001"), &d.path().join("x"));
        let o = Command::new("minisign")
            .args(["-Vm", "tagmanifest-sha256.txt", "-p"])
            .arg(&pk)
            .current_dir(&bag)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", text(&o));
    } else {
        eprintln!("note: minisign CLI not installed; skipping its check");
    }

    // A changed file in a folder: the folder no longer matches its signed zip.
    let page = out.join("iso27001/index.html");
    let mut bytes = fs::read(&page).unwrap();
    bytes[50] ^= 1;
    fs::write(&page, bytes).unwrap();
    let o = verify(&out, &["--pubkey", s(&pk)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("changed: index.html"));

    // One byte of a page inside a signed zip.
    let zip = zip_of(&out, "soc2");
    let start = {
        let mut a = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
        let i = (0..a.len())
            .find(|&i| a.by_index(i).unwrap().name().ends_with("/data/index.html"))
            .unwrap();
        let f = a.by_index(i).unwrap();
        f.data_start()
    };
    let mut raw = fs::read(&zip).unwrap();
    raw[start as usize + 10] ^= 0x55;
    fs::write(&zip, raw).unwrap();
    let o = verify(&zip, &["--pubkey", s(&pk)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("data/index.html"),
        "{}",
        text(&o)
    );
}

#[test]
fn an_encrypted_key_reads_its_password_from_the_environment() {
    let d = tempfile::tempdir().unwrap();
    let kp = minisign::KeyPair::generate_encrypted_keypair(Some("correct horse".into())).unwrap();
    let sk = d.path().join("enc.key");
    let pk = d.path().join("enc.pub");
    fs::write(&sk, kp.sk.to_box(None).unwrap().into_string()).unwrap();
    fs::write(&pk, kp.pk.to_box().unwrap().into_string()).unwrap();
    let content = crate::common::fixture("pack-audience");
    let out = d.path().join("dist");
    let args = [
        "--content",
        s(&content),
        "--out",
        s(&out),
        "build",
        "--sign",
        s(&sk),
    ];
    let o = evidencepack(&args, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(String::from_utf8_lossy(&o.stderr).contains("EVIDENCEPACK_SIGN_PASSWORD"));
    assert!(!out.join("pack.json").exists());
    let o = evidencepack(&args, &[("EVIDENCEPACK_SIGN_PASSWORD", "wrong")]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    build(
        &content,
        &out,
        &["--sign", s(&sk)],
        &[("EVIDENCEPACK_SIGN_PASSWORD", "correct horse")],
    );
    let o = verify(&out, &["--pubkey", s(&pk)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// Every file of a build output, zips unpacked: (name, bytes).
fn everything(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for f in crate::common::files(out) {
        let bytes = fs::read(out.join(&f)).unwrap();
        if f.ends_with(".zip") {
            for (name, b) in crate::common::zip_entries(&out.join(&f)) {
                all.push((format!("{f}!{name}"), b));
            }
        }
        all.push((f, bytes));
    }
    all
}

#[test]
fn a_customer_pack_contains_no_confidential_record() {
    let (_d, out) = built(&["--audience", "customer"]);
    let minutes = fs::read(crate::common::fixture(
        "pack-audience/attachments/confidential/quokka-minutes.txt",
    ))
    .unwrap();
    for (name, bytes) in everything(&out) {
        let text = String::from_utf8_lossy(&bytes);
        for m in MARKERS {
            assert!(!text.contains(m), "{m} leaked into {name}");
        }
        assert!(
            !bytes
                .windows(minutes.len())
                .any(|w| w == minutes.as_slice()),
            "the confidential attachment is in {name}"
        );
    }
    for bundle in ["iso27001", "soc2"] {
        let log = fs::read_to_string(out.join(bundle).join("redactions.html")).unwrap();
        for (kind, id, class) in [
            ("evidence", "EV-C1", "confidential"),
            ("evidence", "EV-C2", "restricted"),
            ("identity", "svc-vault", "confidential"),
            ("policy", "POL-CROWN", "confidential"),
            ("review", "IA-C1", "confidential"),
        ] {
            let row = format!(
                r#"<tr><td>{kind}</td><th scope="row" class="id">{id}</th><td>{class}</td>"#
            );
            assert!(log.contains(&row), "{bundle}: {row} not in\n{log}");
        }
        let index = fs::read_to_string(out.join(bundle).join("index.html")).unwrap();
        assert!(
            index.contains(r#"<a href="redactions.html">redaction log</a> (5 records withheld)"#)
        );
        // Links to withheld records are text, never links; no link is broken.
        let policy = fs::read_to_string(out.join(bundle).join("policies/POL-AC.html")).unwrap();
        assert!(
            policy.contains(
                r#"<span class="withheld">briefed to the board (withheld from this pack)</span>"#
            ),
            "{policy}"
        );
        assert!(!policy.contains("EV-C1.html"), "{policy}");
        let broken = crate::common::broken_links(&out, bundle, false);
        assert!(broken.is_empty(), "{broken:#?}");
    }
    // The SOC 2 test of AC-02 still counts the withheld incident: same population digest as the
    // auditor's pack, and it is not requested as missing evidence.
    let (_a, auditor) = built(&[]);
    let digest_line = |dir: &Path| {
        let page = fs::read_to_string(dir.join("soc2/populations/AC-02.txt")).unwrap();
        sha256_hex(page.as_bytes())
    };
    assert_eq!(digest_line(&out), digest_line(&auditor));
    // GV-01 is annual: its one item is the year 2026, with EV/0004, EV-0005 and EV-C1 as
    // evidence. The row stays (a tested item, not a missing one) but the title its evidence
    // lends it is shown only to the auditor, who sees all of that evidence.
    let row = r#"<th scope="row" class="id">2026"#;
    let customer_gv = fs::read_to_string(out.join("soc2/controls/GV-01.html")).unwrap();
    let auditor_gv = fs::read_to_string(auditor.join("soc2/controls/GV-01.html")).unwrap();
    assert!(
        customer_gv.contains(&format!("{row}</th>")),
        "{customer_gv}"
    );
    assert!(
        customer_gv.contains(
            r#"<a class="ref" href="../evidence/EV-C1.html">EV-C1</a> <span class="withheld">withheld</span>"#
        ),
        "{customer_gv}"
    );
    assert!(
        !auditor_gv.contains(r#"<span class="withheld">"#),
        "{auditor_gv}"
    );
    assert!(
        auditor_gv.contains(&format!(
            r#"{row}<br><span class="muted">Deploy key rotated</span></th>"#
        )),
        "{auditor_gv}"
    );
    let requests = fs::read_to_string(out.join("soc2/request-list.html")).unwrap();
    assert!(!requests.contains("EV-C1"), "{requests}");
    assert_eq!(
        pack_json(&out)["content_digest"],
        pack_json(&auditor)["content_digest"]
    );
    assert_eq!(pack_json(&out)["withheld_records"], 5);

    // The auditor (up to confidential) sees the confidential records but not the restricted one.
    let all: String = everything(&auditor)
        .into_iter()
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect();
    for m in ["Quokka", "Platypus", "Numbat"] {
        assert!(all.contains(m), "{m} is missing from the auditor's pack");
    }
    assert!(!all.contains("Wombat vault root token rotated"));
}

#[test]
fn an_audience_the_pack_does_not_declare_is_a_content_error() {
    let (d, content) = editable_pack();
    let pack = fs::read_to_string(content.join("pack.yaml")).unwrap();
    // The fixture declares the customer over several lines (its sections), up to the next
    // top-level key.
    let start = pack.find("  # Every section").unwrap();
    let end = start + pack[start..].find("\n# ").unwrap() + 1;
    let pack = format!("{}{}", &pack[..start], &pack[end..]);
    assert!(!pack.contains("customer:"));
    fs::write(content.join("pack.yaml"), pack).unwrap();
    let out = d.path().join("dist");
    let o = evidencepack(
        &[
            "--content",
            s(&content),
            "--out",
            s(&out),
            "build",
            "--audience",
            "customer",
        ],
        &[],
    );
    // A content error (issue 14 item 6): at the `audiences:` of pack.yaml, naming the others.
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let all = text(&o);
    assert!(
        all.contains("error[E100]: audience `customer` is not declared under `audiences:`; declared: auditor"),
        "{all}"
    );
    assert!(!out.join("pack.json").exists());
}

#[test]
fn every_page_carries_the_content_security_policy() {
    let (_d, out) = built(&["--audience", "customer"]);
    let handler = regex::Regex::new(r"(?i)\son[a-z]+\s*=").unwrap();
    let mut n = 0;
    for bundle in ["iso27001", "soc2"] {
        for (path, html) in crate::common::pages(&out.join(bundle)) {
            n += 1;
            assert_eq!(html.matches(CSP).count(), 1, "{bundle}/{path}");
            let head = &html[..html.find("</head>").unwrap()];
            assert!(head.find(CSP) < head.find("<title>"), "{bundle}/{path}");
            for tag in crate::common::tags(&html) {
                let lower = tag.to_ascii_lowercase();
                for banned in ["<script", "<style", " style="] {
                    assert!(!lower.contains(banned), "{bundle}/{path}: {tag}");
                }
                assert!(!handler.is_match(&tag), "{bundle}/{path}: {tag}");
            }
        }
    }
    assert!(n > 50, "{n} pages");
}

#[test]
fn a_rebuild_retires_the_previous_zips_and_nothing_else() {
    let (d, content) = editable_pack();
    let out = d.path().join("dist");
    build(&content, &out, &[], &[]);
    let old: Vec<PathBuf> = ["iso27001", "soc2"]
        .iter()
        .map(|b| zip_of(&out, b))
        .collect();
    fs::write(out.join("soc2-0123456789ab.zip"), "a zip the user keeps").unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();

    let policy = content.join("policies/security.md");
    let body = fs::read_to_string(&policy).unwrap();
    fs::write(
        &policy,
        body.replace("The top-level policy.", "The top-level policy, v2."),
    )
    .unwrap();
    build(&content, &out, &[], &[]);
    let new: Vec<PathBuf> = ["iso27001", "soc2"]
        .iter()
        .map(|b| zip_of(&out, b))
        .collect();
    for (o, n) in old.iter().zip(&new) {
        assert_ne!(o, n);
        assert!(!o.exists(), "{} was not retired", o.display());
        assert!(n.is_file());
    }
    assert!(out.join("soc2-0123456789ab.zip").is_file());
    assert!(out.join("notes.txt").is_file());
    let o = verify(&out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

#[test]
fn a_key_made_by_the_minisign_cli_signs_too() {
    if !crate::common::have("minisign", "-v") {
        eprintln!("note: minisign CLI not installed; skipping");
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let (sk, pk) = (d.path().join("ci.key"), d.path().join("ci.pub"));
    let o = Command::new("minisign")
        .args(["-G", "-W", "-p", s(&pk), "-s", s(&sk)])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let out = d.path().join("dist");
    build(
        &crate::common::fixture("pack-audience"),
        &out,
        &["--sign", s(&sk)],
        &[],
    );
    let o = verify(&out, &["--pubkey", s(&pk)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// Both bundles hold the same attachments: the SOC 2 bundle's are hard links to the ISO
/// bundle's files (each attachment is written once), and both still verify.
#[cfg(unix)]
#[test]
fn both_bundles_share_each_attachment_as_one_file() {
    use std::os::unix::fs::MetadataExt;
    let (_d, out) = built(&[]);
    let shared: Vec<String> = crate::common::files(&out.join("soc2"))
        .into_iter()
        .filter(|f| f.starts_with("files/"))
        .collect();
    assert!(!shared.is_empty());
    for f in &shared {
        let (iso, soc2) = (
            fs::metadata(out.join("iso27001").join(f)).unwrap(),
            fs::metadata(out.join("soc2").join(f)).unwrap(),
        );
        assert_eq!((iso.dev(), iso.ino()), (soc2.dev(), soc2.ino()), "{f}");
        assert_eq!(soc2.nlink(), 2, "{f}");
    }
    let o = verify(&out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// A rebuild links the files it would write identically from the output it replaces (no new
/// files to create, none to delete), never a file that was changed there, and gives the same
/// pack.
#[cfg(unix)]
#[test]
fn a_rebuild_reuses_identical_files_and_rewrites_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let (_d, out) = built(&[]);
    let before = hashes(&out);
    let inodes = |out: &Path| -> BTreeMap<String, u64> {
        crate::common::files(out)
            .into_iter()
            .filter(|f| !f.ends_with(".zip"))
            .map(|f| {
                let ino = fs::metadata(out.join(&f)).unwrap().ino();
                (f, ino)
            })
            .collect()
    };
    let first = inodes(&out);
    // Damage one page in place, keeping its size.
    let page = out.join("iso27001/index.html");
    let mut bytes = fs::read(&page).unwrap();
    let i = bytes.iter().position(|&b| b == b'<').unwrap();
    bytes[i] = b'[';
    fs::write(&page, &bytes).unwrap();

    build(&crate::common::fixture("pack-audience"), &out, &[], &[]);
    assert_eq!(hashes(&out), before);
    let second = inodes(&out);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (f, ino) in &second {
        let reused = first[f] == *ino;
        // The manifests, pack.json and the landing page are always written anew.
        let fresh = f == "iso27001/index.html" || f.ends_with("manifest-sha256.txt");
        let top = f == "pack.json" || f == "index.html";
        assert_eq!(reused, !fresh && !top, "{f}");
    }
    let o = verify(&out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
}

/// Issue 14 item 7: a withheld record's page never says it has no files: EV-C1 has two
/// attachments (withheld with it), EV-C2 none; both pages say the record is withheld, in both
/// bundles, and the auditor's EV-C1 page lists the files.
#[test]
fn a_withheld_record_never_claims_it_has_no_files() {
    let (_d, out) = built(&["--audience", "customer"]);
    for bundle in ["iso27001", "soc2"] {
        for id in ["EV-C1", "EV-C2"] {
            let page =
                fs::read_to_string(out.join(bundle).join(format!("evidence/{id}.html"))).unwrap();
            assert!(!page.contains("No files"), "{bundle} {id}: {page}");
            assert!(!page.contains("No attachments"), "{bundle} {id}: {page}");
            assert!(page.contains("withheld"), "{bundle} {id}: {page}");
        }
    }
    let (_a, auditor) = built(&[]);
    let page = fs::read_to_string(auditor.join("iso27001/evidence/EV-C1.html")).unwrap();
    assert!(page.contains("quokka-minutes.txt"), "{page}");
    assert!(!page.contains("No files"), "{page}");
}
