//! Realistic guidance histories for generated demo students: conversations across the four
//! phases (with a few missed), reports and agreements, some who left, planned conversations
//! ahead. Deterministic per student, and with the guidance summary computed alongside, so
//! the bulk insert needs no recomputation.

use crate::guidance::students::Summary;
use jiff::ToSpan;
use jiff::civil::Date;
use koers_domain::guidance::Phase;
use koers_domain::guidance::phase::academic_year_start;
use koers_domain::time::{from_local, start_of_day};

/// A deterministic pseudo-random stream (splitmix64).
pub(crate) struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// True with probability `pct`%.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

pub(crate) struct DemoConversation {
    pub phase: Phase,
    pub starts_at: i64,
    pub held: bool,
    pub summary: &'static str,
    pub notes: &'static str,
    pub competencies: &'static str,
}

pub(crate) struct DemoAgreement {
    /// Index into the conversations.
    pub conversation: usize,
    pub description: &'static str,
    pub owner: &'static str,
    pub due_on: String,
    pub done: bool,
}

pub(crate) struct History {
    pub phase: Phase,
    pub phase_since: Date,
    pub left: Option<(Date, &'static str, &'static str)>,
    pub conversations: Vec<DemoConversation>,
    pub agreements: Vec<DemoAgreement>,
    pub summary: Summary,
}

const SUMMARIES: [(&str, &str); 6] = [
    (
        "We spraken over je eerste weken en wat je motiveert om leraar te worden. Je wilt meer weten over het werk in de zorgopleidingen van het mbo.",
        "[\"motive_reflection\",\"work_exploration\"]",
    ),
    (
        "Je vertelde over je stage: het lesgeven aan niveau 2 gaat goed, klassenmanagement vind je nog lastig. We bespraken hoe je feedback vraagt aan je werkplekbegeleider.",
        "[\"quality_reflection\",\"networking\"]",
    ),
    (
        "Je twijfelt tussen twee keuzerichtingen. We zetten de voor- en nadelen op een rij en je gaat met twee docenten uit het werkveld praten.",
        "[\"career_action\",\"work_exploration\",\"networking\"]",
    ),
    (
        "Studievoortgang besproken: je ligt op schema. Je wilt je volgende stage bij een ROC in de regio doen.",
        "[\"career_action\"]",
    ),
    (
        "Terugblik op het jaar. Je ziet dat je sterker bent geworden in het begeleiden van studenten en wilt dat verder ontwikkelen.",
        "[\"quality_reflection\",\"motive_reflection\"]",
    ),
    (
        "We bespraken je plannen na de opleiding: je solliciteert bij twee mbo-scholen en houdt contact met je stageschool.",
        "[\"career_action\",\"networking\"]",
    ),
];

const AGREEMENTS: [(&str, &str); 6] = [
    (
        "Twee docenten uit het werkveld interviewen over hun werk",
        "student",
    ),
    ("Reflectie schrijven over de eerste stageweek", "student"),
    (
        "Contactgegevens van de stagecoördinator doorsturen",
        "counsellor",
    ),
    ("Keuzemotivatie invullen in het loopbaandossier", "student"),
    ("Zelfbeoordeling loopbaancompetenties invullen", "student"),
    (
        "Informatie over de minor Loopbaanbegeleiding opzoeken",
        "student",
    ),
];

fn at(d: Date, hour: i8) -> i64 {
    from_local(d.at(hour, 0, 0, 0))
}

fn plus(d: Date, days: i64) -> Date {
    d.checked_add(days.days()).unwrap_or(d)
}

