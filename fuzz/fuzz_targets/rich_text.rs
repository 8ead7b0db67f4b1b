//! Rich text (Markdown people write, rendered and sanitised) never panics, and what reaches a
//! page is safe: only allow-listed tags, no event handlers or style attributes, and links only
//! to http(s), mailto or relative addresses.
#![no_main]
use koers_domain::rich_text::{plain, render};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let html = render(text);
    if let Err(why) = koers_domain::rich_text::check_safe(&html) {
        panic!("unsafe output ({why}) for {text:?}: {html}");
    }
    let _ = plain(text);
});
