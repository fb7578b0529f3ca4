//! How JavaScript dates map to China calendar dates and back.
//!
//! - A `Date` passed in is an instant; its calendar date is the **China date
//!   (UTC+08:00) of that instant**, whatever the machine's time zone. For
//!   example `new Date('2019-09-27')` (00:00 UTC) is 08:00 in China, so
//!   2019-09-27; `new Date('2019-09-27T20:00:00Z')` is 04:00 on 2019-09-28 in
//!   China, so 2019-09-28.
//! - A string is accepted too: `YYYY-MM-DD` is that calendar date (00:00 China
//!   time when an instant is needed); an RFC 3339 string with an offset is an
//!   instant like a `Date`.
//! - A calendar date returned is a `Date` at **00:00 UTC** of that date (what
//!   `new Date('YYYY-MM-DD')` gives), so `d.toISOString().slice(0, 10)` is the
//!   date and its China date is the same date. An instant returned (a deadline)
//!   is the real instant.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use govshare::calendar::{CHINA_OFFSET, china_date};
use napi::bindgen_prelude::FromNapiValue;
use napi::bindgen_prelude::{Either, Env};
use napi::{JsDate, JsValue};

use crate::error::{self, INVALID_DATE, Result};

/// A `Date` or a date string, as JavaScript passes it.
pub type DateInput<'a> = Either<JsDate<'a>, String>;

fn from_millis(ms: f64) -> Result<DateTime<FixedOffset>> {
    if !ms.is_finite() {
        return Err(error::error(
            INVALID_DATE,
            "invalid `Date` (its time is NaN)",
        ));
    }
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a finite JS time value is within ±8.64e15 ms, well inside i64"
    )]
    let ms = ms as i64;
    DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&CHINA_OFFSET))
        .ok_or_else(|| error::error(INVALID_DATE, format!("`Date` {ms} ms is out of range")))
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// The instant a JavaScript value stands for (a date string: 00:00 China time).
pub fn instant(input: &DateInput<'_>) -> Result<DateTime<FixedOffset>> {
    match input {
        Either::A(date) => from_millis(date.value_of().map_err(|e| error::napi(&e))?),
        Either::B(s) => {
            if let Some(d) = parse_date(s) {
                return d
                    .and_time(NaiveTime::MIN)
                    .and_local_timezone(CHINA_OFFSET)
                    .single()
                    .ok_or_else(|| error::error(INVALID_DATE, format!("date `{s}` out of range")));
            }
            DateTime::parse_from_rfc3339(s).map_err(|e| {
                error::error(
                    INVALID_DATE,
                    format!("`{s}` is neither YYYY-MM-DD nor an RFC 3339 time with offset: {e}"),
                )
            })
        }
    }
}

/// The China calendar date a JavaScript value stands for.
pub fn china_day(input: &DateInput<'_>) -> Result<NaiveDate> {
    if let Either::B(s) = input
        && let Some(d) = parse_date(s)
    {
        return Ok(d);
    }
    instant(input).map(china_date)
}

/// A calendar date as a JavaScript `Date` at 00:00 UTC of that date.
pub fn date_to_js<'e>(env: &'e Env, d: NaiveDate) -> Result<JsDate<'e>> {
    let ms = d.and_time(NaiveTime::MIN).and_utc().timestamp_millis();
    millis_to_js(env, ms)
}

/// An instant as a JavaScript `Date`.
pub fn instant_to_js<'e>(env: &'e Env, t: DateTime<FixedOffset>) -> Result<JsDate<'e>> {
    millis_to_js(env, t.timestamp_millis())
}

fn millis_to_js(env: &Env, ms: i64) -> Result<JsDate<'_>> {
    #[expect(
        clippy::cast_precision_loss,
        reason = "calendar dates are within ±2^53 ms"
    )]
    let ms = ms as f64;
    env.create_date(ms).map_err(|e| error::napi(&e))
}

/// A `Date` inside a wire object as the RFC 3339 string (China time) the wire
/// format expects; `None` when the value is not a `Date`.
pub fn wire_date(v: napi::Unknown<'_>) -> Result<Option<String>> {
    if !v.is_date().map_err(|e| error::napi(&e))? {
        return Ok(None);
    }
    let d = JsDate::from_unknown(v).map_err(|e| error::napi(&e))?;
    Ok(Some(
        from_millis(d.value_of().map_err(|e| error::napi(&e))?)?.to_rfc3339(),
    ))
}
