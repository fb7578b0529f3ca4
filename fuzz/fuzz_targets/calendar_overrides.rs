//! Calendar data files (overrides, TOML or JSON): loading never panics; with an
//! accepted file the working-day arithmetic stays consistent at the probes.
//!
//! Input: byte 0 bit 0 = JSON (else TOML); bytes 1..17 = four probes of
//! (u16 little-endian days after 2004-01-01, u8 working days, 1 unused byte);
//! the rest = the file's text.
#![no_main]

use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (Some(&flags), Some(probe_bytes), Some(rest)) =
        (data.first(), data.get(1..17), data.get(17..))
    else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Some(base) = NaiveDate::from_ymd_opt(2004, 1, 1) else {
        return;
    };
    let probes: Vec<(NaiveDate, u32)> = probe_bytes
        .chunks_exact(4)
        .filter_map(|p| {
            let days = u16::from_le_bytes([*p.first()?, *p.get(1)?]);
            let n = u32::from(*p.get(2)?);
            Some((base.checked_add_days(Days::new(u64::from(days) % 9000))?, n))
        })
        .collect();
    if let Err(v) = govshare_vectors::props::calendar_overrides(text, flags & 1 == 1, &probes) {
        panic!("property broken: {v}");
    }
});
