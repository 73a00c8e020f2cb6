//! Matching system accounts to the pack's people and identities, as a seam: this module never
//! reads `people.yaml`; the integration implements [`Accounts`] over its people and identities
//! (their `accounts:` maps) and the attribute tests ask it who an account is.
//!
//! The independence rule every kind shares lives here: an approval counts only when the approver
//! is a person the pack knows, is not a bot or a non-human identity, and is not the same person
//! as whoever did the work (the author, reporter, assignee or performer), whichever of their
//! accounts either one used. An approver nobody claims is not independent evidence.

use std::sync::Arc;

use super::item::Role;
use super::outcome::Outcome;

/// The system an account belongs to; the key of a person's or identity's `accounts:` map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System<'a> {
    /// GitHub logins (`accounts: { github: oliver-b }`). Case-insensitive.
    Github,
    /// AWS IAM user names (`accounts: { aws: oliver }` on people, `aws-iam-user` on identities).
    Aws,
    /// Jira display names (`accounts: { jira: "Oliver Brandt" }`).
    Jira,
    /// Another system named in a generic CSV's `accounts` option (`okta`, `bamboohr`).
    Named(&'a str),
    /// The cells hold the pack's person ids themselves (a generic CSV without `accounts`).
    PersonId,
}

impl System<'_> {
    /// The `accounts:` key of this system (`None` for person ids).
    pub fn key(&self) -> Option<&str> {
        match self {
            System::Github => Some("github"),
            System::Aws => Some("aws"),
            System::Jira => Some("jira"),
            System::Named(name) => Some(name),
            System::PersonId => None,
        }
    }

    /// The part of an account that identifies it for comparison: GitHub's `app/` prefix (how
    /// `gh` spells a bot author) and `[bot]` suffix (how the REST API does) are dropped.
    fn canonical<'s>(&self, account: &'s str) -> &'s str {
        let account = account.trim();
        match self {
            System::Github => {
                let account = account.strip_prefix("app/").unwrap_or(account);
                account.strip_suffix("[bot]").unwrap_or(account)
            }
            _ => account,
        }
    }
}

/// Who claims an account in the pack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim<'a> {
    /// A person of `people.yaml`, by id.
    Person(&'a str),
    /// A non-human identity, by id, with its `rotation_days`.
    Identity {
        /// The identity's id.
        id: &'a str,
        /// Its maximum credential age, when set.
        rotation_days: Option<u32>,
    },
}

/// The pack's answer to "whose account is this?", supplied by the integration. It is shared
/// with the thread that tests items while the export is read, hence `Sync`.
pub trait Accounts: Sync {
    /// The person or identity that claims `account` of `system`, if any. For
    /// [`System::PersonId`], `account` is a person id: return it when the person exists.
    fn claim(&self, system: System<'_>, account: &str) -> Option<Claim<'_>>;
}

/// A pack that claims no account (every account is shown raw and counts as unknown).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAccounts;

impl Accounts for NoAccounts {
    fn claim(&self, _system: System<'_>, _account: &str) -> Option<Claim<'_>> {
        None
    }
}

/// Do `a` and `b` belong to the same party: the same account (as the system compares them), or
/// accounts that the same person or identity claims?
pub(crate) fn same_party(accounts: &dyn Accounts, system: System<'_>, a: &str, b: &str) -> bool {
    let (ca, cb) = (system.canonical(a), system.canonical(b));
    if !ca.is_empty() && ca.eq_ignore_ascii_case(cb) {
        return true;
    }
    match (accounts.claim(system, a), accounts.claim(system, b)) {
        (Some(Claim::Person(x)), Some(Claim::Person(y))) => x == y,
        (Some(Claim::Identity { id: x, .. }), Some(Claim::Identity { id: y, .. })) => x == y,
        _ => false,
    }
}

/// Judges one approval: `Ok(person id)` when it is independent evidence, else why not.
/// `flagged_bot` is what the export itself says (gh's `is_bot`, an `app/` or `[bot]` login);
/// `others` are the accounts that did the work, with their roles.
pub(crate) fn independent_approver<'p>(
    accounts: &'p dyn Accounts,
    system: System<'_>,
    approver: &str,
    flagged_bot: bool,
    others: &[(Role, &str)],
) -> Result<&'p str, String> {
    if approver.trim().is_empty() {
        return Err("an approval by a deleted account".into());
    }
    if flagged_bot {
        return Err(format!("`{approver}` is a bot"));
    }
    if let Some((role, _)) = others
        .iter()
        .find(|(_, other)| same_party(accounts, system, approver, other))
    {
        return Err(format!("`{approver}` is the {}", role.as_str()));
    }
    match accounts.claim(system, approver) {
        Some(Claim::Person(id)) => Ok(id),
        Some(Claim::Identity { id, .. }) => {
            Err(format!("`{approver}` is the non-human identity `{id}`"))
        }
        None => Err(format!(
            "`{approver}` is an account no person claims (not independent evidence)"
        )),
    }
}

