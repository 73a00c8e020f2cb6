//! Periodic controls tested against the calendar: the occurrences a control of a given
//! frequency was expected to have in the period, and the evidence that matches each.
//!
//! # Expected occurrences
//!
//! An annual, semiannual, quarterly, monthly, weekly, daily or multiple-daily control is expected
//! once in every year, half, quarter, month, ISO 8601 week or working day of the period (daily
//! and multiple-daily controls per working day of the pack's `calendar:`, by default Monday to
//! Friday without holidays). Each interval the period touches is decided on its working days:
//!
//! - an interval with no working day inside the period is not expected;
//! - an interval wholly inside the period is expected;
//! - an interval that holds the whole period (an annual control in a six-month period) is
//!   expected: it is the one occurrence the period can show;
//! - an interval the period cuts at its start or its end is expected when the period holds at
//!   least half of its working days, and is otherwise a *partial interval*, listed but never a
//!   gap: a period that starts on a Thursday holds two of the five working days of its first ISO
//!   week, so that week is partial; one that starts on a Wednesday holds three, so it is due.
//!
//! # Matching evidence
//!
//! An evidence record covers the interval named by its `covers:` (`2026-01`, `2026-W05`,
//! `2026-Q1`, `2026-H1`, `2026` or a date), otherwise the day it occurred on. It is evidence for
//! every expected occurrence whose interval overlaps what it covers: a February review with
//! `covers: 2026-01` counts for January, and a log export with `covers: 2026-Q1` for every working
//! day of the quarter.
//!
//! # The evaluation date
//!
//! Everything is evaluated at the pack's as-of date ([`crate::content::Content::as_of`], the
//! period's end unless a command says otherwise). An occurrence is due on the last day of its
//! interval inside the period; one due after the as-of date is *not yet due*: never a gap, never
//! sampled. A due occurrence without evidence is a *gap*.

use chrono::NaiveDate;

use crate::content::model::{CalendarSettings, Evidence, Frequency, Interval, Period};

/// The days an evidence record is evidence for: what its `covers:` names, else the day it
/// occurred on.
pub fn span(ev: &Evidence) -> (NaiveDate, NaiveDate) {
    match ev.covers {
        Some(i) => (i.first(), i.last()),
        None => (ev.occurred_on, ev.occurred_on),
    }
}

/// Whether an interval touched by the period is expected in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    /// Expected: an occurrence of the control.
    Yes,
    /// Cut by the period's start or end, holding less than half of its working days inside.
    Partial,
    /// No working day inside the period.
    No,
}

fn expected(interval: Interval, period: Period, calendar: &CalendarSettings) -> Expected {
    let (first, last) = (interval.first(), interval.last());
    let inside = calendar.working_days_between(first.max(period.start), last.min(period.end));
    if inside == 0 {
        return Expected::No;
    }
    let wholly_inside = period.start <= first && last <= period.end;
    let holds_period = first <= period.start && period.end <= last;
    if wholly_inside || holds_period {
        return Expected::Yes;
    }
    if 2 * inside >= calendar.working_days_between(first, last) {
        Expected::Yes
    } else {
        Expected::Partial
    }
}

/// Every interval of `freq` that the period touches, in calendar order (empty for on-event and
/// continuous controls).
pub fn intervals(freq: Frequency, period: Period) -> Vec<Interval> {
    let mut out = Vec::new();
    let mut day = Some(period.start);
    while let Some(d) = day.filter(|d| *d <= period.end) {
        let Some(interval) = Interval::containing(freq, d) else {
            break;
        };
        out.push(interval);
        day = interval.last().succ_opt();
    }
    out
}

/// One expected occurrence of a periodic control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Its interval; its id (`2026-W05`) is the population item's id.
    pub interval: Interval,
    /// When it is due: the last day of its interval inside the period.
    pub due: NaiveDate,
    /// The evidence records that cover it (indices into the records given to [`schedule`]'s
    /// caller, in the order given).
    pub evidence: Vec<usize>,
}

/// The calendar of one periodic control over the period, at the as-of date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// The frequency it runs at.
    pub frequency: Frequency,
    /// The occurrences due by the as-of date, in calendar order: the population.
    pub due: Vec<Occurrence>,
    /// Expected occurrences due after the as-of date.
    pub not_yet_due: Vec<Interval>,
    /// Intervals the period cuts at its start or end that hold less than half of their working
    /// days inside it: not expected, never gaps.
    pub partial: Vec<Interval>,
}

