//! Vocabulary, sentences and the few YAML spellings the generator needs, plus the output
//! folder that counts what it writes.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crate::rng::Rng;

/// Systems the evidence and identities live in.
pub(crate) const SYSTEMS: [&str; 14] = [
    "aws-prod",
    "aws-staging",
    "github",
    "okta",
    "google-workspace",
    "jira",
    "datadog",
    "postgres-prod",
    "kubernetes",
    "vault",
    "slack",
    "hr-system",
    "laptop-fleet",
    "cloudflare",
];

/// First names; person ids are their lowercase forms.
pub(crate) const FIRST: [&str; 20] = [
    "Amara", "Dmitri", "Sven", "Priya", "Lucas", "Mei", "Tomasz", "Aisha", "Jonas", "Carmen",
    "Kenji", "Olu", "Ingrid", "Rafael", "Zainab", "Henrik", "Noor", "Mateo", "Freya", "Kwame",
];

/// Family names.
pub(crate) const LAST: [&str; 18] = [
    "Okafor",
    "Volkov",
    "Lindqvist",
    "Raman",
    "Moreau",
    "Chen",
    "Nowak",
    "Haddad",
    "Becker",
    "Ortiz",
    "Tanaka",
    "Adeyemi",
    "Berg",
    "Costa",
    "Malik",
    "Jensen",
    "Rahimi",
    "Silva",
];

/// Job titles, by person index.
pub(crate) const TITLES: [&str; 10] = [
    "CISO",
    "CTO",
    "Head of People",
    "SRE Lead",
    "Security Engineer",
    "Platform Engineer",
    "IT Manager",
    "Compliance Manager",
    "Engineering Manager",
    "Data Protection Officer",
];

/// Words of the generated prose.
pub(crate) const WORDS: [&str; 60] = [
    "access",
    "account",
    "approval",
    "asset",
    "audit",
    "authentication",
    "backup",
    "baseline",
    "change",
    "configuration",
    "control",
    "credential",
    "data",
    "deployment",
    "encryption",
    "evidence",
    "exception",
    "identity",
    "incident",
    "inventory",
    "key",
    "least-privilege",
    "log",
    "monitoring",
    "network",
    "owner",
    "password",
    "policy",
    "privilege",
    "production",
    "record",
    "recovery",
    "review",
    "risk",
    "role",
    "rotation",
    "secret",
    "segregation",
    "service",
    "system",
    "ticket",
    "token",
    "user",
    "vendor",
    "vulnerability",
    "workload",
    "quarterly",
    "timely",
    "documented",
    "approved",
    "retained",
    "reviewed",
    "revoked",
    "rotated",
    "tested",
    "verified",
    "escalated",
    "remediated",
    "logged",
    "owned",
];

/// Classifications of records, weighted as gen-corpus.py weights them (internal twice).
pub(crate) const CLASSIFICATIONS: [&str; 4] = ["public", "internal", "internal", "confidential"];

/// `n` random words as a sentence (capitalised, full stop), with `link` inserted at a random
/// place after the first word.
pub(crate) fn sentence(r: &mut Rng, n: usize, link: Option<&str>) -> String {
    let at = link.map(|_| 1 + r.below(n.max(2) - 1));
    let mut s = String::with_capacity(n * 10 + link.map_or(0, str::len) + 2);
    for i in 0..n {
        if at == Some(i) {
            s.push_str(link.unwrap_or_default());
            s.push(' ');
        }
        s.push_str(WORDS[r.below(WORDS.len())]);
        s.push(' ');
    }
    if at.is_some_and(|at| at >= n) {
        s.push_str(link.unwrap_or_default());
        s.push(' ');
    }
    s.pop();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s.push('.');
    s
}

/// A sentence of 8 to 18 words.
pub(crate) fn any_sentence(r: &mut Rng, link: Option<&str>) -> String {
    let n = r.range(8, 18) as usize;
    sentence(r, n, link)
}

/// Three to six sentences; each link (taken from the end) goes into a sentence half the time.
pub(crate) fn paragraph(r: &mut Rng, links: &[String]) -> String {
    let k = r.range(3, 6);
    let mut links: Vec<&str> = links.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for _ in 0..k {
        let link = if !links.is_empty() && r.chance(0.5) {
            links.pop()
        } else {
            None
        };
        out.push(any_sentence(r, link));
    }
    out.join(" ")
}

