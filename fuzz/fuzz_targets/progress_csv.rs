//! The study-progress (BSA) CSV import never panics; accepted values are within bounds.
#![no_main]
use koers_domain::guidance::progress_import::{MAX_CREDITS, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = parse(data) {
        assert!(rows.iter().all(|r| (0..=MAX_CREDITS).contains(&r.credits) && (1..=MAX_CREDITS).contains(&r.norm)));
    }
});
