//! Mapping an OpenID provider's claims never panics, and what it keeps is bounded and clean.
#![no_main]
use koers_domain::platform::sso::{ClaimMap, default_roles, read_claims};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(serde_json::Value::Object(claims)) = serde_json::from_slice(data) else {
        return;
    };
    if let Ok(p) = read_claims(&claims, &ClaimMap::default()) {
        assert!(!p.subject.is_empty() && p.subject.len() <= 320);
        assert!(!p.institution.is_empty());
        assert!(!p.name.chars().any(char::is_control));
        let _ = default_roles(&p.affiliations);
    }
});
