//! The HRM scan: an instrument of statements per HRM stage and aspect (data, versioned, read
//! from JSON like frameworks), and the scores of a round's anonymous responses.
//!
//! Score: every answer `a` on the 1–5 scale counts as `(a − 1) / 4 × 100`; a score is the mean
//! over the answers in its cell (stage, aspect, group), "don't know" left out.
//!
//! Anonymity (k = [`MIN_GROUP`]): a cell is shown only when at least that many people answered
//! in it, and never when it could be worked out from what is shown. Per stage the groups, and
//! the aspects, each add up to the stage's overall figure; when a hidden cell could be derived
//! as "overall minus the shown cells", the next-smallest cell is hidden too, until the hidden
//! cells together rest on at least k people (complementary suppression, as statistics offices
//! do). Only responses with at least one answer on the scale count. Comments are released per
//! group that has at least k such responses. Results of a round exist only once it has
//! closed: live results would let two reads be subtracted.

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

/// One anonymous response: the group it was given in, the answers by item key (`None`: don't
/// know), and the open comments by stage key.
#[derive(Debug, Clone)]
pub struct Response {
    pub group: Group,
    pub answers: BTreeMap<String, Option<u8>>,
    pub comments: BTreeMap<String, String>,
}

impl Response {
    /// Whether it counts as a response: at least one answer on the scale.
    pub fn counts(&self) -> bool {
        self.answers.values().any(Option::is_some)
    }
}

/// Why a cell shows no score although people answered in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Hidden {
    /// Fewer than [`MIN_GROUP`] people answered in it.
    TooFew,
    /// It could be worked out from the overall figure and the cells that are shown.
    Derivable,
}

impl Hidden {
    pub fn key(self) -> &'static str {
        match self {
            Hidden::TooFew => "too-few",
            Hidden::Derivable => "derivable",
        }
    }
}

/// The score of one cell; `None` when nobody answered, or `hidden` says why not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub respondents: usize,
    pub score: Option<f64>,
    pub hidden: Option<Hidden>,
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

/// A cell before suppression: its score and the positions of the responses that answered.
struct Raw {
    who: Vec<usize>,
    score: Option<f64>,
}

fn raw(
    instrument: &Instrument,
    responses: &[Response],
    stage: Stage,
    aspect: Option<Aspect>,
    group: Option<Group>,
) -> Raw {
    let keys: Vec<&str> = instrument
        .items
        .iter()
        .filter(|i| i.stage == stage && aspect.is_none_or(|a| i.aspect == a))
        .map(|i| i.key.as_str())
        .collect();
    let (mut sum, mut n, mut who) = (0.0, 0usize, Vec::new());
    for (at, r) in responses.iter().enumerate() {
        if group.is_some_and(|g| r.group != g) {
            continue;
        }
        let mut answered = false;
        for k in &keys {
            if let Some(Some(a)) = r.answers.get(*k) {
                sum += points(*a);
                n += 1;
                answered = true;
            }
        }
        if answered {
            who.push(at);
        }
    }
    Raw {
        who,
        score: (n > 0).then(|| (sum / n as f64 * 10.0).round() / 10.0),
    }
}

/// Hide what rests on fewer than [`MIN_GROUP`] people, then what could be derived: the cells of
/// `parts` add up to the whole, so the hidden ones together must rest on at least as many.
fn suppress(whole_shown: bool, parts: &[Raw]) -> Vec<Cell> {
    let mut hidden: Vec<Option<Hidden>> = parts
        .iter()
        .map(|p| (!p.who.is_empty() && p.who.len() < MIN_GROUP).then_some(Hidden::TooFew))
        .collect();
    if !whole_shown {
        // Without the whole nothing can be subtracted; every cell is at most the whole.
        for (h, p) in hidden.iter_mut().zip(parts) {
            if !p.who.is_empty() {
                *h = Some(Hidden::TooFew);
            }
        }
    }
    loop {
        let mut behind: Vec<usize> = parts
            .iter()
            .zip(&hidden)
            .filter(|(_, h)| h.is_some())
            .flat_map(|(p, _)| p.who.iter().copied())
            .collect();
        behind.sort_unstable();
        behind.dedup();
        if behind.is_empty() || behind.len() >= MIN_GROUP {
            break;
        }
        // Hide the smallest shown cell that has people, next.
        let next = parts
            .iter()
            .enumerate()
            .filter(|(i, p)| hidden[*i].is_none() && !p.who.is_empty())
            .min_by_key(|(_, p)| p.who.len())
            .map(|(i, _)| i);
        match next {
            Some(i) => hidden[i] = Some(Hidden::Derivable),
            None => break,
        }
    }
    parts
        .iter()
        .zip(hidden)
        .map(|(p, hidden)| Cell {
            respondents: p.who.len(),
            score: if hidden.is_some() { None } else { p.score },
            hidden,
        })
        .collect()
}

