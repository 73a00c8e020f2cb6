//! Streaming parse of a Jira "Export CSV (all fields)".

use std::io::Read;
use std::sync::Arc;

use chrono::NaiveDateTime;

use super::Options;
use crate::sources::csv_stream::{stream_dated, Reading, Row, Wanted};
use crate::sources::error::SourceError;
use crate::sources::item::{Actor, Interner, Item, Locator, Parsed, Role};
use crate::sources::tap::Tap;
use crate::sources::Export;

/// The columns every "all fields" export has and the tests read, as the first slots.
const BASE: [&str; 7] = [
    "Issue key",
    "Summary",
    "Status",
    "Created",
    "Resolved",
    "Reporter",
    "Assignee",
];
const KEY: usize = 0;
const SUMMARY: usize = 1;
const STATUS: usize = 2;
const CREATED: usize = 3;
const RESOLVED: usize = 4;
const REPORTER: usize = 5;
const ASSIGNEE: usize = 6;

/// What the `jira-csv` tests need of an issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueFacts {
    /// `Status`.
    pub status: Arc<str>,
    /// `Created`, in the site's time zone.
    pub created: NaiveDateTime,
    /// `Resolved`, when resolved.
    pub resolved: Option<NaiveDateTime>,
    /// `Reporter` (display name).
    pub reporter: Option<Arc<str>>,
    /// `Assignee` (display name).
    pub assignee: Option<Arc<str>>,
    /// Every value of `approver_column` (a repeated column gives several).
    pub approvers: Vec<Arc<str>>,
}

/// Reads a whole `jira-csv` export (for tests and fuzzing; the build streams it).
pub fn parse<R: Read>(reader: R, options: &Options) -> Result<Export<IssueFacts>, SourceError> {
    crate::sources::collect(reader, |tap, sink| stream(tap, options, sink))
}

/// The slots read: the base columns, then `date_column` and `approver_column` (reusing a base
/// slot when they name a base column).
struct Slots<'a> {
    wanted: Wanted<'a>,
    date: usize,
    approver: Option<usize>,
}

