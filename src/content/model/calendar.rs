//! The calendar of a periodic control: the intervals it runs in (a year, half, quarter, month,
//! ISO week or day), the interval an evidence record says it covers (`covers:`), and the pack's
//! working days and holidays (`calendar:` in pack.yaml).

use std::collections::BTreeSet;
use std::fmt;

use chrono::{Datelike, NaiveDate, Weekday};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Frequency;

/// One interval of the calendar, named as people write it: `2026`, `2026-H1`, `2026-Q1`,
/// `2026-01`, `2026-W05` (ISO 8601 week) or `2026-01-31`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Interval {
    /// A calendar year.
    Year(i32),
    /// A half year: 1 (January to June) or 2.
    Half(i32, u32),
    /// A quarter, 1 to 4.
    Quarter(i32, u32),
    /// A month, 1 to 12.
    Month(i32, u32),
    /// An ISO 8601 week: its ISO year (the year of its Thursday) and number, 1 to 53.
    Week(i32, u32),
    /// A day.
    Day(NaiveDate),
}

/// The first day of month `m0` (0-based, may be 12 for January of the next year) of year `y`.
fn month_start(y: i32, m0: u32) -> NaiveDate {
    let (y, m0) = (y + (m0 / 12) as i32, m0 % 12);
    NaiveDate::from_ymd_opt(y, m0 + 1, 1).unwrap_or(NaiveDate::MAX)
}

impl Interval {
    /// The interval of a control of frequency `freq` that holds `day` (daily and multiple-daily
    /// controls run per day); `None` for on-event and continuous controls.
    pub fn containing(freq: Frequency, day: NaiveDate) -> Option<Interval> {
        let y = day.year();
        Some(match freq {
            Frequency::Annual => Interval::Year(y),
            Frequency::Semiannual => Interval::Half(y, day.month0() / 6 + 1),
            Frequency::Quarterly => Interval::Quarter(y, day.month0() / 3 + 1),
            Frequency::Monthly => Interval::Month(y, day.month()),
            Frequency::Weekly => {
                let w = day.iso_week();
                Interval::Week(w.year(), w.week())
            }
            Frequency::Daily | Frequency::MultipleDaily => Interval::Day(day),
            Frequency::OnEvent | Frequency::Continuous => return None,
        })
    }

    /// Its first day.
    pub fn first(self) -> NaiveDate {
        match self {
            Interval::Year(y) => month_start(y, 0),
            Interval::Half(y, h) => month_start(y, (h - 1) * 6),
            Interval::Quarter(y, q) => month_start(y, (q - 1) * 3),
            Interval::Month(y, m) => month_start(y, m - 1),
            Interval::Week(y, w) => {
                NaiveDate::from_isoywd_opt(y, w, Weekday::Mon).unwrap_or(NaiveDate::MAX)
            }
            Interval::Day(d) => d,
        }
    }

    /// Its last day.
    pub fn last(self) -> NaiveDate {
        let next = |d: NaiveDate| d.pred_opt().unwrap_or(d);
        match self {
            Interval::Year(y) => next(month_start(y, 12)),
            Interval::Half(y, h) => next(month_start(y, h * 6)),
            Interval::Quarter(y, q) => next(month_start(y, q * 3)),
            Interval::Month(y, m) => next(month_start(y, m)),
            Interval::Week(y, w) => {
                NaiveDate::from_isoywd_opt(y, w, Weekday::Sun).unwrap_or(NaiveDate::MAX)
            }
            Interval::Day(d) => d,
        }
    }

