//! Field and parameter types from other crates, each behind a feature:
//! `uuid::Uuid` (feature `uuid`) and chrono's dates, times and durations
//! (feature `chrono`), parsed with speedate, the parser Pydantic itself uses, so that
//! what is accepted and the error reasons are Pydantic's.
//!
//! Each type gets [`Validate`] (from JSON), [`FastDeserialize`] and
//! [`ParamValue`] (from a path, query, header or cookie string), all through
//! one `parse_*` function per type.

#[cfg(any(feature = "uuid", feature = "chrono"))]
use serde_json::Value;

#[cfg(any(feature = "uuid", feature = "chrono"))]
use super::{Constraints, ErrorKind, FastDeserialize, ParamValue, Validate, ValidateCx};

#[cfg(any(feature = "uuid", feature = "chrono"))]
fn error(kind: &'static str, msg: String, reason: Option<String>) -> ErrorKind {
    ErrorKind::Other {
        kind: kind.into(),
        msg: msg.into(),
        ctx: reason.map(|r| serde_json::json!({"error": r})),
    }
}

/// Implements the three traits for `$t` from `$parse: fn(&Value) -> Result<$t, ErrorKind>`.
#[cfg(any(feature = "uuid", feature = "chrono"))]
macro_rules! parsed_type {
    ($t:ty, $parse:expr) => {
        impl Validate for $t {
            fn validate(value: &Value, _: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
                $parse(value).map_err(|kind| cx.error(kind, value)).ok()
            }
        }
        parsed_type!(@read $t, $parse);
    };
    ($t:ty, $parse:expr, $write:expr) => {
        impl Validate for $t {
            fn validate(value: &Value, _: &Constraints, cx: &mut ValidateCx<'_>) -> Option<Self> {
                $parse(value).map_err(|kind| cx.error(kind, value)).ok()
            }
            fn write<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&$write(self))
            }
        }
        parsed_type!(@read $t, $parse);
    };
    (@read $t:ty, $parse:expr) => {
        impl FastDeserialize for $t {
            fn deserialize_fast<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let value: Value = serde::Deserialize::deserialize(d)?;
                $parse(&value).map_err(|_| serde::de::Error::custom("invalid"))
            }
        }
        impl ParamValue for $t {
            fn parse_param(raw: &str, _: &Constraints) -> Result<Self, ErrorKind> {
                $parse(&Value::String(raw.to_owned()))
            }
        }
    };
}

#[cfg(feature = "uuid")]
mod uuid_type {
    use super::*;

    fn parse_uuid(value: &Value) -> Result<uuid::Uuid, ErrorKind> {
        let Value::String(text) = value else {
            return Err(error(
                "uuid_type",
                "UUID input should be a string, bytes or UUID object".into(),
                None,
            ));
        };
        uuid::Uuid::parse_str(text).map_err(|e| {
            error(
                "uuid_parsing",
                format!("Input should be a valid UUID, {e}"),
                Some(e.to_string()),
            )
        })
    }

    parsed_type!(uuid::Uuid, parse_uuid);
}

