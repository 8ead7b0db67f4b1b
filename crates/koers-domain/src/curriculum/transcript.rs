//! Practice LOB conversations: reading a transcript (WebVTT as Teams and Zoom export it, or
//! plain `Name: utterance` lines) and a deterministic analysis of it against the criteria of
//! a good career dialogue. Every count can be explained: the analysis marks which utterance
//! counted as what.

use crate::guidance::CareerCompetency;
use serde::Serialize;

/// Transcripts larger than this are refused (a one-hour conversation is about 60 kB).
pub const MAX_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Webvtt,
    Text,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "webvtt" | "vtt" => Some(Format::Webvtt),
            "text" | "txt" => Some(Format::Text),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Format::Webvtt => "webvtt",
            Format::Text => "text",
        }
    }
}

/// One turn: what one speaker said without interruption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Utterance {
    pub speaker: String,
    pub text: String,
    /// Speaking time in milliseconds, when the transcript has timestamps.
    pub duration_ms: Option<u64>,
}

/// A problem with the transcript as a whole, or at one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranscriptError {
    /// Stable key, translated as `transcript-error-<code>`.
    pub code: &'static str,
    pub line: Option<u64>,
    pub value: Option<String>,
}

fn fail(code: &'static str, line: Option<u64>, value: Option<String>) -> TranscriptError {
    TranscriptError { code, line, value }
}

/// Read a transcript from the bytes of an upload (UTF-8 only).
pub fn parse(bytes: &[u8], format: Format) -> Result<Vec<Utterance>, TranscriptError> {
    if bytes.len() > MAX_BYTES {
        return Err(fail(
            "too-large",
            None,
            Some((MAX_BYTES / 1024).to_string()),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u64
            + 1;
        fail("not-utf8", Some(line), None)
    })?;
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(fail("empty", None, None));
    }
    let turns = match format {
        Format::Webvtt => parse_webvtt(text)?,
        Format::Text => parse_text(text)?,
    };
    if turns.is_empty() {
        return Err(fail("no-utterances", None, None));
    }
    Ok(turns)
}

/// Add a piece of speech, merging it into the previous turn of the same speaker.
fn push(turns: &mut Vec<Utterance>, speaker: &str, text: &str, duration: Option<u64>) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return;
    }
    if let Some(last) = turns.last_mut()
        && last.speaker == speaker
    {
        last.text.push(' ');
        last.text.push_str(&text);
        last.duration_ms = match (last.duration_ms, duration) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
        return;
    }
    turns.push(Utterance {
        speaker: speaker.to_owned(),
        text,
        duration_ms: duration,
    });
}

/// `hh:mm:ss.ttt` or `mm:ss.ttt` in milliseconds.
fn timestamp(s: &str) -> Option<u64> {
    let (hms, ms) = s.trim().split_once(['.', ','])?;
    if ms.len() != 3 {
        return None;
    }
    let ms: u64 = ms.parse().ok()?;
    let parts: Vec<u64> = hms
        .split(':')
        .map(|p| (p.len() >= 2).then(|| p.parse().ok()).flatten())
        .collect::<Option<_>>()?;
    let (h, m, s) = match parts.as_slice() {
        [m, s] => (0, *m, *s),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    (m < 60 && s < 60).then_some(((h * 60 + m) * 60 + s) * 1000 + ms)
}

/// A `Name: text` line: the name is 1–40 characters and at most four words.
fn speaker_prefix(line: &str) -> Option<(&str, &str)> {
    let (name, rest) = line.split_once(':')?;
    let name = name.trim();
    let words = name.split_whitespace().count();
    (!name.is_empty() && name.chars().count() <= 40 && words <= 4 && !name.contains(['<', '>']))
        .then_some((name, rest))
}

/// Remove markup from a cue payload and decode the few entities WebVTT uses.
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
}