/// The scores of a round per stage: overall, per aspect and per group, with every cell that
/// could show someone's answers hidden (see the module's notes). A response counts in a cell
/// only with an answer on the scale there, so one without any such answer counts nowhere.
pub fn results(instrument: &Instrument, responses: &[Response]) -> Vec<StageResult> {
    Stage::ALL
        .into_iter()
        .map(|stage| {
            let whole = raw(instrument, responses, stage, None, None);
            let all = suppress(true, std::slice::from_ref(&whole)).remove(0);
            let shown = all.score.is_some();
            let aspects: Vec<Raw> = Aspect::ALL
                .into_iter()
                .map(|a| raw(instrument, responses, stage, Some(a), None))
                .collect();
            let groups: Vec<Raw> = Group::ALL
                .into_iter()
                .map(|g| raw(instrument, responses, stage, None, Some(g)))
                .collect();
            StageResult {
                stage,
                all,
                by_aspect: Aspect::ALL
                    .into_iter()
                    .zip(suppress(shown, &aspects))
                    .collect(),
                by_group: Group::ALL
                    .into_iter()
                    .zip(suppress(shown, &groups))
                    .collect(),
            }
        })
        .collect()
}

/// The open comments that may be shown, as (stage key, text) in the responses' order: those of
/// each group with at least [`MIN_GROUP`] counted responses. Also whether any were held back.
pub fn released_comments(responses: &[Response]) -> (Vec<(String, String)>, bool) {
    let released: Vec<Group> = Group::ALL
        .into_iter()
        .filter(|g| {
            responses
                .iter()
                .filter(|r| r.group == *g && r.counts())
                .count()
                >= MIN_GROUP
        })
        .collect();
    let (mut out, mut withheld) = (Vec::new(), false);
    for r in responses {
        for (stage, text) in &r.comments {
            if text.trim().is_empty() {
                continue;
            }
            if released.contains(&r.group) && r.counts() {
                out.push((stage.clone(), text.clone()));
            } else {
                withheld = true;
            }
        }
    }
    (out, withheld)
}

/// What a round's results page, its API and its exports show (empty while it is open).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RoundResults {
    pub stages: Vec<StageResult>,
    /// (stage key, text), in the stored (random) order.
    pub comments: Vec<(String, String)>,
    /// Some comments were held back (their group has fewer than [`MIN_GROUP`] responses).
    pub comments_withheld: bool,
}

impl RoundResults {
    pub fn of(instrument: &Instrument, responses: &[Response]) -> Self {
        let (comments, comments_withheld) = released_comments(responses);
        RoundResults {
            stages: results(instrument, responses),
            comments,
            comments_withheld,
        }
    }

    /// Whether any cell with answers is hidden, and for which reasons.
    pub fn hidden(&self) -> (bool, bool) {
        let cells = self.stages.iter().flat_map(|s| {
            std::iter::once(&s.all)
                .chain(s.by_aspect.iter().map(|(_, c)| c))
                .chain(s.by_group.iter().map(|(_, c)| c))
        });
        let (mut few, mut derivable) = (false, false);
        for c in cells {
            few |= c.hidden == Some(Hidden::TooFew);
            derivable |= c.hidden == Some(Hidden::Derivable);
        }
        (few, derivable)
    }
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

/// The longest comment on a stage, in characters.
pub const MAX_COMMENT: usize = 4000;

/// A response as typed: per statement `1`–`5` or `dk` (don't know), per stage a comment.
/// A page's form and an API body fill the same draft.
#[derive(Debug, Clone, Default)]
pub struct ResponseDraft {
    pub answers: BTreeMap<String, String>,
    pub comments: BTreeMap<String, String>,
}

/// A checked response: every statement of the instrument answered (`None`: don't know),
/// comments per stage, trimmed, empty ones left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedResponse {
    pub answers: BTreeMap<String, Option<u8>>,
    pub comments: BTreeMap<String, String>,
}

impl ResponseDraft {
    /// How many statements of the instrument have no answer (neither a score nor "don't
    /// know").
    pub fn missing(&self, i: &Instrument) -> usize {
        i.items
            .iter()
            .filter(|it| {
                self.answers
                    .get(&it.key)
                    .is_none_or(|v| v.trim().is_empty())
            })
            .count()
    }

    /// Check a response against the instrument: statements it does not have, answers off the
    /// scale, comments on no stage or longer than [`MAX_COMMENT`] (refused, never cut), and a
    /// statement left unanswered (`answer-missing`, see [`ResponseDraft::missing`]).
    pub fn parse(&self, i: &Instrument) -> Result<CheckedResponse, Vec<crate::FieldError>> {
        use crate::FieldError;
        let mut errors = Vec::new();
        let mut answers = BTreeMap::new();
        for (key, value) in &self.answers {
            if !i.items.iter().any(|it| &it.key == key) {
                errors.push(FieldError::new("answers", "item-unknown"));
                continue;
            }
            match value.trim() {
                "" => {}
                "dk" => {
                    answers.insert(key.clone(), None);
                }
                v => match v.parse::<u8>() {
                    Ok(n) if (1..=5).contains(&n) => {
                        answers.insert(key.clone(), Some(n));
                    }
                    _ => errors.push(FieldError::new("answers", "answer-out-of-range")),
                },
            }
        }
        if self.missing(i) > 0 {
            errors.push(FieldError::new("answers", "answer-missing"));
        }
        let mut comments = BTreeMap::new();
        for (stage, text) in &self.comments {
            if Stage::parse(stage).is_none() {
                errors.push(FieldError::new("comments", "stage-invalid"));
            } else if text.chars().count() > MAX_COMMENT {
                errors.push(FieldError::new("comments", "comment-too-long"));
            } else if !text.trim().is_empty() {
                comments.insert(stage.clone(), text.trim().to_owned());
            }
        }
        errors.dedup();
        if errors.is_empty() {
            Ok(CheckedResponse { answers, comments })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests;
