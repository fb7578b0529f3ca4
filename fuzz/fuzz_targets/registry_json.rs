//! Registry JSON: loading never panics; an accepted registry round-trips through JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(v) = govshare_vectors::props::registry_json(text)
    {
        panic!("property broken: {v}");
    }
});
