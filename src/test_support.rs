//! Helpers shared by the unit tests.

use chrono::NaiveDate;

use crate::content::Loc;

/// A date written `YYYY-MM-DD`.
pub(crate) fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A location in the first file, at its root.
pub(crate) fn loc() -> Loc {
    Loc {
        file: 0,
        pointer: String::new(),
    }
}
