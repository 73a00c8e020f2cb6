//! Loading a declared source in one pass: the export streams through its kind's parser, every
//! item is dated against the period, the items in the period (the population) are tested as
//! they arrive, and the file's hash and counts come from the same read. Memory holds the
//! population's items and results, never the file.

use std::io::Read;
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::Serialize;

use super::accounts::{Accounts, System};
use super::decl::{Kind, KindOptions, SourceDecl};
use super::error::SourceError;
use super::item::{Item, Locator};
use super::outcome::{failures, AttributeResult, Deviation, TestedAccount, TestedItem};
use super::provenance::{Counter, Provenance};
use super::tap::Tap;
use super::{credential_report, generic_csv, github, jira, Context};

/// An IAM user with active keys that no identity or person claims (an unknown credential: the
/// pack's inventory is incomplete).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownCredential {
    /// The IAM user.
    pub user: String,
    /// Its row.
    pub locator: Locator,
    /// How many active keys it holds.
    pub active_keys: u8,
}

/// A loaded source: its population with every item's results, its provenance, and for the
/// credential report its accounts and unknown credentials.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loaded {
    /// The kind.
    pub kind: Kind,
    /// The items in the period, in file order, each with its attribute results.
    pub population: Vec<TestedItem>,
    /// Accounts tested outside the population (credential report rows: console MFA).
    pub accounts: Vec<TestedAccount>,
    /// IAM users with active keys nobody claims (credential report only).
    pub unknown_credentials: Vec<UnknownCredential>,
    /// What the read established about the file.
    pub provenance: Provenance,
}

impl Loaded {
    /// Every failed attribute, over the whole population and the accounts, in file order.
    pub fn deviations(&self) -> impl Iterator<Item = Deviation<'_>> + '_ {
        let items = self
            .population
            .iter()
            .flat_map(|t| failures(&t.item.key, t.item.locator, &t.results));
        let accounts = self
            .accounts
            .iter()
            .flat_map(|a| failures(&a.account, a.locator, &a.results));
        items.chain(accounts)
    }
}

/// Does an item of `kind` dated `date` belong to `period`? Events do when their date falls in
/// it; an inventory's items do when they existed by its end.
pub fn in_period(kind: Kind, date: NaiveDate, period: &RangeInclusive<NaiveDate>) -> bool {
    if kind.is_inventory() {
        date <= *period.end()
    } else {
        period.contains(&date)
    }
}

/// Collects the population while an export streams.
struct Collector<'p> {
    kind: Kind,
    period: &'p RangeInclusive<NaiveDate>,
    counter: Counter,
    population: Vec<TestedItem>,
}

impl Collector<'_> {
    /// Counts `item`, and keeps it with the results of `test` when it is in the period.
    fn offer(&mut self, item: Item, test: impl FnOnce() -> Vec<AttributeResult>) {
        let inside = in_period(self.kind, item.date, self.period);
        self.counter.observe(item.date, inside);
        if inside {
            self.population.push(TestedItem {
                item,
                results: test(),
            });
        }
    }
}

/// Loads the export `reader` of the source `decl` for `period`, matching its accounts with
/// `accounts`. The report time of the tests is the declaration's `extracted_at`.
pub fn load<R: Read, C>(
    decl: &SourceDecl<C>,
    reader: R,
    period: RangeInclusive<NaiveDate>,
    accounts: &dyn Accounts,
) -> Result<Loaded, SourceError> {
    let kind = decl.kind.kind();
    let ctx = Context {
        accounts,
        as_of: decl.extracted_at,
    };
    let mut tap = Tap::new(reader);
    let mut collector = Collector {
        kind,
        period: &period,
        counter: Counter::default(),
        population: Vec::new(),
    };
    let mut tested_accounts = Vec::new();
    let mut unknown_credentials = Vec::new();
    let rows_read = match &decl.kind {
        KindOptions::GithubPulls(o) => github::stream(&mut tap, &mut |p| {
            collector.offer(p.item, || github::test(&p.facts, o, &ctx))
        })?,
        KindOptions::JiraCsv(o) => jira::stream(&mut tap, o, &mut |p| {
            collector.offer(p.item, || jira::test(&p.facts, o, &ctx))
        })?,
        KindOptions::Csv(o) => generic_csv::stream(&mut tap, o, &mut |p| {
            collector.offer(p.item, || generic_csv::test(&p.facts, o, &ctx))
        })?,
        KindOptions::AwsIamCredentialReport(o) => {
            credential_report::stream(&mut tap, &mut |user, keys| {
                for key in keys {
                    collector.offer(key.item, || credential_report::test(&key.facts, o, &ctx));
                }
                let unclaimed = accounts.claim(System::Aws, &user.user).is_none();
                if user.active_keys > 0 && !user.is_root() && unclaimed {
                    unknown_credentials.push(UnknownCredential {
                        user: user.user.clone(),
                        locator: user.locator,
                        active_keys: user.active_keys,
                    });
                }
                tested_accounts.push(TestedAccount {
                    results: credential_report::test_account(&user),
                    account: user.user,
                    locator: user.locator,
                });
            })?
        }
    };
    let digest = tap.finish()?;
    let Collector {
        counter,
        population,
        ..
    } = collector;
    check_unique(&population)?;
    Ok(Loaded {
        kind,
        population,
        accounts: tested_accounts,
        unknown_credentials,
        provenance: Provenance {
            sha256: digest.sha256,
            bytes: digest.bytes,
            rows_read,
            items: counter.items,
            items_in_period: counter.in_period,
            earliest: counter.earliest,
            latest: counter.latest,
        },
    })
}

/// Two items of a population with one key would be one item counted twice: refused at the
/// second.
fn check_unique(population: &[TestedItem]) -> Result<(), SourceError> {
    let mut order: Vec<usize> = (0..population.len()).collect();
    order.sort_by(|&a, &b| {
        population[a]
            .item
            .key
            .cmp(&population[b].item.key)
            .then(a.cmp(&b))
    });
    for pair in order.windows(2) {
        let (first, second) = (&population[pair[0]].item, &population[pair[1]].item);
        if first.key == second.key {
            return Err(SourceError::new(
                second.locator.position(),
                format!(
                    "the key `{}` appears twice (also at {}): each item must be unique",
                    second.key, first.locator
                ),
            ));
        }
    }
    Ok(())
}
