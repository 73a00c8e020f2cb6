//! Streaming parse of a CSV export through its `columns:` mapping.

use std::io::Read;
use std::sync::Arc;

use super::Options;
use crate::sources::csv_stream::{stream_dated, Reading, Row, Wanted};
use crate::sources::error::SourceError;
use crate::sources::item::{Actor, Interner, Item, Locator, Parsed, Role};
use crate::sources::tap::Tap;
use crate::sources::Export;

/// What the `csv` tests need of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFacts {
    /// The `performed_by` cell.
    pub performer: Option<Arc<str>>,
    /// Every `approved_by` value.
    pub approvers: Vec<Arc<str>>,
    /// The `result` cell.
    pub result: Option<Arc<str>>,
}

/// The mapped columns as slots (two parts mapped to one column share a slot).
struct Slots<'a> {
    wanted: Wanted<'a>,
    key: usize,
    date: usize,
    title: Option<usize>,
    performer: Option<usize>,
    approver: Option<usize>,
    result: Option<usize>,
    link: Option<usize>,
}

impl<'a> Slots<'a> {
    fn new(options: &'a Options) -> Slots<'a> {
        let mut wanted = Wanted::default();
        let c = &options.columns;
        let key = wanted.slot(&c.key);
        let date = wanted.slot(&c.date);
        let mut optional = |name: &'a Option<String>| name.as_deref().map(|n| wanted.slot(n));
        let (title, performer, approver) = (
            optional(&c.title),
            optional(&c.performed_by),
            optional(&c.approved_by),
        );
        let (result, link) = (optional(&c.result), optional(&c.link));
        Slots {
            wanted,
            key,
            date,
            title,
            performer,
            approver,
            result,
            link,
        }
    }
}

/// Reads a whole `csv` export (for tests and fuzzing; the build streams it).
pub fn parse<R: Read>(reader: R, options: &Options) -> Result<Export<RowFacts>, SourceError> {
    crate::sources::collect(reader, |tap, sink| stream(tap, options, sink))
}

/// Streams the export through `tap`, handing each row to `on_item`; returns the number of rows.
pub(crate) fn stream<R: Read>(
    tap: &mut Tap<R>,
    options: &Options,
    on_item: &mut dyn FnMut(Parsed<RowFacts>),
) -> Result<u64, SourceError> {
    let slots = Slots::new(options);
    let what = "the export `columns:` describes";
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
            on_item(read_row(row, headers, &site, names)?);
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
) -> Result<Parsed<RowFacts>, SourceError> {
    let slots = site.slots;
    let Some(key) = row.first(slots.key) else {
        return Err(row.error(slots.key, headers, "a row without a key".into()));
    };
    let Some(date) = row.date(slots.date, headers, site.format)? else {
        return Err(row.error(slots.date, headers, format!("row {key} has no date")));
    };
    let one = |slot: Option<usize>| slot.and_then(|s| row.first(s));
    let mut actors = Vec::new();
    let performer = one(slots.performer).map(|p| {
        let account = names.get(p);
        actors.push(Actor {
            role: Role::Performer,
            account: account.clone(),
        });
        account
    });
    let approvers: Vec<Arc<str>> = slots
        .approver
        .map(|s| row.values(s).map(|a| names.get(a)).collect())
        .unwrap_or_default();
    actors.extend(approvers.iter().map(|a| Actor {
        role: Role::Approver,
        account: a.clone(),
    }));
    Ok(Parsed {
        item: Item {
            key: key.to_string(),
            date: date.date(),
            title: one(slots.title).unwrap_or("").to_string(),
            link: one(slots.link).map(String::from),
            actors,
            locator: Locator::Line(row.line),
        },
        facts: RowFacts {
            performer,
            approvers,
            result: one(slots.result).map(|r| names.get(r)),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::generic_csv::Columns;

    fn options() -> Options {
        Options {
            columns: Columns {
                key: "Request".into(),
                date: "Completed".into(),
                title: Some("Summary".into()),
                performed_by: Some("Requested by".into()),
                approved_by: Some("Approver".into()),
                result: Some("Outcome".into()),
                link: None,
            },
            date_format: "%Y-%m-%d".into(),
            pass_values: vec!["approved".into()],
            accounts: Some("okta".into()),
        }
    }

    const HEADER: &str = "Request,Summary,Requested by,Approver,Approver,Completed,Outcome,Notes";

    #[test]
    fn rows_become_items_through_the_mapping() {
        let text = format!(
            "{HEADER}\nAR-1,Quarterly review,sven@northwind.example,amara@northwind.example,,2026-03-28,approved,\"long\nnote\"\n"
        );
        let e = parse(text.as_bytes(), &options()).unwrap();
        assert_eq!(e.rows, 1);
        let p = &e.items[0];
        assert_eq!(p.item.key, "AR-1");
        assert_eq!(p.item.title, "Quarterly review");
        assert_eq!(p.item.date.to_string(), "2026-03-28");
        assert_eq!(p.item.link, None);
        assert_eq!(p.facts.performer.as_deref(), Some("sven@northwind.example"));
        assert_eq!(p.facts.approvers.len(), 1);
        assert_eq!(p.facts.result.as_deref(), Some("approved"));
        assert_eq!(p.item.actors.len(), 2);
    }

    #[test]
    fn mapped_columns_must_exist() {
        let err = parse(&b"Request,Completed\nAR-1,2026-01-01\n"[..], &options()).unwrap_err();
        assert_eq!(
            err.message,
            "the header row has no `Summary`, `Requested by`, `Approver`, `Outcome` columns: is \
             this the export `columns:` describes?"
        );
    }

    #[test]
    fn keys_and_dates_are_required_and_read_with_the_format() {
        let bad = format!("{HEADER}\nAR-1,x,a,b,,28/03/2026,approved,\n");
        let err = parse(bad.as_bytes(), &options()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2, column 13 (`Completed`): `28/03/2026` is not a date in the format \
             `%Y-%m-%d` (set `date_format`)"
        );
        let european = Options {
            date_format: "%d/%m/%Y".into(),
            ..options()
        };
        assert_eq!(parse(bad.as_bytes(), &european).unwrap().items.len(), 1);
        let nokey = format!("{HEADER}\n ,x,a,b,,2026-03-28,approved,\n");
        assert!(parse(nokey.as_bytes(), &options())
            .unwrap_err()
            .message
            .contains("without a key"));
        let nodate = format!("{HEADER}\nAR-1,x,a,b,,,approved,\n");
        assert!(parse(nodate.as_bytes(), &options())
            .unwrap_err()
            .message
            .contains("AR-1 has no date"));
    }

    #[test]
    fn one_column_may_serve_two_parts() {
        let mut o = options();
        o.columns.title = Some("Request".into());
        o.columns.link = Some("Notes".into());
        let text = format!("{HEADER}\nAR-1,x,a,b,,2026-03-28,approved,https://x.example/AR-1\n");
        let e = parse(text.as_bytes(), &o).unwrap();
        assert_eq!(e.items[0].item.title, "AR-1");
        assert_eq!(
            e.items[0].item.link.as_deref(),
            Some("https://x.example/AR-1")
        );
    }
}
