//! SOC 2 populations from sources ([`crate::content::sources`]).
//!
//! A control named by one or more sources' `control:` takes its population from them, before a
//! population CSV and before its evidence records: every item of each source's period
//! population, addressed `<source id>:<item key>` (the item id that is ranked and digested, so
//! two sources of one control never collide). The sample is drawn exactly as for other
//! populations ([`super::sampling`]).
//!
//! A sampled item's result comes from its attribute tests: any failed attribute makes it an
//! exception; evidence records that address it (`item: <source id>:<key>`) are shown beside it
//! (management's response, an explanation) and can make it an exception, never a pass. It is
//! never *missing*: the export is its evidence. Every failed attribute anywhere in the
//! population (and, for the credential report, every account) is a [`SourceDeviation`], sampled
//! or not.
//!
//! A pack evaluated at an `--as-of` date ([`Content::as_of`]) draws from the items dated up to
//! that date only (an inventory's items: those that existed by then), its deviations are those
//! of these items, and the completeness warnings are judged against that date.

use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;

use chrono::NaiveDate;

use super::sampling::Item;
use crate::content::Content;
use crate::sources::{in_period, Attribute, ItemRef, Loaded, Locator, Provenance};

/// The address of an item of a source: `<source id>:<item key>`.
pub fn address(source: &str, key: &str) -> String {
    // Made for every item of a population: one allocation of the exact size, no formatting.
    let mut out = String::with_capacity(source.len() + 1 + key.len());
    out.push_str(source);
    out.push(':');
    out.push_str(key);
    out
}

/// A control's population from its sources.
#[derive(Debug)]
pub(super) struct FromSources<'c> {
    /// Indices into `content.sources`, in declaration order.
    pub sources: Vec<usize>,
    /// Every item, addressed, in source then file order.
    pub items: Vec<Item>,
    /// Each item's title.
    pub titles: Vec<Option<&'c str>>,
    /// Whether each item failed an attribute.
    pub failed: Vec<bool>,
}

/// One failed attribute of a source, over its whole population; its texts are the loaded
/// export's (a population with many deviations copies none of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDeviation<'c> {
    /// Index into `content.sources`.
    pub source: usize,
    /// The source's id.
    pub source_id: &'c str,
    /// The item key, or the account for an account's result.
    pub key: &'c str,
    /// Where it sits in the export.
    pub locator: Locator,
    /// The attribute that failed.
    pub attribute: Attribute,
    /// Why.
    pub reason: &'c str,
    /// Whether the item is in the sample.
    pub sampled: bool,
    /// Evidence records that address it (indices into `content.evidence`).
    pub responses: Vec<usize>,
}

impl SourceDeviation<'_> {
    /// `<source id>:<key>`.
    pub fn address(&self) -> String {
        address(self.source_id, self.key)
    }
}

/// The evidence records that address an item (`item:`), by address, in content order.
pub(super) fn records_by_item(content: &Content) -> HashMap<&str, Vec<usize>> {
    let mut by_item: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in content.evidence.iter().enumerate() {
        if let Some(item) = r.value.item.as_deref() {
            by_item.entry(item).or_default().push(i);
        }
    }
    by_item
}

/// The part of the period a source's population is drawn from: its start to the evaluation date
/// ([`Content::evaluated_period`]).
fn window(content: &Content) -> Option<RangeInclusive<NaiveDate>> {
    let p = content.evaluated_period()?;
    Some(p.start..=p.end)
}

/// The items of `loaded`'s population that fall in `window` (all of them when the pack is
/// evaluated at the period's end).
fn evaluated_items<'l>(
    loaded: &'l Loaded,
    window: &RangeInclusive<NaiveDate>,
) -> impl Iterator<Item = ItemRef<'l>> + 'l {
    let window = window.clone();
    loaded
        .population
        .iter()
        .filter(move |item| in_period(loaded.kind, item.date(), &window))
}

/// The indices of the sources whose `control:` is `control` (loaded or not).
fn sources_of(content: &Content, control: &str) -> Vec<usize> {
    let Some(pack) = &content.pack else {
        return Vec::new();
    };
    content
        .sources
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            pack.value
                .sources
                .get(s.decl)
                .is_some_and(|d| d.control.as_deref() == Some(control))
        })
        .map(|(i, _)| i)
        .collect()
}

/// The population of `control` from its sources; `None` when no source names it. A source that
/// could not be read gives no items (its error stops any build).
pub(super) fn population<'c>(content: &'c Content, control: &str) -> Option<FromSources<'c>> {
    let sources = sources_of(content, control);
    if sources.is_empty() {
        return None;
    }
    let pack = &content.pack.as_ref()?.value;
    let window = window(content)?;
    let mut out = FromSources {
        sources,
        items: Vec::new(),
        titles: Vec::new(),
        failed: Vec::new(),
    };
    let size: usize = out
        .sources
        .iter()
        .filter_map(|&i| Some(content.sources[i].loaded.as_ref()?.population.len()))
        .sum();
    out.items.reserve(size);
    out.titles.reserve(size);
    out.failed.reserve(size);
    for &i in &out.sources {
        let s = &content.sources[i];
        let (Some(decl), Some(loaded)) = (pack.sources.get(s.decl), &s.loaded) else {
            continue;
        };
        for item in evaluated_items(loaded, &window) {
            out.items.push(Item {
                id: address(&decl.id, item.key()),
                occurred_on: item.date(),
            });
            let title = item.title();
            out.titles.push((!title.is_empty()).then_some(title));
            out.failed.push(item.results().any(|r| r.outcome.is_fail()));
        }
    }
    Some(out)
}

