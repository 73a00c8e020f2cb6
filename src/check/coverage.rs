//! Evidence over the period: every control has evidence in each interval of its frequency, and
//! every non-human identity was rotated in time.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::{Rec, Validator};
use crate::analyse::identities::{self, Until};
use crate::content::model::Frequency;
use crate::diag::{codes, RecordKind};

impl Validator<'_, '_> {
    /// Warnings about controls whose evidence does not cover the period.
    pub(super) fn coverage(&mut self) {
        let c = self.content;
        let index = self.index;
        let Some(period) = self.period() else {
            return;
        };
        for r in &c.controls {
            let ctl = &r.value;
            let rec = Rec::new(&r.loc, RecordKind::Control, &ctl.id);
            // Records and population rows of the control (the first of that id, should two
            // share it), inside the period.
            let records = index
                .controls
                .get(&ctl.id)
                .map_or(&[][..], |&i| &index.evidence_of_control[i]);
            let rows = c.populations.iter().filter(|p| p.control == ctl.id);
            let dates: Vec<NaiveDate> = records
                .iter()
                .map(|&e| c.evidence[e].value.occurred_on)
                .chain(rows.flat_map(|p| p.rows.iter().map(|row| row.occurred_on)))
                .filter(|&d| period.contains(d))
                .collect();
            if dates.is_empty() {
                self.problem(
                    rec,
                    rec.field("id"),
                    codes::NO_EVIDENCE,
                    format!(
                        "control `{}` has no evidence in the period {} to {}",
                        ctl.id, period.start, period.end
                    ),
                )
                .hint("add evidence records that name this control, or a population CSV");
                continue;
            }
            let missing = uncovered_intervals(ctl.frequency, period.start, period.end, &dates);
            if !missing.is_empty() {
                let shown: Vec<&str> = missing.iter().take(6).map(String::as_str).collect();
                let more = if missing.len() > 6 {
                    format!(" and {} more", missing.len() - 6)
                } else {
                    String::new()
                };
                self.problem(
                    rec,
                    rec.field("frequency"),
                    codes::FREQUENCY_GAP,
                    format!(
                        "{} control `{}` has no evidence in {}{}",
                        ctl.frequency,
                        ctl.id,
                        shown.join(", "),
                        more
                    ),
                );
            }
        }
    }

    /// Late and overdue rotations of non-human identities (the same analysis both bundles show).
    pub(super) fn rotations(&mut self) {
        let c = self.content;
        let Some(period) = self.period() else {
            return;
        };
        for review in identities::review(c, self.index, period) {
            let Some(&i) = self.index.identities.get(review.identity.id.as_str()) else {
                continue;
            };
            let r = &c.identities[i];
            let rec = Rec::new(&r.loc, RecordKind::Identity, &r.value.id);
            for late in &review.late {
                let code = match late.until {
                    Until::Rotation(_) => codes::ROTATION_LATE,
                    Until::PeriodEnd | Until::Decommissioned => codes::ROTATION_OVERDUE,
                };
                self.problem(rec, rec.field("rotation_days"), code, late.describe());
            }
            for e in review.reviews_by_owner(c) {
                let r = &c.evidence[e];
                let ev = &r.value;
                let rec = Rec::new(&r.loc, RecordKind::Evidence, &ev.id);
                let (field, role) = match ev.approved_by {
                    Some(_) => ("approved_by", "approved"),
                    None => ("performed_by", "performed"),
                };
                let owner = identities::reviewer(ev);
                self.problem(
                    rec,
                    rec.field(field),
                    codes::REVIEW_BY_OWNER,
                    format!(
                        "access review `{}` of identity `{}` was {role} by `{owner}`, who owns the identity: no segregation of duties",
                        ev.id, review.identity.id
                    ),
                )
                .about(RecordKind::Identity, &review.identity.id)
                .about(RecordKind::Person, owner)
                .hint("have someone other than the identity's owner approve its access review (`approved_by`)");
            }
        }
    }
}

/// Labels of the intervals of `freq` inside `start..=end` that hold none of `dates`.
pub fn uncovered_intervals(
    freq: Frequency,
    start: NaiveDate,
    end: NaiveDate,
    dates: &[NaiveDate],
) -> Vec<String> {
    let key: fn(NaiveDate) -> (i32, u32) = match freq {
        Frequency::Annual => |d| (d.year(), 0),
        Frequency::Semiannual => |d| (d.year(), (d.month0() / 6) + 1),
        Frequency::Quarterly => |d| (d.year(), (d.month0() / 3) + 1),
        Frequency::Monthly => |d| (d.year(), d.month()),
        Frequency::Weekly | Frequency::Daily | Frequency::MultipleDaily => |d| {
            let w = d.iso_week();
            (w.year(), w.week())
        },
        Frequency::OnEvent | Frequency::Continuous => return Vec::new(),
    };
    let label = |k: (i32, u32)| match freq {
        Frequency::Annual => format!("{}", k.0),
        Frequency::Semiannual => format!("{}-H{}", k.0, k.1),
        Frequency::Quarterly => format!("{}-Q{}", k.0, k.1),
        Frequency::Monthly => format!("{}-{:02}", k.0, k.1),
        _ => format!("{}-W{:02}", k.0, k.1),
    };
    let have: HashSet<(i32, u32)> = dates.iter().map(|d| key(*d)).collect();
    let mut missing = Vec::new();
    let mut seen = HashSet::new();
    let mut day = start;
    while day <= end {
        let k = key(day);
        if seen.insert(k) && !have.contains(&k) {
            missing.push(label(k));
        }
        day = match day.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    #[test]
    fn quarterly_coverage_names_the_missing_quarter() {
        let missing = uncovered_intervals(
            Frequency::Quarterly,
            d("2026-01-01"),
            d("2026-06-30"),
            &[d("2026-02-10")],
        );
        assert_eq!(missing, vec!["2026-Q2"]);
    }

    #[test]
    fn monthly_coverage_counts_every_month() {
        let dates: Vec<NaiveDate> = (1..=6).map(|m| d(&format!("2026-{m:02}-15"))).collect();
        assert!(
            uncovered_intervals(Frequency::Monthly, d("2026-01-01"), d("2026-06-30"), &dates)
                .is_empty()
        );
        assert_eq!(
            uncovered_intervals(
                Frequency::Monthly,
                d("2026-01-01"),
                d("2026-06-30"),
                &dates[..5]
            ),
            vec!["2026-06"]
        );
        assert!(
            uncovered_intervals(Frequency::OnEvent, d("2026-01-01"), d("2026-06-30"), &[])
                .is_empty()
        );
    }
}
