//! Who changed when a file and a line listing it disagree: the file, or the listing.
//!
//! A bundle's files are listed by more than one manifest: in a zip by the payload manifest and
//! by the bundle's own `data/manifest-sha256.txt`; in a pack the folder's manifest has the zip's
//! as a second opinion. Each listing is itself [`Trust::Intact`] (its own hash is what the listing
//! above it says), [`Trust::Changed`], or [`Trust::Unknown`] (nothing lists it). A file that
//! disagrees with a listing is blamed unless every listing it disagrees with is not known
//! intact and an intact one agrees with it: then the disagreeing listings are what changed, and
//! each is named with the line that is wrong. A content-addressed file whose bytes still match
//! the hash in its name (`files/<sha256>.pdf`, `assets/style.<12 hex>.css`) is vouched for by
//! its name, so an edited manifest line for it is named even with no second manifest.

use std::collections::{BTreeSet, HashMap};

use super::Report;

/// What a listing is known to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trust {
    /// Its own hash is what the listing above it says.
    Intact,
    /// Its own hash is not what the listing above it says.
    Changed,
    /// Nothing says what it should be.
    Unknown,
}

/// One listing of file hashes: a manifest, or a single digest such as `Bundle-Digest`.
#[derive(Debug)]
pub(super) struct Listing {
    /// Its name in reports, e.g. `manifest-sha256.txt`.
    pub(super) name: String,
    /// The bundle path of its own file, reported changed when one of its lines is wrong.
    pub(super) file: Option<String>,
    /// Path → SHA-256 (hex), paths as the caller judges them.
    pub(super) hashes: HashMap<String, String>,
    /// It lists every file of its scope: an unlisted file present disagrees with it, an
    /// unlisted file absent agrees.
    pub(super) complete: bool,
    /// What the listing itself is known to be.
    pub(super) trust: Trust,
}

/// What was found at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found<'a> {
    /// A file with this SHA-256.
    Hash(&'a str),
    /// A file that was not hashed (no listing names it).
    Present,
    /// A file that could not be read (already reported): always changed.
    Unreadable,
    /// Nothing.
    Absent,
}

/// How a file differs from a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Changed,
    Missing,
    Extra,
}

/// What `listing` says of `found` at `path`: `None` when it has no opinion, else whether the
/// file differs and how.
fn opinion(listing: &Listing, path: &str, found: Found) -> Option<Option<Kind>> {
    match (listing.hashes.get(path), found) {
        (Some(want), Found::Hash(got)) => Some((want != got).then_some(Kind::Changed)),
        (Some(_), Found::Present | Found::Unreadable) => Some(Some(Kind::Changed)),
        (Some(_), Found::Absent) => Some(Some(Kind::Missing)),
        (None, _) if !listing.complete => None,
        (None, Found::Absent) => Some(None),
        (None, _) => Some(Some(Kind::Extra)),
    }
}

/// The hash a content-addressed file name carries: all 64 hex digits of `<sha256>.<ext>`, or the
/// first 12 of `<stem>.<12 hex>.<ext>`.
fn named_hash(path: &str) -> Option<&str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    match parts.as_slice() {
        [sha, _ext] if hex(sha, 64) => Some(sha),
        [.., stem, short, _ext] if !stem.is_empty() && hex(short, 12) => Some(short),
        _ => None,
    }
}

/// The verdicts of one target: files changed, missing and extra (bundle paths, sorted).
#[derive(Debug, Default)]
pub(super) struct Verdicts {
    pub(super) changed: BTreeSet<String>,
    pub(super) missing: BTreeSet<String>,
    pub(super) extra: BTreeSet<String>,
}

