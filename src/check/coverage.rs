//! Evidence over the period: every control has evidence in each interval of its frequency, and
//! every non-human identity was rotated in time.

use chrono::NaiveDate;

use super::{Rec, Validator};
use crate::analyse::identities::{self, Until};
use crate::analyse::periodic;
use crate::content::model::Frequency;
use crate::diag::{codes, RecordKind};

impl Validator<'_, '_> {
    /// Warnings about controls whose evidence does not cover the period: none at all, or a
    /// due interval of its calendar without evidence ([`crate::analyse::periodic`], the same
    /// matching as the SOC 2 populations, `covers:` included).
    pub(super) fn coverage(&mut self) {
        let c = self.content;
        let index = self.index;
        let (Some(period), Some(as_of), Some(pack)) = (self.period(), self.as_of(), &c.pack) else {
            return;
        };
        for r in &c.controls {
            let ctl = &r.value;
            let rec = Rec::new(&r.loc, RecordKind::Control, &ctl.id);
            // Records and population rows of the control (the first of that id, should two
            // share it): the days each is evidence for.
            let records = index
                .controls
                .get(&ctl.id)
                .map_or(&[][..], |&i| &index.evidence_of_control[i]);
            let rows = c.populations.iter().filter(|p| p.control == ctl.id);
            let spans: Vec<(NaiveDate, NaiveDate)> = records
                .iter()
                .map(|&e| periodic::span(&c.evidence[e].value))
                .chain(
                    rows.flat_map(|p| p.rows.iter().map(|row| (row.occurred_on, row.occurred_on))),
                )
                .collect();
            if !spans
                .iter()
                .any(|&(a, b)| a <= period.end && period.start <= b)
            {
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
            // An automated daily control is looked at week by week: its evidence is the
            // system's, not a person's day.
            let frequency = match ctl.frequency {
                Frequency::Daily | Frequency::MultipleDaily if ctl.automated => Frequency::Weekly,
                f => f,
            };
            let calendar = &pack.value.calendar;
            let Some(schedule) = periodic::schedule(
                frequency,
                period,
                as_of,
                calendar,
                spans.into_iter().enumerate(),
            ) else {
                continue;
            };
            let missing: Vec<String> = schedule.gaps().map(|o| o.interval.to_string()).collect();
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
                        "{} control `{}` has no evidence in {}{} (of {} due by {as_of})",
                        ctl.frequency,
                        ctl.id,
                        shown.join(", "),
                        more,
                        schedule.due.len()
                    ),
                )
                .hint("add the evidence; a record made after its interval says which one with `covers:` (e.g. `covers: 2026-01`)");
            }
        }
    }

    /// Late and overdue rotations of non-human identities (the same analysis both bundles show).
    pub(super) fn rotations(&mut self) {
        let c = self.content;
        let Some(period) = c.evaluated_period() else {
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