fn parse_webvtt(text: &str) -> Result<Vec<Utterance>, TranscriptError> {
    let lines: Vec<&str> = text.lines().collect();
    if !lines.first().is_some_and(|l| {
        l.trim_end() == "WEBVTT" || l.starts_with("WEBVTT ") || l.starts_with("WEBVTT\t")
    }) {
        return Err(fail("not-webvtt", Some(1), None));
    }
    let mut turns = Vec::new();
    let mut last_speaker: Option<String> = None;
    let mut i = 1;
    while i < lines.len() {
        // One block: up to the next empty line.
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        let start = i;
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        let block = &lines[start..i];
        let Some(first) = block.first() else { break };
        if first.starts_with("NOTE") || first.starts_with("STYLE") || first.starts_with("REGION") {
            continue;
        }
        let Some(t) = block.iter().position(|l| l.contains("-->")) else {
            return Err(fail("timing-missing", Some(start as u64 + 1), None));
        };
        let timing_line = start + t + 1;
        let (from, to) = block[t].split_once("-->").expect("checked above");
        let to = to.split_whitespace().next().unwrap_or("");
        let (Some(from), Some(to)) = (timestamp(from), timestamp(to)) else {
            return Err(fail(
                "timing-invalid",
                Some(timing_line as u64),
                Some(block[t].trim().to_owned()),
            ));
        };
        let payload = block[t + 1..].join(" ");
        let payload = payload.trim();
        if payload.is_empty() {
            continue;
        }
        // `<v Name>` or `<v.class Name>` (Teams), else `Name: text` (Zoom).
        let (speaker, said) = if let Some(rest) = payload.strip_prefix("<v") {
            let end = rest
                .find('>')
                .ok_or_else(|| fail("speaker-missing", Some(timing_line as u64 + 1), None))?;
            let tag = &rest[..end];
            let name = tag
                .trim_start_matches(|c: char| c != ' ' && c != '\t')
                .trim();
            (name.to_owned(), strip_tags(&rest[end + 1..]))
        } else {
            let plain = strip_tags(payload);
            match speaker_prefix(&plain) {
                Some((name, said)) => (name.to_owned(), said.to_owned()),
                None => match &last_speaker {
                    Some(s) => (s.clone(), plain),
                    None => {
                        return Err(fail("speaker-missing", Some(timing_line as u64 + 1), None));
                    }
                },
            }
        };
        if speaker.is_empty() {
            return Err(fail("speaker-missing", Some(timing_line as u64 + 1), None));
        }
        push(&mut turns, &speaker, &said, Some(to.saturating_sub(from)));
        last_speaker = Some(speaker);
    }
    Ok(turns)
}

fn parse_text(text: &str) -> Result<Vec<Utterance>, TranscriptError> {
    let mut turns = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        // A leading timestamp such as `[00:01:02]` or `00:01:02` is ignored.
        let line = line
            .strip_prefix('[')
            .and_then(|l| l.split_once(']').map(|(_, rest)| rest.trim()))
            .unwrap_or(line);
        let line = match line.split_once(' ') {
            Some((first, rest))
                if first.split(':').count() >= 2
                    && first
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ':' || c == '.') =>
            {
                rest.trim()
            }
            _ => line,
        };
        match speaker_prefix(line) {
            Some((name, said)) => push(&mut turns, name, said, None),
            None => match turns.last_mut() {
                Some(last) => {
                    last.text.push(' ');
                    last.text.push_str(line);
                }
                None => return Err(fail("speaker-missing", Some(n as u64 + 1), None)),
            },
        }
    }
    Ok(turns)
}

// ---------------------------------------------------------------------------------------
// Analysis

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Counsellor,
    Student,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeakerStats {
    pub name: String,
    pub role: Role,
    pub words: u64,
    /// Fraction of all words, 0–1.
    pub share: f64,
    /// Fraction of speaking time, 0–1, when the transcript has timestamps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_share: Option<f64>,
    pub turns: u64,
}

