//! The HRM scan: an instrument of statements per HRM stage and aspect (data, versioned, read
//! from JSON like frameworks), and the scores of a round's anonymous responses.
//!
//! Score: every answer `a` on the 1–5 scale counts as `(a − 1) / 4 × 100`; a score is the mean
//! over the answers in its cell (stage, aspect, group), "don't know" left out. A group's result
//! is shown only when at least [`MIN_GROUP`] respondents answered in that stage.

use crate::document::{Check, DocError, Text, err};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

/// The instrument Koers ships, in our own words.
pub const SHIPPED: &str = include_str!("../../instruments/hrm-scan.json");

/// No group result is shown for fewer respondents than this.
pub const MIN_GROUP: usize = 5;

/// A random sample of `n` respondents, drawn within each group in proportion to its size
/// (at least one per group that has people), so every group stays represented.
pub fn sample<T: Clone>(
    people: &[(T, Group)],
    n: usize,
    rng: &mut impl rand::Rng,
) -> Vec<(T, Group)> {
    use rand::seq::SliceRandom;
    if n >= people.len() {
        return people.to_vec();
    }
    let mut out = Vec::with_capacity(n);
    for g in Group::ALL {
        let mut of: Vec<&(T, Group)> = people.iter().filter(|(_, x)| *x == g).collect();
        if of.is_empty() {
            continue;
        }
        let share = ((of.len() * n) as f64 / people.len() as f64).round() as usize;
        of.shuffle(rng);
        out.extend(of.into_iter().take(share.max(1)).cloned());
    }
    out.truncate(n.max(Group::ALL.len()));
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Recruitment,
    Appointment,
    Guidance,
    Appraisal,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Recruitment,
        Stage::Appointment,
        Stage::Guidance,
        Stage::Appraisal,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Stage::Recruitment => "recruitment",
            Stage::Appointment => "appointment",
            Stage::Guidance => "guidance",
            Stage::Appraisal => "appraisal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.key() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aspect {
    Policy,
    Practice,
    Experience,
}

impl Aspect {
    pub const ALL: [Aspect; 3] = [Aspect::Policy, Aspect::Practice, Aspect::Experience];

    pub fn key(self) -> &'static str {
        match self {
            Aspect::Policy => "policy",
            Aspect::Practice => "practice",
            Aspect::Experience => "experience",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.key() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Hr,
    Manager,
    Staff,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::Hr, Group::Manager, Group::Staff];

    pub fn key(self) -> &'static str {
        match self {
            Group::Hr => "hr",
            Group::Manager => "manager",
            Group::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.key() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub key: String,
    pub stage: Stage,
    pub aspect: Aspect,
    pub text: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instrument {
    pub key: String,
    pub name: Text,
    #[serde(default)]
    pub description: Text,
    pub version: String,
    pub items: Vec<Item>,
}

/// The instrument as a JSON document that [`parse`] reads back (export).
pub fn to_json(i: &Instrument) -> String {
    serde_json::to_string_pretty(i).expect("an instrument is plain data")
}

/// The next version after `v` for an edited copy: a trailing number goes up by one
/// (`2026.1` → `2026.2`), otherwise `.1` is added.
pub fn next_version(v: &str) -> String {
    match v.rsplit_once('.') {
        Some((head, tail)) if tail.parse::<u32>().is_ok() => {
            format!("{head}.{}", tail.parse::<u32>().unwrap_or(0) + 1)
        }
        _ => match v.parse::<u32>() {
            Ok(n) => (n + 1).to_string(),
            Err(_) => format!("{v}.1"),
        },
    }
}

/// Read an instrument document; every problem with its JSON pointer.
pub fn parse(json: &str) -> Result<Instrument, Vec<DocError>> {
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
    let name = c.text(&doc, "", "name", true, 200);
    let description = c.text(&doc, "", "description", false, 4000);
    let version = match doc.get("version") {
        Some(Value::String(v)) if !v.trim().is_empty() && v.trim().len() <= 20 => {
            v.trim().to_owned()
        }
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            c.errors.push(err("/version", "required", None));
            String::new()
        }
    };
    let mut items = Vec::new();
    let mut seen = HashSet::new();
    for (i, v) in c.array(&doc, "", "items", true, 300).iter().enumerate() {
        let path = format!("/items/{i}");
        let key = c.key(v, &path);
        c.unique(&mut seen, &key, format!("{path}/key"));
        let stage = v
            .get("stage")
            .and_then(Value::as_str)
            .and_then(Stage::parse);
        if stage.is_none() {
            c.errors
                .push(err(format!("{path}/stage"), "stage-invalid", None));
        }
        let aspect = v
            .get("aspect")
            .and_then(Value::as_str)
            .and_then(Aspect::parse);
        if aspect.is_none() {
            c.errors
                .push(err(format!("{path}/aspect"), "aspect-invalid", None));
        }
        let text = c.text(v, &path, "text", true, 1000);
        if let (Some(stage), Some(aspect)) = (stage, aspect) {
            items.push(Item {
                key,
                stage,
                aspect,
                text,
            });
        }
    }
    for s in Stage::ALL {
        if c.errors.is_empty() && !items.iter().any(|i| i.stage == s) {
            c.errors
                .push(err("/items", "stage-missing", Some(s.key().into())));
        }
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Instrument {
        key,
        name,
        description,
        version,
        items,
    })
}

/// One anonymous response: the group it was given in, and the answers by item key
/// (`None`: don't know).
#[derive(Debug, Clone)]
pub struct Response {
    pub group: Group,
    pub answers: BTreeMap<String, Option<u8>>,
}

/// The score of one cell, or `None` when nobody answered (or too few, for a group).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub respondents: usize,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageResult {
    pub stage: Stage,
    /// All groups together.
    pub all: Cell,
    pub by_aspect: Vec<(Aspect, Cell)>,
    pub by_group: Vec<(Group, Cell)>,
}

