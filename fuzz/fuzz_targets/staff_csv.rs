//! The staff CSV import never panics; errors name lines within the file, rows are valid.
#![no_main]
use koers_domain::staff::import::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The CSV reader ends a line at `\n`, `\r` or both.
    let lines = data.iter().filter(|b| matches!(b, b'\n' | b'\r')).count() as u64 + 2;
    match parse(data) {
        Ok(rows) => assert!(rows.iter().all(|r| !r.name.is_empty() && r.email.contains('@'))),
        Err(errors) => {
            assert!(!errors.is_empty());
            assert!(errors.iter().all(|e| e.line >= 1 && e.line <= lines));
        }
    }
});