impl Schedule {
    /// The due occurrences without evidence.
    pub fn gaps(&self) -> impl Iterator<Item = &Occurrence> {
        self.due.iter().filter(|o| o.evidence.is_empty())
    }

    /// What `n` of its intervals are: `1 ISO week`, `2 working days` …
    pub fn unit(&self, n: usize) -> String {
        let unit = match self.frequency {
            Frequency::Annual => "year",
            Frequency::Semiannual => "half year",
            Frequency::Quarterly => "quarter",
            Frequency::Monthly => "month",
            Frequency::Weekly => "ISO week",
            _ => "working day",
        };
        format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
    }

    /// The population in one sentence: how many occurrences were due by `as_of` over `period`,
    /// how many are gaps, not yet due and partial.
    pub fn describe(&self, period: Period, as_of: NaiveDate) -> String {
        let mut out = format!(
            "{} expected from {} to {as_of}, {} without evidence",
            self.unit(self.due.len()),
            period.start,
            self.gaps().count()
        );
        if !self.not_yet_due.is_empty() {
            out.push_str(&format!(
                "; {} not yet due (as of {as_of}, the period ends {})",
                self.not_yet_due.len(),
                period.end
            ));
        }
        if !self.partial.is_empty() {
            let ids: Vec<String> = self.partial.iter().map(Interval::to_string).collect();
            out.push_str(&format!(
                "; partial at the period's edges, not expected: {}",
                ids.join(", ")
            ));
        }
        out
    }
}