fn points(a: u8) -> f64 {
    f64::from(a.clamp(1, 5) - 1) / 4.0 * 100.0
}

fn cell<'a>(
    instrument: &Instrument,
    responses: impl Iterator<Item = &'a Response>,
    stage: Stage,
    aspect: Option<Aspect>,
    min: usize,
) -> Cell {
    let keys: Vec<&str> = instrument
        .items
        .iter()
        .filter(|i| i.stage == stage && aspect.is_none_or(|a| i.aspect == a))
        .map(|i| i.key.as_str())
        .collect();
    let (mut sum, mut n, mut respondents) = (0.0, 0usize, 0usize);
    for r in responses {
        let mut answered = false;
        for k in &keys {
            if let Some(Some(a)) = r.answers.get(*k) {
                sum += points(*a);
                n += 1;
                answered = true;
            }
        }
        respondents += usize::from(answered);
    }
    Cell {
        respondents,
        score: (n > 0 && respondents >= min).then(|| (sum / n as f64 * 10.0).round() / 10.0),
    }
}

/// The scores of a round per stage: overall, per aspect, and per group (groups below
/// [`MIN_GROUP`] respondents get no score; so does the whole when fewer answered).
pub fn results(instrument: &Instrument, responses: &[Response]) -> Vec<StageResult> {
    Stage::ALL
        .into_iter()
        .map(|stage| StageResult {
            stage,
            all: cell(instrument, responses.iter(), stage, None, MIN_GROUP),
            by_aspect: Aspect::ALL
                .into_iter()
                .map(|a| {
                    (
                        a,
                        cell(instrument, responses.iter(), stage, Some(a), MIN_GROUP),
                    )
                })
                .collect(),
            by_group: Group::ALL
                .into_iter()
                .map(|g| {
                    let of_group = responses.iter().filter(move |r| r.group == g);
                    (g, cell(instrument, of_group, stage, None, MIN_GROUP))
                })
                .collect(),
        })
        .collect()
}

/// A difference between two groups' scores of a stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub stage: Stage,
    pub higher: Group,
    pub lower: Group,
    pub points: f64,
}

