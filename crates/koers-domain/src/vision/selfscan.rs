//! The LOB self-scan of a programme team: our own statements on the four aspects used in the
//! mbo field (vision and policy; activities and guidance; quality assurance;
//! professionalisation), each scored together by the team on the four stages of
//! implementation, with a note; the mean per aspect shows where to act.

use std::collections::BTreeMap;

crate::keyed_enum! {
    pub enum Aspect {
        VisionPolicy = "vision_policy",
        ActivitiesGuidance = "activities_guidance",
        QualityAssurance = "quality_assurance",
        Professionalisation = "professionalisation",
    }
}

/// The statements, by key (`ASPECT.N`); their text is in the translation files
/// (`selfscan-statement-ASPECT-N`).
pub const STATEMENTS: &[(Aspect, &str)] = &[
    (Aspect::VisionPolicy, "vision_policy.1"),
    (Aspect::VisionPolicy, "vision_policy.2"),
    (Aspect::VisionPolicy, "vision_policy.3"),
    (Aspect::ActivitiesGuidance, "activities_guidance.1"),
    (Aspect::ActivitiesGuidance, "activities_guidance.2"),
    (Aspect::ActivitiesGuidance, "activities_guidance.3"),
    (Aspect::ActivitiesGuidance, "activities_guidance.4"),
    (Aspect::QualityAssurance, "quality_assurance.1"),
    (Aspect::QualityAssurance, "quality_assurance.2"),
    (Aspect::QualityAssurance, "quality_assurance.3"),
    (Aspect::Professionalisation, "professionalisation.1"),
    (Aspect::Professionalisation, "professionalisation.2"),
    (Aspect::Professionalisation, "professionalisation.3"),
];

/// The scale: 1 not started, 2 being developed, 3 in practice, 4 embedded (borged).
pub const MIN_SCORE: u8 = 1;
pub const MAX_SCORE: u8 = 4;

/// The aspect of a statement key, if it is one of ours.
pub fn aspect_of(statement: &str) -> Option<Aspect> {
    STATEMENTS
        .iter()
        .find(|(_, k)| *k == statement)
        .map(|(a, _)| *a)
}

/// The statements of an aspect.
pub fn statements(aspect: Aspect) -> impl Iterator<Item = &'static str> {
    STATEMENTS
        .iter()
        .filter(move |(a, _)| *a == aspect)
        .map(|(_, k)| *k)
}

/// The translation key of a statement's text.
pub fn message_key(statement: &str) -> String {
    format!("selfscan-statement-{}", statement.replace(['.', '_'], "-"))
}

/// One answer: a score and an optional note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub score: u8,
    pub note: String,
}

/// Problems of a set of answers: (statement or field, code). Statements may stay unanswered in a
/// draft; a final scan needs them all.
pub fn check(answers: &BTreeMap<String, Answer>, finished: bool) -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    for (k, a) in answers {
        if aspect_of(k).is_none() {
            out.push((k.clone(), "unknown-statement"));
        } else if !(MIN_SCORE..=MAX_SCORE).contains(&a.score) {
            out.push((k.clone(), "out-of-range"));
        } else if a.note.chars().count() > 2000 {
            out.push((k.clone(), "too-long"));
        }
    }
    if finished {
        for (_, k) in STATEMENTS {
            if !answers.contains_key(*k) {
                out.push(((*k).to_owned(), "required"));
            }
        }
    }
    out
}

/// The mean score per aspect, over the statements answered.
pub fn aspect_means(answers: &BTreeMap<String, Answer>) -> BTreeMap<Aspect, f64> {
    let mut sums: BTreeMap<Aspect, (u32, u32)> = BTreeMap::new();
    for (k, a) in answers {
        if let Some(aspect) = aspect_of(k) {
            let e = sums.entry(aspect).or_default();
            e.0 += u32::from(a.score);
            e.1 += 1;
        }
    }
    sums.into_iter()
        .map(|(a, (s, n))| (a, f64::from(s) / f64::from(n)))
        .collect()
}

/// The reference of an improvement action on an aspect of a self-scan: `SCAN:ASPECT`.
pub fn action_reference(scan_id: &str, aspect: Aspect) -> String {
    format!("{scan_id}:{}", aspect.key())
}

/// The scan id and aspect of an action reference.
pub fn parse_action_reference(r: &str) -> Option<(&str, Aspect)> {
    let (scan, aspect) = r.rsplit_once(':')?;
    Some((scan, Aspect::parse(aspect)?))
}

crate::keyed_enum! {
    pub enum ScanStatus {
        Draft = "draft",
        Final = "final",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(score: u8) -> Answer {
        Answer {
            score,
            note: String::new(),
        }
    }

    #[test]
    fn every_aspect_has_statements_and_keys_are_unique() {
        for a in Aspect::ALL {
            assert!(statements(*a).count() >= 3);
        }
        let keys: std::collections::BTreeSet<_> = STATEMENTS.iter().map(|(_, k)| k).collect();
        assert_eq!(keys.len(), STATEMENTS.len());
        assert_eq!(
            message_key("quality_assurance.2"),
            "selfscan-statement-quality-assurance-2"
        );
    }

    #[test]
    fn means_per_aspect_use_the_answered_statements() {
        let answers = BTreeMap::from([
            ("vision_policy.1".to_owned(), answer(2)),
            ("vision_policy.2".to_owned(), answer(3)),
            ("quality_assurance.1".to_owned(), answer(4)),
        ]);
        let m = aspect_means(&answers);
        assert_eq!(m[&Aspect::VisionPolicy], 2.5);
        assert_eq!(m[&Aspect::QualityAssurance], 4.0);
        assert!(!m.contains_key(&Aspect::Professionalisation));
    }

    #[test]
    fn answers_are_checked() {
        let mut answers = BTreeMap::from([
            ("vision_policy.1".to_owned(), answer(5)),
            ("nonsense".to_owned(), answer(2)),
        ]);
        let problems = check(&answers, false);
        assert_eq!(
            problems,
            vec![
                ("nonsense".to_owned(), "unknown-statement"),
                ("vision_policy.1".to_owned(), "out-of-range")
            ]
        );
        answers.clear();
        answers.insert("vision_policy.1".to_owned(), answer(3));
        assert!(check(&answers, false).is_empty());
        assert_eq!(check(&answers, true).len(), STATEMENTS.len() - 1);
    }
}
