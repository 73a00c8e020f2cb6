//! The `jira-csv` attribute tests (contract table): resolved (`done_statuses`), resolved within
//! `sla_days` of creation, and approved (`approver_column`) by someone other than the reporter
//! or the assignee.

use chrono::{Duration, NaiveDateTime};

use super::parse::IssueFacts;
use super::Options;
use crate::sources::accounts::{approval_outcome, System};
use crate::sources::item::Role;
use crate::sources::outcome::{Attribute, AttributeResult, Outcome};
use crate::sources::Context;

/// Tests one issue; one result per attribute, in the order of the table.
pub fn test(facts: &IssueFacts, options: &Options, ctx: &Context<'_>) -> Vec<AttributeResult> {
    vec![
        AttributeResult::new(Attribute::Resolved, resolved(facts, options)),
        AttributeResult::new(
            Attribute::WithinSla,
            within_sla(facts, options, ctx.as_of.naive_local()),
        ),
        AttributeResult::new(
            Attribute::IndependentApproval,
            approved(facts, options, ctx),
        ),
    ]
}

fn resolved(facts: &IssueFacts, options: &Options) -> Outcome {
    let status = facts.status.as_ref();
    if options
        .done_statuses
        .iter()
        .any(|done| done.eq_ignore_ascii_case(status))
    {
        Outcome::Pass
    } else {
        Outcome::Fail(format!(
            "status `{status}` is not one of done_statuses ({})",
            options.done_statuses.join(", ")
        ))
    }
}

/// `elapsed` in days, hours and minutes, for people (`2 days 1 hour`).
fn span(elapsed: Duration) -> String {
    let parts = [
        (elapsed.num_days(), "day"),
        (elapsed.num_hours() % 24, "hour"),
        (elapsed.num_minutes() % 60, "minute"),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n != 0)
        .map(|(n, unit)| format!("{n} {unit}{}", if *n == 1 { "" } else { "s" }))
        .collect();
    if words.is_empty() {
        "0 minutes".into()
    } else {
        words.join(" ")
    }
}

fn within_sla(facts: &IssueFacts, options: &Options, as_of: NaiveDateTime) -> Outcome {
    let Some(sla) = options.sla_days else {
        return Outcome::NotApplicable("no sla_days configured");
    };
    let allowed = Duration::days(i64::from(sla));
    match facts.resolved {
        Some(at) if at - facts.created <= allowed => Outcome::Pass,
        Some(at) => Outcome::Fail(format!(
            "resolved {} after creation (sla_days is {sla})",
            span(at - facts.created)
        )),
        None if as_of - facts.created > allowed => Outcome::Fail(format!(
            "unresolved {} after creation at the export (sla_days is {sla})",
            span(as_of - facts.created)
        )),
        None => Outcome::NotApplicable("open and still within its SLA at the export"),
    }
}