/// What an utterance (or one of its sentences) counted as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    OpenQuestion,
    ClosedQuestion,
    Summary,
    Experience,
    Future,
    NextStep,
    Competency(CareerCompetency),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mark {
    /// Index into the utterances.
    pub utterance: usize,
    pub kind: MarkKind,
    /// The sentence or phrase that made it count.
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub key: &'static str,
    pub met: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub speakers: Vec<SpeakerStats>,
    pub turns: u64,
    pub open_questions: u64,
    pub closed_questions: u64,
    pub summaries: u64,
    /// Utterances that touched each career competency, in [`CareerCompetency::ALL`] order.
    pub competencies: [u64; 5],
    pub marks: Vec<Mark>,
    pub criteria: Vec<Criterion>,
    /// Word share of the counsellor and of the student(s) together.
    pub counsellor_share: f64,
    pub student_share: f64,
}

/// The criteria of a good career dialogue, in the order they are shown.
pub const CRITERIA: [&str; 5] = [
    "student-talks-more",
    "open-questions",
    "concrete-experience",
    "future",
    "next-step",
];

/// Words that make a question open when the sentence starts with them.
const QUESTION_WORDS: [&str; 13] = [
    "wat", "hoe", "waarom", "welke", "welk", "wanneer", "waar", "wie", "waarover", "waardoor",
    "waarmee", "waarvan", "hoezo",
];
/// Phrases that ask to tell or describe (open, wherever they stand in the question).
const TELL_ME: [&str; 8] = [
    "in hoeverre",
    "vertel",
    "beschrijf",
    "omschrijf",
    "leg eens uit",
    "leg uit",
    "kun je iets zeggen over",
    "wil je iets zeggen over",
];
/// Openings of a summarising or reflecting response.
const SUMMARY: [&str; 14] = [
    "dus je",
    "dus jij",
    "als ik je goed begrijp",
    "als ik het goed begrijp",
    "je zegt",
    "je bedoelt",
    "wat ik hoor",
    "ik hoor je zeggen",
    "samengevat",
    "met andere woorden",
    "het klinkt alsof",
    "klopt het dat",
    "je voelt",
    "je vindt dus",
];
const EXPERIENCE: [&str; 16] = [
    "toen",
    "vorige week",
    "gisteren",
    "laatst",
    "vorig jaar",
    "die keer",
    "een keer",
    "tijdens mijn",
    "in mijn stage",
    "op mijn stage",
    "bij mijn stage",
    "heb ik",
    "ik heb",
    "ik deed",
    "ik was",
    "ik merkte",
];
const FUTURE: [&str; 15] = [
    "later",
    "straks",
    "volgend jaar",
    "toekomst",
    "over een paar jaar",
    "over vijf jaar",
    "wil ik",
    "ik wil",
    "zou ik willen",
    "ik zou graag",
    "na mijn opleiding",
    "na de opleiding",
    "droom",
    "hoop ik",
    "ik hoop",
];
const NEXT_STEP: [&str; 14] = [
    "volgende stap",
    "afspraak",
    "afspreken",
    "spreken we af",
    "actiepunt",
    "voor volgende keer",
    "volgende keer",
    "ga ik",
    "ik ga",
    "ga je",
    "jij gaat",
    "deadline",
    "voor vrijdag",
    "deze week nog",
];

