//! Competence frameworks as data: framework → competences → (optional) indicators, with
//! levels and per-competence descriptors for rubric assessment. Read from and written to the
//! JSON document described in `docs/schemas/framework.schema.json`; every problem in a
//! document is reported with its JSON pointer.

use crate::document::{Check, err};
pub use crate::document::{DocError as FrameworkError, Text, valid_key};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;

/// The frameworks Koers ships, in our own words (Dutch and English).
pub const SHIPPED: [&str; 3] = [
    include_str!("../../frameworks/career-competencies.json"),
    include_str!("../../frameworks/21st-century-skills.json"),
    include_str!("../../frameworks/counsellor-profile.json"),
];

/// Limits that keep a framework usable on one screen and in one request.
pub const MAX_LEVELS: usize = 10;
pub const MAX_COMPETENCES: usize = 200;
pub const MAX_INDICATORS: usize = 50;
const MAX_NAME: usize = 200;
const MAX_TEXT: usize = 4000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Level {
    pub key: String,
    pub name: Text,
    #[serde(default)]
    pub description: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    pub key: String,
    pub name: Text,
}

/// What a level looks like for one competence (the rubric cell).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Descriptor {
    pub level: String,
    pub text: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Competence {
    pub key: String,
    pub name: Text,
    #[serde(default)]
    pub description: Text,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    #[serde(default)]
    pub descriptors: Vec<Descriptor>,
}

