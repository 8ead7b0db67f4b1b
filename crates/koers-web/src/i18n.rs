//! Translations with Fluent: `locales/{nl,en}/main.ftl`, Dutch first. The locale is chosen per
//! request: the user's setting, else the `koers_lang` cookie, else `Accept-Language`, else nl.

use fluent_templates::Loader;
use fluent_templates::fluent_bundle::FluentValue;
use std::borrow::Cow;
use std::collections::HashMap;
use unic_langid::{LanguageIdentifier, langid};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "nl",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    Nl,
    En,
}

static NL: LanguageIdentifier = langid!("nl");
static EN: LanguageIdentifier = langid!("en");

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Nl, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Locale::Nl => "nl",
            Locale::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Locale> {
        match s.trim().to_ascii_lowercase().get(..2) {
            Some("nl") => Some(Locale::Nl),
            Some("en") => Some(Locale::En),
            _ => None,
        }
    }

    /// The best supported locale in an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            if let Some(l) = Locale::parse(tag)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, l));
            }
        }
        best.map(|(_, l)| l)
    }

    fn langid(self) -> &'static LanguageIdentifier {
        match self {
            Locale::Nl => &NL,
            Locale::En => &EN,
        }
    }
}

/// A translator for one locale, passed into every template.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr(pub Locale);

impl Tr {
    pub fn locale(&self) -> Locale {
        self.0
    }

    pub fn lang(&self) -> &'static str {
        self.0.code()
    }

    /// The text for `key`; the key itself if it is missing (a test guards against that).
    /// Texts without arguments are formatted once per locale and then served from memory
    /// (pages with long lists look up the same few labels hundreds of times).
    pub fn t(&self, key: &str) -> String {
        static MEMO: std::sync::OnceLock<[std::sync::RwLock<HashMap<String, String>>; 2]> =
            std::sync::OnceLock::new();
        let memo = &MEMO.get_or_init(Default::default)[self.0 as usize];
        if let Some(v) = memo.read().ok().and_then(|m| m.get(key).cloned()) {
            return v;
        }
        let v = LOCALES
            .try_lookup(self.0.langid(), key)
            .unwrap_or_else(|| key.to_owned());
        if let Ok(mut m) = memo.write()
            && m.len() < 10_000
        {
            m.insert(key.to_owned(), v.clone());
        }
        v
    }

    /// The text for `key` with one named argument.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        args.insert(
            Cow::Owned(name.to_owned()),
            FluentValue::from(value.to_string()),
        );
        LOCALES
            .try_lookup_with_args(self.0.langid(), key, &args)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The text for `key` with several text arguments.
    pub fn ts(&self, key: &str, args_in: &[(&str, &str)]) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        for (name, v) in args_in {
            args.insert(
                Cow::Owned((*name).to_owned()),
                FluentValue::from(v.to_string()),
            );
        }
        LOCALES
            .try_lookup_with_args(self.0.langid(), key, &args)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The text for `key` with several numeric arguments (plural rules apply).
    pub fn tns(&self, key: &str, args_in: &[(&str, i64)]) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        for (name, n) in args_in {
            args.insert(Cow::Owned((*name).to_owned()), FluentValue::from(*n));
        }
        LOCALES
            .try_lookup_with_args(self.0.langid(), key, &args)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The text for `key` with a numeric argument (plural rules apply).
    pub fn tn(&self, key: &str, name: &str, n: impl std::borrow::Borrow<i64>) -> String {
        let n = *n.borrow();
        let mut args: HashMap<Cow<'static, str>, FluentValue<'_>> = HashMap::new();
        args.insert(Cow::Owned(name.to_owned()), FluentValue::from(n));
        LOCALES
            .try_lookup_with_args(self.0.langid(), key, &args)
            .unwrap_or_else(|| key.to_owned())
    }

    /// The name of a role in this locale.
    pub fn role(&self, role: &koers_domain::Role) -> String {
        self.t(&format!("role-{}", role.key().replace('_', "-")))
    }

    /// The text for `<prefix>-<key>`, e.g. `tk("phase", "intake")`.
    pub fn tk(&self, prefix: &str, key: &str) -> String {
        self.t(&format!("{prefix}-{key}"))
    }

    /// A date and time from epoch milliseconds, in Dutch time (Europe/Amsterdam).
    pub fn datetime(&self, ms: &i64) -> String {
        let z = koers_domain::time::local(*ms);
        match self.0 {
            Locale::Nl => z.strftime("%d-%m-%Y %H:%M").to_string(),
            Locale::En => z.strftime("%Y-%m-%d %H:%M").to_string(),
        }
    }

    /// The Dutch calendar date of an instant.
    pub fn date(&self, ms: &i64) -> String {
        self.day(&koers_domain::time::local_date(*ms))
    }

    /// A calendar date, as people write it in this locale.
    pub fn day(&self, d: &jiff::civil::Date) -> String {
        match self.0 {
            Locale::Nl => d.strftime("%d-%m-%Y").to_string(),
            Locale::En => d.strftime("%Y-%m-%d").to_string(),
        }
    }

    /// A `YYYY-MM-DD` text as a date in this locale (as given when it does not parse).
    pub fn day_str(&self, s: &str) -> String {
        s.parse::<jiff::civil::Date>()
            .map_or_else(|_| s.to_owned(), |d| self.day(&d))
    }
}

/// Every message id in a `.ftl` file (for the completeness test).
pub fn message_ids(ftl: &str) -> Vec<String> {
    ftl.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_by_quality() {
        assert_eq!(
            Locale::from_accept_language("en-GB,en;q=0.9,nl;q=0.8"),
            Some(Locale::En)
        );
        assert_eq!(
            Locale::from_accept_language("de-DE, nl-NL;q=0.5, en;q=0.4"),
            Some(Locale::Nl)
        );
        assert_eq!(Locale::from_accept_language("fr"), None);
    }

    #[test]
    fn both_locales_have_the_same_keys() {
        let nl = message_ids(include_str!("../locales/nl/main.ftl"));
        let en = message_ids(include_str!("../locales/en/main.ftl"));
        let missing_en: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        let missing_nl: Vec<_> = en.iter().filter(|k| !nl.contains(k)).collect();
        assert!(missing_en.is_empty(), "missing in en: {missing_en:?}");
        assert!(missing_nl.is_empty(), "missing in nl: {missing_nl:?}");
    }

    #[test]
    fn every_key_used_in_code_and_templates_exists() {
        let nl = message_ids(include_str!("../locales/nl/main.ftl"));
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut missing = Vec::new();
        for dir in ["templates", "src", "src/views", "src/api"] {
            for entry in std::fs::read_dir(format!("{root}{dir}")).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for pat in [".t(\"", ".t1(\"", ".tn(\""] {
                    for piece in text.split(pat).skip(1) {
                        let key = piece.split('"').next().unwrap();
                        if !key.is_empty() && !key.ends_with('-') && !nl.iter().any(|k| k == key) {
                            missing.push(format!("{}: {key}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys without translation: {missing:#?}");
    }

    #[test]
    fn dutch_time() {
        // 2026-07-01 10:00 UTC is 12:00 in Amsterdam; 2026-01-15 10:00 UTC is 11:00.
        assert_eq!(
            Tr(Locale::Nl).datetime(&1_782_900_000_000),
            "01-07-2026 12:00"
        );
        assert_eq!(
            Tr(Locale::En).datetime(&1_768_471_200_000),
            "2026-01-15 11:00"
        );
    }
}
