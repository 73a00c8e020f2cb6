//! Streaming parse of the IAM credential report CSV.

use std::io::Read;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::sources::csv_stream::{CsvStream, Row, Wanted};
use crate::sources::error::SourceError;
use crate::sources::item::{Interner, Item, Locator, Parsed, Role};
use crate::sources::tap::Tap;
use crate::sources::Export;

/// The report's columns, in AWS's order.
pub const COLUMNS: [&str; 22] = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
];

/// The `user` of the root user's row.
pub const ROOT: &str = "<root_account>";

/// The columns read, as slots.
const USER: usize = 0;
const ARN: usize = 1;
const PASSWORD: usize = 2;
const MFA: usize = 3;
/// `access_key_N_active`, `_last_rotated`, `_last_used_date` for key 1 then key 2.
const KEY_COLUMNS: [[usize; 3]; 2] = [[4, 5, 6], [7, 8, 9]];
const USED: [&str; 10] = [
    "user",
    "arn",
    "password_enabled",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
];

/// Whether a user can sign in to the console with a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Password {
    /// `password_enabled` is true.
    Enabled,
    /// It is false.
    Disabled,
    /// `not_supported`: the root user, who always has a password.
    Root,
}

/// One row of the report: a user and its console credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// `user` (`<root_account>` for the root user).
    pub user: String,
    /// `arn`.
    pub arn: String,
    /// Where the row is.
    pub locator: Locator,
    /// `password_enabled`.
    pub password: Password,
    /// `mfa_active`.
    pub mfa_active: bool,
    /// How many of its access keys are active.
    pub active_keys: u8,
}

impl UserRow {
    /// Is this the root user's row?
    pub fn is_root(&self) -> bool {
        self.user == ROOT
    }
}

/// What the key tests need of an active access key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFacts {
    /// The IAM user holding it.
    pub user: Arc<str>,
    /// `access_key_N_last_rotated`: when it was created or last rotated.
    pub last_rotated: DateTime<FixedOffset>,
    /// `access_key_N_last_used_date` (`N/A`: never used).
    pub last_used: Option<DateTime<FixedOffset>>,
    /// Held by the root user.
    pub is_root: bool,
}

/// A whole credential report: its active keys (the items) and its rows (the accounts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The active keys, with the hash and counts of the file.
    pub keys: Export<KeyFacts>,
    /// Every row.
    pub users: Vec<UserRow>,
}

/// Reads a whole credential report (for tests and fuzzing; the build streams it).
pub fn parse<R: Read>(reader: R) -> Result<Report, SourceError> {
    let mut users = Vec::new();
    let keys = crate::sources::collect(reader, |tap, sink| {
        stream(tap, &mut |user, keys| {
            users.push(user);
            keys.into_iter().for_each(&mut *sink);
        })
    })?;
    Ok(Report { keys, users })
}

/// Streams the report through `tap`, handing each row and its active keys to `on_row`; returns
/// the number of rows read.
pub(crate) fn stream<R: Read>(
    tap: &mut Tap<R>,
    on_row: &mut dyn FnMut(UserRow, Vec<Parsed<KeyFacts>>),
) -> Result<u64, SourceError> {
    let csv = CsvStream::new(tap)?;
    let mut wanted = Wanted::default();
    for name in USED {
        wanted.slot(name);
    }
    let keep = wanted.plan(
        csv.headers(),
        "the CSV of `aws iam get-credential-report` (base64-decoded)",
    )?;
    let mut names = Interner::default();
    csv.for_each(&keep, |row, headers| {
        let (user, keys) = read_row(row, headers, &mut names)?;
        on_row(user, keys);
        Ok(())
    })
}

fn read_row(
    row: &Row,
    headers: &[String],
    names: &mut Interner,
) -> Result<(UserRow, Vec<Parsed<KeyFacts>>), SourceError> {
    let cell = |slot: usize| row.first(slot).unwrap_or("");
    let user = cell(USER);
    if user.is_empty() {
        return Err(row.error(USER, headers, "a row without a user".into()));
    }
    let is_root = user == ROOT;
    let password = match cell(PASSWORD).to_ascii_lowercase().as_str() {
        "true" => Password::Enabled,
        "false" => Password::Disabled,
        "not_supported" => Password::Root,
        other => {
            return Err(row.error(
                PASSWORD,
                headers,
                format!("`{other}` is not true, false or not_supported"),
            ))
        }
    };
    let mfa_active = boolean(row, headers, MFA)?;
    let locator = Locator::Line(row.line);
    let mut keys = Vec::new();
    for (n, [active, rotated, used]) in KEY_COLUMNS.into_iter().enumerate() {
        if !boolean(row, headers, active)? {
            continue;
        }
        let number = n + 1;
        let Some(last_rotated) = timestamp(row, headers, rotated)? else {
            return Err(row.error(
                rotated,
                headers,
                format!("access key {number} is active but has no rotation date"),
            ));
        };
        let last_used = timestamp(row, headers, used)?;
        let holder = names.get(user);
        keys.push(Parsed {
            item: Item {
                key: format!("{user}/key{number}"),
                date: last_rotated.naive_utc().date(),
                title: format!("access key {number} of {user}"),
                link: None,
                actors: vec![names.actor(Role::Holder, user)],
                locator,
            },
            facts: KeyFacts {
                user: holder,
                last_rotated,
                last_used,
                is_root,
            },
        });
    }
    let user_row = UserRow {
        user: user.to_string(),
        arn: cell(ARN).to_string(),
        locator,
        password,
        mfa_active,
        active_keys: keys.len() as u8,
    };
    Ok((user_row, keys))
}

