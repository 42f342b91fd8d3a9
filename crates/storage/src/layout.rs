//! The Streaming API's storage layout: `.../y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json`. A folder fixes a
//! year, month, day or hour; the time it covers decides whether a query's window can need it.

use chrono::NaiveDate;

const HOUR_NANOS: i64 = 3600 * 1_000_000_000;

/// The date parts a path's folders fix, in order (`y=`, then `m=`, `d=`, `h=`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateParts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    hour: Option<u32>,
}

impl DateParts {
    /// The date parts of a path's segments (`tenantId=`, the minute's `m=` after `h=`, and anything
    /// else are not date parts).
    pub fn of_segments<'a>(segments: impl IntoIterator<Item = &'a str>) -> DateParts {
        segments.into_iter().fold(DateParts::default(), |parts, segment| {
            parts.with_segment(segment).unwrap_or(parts)
        })
    }

    /// These parts with one more folder, when it is the next date part (`None` otherwise).
    pub fn with_segment(self, segment: &str) -> Option<DateParts> {
        let (key, value) = segment.split_once('=')?;
        let mut next = self;
        match key {
            "y" if self.year.is_none() => next.year = Some(value.parse().ok()?),
            "m" if self.year.is_some() && self.month.is_none() => next.month = Some(value.parse().ok()?),
            "d" if self.month.is_some() && self.day.is_none() => next.day = Some(value.parse().ok()?),
            "h" if self.day.is_some() && self.hour.is_none() => next.hour = Some(value.parse().ok()?),
            _ => return None,
        }
        next.span().map(|_| next)
    }

    /// Whether no date part is fixed.
    pub fn is_empty(&self) -> bool {
        self.year.is_none()
    }

    /// Whether the hour is fixed (everything below is one hour's files).
    pub fn is_hour(&self) -> bool {
        self.hour.is_some()
    }

    /// The start of the hour, when all four parts are fixed, in ns since the epoch.
    pub fn hour_start(&self) -> Option<i64> {
        self.hour.and(self.span().map(|(start, _)| start))
    }

    /// The time the fixed parts cover, `[start, end)` in ns since the epoch (`None` when nothing is
    /// fixed or the parts are no date).
    pub fn span(&self) -> Option<(i64, i64)> {
        let year = self.year?;
        let nanos = |date: NaiveDate, hour: u32| {
            date.and_hms_opt(hour, 0, 0)
                .and_then(|t| t.and_utc().timestamp_nanos_opt())
        };
        let first_of = |year: i32, month: u32| NaiveDate::from_ymd_opt(year, month, 1);
        match (self.month, self.day, self.hour) {
            (None, ..) => Some((nanos(first_of(year, 1)?, 0)?, nanos(first_of(year + 1, 1)?, 0)?)),
            (Some(month), None, _) => {
                let start = first_of(year, month)?;
                let end = if month == 12 {
                    first_of(year + 1, 1)?
                } else {
                    first_of(year, month + 1)?
                };
                Some((nanos(start, 0)?, nanos(end, 0)?))
            }
            (Some(month), Some(day), hour) => {
                let date = NaiveDate::from_ymd_opt(year, month, day)?;
                match hour {
                    None => {
                        let start = nanos(date, 0)?;
                        Some((start, start + 24 * HOUR_NANOS))
                    }
                    Some(hour) => {
                        let start = nanos(date, hour)?;
                        Some((start, start + HOUR_NANOS))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An RFC 3339 time in ns since the epoch.
    pub(crate) fn nanos(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text)
            .expect("datetime")
            .timestamp_nanos_opt()
            .expect("in range")
    }

    #[test]
    fn folders_fix_year_month_day_and_hour() {
        let path = "insights-logs-advancedhunting-deviceinfo/tenantId=t/y=2024/m=02/d=29/h=23/m=00/PT1H.json";
        let parts = DateParts::of_segments(path.split('/'));
        assert_eq!(parts.hour_start(), Some(nanos("2024-02-29T23:00:00Z")));
        assert_eq!(
            parts.span(),
            Some((nanos("2024-02-29T23:00:00Z"), nanos("2024-03-01T00:00:00Z")))
        );
        let month = DateParts::of_segments(["y=2024", "m=12"]);
        assert_eq!(
            month.span(),
            Some((nanos("2024-12-01T00:00:00Z"), nanos("2025-01-01T00:00:00Z")))
        );
        assert_eq!(month.hour_start(), None);
        assert!(DateParts::of_segments(["tenantId=t", "x=1"]).is_empty());
        // Out of order or impossible parts are not dates.
        assert!(
            DateParts::of_segments(["m=05", "y=2024"])
                .span()
                .is_some_and(|(s, _)| s == nanos("2024-01-01T00:00:00Z"))
        );
        assert_eq!(
            DateParts::of_segments(["y=2023", "m=02", "d=29"]).span(),
            DateParts::of_segments(["y=2023", "m=02"]).span()
        );
    }
}
