//! Loading a declared source in one pass: the export streams through its kind's parser, every
//! item is dated against the period, the items in the period (the population) are tested as
//! they arrive, and the file's hash and counts come from the same read. Memory holds the
//! population's items and results, never the file.

use std::io::Read;
use std::ops::RangeInclusive;
use std::sync::mpsc;

use chrono::NaiveDate;
use serde::Serialize;

use super::accounts::{Accounts, System};
use super::decl::{Kind, KindOptions, SourceDecl};
use super::error::SourceError;
use super::item::{Item, Locator, Parsed};
use super::outcome::{failures, AttributeResult, Deviation, TestedAccount};
use super::population::Population;
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
    pub population: Population,
    /// Accounts tested outside the population (credential report rows: console MFA).
    pub accounts: Vec<TestedAccount>,
    /// IAM users with active keys nobody claims (credential report only).
    pub unknown_credentials: Vec<UnknownCredential>,
    /// Every active access key with its rotation and use times (credential report only), in
    /// file order.
    pub access_keys: Vec<credential_report::AccessKey>,
    /// What the read established about the file.
    pub provenance: Provenance,
}

impl Loaded {
    /// Every failed attribute, over the whole population and the accounts, in file order.
    pub fn deviations(&self) -> impl Iterator<Item = Deviation<'_>> + '_ {
        self.population
            .deviations()
            .chain(self.account_deviations())
    }

    /// Every failed attribute of the accounts tested outside the population, in file order.
    pub fn account_deviations(&self) -> impl Iterator<Item = Deviation<'_>> + '_ {
        self.accounts.iter().flat_map(|a| {
            failures(
                &a.account,
                a.locator,
                a.results.iter().map(|r| r.borrowed()),
            )
        })
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
    population: Population,
}

impl Collector<'_> {
    /// Counts `item`, and keeps it with the results of `test` when it is in the period.
    fn offer(&mut self, item: Item, test: impl FnOnce() -> Vec<AttributeResult>) {
        let inside = in_period(self.kind, item.date, self.period);
        self.counter.observe(item.date, inside);
        if inside {
            self.population.push(&item, &test());
        }
    }
}

/// Items handed from the parsing thread to the testing one at a time.
const BATCH: usize = 1024;

/// Runs `parse` on this thread and tests and stores its items on another, in batches and in
/// file order, so reading and testing a large export share the machine's cores. Returns what
/// `parse` returns.
fn pipelined<F: Send>(
    collector: &mut Collector<'_>,
    parse: impl FnOnce(&mut dyn FnMut(Parsed<F>)) -> Result<u64, SourceError>,
    test: impl Fn(&F) -> Vec<AttributeResult> + Sync,
) -> Result<u64, SourceError> {
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::sync_channel::<Vec<Parsed<F>>>(8);
        let test = &test;
        let worker = scope.spawn(move || {
            for batch in rx {
                for p in batch {
                    collector.offer(p.item, || test(&p.facts));
                }
            }
        });
        let mut batch = Vec::with_capacity(BATCH);
        let result = parse(&mut |p| {
            batch.push(p);
            if batch.len() == BATCH {
                // A send fails only when the worker is gone, i.e. panicked: join says so below.
                let _ = tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
            }
        });
        if !batch.is_empty() {
            let _ = tx.send(batch);
        }
        drop(tx);
        if let Err(panic) = worker.join() {
            std::panic::resume_unwind(panic);
        }
        result
    })
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
        population: Population::default(),
    };
    let mut tested_accounts = Vec::new();
    let mut unknown_credentials = Vec::new();
    let mut access_keys = Vec::new();
    let rows_read = match &decl.kind {
        KindOptions::GithubPulls(o) => pipelined(
            &mut collector,
            |sink| github::stream(&mut tap, sink),
            |facts| github::test(facts, o, &ctx),
        )?,
        KindOptions::JiraCsv(o) => pipelined(
            &mut collector,
            |sink| jira::stream(&mut tap, o, sink),
            |facts| jira::test(facts, o, &ctx),
        )?,
        KindOptions::Csv(o) => pipelined(
            &mut collector,
            |sink| generic_csv::stream(&mut tap, o, sink),
            |facts| generic_csv::test(facts, o, &ctx),
        )?,
        KindOptions::AwsIamCredentialReport(o) => {
            credential_report::stream(&mut tap, &mut |user, keys| {
                for key in keys {
                    access_keys.push(credential_report::AccessKey {
                        key: key.item.key.clone(),
                        last_rotated: key.facts.last_rotated,
                        last_used: key.facts.last_used,
                    });
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
    Ok(Loaded {
        kind,
        population: population.finish()?,
        accounts: tested_accounts,
        unknown_credentials,
        access_keys,
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