    /// Read an interval as `covers:` writes it; `None` when `s` is none of the forms.
    pub fn parse(s: &str) -> Option<Interval> {
        let s = s.trim();
        let num = |t: &str| -> Option<u32> {
            (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                .then(|| t.parse().ok())
                .flatten()
        };
        let year = s.get(..4).and_then(num)? as i32;
        let rest = &s[4..];
        if rest.is_empty() {
            return Some(Interval::Year(year));
        }
        let rest = rest.strip_prefix('-')?;
        let ranged = |t: &str, max: u32| num(t).filter(|n| (1..=max).contains(n));
        if let Some(h) = rest.strip_prefix('H') {
            return ranged(h, 2).map(|h| Interval::Half(year, h));
        }
        if let Some(q) = rest.strip_prefix('Q') {
            return ranged(q, 4).map(|q| Interval::Quarter(year, q));
        }
        if let Some(w) = rest.strip_prefix('W') {
            let w = num(w).filter(|_| w.len() == 2)?;
            return NaiveDate::from_isoywd_opt(year, w, Weekday::Mon)
                .map(|_| Interval::Week(year, w));
        }
        match rest.len() {
            2 => ranged(rest, 12).map(|m| Interval::Month(year, m)),
            5 => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(Interval::Day),
            _ => None,
        }
    }
}

impl fmt::Display for Interval {
    /// The interval's id as `covers:` writes it (`2026-W05`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Interval::Year(y) => write!(f, "{y}"),
            Interval::Half(y, h) => write!(f, "{y}-H{h}"),
            Interval::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Interval::Month(y, m) => write!(f, "{y}-{m:02}"),
            Interval::Week(y, w) => write!(f, "{y}-W{w:02}"),
            Interval::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

impl Serialize for Interval {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What `covers:` may hold, for error messages.
pub const COVERS_FORMS: &str = "a year (2026), half (2026-H1), quarter (2026-Q1), month \
                                (2026-01), ISO week (2026-W05) or date (2026-01-31)";

impl<'de> Deserialize<'de> for Interval {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Interval;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(COVERS_FORMS)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Interval, E> {
                Interval::parse(v).ok_or_else(|| E::custom(format!("`{v}` is not {COVERS_FORMS}")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Interval, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Interval, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_any(V)
    }
}

/// `calendar:` in pack.yaml: the days a business-day (daily) control is expected to run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarSettings {
    /// The working days of the week (default Monday to Friday).
    #[serde(default = "monday_to_friday")]
    #[schemars(with = "Vec<crate::content::schema::WeekdayName>")]
    pub working_days: Vec<Weekday>,
    /// Days off on which no daily control is expected.
    #[serde(default)]
    pub holidays: BTreeSet<NaiveDate>,
}

fn monday_to_friday() -> Vec<Weekday> {
    vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
}

impl Default for CalendarSettings {
    fn default() -> Self {
        CalendarSettings {
            working_days: monday_to_friday(),
            holidays: BTreeSet::new(),
        }
    }
}

impl CalendarSettings {
    /// Is `day` a working day: one of the working days of the week and no holiday?
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        self.working_days.contains(&day.weekday()) && !self.holidays.contains(&day)
    }

    /// The working days from `from` to `to`, both included.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> usize {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.is_working_day(*d))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    fn span(i: Interval) -> (String, String) {
        (i.first().to_string(), i.last().to_string())
    }

    #[test]
    fn intervals_know_their_first_and_last_days() {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(span(Interval::Year(2026)), s("2026-01-01", "2026-12-31"));
        assert_eq!(span(Interval::Half(2026, 1)), s("2026-01-01", "2026-06-30"));
        assert_eq!(span(Interval::Half(2026, 2)), s("2026-07-01", "2026-12-31"));
        assert_eq!(
            span(Interval::Quarter(2026, 1)),
            s("2026-01-01", "2026-03-31")
        );
        assert_eq!(
            span(Interval::Quarter(2026, 4)),
            s("2026-10-01", "2026-12-31")
        );
        // Leap years: February has 29 days in 2028, 28 in 2026 and 2100, 29 in 2000.
        assert_eq!(
            span(Interval::Month(2028, 2)),
            s("2028-02-01", "2028-02-29")
        );
        assert_eq!(
            span(Interval::Month(2026, 2)),
            s("2026-02-01", "2026-02-28")
        );
        assert_eq!(
            span(Interval::Month(2100, 2)),
            s("2100-02-01", "2100-02-28")
        );
        assert_eq!(
            span(Interval::Month(2000, 2)),
            s("2000-02-01", "2000-02-29")
        );
        assert_eq!(
            span(Interval::Month(2026, 12)),
            s("2026-12-01", "2026-12-31")
        );
        // ISO weeks: 2026 starts on a Thursday, so its week 1 starts in 2025 and it has 53.
        assert_eq!(span(Interval::Week(2026, 1)), s("2025-12-29", "2026-01-04"));
        assert_eq!(
            span(Interval::Week(2026, 53)),
            s("2026-12-28", "2027-01-03")
        );
        assert_eq!(span(Interval::Week(2027, 1)), s("2027-01-04", "2027-01-10"));
        assert_eq!(
            span(Interval::Day(d("2026-03-02"))),
            s("2026-03-02", "2026-03-02")
        );
    }

