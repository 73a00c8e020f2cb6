//! Evidence over the period: every control has evidence in each interval of its frequency,
//! every non-human identity was rotated in time, and the review CSVs of access reviews name
//! identities the pack holds.

use chrono::NaiveDate;

use super::{Rec, Validator};
use crate::analyse::identities::{self, Until};
use crate::analyse::periodic;
use crate::content::model::Frequency;
use crate::diag::{codes, Place, RecordKind};

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

    /// Rows of access reviews' review CSVs naming an identity the pack does not hold (`W132`),
    /// each at its `attachments/…:line:col`.
    pub(super) fn review_csvs(&mut self) {
        let c = self.content;
        for csv in &c.review_csvs {
            let r = &c.evidence[csv.evidence];
            let rel = format!("attachments/{}", csv.attachment);
            let mut file = None;
            for row in &csv.rows {
                if self.index.identities.contains_key(row.identity.as_str()) {
                    continue;
                }
                let file = *file.get_or_insert_with(|| {
                    self.report
                        .file_index(&rel)
                        .unwrap_or_else(|| self.report.add_file(&rel))
                });
                // A cell is echoed only when it looks like an id: the file is untrusted, and
                // the secret guard reports what else it holds without printing it.
                let named = if looks_like_id(&row.identity) {
                    format!("`{}`", row.identity)
                } else {
                    "a value".to_string()
                };
                self.push(
                    file,
                    Place::Line(row.line, row.column),
                    codes::REVIEW_CSV_UNKNOWN_IDENTITY,
                    format!(
                        "the review CSV of access review `{}` names identity {named}, which is not in the pack; the row is not counted as a review",
                        r.value.id
                    ),
                )
                .about(RecordKind::Evidence, &r.value.id)
                .hint("add the identity under identities/, or correct its id in the CSV");
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
                self.problem(rec, rec.field("rotation_days"), code, late.message());
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

/// Whether `s` looks like a record id (at most 64 letters, digits and `-_.:@/`), so that a
/// message may quote it.
fn looks_like_id(s: &str) -> bool {
    s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:@/".contains(c))
}

#[cfg(test)]
mod tests {
    use super::looks_like_id;

    #[test]
    fn only_id_like_cells_are_quoted() {
        assert!(looks_like_id("svc-deploy"));
        assert!(looks_like_id(&"a".repeat(64)));
        assert!(!looks_like_id(&"a".repeat(65)));
        assert!(!looks_like_id("ghp secret"));
        assert!(!looks_like_id("a`b"));
    }
}