/// The schedule of a control of frequency `freq` over `period` evaluated at `as_of`, each
/// occurrence matched to the `records` (an index and the days it is evidence for, see [`span`])
/// whose days overlap its interval. `None` for on-event and continuous controls.
pub fn schedule(
    freq: Frequency,
    period: Period,
    as_of: NaiveDate,
    calendar: &CalendarSettings,
    records: impl IntoIterator<Item = (usize, (NaiveDate, NaiveDate))>,
) -> Option<Schedule> {
    Interval::containing(freq, period.start)?;
    let mut due = Vec::new();
    let mut not_yet_due = Vec::new();
    let mut partial = Vec::new();
    for interval in intervals(freq, period) {
        match expected(interval, period, calendar) {
            Expected::No => {}
            Expected::Partial => partial.push(interval),
            Expected::Yes => {
                let day = interval.last().min(period.end);
                if day <= as_of {
                    due.push(Occurrence {
                        interval,
                        due: day,
                        evidence: Vec::new(),
                    });
                } else {
                    not_yet_due.push(interval);
                }
            }
        }
    }
    for (i, (from, to)) in records {
        // The occurrences are in calendar order and do not overlap: the first whose interval
        // ends on or after `from`, then on while they start by `to`.
        let start = due.partition_point(|o| o.interval.last() < from);
        for o in due[start..].iter_mut() {
            if o.interval.first() > to {
                break;
            }
            o.evidence.push(i);
        }
    }
    Some(Schedule {
        frequency: freq,
        due,
        not_yet_due,
        partial,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    fn period(a: &str, b: &str) -> Period {
        Period {
            start: d(a),
            end: d(b),
        }
    }

    fn ids(list: &[Interval]) -> Vec<String> {
        list.iter().map(Interval::to_string).collect()
    }

    fn due_ids(s: &Schedule) -> Vec<String> {
        s.due.iter().map(|o| o.interval.to_string()).collect()
    }

    fn on(day: &str) -> (NaiveDate, NaiveDate) {
        (d(day), d(day))
    }

    #[test]
    fn a_thursday_start_leaves_the_first_iso_week_partial() {
        // 2026-01-01 is a Thursday, 2026-06-30 a Tuesday.
        let p = period("2026-01-01", "2026-06-30");
        let s = schedule(
            Frequency::Weekly,
            p,
            p.end,
            &CalendarSettings::default(),
            [],
        )
        .unwrap();
        assert_eq!(s.due.len(), 25);
        assert_eq!(s.due[0].interval.to_string(), "2026-W02");
        assert_eq!(s.due[24].interval.to_string(), "2026-W26");
        assert_eq!(ids(&s.partial), ["2026-W01", "2026-W27"]);
        assert!(s.not_yet_due.is_empty());
        assert_eq!(s.gaps().count(), 25);
        // A Wednesday start holds three of the five working days: the week is due.
        let p = period("2025-12-31", "2026-01-31");
        let s = schedule(
            Frequency::Weekly,
            p,
            p.end,
            &CalendarSettings::default(),
            [],
        )
        .unwrap();
        assert_eq!(due_ids(&s)[0], "2026-W01");
        // Cut at the end on a Saturday, week 5 holds all its working days: due on the last day
        // inside the period.
        assert_eq!(due_ids(&s).last().unwrap(), "2026-W05");
        assert_eq!(s.due.last().unwrap().due, d("2026-01-31"));
        assert!(s.partial.is_empty());
    }

    #[test]
    fn intervals_longer_than_the_period_are_expected_once() {
        let p = period("2026-01-01", "2026-06-30");
        let cal = CalendarSettings::default();
        let s = schedule(Frequency::Annual, p, p.end, &cal, []).unwrap();
        assert_eq!(due_ids(&s), ["2026"]);
        assert_eq!(
            s.due[0].due,
            d("2026-06-30"),
            "due at the end of the period"
        );
        let s = schedule(Frequency::Semiannual, p, p.end, &cal, []).unwrap();
        assert_eq!(due_ids(&s), ["2026-H1"]);
        let s = schedule(Frequency::Quarterly, p, p.end, &cal, []).unwrap();
        assert_eq!(due_ids(&s), ["2026-Q1", "2026-Q2"]);
        let s = schedule(Frequency::Monthly, p, p.end, &cal, []).unwrap();
        assert_eq!(s.due.len(), 6);
        // A year across two calendar years: the larger part is due, the smaller partial.
        let p = period("2025-10-01", "2026-09-30");
        let s = schedule(Frequency::Annual, p, p.end, &cal, []).unwrap();
        assert_eq!(due_ids(&s), ["2026"]);
        assert_eq!(ids(&s.partial), ["2025"]);
        assert_eq!(schedule(Frequency::OnEvent, p, p.end, &cal, []), None);
        assert_eq!(schedule(Frequency::Continuous, p, p.end, &cal, []), None);
    }

    #[test]
    fn business_days_follow_the_calendar() {
        let p = period("2026-03-30", "2026-04-12");
        let mut cal = CalendarSettings::default();
        let s = schedule(Frequency::Daily, p, p.end, &cal, []).unwrap();
        assert_eq!(s.due.len(), 10);
        cal.holidays.insert(d("2026-04-03"));
        cal.holidays.insert(d("2026-04-06"));
        let s = schedule(Frequency::MultipleDaily, p, p.end, &cal, []).unwrap();
        assert_eq!(s.due.len(), 8);
        assert!(!due_ids(&s).contains(&"2026-04-03".to_string()));
        assert!(s.partial.is_empty(), "days are never partial");
        // A week of holidays only is not expected at all.
        let cal = CalendarSettings {
            holidays: (6..=10).map(|n| d(&format!("2026-04-{n:02}"))).collect(),
            ..CalendarSettings::default()
        };
        let s = schedule(Frequency::Weekly, p, p.end, &cal, []).unwrap();
        assert_eq!(due_ids(&s), ["2026-W14"]);
        assert!(s.partial.is_empty());
    }

    #[test]
    fn evidence_matches_the_interval_it_covers() {
        let p = period("2026-01-01", "2026-06-30");
        let cal = CalendarSettings::default();
        let records = [
            (0, on("2026-02-03")),                   // a February review ...
            (1, (d("2026-01-01"), d("2026-01-31"))), // ... of January (covers: 2026-01)
            (2, on("2026-04-15")),
            (3, on("2025-12-15")), // before the period
            (4, (d("2026-06-01"), d("2026-06-30"))),
        ];
        let s = schedule(Frequency::Monthly, p, p.end, &cal, records).unwrap();
        let ev: Vec<&[usize]> = s.due.iter().map(|o| o.evidence.as_slice()).collect();
        assert_eq!(ev, [&[1][..], &[0], &[], &[2], &[], &[4]]);
        let gaps: Vec<String> = s.gaps().map(|o| o.interval.to_string()).collect();
        assert_eq!(gaps, ["2026-03", "2026-05"]);
        // A quarter's export covers every working day of it.
        let q1 = (d("2026-01-01"), d("2026-03-31"));
        let s = schedule(Frequency::Daily, p, p.end, &cal, [(7, q1)]).unwrap();
        assert_eq!(s.due.iter().filter(|o| o.evidence == [7]).count(), 64);
        assert_eq!(s.gaps().count(), s.due.len() - 64);
    }

    #[test]
    fn occurrences_due_after_the_as_of_date_are_not_yet_due() {
        let p = period("2026-01-01", "2026-06-30");
        let cal = CalendarSettings::default();
        let s = schedule(
            Frequency::Monthly,
            p,
            d("2026-03-31"),
            &cal,
            [(0, on("2026-01-10"))],
        );
        let s = s.unwrap();
        assert_eq!(due_ids(&s), ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(ids(&s.not_yet_due), ["2026-04", "2026-05", "2026-06"]);
        assert_eq!(s.gaps().count(), 2);
        // The day before a month ends, it is not yet due.
        let s = schedule(Frequency::Monthly, p, d("2026-03-30"), &cal, []).unwrap();
        assert_eq!(s.due.len(), 2);
        assert_eq!(s.not_yet_due.len(), 4);
    }

    #[test]
    fn the_population_in_one_sentence() {
        let p = period("2026-01-01", "2026-06-30");
        let cal = CalendarSettings::default();
        let s = schedule(
            Frequency::Weekly,
            p,
            d("2026-03-31"),
            &cal,
            [(0, on("2026-01-07"))],
        );
        assert_eq!(
            s.unwrap().describe(p, d("2026-03-31")),
            "12 ISO weeks expected from 2026-01-01 to 2026-03-31, 11 without evidence; 13 not yet \
             due (as of 2026-03-31, the period ends 2026-06-30); partial at the period's edges, \
             not expected: 2026-W01, 2026-W27"
        );
        let s = schedule(Frequency::Annual, p, p.end, &cal, [(0, on("2026-01-07"))]).unwrap();
        assert_eq!(
            s.describe(p, p.end),
            "1 year expected from 2026-01-01 to 2026-06-30, 0 without evidence"
        );
        let units: Vec<String> = [
            Frequency::Semiannual,
            Frequency::Quarterly,
            Frequency::Monthly,
            Frequency::Daily,
            Frequency::MultipleDaily,
        ]
        .iter()
        .map(|&f| schedule(f, p, p.end, &cal, []).unwrap().unit(2))
        .collect();
        assert_eq!(
            units,
            [
                "2 half years",
                "2 quarters",
                "2 months",
                "2 working days",
                "2 working days"
            ]
        );
    }

    #[test]
    fn a_record_is_evidence_for_what_it_covers_else_its_day() {
        let yaml = "{ id: E, controls: [C], kind: review, title: t, occurred_on: 2026-02-03, \
                    performed_by: p, result: pass }";
        let mut ev: Evidence = serde_yaml_ng::from_str(yaml).unwrap();
        assert_eq!(span(&ev), on("2026-02-03"));
        ev.covers = Some(Interval::Month(2026, 1));
        assert_eq!(span(&ev), (d("2026-01-01"), d("2026-01-31")));
    }

    #[test]
    fn intervals_of_a_period_in_order() {
        let p = period("2026-12-20", "2027-01-10");
        assert_eq!(
            ids(&intervals(Frequency::Weekly, p)),
            ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]
        );
        assert_eq!(intervals(Frequency::Daily, p).len(), 22);
        assert!(intervals(Frequency::OnEvent, p).is_empty());
        assert_eq!(ids(&intervals(Frequency::Annual, p)), ["2026", "2027"]);
    }

    #[test]
    fn half_of_an_intervals_working_days_makes_it_due_and_its_last_day_counts() {
        let cal = CalendarSettings::default();
        // January 2026 has 22 working days. From Friday the 16th, 11 are inside the period:
        // half, so January is due; from Monday the 19th, 10: partial, not expected.
        let p = period("2026-01-16", "2026-06-30");
        let s = schedule(Frequency::Monthly, p, p.end, &cal, []).unwrap();
        assert_eq!(due_ids(&s)[0], "2026-01");
        assert_eq!(s.due[0].due, d("2026-01-31"));
        assert!(s.partial.is_empty());
        let p = period("2026-01-19", "2026-06-30");
        let s = schedule(Frequency::Monthly, p, p.end, &cal, []).unwrap();
        assert_eq!(due_ids(&s)[0], "2026-02");
        assert_eq!(ids(&s.partial), ["2026-01"]);
        // A review on a month's last day is evidence for that month, and one on the next
        // month's first day for the next.
        let p = period("2026-01-01", "2026-06-30");
        let records = [(0, on("2026-03-31")), (1, on("2026-04-01"))];
        let s = schedule(Frequency::Monthly, p, p.end, &cal, records).unwrap();
        let ev: Vec<&[usize]> = s.due.iter().map(|o| o.evidence.as_slice()).collect();
        assert_eq!(ev, [&[][..], &[], &[0], &[1], &[], &[]]);
    }
}