    #[test]
    fn the_interval_holding_a_day() {
        let at = |f, day: &str| Interval::containing(f, d(day)).map(|i| i.to_string());
        assert_eq!(at(Frequency::Annual, "2026-07-01").unwrap(), "2026");
        assert_eq!(at(Frequency::Semiannual, "2026-06-30").unwrap(), "2026-H1");
        assert_eq!(at(Frequency::Semiannual, "2026-07-01").unwrap(), "2026-H2");
        assert_eq!(at(Frequency::Quarterly, "2026-03-31").unwrap(), "2026-Q1");
        assert_eq!(at(Frequency::Quarterly, "2026-04-01").unwrap(), "2026-Q2");
        assert_eq!(at(Frequency::Monthly, "2026-02-28").unwrap(), "2026-02");
        assert_eq!(at(Frequency::Weekly, "2027-01-02").unwrap(), "2026-W53");
        assert_eq!(at(Frequency::Weekly, "2025-12-29").unwrap(), "2026-W01");
        assert_eq!(at(Frequency::Daily, "2026-02-03").unwrap(), "2026-02-03");
        assert_eq!(
            at(Frequency::MultipleDaily, "2026-02-03").unwrap(),
            "2026-02-03"
        );
        assert_eq!(at(Frequency::OnEvent, "2026-02-03"), None);
        assert_eq!(at(Frequency::Continuous, "2026-02-03"), None);
    }

    #[test]
    fn covers_reads_every_form_and_refuses_the_rest() {
        for s in [
            "2026",
            "2026-H2",
            "2026-Q4",
            "2026-01",
            "2026-12",
            "2026-W05",
            "2026-W53",
            "2026-02-28",
        ] {
            assert_eq!(Interval::parse(s).unwrap().to_string(), s);
        }
        assert_eq!(
            Interval::parse(" 2026-Q1 "),
            Some(Interval::Quarter(2026, 1))
        );
        for bad in [
            "",
            "26",
            "2026-",
            "2026-H3",
            "2026-H0",
            "2026-Q5",
            "2026-Q0",
            "2026-13",
            "2026-00",
            "2026-W54",
            "2025-W53",
            "2026-W5",
            "2026-W00",
            "2026-02-30",
            "2026-1",
            "20a6",
            "2026-Q",
            "2026/01",
            "2026-01-01x",
            "2026-Wxx",
            "2026-+1",
        ] {
            assert_eq!(Interval::parse(bad), None, "{bad:?}");
        }
        // 2020 had 53 ISO weeks, 2021 had 52.
        assert!(Interval::parse("2020-W53").is_some());
        assert!(Interval::parse("2021-W53").is_none());
    }

    #[test]
    fn covers_deserialises_from_a_string_or_a_bare_year() {
        let y: Interval = serde_yaml_ng::from_str("2026").unwrap();
        assert_eq!(y, Interval::Year(2026));
        let m: Interval = serde_yaml_ng::from_str("2026-01").unwrap();
        assert_eq!(m, Interval::Month(2026, 1));
        let err = serde_yaml_ng::from_str::<Interval>("2026-13").unwrap_err();
        assert!(err.to_string().contains("is not a year (2026)"), "{err}");
        assert!(serde_yaml_ng::from_str::<Interval>("-5").is_err());
        // Neither text nor a number: the error names the forms `covers:` takes.
        let err = serde_yaml_ng::from_str::<Interval>("[2026]").unwrap_err();
        assert!(err.to_string().contains(COVERS_FORMS), "{err}");
        assert_eq!(
            serde_json::to_string(&Interval::Week(2026, 5)).unwrap(),
            "\"2026-W05\""
        );
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let mut cal = CalendarSettings::default();
        assert!(cal.is_working_day(d("2026-01-02")), "a Friday");
        assert!(!cal.is_working_day(d("2026-01-03")), "a Saturday");
        assert_eq!(
            cal.working_days_between(d("2026-01-01"), d("2026-01-31")),
            22
        );
        cal.holidays.insert(d("2026-01-01"));
        assert!(!cal.is_working_day(d("2026-01-01")));
        assert_eq!(
            cal.working_days_between(d("2026-01-01"), d("2026-01-31")),
            21
        );
        assert_eq!(
            cal.working_days_between(d("2026-01-02"), d("2026-01-01")),
            0
        );
        let cal: CalendarSettings =
            serde_yaml_ng::from_str("working_days: [Mon, tuesday, sat]\nholidays: [2026-01-06]")
                .unwrap();
        assert_eq!(cal.working_days, [Weekday::Mon, Weekday::Tue, Weekday::Sat]);
        assert!(cal.is_working_day(d("2026-01-03")));
        assert!(!cal.is_working_day(d("2026-01-06")));
        assert!(!cal.is_working_day(d("2026-01-07")));
    }
}
