//! Reproducible SOC 2 sample selection: anyone holding the population and the seed can re-draw
//! the sample by hand with `sha256sum` and `sort`.
//!
//! # The method
//!
//! 1. **Population.** Each item has an id and a date. Its *canonical form* is one line per item,
//!    `<id>\t<occurred_on>\n`, sorted by id (byte order); see [`canonical_population`]. The
//!    *population digest* is the lowercase hex SHA-256 of that text, so an auditor can see that the
//!    population was frozen: the same items give the same digest, one item more or less does not.
//!    Ids are written as they are, except that `\`, tab, line feed and carriage return are escaped
//!    as `\\`, `\t`, `\n` and `\r` so that no id can forge a line (ordinary ids contain none).
//! 2. **Size.** The sample size comes from the control's frequency through [`SampleSizes`]
//!    (defaults in [`DEFAULT_SIZES`], overridable in `pack.yaml` under `soc2.sample_sizes`);
//!    automated controls take [`AUTOMATED_SIZE`] (a test of one, relying on IT general controls).
//!    When the population is smaller than the size, the whole population is tested.
//! 3. **Selection.** Each item's *ranking hash* is the lowercase hex SHA-256 of the UTF-8 string
//!    `<seed>:<control id>:<item id>` ([`ranking_hash`]). Items are sorted by ranking hash, ties
//!    (which SHA-256 makes practically impossible) by item id, and the first `n` are the sample.
//!
//! By hand: `printf '%s' 'northwind-2026-h1:AC-02:EV-1' | sha256sum` for each item, then
//! `sort` and `head -n N`.
//!
//! # The seed
//!
//! The seed is `soc2.sampling_seed` in `pack.yaml` and is published in the report. There is no
//! default: a seed derived from the content would change the sample every time any file changes,
//! letting whoever edits the content re-roll the sample until it suits them. A pack without a seed
//! is refused with [`SamplingError::MissingSeed`]; the seed should be agreed with the auditor
//! before the population is frozen.

use std::collections::{BTreeMap, BinaryHeap};
use std::fmt::{self, Write as _};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::content::model::{Band, Frequency, SizeSetting, Soc2Settings};
use crate::hashing::{hex, sha256_hex};

/// Default sample size by control frequency (common non-statistical practice; see
/// `soc2-sampling.md`): annual 1, semiannual 1, quarterly 2, monthly 2, weekly 5, daily 25,
/// multiple-daily 40, on-event 25, continuous 1.
pub const DEFAULT_SIZES: [(Frequency, u32); 9] = [
    (Frequency::Annual, 1),
    (Frequency::Semiannual, 1),
    (Frequency::Quarterly, 2),
    (Frequency::Monthly, 2),
    (Frequency::Weekly, 5),
    (Frequency::Daily, 25),
    (Frequency::MultipleDaily, 40),
    (Frequency::OnEvent, 25),
    (Frequency::Continuous, 1),
];

/// Sample size of an automated control whatever its frequency: a test of one, which relies on
/// the IT general controls (change management, logical access) over the system having operated
/// for the whole period.
pub const AUTOMATED_SIZE: u32 = 1;

/// Why sampling cannot be set up from `pack.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SamplingError {
    /// `soc2.sampling_seed` is absent or blank.
    MissingSeed,
    /// `soc2.sample_sizes` sets a frequency to 0, which would test nothing.
    ZeroSize(Frequency),
    /// `by-population` on a frequency other than on-event or continuous.
    ByPopulationFrequency(Frequency),
    /// A band choice outside its range.
    BandOutOfRange(Frequency, Band, u32),
    /// `soc2.extend_on_deviation` maps a size to one no larger.
    ExtensionNotLarger(u32, u32),
}

