//! Jira's "Export CSV (all fields)" of a service-desk project: access requests and removals,
//! with the SLA breaches and self-approvals the `jira-csv` attribute tests look for.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDateTime, TimeDelta, Timelike};

use super::{blocks, csv_row, row_time};
use crate::records::Registry;
use crate::rng::{stream_key, Rng};
use crate::text::{sentence, SYSTEMS};
use crate::Params;

/// Jira's default site date format (`dd/MMM/yy h:mm a`).
pub(super) const DATE_FORMAT: &str = "%d/%b/%y %I:%M %p";

/// Jira's header for "Export CSV (all fields)" of a service-desk project: repeated Labels,
/// Watchers, Sprint and Comment columns, `Custom field (…)` columns in name order with Sprint
/// among them, as a real Jira Cloud export has them.
const JIRA_HEADER: [&str; 58] = [
    "Summary",
    "Issue key",
    "Issue id",
    "Issue Type",
    "Status",
    "Project key",
    "Project name",
    "Project type",
    "Project lead",
    "Project lead id",
    "Project description",
    "Priority",
    "Resolution",
    "Assignee",
    "Assignee Id",
    "Reporter",
    "Reporter Id",
    "Creator",
    "Creator Id",
    "Created",
    "Updated",
    "Last Viewed",
    "Resolved",
    "Due date",
    "Votes",
    "Labels",
    "Labels",
    "Labels",
    "Description",
    "Environment",
    "Watchers",
    "Watchers",
    "Watchers Id",
    "Watchers Id",
    "Original estimate",
    "Remaining Estimate",
    "Time Spent",
    "Work Ratio",
    "Σ Original Estimate",
    "Σ Remaining Estimate",
    "Σ Time Spent",
    "Security Level",
    "Attachment",
    "Custom field (Approvers)",
    "Custom field (Change risk)",
    "Custom field (Rank)",
    "Custom field (Request Type)",
    "Sprint",
    "Sprint",
    "Custom field (Story Points)",
    "Custom field (Time to resolution)",
    "Comment",
    "Comment",
    "Parent",
    "Parent key",
    "Parent summary",
    "Status Category",
    "Status Category Changed",
];

