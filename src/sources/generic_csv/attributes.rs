//! The `csv` attribute tests (contract table): the `result` column holds one of `pass_values`,
//! and an approver is present and is not the performer.

use super::parse::RowFacts;
use super::Options;
use crate::sources::accounts::{approval_outcome, System};
use crate::sources::item::Role;
use crate::sources::outcome::{Attribute, AttributeResult, Outcome};
use crate::sources::Context;

/// Tests one row; one result per attribute, in the order of the table.
pub fn test(facts: &RowFacts, options: &Options, ctx: &Context<'_>) -> Vec<AttributeResult> {
    vec![
        AttributeResult::new(Attribute::ResultPass, result_pass(facts, options)),
        AttributeResult::new(
            Attribute::IndependentApproval,
            approved(facts, options, ctx),
        ),
    ]
}

fn result_pass(facts: &RowFacts, options: &Options) -> Outcome {
    let Some(column) = &options.columns.result else {
        return Outcome::NotApplicable("no result column mapped");
    };
    match facts.result.as_deref() {
        Some(value)
            if options
                .pass_values
                .iter()
                .any(|p| p.eq_ignore_ascii_case(value)) =>
        {
            Outcome::Pass
        }
        Some(value) => Outcome::Fail(format!(
            "`{column}` is `{value}`, not one of pass_values ({})",
            options.pass_values.join(", ")
        )),
        None => Outcome::Fail(format!("`{column}` is empty")),
    }
}

fn approved(facts: &RowFacts, options: &Options, ctx: &Context<'_>) -> Outcome {
    let Some(column) = &options.columns.approved_by else {
        return Outcome::NotApplicable("no approved_by column mapped");
    };
    let system = options
        .accounts
        .as_deref()
        .map_or(System::PersonId, System::Named);
    let others: Vec<(Role, &str)> = facts
        .performer
        .iter()
        .map(|p| (Role::Performer, p.as_ref()))
        .collect();
    approval_outcome(ctx.accounts, system, column, &facts.approvers, &others)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::DateTime;

    use super::*;
    use crate::sources::accounts::testing::Table;
    use crate::sources::accounts::Claim;
    use crate::sources::generic_csv::Columns;

    fn options(accounts: Option<&str>) -> Options {
        Options {
            columns: Columns {
                key: "id".into(),
                date: "date".into(),
                title: None,
                performed_by: Some("performer".into()),
                approved_by: Some("approver".into()),
                result: Some("outcome".into()),
                link: None,
            },
            date_format: "%Y-%m-%d".into(),
            pass_values: vec!["pass".into(), "ok".into()],
            accounts: accounts.map(String::from),
        }
    }

    fn row(performer: Option<&str>, approvers: &[&str], result: Option<&str>) -> RowFacts {
        RowFacts {
            performer: performer.map(Arc::from),
            approvers: approvers.iter().map(|a| Arc::from(*a)).collect(),
            result: result.map(Arc::from),
        }
    }

    fn table() -> Table {
        Table {
            rows: vec![
                ("okta", "sven@northwind.example", Claim::Person("sven")),
                ("okta", "amara@northwind.example", Claim::Person("amara")),
                (
                    "okta",
                    "s.kowalski@northwind.example",
                    Claim::Person("sven"),
                ),
            ],
            people: vec!["sven", "amara"],
        }
    }

    fn outcome(facts: &RowFacts, options: &Options, attribute: Attribute) -> Outcome {
        let accounts = table();
        let ctx = Context {
            accounts: &accounts,
            as_of: DateTime::parse_from_rfc3339("2026-07-01T00:00:00Z").unwrap(),
        };
        test(facts, options, &ctx)
            .into_iter()
            .find(|r| r.attribute == attribute)
            .unwrap()
            .outcome
    }

    #[test]
    fn results_must_be_pass_values() {
        let o = options(None);
        assert_eq!(
            outcome(&row(None, &[], Some("OK")), &o, Attribute::ResultPass),
            Outcome::Pass
        );
        assert_eq!(
            outcome(&row(None, &[], Some("failed")), &o, Attribute::ResultPass).into_failure(),
            "`outcome` is `failed`, not one of pass_values (pass, ok)"
        );
        assert_eq!(
            outcome(&row(None, &[], None), &o, Attribute::ResultPass).into_failure(),
            "`outcome` is empty"
        );
        let mut unmapped = options(None);
        unmapped.columns.result = None;
        assert!(matches!(
            outcome(&row(None, &[], None), &unmapped, Attribute::ResultPass),
            Outcome::NotApplicable(_)
        ));
    }

    #[test]
    fn approvers_are_person_ids_by_default() {
        let o = options(None);
        let ok = row(Some("sven"), &["amara"], None);
        assert_eq!(
            outcome(&ok, &o, Attribute::IndependentApproval),
            Outcome::Pass
        );
        let own = row(Some("sven"), &["sven"], None);
        assert_eq!(
            outcome(&own, &o, Attribute::IndependentApproval).into_failure(),
            "no independent approval: `sven` is the performer"
        );
        let unknown = row(Some("sven"), &["bob"], None);
        assert!(outcome(&unknown, &o, Attribute::IndependentApproval)
            .into_failure()
            .contains("no person claims"));
        let none = row(Some("sven"), &[], None);
        assert_eq!(
            outcome(&none, &o, Attribute::IndependentApproval).into_failure(),
            "no approver in `approver`"
        );
        let nobody_performed = row(None, &["amara"], None);
        assert_eq!(
            outcome(&nobody_performed, &o, Attribute::IndependentApproval),
            Outcome::Pass
        );
    }

    #[test]
    fn approvers_in_another_system_match_through_accounts() {
        let o = options(Some("okta"));
        let own = row(
            Some("sven@northwind.example"),
            &["s.kowalski@northwind.example"],
            None,
        );
        assert!(outcome(&own, &o, Attribute::IndependentApproval)
            .into_failure()
            .contains("performer"));
        let ok = row(
            Some("sven@northwind.example"),
            &["amara@northwind.example"],
            None,
        );
        assert_eq!(
            outcome(&ok, &o, Attribute::IndependentApproval),
            Outcome::Pass
        );
        // A person id is not an okta account.
        let raw = row(Some("sven@northwind.example"), &["amara"], None);
        assert!(outcome(&raw, &o, Attribute::IndependentApproval).is_fail());
        let mut unmapped = options(None);
        unmapped.columns.approved_by = None;
        assert!(matches!(
            outcome(&ok, &unmapped, Attribute::IndependentApproval),
            Outcome::NotApplicable(_)
        ));
    }
}