/// The largest differences between groups, largest first (only between shown scores).
pub fn largest_differences(results: &[StageResult], at_most: usize) -> Vec<Difference> {
    let mut out = Vec::new();
    for r in results {
        let shown: Vec<(Group, f64)> = r
            .by_group
            .iter()
            .filter_map(|(g, c)| c.score.map(|s| (*g, s)))
            .collect();
        for (i, (ga, a)) in shown.iter().enumerate() {
            for (gb, b) in &shown[i + 1..] {
                let (higher, lower, points) = if a >= b {
                    (*ga, *gb, a - b)
                } else {
                    (*gb, *ga, b - a)
                };
                out.push(Difference {
                    stage: r.stage,
                    higher,
                    lower,
                    points: (points * 10.0).round() / 10.0,
                });
            }
        }
    }
    out.sort_by(|x, y| y.points.total_cmp(&x.points));
    out.truncate(at_most);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_reads_back_and_versions_count_up() {
        let shipped = parse(SHIPPED).unwrap();
        assert_eq!(parse(&to_json(&shipped)).unwrap(), shipped);
        assert_eq!(next_version("2026.1"), "2026.2");
        assert_eq!(next_version("2026.9"), "2026.10");
        assert_eq!(next_version("3"), "4");
        assert_eq!(next_version("v-eigen"), "v-eigen.1");
    }

    #[test]
    fn a_sample_keeps_every_group_in_proportion() {
        let mut people: Vec<(u32, Group)> = (0..4).map(|i| (i, Group::Hr)).collect();
        people.extend((4..20).map(|i| (i, Group::Manager)));
        people.extend((20..100).map(|i| (i, Group::Staff)));
        let mut rng = rand::rng();
        let s = sample(&people, 50, &mut rng);
        let count = |g| s.iter().filter(|(_, x)| *x == g).count();
        assert_eq!(
            (count(Group::Hr), count(Group::Manager), count(Group::Staff)),
            (2, 8, 40)
        );
        let mut ids: Vec<u32> = s.iter().map(|(i, _)| *i).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 50, "nobody twice");
        assert_eq!(sample(&people, 500, &mut rng).len(), 100);
        // A tiny sample still holds every group.
        let s = sample(&people, 3, &mut rng);
        assert_eq!(s.len(), 3);
        assert!(Group::ALL.iter().all(|g| s.iter().any(|(_, x)| x == g)));
    }

    fn tiny() -> Instrument {
        let mut items = Vec::new();
        for s in Stage::ALL {
            for a in Aspect::ALL {
                items.push(Item {
                    key: format!("{}-{}", s.key(), a.key()),
                    stage: s,
                    aspect: a,
                    text: Text {
                        nl: "x".into(),
                        en: String::new(),
                    },
                });
            }
        }
        Instrument {
            key: "t".into(),
            name: Text::default(),
            description: Text::default(),
            version: "1".into(),
            items,
        }
    }

    fn resp(group: Group, answers: &[(&str, Option<u8>)]) -> Response {
        Response {
            group,
            answers: answers.iter().map(|(k, a)| ((*k).to_owned(), *a)).collect(),
        }
    }

    #[test]
    fn the_shipped_instrument_covers_every_stage_and_aspect() {
        let i = parse(SHIPPED).unwrap();
        assert_eq!(i.items.len(), 24);
        for s in Stage::ALL {
            for a in Aspect::ALL {
                assert_eq!(
                    i.items
                        .iter()
                        .filter(|x| x.stage == s && x.aspect == a)
                        .count(),
                    2
                );
            }
        }
        assert!(i.items.iter().all(|x| !x.text.en.is_empty()));
    }

    #[test]
    fn scores_by_hand() {
        let i = tiny();
        // Five staff: recruitment policy answers 5,4,3,2,1 → points 100,75,50,25,0 → mean 50.
        // One of them answers practice 5 (100) and one "don't know" on experience.
        let mut rs: Vec<Response> = (1..=5u8)
            .map(|a| resp(Group::Staff, &[("recruitment-policy", Some(6 - a))]))
            .collect();
        rs[0].answers.insert("recruitment-practice".into(), Some(5));
        rs[1].answers.insert("recruitment-experience".into(), None);
        // Four HR advisers, all 5 on recruitment policy: below the minimum group size.
        rs.extend((0..4).map(|_| resp(Group::Hr, &[("recruitment-policy", Some(5))])));
        let r = results(&i, &rs);
        let rec = &r[0];
        assert_eq!(rec.stage, Stage::Recruitment);
        let staff = &rec
            .by_group
            .iter()
            .find(|(g, _)| *g == Group::Staff)
            .unwrap()
            .1;
        // Staff: 100+75+50+25+0 (policy) + 100 (practice) = 350 over 6 answers = 58.3.
        assert_eq!(staff.respondents, 5);
        assert_eq!(staff.score, Some(58.3));
        let hr = &rec
            .by_group
            .iter()
            .find(|(g, _)| *g == Group::Hr)
            .unwrap()
            .1;
        assert_eq!(
            (hr.respondents, hr.score),
            (4, None),
            "no result below five"
        );
        // All nine: 350 + 4 × 100 = 750 over 10 answers = 75.0.
        assert_eq!(rec.all.score, Some(75.0));
        // Policy across all: (250 + 400) / 9 = 72.2; practice has one respondent: hidden.
        assert_eq!(rec.by_aspect[0].1.score, Some(72.2));
        assert_eq!(rec.by_aspect[1].1.score, None);
        // A stage nobody answered has no score.
        assert_eq!(
            r[3].all,
            Cell {
                respondents: 0,
                score: None
            }
        );
    }

    #[test]
    fn largest_differences_between_shown_groups() {
        let i = tiny();
        let mut rs = Vec::new();
        rs.extend((0..5).map(|_| resp(Group::Hr, &[("guidance-policy", Some(5))])));
        rs.extend((0..5).map(|_| resp(Group::Staff, &[("guidance-policy", Some(2))])));
        rs.extend((0..5).map(|_| resp(Group::Manager, &[("guidance-policy", Some(4))])));
        rs.extend((0..2).map(|_| resp(Group::Manager, &[("appraisal-policy", Some(1))])));
        let d = largest_differences(&results(&i, &rs), 2);
        assert_eq!(
            d[0],
            Difference {
                stage: Stage::Guidance,
                higher: Group::Hr,
                lower: Group::Staff,
                points: 75.0
            }
        );
        assert_eq!(d[1].points, 50.0);
        assert_eq!((d[1].higher, d[1].lower), (Group::Manager, Group::Staff));
    }

    #[test]
    fn instrument_problems_have_paths() {
        let e = parse(r#"{"key": "x", "name": "X", "version": "1", "items": [{"key": "a", "stage": "hiring", "aspect": "policy", "text": "t"}]}"#)
            .unwrap_err();
        assert_eq!(e[0].path, "/items/0/stage");
        let e = parse(r#"{"key": "x", "name": "X", "version": "1", "items": [{"key": "a", "stage": "guidance", "aspect": "policy", "text": "t"}]}"#)
            .unwrap_err();
        assert_eq!(e[0].code, "stage-missing");
    }
}
