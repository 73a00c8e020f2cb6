//! The secret-leak guard in whole builds: a planted credential stops the build wherever it is
//! (content, stored, withheld or unreferenced attachments), is never printed, and leaves no
//! output behind.

use super::*;

/// A GitHub token-shaped string that is not in the source tree as a literal.
fn fake_token(seed: u64) -> String {
    const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let tail: String = (0..36)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ALNUM[(x % ALNUM.len() as u64) as usize] as char
        })
        .collect();
    format!("ghp_{tail}")
}

#[test]
fn a_planted_secret_fails_the_build_and_is_never_printed() {
    let (d, content) = editable_pack();
    let (in_summary, in_attachment) = (fake_token(7), fake_token(8));
    let ev = content.join("evidence/2026/q1.yaml");
    let mut yaml = fs::read_to_string(&ev).unwrap();
    yaml.push_str(&format!(
        "- id: EV-0099\n  controls: [AC-01]\n  kind: log\n  title: Deploy log\n  occurred_on: 2026-02-03\n  performed_by: sven\n  result: pass\n  summary: \"CI printed {in_summary} in the log\"\n"
    ));
    let summary_line = yaml.lines().count();
    fs::write(&ev, &yaml).unwrap();
    let att = content.join("attachments/reviews/q1.csv");
    let mut csv = fs::read_to_string(&att).unwrap();
    csv.push_str(&format!("svc-ci,token={in_attachment},removed\n"));
    let attachment_line = csv.lines().count();
    fs::write(&att, &csv).unwrap();

    let out = d.path().join("dist");
    let args = ["--content", s(&content), "--out", s(&out), "build"];
    let o = evidencepack(&args, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let all = text(&o);
    for secret in [&in_summary, &in_attachment] {
        assert!(
            !all.contains(secret.as_str()),
            "the secret was printed: {all}"
        );
        assert!(
            !all.contains(&secret[4..20]),
            "part of the secret was printed: {all}"
        );
    }
    let stderr = String::from_utf8_lossy(&o.stderr);
    let fingerprints: Vec<String> = regex::Regex::new(r"fp:[0-9a-f]{16}")
        .unwrap()
        .find_iter(&stderr)
        .map(|m| m.as_str().to_string())
        .collect();
    let col = |text: &str, secret: &str| text.lines().last().unwrap().find(secret).unwrap() + 1;
    for (file, line, col) in [
        (
            "evidence/2026/q1.yaml",
            summary_line,
            col(&yaml, &in_summary),
        ),
        (
            "attachments/reviews/q1.csv",
            attachment_line,
            col(&csv, &in_attachment),
        ),
    ] {
        let at = format!(
            "{}:{line}:{col}: error[E060]: ",
            content.join(file).display()
        );
        let diag = stderr
            .lines()
            .find(|l| l.starts_with(&at))
            .unwrap_or_else(|| panic!("no {at} in {stderr}"));
        assert!(
            diag.contains("GitHub personal access token (github-pat)"),
            "{diag}"
        );
        assert!(diag.contains("fingerprint fp:"), "{diag}");
    }
    assert!(!out.exists(), "nothing may be written");

    // Allow-listing both fingerprints (reviewed false positives) lets the build pass.
    let mut fps = fingerprints.clone();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), 2, "{stderr}");
    let pack = fs::read_to_string(content.join("pack.yaml")).unwrap();
    fs::write(
        content.join("pack.yaml"),
        format!(
            "{pack}secrets:\n  allow: [\"{}\", \"{}\"]\n",
            fps[0], fps[1]
        ),
    )
    .unwrap();
    build(&content, &out, &[], &[]);
    assert!(out.join("pack.json").is_file());
}

/// Secrets only in attachments: the build finds them as it reads each file once (copying a
/// stored one, hashing a withheld one, scanning an unreferenced one), stops, and leaves the
/// previous output as it was.
#[test]
fn secrets_in_stored_withheld_and_unreferenced_attachments_stop_the_build() {
    let (d, content) = editable_pack();
    let out = d.path().join("dist");
    let customer = ["--audience", "customer"];
    build(&content, &out, &customer, &[]);
    let pack_before = fs::read(out.join("pack.json")).unwrap();

    let planted = [
        ("reviews/q1.csv", fake_token(21)),
        ("confidential/quokka-minutes.txt", fake_token(22)),
        ("notes/handover.log", fake_token(23)),
    ];
    fs::create_dir_all(content.join("attachments/notes")).unwrap();
    let mut lines = Vec::new();
    for (rel, token) in &planted {
        let path = content.join("attachments").join(rel);
        let mut body = fs::read_to_string(&path).unwrap_or_default();
        body.push_str(&format!("deploy key {token}\n"));
        lines.push(body.lines().count());
        fs::write(&path, body).unwrap();
    }

    let mut args = vec!["--content", s(&content), "--out", s(&out), "build"];
    args.extend_from_slice(&customer);
    let o = evidencepack(&args, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let all = text(&o);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let fingerprint = regex::Regex::new(r"fp:[0-9a-f]{16}").unwrap();
    let mut fingerprints = Vec::new();
    for ((rel, token), line) in planted.iter().zip(&lines) {
        assert!(!all.contains(&token[4..20]), "a secret was printed: {all}");
        let at = format!(
            "{}:{line}:12: error[E060]: ",
            content.join("attachments").join(rel).display()
        );
        let diag = stderr
            .lines()
            .find(|l| l.starts_with(&at))
            .unwrap_or_else(|| panic!("no {at} in {stderr}"));
        fingerprints.push(fingerprint.find(diag).unwrap().as_str().to_string());
    }
    assert_eq!(fs::read(out.join("pack.json")).unwrap(), pack_before);
    let o = verify(&out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let left: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".evidencepack-staging"))
        .collect();
    assert!(left.is_empty(), "staging left behind: {left:?}");

    // Allowed as reviewed false positives: the build passes, and every entry counts as used.
    let pack = fs::read_to_string(content.join("pack.yaml")).unwrap();
    fs::write(
        content.join("pack.yaml"),
        format!("{pack}secrets:\n  allow: {fingerprints:?}\n"),
    )
    .unwrap();
    let o = build(&content, &out, &customer, &[]);
    assert!(!text(&o).contains("W110"), "{}", text(&o));
    assert_ne!(fs::read(out.join("pack.json")).unwrap(), pack_before);
}

/// A build stopped by a secret found as the attachments are read says "nothing was written",
/// and leaves no trace: an output folder that did not exist (nor its parents) is not created,
/// and an existing one gets no lock file.
#[test]
fn a_build_stopped_by_a_secret_in_an_attachment_leaves_no_output_folder_or_lock() {
    let (d, content) = editable_pack();
    let att = content.join("attachments/reviews/q1.csv");
    let mut csv = fs::read_to_string(&att).unwrap();
    csv.push_str(&format!("svc-ci,token={},removed\n", fake_token(31)));
    fs::write(&att, csv).unwrap();

    let failed_build =
        |out: &Path| evidencepack(&["--content", s(&content), "--out", s(out), "build"], &[]);
    let fresh = d.path().join("new/dist");
    let o = failed_build(&fresh);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("nothing was written"), "{}", text(&o));
    assert!(
        !d.path().join("new").exists(),
        "the output folder was created"
    );

    let empty = d.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let o = failed_build(&empty);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let left: Vec<_> = fs::read_dir(&empty)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left in the output folder: {left:?}");
}