impl fmt::Display for SamplingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SamplingError::MissingSeed => f.write_str(
                "pack.yaml has no `soc2.sampling_seed`: the SOC 2 sample cannot be drawn \
                 reproducibly without one (add e.g. `soc2: { sampling_seed: \"acme-2026-h1\" }`, \
                 ideally a value agreed with the auditor)",
            ),
            SamplingError::ZeroSize(freq) => write!(
                f,
                "pack.yaml sets `soc2.sample_sizes.{freq}` to 0: a sample of nothing tests nothing \
                 (use at least 1)"
            ),
            SamplingError::ByPopulationFrequency(freq) => write!(
                f,
                "`soc2.sample_sizes.{freq}` is by population, which only on-event and continuous \
                 controls can be: a periodic control is sized by how often it runs"
            ),
            SamplingError::BandOutOfRange(freq, band, n) => {
                let (lo, hi, _) = band.range();
                write!(
                    f,
                    "`soc2.sample_sizes.{freq}.{}` is {n}, outside the range {lo} to {hi} for a \
                     population of {} items",
                    band.as_str(),
                    band.as_str()
                )
            }
            SamplingError::ExtensionNotLarger(from, to) => write!(
                f,
                "`soc2.extend_on_deviation` extends a sample of {from} to {to}, which is not larger"
            ),
        }
    }
}

impl std::error::Error for SamplingError {}

/// The published sampling seed of a pack (`soc2.sampling_seed`), refused when absent or blank.
pub fn seed(settings: &Soc2Settings) -> Result<&str, SamplingError> {
    match settings.sampling_seed.as_deref() {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(SamplingError::MissingSeed),
    }
}

/// Where a sample size comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SizeSource {
    /// The default table ([`DEFAULT_SIZES`]).
    Default,
    /// `soc2.sample_sizes` in `pack.yaml`.
    Override,
}

/// One row of the effective sample-size table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SizeRow {
    /// The frequency.
    pub frequency: Frequency,
    /// The default size for it.
    pub default: u32,
    /// The size in force (the override when there is one).
    pub size: u32,
    /// Whether `pack.yaml` overrides the default.
    pub source: SizeSource,
}

/// The effective sample-size table: defaults with `pack.yaml` overrides applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleSizes {
    rows: Vec<SizeRow>,
    /// Frequencies sized by population, with the size chosen in each ranged band.
    by_population: BTreeMap<Frequency, BTreeMap<Band, u32>>,
    /// Sample size → size drawn after a deviation (`soc2.extend_on_deviation`).
    extend: BTreeMap<usize, usize>,
}

impl Default for SampleSizes {
    fn default() -> Self {
        SampleSizes {
            rows: DEFAULT_SIZES
                .iter()
                .map(|&(frequency, size)| SizeRow {
                    frequency,
                    default: size,
                    size,
                    source: SizeSource::Default,
                })
                .collect(),
            by_population: BTreeMap::new(),
            extend: BTreeMap::new(),
        }
    }
}

impl SampleSizes {
    /// The default table with the overrides of `soc2.sample_sizes` and the extensions of
    /// `soc2.extend_on_deviation`; an override of 0, `by-population` on a periodic frequency, a
    /// band choice outside its range and an extension that does not grow are refused.
    pub fn from_settings(settings: &Soc2Settings) -> Result<SampleSizes, SamplingError> {
        let mut fixed = BTreeMap::new();
        let mut by_population = BTreeMap::new();
        for (&frequency, setting) in &settings.sample_sizes {
            match setting {
                SizeSetting::Fixed(n) => {
                    fixed.insert(frequency, *n);
                }
                SizeSetting::ByPopulation(choices) => {
                    if !matches!(frequency, Frequency::OnEvent | Frequency::Continuous) {
                        return Err(SamplingError::ByPopulationFrequency(frequency));
                    }
                    let mut bands = BTreeMap::new();
                    for band in Band::ALL {
                        let (lo, hi, default) = band.range();
                        let n = choices.get(&band).copied().unwrap_or(default);
                        if !(lo..=hi).contains(&n) {
                            return Err(SamplingError::BandOutOfRange(frequency, band, n));
                        }
                        bands.insert(band, n);
                    }
                    by_population.insert(frequency, bands);
                }
            }
        }
        let mut sizes = Self::with_overrides(&fixed)?;
        sizes.by_population = by_population;
        for (&from, &to) in &settings.extend_on_deviation {
            if to <= from {
                return Err(SamplingError::ExtensionNotLarger(from, to));
            }
            sizes.extend.insert(from as usize, to as usize);
        }
        Ok(sizes)
    }