/// A Jira account id: `712020:` and a UUID, as Jira Cloud writes them.
fn jira_account(seed: &str, person: usize) -> String {
    let mut r = Rng::item(stream_key(seed, "jira-accounts"), person as u64);
    let (a, b) = (r.next_u64(), r.next_u64());
    format!(
        "712020:{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

/// `12/Jan/26 3:04 PM`, Jira's default site format.
fn jira_time(t: NaiveDateTime) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (half, h12) = t.hour12();
    format!(
        "{:02}/{}/{:02} {}:{:02} {}",
        t.day(),
        MONTHS[t.month0() as usize],
        t.year() % 100,
        h12,
        t.minute(),
        if half { "PM" } else { "AM" }
    )
}

/// Writes `rows` issues of Jira's "Export CSV (all fields)".
pub(super) fn write(w: &mut dyn Write, p: &Params, reg: &Registry, rows: usize) -> io::Result<()> {
    let mut header = Vec::new();
    csv_row(&mut header, &JIRA_HEADER);
    w.write_all(&header)?;
    let people = reg.people.len();
    let accounts: Vec<String> = (0..people).map(|i| jira_account(&p.seed, i)).collect();
    let name = |i: usize| reg.people[i].name.as_str();
    blocks(w, &p.seed, "source-jira", rows, |i, r, out| {
        let created = row_time(p, i, rows, r);
        let (reporter, assignee) = r.two(people);
        const STATUSES: [(&str, u32); 4] = [
            ("Done", 16),
            ("Closed", 1),
            ("In Progress", 1),
            ("To Do", 1),
        ];
        let status = STATUSES[r.weighted(&STATUSES.map(|s| s.1))].0;
        let done = matches!(status, "Done" | "Closed");
        // Resolved within the 5-day SLA, but one in twenty takes 6 to 15 days.
        let hours = if r.chance(0.05) {
            r.range(6 * 24, 15 * 24)
        } else {
            r.range(1, 5 * 24)
        };
        let resolved = created + TimeDelta::hours(hours);
        let approver = match r.below(100) {
            0 => "",
            1 => name(reporter),
            2 => name(assignee),
            _ => {
                let (a, b) = r.two(people);
                name(if a == reporter || a == assignee { b } else { a })
            }
        };
        let system = *r.pick(&SYSTEMS);
        let role = *r.pick(&["read-only", "developer", "admin", "billing"]);
        let revoke = r.chance(0.3);
        let summary = if revoke {
            format!("Revoke {role} access to {system} for {}", name(assignee))
        } else {
            format!("Access request: {role} on {system}, {}", name(reporter))
        };
        let description = format!(
            "h3. Request\n{}\n\nh3. Justification\n{}",
            sentence(r, 10, None),
            sentence(r, 12, None)
        );
        let updated = if done {
            resolved
        } else {
            created + TimeDelta::hours(r.range(1, 48))
        };
        let comment = |r: &mut Rng, who: usize, at: NaiveDateTime| {
            format!(
                "{};{};{}",
                jira_time(at),
                accounts[who],
                sentence(r, 7, None)
            )
        };
        let at = created + TimeDelta::minutes(r.range(5, 600));
        let first_comment = comment(r, assignee, at);
        let second_comment = if r.chance(0.3) {
            let at = created + TimeDelta::minutes(r.range(600, 1200));
            comment(r, reporter, at) + "\n" + &sentence(r, 6, None)
        } else {
            String::new()
        };
        let label = if r.chance(0.5) { "sox" } else { "" };
        let key = format!("SEC-{}", i + 1);
        let issue_type = if revoke {
            "Revoke Access"
        } else {
            "Access Request"
        };
        let id = (10_000 + i + 1).to_string();
        let rank = format!("0|i{:05x}:", 0x10000 + i);
        let (created_s, updated_s) = (jira_time(created), jira_time(updated));
        let resolved_s = if done {
            jira_time(resolved)
        } else {
            String::new()
        };
        let due = jira_time(created + TimeDelta::days(5));
        let priority = *r.pick(&["Medium", "Medium", "High", "Low", "Highest"]);
        let resolution = match (done, r.chance(0.03)) {
            (false, _) => "",
            (true, true) => "Won't Do",
            (true, false) => "Done",
        };
        let risk = *r.pick(&["Low", "Low", "Medium", "High"]);
        let category = match status {
            "Done" | "Closed" => "Done",
            "To Do" => "To Do",
            _ => "In Progress",
        };
        // The row, column group by column group of JIRA_HEADER.
        let mut f: Vec<&str> = Vec::with_capacity(JIRA_HEADER.len());
        f.extend([summary.as_str(), &key, &id, issue_type]);
        f.extend([
            status,
            "SEC",
            "Security Operations",
            "service_desk",
            name(0),
            &accounts[0],
            "",
        ]);
        f.extend([priority, resolution]);
        f.extend([
            name(assignee),
            &accounts[assignee],
            name(reporter),
            &accounts[reporter],
        ]);
        f.extend([name(reporter), &accounts[reporter]]); // creator
        f.extend([
            &created_s,
            &updated_s,
            "",
            &resolved_s,
            due.split(' ').next().unwrap_or(""),
        ]);
        f.extend(["0", if revoke { "leaver" } else { "access" }, label, ""]); // votes, labels
        f.extend([&description, ""]);
        f.extend([
            name(reporter),
            name(assignee),
            &accounts[reporter],
            &accounts[assignee],
        ]);
        f.extend([""; 9]); // estimates, time spent, security level, attachment
        f.extend([approver, risk, &rank]);
        f.extend([if revoke {
            "Remove access"
        } else {
            "Request access"
        }]);
        f.extend([""; 4]); // sprints, story points, time to resolution
        f.extend([
            &first_comment,
            &second_comment,
            "",
            "",
            "",
            category,
            &updated_s,
        ]);
        debug_assert_eq!(f.len(), JIRA_HEADER.len());
        csv_row(out, &f);
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn jira_dates_are_written_as_the_site_formats_them() {
        let t = NaiveDate::from_ymd_opt(2026, 1, 12)
            .unwrap()
            .and_hms_opt(15, 4, 0)
            .unwrap();
        assert_eq!(jira_time(t), "12/Jan/26 3:04 PM");
        let morning = NaiveDate::from_ymd_opt(2026, 6, 3)
            .unwrap()
            .and_hms_opt(0, 30, 0)
            .unwrap();
        assert_eq!(jira_time(morning), "03/Jun/26 12:30 AM");
        // The declared format reads them back.
        assert_eq!(
            NaiveDateTime::parse_from_str("12/Jan/26 3:04 PM", DATE_FORMAT).unwrap(),
            t
        );
    }

    #[test]
    fn jira_account_ids_look_like_jira_cloud_ones() {
        let id = jira_account("1", 3);
        assert_eq!(id, jira_account("1", 3));
        assert_ne!(id, jira_account("1", 4));
        let uuid = id.strip_prefix("712020:").unwrap();
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert!(uuid.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
