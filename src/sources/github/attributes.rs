//! The `github-pulls` attribute tests (contract table): approved before the merge by someone
//! other than the author (`min_approvals`, only `APPROVED` reviews count, bots never count),
//! merged into an allowed base (`base_branches`), merger known.

use super::parse::{Account, PullFacts, ReviewState};
use super::Options;
use crate::sources::accounts::{independent_approver, tally, Accounts, Claim, System};
use crate::sources::item::Role;
use crate::sources::outcome::{Attribute, AttributeResult, Outcome};
use crate::sources::Context;

/// Tests one merged pull request; one result per attribute, in the order of the table.
pub fn test(facts: &PullFacts, options: &Options, ctx: &Context<'_>) -> Vec<AttributeResult> {
    vec![
        AttributeResult::new(
            Attribute::ApprovedBeforeMerge,
            approved_before_merge(facts, options, ctx.accounts),
        ),
        AttributeResult::new(Attribute::AllowedBase, allowed_base(facts, options)),
        AttributeResult::new(Attribute::MergerKnown, merger_known(facts, ctx.accounts)),
    ]
}

/// Does the export itself say this login is a bot (gh's `app/`, the REST API's `[bot]`)?
fn looks_like_bot(login: &str) -> bool {
    login.starts_with("app/") || login.ends_with("[bot]")
}

fn approved_before_merge(facts: &PullFacts, options: &Options, accounts: &dyn Accounts) -> Outcome {
    let author = [(Role::Author, facts.author.login.as_ref())];
    let verdicts = facts.reviews.iter().filter_map(|review| {
        let login = review.author.as_ref();
        match review.state {
            ReviewState::Approved => {}
            ReviewState::Dismissed => {
                return Some(Err(format!("the review of `{login}` was dismissed")))
            }
            _ => return None,
        }
        match review.submitted_at {
            Some(at) if at <= facts.merged_at => {}
            Some(at) => {
                return Some(Err(format!(
                    "`{login}` approved after the merge ({})",
                    at.format("%Y-%m-%d %H:%M UTC")
                )))
            }
            None => {
                return Some(Err(format!(
                    "the approval of `{login}` was never submitted"
                )))
            }
        }
        let bot = looks_like_bot(login);
        Some(independent_approver(accounts, System::Github, login, bot, &author).map(String::from))
    });
    match tally(options.min_approvals, " before the merge", verdicts) {
        Ok(()) => Outcome::Pass,
        Err(reason) => Outcome::Fail(reason),
    }
}

fn allowed_base(facts: &PullFacts, options: &Options) -> Outcome {
    if options.base_branches.is_empty() {
        return Outcome::NotApplicable("no base_branches configured: any base is allowed");
    }
    let base = facts.base.as_ref();
    let allowed = options
        .base_branches
        .iter()
        .any(|b| match b.strip_suffix('*') {
            Some(prefix) => base.starts_with(prefix),
            None => base == b,
        });
    if allowed {
        Outcome::Pass
    } else {
        Outcome::Fail(format!(
            "merged into `{base}`, not one of base_branches ({})",
            options.base_branches.join(", ")
        ))
    }
}