impl Competence {
    /// The rubric text of `level` for this competence, or the level's general description.
    pub fn descriptor<'a>(&'a self, level: &'a Level) -> &'a Text {
        self.descriptors
            .iter()
            .find(|d| d.level == level.key)
            .map_or(&level.description, |d| &d.text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Framework {
    pub key: String,
    pub name: Text,
    #[serde(default)]
    pub description: Text,
    pub version: String,
    pub levels: Vec<Level>,
    pub competences: Vec<Competence>,
}

/// Read a framework document; every problem is returned (with its path) or none.
pub fn parse(json: &str) -> Result<Framework, Vec<FrameworkError>> {
    let doc: Value = serde_json::from_str(json).map_err(|e| {
        vec![err(
            "",
            "json-invalid",
            Some(format!("{}:{}", e.line(), e.column())),
        )]
    })?;
    if !doc.is_object() {
        return Err(vec![err("", "object-expected", None)]);
    }
    let mut c = Check { errors: Vec::new() };
    let key = c.key(&doc, "");
    let name = c.text(&doc, "", "name", true, MAX_NAME);
    let description = c.text(&doc, "", "description", false, MAX_TEXT);
    let version = match doc.get("version") {
        Some(Value::String(v)) if !v.trim().is_empty() && v.trim().len() <= 20 => {
            v.trim().to_owned()
        }
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => {
            c.errors.push(err("/version", "required", None));
            String::new()
        }
        Some(other) => {
            c.errors
                .push(err("/version", "version-invalid", Some(other.to_string())));
            String::new()
        }
    };
    let mut levels = Vec::new();
    let mut seen = HashSet::new();
    for (i, l) in c
        .array(&doc, "", "levels", true, MAX_LEVELS)
        .iter()
        .enumerate()
    {
        let path = format!("/levels/{i}");
        let key = c.key(l, &path);
        c.unique(&mut seen, &key, format!("{path}/key"));
        let name = c.text(l, &path, "name", true, MAX_NAME);
        let description = c.text(l, &path, "description", false, MAX_TEXT);
        levels.push(Level {
            key,
            name,
            description,
        });
    }
    let level_keys: HashSet<String> = levels.iter().map(|l| l.key.clone()).collect();
    let mut competences = Vec::new();
    let mut seen = HashSet::new();
    for (i, v) in c
        .array(&doc, "", "competences", true, MAX_COMPETENCES)
        .iter()
        .enumerate()
    {
        let path = format!("/competences/{i}");
        let key = c.key(v, &path);
        c.unique(&mut seen, &key, format!("{path}/key"));
        let name = c.text(v, &path, "name", true, MAX_NAME);
        let description = c.text(v, &path, "description", false, MAX_TEXT);
        let mut indicators = Vec::new();
        let mut seen_ind = HashSet::new();
        for (j, ind) in c
            .array(v, &path, "indicators", false, MAX_INDICATORS)
            .iter()
            .enumerate()
        {
            let p = format!("{path}/indicators/{j}");
            let key = c.key(ind, &p);
            c.unique(&mut seen_ind, &key, format!("{p}/key"));
            let name = c.text(ind, &p, "name", true, MAX_NAME);
            indicators.push(Indicator { key, name });
        }
        let mut descriptors = Vec::new();
        let mut seen_desc = HashSet::new();
        for (j, d) in c
            .array(v, &path, "descriptors", false, MAX_LEVELS)
            .iter()
            .enumerate()
        {
            let p = format!("{path}/descriptors/{j}");
            let level = d
                .get("level")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            if !level_keys.contains(&level) {
                c.errors.push(err(
                    format!("{p}/level"),
                    "level-unknown",
                    Some(level.clone()),
                ));
            } else {
                c.unique(&mut seen_desc, &level, format!("{p}/level"));
            }
            let text = c.text(d, &p, "text", true, MAX_TEXT);
            descriptors.push(Descriptor { level, text });
        }
        competences.push(Competence {
            key,
            name,
            description,
            indicators,
            descriptors,
        });
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Framework {
        key,
        name,
        description,
        version,
        levels,
        competences,
    })
}

/// The document of a framework (the same schema [`parse`] reads).
pub fn to_json(f: &Framework) -> Value {
    serde_json::to_value(f).unwrap_or(Value::Null)
}

/// The shipped frameworks, parsed.
pub fn shipped() -> Vec<Framework> {
    SHIPPED
        .iter()
        .map(|s| parse(s).expect("shipped frameworks are valid"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_frameworks_parse_and_round_trip() {
        let all = shipped();
        let keys: Vec<&str> = all.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "career-competencies",
                "21st-century-skills",
                "counsellor-profile"
            ]
        );
        assert_eq!(all[0].competences.len(), 5);
        assert_eq!(all[1].competences.len(), 11);
        assert_eq!(all[2].competences.len(), 6);
        for f in &all {
            for c in &f.competences {
                assert!(!c.name.nl.is_empty() && !c.name.en.is_empty(), "{}", c.key);
                assert!(!c.description.en.is_empty(), "{} {}", f.key, c.key);
                for l in &f.levels {
                    assert!(
                        !c.descriptor(l).nl.is_empty(),
                        "{} {} {}",
                        f.key,
                        c.key,
                        l.key
                    );
                }
            }
            let again = parse(&to_json(f).to_string()).unwrap();
            assert_eq!(&again, f);
        }
    }

    #[test]
    fn every_problem_has_a_path() {
        let doc = r#"{"key": "Bad Key", "name": {"nl": ""}, "levels": [{"key": "1", "name": "Begin"}, {"key": "1", "name": "Ook"}],
            "competences": [{"key": "a", "name": "A", "descriptors": [{"level": "9", "text": "x"}]}, {"key": "a", "name": 5}]}"#;
        let errs = parse(doc).unwrap_err();
        let got: Vec<(&str, &str)> = errs.iter().map(|e| (e.path.as_str(), e.code)).collect();
        assert_eq!(
            got,
            vec![
                ("/key", "key-invalid"),
                ("/name/nl", "required"),
                ("/version", "required"),
                ("/levels/1/key", "duplicate-key"),
                ("/competences/0/descriptors/0/level", "level-unknown"),
                ("/competences/1/key", "duplicate-key"),
                ("/competences/1/name", "text-invalid"),
            ]
        );
    }

    #[test]
    fn not_json_or_not_an_object() {
        assert_eq!(parse("{").unwrap_err()[0].code, "json-invalid");
        assert_eq!(parse("[]").unwrap_err()[0].code, "object-expected");
        let e = parse(r#"{"key":"x","name":"X","version":"1","levels":[],"competences":[]}"#)
            .unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e.iter().all(|e| e.code == "required"));
    }

    #[test]
    fn plain_strings_are_dutch_and_numbers_are_versions() {
        let f = parse(
            r#"{"key":"x","name":"Eigen kader","version":2,"levels":[{"key":"b","name":"Basis"}],
            "competences":[{"key":"c1","name":"Samenwerken"}]}"#,
        )
        .unwrap();
        assert_eq!(f.name.get("en"), "Eigen kader");
        assert_eq!(f.version, "2");
        assert_eq!(f.competences[0].descriptor(&f.levels[0]).nl, "");
    }
}