/// The history of generated student `i` who started on `start` (1 September of the cohort).
pub(crate) fn history(i: u64, start: Date, today: Date) -> History {
    let mut dice = Dice::new(i);
    let mut conversations: Vec<DemoConversation> = Vec::new();
    let mut agreements = Vec::new();
    let add =
        |dice: &mut Dice, phase: Phase, day: Date, conversations: &mut Vec<DemoConversation>| {
            let held = day < today;
            let (summary, comps) = SUMMARIES[dice.below(SUMMARIES.len() as u64) as usize];
            let notes = if dice.chance(30) {
                "Let op: lijkt onzeker over de studiekeuze; volgende keer doorvragen."
            } else {
                ""
            };
            conversations.push(DemoConversation {
                phase,
                starts_at: at(day, 9 + dice.below(7) as i8),
                held,
                summary: if held { summary } else { "" },
                notes: if held { notes } else { "" },
                competencies: if held { comps } else { "[]" },
            });
        };

    // Leaving early (about 7%), in the first or second year.
    let leaves = dice.chance(7);
    let left_on = leaves
        .then(|| plus(start, 120 + dice.below(420) as i64))
        .filter(|d| *d < today);

    let end = left_on.unwrap_or(today);
    // Intake: most within six weeks, some late, a few never.
    if start < today {
        let r = dice.below(100);
        if r < 88 {
            {
                let day = plus(start, 5 + dice.below(35) as i64);
                add(&mut dice, Phase::Intake, day, &mut conversations);
            }
        } else if r < 95 {
            {
                let day = plus(start, 50 + dice.below(30) as i64);
                add(&mut dice, Phase::Intake, day, &mut conversations);
            }
        }
    }
    // Progress: two moments a year (winter, early summer) in every year so far.
    let mut year = start;
    while year < end {
        for offset in [150, 280] {
            let day = plus(year, offset + dice.below(20) as i64);
            if day < plus(start, 42) || day >= end {
                continue;
            }
            if dice.chance(85) {
                add(&mut dice, Phase::Progress, day, &mut conversations);
            }
        }
        // In the current year a quarter already had an autumn conversation.
        let autumn = plus(year, 60 + dice.below(25) as i64);
        if autumn < end && academic_year_start(today) == year && dice.chance(25) {
            add(&mut dice, Phase::Progress, autumn, &mut conversations);
        }
        year = Date::new(year.year() + 1, 9, 1).unwrap_or(year);
    }
    // Specialisation: before the deadline 540 days in, for most.
    let deadline = plus(start, 540);
    let spec_day = plus(deadline, -(10 + dice.below(100) as i64));
    if spec_day < end && dice.chance(88) {
        add(
            &mut dice,
            Phase::Specialisation,
            spec_day,
            &mut conversations,
        );
    }
    // Outflow: those who left, mostly with an outflow conversation.
    let mut left = None;
    if let Some(l) = left_on {
        if dice.chance(70) {
            {
                let day = plus(l, -(dice.below(10) as i64));
                add(&mut dice, Phase::Outflow, day, &mut conversations);
            }
        }
        let (reason, dest) = if dice.chance(50) {
            ("switched", "further_study")
        } else {
            ("stopped", if dice.chance(50) { "work" } else { "unknown" })
        };
        left = Some((l, reason, dest));
    }
    // A planned conversation ahead for a third of those still studying.
    if left.is_none() && dice.chance(33) {
        let phase = if start > plus(today, -42) {
            Phase::Intake
        } else {
            Phase::Progress
        };
        {
            let day = plus(today, 3 + dice.below(40) as i64);
            add(&mut dice, phase, day, &mut conversations);
        }
    }
    // Agreements from the reports: older ones mostly done, recent ones open.
    for (ci, c) in conversations.iter().enumerate() {
        if !c.held || !dice.chance(70) {
            continue;
        }
        let (d, owner) = AGREEMENTS[dice.below(AGREEMENTS.len() as u64) as usize];
        let day = koers_domain::time::local_date(c.starts_at);
        let due = plus(day, 14 + dice.below(30) as i64);
        let done = due < plus(today, -30) && dice.chance(85) || due < today && dice.chance(50);
        agreements.push(DemoAgreement {
            conversation: ci,
            description: d,
            owner,
            due_on: due.to_string(),
            done,
        });
    }

    let phase_and_since = if let Some((l, _, _)) = left {
        (Phase::Outflow, l)
    } else if start.year() + 3 <= academic_year_start(today).year() {
        // Final year: preparing for outflow from February.
        let feb = Date::new(academic_year_start(today).year() + 1, 2, 1).unwrap_or(today);
        if today >= feb {
            (Phase::Outflow, feb)
        } else {
            (Phase::Progress, plus(start, 42))
        }
    } else if today >= plus(deadline, -120) && today <= deadline {
        (Phase::Specialisation, plus(deadline, -120))
    } else if today > plus(start, 42) {
        (Phase::Progress, plus(start, 42))
    } else {
        (Phase::Intake, start)
    };

    let summary = summarise(&conversations, &agreements, today);
    History {
        phase: phase_and_since.0,
        phase_since: phase_and_since.1,
        left,
        conversations,
        agreements,
        summary,
    }
}

/// The guidance summary of a history, by the rules of `guidance::summary::compute`.
fn summarise(cs: &[DemoConversation], ags: &[DemoAgreement], today: Date) -> Summary {
    let year_start = academic_year_start(today);
    let from = start_of_day(year_start);
    let until = start_of_day(Date::new(year_start.year() + 1, 9, 1).unwrap_or(year_start));
    let mut s = Summary {
        progress_year: year_start.year(),
        ..Default::default()
    };
    for c in cs {
        if c.held {
            s.last_held_at = Some(s.last_held_at.map_or(c.starts_at, |l| l.max(c.starts_at)));
            if c.phase != Phase::Progress || (c.starts_at >= from && c.starts_at < until) {
                s.held[c.phase.index()] += 1;
            }
        } else {
            s.next_planned_at = Some(
                s.next_planned_at
                    .map_or(c.starts_at, |n| n.min(c.starts_at)),
            );
        }
    }
    for a in ags.iter().filter(|a| !a.done) {
        s.open_agreements += 1;
        if s.first_due_agreement.as_ref().is_none_or(|d| &a.due_on < d) {
            s.first_due_agreement = Some(a.due_on.clone());
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn histories_are_varied_and_plausible() {
        let today = date(2026, 11, 29);
        let mut intake_missed = 0;
        let mut left = 0;
        let mut planned = 0;
        for i in 0..1000 {
            let h = history(i, date(2024, 9, 1), today);
            if h.summary.held[0] == 0 {
                intake_missed += 1;
            }
            if h.left.is_some() {
                left += 1;
            }
            if h.summary.next_planned_at.is_some() {
                planned += 1;
            }
            for c in &h.conversations {
                assert_eq!(c.held, c.starts_at < start_of_day(today));
            }
        }
        assert!((20..150).contains(&intake_missed), "{intake_missed}");
        assert!((20..150).contains(&left), "{left}");
        assert!(planned > 200, "{planned}");
    }

    #[test]
    fn same_student_same_history() {
        let a = history(7, date(2025, 9, 1), date(2026, 11, 29));
        let b = history(7, date(2025, 9, 1), date(2026, 11, 29));
        assert_eq!(a.conversations.len(), b.conversations.len());
        assert_eq!(a.summary.held, b.summary.held);
    }
}