    /// Frequencies sized by population, with the size chosen in each ranged band.
    pub fn by_population(&self) -> &BTreeMap<Frequency, BTreeMap<Band, u32>> {
        &self.by_population
    }

    /// `soc2.extend_on_deviation`: sample size → size drawn after a deviation.
    pub fn extensions(&self) -> &BTreeMap<usize, usize> {
        &self.extend
    }

    /// The size a sample of `size` grows to when it finds a deviation, if the pack says so.
    pub fn extended(&self, size: usize) -> Option<usize> {
        self.extend.get(&size).copied()
    }

    /// The default table with `overrides` applied; an override of 0 is refused.
    pub fn with_overrides(
        overrides: &BTreeMap<Frequency, u32>,
    ) -> Result<SampleSizes, SamplingError> {
        let mut sizes = SampleSizes::default();
        for (&frequency, &size) in overrides {
            if size == 0 {
                return Err(SamplingError::ZeroSize(frequency));
            }
            if let Some(row) = sizes.rows.iter_mut().find(|r| r.frequency == frequency) {
                row.size = size;
                row.source = SizeSource::Override;
            }
        }
        Ok(sizes)
    }

    /// Every row, from the rarest frequency to the most frequent.
    pub fn rows(&self) -> &[SizeRow] {
        &self.rows
    }

    /// The rule that sizes the sample of a control of this frequency and automation, drawn from a
    /// population of `population` items.
    pub fn rule(&self, frequency: Frequency, automated: bool, population: usize) -> SizeRule {
        let scaled = self.by_population.get(&frequency).filter(|_| !automated);
        let (table_size, basis) = if automated {
            (AUTOMATED_SIZE, SizeBasis::Automated)
        } else if let Some(bands) = scaled {
            let (size, band) = population_size(bands, population);
            (size, SizeBasis::Population(frequency, band))
        } else {
            let row = self
                .rows
                .iter()
                .find(|r| r.frequency == frequency)
                .copied()
                .unwrap_or(SizeRow {
                    frequency,
                    default: 1,
                    size: 1,
                    source: SizeSource::Default,
                });
            (row.size, SizeBasis::Frequency(frequency, row.source))
        };
        let table_size = table_size as usize;
        SizeRule {
            table_size,
            size: table_size.min(population),
            basis,
            whole_population: population <= table_size,
            extended_from: None,
        }
    }
}

/// The population-scaled size for a population of `n` (`soc2-sampling.md` §1.2, event-driven
/// populations sized with the equivalent frequency row): 1 item: 1; 2-4: 2; 5-12, 13-52 and more
/// than 365: the size chosen in the band; 53-365: 25. Returns the size and the band rule as
/// people read it.
pub fn population_size(bands: &BTreeMap<Band, u32>, n: usize) -> (u32, &'static str) {
    let chosen = |b: Band| bands.get(&b).copied().unwrap_or(b.range().2);
    match n {
        0 | 1 => (1, "population of 1: 1"),
        2..=4 => (2, "population of 2-4: 2"),
        5..=12 => (chosen(Band::From5To12), "population of 5-12: 2 to 5"),
        13..=52 => (chosen(Band::From13To52), "population of 13-52: 5 to 15"),
        53..=365 => (25, "population of 53-365: 25"),
        _ => (chosen(Band::Over365), "population over 365: 25 to 60"),
    }
}

