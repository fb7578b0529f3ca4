//! Calendar data files (overrides, TOML or JSON): loading never panics; with an
//! accepted file the working-day arithmetic stays consistent at the probes.
#![no_main]

use arbitrary::Arbitrary;
use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    json: bool,
    /// (days after 2004-01-01, working days)
    probes: Vec<(u16, u8)>,
    text: String,
}

fuzz_target!(|input: Input| {
    let Some(base) = NaiveDate::from_ymd_opt(2004, 1, 1) else {
        return;
    };
    let probes: Vec<(NaiveDate, u32)> = input
        .probes
        .iter()
        .take(8)
        .filter_map(|&(d, n)| Some((base.checked_add_days(Days::new(u64::from(d) % 9000))?, u32::from(n))))
        .collect();
    if let Err(v) = govshare::props::calendar_overrides(&input.text, input.json, &probes) {
        panic!("property broken: {v}");
    }
});
