//! Request JSON: parsing never panics; an accepted request round-trips through
//! JSON; its decision over the sample registry keeps every SPEC §2 property.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Err(v) = govshare_vectors::props::request_json(text)
    {
        panic!("property broken: {v}");
    }
});
