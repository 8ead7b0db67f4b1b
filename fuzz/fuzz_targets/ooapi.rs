//! Reading OOAPI list pages, programs and courses never panics; what is kept is valid.
#![no_main]
use koers_domain::curriculum::ooapi::{course, page, period_of, program};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(p) = page(&v) {
        for item in &p.items {
            if let Ok(pr) = program(item) {
                assert!(!pr.code.is_empty() && pr.code.len() <= 20);
            }
            if let Ok(c) = course(item) {
                assert!(!c.title.is_empty() && (0..=10_000).contains(&c.study_hours));
            }
            if let Some(s) = item["startDate"].as_str() {
                assert!(period_of(s).is_none_or(|n| (1..=4).contains(&n)));
            }
        }
    }
});