/// What a control's table size was taken from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeBasis {
    /// The frequency row of the table, default or overridden.
    Frequency(Frequency, SizeSource),
    /// An automated control: a test of one.
    Automated,
    /// Sized by population (`by-population`), with the band rule applied.
    Population(Frequency, &'static str),
}

/// How a control's sample was sized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeRule {
    /// The size the table asks for.
    pub table_size: usize,
    /// The size drawn: the table size, or the whole population when that is smaller.
    pub size: usize,
    /// Where the table size came from.
    pub basis: SizeBasis,
    /// Whether every item of the population is tested (population no larger than the table size).
    pub whole_population: bool,
    /// The size first drawn, when a deviation in it extended the sample to `size`
    /// (`soc2.extend_on_deviation`).
    pub extended_from: Option<usize>,
}

impl fmt::Display for SizeRule {
    /// One line for people, e.g. `daily, pack.yaml override: 30` or
    /// `quarterly, default table: 2; the population of 1 is smaller, so it is tested whole`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.basis {
            SizeBasis::Automated => write!(
                f,
                "automated: {}, a test of one relying on IT general controls",
                self.table_size
            )?,
            SizeBasis::Frequency(freq, SizeSource::Default) => {
                write!(f, "{freq}, default table: {}", self.table_size)?
            }
            SizeBasis::Frequency(freq, SizeSource::Override) => {
                write!(f, "{freq}, pack.yaml override: {}", self.table_size)?
            }
            SizeBasis::Population(freq, band) => {
                write!(f, "{freq}, by population ({band}): {}", self.table_size)?
            }
        }
        if let Some(from) = self.extended_from {
            write!(
                f,
                "; extended from {from} to {} after a deviation in the first {from} \
                 (soc2.extend_on_deviation)",
                self.size
            )?;
            return Ok(());
        }
        if self.size == 0 {
            f.write_str("; the population is empty")?;
        } else if self.size < self.table_size {
            write!(
                f,
                "; the population of {} is smaller, so it is tested whole",
                self.size
            )?;
        }
        Ok(())
    }
}

/// One item of a population: an occurrence of a control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Occurrence id (a population row id or an evidence record id).
    pub id: String,
    /// When it happened.
    pub occurred_on: NaiveDate,
}

/// Append `id` to `out` with `\`, tab, line feed and carriage return escaped.
fn push_escaped(out: &mut String, id: &str) {
    if !id.contains(['\\', '\t', '\n', '\r']) {
        out.push_str(id);
        return;
    }
    for ch in id.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// Append `date` as NaiveDate's `Display` writes it: ISO 8601 `%Y-%m-%d` (a sign and five digits
/// outside the years 0-9999). Years in 0-9999 are written without the formatting machinery: a
/// population digest writes a million of them.
fn push_date(out: &mut String, date: NaiveDate) {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        let _ = write!(out, "{date}");
        return;
    }
    let digits = |n: u32, width: usize, out: &mut String| {
        for place in (0..width).rev() {
            out.push(char::from(b'0' + (n / 10u32.pow(place as u32) % 10) as u8));
        }
    };
    digits(year as u32, 4, out);
    out.push('-');
    digits(date.month(), 2, out);
    out.push('-');
    digits(date.day(), 2, out);
}

/// Hands the lines of the canonical text of `items` to `each`, in order, through one buffer.
fn canonical_lines(items: &[Item], mut each: impl FnMut(&str)) {
    let mut sorted: Vec<&Item> = items.iter().collect();
    // Equal keys are equal lines, so an unstable sort gives the same text.
    sorted.par_sort_unstable_by(|a, b| {
        a.id.as_bytes()
            .cmp(b.id.as_bytes())
            .then(a.occurred_on.cmp(&b.occurred_on))
    });
    let mut line = String::new();
    for item in sorted {
        line.clear();
        push_escaped(&mut line, &item.id);
        line.push('\t');
        push_date(&mut line, item.occurred_on);
        line.push('\n');
        each(&line);
    }
}

