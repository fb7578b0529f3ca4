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
use napi::bindgen_prelude::{Env, FromNapiValue, TypeName};
use napi::{JsDate, JsValue, Unknown, ValueType, sys};

use crate::error::{self, INVALID_DATE, JsErr, Result};

/// A date argument as JavaScript passed it: a `Date` (its time value) or a
/// string. Reading it never fails at the napi layer: a value of another kind
/// is kept as an `input.invalid_date` error that the method reports, so that
/// every date error has the same code (TypeScript: `DateInput`).
#[derive(Debug)]
pub struct DateInput(std::result::Result<Given, JsErr>);

#[derive(Debug)]
enum Given {
    Millis(f64),
    Text(String),
}

fn read(v: Unknown<'_>) -> Result<Given> {
    let ty = v.get_type().map_err(|e| error::napi(&e))?;
    match ty {
        ValueType::String => String::from_unknown(v)
            .map(Given::Text)
            .map_err(|e| error::napi(&e)),
        ValueType::Object if v.is_date().unwrap_or(false) => {
            let d = JsDate::from_unknown(v).map_err(|e| error::napi(&e))?;
            d.value_of().map(Given::Millis).map_err(|e| error::napi(&e))
        }
        other => Err(error::error(
            INVALID_DATE,
            format!("expected a Date or a date string, got {other}"),
        )),
    }
}

impl TypeName for DateInput {
    fn type_name() -> &'static str {
        "DateInput"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl FromNapiValue for DateInput {
    #[expect(
        unsafe_code,
        reason = "napi's conversion trait is unsafe; the handle comes from napi"
    )]
    unsafe fn from_napi_value(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Self> {
        // SAFETY: napi passes a live env and value for this argument.
        let v = unsafe { Unknown::from_raw_unchecked(env, value) };
        Ok(Self(read(v)))
    }
}

impl DateInput {
    fn given(&self) -> Result<&Given> {
        self.0.as_ref().map_err(error::copied)
    }
}

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

/// `YYYY-MM-DD` exactly (a fast path: this is the common input).
fn parse_date(s: &str) -> Option<NaiveDate> {
    let b: &[u8; 10] = s.as_bytes().try_into().ok()?;
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *b else {
        return None;
    };
    let num = |ds: &[u8]| -> Option<u32> {
        ds.iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(&[y0, y1, y2, y3])?).ok()?;
    NaiveDate::from_ymd_opt(year, num(&[m0, m1])?, num(&[d0, d1])?)
}

/// The instant a JavaScript value stands for (a date string: 00:00 China time).
pub fn instant(input: &DateInput) -> Result<DateTime<FixedOffset>> {
    match input.given()? {
        Given::Millis(ms) => from_millis(*ms),
        Given::Text(s) => {
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
pub fn china_day(input: &DateInput) -> Result<NaiveDate> {
    if let Given::Text(s) = input.given()?
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

/// A `Date` inside a wire object (its time value `ms`) as the RFC 3339 string
/// (China time) the wire format expects.
pub fn wire_instant(ms: f64) -> Result<String> {
    from_millis(ms).map(|t| t.to_rfc3339())
}
