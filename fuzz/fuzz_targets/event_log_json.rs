//! Event logs as JSON lines: parsing never panics; the parsed events go through
//! the workflow and the audit with every `props::event_log` property.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(v) = govshare_vectors::props::event_log_json(text)
    {
        panic!("property broken: {v}");
    }
});