impl Verdicts {
    /// Judges the file at `path` against `listings` (see the module docs), records the verdict,
    /// adds a problem to `r` for each listing line found wrong, and returns what the file is
    /// now known to be (the trust of a listing that is this file).
    pub(super) fn judge(
        &mut self,
        r: &mut Report,
        path: &str,
        found: Found,
        listings: &[&Listing],
    ) -> Trust {
        let opinions: Vec<(&Listing, Option<Kind>)> = listings
            .iter()
            .filter_map(|l| opinion(l, path, found).map(|o| (*l, o)))
            .collect();
        let differing: Vec<(&Listing, Kind)> = opinions
            .iter()
            .filter_map(|(l, o)| o.map(|k| (*l, k)))
            .collect();
        // A name speaks of the bytes only: it vouches when every differing listing lists the
        // file, with another hash.
        let by_name = matches!(found, Found::Hash(h) if named_hash(path).is_some_and(|n| h.starts_with(n)))
            && differing.iter().all(|(_, k)| *k == Kind::Changed);
        let voucher = if by_name {
            Some("the hash in its name")
        } else {
            opinions
                .iter()
                .find(|(l, o)| o.is_none() && l.trust == Trust::Intact)
                .map(|(l, _)| l.name.as_str())
        };
        if differing.is_empty() {
            return if voucher.is_some() {
                Trust::Intact
            } else {
                Trust::Unknown
            };
        }
        let intact_differs = differing.iter().find(|(l, _)| l.trust == Trust::Intact);
        let voucher = match voucher {
            Some(v) if found != Found::Unreadable && intact_differs.is_none() => v,
            _ => {
                let (_, kind) = intact_differs.unwrap_or(&differing[0]);
                match kind {
                    Kind::Changed => &mut self.changed,
                    Kind::Missing => &mut self.missing,
                    Kind::Extra => &mut self.extra,
                }
                .insert(path.to_string());
                return Trust::Changed;
            }
        };
        for (l, kind) in differing {
            let wrong = match kind {
                Kind::Changed => format!("lists {path} with another hash than the file's"),
                Kind::Missing => format!("lists {path}, which is absent"),
                Kind::Extra => format!("does not list {path}"),
            };
            r.problem(format!("{}: {wrong} (the file matches {voucher})", l.name));
            if let Some(f) = &l.file {
                self.changed.insert(f.clone());
            }
        }
        Trust::Intact
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(name: &str, lines: &[(&str, &str)], trust: Trust) -> Listing {
        Listing {
            name: name.into(),
            file: Some(name.into()),
            hashes: lines
                .iter()
                .map(|(p, h)| (p.to_string(), h.to_string()))
                .collect(),
            complete: true,
            trust,
        }
    }

    /// Judges `path` and returns (trust, changed, missing, extra, problems).
    fn judged(path: &str, found: Found, listings: &[&Listing]) -> (Trust, String) {
        let mut v = Verdicts::default();
        let mut r = Report::default();
        let t = v.judge(&mut r, path, found, listings);
        let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(",");
        (
            t,
            format!(
                "changed[{}] missing[{}] extra[{}] {}",
                list(&v.changed),
                list(&v.missing),
                list(&v.extra),
                r.problems.join(" | ")
            ),
        )
    }

    #[test]
    fn a_file_differing_from_an_intact_or_unknown_listing_is_blamed() {
        for trust in [Trust::Intact, Trust::Unknown, Trust::Changed] {
            let m = listing("m", &[("a", "1"), ("gone", "2")], trust);
            let want = if trust == Trust::Intact {
                Trust::Intact
            } else {
                Trust::Unknown
            };
            assert_eq!(
                judged("a", Found::Hash("1"), &[&m]),
                (want, "changed[] missing[] extra[] ".into())
            );
            assert_eq!(
                judged("a", Found::Hash("9"), &[&m]).1,
                "changed[a] missing[] extra[] "
            );
            assert_eq!(
                judged("a", Found::Unreadable, &[&m]).1,
                "changed[a] missing[] extra[] "
            );
            assert_eq!(
                judged("gone", Found::Absent, &[&m]).1,
                "changed[] missing[gone] extra[] "
            );
            assert_eq!(
                judged("new", Found::Present, &[&m]).1,
                "changed[] missing[] extra[new] "
            );
            assert_eq!(judged("a", Found::Hash("9"), &[&m]).0, Trust::Changed);
        }
    }

    #[test]
    fn a_changed_listing_contradicted_by_an_intact_one_is_named_instead_of_the_file() {
        let inner = listing("inner", &[("a", "9"), ("ghost", "3")], Trust::Changed);
        let outer = listing("outer", &[("a", "1"), ("b", "2")], Trust::Intact);
        let (t, s) = judged("a", Found::Hash("1"), &[&outer, &inner]);
        assert_eq!(t, Trust::Intact);
        assert_eq!(
            s,
            "changed[inner] missing[] extra[] inner: lists a with another hash than the file's \
             (the file matches outer)"
        );
        let s = judged("ghost", Found::Absent, &[&outer, &inner]).1;
        assert!(
            s.starts_with("changed[inner] missing[] extra[] inner: lists ghost, which is absent"),
            "{s}"
        );
        let s = judged("b", Found::Hash("2"), &[&outer, &inner]).1;
        assert!(
            s.starts_with("changed[inner] missing[] extra[] inner: does not list b"),
            "{s}"
        );
        // Two intact listings disagreeing, the intact one differing too, only an unknown one
        // agreeing, or a file that could not be read: the file is blamed.
        let also = listing("also", &[("a", "9")], Trust::Intact);
        let unknown = listing("unknown", &[("a", "1")], Trust::Unknown);
        for (found, listings) in [
            (Found::Hash("1"), [&outer, &also]),
            (Found::Hash("5"), [&outer, &inner]),
            (Found::Hash("1"), [&unknown, &inner]),
            (Found::Unreadable, [&outer, &inner]),
        ] {
            let (t, s) = judged("a", found, &listings);
            assert_eq!(
                (t, s.as_str()),
                (Trust::Changed, "changed[a] missing[] extra[] ")
            );
        }
    }

    #[test]
    fn an_incomplete_listing_speaks_only_of_what_it_lists() {
        let mut digest = listing("bag-info.txt Bundle-Digest", &[("m", "1")], Trust::Intact);
        digest.complete = false;
        assert_eq!(
            judged("other", Found::Present, &[&digest]),
            (Trust::Unknown, "changed[] missing[] extra[] ".into())
        );
        assert_eq!(
            judged("m", Found::Hash("2"), &[&digest]).1,
            "changed[m] missing[] extra[] "
        );
    }

    #[test]
    fn a_content_addressed_name_vouches_for_its_bytes_only() {
        let sha = "538f2b7cd889e5260219bfb3097ab5dab56a531d3f2b0f52467c2282e8d5f76d";
        let css = "assets/style.538f2b7cd889.css";
        let m = listing("manifest-sha256.txt", &[(css, "0000")], Trust::Unknown);
        let (t, s) = judged(css, Found::Hash(sha), &[&m]);
        assert_eq!(t, Trust::Intact);
        assert!(
            s.starts_with(
                "changed[manifest-sha256.txt] missing[] extra[] manifest-sha256.txt: lists assets/"
            ),
            "{s}"
        );
        assert!(
            s.ends_with("(the file matches the hash in its name)"),
            "{s}"
        );
        // Bytes that do not match the name, or a file the manifest does not list: the file.
        assert_eq!(
            judged(css, Found::Hash("0123"), &[&m]).1,
            format!("changed[{css}] missing[] extra[] ")
        );
        let added = format!("files/{sha}.pdf");
        assert_eq!(
            judged(&added, Found::Hash(sha), &[&m]).1,
            format!("changed[] missing[] extra[{added}] ")
        );
    }

    #[test]
    fn content_addressed_names() {
        let sha = "1621c6cc41e864aad24569aa9eaa3497b3f6f16de9324b600be91c12075f95f1";
        assert_eq!(named_hash(&format!("files/{sha}.md")), Some(sha));
        assert_eq!(
            named_hash("assets/style.538f2b7cd889.css"),
            Some("538f2b7cd889")
        );
        assert_eq!(named_hash("a.b.538f2b7cd889.css"), Some("538f2b7cd889"));
        for plain in [
            "controls/AC-01.html",
            "index.html",
            "assets/.538f2b7cd889.css",
            "assets/style.538f2b7cd88.css",
            "assets/style.538f2b7cd889x.css",
            "assets/style.538f2b7cd889",
            &format!("files/{sha}"),
            &format!("files/{sha}0.md"),
        ] {
            assert_eq!(named_hash(plain), None, "{plain}");
        }
    }
}
