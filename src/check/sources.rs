//! The rules of sources between records: declarations (unique ids, a known control and
//! person, never a source and a population CSV on one control), the accounts people and
//! identities claim, the items evidence records address (`item: <source id>:<key>`), and what a
//! loaded export says about itself (completeness, unknown credentials).
//!
//! Exports that cannot be used or read are reported where they are read
//! ([`crate::content::sources`]); a source that could not be loaded is skipped here, so one
//! cause gives one error.

use std::collections::{HashMap, HashSet};

use super::{Rec, Validator};
use crate::content::sources::system_key;
use crate::diag::{codes, Place, RecordKind};
use crate::sources::Locator;

impl Validator<'_, '_> {
    /// Every rule of sources.
    pub(super) fn sources(&mut self) {
        self.source_declarations();
        self.claimed_accounts();
        self.addressed_items();
        self.loaded_sources();
    }

    /// Unique ids, a known control and person, and no population CSV beside a source.
    fn source_declarations(&mut self) {
        let c = self.content;
        let Some(pack) = &c.pack else {
            return;
        };
        let (file, loc) = (pack.loc.file, &pack.loc);
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let csv: HashSet<&str> = c.populations.iter().map(|p| p.control.as_str()).collect();
        for (i, s) in pack.value.sources.iter().enumerate() {
            let field = |f: &str| loc.field(&format!("sources/{i}/{f}"));
            if let Some(first) = ids.insert(&s.id, i) {
                ids.insert(&s.id, first);
                self.push(
                    file,
                    field("id"),
                    codes::DUPLICATE_ID,
                    format!(
                        "duplicate source id `{}`; first declared as sources[{first}]",
                        s.id
                    ),
                );
            }
            if !self.index.people.contains_key(s.extracted_by.as_str()) {
                self.push(
                    file,
                    field("extracted_by"),
                    codes::UNKNOWN_PERSON,
                    format!("`{}` is not in people.yaml", s.extracted_by),
                );
            }
            let Some(control) = &s.control else {
                continue;
            };
            if !self.index.controls.contains_key(control.as_str()) {
                self.push(
                    file,
                    field("control"),
                    codes::UNKNOWN_CONTROL,
                    format!("source `{}` names the unknown control `{control}`", s.id),
                );
            } else if csv.contains(control.as_str()) {
                self.push(
                    file,
                    field("control"),
                    codes::SOURCE_AND_POPULATION,
                    format!(
                        "control `{control}` has the source `{}` and populations/{control}.csv: a population comes from one of them",
                        s.id
                    ),
                )
                .hint(format!(
                    "remove populations/{control}.csv (the source is the system of record's extract) or the source's `control:`"
                ));
            }
        }
    }

    /// Accounts are non-empty, and each is claimed once per system.
    fn claimed_accounts(&mut self) {
        let c = self.content;
        let mut claimed: HashMap<(String, String), String> = HashMap::new();
        let people = c.people.iter().map(|r| {
            let rec = Rec::new(&r.loc, RecordKind::Person, &r.value.id);
            (rec, &r.value.accounts, format!("person `{}`", r.value.id))
        });
        let identities = c.identities.iter().map(|r| {
            let rec = Rec::new(&r.loc, RecordKind::Identity, &r.value.id);
            (rec, &r.value.accounts, format!("identity `{}`", r.value.id))
        });
        let all: Vec<_> = people.chain(identities).collect();
        for (rec, accounts, who) in all {
            for (system, account) in accounts
                .iter()
                .flat_map(|(system, names)| names.iter().map(move |a| (system, a)))
            {
                let place = rec.field(&format!("accounts/{system}"));
                if account.trim().is_empty() {
                    self.problem(
                        rec,
                        place,
                        codes::INVALID_VALUE,
                        format!("the `{system}` account is empty"),
                    );
                    continue;
                }
                let key = (
                    system_key(system).to_string(),
                    account.trim().to_lowercase(),
                );
                match claimed.get(&key) {
                    Some(first) => {
                        let message = format!(
                            "the {} account `{account}` is also claimed by {first}: an account belongs to one person or identity",
                            key.0
                        );
                        self.problem(rec, place, codes::ACCOUNT_CLAIMED_TWICE, message);
                    }
                    None => {
                        claimed.insert(key, who.clone());
                    }
                }
            }
        }
    }

