//! Documents Koers reads as JSON (competence frameworks, the HRM-scan instrument): bilingual
//! texts, keys, and a checker that collects every problem with its JSON pointer.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;

/// A text in Dutch and English (English may be empty: then Dutch is shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Text {
    pub nl: String,
    #[serde(default)]
    pub en: String,
}

impl Text {
    /// The text in `lang` (`"nl"` or `"en"`), falling back to Dutch.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" && !self.en.is_empty() {
            &self.en
        } else {
            &self.nl
        }
    }
}

/// One problem in a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocError {
    /// JSON pointer of the offending value (`/competences/2/key`); empty for the document.
    pub path: String,
    /// Stable key, translated by the web layer (`framework-error-<code>` for frameworks).
    pub code: &'static str,
    pub value: Option<String>,
}

pub(crate) fn err(path: impl Into<String>, code: &'static str, value: Option<String>) -> DocError {
    DocError {
        path: path.into(),
        code,
        value,
    }
}

/// A key: 1–60 lower-case letters, digits and dashes, starting with a letter or digit.
pub fn valid_key(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(crate) struct Check {
    pub(crate) errors: Vec<DocError>,
}

impl Check {
    pub(crate) fn key(&mut self, v: &Value, path: &str) -> String {
        match v.get("key") {
            None | Some(Value::Null) => {
                self.errors
                    .push(err(format!("{path}/key"), "required", None));
                String::new()
            }
            Some(Value::String(k)) if valid_key(k) => k.clone(),
            Some(other) => {
                let shown = other
                    .as_str()
                    .map_or_else(|| other.to_string(), str::to_owned);
                self.errors
                    .push(err(format!("{path}/key"), "key-invalid", Some(shown)));
                String::new()
            }
        }
    }

    pub(crate) fn text(
        &mut self,
        v: &Value,
        path: &str,
        field: &str,
        required: bool,
        max: usize,
    ) -> Text {
        let p = format!("{path}/{field}");
        let t = match v.get(field) {
            None | Some(Value::Null) => {
                if required {
                    self.errors.push(err(p, "required", None));
                }
                return Text::default();
            }
            // A plain string counts as Dutch.
            Some(Value::String(s)) => Text {
                nl: s.trim().to_owned(),
                en: String::new(),
            },
            Some(Value::Object(o)) => {
                let get = |k: &str| {
                    o.get(k)
                        .and_then(Value::as_str)
                        .map(|s| s.trim().to_owned())
                };
                if o.keys().any(|k| k != "nl" && k != "en") || o.values().any(|v| !v.is_string()) {
                    self.errors.push(err(p, "text-invalid", None));
                    return Text::default();
                }
                Text {
                    nl: get("nl").unwrap_or_default(),
                    en: get("en").unwrap_or_default(),
                }
            }
            Some(_) => {
                self.errors.push(err(p, "text-invalid", None));
                return Text::default();
            }
        };
        if required && t.nl.is_empty() {
            self.errors.push(err(format!("{p}/nl"), "required", None));
        }
        if t.nl.chars().count() > max || t.en.chars().count() > max {
            self.errors.push(err(p, "too-long", Some(max.to_string())));
        }
        t
    }

    pub(crate) fn array<'v>(
        &mut self,
        v: &'v Value,
        path: &str,
        field: &str,
        required: bool,
        max: usize,
    ) -> &'v [Value] {
        let p = format!("{path}/{field}");
        match v.get(field) {
            None | Some(Value::Null) if !required => &[],
            None | Some(Value::Null) => {
                self.errors.push(err(p, "required", None));
                &[]
            }
            Some(Value::Array(a)) if a.len() > max => {
                self.errors.push(err(p, "too-many", Some(max.to_string())));
                &[]
            }
            Some(Value::Array(a)) if required && a.is_empty() => {
                self.errors.push(err(p, "required", None));
                &[]
            }
            Some(Value::Array(a)) => a,
            Some(_) => {
                self.errors.push(err(p, "array-expected", None));
                &[]
            }
        }
    }

    pub(crate) fn unique(&mut self, seen: &mut HashSet<String>, key: &str, path: String) {
        if !key.is_empty() && !seen.insert(key.to_owned()) {
            self.errors
                .push(err(path, "duplicate-key", Some(key.to_owned())));
        }
    }
}
