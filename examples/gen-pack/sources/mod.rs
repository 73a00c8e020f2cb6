//! Raw exports under `sources/` in the vendors' own formats (the contract is
//! `shared/design/sources.md`; issue 11 adds the parsers): a generic CSV, Jira's "Export CSV
//! (all fields)", `gh pr list --json …` and the AWS IAM credential report. Rows are generated
//! in blocks, in parallel, and written in order as they come, so a million-row export needs a
//! few blocks of memory, not the file's size. Each export plants the deviations its kind's
//! attribute tests look for (self-approval, SLA breach, approval after merge, stale key …).

use std::fmt::Write as _;
use std::io::{self, Write};

use chrono::{Days, NaiveDateTime, TimeDelta};
use rayon::prelude::*;

use crate::evidence::Evidence;
use crate::records::{Registry, FAMILIES};
use crate::rng::{stream_key, Rng};
use crate::text::{scalar, sentence, Out, SYSTEMS};
use crate::Params;

mod aws;
mod github;
mod jira;

/// A kind of source (the `kind:` of its declaration).
#[derive(Clone, Copy, PartialEq, Eq, Debug, clap::ValueEnum)]
pub(crate) enum Kind {
    /// Any CSV with a header row: here a change log.
    Csv,
    /// Jira's "Export CSV (all fields)".
    JiraCsv,
    /// `gh pr list --json number,title,url,author,createdAt,mergedAt,mergedBy,baseRefName,reviews`.
    GithubPulls,
    /// The CSV of `aws iam get-credential-report` (decoded).
    AwsIamCredentialReport,
}

impl Kind {
    /// The kind's name in a declaration.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Csv => "csv",
            Kind::JiraCsv => "jira-csv",
            Kind::GithubPulls => "github-pulls",
            Kind::AwsIamCredentialReport => "aws-iam-credential-report",
        }
    }

    /// Control families whose population the export is, in order of preference.
    fn families(self) -> &'static [&'static str] {
        match self {
            Kind::Csv => &["CM"],
            Kind::JiraCsv => &["AC", "HR"],
            Kind::GithubPulls => &["SD", "CM"],
            Kind::AwsIamCredentialReport => &["NHI", "CR"],
        }
    }

    fn file(self) -> &'static str {
        match self {
            Kind::Csv => "sources/changes/change-log.csv",
            Kind::JiraCsv => "sources/jira/sec-all-fields.csv",
            Kind::GithubPulls => "sources/github/platform-prs.json",
            Kind::AwsIamCredentialReport => "sources/aws/credential-report.csv",
        }
    }
}

/// One export to write.
pub(crate) struct Source {
    /// Its kind.
    pub(crate) kind: Kind,
    /// The control whose population it is.
    pub(crate) control: Option<usize>,
    /// Rows (items) it holds.
    pub(crate) rows: usize,
}

/// Rows per block generated in one go.
const BLOCK: usize = 4096;

/// Chooses a control for each kind (by family, never one already taken) and the row counts:
/// `rows` for every kind but the credential report, which lists the account's users.
pub(crate) fn plan(kinds: &[Kind], rows: usize, reg: &Registry) -> Vec<Source> {
    let mut taken: Vec<usize> = Vec::new();
    let mut out: Vec<Source> = Vec::new();
    for &kind in kinds {
        if out.iter().any(|s| s.kind == kind) {
            continue; // named twice
        }
        let free = |c: &usize| !taken.contains(c);
        let control = kind
            .families()
            .iter()
            .find_map(|f| {
                (0..reg.controls.len())
                    .filter(free)
                    .find(|&c| FAMILIES[reg.controls[c].family].0 == *f)
            })
            .or_else(|| (0..reg.controls.len()).find(free));
        taken.extend(control);
        let rows = match kind {
            Kind::AwsIamCredentialReport => {
                1 + (reg.people.len() + aws_identities(reg).len()).min(aws::MAX_USERS)
            }
            _ => rows,
        };
        out.push(Source {
            kind,
            control,
            rows,
        });
    }
    out
}