fn merger_known(facts: &PullFacts, accounts: &dyn Accounts) -> Outcome {
    let Some(Account { login, is_bot }) = &facts.merged_by else {
        return Outcome::Fail("the export names no merger (a deleted account?)".into());
    };
    match accounts.claim(System::Github, login) {
        Some(Claim::Person(_) | Claim::Identity { .. }) => Outcome::Pass,
        None if *is_bot || looks_like_bot(login) => Outcome::Fail(format!(
            "merged by the bot `{login}`, which no identity claims"
        )),
        None => Outcome::Fail(format!(
            "merged by `{login}`, an account no person or identity claims"
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{DateTime, FixedOffset};

    use super::*;
    use crate::sources::accounts::testing::Table;
    use crate::sources::github::Review;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn people() -> Table {
        Table {
            rows: vec![
                ("github", "oliver-b", Claim::Person("oliver")),
                ("github", "oliver-alt", Claim::Person("oliver")),
                ("github", "amara-o", Claim::Person("amara")),
                ("github", "sven-k", Claim::Person("sven")),
                (
                    "github",
                    "app/github-merge-queue",
                    Claim::Identity {
                        id: "merge-queue",
                        rotation_days: None,
                    },
                ),
            ],
            people: vec![],
        }
    }

    fn review(author: &str, state: ReviewState, at: &str) -> Review {
        Review {
            author: Arc::from(author),
            state,
            submitted_at: Some(t(at)),
        }
    }

    fn pull(reviews: Vec<Review>) -> PullFacts {
        PullFacts {
            merged_at: t("2026-03-02T10:00:00Z"),
            base: Arc::from("main"),
            author: Account {
                login: Arc::from("oliver-b"),
                is_bot: false,
            },
            merged_by: Some(Account {
                login: Arc::from("amara-o"),
                is_bot: false,
            }),
            reviews,
        }
    }

    fn ctx(accounts: &Table) -> Context<'_> {
        Context {
            accounts,
            as_of: t("2026-07-01T08:00:00Z"),
        }
    }

    fn outcome(facts: &PullFacts, options: &Options, attribute: Attribute) -> Outcome {
        let table = people();
        test(facts, options, &ctx(&table))
            .into_iter()
            .find(|r| r.attribute == attribute)
            .unwrap()
            .outcome
    }

    fn approval(facts: &PullFacts) -> Outcome {
        outcome(facts, &Options::default(), Attribute::ApprovedBeforeMerge)
    }

    const BEFORE: &str = "2026-03-02T09:59:59Z";

    #[test]
    fn an_independent_approval_before_the_merge_passes() {
        let p = pull(vec![review("amara-o", ReviewState::Approved, BEFORE)]);
        assert_eq!(approval(&p), Outcome::Pass);
        // At the very second of the merge still counts.
        let p = pull(vec![review(
            "amara-o",
            ReviewState::Approved,
            "2026-03-02T10:00:00Z",
        )]);
        assert_eq!(approval(&p), Outcome::Pass);
    }

    #[test]
    fn self_approval_through_another_account_fails() {
        let p = pull(vec![review("oliver-alt", ReviewState::Approved, BEFORE)]);
        assert_eq!(
            approval(&p).into_failure(),
            "no independent approval before the merge: `oliver-alt` is the author"
        );
        let p = pull(vec![review("Oliver-B", ReviewState::Approved, BEFORE)]);
        assert!(approval(&p)
            .into_failure()
            .contains("`Oliver-B` is the author"));
    }

    #[test]
    fn approval_after_the_merge_fails() {
        let p = pull(vec![review(
            "amara-o",
            ReviewState::Approved,
            "2026-03-02T10:00:01Z",
        )]);
        assert_eq!(
            approval(&p).into_failure(),
            "no independent approval before the merge: `amara-o` approved after the merge \
             (2026-03-02 10:00 UTC)"
        );
        let mut unsubmitted = review("amara-o", ReviewState::Approved, BEFORE);
        unsubmitted.submitted_at = None;
        assert!(approval(&pull(vec![unsubmitted]))
            .into_failure()
            .contains("never submitted"));
    }

    #[test]
    fn bot_approvals_never_count() {
        for bot in ["dependabot[bot]", "app/renovate"] {
            let p = pull(vec![review(bot, ReviewState::Approved, BEFORE)]);
            assert!(approval(&p)
                .into_failure()
                .contains(&format!("`{bot}` is a bot")));
        }
        // gh spells a bot reviewer without a marker: nobody claims it, so it does not count.
        let p = pull(vec![review("dependabot", ReviewState::Approved, BEFORE)]);
        assert!(approval(&p).into_failure().contains("no person claims"));
        // An identity's account is not a person either.
        let p = pull(vec![review(
            "app/github-merge-queue",
            ReviewState::Approved,
            BEFORE,
        )]);
        assert!(approval(&p).into_failure().contains("is a bot"));
    }

    #[test]
    fn only_approved_reviews_count_and_dismissals_are_named() {
        let p = pull(vec![
            review("amara-o", ReviewState::Dismissed, BEFORE),
            review("sven-k", ReviewState::Commented, BEFORE),
            review("sven-k", ReviewState::ChangesRequested, BEFORE),
            review("sven-k", ReviewState::Pending, BEFORE),
        ]);
        assert_eq!(
            approval(&p).into_failure(),
            "no independent approval before the merge: the review of `amara-o` was dismissed"
        );
        assert_eq!(
            approval(&pull(vec![])),
            Outcome::Fail("no independent approval before the merge".into())
        );
    }

    #[test]
    fn min_approvals_counts_distinct_people() {
        let two = Options {
            min_approvals: 2,
            ..Options::default()
        };
        let same_twice = pull(vec![
            review("amara-o", ReviewState::Approved, BEFORE),
            review("amara-o", ReviewState::Approved, BEFORE),
        ]);
        assert_eq!(
            outcome(&same_twice, &two, Attribute::ApprovedBeforeMerge).into_failure(),
            "1 independent approval before the merge (2 required)"
        );
        let two_people = pull(vec![
            review("amara-o", ReviewState::Approved, BEFORE),
            review("sven-k", ReviewState::Approved, BEFORE),
        ]);
        assert_eq!(
            outcome(&two_people, &two, Attribute::ApprovedBeforeMerge),
            Outcome::Pass
        );
    }

    #[test]
    fn base_branches_are_exact_or_prefixes() {
        let p = pull(vec![]);
        assert!(matches!(
            outcome(&p, &Options::default(), Attribute::AllowedBase),
            Outcome::NotApplicable(_)
        ));
        let main = Options {
            base_branches: vec!["main".into(), "release/*".into()],
            ..Options::default()
        };
        assert_eq!(outcome(&p, &main, Attribute::AllowedBase), Outcome::Pass);
        let mut release = pull(vec![]);
        release.base = Arc::from("release/2026.3");
        assert_eq!(
            outcome(&release, &main, Attribute::AllowedBase),
            Outcome::Pass
        );
        let mut other = pull(vec![]);
        other.base = Arc::from("mainline");
        assert_eq!(
            outcome(&other, &main, Attribute::AllowedBase).into_failure(),
            "merged into `mainline`, not one of base_branches (main, release/*)"
        );
    }

    #[test]
    fn the_merger_must_be_claimed() {
        let o = Options::default();
        let p = pull(vec![]);
        assert_eq!(outcome(&p, &o, Attribute::MergerKnown), Outcome::Pass);
        let mut queue = pull(vec![]);
        queue.merged_by = Some(Account {
            login: Arc::from("app/github-merge-queue"),
            is_bot: true,
        });
        assert_eq!(outcome(&queue, &o, Attribute::MergerKnown), Outcome::Pass);
        let mut bot = pull(vec![]);
        bot.merged_by = Some(Account {
            login: Arc::from("app/mergify"),
            is_bot: true,
        });
        assert!(outcome(&bot, &o, Attribute::MergerKnown)
            .into_failure()
            .contains("the bot"));
        let mut flagged = pull(vec![]);
        flagged.merged_by = Some(Account {
            login: Arc::from("kodiak"),
            is_bot: true,
        });
        assert!(outcome(&flagged, &o, Attribute::MergerKnown)
            .into_failure()
            .contains("the bot"));
        let mut stranger = pull(vec![]);
        stranger.merged_by = Some(Account {
            login: Arc::from("contractor-9"),
            is_bot: false,
        });
        assert_eq!(
            outcome(&stranger, &o, Attribute::MergerKnown).into_failure(),
            "merged by `contractor-9`, an account no person or identity claims"
        );
        let mut deleted = pull(vec![]);
        deleted.merged_by = None;
        assert!(outcome(&deleted, &o, Attribute::MergerKnown)
            .into_failure()
            .contains("deleted"));
    }

    #[test]
    fn results_follow_the_table_order() {
        let table = people();
        let got: Vec<Attribute> = test(&pull(vec![]), &Options::default(), &ctx(&table))
            .iter()
            .map(|r| r.attribute)
            .collect();
        assert_eq!(
            got,
            [
                Attribute::ApprovedBeforeMerge,
                Attribute::AllowedBase,
                Attribute::MergerKnown
            ]
        );
    }
}
