//! `csv`: any CSV export with a header row (an HR system's joiners and leavers, an identity
//! provider's access review, a ticket tool without its own kind), read through a `columns:`
//! mapping from the item's parts to the export's column names.
//!
//! Quoting follows RFC 4180 (multi-line quoted cells, `""` escapes, CRLF or LF); a UTF-8 byte
//! order mark is ignored; a mapped column that appears several times gives several values.
//! Columns that are not mapped may be of any size and are never held in memory.

mod attributes;
mod parse;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use attributes::test;
pub(crate) use parse::stream;
pub use parse::{parse, RowFacts};

/// `options:` of a `csv` source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Which column holds what.
    pub columns: Columns,
    /// How the date column is written, as a `strftime` format (default `%Y-%m-%d`).
    #[serde(default = "iso", deserialize_with = "super::decl::date_format")]
    pub date_format: String,
    /// Values of the `result` column that mean the control operated (default `pass`; any case).
    #[serde(default = "pass")]
    pub pass_values: Vec<String>,
    /// The `accounts:` key naming the people in `performed_by` and `approved_by` (`okta`);
    /// without it those cells hold person ids.
    #[serde(default)]
    pub accounts: Option<String>,
}

/// The `columns:` mapping: column names of the export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The item's key (unique in the export).
    pub key: String,
    /// The item's date.
    pub date: String,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
    /// Who performed it.
    #[serde(default)]
    pub performed_by: Option<String>,
    /// Who approved it.
    #[serde(default)]
    pub approved_by: Option<String>,
    /// Its outcome, tested against `pass_values`.
    #[serde(default)]
    pub result: Option<String>,
    /// A link to it.
    #[serde(default)]
    pub link: Option<String>,
}

fn iso() -> String {
    "%Y-%m-%d".into()
}

fn pass() -> Vec<String> {
    vec!["pass".into()]
}
