//! The identity rows of access reviews' attached CSVs.
//!
//! An access review (`kind: access-review`) that names no identity (`identity:`, `identities:`)
//! covers the identities its attached review CSVs list: an attachment ending in `.csv` whose
//! header has an identity column, [`IDENTITY_HEADERS`] (`identity` or `identity_id`, case and
//! surrounding spaces ignored). Every row with a non-empty cell there names one identity; a
//! [`DECISION_HEADERS`] column (`decision` or `outcome`) gives the row's outcome (`keep`,
//! `revoke` …), shown beside the review on the identity's pages. A CSV without an identity
//! column is an ordinary attachment. A record that names identities covers those only: the CSV
//! is then supporting material, never read here.
//!
//! Each such CSV is read here once, when the pack is loaded, streaming: only the identity id,
//! the decision and the row's position are kept. The build copies the file into the bundles
//! like any attachment. Rows naming an identity the pack does not hold are a warning at the
//! row's `path:line:col` (`W132`, [`crate::check`]); the cross-reference index counts the others
//! as reviews of their identities ([`super::Index::evidence_of_identity`]).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read};
use std::rc::Rc;

use rayon::prelude::*;

use super::model::{Evidence, EvidenceKind};
use super::paths::check_attachment_path;
use super::{AttachmentKind, Content};

/// The headers of a review CSV's identity column, compared without case and surrounding spaces.
pub const IDENTITY_HEADERS: [&str; 2] = ["identity", "identity_id"];

/// The headers of a review CSV's per-row outcome column.
pub const DECISION_HEADERS: [&str; 2] = ["decision", "outcome"];

/// A decision longer than this many characters is cut (it is shown in a table cell).
const DECISION_CHARS: usize = 80;

/// One access review's attached CSV with an identity column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewCsv {
    /// The access-review record (index into `content.evidence`).
    pub evidence: usize,
    /// The attachment, relative to `attachments/`.
    pub attachment: String,
    /// Its rows with an identity, in file order.
    pub rows: Vec<ReviewRow>,
}

/// One row of a review CSV that names an identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// The identity cell, trimmed.
    pub identity: String,
    /// The decision cell, trimmed, when the CSV has a decision column and the cell is not empty.
    pub decision: Option<String>,
    /// 1-based line of the row in the file.
    pub line: usize,
    /// 1-based column (in characters) of the identity cell: exact unless a cell before it is
    /// quoted.
    pub column: usize,
}

/// Whether evidence record `ev` takes its identities from its attached review CSVs: an access
/// review that names none.
pub fn reads_csv(ev: &Evidence) -> bool {
    ev.kind == EvidenceKind::AccessReview && ev.identity_ids().next().is_none()
}

/// Read the review CSVs of every access review of `content` that names no identity, in
/// parallel, in evidence then attachment order. Attachments that are not regular files, have an
/// unsafe path (both reported by validation) or cannot be read are left out.
pub(super) fn load_all(content: &Content) -> Vec<ReviewCsv> {
    let wanted: Vec<(usize, &str)> = content
        .evidence
        .iter()
        .enumerate()
        .filter(|(_, r)| reads_csv(&r.value))
        .flat_map(|(e, r)| r.value.attachments.iter().map(move |a| (e, a.as_str())))
        .filter(|(_, a)| {
            a.to_ascii_lowercase().ends_with(".csv") && check_attachment_path(a).is_ok()
        })
        .collect();
    wanted
        .into_par_iter()
        .filter_map(|(evidence, rel)| {
            let a = content.attachments.get(rel)?;
            if a.kind != AttachmentKind::File {
                return None;
            }
            let rows = parse(File::open(&a.path).ok()?).ok()??;
            Some(ReviewCsv {
                evidence,
                attachment: rel.to_string(),
                rows,
            })
        })
        .collect()
}

/// The identity rows of a CSV read from `input`: `None` when its header has no identity column.
/// Rows whose identity cell is empty or missing are left out; a cell that is not UTF-8 is read
/// with replacement characters.
pub fn parse(input: impl Read) -> io::Result<Option<Vec<ReviewRow>>> {
    // The CSV reader's own line count skips blank lines: count them from the bytes read.
    let newlines = Rc::new(RefCell::new(VecDeque::new()));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(Newlines {
            inner: io::BufReader::new(input),
            offset: 0,
            newlines: Rc::clone(&newlines),
        });
    let mut line = 1;
    let headers = reader.byte_headers().map_err(io::Error::other)?.clone();
    let find = |names: &[&str]| {
        headers.iter().position(|h| {
            let h = String::from_utf8_lossy(h);
            names.iter().any(|n| h.trim().eq_ignore_ascii_case(n))
        })
    };
    let Some(id_col) = find(&IDENTITY_HEADERS) else {
        return Ok(None);
    };
    let decision_col = find(&DECISION_HEADERS);
    let mut rows = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .map_err(io::Error::other)?
    {
        let cell = |i: usize| {
            record
                .get(i)
                .map(|c| String::from_utf8_lossy(c).trim().to_string())
                .filter(|c| !c.is_empty())
        };
        // The record's position is where its parse began: blank lines before it are
        // terminators right at that offset.
        let mut start = record.position().map_or(0, |p| p.byte());
        let mut seen = newlines.borrow_mut();
        while let Some(&(at, newline)) = seen.front() {
            if at > start {
                break;
            }
            if at == start {
                start += 1;
            }
            seen.pop_front();
            line += usize::from(newline);
        }
        drop(seen);
        let Some(identity) = cell(id_col) else {
            continue;
        };
        let column = 1
            + (0..id_col)
                .map(|i| {
                    record
                        .get(i)
                        .map_or(0, |c| String::from_utf8_lossy(c).chars().count())
                        + 1
                })
                .sum::<usize>();
        rows.push(ReviewRow {
            identity,
            decision: decision_col
                .and_then(cell)
                .map(|d| d.chars().take(DECISION_CHARS).collect()),
            line,
            column,
        });
    }
    Ok(Some(rows))
}

