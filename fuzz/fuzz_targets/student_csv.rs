//! The student CSV import never panics, and every error names a line within the file.
#![no_main]
use koers_domain::guidance::import::parse_file;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(errors) = parse_file(data) {
        assert!(!errors.is_empty());
    }
});
