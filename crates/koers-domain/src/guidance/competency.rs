//! Kuijpers' five career competencies and Koers's own self-assessment items for them.

use std::collections::BTreeMap;

/// One of the five career competencies.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CareerCompetency {
    QualityReflection,
    MotiveReflection,
    WorkExploration,
    CareerAction,
    Networking,
}

impl CareerCompetency {
    pub const ALL: [CareerCompetency; 5] = [
        CareerCompetency::QualityReflection,
        CareerCompetency::MotiveReflection,
        CareerCompetency::WorkExploration,
        CareerCompetency::CareerAction,
        CareerCompetency::Networking,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            CareerCompetency::QualityReflection => "quality_reflection",
            CareerCompetency::MotiveReflection => "motive_reflection",
            CareerCompetency::WorkExploration => "work_exploration",
            CareerCompetency::CareerAction => "career_action",
            CareerCompetency::Networking => "networking",
        }
    }

    pub fn parse(s: &str) -> Option<CareerCompetency> {
        CareerCompetency::ALL
            .into_iter()
            .find(|c| c.key() == s.trim())
    }
}

/// A statement of the self-assessment, answered on a 1–5 scale (1 = not at all like me,
/// 5 = very much like me).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub id: &'static str,
    pub competency: CareerCompetency,
    pub nl: &'static str,
    pub en: &'static str,
}

use CareerCompetency::*;

/// The instrument's key in the API and the database.
pub const INSTRUMENT_KEY: &str = "career-competencies";

/// Koers's own items, four per competency.
pub const ITEMS: [Item; 20] = [
    Item {
        id: "qr1",
        competency: QualityReflection,
        nl: "Ik kan vertellen waar ik goed in ben.",
        en: "I can say what I am good at.",
    },
    Item {
        id: "qr2",
        competency: QualityReflection,
        nl: "Ik weet welke dingen ik nog moeilijk vind.",
        en: "I know which things I still find hard.",
    },
    Item {
        id: "qr3",
        competency: QualityReflection,
        nl: "Na een stage of project bedenk ik wat het zegt over mijn kwaliteiten.",
        en: "After a placement or project I think about what it says about my qualities.",
    },
    Item {
        id: "qr4",
        competency: QualityReflection,
        nl: "Ik vraag anderen wat zij zien als mijn sterke punten.",
        en: "I ask others what they see as my strengths.",
    },
    Item {
        id: "mr1",
        competency: MotiveReflection,
        nl: "Ik weet wat ik belangrijk vind in mijn werk.",
        en: "I know what matters to me in my work.",
    },
    Item {
        id: "mr2",
        competency: MotiveReflection,
        nl: "Ik kan uitleggen waarom ik leraar wil worden.",
        en: "I can explain why I want to become a teacher.",
    },
    Item {
        id: "mr3",
        competency: MotiveReflection,
        nl: "Ik merk wanneer ik energie krijg van een taak en wanneer niet.",
        en: "I notice when a task gives me energy and when it does not.",
    },
    Item {
        id: "mr4",
        competency: MotiveReflection,
        nl: "Mijn keuzes in de opleiding passen bij wat ik wil.",
        en: "My choices in the programme fit what I want.",
    },
    Item {
        id: "we1",
        competency: WorkExploration,
        nl: "Ik weet wat het werk van een mbo-docent vraagt.",
        en: "I know what the work of an mbo teacher asks of you.",
    },
    Item {
        id: "we2",
        competency: WorkExploration,
        nl: "Ik zoek zelf informatie op over scholen en banen die mij passen.",
        en: "I look up information about schools and jobs that fit me myself.",
    },
    Item {
        id: "we3",
        competency: WorkExploration,
        nl: "Ik heb met docenten in het werkveld gepraat over hun werk.",
        en: "I have talked with teachers in the field about their work.",
    },
    Item {
        id: "we4",
        competency: WorkExploration,
        nl: "Ik ken de verschillende rollen die een docent in het mbo kan hebben.",
        en: "I know the different roles a teacher can have in mbo.",
    },
    Item {
        id: "ca1",
        competency: CareerAction,
        nl: "Ik maak een plan voor de volgende stap in mijn studie.",
        en: "I make a plan for the next step in my studies.",
    },
    Item {
        id: "ca2",
        competency: CareerAction,
        nl: "Ik kies zelf wat ik wil leren en waar ik dat wil doen.",
        en: "I choose myself what I want to learn and where.",
    },
    Item {
        id: "ca3",
        competency: CareerAction,
        nl: "Als iets niet lukt, zoek ik een andere manier.",
        en: "When something does not work out, I look for another way.",
    },
    Item {
        id: "ca4",
        competency: CareerAction,
        nl: "Ik houd bij of ik mijn afspraken en doelen haal.",
        en: "I keep track of whether I meet my agreements and goals.",
    },
    Item {
        id: "nw1",
        competency: Networking,
        nl: "Ik ken mensen in het werkveld die mij verder kunnen helpen.",
        en: "I know people in the field who can help me further.",
    },
    Item {
        id: "nw2",
        competency: Networking,
        nl: "Ik durf iemand te benaderen om iets te vragen over mijn loopbaan.",
        en: "I dare to approach someone to ask about my career.",
    },
    Item {
        id: "nw3",
        competency: Networking,
        nl: "Ik onderhoud contact met mensen van mijn stageschool.",
        en: "I keep in touch with people from my placement school.",
    },
    Item {
        id: "nw4",
        competency: Networking,
        nl: "Ik laat anderen weten wat ik zoek in mijn werk.",
        en: "I let others know what I am looking for in my work.",
    },
];

