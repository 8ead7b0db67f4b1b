//! Framework documents never panic the reader, and what it accepts survives an export and
//! a second read unchanged.
#![no_main]
use koers_domain::curriculum::framework::{parse, to_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(f) = parse(text)
    {
        let again = parse(&to_json(&f).to_string()).expect("an export reads back");
        assert_eq!(again, f);
    }
});