/// Identities that live in the AWS account (an IAM user each).
pub(crate) fn aws_identities(reg: &Registry) -> Vec<usize> {
    (0..reg.identities.len())
        .filter(|&i| reg.identities[i].system.starts_with("aws"))
        .collect()
}

/// When the exports were taken: the morning after the period.
fn extracted_at(p: &Params) -> NaiveDateTime {
    (p.end + Days::new(1))
        .and_hms_opt(8, 12, 0)
        .expect("a valid time")
}

/// The `sources:` block of pack.yaml declaring `sources`.
pub(crate) fn declarations(p: &Params, reg: &Registry, sources: &[Source]) -> String {
    let mut s = String::from("sources:\n");
    let at = extracted_at(p).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let (from, to) = (p.start, p.end);
    for src in sources {
        let id = match src.kind {
            Kind::Csv => "change-log",
            Kind::JiraCsv => "jira-sec",
            Kind::GithubPulls => "gh-platform-prs",
            Kind::AwsIamCredentialReport => "aws-credential-report",
        };
        let command = match src.kind {
            Kind::Csv => format!("Change log > Export > CSV, all changes opened {from}..{to}"),
            Kind::JiraCsv => format!(
                "Jira > Filters > project = SEC AND created >= {from} AND created <= {to} > Export > Export CSV (all fields)"
            ),
            Kind::GithubPulls => format!(
                "gh pr list --repo example/platform --state merged --search \"merged:{from}..{to}\" --limit {} \
                 --json number,title,url,author,createdAt,mergedAt,mergedBy,baseRefName,reviews",
                limit_above(src.rows)
            ),
            Kind::AwsIamCredentialReport => "aws iam generate-credential-report && aws iam get-credential-report \
                 --query Content --output text | base64 --decode"
                .to_string(),
        };
        let _ = writeln!(
            s,
            "  - id: {id}\n    kind: {}\n    file: {}",
            src.kind.name(),
            src.kind.file()
        );
        if let Some(c) = src.control {
            let _ = writeln!(s, "    control: {}", reg.controls[c].id);
        }
        let _ = writeln!(
            s,
            "    extracted_at: {}\n    extracted_by: {}\n    command: {}\n    classification: internal",
            scalar(&at),
            scalar(&reg.people[0].id),
            scalar(&command)
        );
        let options = match src.kind {
            Kind::Csv => "{ columns: { key: change_id, date: opened_at, title: summary, performed_by: implementer, \
                 approved_by: approver, result: outcome }, date_format: \"%Y-%m-%d %H:%M:%S\", \
                 pass_values: [successful, successful with issues], accounts: okta }"
                .to_string(),
            Kind::JiraCsv => format!(
                "{{ date_column: Created, date_format: \"{}\", done_statuses: [Done, Closed], sla_days: 5, \
                 approver_column: \"Custom field (Approvers)\" }}",
                jira::DATE_FORMAT
            ),
            Kind::GithubPulls => "{ min_approvals: 1, base_branches: [main] }".to_string(),
            Kind::AwsIamCredentialReport => "{ unused_days: 90 }".to_string(),
        };
        let _ = writeln!(s, "    options: {options}");
    }
    s
}

/// The next power of ten above `n`: a `--limit` the export did not reach.
fn limit_above(n: usize) -> usize {
    let mut limit = 1000;
    while limit <= n {
        limit *= 10;
    }
    limit
}

/// Writes every export; returns the bytes written.
pub(crate) fn write(
    out: &Out,
    p: &Params,
    reg: &Registry,
    ev: &Evidence,
    sources: &[Source],
) -> io::Result<u64> {
    let mut bytes = 0;
    for src in sources {
        let mut w = out.create(src.kind.file())?;
        match src.kind {
            Kind::Csv => change_log(&mut w, p, reg, src.rows)?,
            Kind::JiraCsv => jira::write(&mut w, p, reg, src.rows)?,
            Kind::GithubPulls => github::write(&mut w, p, reg, src.rows)?,
            Kind::AwsIamCredentialReport => aws::write(&mut w, p, reg, ev)?,
        }
        bytes += out.finish(w)?;
    }
    Ok(bytes)
}

