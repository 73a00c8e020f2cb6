//! Provenance of an export, computed in the same read as its items (SHA-256, rows, items in the
//! period, first and last dates), and the completeness warnings an auditor needs before relying
//! on it as a population: taken before the period ended, first or last item far from the
//! period's edges, no item in the period, or exactly as many rows as the command's row limit.

use std::fmt;
use std::ops::RangeInclusive;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use super::decl::Kind;

/// Days between a period's edge and the first or last item beyond which the export may not
/// cover the whole period (a month without a single change is unusual for an active system).
pub const DEFAULT_EDGE_DAYS: i64 = 30;

/// What the read of an export established about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// Lowercase hex SHA-256 of the file.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Records read (pull requests, report rows, issues, CSV rows).
    pub rows_read: u64,
    /// Items among them (merged pull requests, active keys, dated issues, rows).
    pub items: u64,
    /// Items in the period: the population.
    pub items_in_period: u64,
    /// The earliest item date in the export.
    pub earliest: Option<NaiveDate>,
    /// The latest item date in the export.
    pub latest: Option<NaiveDate>,
}

/// Counts items and their date range while an export streams.
#[derive(Debug, Default)]
pub(crate) struct Counter {
    pub items: u64,
    pub in_period: u64,
    pub earliest: Option<NaiveDate>,
    pub latest: Option<NaiveDate>,
}

impl Counter {
    /// Notes an item of date `date`, in the period or not.
    pub(crate) fn observe(&mut self, date: NaiveDate, in_period: bool) {
        self.items += 1;
        self.in_period += u64::from(in_period);
        self.earliest = Some(self.earliest.map_or(date, |e| e.min(date)));
        self.latest = Some(self.latest.map_or(date, |l| l.max(date)));
    }
}

/// Why an export may not be a complete population for the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "warning", rename_all = "kebab-case")]
pub enum Completeness {
    /// Taken on or before the period's last day, so the end of the period is missing.
    ExtractedBeforePeriodEnd {
        /// The day it was taken (in its own time zone).
        extracted: NaiveDate,
        /// The period's last day.
        period_end: NaiveDate,
    },
    /// The first item comes long after the period starts.
    LateFirstItem {
        /// Its date.
        first: NaiveDate,
        /// Days after the period's start.
        days: i64,
    },
    /// The last item comes long before the period ends.
    EarlyLastItem {
        /// Its date.
        last: NaiveDate,
        /// Days before the period's end.
        days: i64,
    },
    /// No item falls in the period.
    NoItemsInPeriod,
    /// As many rows as the command's row limit: there may have been more.
    LimitReached {
        /// The limit found in the command.
        limit: u64,
    },
}

impl fmt::Display for Completeness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Completeness::ExtractedBeforePeriodEnd {
                extracted,
                period_end,
            } => write!(
                f,
                "extracted on {extracted}, before the period ended on {period_end}: later items \
                 are missing"
            ),
            Completeness::LateFirstItem { first, days } => write!(
                f,
                "the first item is dated {first}, {days} days after the period starts: the \
                 export may start too late"
            ),
            Completeness::EarlyLastItem { last, days } => write!(
                f,
                "the last item is dated {last}, {days} days before the period ends: the export \
                 may stop too early"
            ),
            Completeness::NoItemsInPeriod => f.write_str("no item of the export is in the period"),
            Completeness::LimitReached { limit } => write!(
                f,
                "the export has exactly {limit} rows, the row limit of its command: there may \
                 be more"
            ),
        }
    }
}

/// The completeness warnings of an export of `kind` taken at `extracted_at` by `command`, for
/// `period`; `edge_days` is how far from an edge the first or last item may be (see
/// [`DEFAULT_EDGE_DAYS`]). Inventory kinds are dated by state, not events: their edges are not
/// checked.
pub fn completeness(
    kind: Kind,
    extracted_at: DateTime<FixedOffset>,
    command: &str,
    provenance: &Provenance,
    period: &RangeInclusive<NaiveDate>,
    edge_days: i64,
) -> Vec<Completeness> {
    let mut warnings = Vec::new();
    let extracted = extracted_at.date_naive();
    if extracted <= *period.end() {
        warnings.push(Completeness::ExtractedBeforePeriodEnd {
            extracted,
            period_end: *period.end(),
        });
    }
    if provenance.items_in_period == 0 {
        warnings.push(Completeness::NoItemsInPeriod);
    }
    if !kind.is_inventory() {
        if let Some(first) = provenance.earliest {
            let days = (first - *period.start()).num_days();
            if days > edge_days {
                warnings.push(Completeness::LateFirstItem { first, days });
            }
        }
        if let Some(last) = provenance.latest {
            let days = (*period.end() - last).num_days();
            if days > edge_days {
                warnings.push(Completeness::EarlyLastItem { last, days });
            }
        }
    }
    if let Some(limit) = row_limit(command) {
        if provenance.rows_read == limit {
            warnings.push(Completeness::LimitReached { limit });
        }
    }
    warnings
}

