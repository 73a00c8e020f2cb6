//! Dates as exports write them: RFC 3339 timestamps (GitHub, AWS) and site- or tool-specific
//! `strftime` formats (Jira's `12/Jan/26 3:04 PM`, a CSV's `2026-01-12`).

use std::fmt::Write;

use chrono::format::{parse, Item, Parsed, StrftimeItems};
use chrono::{DateTime, NaiveDateTime, NaiveTime};

/// A `strftime` format, checked and compiled once for a whole export.
#[derive(Debug, Clone)]
pub(crate) struct DateFormat {
    text: String,
    items: Vec<Item<'static>>,
}

impl DateFormat {
    /// Compiles `format`, refusing one that is not valid `strftime` or does not hold a whole
    /// calendar date (it must write a date that reads back the same).
    pub(crate) fn new(format: &str) -> Result<DateFormat, String> {
        let items = StrftimeItems::new(format).parse_to_owned().map_err(|_| {
            format!(
                "`{format}` is not a valid strftime format (e.g. `%Y-%m-%d` or `%d/%b/%y %I:%M %p`)"
            )
        })?;
        let compiled = DateFormat {
            text: format.to_string(),
            items,
        };
        let sample =
            DateTime::parse_from_rfc3339("2026-11-28T15:04:05+00:00").expect("a real date");
        let mut text = String::new();
        let reads_back = write!(text, "{}", sample.format_with_items(compiled.items.iter()))
            .is_ok()
            && compiled.parse(&text).map(|t| t.date()) == Some(sample.date_naive());
        if reads_back {
            Ok(compiled)
        } else {
            Err(format!(
                "the format `{format}` does not hold a whole date (it needs a year, a month and a day)"
            ))
        }
    }

    /// The format as written.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// Reads `text`: a date and time, or a date alone (at midnight); a time written with an
    /// offset is kept as written (its local time).
    pub(crate) fn parse(&self, text: &str) -> Option<NaiveDateTime> {
        let mut parsed = Parsed::new();
        parse(&mut parsed, text.trim(), self.items.iter()).ok()?;
        parsed.to_naive_datetime_with_offset(0).ok().or_else(|| {
            parsed
                .to_naive_date()
                .ok()
                .map(|d| d.and_time(NaiveTime::MIN))
        })
    }
}

/// Checks that `format` is a `strftime` format that writes and reads back a calendar date.
pub(crate) fn check_format(format: &str) -> Result<(), String> {
    DateFormat::new(format).map(|_| ())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn parse_with(text: &str, format: &str) -> Option<NaiveDateTime> {
        DateFormat::new(format).unwrap().parse(text)
    }

    #[test]
    fn jira_site_dates_read_with_one_digit_hours() {
        let jira = "%d/%b/%y %I:%M %p";
        assert_eq!(
            parse_with("12/Jan/26 3:04 PM", jira),
            Some(at(2026, 1, 12, 15, 4))
        );
        assert_eq!(
            parse_with("02/Feb/26 11:59 AM", jira),
            Some(at(2026, 2, 2, 11, 59))
        );
        assert_eq!(
            parse_with(" 12/Jan/26 12:00 AM ", jira),
            Some(at(2026, 1, 12, 0, 0))
        );
        assert_eq!(parse_with("31/Feb/26 3:04 PM", jira), None);
        assert_eq!(parse_with("2026-01-12", jira), None);
        assert_eq!(parse_with("12/Jan/26 3:04 PM trailing", jira), None);
    }

    #[test]
    fn dates_alone_and_offsets() {
        assert_eq!(
            parse_with("2026-03-28", "%Y-%m-%d"),
            Some(at(2026, 3, 28, 0, 0))
        );
        assert_eq!(
            parse_with("2026-03-28T23:30:00+02:00", "%Y-%m-%dT%H:%M:%S%z"),
            Some(at(2026, 3, 28, 23, 30))
        );
        assert_eq!(
            parse_with("28.03.2026", "%d.%m.%Y"),
            Some(at(2026, 3, 28, 0, 0))
        );
    }

    #[test]
    fn formats_must_be_valid_and_hold_a_date() {
        assert!(check_format("%Y-%m-%d").is_ok());
        assert!(check_format("%d/%b/%y %I:%M %p").is_ok());
        assert!(check_format("%Y-%m-%dT%H:%M:%S%z").is_ok());
        assert!(check_format("%Q")
            .unwrap_err()
            .contains("not a valid strftime"));
        assert!(check_format("%H:%M").unwrap_err().contains("whole date"));
        assert!(check_format("%Y-%m").unwrap_err().contains("whole date"));
    }
}