/// A reader that notes the offset of every line terminator byte (`\r`, `\n`: whether it is a
/// newline) it reads, so that a record's line can be told from its byte offset; the parser drops
/// the offsets it has passed.
struct Newlines<R> {
    inner: R,
    offset: u64,
    newlines: Rc<RefCell<VecDeque<(u64, bool)>>>,
}

impl<R: Read> Read for Newlines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut newlines = self.newlines.borrow_mut();
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                newlines.push_back((self.offset + i as u64, b == b'\n'));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl Content {
    /// The row of evidence record `evidence`'s review CSVs that names `identity` (the first),
    /// if the record took its identities from one.
    pub fn review_row(&self, evidence: usize, identity: &str) -> Option<(&ReviewCsv, &ReviewRow)> {
        self.review_csvs
            .iter()
            .filter(|c| c.evidence == evidence)
            .find_map(|c| {
                c.rows
                    .iter()
                    .find(|r| r.identity == identity)
                    .map(|r| (c, r))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(csv: &str) -> Option<Vec<ReviewRow>> {
        parse(csv.as_bytes()).unwrap()
    }

    #[test]
    fn the_identity_column_is_found_by_its_header_whatever_its_case() {
        let got =
            rows("owner, Identity_ID ,Decision\nsven,svc-deploy,keep\n\"a,b\",bot-x,\n").unwrap();
        assert_eq!(
            got,
            [
                ReviewRow {
                    identity: "svc-deploy".into(),
                    decision: Some("keep".into()),
                    line: 2,
                    column: 6,
                },
                ReviewRow {
                    identity: "bot-x".into(),
                    decision: None,
                    line: 3,
                    // A quoted cell before it: counted without its quotes.
                    column: 5,
                },
            ]
        );
        assert_eq!(rows("IDENTITY\nx\n").unwrap()[0].identity, "x");
    }

    #[test]
    fn a_csv_without_an_identity_column_is_no_review_csv() {
        assert_eq!(
            rows("account,entitlement,decision\nnoah,admin,keep\n"),
            None
        );
        assert_eq!(rows(""), None);
    }

    #[test]
    fn empty_and_short_rows_are_left_out() {
        let got = rows("identity,outcome\n,keep\nsvc-a\n\n  svc-b  ,revoke\n").unwrap();
        let ids: Vec<(&str, Option<&str>)> = got
            .iter()
            .map(|r| (r.identity.as_str(), r.decision.as_deref()))
            .collect();
        assert_eq!(ids, [("svc-a", None), ("svc-b", Some("revoke"))]);
        assert_eq!(got[1].line, 5, "blank lines count");
        let crlf = rows("identity\r\n\r\n\r\nsvc-c\r\n\"svc\nd\"\r\nsvc-e\r\n").unwrap();
        let lines: Vec<usize> = crlf.iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 5, 7], "a quoted newline is a line too");
    }

    #[test]
    fn long_decisions_are_cut() {
        let long = "x".repeat(200);
        let got = rows(&format!("identity,decision\na,{long}\n")).unwrap();
        assert_eq!(
            got[0].decision.as_ref().unwrap().chars().count(),
            DECISION_CHARS
        );
    }

    #[test]
    fn only_access_reviews_that_name_no_identity_read_their_csv() {
        let yaml = "id: E\ncontrols: [C]\nkind: access-review\ntitle: t\noccurred_on: 2026-01-01\nperformed_by: p\nresult: pass\n";
        let mut ev: Evidence = serde_yaml_ng::from_str(yaml).unwrap();
        assert!(reads_csv(&ev));
        ev.identities = vec!["svc-a".into()];
        assert!(
            !reads_csv(&ev),
            "a record naming identities covers those only"
        );
        ev.identities.clear();
        ev.kind = EvidenceKind::Rotation;
        assert!(!reads_csv(&ev));
    }
}
