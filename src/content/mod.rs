//! The pack as loaded: its files, typed records and attachments, and where each came from.
//!
//! [`load()`] reads a content root into a [`Content`], whose [`Index`] holds the
//! cross-references every later stage follows; [`model`] holds the record types as
//! `docs/content-format.md` specifies them, [`yaml`] the one YAML parser, [`links`] the `kind:id`
//! links written in Markdown, [`catalog`] the embedded framework catalogs, [`clauses`] the documented information the
//! standard requires, [`risk_method`] the
//! pack's risk method, [`schema`] the JSON Schemas of the files for editors, [`audience`] what a pack built for one audience withholds, and [`sections`] the parts of the bundles each audience receives.

mod as_of;
pub mod audience;
pub mod catalog;
pub mod clauses;
mod defaults;
mod explain;
mod index;
pub mod links;
pub mod load;
pub mod model;
mod parse;
pub mod paths;
pub mod review_csv;
pub mod risk_method;
mod salvage;
pub mod schema;
pub mod sections;
mod sizes;
pub mod sources;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::diag::Place;
pub use crate::diag::SourceFile;
use model::{
    Control, Evidence, Identity, IsmsFile, Pack, Period, Person, PolicyMeta, ReviewMeta, Risk,
    SoaDecision,
};

pub use as_of::AsOf;
pub use index::Index;
pub use load::{load, load_copying_exports};
pub use parse::parse_one;
pub use salvage::Unparsed;

/// Where a record or a field came from: a file and a pointer into its YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loc {
    /// Index into [`Content::files`].
    pub file: usize,
    /// Pointer of the record (`""` for a one-record file, `/3` for the fourth of a list).
    pub pointer: String,
}

impl Loc {
    /// The place of a field of this record.
    pub fn field(&self, field: &str) -> Place {
        Place::Pointer(format!("{}/{}", self.pointer, field))
    }

    /// The place of the record itself.
    pub fn place(&self) -> Place {
        Place::Pointer(self.pointer.clone())
    }
}

/// A record with its origin.
#[derive(Debug, Clone)]
pub struct Record<T> {
    /// The parsed record.
    pub value: T,
    /// Where it came from.
    pub loc: Loc,
}

/// A Markdown document with YAML front matter.
#[derive(Debug, Clone)]
pub struct Document<T> {
    /// The front matter.
    pub meta: T,
    /// The Markdown body.
    pub body: String,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// Where it came from.
    pub loc: Loc,
}

/// One row of a population CSV.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PopulationRow {
    /// Occurrence id (matches an evidence record's `id` or `source`).
    pub id: String,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// Optional title column.
    pub title: Option<String>,
    /// 1-based line in the CSV.
    #[serde(skip)]
    pub line: usize,
}

/// The full population of one control for the period.
#[derive(Debug, Clone)]
pub struct Population {
    /// Control id (from the file name).
    pub control: String,
    /// Index into [`Content::files`].
    pub file: usize,
    /// Rows in file order.
    pub rows: Vec<PopulationRow>,
}

/// What a path under `attachments/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentKind {
    /// A regular file.
    File,
    /// A symbolic link (never followed).
    Symlink,
    /// Anything else (FIFO, socket, device, directory).
    Other,
}

/// A file found under `attachments/`.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Absolute or root-joined path on disk.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// What it is.
    pub kind: AttachmentKind,
}

/// Everything a pack holds, as loaded.
#[derive(Debug, Default)]
pub struct Content {
    /// The content root.
    pub root: PathBuf,
    /// Every text file read, in load order.
    pub files: Vec<SourceFile>,
    /// pack.yaml.
    pub pack: Option<Record<Pack>>,
    /// people.yaml.
    pub people: Vec<Record<Person>>,
    /// policies/**/*.md.
    pub policies: Vec<Document<PolicyMeta>>,
    /// controls/**/*.yaml.
    pub controls: Vec<Record<Control>>,
    /// soa.yaml.
    pub soa: Vec<Record<SoaDecision>>,
    /// risks/**/*.yaml.
    pub risks: Vec<Record<Risk>>,
    /// identities/**/*.yaml.
    pub identities: Vec<Record<Identity>>,
    /// evidence/**/*.yaml.
    pub evidence: Vec<Record<Evidence>>,
    /// populations/*.csv.
    pub populations: Vec<Population>,
    /// reviews/**/*.md.
    pub reviews: Vec<Document<ReviewMeta>>,
    /// isms/**/*.yaml: objectives, changes, competence, operations, monitoring, the audit
    /// programme (one mapping per file).
    pub isms: Vec<Record<IsmsFile>>,
    /// Everything under attachments/ (files, links, folders, FIFOs …), by path relative to
    /// attachments/.
    pub attachments: BTreeMap<String, Attachment>,
    /// The review CSVs of access reviews that name no identity ([`review_csv`]), by evidence
    /// record then attachment.
    pub review_csvs: Vec<review_csv::ReviewCsv>,
    /// The cross-references, built on first use ([`Content::index`]).
    index: OnceLock<Index>,
    /// Everything under sources/ (files, links, folders …), by path relative to the content
    /// root (`sources/github/prs.json`).
    pub source_files: BTreeMap<String, Attachment>,
    /// The declared sources, loaded ([`sources::load_all`]), in declaration order.
    pub sources: Vec<sources::SourceData>,
    /// Where the policies, evidence records, identities and reviews are that give no
    /// `classification` and took [`Content::default_classification`].
    pub unclassified: Vec<Loc>,
    /// Records that failed to parse, as far as they could be read: references to them are not
    /// reported again as unknown.
    pub unparsed: Unparsed,
    /// The evaluation date a command asked for ([`Content::set_as_of`]); unset, the period's end.
    as_of: Option<NaiveDate>,
}

impl Content {
    /// The cross-references of the pack, built on first use and then shared. The records must
    /// not change after that (a pack is loaded once and only read afterwards).
    pub fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::build(self))
    }

    /// The date every analysis is evaluated at: the `--as-of` date, else the period's end
    /// (`None` without a pack.yaml). Coverage, rotations, reviews and everything overdue are
    /// judged on this day; what falls due after it is not yet due.
    pub fn as_of(&self) -> Option<NaiveDate> {
        self.as_of
            .or_else(|| self.pack.as_ref().map(|p| p.value.period.end))
    }

    /// The part of the period evaluated: from its start to [`Content::as_of`].
    pub fn evaluated_period(&self) -> Option<Period> {
        let period = self.pack.as_ref()?.value.period;
        Some(Period {
            start: period.start,
            end: self.as_of().unwrap_or(period.end),
        })
    }

    /// Evaluate the pack at `as_of` (`today` is the clock's date): set once, right after
    /// loading, before any analysis. A date outside the period is refused; without a pack.yaml
    /// there is no period and nothing is set.
    pub fn set_as_of(&mut self, as_of: AsOf, today: NaiveDate) -> Result<(), String> {
        if let Some(pack) = &self.pack {
            self.as_of = Some(as_of.resolve(pack.value.period, today)?);
        }
        Ok(())
    }

    /// The person `id`.
    pub fn person(&self, id: &str) -> Option<&Person> {
        self.index().people.get(id).map(|&i| &self.people[i].value)
    }

    /// The control `id`.
    pub fn control(&self, id: &str) -> Option<&Control> {
        self.index()
            .controls
            .get(id)
            .map(|&i| &self.controls[i].value)
    }

    /// The policy `id`.
    pub fn policy(&self, id: &str) -> Option<&Document<PolicyMeta>> {
        self.index().policies.get(id).map(|&i| &self.policies[i])
    }
}