    /// `item:` names a declared source and a key of its population.
    fn addressed_items(&mut self) {
        let c = self.content;
        let Some(pack) = &c.pack else {
            return;
        };
        for r in &c.evidence {
            let Some(item) = &r.value.item else {
                continue;
            };
            let rec = Rec::new(&r.loc, RecordKind::Evidence, &r.value.id);
            let Some((source, key)) = item.split_once(':') else {
                self.problem(
                    rec,
                    rec.field("item"),
                    codes::UNKNOWN_ITEM,
                    format!("`item: {item}` must be `<source id>:<item key>`"),
                )
                .hint("e.g. `item: gh-platform-prs:platform#4147`");
                continue;
            };
            let Some(decl) = pack.value.sources.iter().position(|s| s.id == source) else {
                let ids: Vec<&str> = pack.value.sources.iter().map(|s| s.id.as_str()).collect();
                let known = if ids.is_empty() {
                    "the pack declares no sources".to_string()
                } else {
                    format!("declared sources: {}", ids.join(", "))
                };
                self.problem(
                    rec,
                    rec.field("item"),
                    codes::UNKNOWN_ITEM,
                    format!("`item: {item}` names the unknown source `{source}`; {known}"),
                );
                continue;
            };
            // A source that could not be read is reported once, where it is read.
            let Some(loaded) = c
                .sources
                .iter()
                .find(|s| s.decl == decl)
                .and_then(|s| s.loaded.as_ref())
            else {
                continue;
            };
            if loaded.population.find(key).is_none() {
                self.problem(
                    rec,
                    rec.field("item"),
                    codes::UNKNOWN_ITEM,
                    format!(
                        "`item: {item}`: source `{source}` has no item `{key}` in the period ({} items)",
                        loaded.population.len()
                    ),
                );
            }
        }
    }

    /// What each loaded export says about itself: gaps in its coverage of the period, and IAM
    /// users with active keys nobody claims.
    fn loaded_sources(&mut self) {
        let c = self.content;
        let Some(pack) = &c.pack else {
            return;
        };
        for (i, s) in c.sources.iter().enumerate() {
            let (Some(decl), Some(loaded)) = (pack.value.sources.get(s.decl), &s.loaded) else {
                continue;
            };
            // The same facts the pages state, at the evaluation date (`--as-of`).
            let gaps = crate::analyse::soc2_sources::facts(c, i).map(|f| f.warnings);
            for gap in gaps.into_iter().flatten() {
                self.push(
                    pack.loc.file,
                    pack.loc.field(&format!("sources/{}", s.decl)),
                    codes::SOURCE_INCOMPLETE,
                    format!("source `{}` may be incomplete: {gap}", decl.id),
                );
            }
            if loaded.unknown_credentials.is_empty() {
                continue;
            }
            let file = self
                .report
                .file_index(&s.rel)
                .unwrap_or_else(|| self.report.add_file(&s.rel));
            for u in &loaded.unknown_credentials {
                let line = match u.locator {
                    Locator::Line(l) => l as usize,
                    Locator::Element(_) => 1,
                };
                self.push(
                    file,
                    Place::Line(line, 1),
                    codes::UNKNOWN_CREDENTIAL,
                    format!(
                        "IAM user `{}` has {} active access key{} and no person or identity claims it",
                        u.user,
                        u.active_keys,
                        if u.active_keys == 1 { "" } else { "s" }
                    ),
                )
                .hint(format!(
                    "add `accounts: {{ aws-iam-user: {} }}` to its identity (or `aws:` to its person), or remove the user",
                    u.user
                ));
            }
        }
    }
}
