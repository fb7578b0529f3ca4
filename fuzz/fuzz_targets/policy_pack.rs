//! Policy packs from text: a policy file, the manifest or the schema replaced by
//! fuzzed text; loading never panics; a loaded pack's decisions cite articles.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(rest)
        && let Err(v) = govshare_vectors::props::policy_pack_text(which, text)
    {
        panic!("property broken: {v}");
    }
});