impl<'a> Slots<'a> {
    fn new(options: &'a Options) -> Slots<'a> {
        let mut wanted = Wanted::default();
        for name in BASE {
            wanted.slot(name);
        }
        let date = wanted.slot(&options.date_column);
        let approver = options.approver_column.as_deref().map(|c| wanted.slot(c));
        Slots {
            wanted,
            date,
            approver,
        }
    }
}

/// Streams the export through `tap`, handing each issue with a date to `on_item`; returns the
/// number of issues read.
pub(crate) fn stream<R: Read>(
    tap: &mut Tap<R>,
    options: &Options,
    on_item: &mut dyn FnMut(Parsed<IssueFacts>),
) -> Result<u64, SourceError> {
    let slots = Slots::new(options);
    let what = "a Jira \"Export CSV (all fields)\" with these columns";
    stream_dated(
        tap,
        &options.date_format,
        &slots.wanted,
        what,
        |row, headers, format, names| {
            let site = Site {
                options,
                format,
                slots: &slots,
            };
            if let Some(item) = read_row(row, headers, &site, names)? {
                on_item(item);
            }
            Ok(())
        },
    )
}

type Site<'a> = Reading<'a, Options, Slots<'a>>;

fn read_row(
    row: &Row,
    headers: &[String],
    site: &Site<'_>,
    names: &mut Interner,
) -> Result<Option<Parsed<IssueFacts>>, SourceError> {
    let (options, slots) = (site.options, site.slots);
    let date_of = |slot: usize| row.date(slot, headers, site.format);
    let Some(key) = row.first(KEY) else {
        return Err(row.error(KEY, headers, "an issue without an `Issue key`".into()));
    };
    let Some(created) = date_of(CREATED)? else {
        return Err(row.error(
            CREATED,
            headers,
            format!("issue {key} has no `Created` date"),
        ));
    };
    let resolved = date_of(RESOLVED)?;
    let date = match slots.date {
        CREATED => Some(created),
        RESOLVED => resolved,
        other => date_of(other)?,
    };
    let Some(date) = date else {
        return Ok(None);
    };
    let mut actors = Vec::new();
    let mut person = |role: Role, slot: usize| {
        row.first(slot).map(|name| {
            let account = names.get(name);
            actors.push(Actor {
                role,
                account: account.clone(),
            });
            account
        })
    };
    let reporter = person(Role::Reporter, REPORTER);
    let assignee = person(Role::Assignee, ASSIGNEE);
    let approvers: Vec<Arc<str>> = slots
        .approver
        .map(|slot| row.values(slot).map(|name| names.get(name)).collect())
        .unwrap_or_default();
    actors.extend(approvers.iter().map(|a| Actor {
        role: Role::Approver,
        account: a.clone(),
    }));
    let link = options
        .site_url
        .as_deref()
        .map(|site| format!("{}/browse/{key}", site.trim_end_matches('/')));
    Ok(Some(Parsed {
        item: Item {
            key: key.to_string(),
            date: date.date(),
            title: row.first(SUMMARY).unwrap_or("").to_string(),
            link,
            actors,
            locator: Locator::Line(row.line),
        },
        facts: IssueFacts {
            status: names.get(row.first(STATUS).unwrap_or("")),
            created,
            resolved,
            reporter,
            assignee,
            approvers,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::error::Position;

    const HEADER: &str = "Summary,Issue key,Issue id,Issue Type,Status,Priority,Resolution,Assignee,Reporter,Creator,Created,Updated,Resolved,Labels,Labels,Description,Watchers,Watchers,Sprint,Custom field (Approver),Custom field (Approver),Comment";

    fn export(rows: &[&str], options: &Options) -> Result<Export<IssueFacts>, SourceError> {
        parse(
            format!("{HEADER}\n{}\n", rows.join("\n")).as_bytes(),
            options,
        )
    }

    fn with_approver() -> Options {
        Options {
            approver_column: Some("Custom field (Approver)".into()),
            site_url: Some("https://northwind.atlassian.net/".into()),
            ..Options::default()
        }
    }

    const SEC_142: &str = r#""Grant prod read to Sven, ""temporary""",SEC-142,10142,Access Request,Done,High,Done,Sven Kowalski,Oliver Brandt,Oliver Brandt,12/Jan/26 3:04 PM,13/Jan/26 9:00 AM,13/Jan/26 8:45 AM,access,prod,"Needs read access
for the incident.",Sven Kowalski,Amara Okafor,,Amara Okafor,Dmitri Volkov,"13/Jan/26 8:40 AM;Amara Okafor;Approved.""#;

    #[test]
    fn an_issue_becomes_an_item() {
        let e = export(&[SEC_142], &with_approver()).unwrap();
        assert_eq!(e.rows, 1);
        let p = &e.items[0];
        assert_eq!(p.item.key, "SEC-142");
        assert_eq!(p.item.title, "Grant prod read to Sven, \"temporary\"");
        assert_eq!(p.item.date.to_string(), "2026-01-12");
        assert_eq!(
            p.item.link.as_deref(),
            Some("https://northwind.atlassian.net/browse/SEC-142")
        );
        assert_eq!(p.item.locator, Locator::Line(2));
        assert_eq!(p.facts.status.as_ref(), "Done");
        assert_eq!(p.facts.created.to_string(), "2026-01-12 15:04:00");
        assert_eq!(p.facts.resolved.unwrap().to_string(), "2026-01-13 08:45:00");
        assert_eq!(p.facts.reporter.as_deref(), Some("Oliver Brandt"));
        assert_eq!(p.facts.assignee.as_deref(), Some("Sven Kowalski"));
        let approvers: Vec<&str> = p.facts.approvers.iter().map(|a| a.as_ref()).collect();
        assert_eq!(approvers, ["Amara Okafor", "Dmitri Volkov"]);
        let roles: Vec<Role> = p.item.actors.iter().map(|a| a.role).collect();
        assert_eq!(
            roles,
            [
                Role::Reporter,
                Role::Assignee,
                Role::Approver,
                Role::Approver
            ]
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let err = parse(&b"Summary,Issue id\nx,1\n"[..], &with_approver()).unwrap_err();
        assert_eq!(err.position, Position::At { line: 1, column: 1 });
        assert!(
            err.message.starts_with(
                "the header row has no `Issue key`, `Status`, `Created`, `Resolved`, \
                 `Reporter`, `Assignee`, `Custom field (Approver)` columns"
            ),
            "{}",
            err.message
        );
    }

    #[test]
    fn dates_follow_the_site_format() {
        let iso = SEC_142
            .replace("12/Jan/26 3:04 PM", "2026-01-12 15:04")
            .replace("13/Jan/26 8:45 AM", "2026-01-13 08:45");
        let err = export(&[&iso], &Options::default()).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "line 2, column 128 (`Created`): `2026-01-12 15:04` is not a date in the \
                 format `%d/%b/%y %I:%M %p`"
            ),
            "{err}"
        );
        let options = Options {
            date_format: "%Y-%m-%d %H:%M".into(),
            ..Options::default()
        };
        assert_eq!(export(&[&iso], &options).unwrap().items.len(), 1);
    }

    #[test]
    fn the_date_column_chooses_the_items() {
        let open = SEC_142
            .replace(",Done,High,Done,", ",In Progress,High,,")
            .replace("13/Jan/26 8:45 AM", "");
        let by_resolution = Options {
            date_column: "Resolved".into(),
            ..Options::default()
        };
        let e = export(&[SEC_142, &open], &by_resolution).unwrap();
        assert_eq!((e.rows, e.items.len()), (2, 1));
        assert_eq!(e.items[0].item.date.to_string(), "2026-01-13");
        let e = export(&[&open], &Options::default()).unwrap();
        assert_eq!(e.items[0].facts.resolved, None);
    }

    #[test]
    fn issues_need_a_key_and_a_creation_date() {
        let err = export(&[&SEC_142.replace(",SEC-142,", ",,")], &Options::default()).unwrap_err();
        assert!(err.message.contains("without an `Issue key`"));
        let err = export(
            &[&SEC_142.replace("12/Jan/26 3:04 PM", "")],
            &Options::default(),
        )
        .unwrap_err();
        assert!(err.message.contains("SEC-142 has no `Created` date"));
    }

    #[test]
    fn formula_cells_stay_text() {
        let formula = SEC_142.replace(
            r#""Grant prod read to Sven, ""temporary""""#,
            r#""=HYPERLINK(""http://evil.example"",""click"")""#,
        );
        let e = export(&[&formula], &Options::default()).unwrap();
        assert_eq!(
            e.items[0].item.title,
            r#"=HYPERLINK("http://evil.example","click")"#
        );
    }

    #[test]
    fn slots_reuse_base_columns() {
        let o = Options {
            date_column: "Resolved".into(),
            approver_column: Some("Custom field (Approver)".into()),
            ..Options::default()
        };
        let s = Slots::new(&o);
        assert_eq!((s.date, s.approver), (RESOLVED, Some(7)));
        let d = Options::default();
        let s = Slots::new(&d);
        assert_eq!((s.date, s.approver), (CREATED, None));
    }
}