/// `text` with its first letter in upper case.
pub(crate) fn capitalise(text: &str) -> String {
    let mut s = text.to_string();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

/// A YAML scalar for a string: plain when YAML would read it back as the same string, else a
/// double-quoted scalar (a JSON string is a valid one), as gen-corpus.py writes them.
pub(crate) fn scalar(s: &str) -> String {
    const RESERVED: [&str; 9] = ["true", "false", "yes", "no", "null", "~", "on", "off", ""];
    let lower = s.to_ascii_lowercase();
    let typed = RESERVED.contains(&lower.as_str())
        || s.starts_with(|c: char| "-?0123456789. ".contains(c))
        || s.ends_with(' ');
    let special = s.contains(|c: char| ":#{}[],&*!|>'\"%@`\n".contains(c));
    if typed || special {
        serde_json::to_string(s).expect("a string always serialises")
    } else {
        s.to_string()
    }
}

/// A YAML flow list of strings: `[a, "5.1", b]`.
pub(crate) fn flow_list<S: AsRef<str>>(items: &[S]) -> String {
    let inner: Vec<String> = items.iter().map(|s| scalar(s.as_ref())).collect();
    format!("[{}]", inner.join(", "))
}

/// The output folder: writes files under it and counts them and their bytes (from any thread).
pub(crate) struct Out {
    root: PathBuf,
    /// Folders already created (creating 100,000 files costs a third less without a
    /// `create_dir_all` each).
    made: Mutex<HashSet<PathBuf>>,
    files: AtomicU64,
    bytes: AtomicU64,
}

impl Out {
    /// Writes under `root`, which must not exist or be an empty folder.
    pub(crate) fn new(root: &Path) -> io::Result<Out> {
        if root.exists() && fs::read_dir(root)?.next().is_some() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} exists and is not empty", root.display()),
            ));
        }
        fs::create_dir_all(root)?;
        Ok(Out {
            root: root.to_path_buf(),
            made: Mutex::new(HashSet::new()),
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        })
    }

    /// Files written so far.
    pub(crate) fn files(&self) -> u64 {
        self.files.load(Ordering::Relaxed)
    }

    /// Bytes written so far.
    pub(crate) fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Writes `data` to `rel` (a `/`-separated path under the root), creating its folder.
    pub(crate) fn write(&self, rel: &str, data: &[u8]) -> io::Result<()> {
        let path = self.prepare(rel)?;
        fs::write(path, data)?;
        self.count(data.len() as u64);
        Ok(())
    }

    /// Opens `rel` for a streamed write; call [`Out::finish`] with the writer when done.
    pub(crate) fn create(&self, rel: &str) -> io::Result<Counting<BufWriter<File>>> {
        let path = self.prepare(rel)?;
        Ok(Counting {
            inner: BufWriter::with_capacity(1 << 20, File::create(path)?),
            written: 0,
        })
    }

    /// Flushes a streamed file and counts it.
    pub(crate) fn finish(&self, mut w: Counting<BufWriter<File>>) -> io::Result<u64> {
        w.flush()?;
        self.count(w.written);
        Ok(w.written)
    }

    fn prepare(&self, rel: &str) -> io::Result<PathBuf> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            let known = self.made.lock().expect("no panics").contains(parent);
            if !known {
                fs::create_dir_all(parent)?;
                self.made
                    .lock()
                    .expect("no panics")
                    .insert(parent.to_path_buf());
            }
        }
        Ok(path)
    }

    fn count(&self, bytes: u64) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }
}

/// A writer that counts the bytes that pass through it.
pub(crate) struct Counting<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_yaml_would_misread_them() {
        assert_eq!(scalar("amara"), "amara");
        assert_eq!(scalar("Access review for AC-01"), "Access review for AC-01");
        assert_eq!(scalar("5.15"), "\"5.15\"");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("x@example.test"), "\"x@example.test\"");
        assert_eq!(scalar("-01"), "\"-01\"");
        assert_eq!(scalar("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(flow_list(&["5.1", "8.2"]), "[\"5.1\", \"8.2\"]");
        // Every spelling reads back as the same string.
        for s in [
            "amara",
            "5.15",
            "yes",
            "a: b",
            "x@y",
            "-01",
            "say \"hi\"",
            "",
            "~",
        ] {
            let back: String = serde_yaml_ng::from_str(&scalar(s)).unwrap();
            assert_eq!(back, s);
        }
    }

    #[test]
    fn sentences_hold_their_link() {
        let mut r = Rng::from_key(1);
        let s = sentence(&mut r, 5, Some("[AC-01](control:AC-01)"));
        assert!(s.contains("[AC-01](control:AC-01)"));
        assert!(s.ends_with('.'));
        assert!(s.starts_with(|c: char| c.is_ascii_uppercase()));
        assert_eq!(s.split(' ').count(), 6);
    }
}
