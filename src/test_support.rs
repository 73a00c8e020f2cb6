//! Helpers shared by the unit tests.

use chrono::NaiveDate;

use crate::content::model::{Evidence, EvidenceKind, Outcome};
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

/// A passing ticket `id` of control `control` dated `day`, performed by `sven`, with nothing
/// else set: tests change the fields they are about (`Evidence { kind, ..evidence(…) }`).
pub(crate) fn evidence(id: &str, control: &str, day: &str) -> Evidence {
    Evidence {
        id: id.into(),
        controls: vec![control.into()],
        kind: EvidenceKind::Ticket,
        title: id.into(),
        occurred_on: d(day),
        performed_by: "sven".into(),
        approved_by: None,
        system: None,
        identity: Default::default(),
        identities: vec![],
        source: None,
        result: Outcome::Pass,
        exception: None,
        classification: Default::default(),
        attachments: vec![],
        summary: None,
        extra: None,
        item: None,
        attributes: Default::default(),
        impact: None,
        covers: None,
    }
}