pub fn item(id: &str) -> Option<&'static Item> {
    ITEMS.iter().find(|i| i.id == id)
}

/// Scores per competency: the mean answer (1–5) of its items, rounded to two decimals.
pub type Scores = BTreeMap<CareerCompetency, f64>;

/// Why a set of answers is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("unknown item {0:?}")]
    UnknownItem(String),
    #[error("answer to {0:?} must be a whole number from 1 to 5")]
    OutOfRange(String),
    #[error("no answer to {0:?}")]
    Missing(&'static str),
}

/// Check that every item is answered with 1–5, and compute the scores.
pub fn score(answers: &BTreeMap<String, i64>) -> Result<Scores, AnswerError> {
    for (id, v) in answers {
        if item(id).is_none() {
            return Err(AnswerError::UnknownItem(id.clone()));
        }
        if !(1..=5).contains(v) {
            return Err(AnswerError::OutOfRange(id.clone()));
        }
    }
    let mut out = Scores::new();
    for c in CareerCompetency::ALL {
        let mut sum = 0;
        let mut n = 0;
        for i in ITEMS.iter().filter(|i| i.competency == c) {
            let v = answers.get(i.id).ok_or(AnswerError::Missing(i.id))?;
            sum += v;
            n += 1;
        }
        out.insert(c, ((sum as f64 / n as f64) * 100.0).round() / 100.0);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(v: i64) -> BTreeMap<String, i64> {
        ITEMS.iter().map(|i| (i.id.to_owned(), v)).collect()
    }

    #[test]
    fn items_cover_every_competency_with_unique_ids() {
        let mut ids = std::collections::HashSet::new();
        for i in &ITEMS {
            assert!(ids.insert(i.id));
            assert!(!i.nl.is_empty() && !i.en.is_empty());
        }
        for c in CareerCompetency::ALL {
            assert!(ITEMS.iter().filter(|i| i.competency == c).count() >= 3);
        }
    }

    #[test]
    fn scores_are_means_per_competency() {
        let mut a = all(3);
        a.insert("qr1".into(), 5);
        a.insert("qr2".into(), 4);
        let s = score(&a).unwrap();
        assert_eq!(s[&QualityReflection], 3.75);
        assert_eq!(s[&Networking], 3.0);
        assert_eq!(s.len(), 5);
    }

    #[test]
    fn answers_are_checked() {
        let mut a = all(3);
        a.insert("qr1".into(), 6);
        assert_eq!(score(&a), Err(AnswerError::OutOfRange("qr1".into())));
        let mut a = all(3);
        a.remove("nw4");
        assert_eq!(score(&a), Err(AnswerError::Missing("nw4")));
        let mut a = all(3);
        a.insert("xx".into(), 3);
        assert!(matches!(score(&a), Err(AnswerError::UnknownItem(_))));
    }
}