/// The row limit a command sets: gh's `--limit N`, `--limit=N` or `-L N`, or the `tempMax=N` of
/// a Jira search export URL.
pub fn row_limit(command: &str) -> Option<u64> {
    let mut words = command.split_whitespace();
    while let Some(word) = words.next() {
        let value = match word {
            "--limit" | "-L" => words.next(),
            _ => word.strip_prefix("--limit="),
        };
        if let Some(n) = value.and_then(|v| v.parse().ok()) {
            return Some(n);
        }
    }
    let at = command.find("tempMax=")? + "tempMax=".len();
    let digits: String = command[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn period() -> RangeInclusive<NaiveDate> {
        d("2026-01-01")..=d("2026-06-30")
    }

    fn prov(rows: u64, in_period: u64, earliest: &str, latest: &str) -> Provenance {
        Provenance {
            sha256: String::new(),
            bytes: 0,
            rows_read: rows,
            items: rows,
            items_in_period: in_period,
            earliest: Some(d(earliest)),
            latest: Some(d(latest)),
        }
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn a_complete_export_has_no_warning() {
        let p = prov(120, 120, "2026-01-02", "2026-06-29");
        let w = completeness(
            Kind::GithubPulls,
            at("2026-07-01T08:12:00Z"),
            "gh pr list --limit 5000",
            &p,
            &period(),
            DEFAULT_EDGE_DAYS,
        );
        assert_eq!(w, []);
    }

    #[test]
    fn every_gap_is_named() {
        let p = prov(1000, 1000, "2026-02-15", "2026-05-01");
        let w = completeness(
            Kind::JiraCsv,
            at("2026-06-30T18:00:00+02:00"),
            "https://northwind.atlassian.net/sr/jira.issueviews:searchrequest-csv-all-fields/temp/SearchRequest.csv?jqlQuery=project%3DSEC&tempMax=1000",
            &p,
            &period(),
            DEFAULT_EDGE_DAYS,
        );
        assert_eq!(
            w,
            [
                Completeness::ExtractedBeforePeriodEnd {
                    extracted: d("2026-06-30"),
                    period_end: d("2026-06-30")
                },
                Completeness::LateFirstItem {
                    first: d("2026-02-15"),
                    days: 45
                },
                Completeness::EarlyLastItem {
                    last: d("2026-05-01"),
                    days: 60
                },
                Completeness::LimitReached { limit: 1000 },
            ]
        );
        assert_eq!(
            w[3].to_string(),
            "the export has exactly 1000 rows, the row limit of its command: there may be more"
        );
    }

    #[test]
    fn edges_are_checked_against_the_threshold_exactly() {
        let p = prov(10, 10, "2026-01-31", "2026-05-31");
        let w = completeness(Kind::Csv, at("2026-07-01T00:00:00Z"), "", &p, &period(), 30);
        assert_eq!(w, []);
        let w = completeness(Kind::Csv, at("2026-07-01T00:00:00Z"), "", &p, &period(), 29);
        assert_eq!(w.len(), 2);
    }

    #[test]
    fn inventories_skip_the_edges_and_empty_periods_say_so() {
        let p = prov(5, 5, "2024-03-01", "2025-01-01");
        let w = completeness(
            Kind::AwsIamCredentialReport,
            at("2026-07-01T09:00:00Z"),
            "aws iam get-credential-report",
            &p,
            &period(),
            DEFAULT_EDGE_DAYS,
        );
        assert_eq!(w, []);
        let mut none = prov(3, 0, "2025-01-01", "2025-02-01");
        none.earliest = None;
        none.latest = None;
        let w = completeness(
            Kind::Csv,
            at("2026-07-01T00:00:00Z"),
            "",
            &none,
            &period(),
            30,
        );
        assert_eq!(w, [Completeness::NoItemsInPeriod]);
        assert_eq!(w[0].to_string(), "no item of the export is in the period");
    }

    #[test]
    fn limits_are_found_in_commands() {
        assert_eq!(
            row_limit("gh pr list --limit 5000 --json number"),
            Some(5000)
        );
        assert_eq!(row_limit("gh pr list --limit=200"), Some(200));
        assert_eq!(row_limit("gh pr list -L 30 --state merged"), Some(30));
        assert_eq!(
            row_limit("…/SearchRequest.csv?jqlQuery=x&tempMax=1000"),
            Some(1000)
        );
        assert_eq!(row_limit("gh pr list --state merged"), None);
        assert_eq!(row_limit("gh pr list --limit"), None);
        assert_eq!(row_limit("gh pr list --limit many"), None);
        assert_eq!(row_limit("x?tempMax=&y"), None);
    }

    #[test]
    fn the_counter_follows_dates() {
        let mut c = Counter::default();
        c.observe(d("2026-03-01"), true);
        c.observe(d("2025-12-01"), false);
        c.observe(d("2026-02-01"), true);
        assert_eq!((c.items, c.in_period), (3, 2));
        assert_eq!(
            (c.earliest, c.latest),
            (Some(d("2025-12-01")), Some(d("2026-03-01")))
        );
    }

    #[test]
    fn warnings_read_as_sentences() {
        let w = Completeness::ExtractedBeforePeriodEnd {
            extracted: d("2026-06-15"),
            period_end: d("2026-06-30"),
        };
        assert_eq!(
            w.to_string(),
            "extracted on 2026-06-15, before the period ended on 2026-06-30: later items are \
             missing"
        );
        assert!(Completeness::LateFirstItem {
            first: d("2026-02-15"),
            days: 45
        }
        .to_string()
        .contains("45 days after the period starts"));
        assert!(Completeness::EarlyLastItem {
            last: d("2026-05-01"),
            days: 60
        }
        .to_string()
        .contains("60 days before the period ends"));
    }
}