/// The canonical text of a population: one line `<id>\t<occurred_on>\n` per item, sorted by id
/// (byte order, then date), ids escaped as the module documentation says. The population digest
/// is the SHA-256 of exactly this text.
pub fn canonical_population(items: &[Item]) -> String {
    let mut out = String::with_capacity(items.len() * 32);
    canonical_lines(items, |line| out.push_str(line));
    out
}

/// The population digest: lowercase hex SHA-256 of [`canonical_population`], hashed as the
/// lines are made (a million-item population is never held as one text).
pub fn population_digest(items: &[Item]) -> String {
    let mut hasher = Sha256::new();
    let mut buf = Vec::with_capacity(64 * 1024);
    canonical_lines(items, |line| {
        buf.extend_from_slice(line.as_bytes());
        if buf.len() >= 60 * 1024 {
            hasher.update(&buf);
            buf.clear();
        }
    });
    hasher.update(&buf);
    hex(&hasher.finalize())
}

/// The exact string whose SHA-256 ranks an item: `<seed>:<control>:<item>`.
pub fn ranking_input(seed: &str, control: &str, item: &str) -> String {
    format!("{seed}:{control}:{item}")
}

/// The ranking hash of an item: lowercase hex SHA-256 of [`ranking_input`] as UTF-8.
pub fn ranking_hash(seed: &str, control: &str, item: &str) -> String {
    sha256_hex(ranking_input(seed, control, item).as_bytes())
}

/// A selected item: its position in the population slice and its ranking hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// Index into the population slice given to [`draw`].
    pub index: usize,
    /// Ranking hash (lowercase hex).
    pub hash: String,
}

/// An item while the sample is drawn: its raw ranking hash (whose lowercase hex sorts as the
/// bytes do), then its id and position to break ties.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Ranked<'a> {
    hash: [u8; 32],
    id: &'a [u8],
    index: usize,
}

/// Draw `n` items from `items` for `control` with `seed`: ascending ranking hash, ties by item
/// id. Returns the picks in rank order (at most `items.len()`). Only the `n` best-ranked items
/// are kept while the population is ranked, so memory follows the sample, not the population.
pub fn draw(seed: &str, control: &str, items: &[Item], n: usize) -> Vec<Pick> {
    let n = n.min(items.len());
    if n == 0 {
        return Vec::new();
    }
    let mut prefix = Sha256::new();
    prefix.update(ranking_input(seed, control, "").as_bytes());
    // Each block of items is ranked on its own (a million-item population on every core), and
    // the blocks' smallest merged: the n smallest of all are among them, and the order of
    // `Ranked` is total, so the result does not depend on how the work was shared.
    let best = items
        .par_chunks(DRAW_BLOCK)
        .enumerate()
        .map(|(block, chunk)| smallest(&prefix, chunk, block * DRAW_BLOCK, n))
        .reduce(Vec::new, |a, b| merge_smallest(a, b, n));
    best.into_iter()
        .map(|r| Pick {
            index: r.index,
            hash: hex(&r.hash),
        })
        .collect()
}

/// Items ranked on one thread at a time by [`draw`].
const DRAW_BLOCK: usize = 16 * 1024;

/// The `n` smallest rankings of `items` (whose first is at `offset` in the population), in
/// ascending order.
fn smallest<'a>(prefix: &Sha256, items: &'a [Item], offset: usize, n: usize) -> Vec<Ranked<'a>> {
    // A max-heap of the n smallest so far: its top is the first to give way.
    let mut best: BinaryHeap<Ranked> = BinaryHeap::with_capacity(n + 1);
    for (i, item) in items.iter().enumerate() {
        let mut hasher = prefix.clone();
        hasher.update(item.id.as_bytes());
        let ranked = Ranked {
            hash: hasher.finalize().into(),
            id: item.id.as_bytes(),
            index: offset + i,
        };
        if best.len() < n {
            best.push(ranked);
        } else if let Some(mut top) = best.peek_mut() {
            if ranked < *top {
                *top = ranked;
            }
        }
    }
    best.into_sorted_vec()
}

