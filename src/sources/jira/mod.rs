//! `jira-csv`: Jira's "Export CSV (all fields)" of an issue search.
//!
//! The export has one column per field and repeats a column's name once per value of a
//! multi-value field (`Labels`, `Sprint`, `Watchers`, `Comment`, `Log Work` several times);
//! custom fields are headed `Custom field (Name)`; long text fields are quoted cells over several
//! lines; people are display names (`Oliver Brandt`); dates are written as the site formats them,
//! by default `dd/MMM/yy h:mm a` (`12/Jan/26 3:04 PM`, Jira's `jira.date.time.picker.java.format`),
//! in the site's time zone. Columns other than those read here may be of any size and are never
//! held in memory.
//!
//! An item is an issue with a value in `date_column` (default `Created`), keyed by its
//! `Issue key`; an issue without one (an unresolved issue when `date_column: Resolved`) is read
//! and counted but is not an item.

mod attributes;
mod parse;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use attributes::test;
pub(crate) use parse::stream;
pub use parse::{parse, IssueFacts};

/// The date format of a Jira site with default settings.
pub const DEFAULT_DATE_FORMAT: &str = "%d/%b/%y %I:%M %p";

/// `options:` of a `jira-csv` source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// The column that dates an item (default `Created`).
    #[serde(default = "created")]
    pub date_column: String,
    /// How the site writes dates, as a `strftime` format (default `%d/%b/%y %I:%M %p`).
    #[serde(
        default = "default_date_format",
        deserialize_with = "super::decl::date_format"
    )]
    pub date_format: String,
    /// Statuses that mean resolved (default `Done`, `Closed`, `Resolved`; any case).
    #[serde(default = "default_done")]
    pub done_statuses: Vec<String>,
    /// Days from creation to resolution allowed; without it the SLA is not tested.
    #[serde(default, deserialize_with = "some_at_least_one")]
    pub sla_days: Option<u32>,
    /// The column naming the approver (`Custom field (Approver)`); without it approval is not
    /// tested.
    #[serde(default)]
    pub approver_column: Option<String>,
    /// The site's address, to link items (`https://northwind.atlassian.net` gives
    /// `…/browse/SEC-142`).
    #[serde(default)]
    pub site_url: Option<String>,
}

fn created() -> String {
    "Created".into()
}

fn default_date_format() -> String {
    DEFAULT_DATE_FORMAT.into()
}

fn default_done() -> Vec<String> {
    vec!["Done".into(), "Closed".into(), "Resolved".into()]
}

fn some_at_least_one<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    super::decl::at_least_one(d).map(Some)
}

impl Default for Options {
    fn default() -> Options {
        Options {
            date_column: created(),
            date_format: default_date_format(),
            done_statuses: default_done(),
            sla_days: None,
            approver_column: None,
            site_url: None,
        }
    }
}