/// A `TRUE`/`FALSE` cell (any case).
fn boolean(row: &Row, headers: &[String], slot: usize) -> Result<bool, SourceError> {
    let value = row.first(slot).unwrap_or("");
    if value.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if value.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(row.error(slot, headers, format!("`{value}` is not true or false")))
    }
}

/// An ISO 8601 timestamp cell; `N/A` and `no_information` (and an empty cell) are `None`.
fn timestamp(
    row: &Row,
    headers: &[String],
    slot: usize,
) -> Result<Option<DateTime<FixedOffset>>, SourceError> {
    match row.first(slot) {
        None | Some("N/A" | "no_information") => Ok(None),
        Some(text) => DateTime::parse_from_rfc3339(text).map(Some).map_err(|_| {
            row.error(
                slot,
                headers,
                format!("`{text}` is not an ISO 8601 time, N/A or no_information"),
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::error::Position;

    fn header() -> String {
        COLUMNS.join(",")
    }

    const ROOT_ROW: &str = "<root_account>,arn:aws:iam::111122223333:root,2019-03-04T10:11:12+00:00,not_supported,2026-05-02T08:00:00+00:00,not_supported,not_supported,true,true,2024-11-02T10:00:00+00:00,2026-06-01T10:00:00+00:00,us-east-1,iam,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";
    const CI_ROW: &str = "ci-deployer,arn:aws:iam::111122223333:user/ci-deployer,2025-04-02T08:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-04-10T07:00:00+00:00,2026-06-30T23:10:00+00:00,eu-west-1,s3,true,2026-06-20T07:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A";

    fn report(rows: &[&str]) -> Result<Report, SourceError> {
        let text = format!("{}\n{}\n", header(), rows.join("\n"));
        parse(text.as_bytes())
    }

    #[test]
    fn active_keys_become_items_and_rows_accounts() {
        let r = report(&[ROOT_ROW, CI_ROW]).unwrap();
        assert_eq!(r.keys.rows, 2);
        let keys: Vec<&str> = r.keys.items.iter().map(|p| p.item.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "<root_account>/key1",
                "ci-deployer/key1",
                "ci-deployer/key2"
            ]
        );
        let ci2 = &r.keys.items[2];
        assert_eq!(ci2.item.date.to_string(), "2026-06-20");
        assert_eq!(ci2.item.locator, Locator::Line(3));
        assert_eq!(ci2.facts.last_used, None);
        assert!(!ci2.facts.is_root);
        assert!(r.keys.items[0].facts.is_root);
        assert_eq!(r.users[0].password, Password::Root);
        assert!(r.users[0].is_root());
        assert_eq!(r.users[1].password, Password::Disabled);
        assert_eq!(r.users[1].active_keys, 2);
        assert_eq!(r.users[1].arn, "arn:aws:iam::111122223333:user/ci-deployer");
    }

    #[test]
    fn documented_upper_case_booleans_read_too() {
        let upper = CI_ROW
            .replace(",true,", ",TRUE,")
            .replace(",false,", ",FALSE,");
        let r = report(&[&upper]).unwrap();
        assert_eq!(r.users[0].active_keys, 2);
    }

    #[test]
    fn a_header_that_is_not_a_credential_report_is_refused() {
        let err = parse(&b"Summary,Issue key\nx,SEC-1\n"[..]).unwrap_err();
        assert_eq!(err.position, Position::At { line: 1, column: 1 });
        assert!(
            err.message
                .starts_with("the header row has no `user`, `arn`, `password_enabled`"),
            "{}",
            err.message
        );
        assert!(err.message.contains("aws iam get-credential-report"));
    }

    #[test]
    fn odd_values_are_refused_at_their_cell() {
        let err =
            report(&[&CI_ROW.replace("2026-04-10T07:00:00+00:00", "10/04/2026")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2, column 111 (`access_key_1_last_rotated`): `10/04/2026` is not an ISO 8601 \
             time, N/A or no_information"
        );
        let err =
            report(&[&CI_ROW.replace(",false,N/A,N/A,N/A,false,", ",maybe,N/A,N/A,N/A,false,")])
                .unwrap_err();
        assert!(err
            .message
            .contains("`maybe` is not true, false or not_supported"));
        let err = report(&[&CI_ROW.replace("2026-04-10T07:00:00+00:00", "N/A")]).unwrap_err();
        assert!(err.message.contains("active but has no rotation date"));
        let err = report(&[&CI_ROW.replacen("ci-deployer", "", 1)]).unwrap_err();
        assert!(err.message.contains("without a user"));
        let err =
            report(&[&CI_ROW.replace(",N/A,N/A,N/A,false,", ",N/A,N/A,N/A,yes,")]).unwrap_err();
        assert!(
            err.message.contains("`yes` is not true or false"),
            "{}",
            err.message
        );
    }

    #[test]
    fn no_information_reads_as_never() {
        let row = CI_ROW.replace("2026-06-30T23:10:00+00:00", "no_information");
        let r = report(&[&row]).unwrap();
        assert_eq!(r.keys.items[0].facts.last_used, None);
    }
}