/// Every deviation of `sources` (indices into `content.sources`), marked sampled when its
/// address is in `sampled`, with the records that address it.
pub(super) fn deviations<'c>(
    content: &'c Content,
    sources: &[usize],
    sampled: &HashSet<&str>,
    by_item: &HashMap<&str, Vec<usize>>,
) -> Vec<SourceDeviation<'c>> {
    let (Some(pack), Some(window)) = (&content.pack, window(content)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for &i in sources {
        let s = &content.sources[i];
        let (Some(decl), Some(loaded)) = (pack.value.sources.get(s.decl), s.loaded.as_deref())
        else {
            continue;
        };
        // The sampled items and the records that address an item of this source, by key: a
        // million-item population with many deviations looks each one up without making its
        // address.
        let prefix = format!("{}:", decl.id);
        let sampled: HashSet<&str> = sampled
            .iter()
            .filter_map(|a| a.strip_prefix(prefix.as_str()))
            .collect();
        let by_key: HashMap<&str, &Vec<usize>> = by_item
            .iter()
            .filter_map(|(a, records)| Some((a.strip_prefix(prefix.as_str())?, records)))
            .collect();
        // An item dated after the evaluation date is not in the population; an account's
        // result, which is no item, always counts.
        let all = || {
            evaluated_items(loaded, &window)
                .flat_map(|item| item.deviations())
                .chain(loaded.account_deviations())
        };
        // Counted first: a vector grown by doubling would copy hundreds of thousands of
        // deviations into fresh memory, twice over.
        out.reserve(all().count());
        for d in all() {
            out.push(SourceDeviation {
                source: i,
                source_id: &decl.id,
                key: d.subject,
                locator: d.locator,
                attribute: d.attribute,
                reason: d.reason,
                sampled: sampled.contains(d.subject),
                responses: by_key
                    .get(d.subject)
                    .map_or_else(Vec::new, |records| records.to_vec()),
            });
        }
    }
    out
}

/// The `population` line of `evidencepack sample` for a population from `sources`.
pub(super) fn explain_population(
    content: &Content,
    sources: &[usize],
    n: usize,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let names: Vec<String> = sources
        .iter()
        .filter_map(|&i| {
            let s = &content.sources[i];
            let decl = content.pack.as_ref()?.value.sources.get(s.decl)?;
            let sha = s
                .loaded
                .as_ref()
                .map_or("unread", |l| l.provenance.sha256.as_str());
            Some(format!(
                "{} ({}, {}, sha256 {sha})",
                decl.id,
                decl.kind.kind(),
                s.rel
            ))
        })
        .collect();
    writeln!(
        out,
        "population     {n} item{}: the items in the period of the source{} {}\n               item id = <source id>:<item key>",
        if n == 1 { "" } else { "s" },
        if names.len() == 1 { "" } else { "s" },
        names.join(", ")
    )
}

/// The deviation list of `evidencepack sample`: every failed attribute over the population,
/// whether sampled, and the records that answer it.
pub(super) fn explain_deviations(
    content: &Content,
    deviations: &[SourceDeviation<'_>],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    if deviations.is_empty() {
        return Ok(());
    }
    let n = deviations.len();
    writeln!(
        out,
        "\n{n} deviation{} over the whole population (attribute tests of every item):",
        if n == 1 { "" } else { "s" }
    )?;
    for d in deviations {
        let responses: Vec<&str> = d
            .responses
            .iter()
            .map(|&i| content.evidence[i].value.id.as_str())
            .collect();
        write!(
            out,
            "  {}  {}  {}: {}",
            d.address(),
            if d.sampled { "sampled  " } else { "unsampled" },
            d.attribute.id(),
            d.reason
        )?;
        if !responses.is_empty() {
            write!(out, "  (response: {})", responses.join(" "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// What a page or `sample --format json` states about one source: its declaration, export and
/// provenance, and why it may not cover the period.
#[derive(Debug, Clone)]
pub struct SourceFacts<'c> {
    /// Index into `content.sources`.
    pub index: usize,
    /// The declaration.
    pub decl: &'c crate::sources::SourceDecl<crate::content::model::Classification>,
    /// The export's path relative to the content root.
    pub rel: &'c str,
    /// The loaded export.
    pub loaded: &'c crate::sources::Loaded,
    /// Its provenance as evaluated: [`Provenance::items_in_period`] counts the items up to the
    /// evaluation date ([`Content::as_of`]).
    pub provenance: Provenance,
    /// The completeness warnings at the evaluation date, as sentences.
    pub warnings: Vec<String>,
    /// The evaluated part of the period.
    window: RangeInclusive<NaiveDate>,
}

impl<'c> SourceFacts<'c> {
    /// The items of the population as evaluated, in file order.
    pub fn items(&self) -> impl Iterator<Item = ItemRef<'c>> + 'c {
        evaluated_items(self.loaded, &self.window)
    }
}

/// The facts of source `index` of `content`, when it was loaded.
pub fn facts(content: &Content, index: usize) -> Option<SourceFacts<'_>> {
    let pack = &content.pack.as_ref()?.value;
    let s = content.sources.get(index)?;
    let decl = pack.sources.get(s.decl)?;
    let loaded = s.loaded.as_deref()?;
    let window = window(content)?;
    let mut provenance = loaded.provenance.clone();
    if *window.end() < pack.period.end {
        provenance.items_in_period = evaluated_items(loaded, &window).count() as u64;
    }
    let warnings = crate::sources::completeness(
        decl.kind.kind(),
        decl.extracted_at,
        &decl.command,
        &provenance,
        &window,
        crate::sources::DEFAULT_EDGE_DAYS,
    )
    .iter()
    .map(ToString::to_string)
    .collect();
    Some(SourceFacts {
        index,
        decl,
        rel: &s.rel,
        loaded,
        provenance,
        warnings,
        window,
    })
}