#[cfg(feature = "chrono")]
mod chrono_types {
    use super::*;
    use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};

    fn reason(e: &speedate::ParseError) -> String {
        use strum::EnumMessage;
        e.get_documentation()
            .map_or_else(|| e.to_string(), str::to_owned)
    }

    /// Pydantic's time settings: digits past the microsecond are dropped
    /// (`microseconds_precision="truncate"`), not refused.
    fn time_config() -> speedate::TimeConfig {
        speedate::TimeConfig {
            microseconds_precision_overflow_behavior:
                speedate::MicrosecondsPrecisionOverflowBehavior::Truncate,
            unix_timestamp_offset: None,
        }
    }

    fn datetime_config() -> speedate::DateTimeConfig {
        speedate::DateTimeConfig {
            time_config: time_config(),
            ..Default::default()
        }
    }

    fn naive_date(d: &speedate::Date) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
    }

    fn naive_time(t: &speedate::Time) -> Option<NaiveTime> {
        NaiveTime::from_hms_micro_opt(
            t.hour.into(),
            t.minute.into(),
            t.second.into(),
            t.microsecond,
        )
    }

    /// A datetime from a string (a datetime, or a date at midnight) or a Unix
    /// timestamp, as Pydantic reads it; `None` offset for a naive one.
    fn speedate_datetime(value: &Value) -> Result<speedate::DateTime, ErrorKind> {
        let failed = |e: speedate::ParseError| {
            let r = reason(&e);
            error(
                "datetime_from_date_parsing",
                format!("Input should be a valid datetime or date, {r}"),
                Some(r),
            )
        };
        match value {
            Value::String(text) => {
                speedate::DateTime::parse_str_with_config(text, &datetime_config()).or_else(|e| {
                    speedate::Date::parse_str(text)
                        .map(|date| speedate::DateTime {
                            date,
                            time: speedate::Time {
                                hour: 0,
                                minute: 0,
                                second: 0,
                                microsecond: 0,
                                tz_offset: None,
                            },
                        })
                        .map_err(|_| failed(e))
                })
            }
            Value::Number(n) => {
                let seconds = n.as_f64().unwrap_or(f64::NAN);
                if !seconds.is_finite() {
                    return Err(error(
                        "datetime_type",
                        "Input should be a valid datetime".into(),
                        None,
                    ));
                }
                let whole = seconds.floor();
                let micros = ((seconds - whole) * 1e6).round() as u32;
                speedate::DateTime::from_timestamp(whole as i64, micros).map_err(failed)
            }
            _ => Err(error(
                "datetime_type",
                "Input should be a valid datetime".into(),
                None,
            )),
        }
    }

    fn out_of_range() -> ErrorKind {
        error(
            "datetime_parsing",
            "Input should be a valid datetime, date is out of range".into(),
            None,
        )
    }

    fn parse_naive_datetime(value: &Value) -> Result<NaiveDateTime, ErrorKind> {
        let dt = speedate_datetime(value)?;
        let date = naive_date(&dt.date).ok_or_else(out_of_range)?;
        let time = naive_time(&dt.time).ok_or_else(out_of_range)?;
        Ok(NaiveDateTime::new(date, time))
    }

    fn parse_datetime_offset(value: &Value) -> Result<DateTime<FixedOffset>, ErrorKind> {
        let dt = speedate_datetime(value)?;
        let naive = NaiveDateTime::new(
            naive_date(&dt.date).ok_or_else(out_of_range)?,
            naive_time(&dt.time).ok_or_else(out_of_range)?,
        );
        // A naive datetime is taken as UTC, as a timestamp is.
        let offset =
            FixedOffset::east_opt(dt.time.tz_offset.unwrap_or(0)).ok_or_else(out_of_range)?;
        naive
            .and_local_timezone(offset)
            .single()
            .ok_or_else(out_of_range)
    }

    fn parse_datetime_utc(value: &Value) -> Result<DateTime<Utc>, ErrorKind> {
        parse_datetime_offset(value).map(|dt| dt.with_timezone(&Utc))
    }

    fn parse_date(value: &Value) -> Result<NaiveDate, ErrorKind> {
        let failed = |e: speedate::ParseError| {
            let r = reason(&e);
            error(
                "date_from_datetime_parsing",
                format!("Input should be a valid date or datetime, {r}"),
                Some(r),
            )
        };
        let date = match value {
            Value::String(text) => speedate::Date::parse_str(text).or_else(|e| {
                let dt = speedate::DateTime::parse_str_with_config(text, &datetime_config())
                    .map_err(|_| failed(e))?;
                let t = &dt.time;
                if (t.hour, t.minute, t.second, t.microsecond) != (0, 0, 0, 0) {
                    return Err(error(
                        "date_from_datetime_inexact",
                        "Datetimes provided to dates should have zero time - e.g. be exact dates"
                            .into(),
                        None,
                    ));
                }
                Ok(dt.date)
            })?,
            Value::Number(n) => {
                let inexact = || {
                    error(
                        "date_from_datetime_inexact",
                        "Datetimes provided to dates should have zero time - e.g. be exact dates"
                            .into(),
                        None,
                    )
                };
                let seconds = n.as_i64().ok_or_else(inexact)?;
                speedate::Date::from_timestamp(seconds, true, &Default::default())
                    .map_err(|_| inexact())?
            }
            _ => {
                return Err(error(
                    "date_type",
                    "Input should be a valid date".into(),
                    None,
                ))
            }
        };
        naive_date(&date).ok_or_else(out_of_range)
    }

    fn parse_time(value: &Value) -> Result<NaiveTime, ErrorKind> {
        let Value::String(text) = value else {
            return Err(error(
                "time_type",
                "Input should be a valid time".into(),
                None,
            ));
        };
        let t = speedate::Time::parse_bytes_with_config(text.as_bytes(), &time_config()).map_err(
            |e| {
                let r = reason(&e);
                error(
                    "time_parsing",
                    format!("Input should be in a valid time format, {r}"),
                    Some(r),
                )
            },
        )?;
        naive_time(&t).ok_or_else(out_of_range)
    }

    /// A time as Pydantic writes it: `HH:MM:SS`, then `.ffffff` when there
    /// are microseconds (always six digits).
    fn write_time(t: &NaiveTime, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::Timelike;
        write!(f, "{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())?;
        let micros = (t.nanosecond() % 1_000_000_000) / 1000;
        if micros != 0 {
            write!(f, ".{micros:06}")?;
        }
        Ok(())
    }

    /// Pydantic's datetime text: the date, `T`, the time, then `Z` for UTC
    /// or `±HH:MM` (`:SS` when the offset has seconds); nothing when naive.
    struct Pydantic(NaiveDateTime, Option<i32>);

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]` for a year of four digits, written
    /// digit by digit (chrono's `format` parses its pattern on every call,
    /// a cost a list of items pays per item); `None` for other years.
    fn four_digit_year_text(dt: &NaiveDateTime, buf: &mut [u8; 26]) -> Option<usize> {
        use chrono::{Datelike, Timelike};
        let year = u32::try_from(dt.year()).ok().filter(|y| *y <= 9999)?;
        let mut put = |at: usize, value: u32, digits: usize| {
            let mut value = value;
            for i in (0..digits).rev() {
                buf[at + i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, year, 4);
        put(5, dt.month(), 2);
        put(8, dt.day(), 2);
        put(11, dt.hour(), 2);
        put(14, dt.minute(), 2);
        put(17, dt.second(), 2);
        let micros = (dt.nanosecond() % 1_000_000_000) / 1000;
        put(20, micros, 6);
        for (at, separator) in [
            (4, b'-'),
            (7, b'-'),
            (10, b'T'),
            (13, b':'),
            (16, b':'),
            (19, b'.'),
        ] {
            buf[at] = separator;
        }
        Some(if micros == 0 { 19 } else { 26 })
    }

    impl std::fmt::Display for Pydantic {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let mut buf = [0u8; 26];
            match four_digit_year_text(&self.0, &mut buf) {
                Some(len) => {
                    f.write_str(std::str::from_utf8(&buf[..len]).map_err(|_| std::fmt::Error)?)?
                }
                None => {
                    write!(f, "{}T", self.0.date().format("%Y-%m-%d"))?;
                    write_time(&self.0.time(), f)?;
                }
            }
            match self.1 {
                None => Ok(()),
                Some(0) => f.write_str("Z"),
                Some(offset) => {
                    let sign = if offset < 0 { '-' } else { '+' };
                    let total = offset.unsigned_abs();
                    write!(f, "{sign}{:02}:{:02}", total / 3600, total / 60 % 60)?;
                    if total % 60 != 0 {
                        write!(f, ":{:02}", total % 60)?;
                    }
                    Ok(())
                }
            }
        }
    }

    struct PydanticTime<'a>(&'a NaiveTime);

    impl std::fmt::Display for PydanticTime<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write_time(self.0, f)
        }
    }

    fn naive_text(dt: &NaiveDateTime) -> Pydantic {
        Pydantic(*dt, None)
    }

    fn offset_text(dt: &DateTime<FixedOffset>) -> Pydantic {
        Pydantic(dt.naive_local(), Some(dt.offset().local_minus_utc()))
    }

    fn utc_text(dt: &DateTime<Utc>) -> Pydantic {
        Pydantic(dt.naive_utc(), Some(0))
    }

    fn time_delta_parsing(e: &speedate::ParseError) -> ErrorKind {
        let r = reason(e);
        error(
            "time_delta_parsing",
            format!("Input should be a valid timedelta, {r}"),
            Some(r),
        )
    }

    /// A whole number of seconds, as Pydantic reads an integer.
    fn seconds_duration(seconds: i64) -> Result<speedate::Duration, speedate::ParseError> {
        let total = seconds.unsigned_abs();
        let day = u32::try_from(total / 86400).unwrap_or(u32::MAX);
        speedate::Duration::new(seconds >= 0, day, (total % 86400) as u32, 0)
    }

    /// A number of seconds with a fraction, as Pydantic reads a float: the
    /// fraction rounded to the microsecond.
    fn float_duration(seconds: f64) -> Result<speedate::Duration, speedate::ParseError> {
        let total = seconds.abs();
        // `as` saturates: a number past the range is refused by `new`.
        let day = (total / 86400.0) as u32;
        let second = (total as u64 % 86400) as u32;
        let microsecond = (total.fract() * 1_000_000.0).round() as u32;
        speedate::Duration::new(seconds >= 0.0, day, second, microsecond)
    }

    /// Python's `timedelta` as Pydantic reads it: ISO 8601 (`P1DT2H`) or
    /// `[-][D day[s], ]HH:MM:SS[.ffffff]` text, or a number of seconds.
    fn parse_timedelta(value: &Value) -> Result<TimeDelta, ErrorKind> {
        let duration = match value {
            Value::String(text) => {
                speedate::Duration::parse_bytes_with_config(text.as_bytes(), &time_config())
            }
            Value::Number(n) => match n.as_i64() {
                Some(seconds) => seconds_duration(seconds),
                None => float_duration(n.as_f64().unwrap_or(f64::INFINITY)),
            },
            Value::Bool(b) => seconds_duration(i64::from(*b)),
            _ => {
                return Err(error(
                    "time_delta_type",
                    "Input should be a valid timedelta".into(),
                    None,
                ))
            }
        }
        .map_err(|e| time_delta_parsing(&e))?;
        let magnitude = TimeDelta::try_days(duration.day.into())
            .and_then(|days| days.checked_add(&TimeDelta::try_seconds(duration.second.into())?))
            .and_then(|d| d.checked_add(&TimeDelta::microseconds(duration.microsecond.into())))
            .ok_or_else(out_of_range)?;
        Ok(if duration.positive {
            magnitude
        } else {
            -magnitude
        })
    }

    /// A duration as Pydantic writes a `timedelta`: ISO 8601 with days
    /// (and years of 365 days), `T`, hours, minutes and seconds with their
    /// microseconds, `-` in front of a negative one (`-P1DT1S`).
    struct PydanticDuration<'a>(&'a TimeDelta);

    impl std::fmt::Display for PydanticDuration<'_> {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let magnitude = self.0.abs();
            let seconds = magnitude.num_seconds();
            // Past Python's 999,999,999 days there is no text to write.
            let day = u32::try_from(seconds / 86400).map_err(|_| std::fmt::Error)?;
            let microsecond = (magnitude.subsec_nanos() / 1000) as u32;
            let duration = speedate::Duration::new(
                *self.0 >= TimeDelta::zero(),
                day,
                (seconds % 86400) as u32,
                microsecond,
            )
            .map_err(|_| std::fmt::Error)?;
            write!(f, "{duration}")
        }
    }

    parsed_type!(NaiveDateTime, parse_naive_datetime, naive_text);
    parsed_type!(DateTime<FixedOffset>, parse_datetime_offset, offset_text);
    parsed_type!(DateTime<Utc>, parse_datetime_utc, utc_text);
    parsed_type!(NaiveDate, parse_date);
    parsed_type!(NaiveTime, parse_time, PydanticTime);
    parsed_type!(TimeDelta, parse_timedelta, PydanticDuration);

    #[cfg(test)]
    mod tests {
        use super::*;

        /// What the digit-by-digit text must equal: the date as chrono
        /// formats it, then the time as `PydanticTime` writes it (a leap
        /// second as `:59` and its fraction, as before).
        fn by_chrono(dt: &NaiveDateTime) -> String {
            format!(
                "{}T{}",
                dt.date().format("%Y-%m-%d"),
                PydanticTime(&dt.time())
            )
        }

        #[test]
        fn a_datetime_is_written_as_chrono_formats_it_for_every_year() {
            let mut seconds = -62_167_219_200_i64; // 0000-01-01T00:00:00
            let mut checked = 0;
            while seconds < 253_402_300_800 {
                // 10000-01-01T00:00:00
                for nanos in [0, 1_000, 123_456_000, 999_999_999, 1_500_000_000] {
                    let Some(dt) = DateTime::from_timestamp(seconds, nanos) else {
                        continue;
                    };
                    let dt = dt.naive_utc();
                    assert_eq!(Pydantic(dt, None).to_string(), by_chrono(&dt));
                    checked += 1;
                }
                seconds += 79_199_999; // about 2.5 years, odd seconds
            }
            assert!(checked > 100);
            let far = NaiveDate::from_ymd_opt(12_345, 6, 7)
                .and_then(|d| d.and_hms_micro_opt(8, 9, 10, 11))
                .expect("a date");
            assert_eq!(
                Pydantic(far, Some(0)).to_string(),
                "+12345-06-07T08:09:10.000011Z"
            );
            let utc = DateTime::from_timestamp(1_700_000_000, 500_000_000).expect("a time");
            assert_eq!(utc_text(&utc).to_string(), "2023-11-14T22:13:20.500000Z");
        }
    }
}
