//! Items: the records of an export that make up a population, with what every kind gives (a
//! stable key, a date, a title, the accounts that acted, a link) and where each sits in its file.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use super::error::Position;

/// Where an item sits in its export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Locator {
    /// A CSV record starting on this 1-based line.
    Line(u64),
    /// An element of a JSON array, by 0-based index.
    Element(u64),
}

impl Locator {
    /// The position to report a problem with the whole item at.
    pub fn position(self) -> Position {
        match self {
            Locator::Line(line) => Position::At { line, column: 1 },
            Locator::Element(index) => Position::Element {
                path: format!("[{index}]"),
            },
        }
    }
}

impl fmt::Display for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Locator::Line(line) => write!(f, "line {line}"),
            Locator::Element(index) => write!(f, "[{index}]"),
        }
    }
}

/// What an account did on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Opened a pull request.
    Author,
    /// Merged it.
    Merger,
    /// Approved it (an `APPROVED` review, an approver cell).
    Approver,
    /// Reported a ticket.
    Reporter,
    /// Was assigned a ticket.
    Assignee,
    /// Performed the activity (a generic CSV's `performed_by`).
    Performer,
    /// Holds the credential (the IAM user of an access key).
    Holder,
}

impl Role {
    /// The role as a word for people.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Author => "author",
            Role::Merger => "merger",
            Role::Approver => "approver",
            Role::Reporter => "reporter",
            Role::Assignee => "assignee",
            Role::Performer => "performer",
            Role::Holder => "holder",
        }
    }
}

/// An account of the source system and what it did; matched to people by the integration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// What it did.
    pub role: Role,
    /// The account exactly as the export names it (`oliver-b`, `app/dependabot`, `Oliver Brandt`).
    pub account: Arc<str>,
}

/// One item of a population, as a parser yields it (a [`Population`](super::Population) keeps
/// it packed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Stable key, unique within its source (`platform#4147`, `ci-deployer/key1`, `SEC-142`).
    pub key: String,
    /// The kind's date (merge, key rotation, ticket creation, the mapped date column).
    pub date: NaiveDate,
    /// Title (empty when the export has none).
    pub title: String,
    /// Link to the item in its system, when the export gives one.
    pub link: Option<String>,
    /// The accounts that acted on it.
    pub actors: Vec<Actor>,
    /// Where it sits in the export.
    pub locator: Locator,
}

/// An item as a parser yields it: the common part and the facts its kind's attribute tests need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed<F> {
    /// The common part.
    pub item: Item,
    /// The kind's facts.
    pub facts: F,
}

/// Shares the text of repeated values (account names, statuses) so that a million items naming
/// a few hundred people hold each name once.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    seen: HashSet<Arc<str>>,
}

impl Interner {
    /// The shared copy of `text`.
    pub(crate) fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.seen.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        self.seen.insert(shared.clone());
        shared
    }

    /// An actor with a shared account name.
    pub(crate) fn actor(&mut self, role: Role, account: &str) -> Actor {
        Actor {
            role,
            account: self.get(account),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interned_names_are_shared() {
        let mut names = Interner::default();
        let a = names.get("oliver-b");
        let b = names.get("oliver-b");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &names.get("amara")));
        assert_eq!(names.actor(Role::Author, "x").account.as_ref(), "x");
    }

    #[test]
    fn locators_place_whole_items() {
        assert_eq!(
            Locator::Line(7).position(),
            Position::At { line: 7, column: 1 }
        );
        assert_eq!(
            Locator::Element(12).position(),
            Position::Element {
                path: "[12]".into()
            }
        );
        assert_eq!(Locator::Element(3).to_string(), "[3]");
        assert_eq!(Locator::Line(3).to_string(), "line 3");
        assert_eq!(Role::Assignee.as_str(), "assignee");
    }
}