fn approved(facts: &IssueFacts, options: &Options, ctx: &Context<'_>) -> Outcome {
    let Some(column) = &options.approver_column else {
        return Outcome::NotApplicable("no approver_column configured");
    };
    let mut others = Vec::new();
    if let Some(r) = &facts.reporter {
        others.push((Role::Reporter, r.as_ref()));
    }
    if let Some(a) = &facts.assignee {
        others.push((Role::Assignee, a.as_ref()));
    }
    approval_outcome(
        ctx.accounts,
        System::Jira,
        column,
        &facts.approvers,
        &others,
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{DateTime, NaiveDate};

    use super::*;
    use crate::sources::accounts::testing::Table;
    use crate::sources::accounts::Claim;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    fn issue(status: &str, resolved: Option<NaiveDateTime>, approvers: &[&str]) -> IssueFacts {
        IssueFacts {
            status: Arc::from(status),
            created: at(1, 9),
            resolved,
            reporter: Some(Arc::from("Oliver Brandt")),
            assignee: Some(Arc::from("Sven Kowalski")),
            approvers: approvers.iter().map(|a| Arc::from(*a)).collect(),
        }
    }

    fn table() -> Table {
        Table {
            rows: vec![
                ("jira", "Oliver Brandt", Claim::Person("oliver")),
                ("jira", "Sven Kowalski", Claim::Person("sven")),
                ("jira", "Sven K.", Claim::Person("sven")),
                ("jira", "Amara Okafor", Claim::Person("amara")),
            ],
            people: vec![],
        }
    }

    fn outcome(facts: &IssueFacts, options: &Options, attribute: Attribute) -> Outcome {
        let accounts = table();
        let ctx = Context {
            accounts: &accounts,
            as_of: DateTime::parse_from_rfc3339("2026-01-20T09:00:00+00:00").unwrap(),
        };
        test(facts, options, &ctx)
            .into_iter()
            .find(|r| r.attribute == attribute)
            .unwrap()
            .outcome
    }

    fn sla(days: u32) -> Options {
        Options {
            sla_days: Some(days),
            ..Options::default()
        }
    }

    #[test]
    fn done_statuses_in_any_case() {
        let o = Options::default();
        assert_eq!(
            outcome(&issue("Done", None, &[]), &o, Attribute::Resolved),
            Outcome::Pass
        );
        assert_eq!(
            outcome(&issue("closed", None, &[]), &o, Attribute::Resolved),
            Outcome::Pass
        );
        assert_eq!(
            outcome(&issue("In Progress", None, &[]), &o, Attribute::Resolved).into_failure(),
            "status `In Progress` is not one of done_statuses (Done, Closed, Resolved)"
        );
        let custom = Options {
            done_statuses: vec!["Approved".into()],
            ..Options::default()
        };
        assert!(outcome(&issue("Done", None, &[]), &custom, Attribute::Resolved).is_fail());
    }

    #[test]
    fn sla_breaches_are_measured_from_creation() {
        let o = sla(2);
        let on_time = issue("Done", Some(at(3, 9)), &[]);
        assert_eq!(outcome(&on_time, &o, Attribute::WithinSla), Outcome::Pass);
        let late = issue("Done", Some(at(3, 10)), &[]);
        assert_eq!(
            outcome(&late, &o, Attribute::WithinSla).into_failure(),
            "resolved 2 days 1 hour after creation (sla_days is 2)"
        );
        let very_late = issue("Done", Some(at(8, 21)), &[]);
        assert_eq!(
            outcome(&very_late, &o, Attribute::WithinSla).into_failure(),
            "resolved 7 days 12 hours after creation (sla_days is 2)"
        );
        assert_eq!(
            outcome(&on_time, &Options::default(), Attribute::WithinSla),
            Outcome::NotApplicable("no sla_days configured")
        );
    }

    #[test]
    fn open_issues_breach_once_their_sla_has_passed_at_the_export() {
        let open = issue("In Progress", None, &[]);
        assert_eq!(
            outcome(&open, &sla(10), Attribute::WithinSla).into_failure(),
            "unresolved 19 days after creation at the export (sla_days is 10)"
        );
        assert_eq!(
            outcome(&open, &sla(19), Attribute::WithinSla),
            Outcome::NotApplicable("open and still within its SLA at the export")
        );
    }

    fn approval() -> Options {
        Options {
            approver_column: Some("Custom field (Approver)".into()),
            ..Options::default()
        }
    }

    #[test]
    fn approvers_must_be_someone_else() {
        let o = approval();
        let ok = issue("Done", None, &["Amara Okafor"]);
        assert_eq!(
            outcome(&ok, &o, Attribute::IndependentApproval),
            Outcome::Pass
        );
        let by_assignee = issue("Done", None, &["Sven K."]);
        assert_eq!(
            outcome(&by_assignee, &o, Attribute::IndependentApproval).into_failure(),
            "no independent approval: `Sven K.` is the assignee"
        );
        let by_reporter = issue("Done", None, &["Oliver Brandt"]);
        assert!(outcome(&by_reporter, &o, Attribute::IndependentApproval)
            .into_failure()
            .contains("is the reporter"));
        let one_of_two = issue("Done", None, &["Oliver Brandt", "Amara Okafor"]);
        assert_eq!(
            outcome(&one_of_two, &o, Attribute::IndependentApproval),
            Outcome::Pass
        );
        let stranger = issue("Done", None, &["Temp Contractor"]);
        assert!(outcome(&stranger, &o, Attribute::IndependentApproval)
            .into_failure()
            .contains("no person claims"));
        let none = issue("Done", None, &[]);
        assert_eq!(
            outcome(&none, &o, Attribute::IndependentApproval).into_failure(),
            "no approver in `Custom field (Approver)`"
        );
        assert!(matches!(
            outcome(&ok, &Options::default(), Attribute::IndependentApproval),
            Outcome::NotApplicable(_)
        ));
    }

    #[test]
    fn an_issue_without_reporter_or_assignee_can_still_be_approved() {
        let mut orphan = issue("Done", None, &["Amara Okafor"]);
        orphan.reporter = None;
        orphan.assignee = None;
        assert_eq!(
            outcome(&orphan, &approval(), Attribute::IndependentApproval),
            Outcome::Pass
        );
    }

    #[test]
    fn spans_read_as_days_hours_and_minutes() {
        assert_eq!(span(Duration::hours(36)), "1 day 12 hours");
        assert_eq!(span(Duration::minutes(61)), "1 hour 1 minute");
        assert_eq!(span(Duration::days(2)), "2 days");
        assert_eq!(span(Duration::seconds(30)), "0 minutes");
    }
}
