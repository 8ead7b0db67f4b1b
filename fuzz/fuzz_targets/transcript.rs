//! Transcripts (both formats) never panic, and a parsed transcript can always be analysed
//! with any of its speakers as the counsellor, with word shares that add up.
#![no_main]
use koers_domain::curriculum::transcript::{Format, analyse, parse, speakers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [Format::Webvtt, Format::Text] {
        if let Ok(turns) = parse(data, format) {
            for s in speakers(&turns).iter().take(3) {
                let a = analyse(&turns, s);
                let total: f64 = a.speakers.iter().map(|x| x.share).sum();
                assert!(a.speakers.iter().all(|x| x.words == 0) || (total - 1.0).abs() < 1e-6);
                assert!(a.marks.iter().all(|m| m.utterance < turns.len()));
            }
        }
    }
});
