//! The date a pack is evaluated at (`--as-of`): coverage, rotations, reviews and everything
//! overdue are judged on that day, never for the part of the period after it.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use super::model::Period;

/// What `--as-of` asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AsOf {
    /// The period's end (the default: builds stay reproducible).
    #[default]
    PeriodEnd,
    /// The clock's date (`--as-of today`).
    Today,
    /// A date inside the period.
    Date(NaiveDate),
}

impl FromStr for AsOf {
    type Err = String;

    /// `today`, `end` (the period's end) or a date `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<AsOf, String> {
        match s {
            "today" => Ok(AsOf::Today),
            "end" => Ok(AsOf::PeriodEnd),
            _ => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(AsOf::Date)
                .map_err(|_| format!("`{s}` is not a date YYYY-MM-DD, `today` or `end`")),
        }
    }
}

impl fmt::Display for AsOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsOf::PeriodEnd => f.write_str("end"),
            AsOf::Today => f.write_str("today"),
            AsOf::Date(d) => write!(f, "{d}"),
        }
    }
}

impl AsOf {
    /// The evaluation date in `period`, `today` being the clock's date; a date outside the
    /// period is refused.
    pub fn resolve(self, period: Period, today: NaiveDate) -> Result<NaiveDate, String> {
        let date = match self {
            AsOf::PeriodEnd => return Ok(period.end),
            AsOf::Today => today,
            AsOf::Date(d) => d,
        };
        if period.contains(date) {
            Ok(date)
        } else {
            Err(format!(
                "--as-of {date} is outside the period {} to {} of pack.yaml: a pack is evaluated \
                 at a date inside its period",
                period.start, period.end
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::d;

    #[test]
    fn as_of_resolves_inside_the_period_only() {
        let p = Period {
            start: d("2026-01-01"),
            end: d("2026-06-30"),
        };
        let today = d("2026-03-15");
        assert_eq!(AsOf::default().resolve(p, today), Ok(d("2026-06-30")));
        assert_eq!(AsOf::Today.resolve(p, today), Ok(today));
        assert_eq!(
            AsOf::Date(d("2026-01-01")).resolve(p, today),
            Ok(d("2026-01-01"))
        );
        assert_eq!(
            AsOf::Date(d("2026-06-30")).resolve(p, today),
            Ok(d("2026-06-30"))
        );
        let err = AsOf::Date(d("2026-07-01")).resolve(p, today).unwrap_err();
        assert!(err.contains("--as-of 2026-07-01 is outside the period 2026-01-01 to 2026-06-30"));
        assert!(AsOf::Date(d("2025-12-31")).resolve(p, today).is_err());
        assert!(AsOf::Today.resolve(p, d("2027-01-01")).is_err());
        assert_eq!("today".parse(), Ok(AsOf::Today));
        assert_eq!("end".parse(), Ok(AsOf::PeriodEnd));
        assert_eq!("2026-02-03".parse(), Ok(AsOf::Date(d("2026-02-03"))));
        assert!("2026-02-30".parse::<AsOf>().is_err());
        assert_eq!(AsOf::Date(d("2026-02-03")).to_string(), "2026-02-03");
        assert_eq!(AsOf::Today.to_string(), "today");
        assert_eq!(AsOf::PeriodEnd.to_string(), "end");
    }
}