/// The `n` smallest of two ascending lists, in ascending order.
fn merge_smallest<'a>(a: Vec<Ranked<'a>>, b: Vec<Ranked<'a>>, n: usize) -> Vec<Ranked<'a>> {
    let mut out = Vec::with_capacity(n.min(a.len() + b.len()));
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    while out.len() < n {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if y < x => b.next(),
            (Some(_), _) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(r) => out.push(r),
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    fn item(id: &str, day: &str) -> Item {
        Item {
            id: id.into(),
            occurred_on: d(day),
        }
    }

    #[test]
    fn ranking_hash_matches_sha256sum_of_the_documented_string() {
        // printf '%s' 'seed:AC-02:EV-1' | sha256sum
        assert_eq!(ranking_input("seed", "AC-02", "EV-1"), "seed:AC-02:EV-1");
        assert_eq!(
            ranking_hash("seed", "AC-02", "EV-1"),
            sha256_hex(b"seed:AC-02:EV-1")
        );
        // Known vectors, computed independently with coreutils `sha256sum`.
        assert_eq!(
            ranking_hash("seed", "AC-02", "EV-1"),
            "26ee773c1bd9350701183abf4e6d3a5cf88472571a98806f9dee17cda49a70be"
        );
        assert_eq!(
            ranking_hash("", "", ""),
            "71546855d6279ef70d20909b292c42c2dcb02cd06bde01485da52d13e304ebf4"
        );
    }

    #[test]
    fn canonical_population_is_sorted_by_id_and_escapes_separators() {
        let items = [
            item("b", "2026-02-01"),
            item("a\tx", "2026-01-01"),
            item("A", "2026-03-01"),
        ];
        assert_eq!(
            canonical_population(&items),
            "A\t2026-03-01\na\\tx\t2026-01-01\nb\t2026-02-01\n"
        );
        assert_eq!(
            population_digest(&items),
            sha256_hex(b"A\t2026-03-01\na\\tx\t2026-01-01\nb\t2026-02-01\n")
        );
    }

    #[test]
    fn digest_ignores_order_but_not_membership() {
        let a = [item("x", "2026-01-01"), item("y", "2026-01-02")];
        let b = [item("y", "2026-01-02"), item("x", "2026-01-01")];
        let c = [item("x", "2026-01-01")];
        let e = [item("x", "2026-01-01"), item("y", "2026-01-03")];
        assert_eq!(population_digest(&a), population_digest(&b));
        assert_ne!(population_digest(&a), population_digest(&c));
        assert_ne!(population_digest(&a), population_digest(&e));
        assert_eq!(
            population_digest(&[]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn draw_takes_the_smallest_hashes_in_order() {
        let items: Vec<Item> = (0..200)
            .map(|i| item(&format!("EV-{i:04}"), "2026-01-01"))
            .collect();
        let picks = draw("s", "CM-01", &items, 25);
        assert_eq!(picks.len(), 25);
        let mut all: Vec<(String, String)> = items
            .iter()
            .map(|it| (ranking_hash("s", "CM-01", &it.id), it.id.clone()))
            .collect();
        all.sort();
        let expected: Vec<&str> = all[..25].iter().map(|(_, id)| id.as_str()).collect();
        let got: Vec<&str> = picks.iter().map(|p| items[p.index].id.as_str()).collect();
        assert_eq!(got, expected);
        assert!(picks
            .iter()
            .all(|p| p.hash == ranking_hash("s", "CM-01", &items[p.index].id)));
    }

    /// A population of several blocks is ranked block by block on the threads: the sample is
    /// still the n smallest ranking hashes of all items, ties (equal ids) broken by position.
    #[test]
    fn draw_over_many_blocks_takes_the_smallest_of_all() {
        let size = 3 * DRAW_BLOCK + 17;
        let mut items: Vec<Item> = (0..size)
            .map(|i| item(&format!("T-{i}"), "2026-01-01"))
            .collect();
        // The same id in two blocks: both rank equally, the earlier one first.
        items[size - 1].id = items[5].id.clone();
        let mut all: Vec<(String, usize)> = items
            .iter()
            .enumerate()
            .map(|(i, it)| (ranking_hash("s", "CM-01", &it.id), i))
            .collect();
        all.sort();
        for n in [1, 25, DRAW_BLOCK + 3, size] {
            let picks = draw("s", "CM-01", &items, n);
            let expected: Vec<(String, usize)> = all[..n].to_vec();
            let got: Vec<(String, usize)> = picks.into_iter().map(|p| (p.hash, p.index)).collect();
            assert_eq!(got, expected, "n = {n}");
        }
        let twins = draw("s", "CM-01", &items, size);
        let first = twins.iter().position(|p| p.index == 5).unwrap();
        assert_eq!(twins[first + 1].index, size - 1);
    }

    #[test]
    fn a_block_keeps_only_its_n_smallest() {
        let items: Vec<Item> = (0..40)
            .map(|i| item(&format!("T-{i}"), "2026-01-01"))
            .collect();
        let mut prefix = Sha256::new();
        prefix.update(ranking_input("s", "CM-01", "").as_bytes());
        let best = smallest(&prefix, &items, 100, 3);
        assert_eq!(best.len(), 3);
        let mut all: Vec<(String, usize)> = items
            .iter()
            .enumerate()
            .map(|(i, it)| (ranking_hash("s", "CM-01", &it.id), 100 + i))
            .collect();
        all.sort();
        let got: Vec<(String, usize)> = best.iter().map(|r| (hex(&r.hash), r.index)).collect();
        assert_eq!(got, all[..3]);
        assert_eq!(smallest(&prefix, &items[..2], 0, 3).len(), 2);
    }

    #[test]
    fn merging_keeps_the_n_smallest_in_order() {
        let ranked = |hash: u8, index: usize| Ranked {
            hash: [hash; 32],
            id: b"x",
            index,
        };
        let indexes = |v: Vec<Ranked>| v.into_iter().map(|r| r.index).collect::<Vec<_>>();
        let a = || vec![ranked(1, 0), ranked(4, 1), ranked(6, 2)];
        let b = || vec![ranked(2, 3), ranked(3, 4), ranked(9, 5)];
        assert_eq!(indexes(merge_smallest(a(), b(), 4)), [0, 3, 4, 1]);
        assert_eq!(indexes(merge_smallest(b(), a(), 4)), [0, 3, 4, 1]);
        assert_eq!(indexes(merge_smallest(a(), b(), 10)), [0, 3, 4, 1, 2, 5]);
        assert_eq!(indexes(merge_smallest(a(), Vec::new(), 2)), [0, 1]);
        assert_eq!(indexes(merge_smallest(Vec::new(), b(), 2)), [3, 4]);
        // Equal hashes and ids: the lower position first, from either side.
        let c = vec![ranked(5, 7)];
        let d = vec![ranked(5, 2)];
        assert_eq!(indexes(merge_smallest(c, d, 2)), [2, 7]);
    }

    #[test]
    fn dates_are_written_as_display_writes_them() {
        for date in [
            d("2026-01-09"),
            d("0999-12-31"),
            NaiveDate::from_ymd_opt(0, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(10_000, 3, 4).unwrap(),
            NaiveDate::from_ymd_opt(-1, 3, 4).unwrap(),
        ] {
            let mut out = String::from("x");
            push_date(&mut out, date);
            assert_eq!(out, format!("x{date}"));
        }
    }

    #[test]
    fn draw_is_independent_of_input_order_and_depends_on_seed_and_control() {
        let items: Vec<Item> = (0..50)
            .map(|i| item(&format!("T-{i}"), "2026-01-01"))
            .collect();
        let mut reversed = items.clone();
        reversed.reverse();
        let ids = |items: &[Item], picks: Vec<Pick>| -> Vec<String> {
            picks.iter().map(|p| items[p.index].id.clone()).collect()
        };
        let a = ids(&items, draw("seed", "C", &items, 5));
        assert_eq!(a, ids(&reversed, draw("seed", "C", &reversed, 5)));
        assert_ne!(a, ids(&items, draw("other", "C", &items, 5)));
        assert_ne!(a, ids(&items, draw("seed", "D", &items, 5)));
    }

    #[test]
    fn draw_of_more_than_the_population_takes_everything() {
        let items = [item("a", "2026-01-01"), item("b", "2026-01-01")];
        assert_eq!(draw("s", "C", &items, 25).len(), 2);
        assert!(draw("s", "C", &items, 0).is_empty());
        assert!(draw("s", "C", &[], 3).is_empty());
    }

    #[test]
    fn sizes_follow_the_table_overrides_and_automation() {
        let sizes = SampleSizes::default();
        let expect = [
            (Frequency::Annual, 1),
            (Frequency::Semiannual, 1),
            (Frequency::Quarterly, 2),
            (Frequency::Monthly, 2),
            (Frequency::Weekly, 5),
            (Frequency::Daily, 25),
            (Frequency::MultipleDaily, 40),
            (Frequency::OnEvent, 25),
            (Frequency::Continuous, 1),
        ];
        for (freq, n) in expect {
            let rule = sizes.rule(freq, false, 1000);
            assert_eq!(rule.size, n, "{freq}");
            assert!(!rule.whole_population || n == 1000);
        }
        assert_eq!(sizes.rule(Frequency::Daily, true, 1000).size, 1);
        assert_eq!(
            sizes.rule(Frequency::Daily, true, 1000).basis,
            SizeBasis::Automated
        );

        let overrides = BTreeMap::from([(Frequency::Daily, 30)]);
        let sizes = SampleSizes::with_overrides(&overrides).unwrap();
        let rule = sizes.rule(Frequency::Daily, false, 1000);
        assert_eq!(rule.size, 30);
        assert_eq!(rule.to_string(), "daily, pack.yaml override: 30");
        let row = sizes.rows()[5];
        assert_eq!(
            (row.default, row.size, row.source),
            (25, 30, SizeSource::Override)
        );
        assert_eq!(sizes.rows()[0].source, SizeSource::Default);
    }

    #[test]
    fn small_populations_are_tested_whole() {
        let rule = SampleSizes::default().rule(Frequency::Weekly, false, 3);
        assert_eq!((rule.table_size, rule.size), (5, 3));
        assert!(rule.whole_population);
        assert_eq!(
            rule.to_string(),
            "weekly, default table: 5; the population of 3 is smaller, so it is tested whole"
        );
        let empty = SampleSizes::default().rule(Frequency::Weekly, false, 0);
        assert_eq!(empty.size, 0);
        assert_eq!(
            empty.to_string(),
            "weekly, default table: 5; the population is empty"
        );
    }

    #[test]
    fn zero_override_and_missing_seed_are_refused() {
        let overrides = BTreeMap::from([(Frequency::Weekly, 0)]);
        assert_eq!(
            SampleSizes::with_overrides(&overrides),
            Err(SamplingError::ZeroSize(Frequency::Weekly))
        );
        let mut settings = Soc2Settings::default();
        assert_eq!(seed(&settings), Err(SamplingError::MissingSeed));
        settings.sampling_seed = Some("  ".into());
        assert_eq!(seed(&settings), Err(SamplingError::MissingSeed));
        settings.sampling_seed = Some("n-2026".into());
        assert_eq!(seed(&settings), Ok("n-2026"));
    }
}
