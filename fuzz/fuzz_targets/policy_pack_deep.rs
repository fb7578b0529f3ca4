//! Deeply nested policy packs: a policy file or the schema built from layers of
//! brackets, `if`s and operator chains (`arbitrary`); loading never panics nor
//! overflows the stack, and the pack limits (`MAX_PACK_NESTING`,
//! `MAX_PACK_FILE_BYTES`) refuse exactly what they should.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Even: a policy file; odd: the schema.
    which: u8,
    /// Outermost first: (kind, repeat count).
    layers: Vec<(u8, u16)>,
}

fuzz_target!(|input: Input| {
    if let Err(v) = govshare_vectors::props::policy_pack_nesting(input.which, &input.layers) {
        panic!("property broken: {v}");
    }
});
