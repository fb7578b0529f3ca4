//! Placeholder: the issue that builds this module writes the criterion benchmark.
fn main() {}