/// Counts the independent approvers among `judged` (distinct people) and, when there are
/// fewer than `needed`, says why each other approval did not count; `when` qualifies the
/// count (` before the merge`).
pub(crate) fn tally(
    needed: u32,
    when: &str,
    judged: impl IntoIterator<Item = Result<String, String>>,
) -> Result<(), String> {
    let mut people: Vec<String> = Vec::new();
    let mut rejected: Vec<String> = Vec::new();
    for verdict in judged {
        match verdict {
            Ok(person) if !people.contains(&person) => people.push(person),
            Ok(_) => {}
            Err(why) if !rejected.contains(&why) => rejected.push(why),
            Err(_) => {}
        }
    }
    if people.len() as u64 >= u64::from(needed) {
        return Ok(());
    }
    let mut reason = match people.len() {
        0 => "no independent approval".to_string(),
        n => format!("{n} independent approval{}", if n == 1 { "" } else { "s" }),
    };
    reason.push_str(when);
    if needed > 1 {
        reason.push_str(&format!(" ({needed} required)"));
    }
    if !rejected.is_empty() {
        reason.push_str(": ");
        reason.push_str(&rejected.join("; "));
    }
    Err(reason)
}

/// The outcome of an approver cell (a ticket's or a CSV row's): at least one of `approvers`
/// (the values of the column `column`) must be an independent approver, that is, none of
/// `others` (who did the work).
pub(crate) fn approval_outcome(
    accounts: &dyn Accounts,
    system: System<'_>,
    column: &str,
    approvers: &[Arc<str>],
    others: &[(Role, &str)],
) -> Outcome {
    if approvers.is_empty() {
        return Outcome::Fail(format!("no approver in `{column}`"));
    }
    let verdicts = approvers.iter().map(|approver| {
        independent_approver(accounts, system, approver, false, others).map(String::from)
    });
    match tally(1, "", verdicts) {
        Ok(()) => Outcome::Pass,
        Err(reason) => Outcome::Fail(reason),
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A map-backed [`Accounts`] for tests.

    use super::*;

    /// `(system key, account, claim)` rows; person ids claim themselves under `PersonId`.
    #[derive(Debug, Default)]
    pub(crate) struct Table {
        pub rows: Vec<(&'static str, &'static str, Claim<'static>)>,
        pub people: Vec<&'static str>,
    }

    impl Accounts for Table {
        fn claim(&self, system: System<'_>, account: &str) -> Option<Claim<'_>> {
            match system.key() {
                None => self
                    .people
                    .iter()
                    .find(|p| **p == account)
                    .map(|p| Claim::Person(p)),
                Some(key) => self
                    .rows
                    .iter()
                    .find(|(k, a, _)| *k == key && a.eq_ignore_ascii_case(account.trim()))
                    .map(|(_, _, c)| *c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::Table;
    use super::*;

    fn table() -> Table {
        Table {
            rows: vec![
                ("github", "oliver-b", Claim::Person("oliver")),
                ("github", "oliver-alt", Claim::Person("oliver")),
                ("github", "amara-o", Claim::Person("amara")),
                (
                    "github",
                    "renovate",
                    Claim::Identity {
                        id: "renovate-bot",
                        rotation_days: None,
                    },
                ),
                (
                    "github",
                    "renovate-ci",
                    Claim::Identity {
                        id: "renovate-bot",
                        rotation_days: None,
                    },
                ),
                (
                    "github",
                    "deploy-bot",
                    Claim::Identity {
                        id: "svc-deploy",
                        rotation_days: Some(90),
                    },
                ),
            ],
            people: vec!["sven"],
        }
    }

    #[test]
    fn system_keys_name_the_accounts_map() {
        assert_eq!(System::Github.key(), Some("github"));
        assert_eq!(System::Aws.key(), Some("aws"));
        assert_eq!(System::Jira.key(), Some("jira"));
        assert_eq!(System::Named("okta").key(), Some("okta"));
        assert_eq!(System::PersonId.key(), None);
    }

    #[test]
    fn the_same_party_across_spellings_and_accounts() {
        let t = table();
        let gh = System::Github;
        assert!(same_party(&t, gh, "Oliver-B", "oliver-b"));
        assert!(same_party(&t, gh, "oliver-b", "oliver-alt"));
        assert!(same_party(&t, gh, "app/dependabot", "dependabot[bot]"));
        assert!(same_party(&t, gh, "dependabot", "app/dependabot"));
        assert!(!same_party(&t, gh, "oliver-b", "amara-o"));
        assert!(!same_party(&t, gh, "oliver-b", "stranger"));
        assert!(!same_party(&t, gh, "", ""));
        assert!(!same_party(&t, gh, "renovate", "oliver-b"));
        assert!(same_party(&t, gh, "renovate", "RENOVATE"));
        // Two accounts of one identity are one party; two identities are two.
        assert!(same_party(&t, gh, "renovate", "renovate-ci"));
        assert!(!same_party(&t, gh, "renovate", "deploy-bot"));
        // Jira names keep `app/` (only GitHub spells bots that way).
        assert!(!same_party(&t, System::Jira, "app/x", "x"));
    }

    #[test]
    fn only_known_people_other_than_the_doers_approve() {
        let t = table();
        let gh = System::Github;
        let author = [(Role::Author, "oliver-b")];
        assert_eq!(
            independent_approver(&t, gh, "amara-o", false, &author),
            Ok("amara")
        );
        assert_eq!(
            independent_approver(&t, gh, "oliver-alt", false, &author),
            Err("`oliver-alt` is the author".into())
        );
        assert_eq!(
            independent_approver(&t, gh, "dependabot", true, &author),
            Err("`dependabot` is a bot".into())
        );
        assert_eq!(
            independent_approver(&t, gh, "renovate", false, &author),
            Err("`renovate` is the non-human identity `renovate-bot`".into())
        );
        assert!(independent_approver(&t, gh, "stranger", false, &author)
            .unwrap_err()
            .contains("no person claims"));
        assert!(independent_approver(&t, gh, " ", false, &author)
            .unwrap_err()
            .contains("deleted"));
        assert_eq!(
            independent_approver(&t, System::PersonId, "sven", false, &[]),
            Ok("sven")
        );
    }

    #[test]
    fn tally_counts_distinct_people_and_explains_the_rest() {
        let ok = |s: &str| Ok(s.to_string());
        let no = |s: &str| Err(s.to_string());
        assert_eq!(tally(1, "", [ok("amara")]), Ok(()));
        assert_eq!(tally(0, "", []), Ok(()));
        assert_eq!(tally(1, "", []), Err("no independent approval".to_string()));
        assert_eq!(
            tally(
                2,
                " before the merge",
                [
                    ok("amara"),
                    ok("amara"),
                    no("`x` is a bot"),
                    no("`x` is a bot")
                ]
            ),
            Err("1 independent approval before the merge (2 required): `x` is a bot".to_string())
        );
        assert_eq!(tally(2, "", [ok("amara"), ok("sven")]), Ok(()));
        assert_eq!(
            tally(3, "", [ok("a"), ok("b")]),
            Err("2 independent approvals (3 required)".to_string())
        );
        assert_eq!(
            tally(1, "", [no("a"), no("b")]),
            Err("no independent approval: a; b".to_string())
        );
    }

    #[test]
    fn no_accounts_claims_nothing() {
        assert_eq!(NoAccounts.claim(System::Github, "x"), None);
    }
}
