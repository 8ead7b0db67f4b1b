//! Demo data of the LOB vision: an adopted version and the older one it replaced.

use crate::vision;
use crate::{Result, Tenant};
use koers_domain::vision::{Document, Status};

pub(super) async fn seed(t: Tenant<'_>, manager: &str) -> Result<()> {
    let mut doc = Document {
        mission: "Hogeschool Demo leidt leraren op die **zelf** aan hun loopbaan werken en mbo-studenten \
                  daarin begeleiden. Loopbaanbegeleiding is er voor iedere student, niet alleen als het misgaat."
            .into(),
        principles: "- Elke student krijgt begeleiding bij instroom, voortgang, keuzerichting en uitstroom.\n\
                     - We doen wat we zeggen: ook medewerkers werken aan hun loopbaan.\n\
                     - We stemmen af met de mbo-scholen waar onze studenten gaan werken."
            .into(),
        ambitions: [
            ("intake", "Iedere student heeft binnen zes weken een intakegesprek."),
            ("progress", "Iedere student heeft elk studiejaar minstens één voortgangsgesprek."),
            ("outflow", "Iedere student die stopt of afstudeert, heeft een uitstroomgesprek."),
            ("staff_development", "Elke medewerker heeft een actueel ontwikkelplan."),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
    };
    let mut w = t.begin().await?;
    let v1 = vision::create(&mut w, None, &doc, "Eerste versie", manager).await?;
    w.commit().await?;
    for to in [Status::Proposed, Status::Adopted] {
        let mut w = t.begin().await?;
        vision::set_status(&mut w, None, v1, to, manager).await?;
        w.commit().await?;
    }
    doc.ambitions.insert(
        "field_alignment".into(),
        "Elk jaar bespreken we met onze partnerscholen wat hun docenten nodig hebben.".into(),
    );
    doc.ambitions.insert(
        "learning_line".into(),
        "Elke opleiding heeft een LOB-leerlijn zonder gaten van jaar 1 tot en met 4.".into(),
    );
    doc.ambitions.insert(
        "specialisation".into(),
        "Voor de keuze van een afstudeerrichting heeft iedere student een keuzegesprek.".into(),
    );
    let mut w = t.begin().await?;
    let v2 = vision::create(
        &mut w,
        None,
        &doc,
        "Werkveld en leerlijn toegevoegd",
        manager,
    )
    .await?;
    w.commit().await?;
    for to in [Status::Proposed, Status::Adopted] {
        let mut w = t.begin().await?;
        vision::set_status(&mut w, None, v2, to, manager).await?;
        w.commit().await?;
    }
    Ok(())
}

/// The quality cycle of the running and the previous academic year: indicator values,
/// targets (with a programme's own), improvement actions on indicators, and the programme
/// teams' self-scans with actions on their weakest aspect.
pub(super) async fn seed_quality_cycle(
    t: Tenant<'_>,
    manager: &str,
    lecturer: &str,
    programmes: &[String],
) -> Result<()> {
    use crate::improvement::{self, ActionInput};
    use koers_domain::improvement::{ActionStatus, Source};
    use koers_domain::vision::indicator::{Indicator, action_reference};
    use koers_domain::vision::selfscan::{self, Answer, ScanStatus};

    let today = koers_domain::time::today();
    let year = koers_domain::vision::academic_year(today);
    crate::indicators::refresh_due(t, today, 0).await?;
    let targets: [(Indicator, f64); 11] = [
        (Indicator::IntakeInTime, 0.9),
        (Indicator::ConversationsPerStudent, 2.0),
        (Indicator::SpecialisationGuided, 0.85),
        (Indicator::OutflowGuided, 0.8),
        (Indicator::SelfAssessmentGrowth, 0.6),
        (Indicator::LearningLineGaps, 2.0),
        (Indicator::PlacementTasksCompleted, 0.75),
        (Indicator::FieldNeedsUncovered, 1.0),
        (Indicator::StaffPlansUpToDate, 0.7),
        (Indicator::HrmGuidance, 35.0),
        (Indicator::HrmAppraisal, 30.0),
    ];
    for (y, step) in [(year - 1, 0.9), (year, 1.0)] {
        for (i, target) in targets {
            let value = match i {
                Indicator::LearningLineGaps | Indicator::FieldNeedsUncovered => target,
                Indicator::HrmGuidance | Indicator::HrmAppraisal => (target * step).round(),
                _ => ((target * step) * 100.0).round() / 100.0,
            };
            crate::indicators::set_target(t, y, i, "", Some((value, "")), manager).await?;
        }
    }
    if let Some(first) = programmes.first() {
        crate::indicators::set_target(
            t,
            year,
            Indicator::IntakeInTime,
            first,
            Some((0.95, "Onze opleiding wil voorop lopen.")),
            manager,
        )
        .await?;
    }
    let actions: [(i16, Indicator, &str, &str, ActionStatus, i64); 4] = [
        (
            year - 1,
            Indicator::IntakeInTime,
            "Intakegesprekken inplannen in de eerste week",
            lecturer,
            ActionStatus::Done,
            -200,
        ),
        (
            year,
            Indicator::ConversationsPerStudent,
            "Voortgangsgesprek in het rooster van elk blok",
            manager,
            ActionStatus::Doing,
            60,
        ),
        (
            year,
            Indicator::OutflowGuided,
            "Uitstroomgesprek standaard bij uitschrijving",
            manager,
            ActionStatus::Planned,
            120,
        ),
        (
            year,
            Indicator::StaffPlansUpToDate,
            "Elk team bespreekt de ontwikkelplannen in januari",
            manager,
            ActionStatus::Planned,
            -5,
        ),
    ];
    for (y, i, title, owner, status, due_in) in actions {
        let due = today
            .saturating_add(jiff::Span::new().days(due_in))
            .to_string();
        let mut w = t.begin().await?;
        improvement::create(
            &mut w,
            &Source::Indicator {
                key: action_reference(y, "", i),
            },
            &ActionInput {
                title,
                item_keys: &[],
                owner_id: Some(owner),
                due_on: Some(&due),
                status,
                notes: "",
            },
            manager,
        )
        .await?;
        w.commit().await?;
    }
    // Self-scans: the first programme's team scored last year and this year; the second is
    // scoring this year (a draft).
    let scores = |shift: u8, seed: usize| -> std::collections::BTreeMap<String, Answer> {
        selfscan::STATEMENTS
            .iter()
            .enumerate()
            .map(|(n, (_, k))| {
                let base = [2u8, 3, 2, 3, 4, 3, 2, 1, 2, 2, 3, 2, 3][(n + seed) % 13];
                (
                    (*k).to_owned(),
                    Answer {
                        score: (base + shift).min(selfscan::MAX_SCORE),
                        note: String::new(),
                    },
                )
            })
            .collect()
    };
    let team = "Teamleider, studieloopbaanbegeleiders en docenten LOB";
    if let Some(first) = programmes.first() {
        crate::selfscans::save(
            t,
            first,
            year - 1,
            &scores(0, 0),
            team,
            ScanStatus::Final,
            manager,
        )
        .await?;
        let mut now = scores(1, 0);
        if let Some(a) = now.get_mut("quality_assurance.2") {
            a.score = 1;
            a.note =
                "We bespreken LOB nog niet in de jaarlijkse evaluatie van de opleiding.".into();
        }
        let id =
            crate::selfscans::save(t, first, year, &now, team, ScanStatus::Final, manager).await?;
        let due = today.saturating_add(jiff::Span::new().days(90)).to_string();
        let mut w = t.begin().await?;
        improvement::create(
            &mut w,
            &Source::SelfScanAspect {
                key: selfscan::action_reference(&id, selfscan::Aspect::QualityAssurance),
            },
            &ActionInput {
                title: "LOB als vast onderdeel van de jaarevaluatie",
                item_keys: &[],
                owner_id: Some(manager),
                due_on: Some(&due),
                status: ActionStatus::Planned,
                notes: "",
            },
            manager,
        )
        .await?;
        w.commit().await?;
    }
    if let Some(second) = programmes.get(1) {
        let mut draft = scores(0, 4);
        draft.retain(|k, _| !k.starts_with("professionalisation"));
        crate::selfscans::save(t, second, year, &draft, team, ScanStatus::Draft, manager).await?;
    }
    // The values as they stand after all of the above.
    crate::indicators::refresh(t, year, today).await?;
    Ok(())
}