fn competency_words(c: CareerCompetency) -> &'static [&'static str] {
    match c {
        CareerCompetency::QualityReflection => &[
            "goed in",
            "sterk in",
            "sterke kant",
            "kwaliteit",
            "talent",
            "kan ik goed",
            "lastig",
            "moeite met",
            "zwakke",
            "valkuil",
            "feedback",
        ],
        CareerCompetency::MotiveReflection => &[
            "belangrijk",
            "motivatie",
            "gemotiveerd",
            "waarde",
            "drijfveer",
            "energie",
            "plezier",
            "leuk",
            "passie",
            "voldoening",
            "waarom wil",
        ],
        CareerCompetency::WorkExploration => &[
            "werkveld",
            "beroep",
            "baan",
            "vacature",
            "arbeidsmarkt",
            "stage",
            "bpv",
            "leerbedrijf",
            "werkplek",
            "functie",
            "bedrijf",
        ],
        CareerCompetency::CareerAction => &[
            "plan",
            "doel",
            "keuze",
            "kiezen",
            "beslis",
            "stappen",
            "aanpak",
            "actie",
            "voornemen",
            "minor",
            "richting",
        ],
        CareerCompetency::Networking => &[
            "netwerk",
            "contact",
            "linkedin",
            "mentor",
            "collega",
            "docent vragen",
            "vragen aan",
            "kennissen",
            "iemand kennen",
            "benaderen",
            "open dag",
        ],
    }
}

fn normalise(s: &str) -> String {
    let lower = s.to_lowercase();
    let cleaned: String = lower
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    format!(
        " {} ",
        cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// The first phrase of `list` that occurs in `text` as whole words.
fn find<'a>(text_norm: &str, list: &[&'a str]) -> Option<&'a str> {
    list.iter().copied().find(|p| {
        text_norm.contains(&format!(" {p} "))
            || (p.ends_with(|c: char| c.is_alphabetic()) && prefix_match(text_norm, p))
    })
}

/// Whole-word match, or a word that starts with the phrase's last word (`beslis` → `beslissen`).
fn prefix_match(text_norm: &str, p: &str) -> bool {
    p.len() >= 5 && !p.contains(' ') && text_norm.contains(&format!(" {p}"))
}

fn words(s: &str) -> u64 {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count() as u64
}