/// Generates `rows` rows in blocks of [`BLOCK`], a few blocks at a time in parallel, and writes
/// them in order. `row(i, r, out)` appends row `i` drawn from its own stream `r`.
fn blocks<F>(w: &mut dyn Write, seed: &str, stream: &str, rows: usize, row: F) -> io::Result<()>
where
    F: Fn(usize, &mut Rng, &mut Vec<u8>) + Sync,
{
    let key = stream_key(seed, stream);
    let n_blocks = rows.div_ceil(BLOCK);
    let batch = 2 * rayon::current_num_threads().max(1);
    for first in (0..n_blocks).step_by(batch) {
        let done: Vec<Vec<u8>> = (first..(first + batch).min(n_blocks))
            .into_par_iter()
            .map(|b| {
                let mut buf = Vec::with_capacity(BLOCK * 256);
                for i in b * BLOCK..((b + 1) * BLOCK).min(rows) {
                    row(i, &mut Rng::item(key, i as u64), &mut buf);
                }
                buf
            })
            .collect();
        for buf in done {
            w.write_all(&buf)?;
        }
    }
    Ok(())
}

/// The time of row `i` of `rows`, spread evenly over the period (so rows come in date order,
/// as exports sorted by key do) with a random offset inside its slot.
fn row_time(p: &Params, i: usize, rows: usize, r: &mut Rng) -> NaiveDateTime {
    let start = p.start.and_hms_opt(0, 0, 0).expect("midnight");
    let span = ((p.end - p.start).num_days() + 1) * 86_400;
    let slot = (i as f64 + r.unit()) / rows as f64;
    start + TimeDelta::seconds((slot * span as f64) as i64)
}

/// One CSV record appended to `out`, each field quoted only when it holds a comma, a quote or
/// a line break (RFC 4180), as Jira and most exporters write them.
fn csv_row<S: AsRef<str>>(out: &mut Vec<u8>, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let field = field.as_ref();
        if field
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        {
            out.push(b'"');
            out.extend_from_slice(field.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(field.as_bytes());
        }
    }
    out.push(b'\n');
}

/// A generic change-log export: `change_id,opened_at,summary,implementer,approver,outcome`.
fn change_log(w: &mut dyn Write, p: &Params, reg: &Registry, rows: usize) -> io::Result<()> {
    w.write_all(b"change_id,opened_at,summary,implementer,approver,outcome\n")?;
    blocks(w, &p.seed, "source-csv", rows, |i, r, out| {
        let t = row_time(p, i, rows, r);
        let (a, b) = r.two(reg.people.len());
        let implementer = format!("{}@example.test", reg.people[a].id);
        let approver = match r.below(100) {
            0..=1 => implementer.clone(), // self-approved
            2 => String::new(),           // no approver
            _ => format!("{}@example.test", reg.people[b].id),
        };
        let outcome = *r.pick(&[
            "successful",
            "successful",
            "successful",
            "successful",
            "successful",
            "successful",
            "successful",
            "successful",
            "successful with issues",
            "failed",
            "backed out",
        ]);
        let summary = format!("Deploy {} {}", r.pick(&SYSTEMS), sentence(r, 5, None));
        csv_row(
            out,
            &[
                format!("CHG{:07}", i + 1),
                t.format("%Y-%m-%d %H:%M:%S").to_string(),
                summary,
                implementer,
                approver,
                outcome.to_string(),
            ],
        );
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_never_reached() {
        assert_eq!(limit_above(10), 1000);
        assert_eq!(limit_above(1000), 10_000);
        assert_eq!(limit_above(999_999), 1_000_000);
    }
}
