//! Sources: evidence straight from the systems of record (`sources:` in `pack.yaml`, the
//! contract in `sources.md`).
//!
//! A source is an export kept byte for byte under `sources/` and declared in `pack.yaml`
//! ([`SourceDecl`]). Loading it ([`load()`]) streams the file once through its kind's parser:
//!
//! - every record becomes an [`Item`] (a stable key, the kind's date, title, the raw accounts
//!   that acted, a link); the items in the period are the population;
//! - every item of the population is tested on its kind's attributes as it is read, each
//!   attribute passing, failing with a reason, or not applying ([`Outcome`]); failures are
//!   deviations wherever they are, sampled or not;
//! - the same read hashes the file and counts rows, items and dates ([`Provenance`]), from
//!   which [`completeness`] finds the reasons an export may not cover the period.
//!
//! Kinds: [`github`] (`github-pulls`), [`credential_report`] (`aws-iam-credential-report`),
//! [`jira`] (`jira-csv`), [`generic_csv`] (`csv`). Each has a `parse(reader, …)` that reads a
//! whole export into memory, for tests and fuzzing, and a `test` over one item's facts.
//!
//! The module stands alone: it reads no other part of the pack. Who an account belongs to is
//! asked through [`Accounts`], which the integration implements over people and identities.
//! Exports are never modified; a malformed one is a [`SourceError`] at a line and column (CSV,
//! with the cell's header) or a line, column and JSON path, never a panic.

pub mod accounts;
pub mod credential_report;
mod csv_stream;
mod dates;
pub mod decl;
pub mod error;
pub mod generic_csv;
pub mod github;
pub mod item;
pub mod jira;
pub mod load;
pub mod outcome;
pub mod population;
pub mod provenance;
mod schema;
mod tap;
#[cfg(test)]
mod tests;

use chrono::{DateTime, FixedOffset};

pub use accounts::{Accounts, Claim, NoAccounts, System};
pub use decl::{Kind, KindOptions, SourceDecl};
pub use error::{Position, SourceError};
pub use item::{Actor, Item, Locator, Parsed, Role};
pub use load::{in_period, load, Loaded, UnknownCredential};
pub use outcome::{Attribute, AttributeResult, Deviation, Outcome, TestedAccount};
pub use population::{ItemRef, Population};
pub use provenance::{completeness, row_limit, Completeness, Provenance, DEFAULT_EDGE_DAYS};

/// What attribute tests need besides an item: who accounts belong to, and the time the export
/// was taken (ages, idle times and open SLAs are measured to it).
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// Who claims an account.
    pub accounts: &'a dyn Accounts,
    /// The declaration's `extracted_at`.
    pub as_of: DateTime<FixedOffset>,
}

/// Reads a whole export through `stream` into memory (the kinds' `parse`, for tests and
/// fuzzing; the build streams).
pub(crate) fn collect<R: std::io::Read, F>(
    reader: R,
    stream: impl FnOnce(&mut tap::Tap<R>, &mut dyn FnMut(Parsed<F>)) -> Result<u64, SourceError>,
) -> Result<Export<F>, SourceError> {
    let mut tap = tap::Tap::new(reader);
    let mut items = Vec::new();
    let rows = stream(&mut tap, &mut |item| items.push(item))?;
    let digest = tap.finish()?;
    Ok(Export {
        items,
        rows,
        sha256: digest.sha256,
        bytes: digest.bytes,
    })
}

/// A whole export read into memory by a kind's `parse` (tests and fuzzing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export<F> {
    /// Its items with their facts, in file order.
    pub items: Vec<Parsed<F>>,
    /// Records read.
    pub rows: u64,
    /// Lowercase hex SHA-256 of the file.
    pub sha256: String,
    /// Its size in bytes.
    pub bytes: u64,
}