/// Sentences of an utterance, each with its closing punctuation.
fn sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let end = i + c.len_utf8();
            // Keep runs like "?!" or "..." together.
            let next = s[end..].chars().next();
            if next.is_some_and(|n| matches!(n, '.' | '!' | '?')) {
                continue;
            }
            let piece = s[start..end].trim();
            if !piece.is_empty() {
                out.push(piece);
            }
            start = end;
        }
    }
    let rest = s[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Whether a question (a sentence ending in `?`) is open.
/// A short opening before a comma ("Hoi Daan, …", "Oké, …") does not count as the question's
/// start.
pub fn is_open_question(sentence: &str) -> bool {
    let question = match sentence.split_once(',') {
        Some((opening, rest)) if opening.split_whitespace().count() <= 3 => rest,
        _ => sentence,
    };
    let n = normalise(question);
    let first = n.split_whitespace().next().unwrap_or("");
    QUESTION_WORDS.contains(&first)
        || TELL_ME
            .iter()
            .any(|p| normalise(sentence).contains(&format!(" {p}")))
}

/// Analyse a transcript; `counsellor` names the speaker who held the conversation (the
/// caller checks that the name occurs).
pub fn analyse(turns: &[Utterance], counsellor: &str) -> Analysis {
    let mut speakers: Vec<SpeakerStats> = Vec::new();
    for u in turns {
        let role = if u.speaker == counsellor {
            Role::Counsellor
        } else {
            Role::Student
        };
        let s = match speakers.iter_mut().find(|s| s.name == u.speaker) {
            Some(s) => s,
            None => {
                speakers.push(SpeakerStats {
                    name: u.speaker.clone(),
                    role,
                    words: 0,
                    share: 0.0,
                    time_share: None,
                    turns: 0,
                });
                speakers.last_mut().expect("just pushed")
            }
        };
        s.words += words(&u.text);
        s.turns += 1;
    }
    let total_words: u64 = speakers.iter().map(|s| s.words).sum();
    let timed = turns.iter().all(|u| u.duration_ms.is_some());
    let total_ms: u64 = turns.iter().filter_map(|u| u.duration_ms).sum();
    for s in &mut speakers {
        s.share = if total_words > 0 {
            s.words as f64 / total_words as f64
        } else {
            0.0
        };
        if timed && total_ms > 0 {
            let ms: u64 = turns
                .iter()
                .filter(|u| u.speaker == s.name)
                .filter_map(|u| u.duration_ms)
                .sum();
            s.time_share = Some(ms as f64 / total_ms as f64);
        }
    }
    let counsellor_share: f64 = speakers
        .iter()
        .filter(|s| s.role == Role::Counsellor)
        .map(|s| s.share)
        .sum();
    let student_share: f64 = speakers
        .iter()
        .filter(|s| s.role == Role::Student)
        .map(|s| s.share)
        .sum();

    let mut marks = Vec::new();
    let (mut open, mut closed, mut summaries) = (0, 0, 0);
    let mut competencies = [0u64; 5];
    let (mut experience, mut future, mut next_step) = (false, false, false);
    // The closing part of the conversation: its last quarter, at least the last two turns.
    let closing_from = turns.len().saturating_sub((turns.len() / 4).max(2));
    for (i, u) in turns.iter().enumerate() {
        let is_counsellor = u.speaker == counsellor;
        let norm = normalise(&u.text);
        if is_counsellor {
            for s in sentences(&u.text) {
                if s.ends_with('?') {
                    let kind = if is_open_question(s) {
                        open += 1;
                        MarkKind::OpenQuestion
                    } else {
                        closed += 1;
                        MarkKind::ClosedQuestion
                    };
                    marks.push(Mark {
                        utterance: i,
                        kind,
                        evidence: s.to_owned(),
                    });
                } else if SUMMARY
                    .iter()
                    .any(|p| normalise(s).starts_with(&format!(" {p} ")))
                {
                    summaries += 1;
                    marks.push(Mark {
                        utterance: i,
                        kind: MarkKind::Summary,
                        evidence: s.to_owned(),
                    });
                }
            }
        } else if let Some(p) = find(&norm, &EXPERIENCE) {
            // A concrete experience counts when the student tells it.
            experience = true;
            marks.push(Mark {
                utterance: i,
                kind: MarkKind::Experience,
                evidence: p.to_owned(),
            });
        }
        if let Some(p) = find(&norm, &FUTURE) {
            future = true;
            marks.push(Mark {
                utterance: i,
                kind: MarkKind::Future,
                evidence: p.to_owned(),
            });
        }
        if i >= closing_from
            && let Some(p) = find(&norm, &NEXT_STEP)
        {
            next_step = true;
            marks.push(Mark {
                utterance: i,
                kind: MarkKind::NextStep,
                evidence: p.to_owned(),
            });
        }
        for (k, c) in CareerCompetency::ALL.into_iter().enumerate() {
            if let Some(p) = find(&norm, competency_words(c)) {
                competencies[k] += 1;
                marks.push(Mark {
                    utterance: i,
                    kind: MarkKind::Competency(c),
                    evidence: p.to_owned(),
                });
            }
        }
    }
    let criteria = vec![
        Criterion {
            key: CRITERIA[0],
            met: student_share > counsellor_share,
        },
        Criterion {
            key: CRITERIA[1],
            met: open > closed,
        },
        Criterion {
            key: CRITERIA[2],
            met: experience,
        },
        Criterion {
            key: CRITERIA[3],
            met: future,
        },
        Criterion {
            key: CRITERIA[4],
            met: next_step,
        },
    ];
    Analysis {
        speakers,
        turns: turns.len() as u64,
        open_questions: open,
        closed_questions: closed,
        summaries,
        competencies,
        marks,
        criteria,
        counsellor_share,
        student_share,
    }
}

/// The speakers of a transcript, in order of first appearance.
pub fn speakers(turns: &[Utterance]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for u in turns {
        if !out.contains(&u.speaker) {
            out.push(u.speaker.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests;
