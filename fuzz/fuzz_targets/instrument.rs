//! HRM-scan instrument documents never panic the reader, and scoring any accepted
//! instrument with arbitrary answers gives scores within 0–100.
#![no_main]
use koers_domain::staff::scan::{Group, Response, parse, results};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(i) = parse(text)
    {
        let responses: Vec<Response> = (0..6u8)
            .map(|n| Response {
                group: Group::ALL[usize::from(n) % 3],
                answers: i.items.iter().map(|it| (it.key.clone(), Some(1 + (n % 5)))).collect(),
                comments: Default::default(),
            })
            .collect();
        for r in results(&i, &responses) {
            assert!(r.all.score.is_none_or(|s| (0.0..=100.0).contains(&s)));
        }
    }
});
