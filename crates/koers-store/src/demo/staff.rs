//! Demo data of the staff context: two HRM-scan rounds, one closed with published results,
//! one open that nobody has answered yet.

use crate::staff::scans;
use crate::{Result, Tenant};
use koers_domain::staff::scan::Group;

pub(super) async fn seed(t: Tenant<'_>, hr: &str) -> Result<()> {
    let staff = scans::all_staff(t).await?;
    let instrument = scans::current_instrument(t).await?.instrument;
    let done = scans::create_round(t, "HRM-scan 2025", hr, &staff).await?;
    scans::set_status(t, &done, "open").await?;
    for (n, (user, group)) in staff.iter().enumerate() {
        // HR sees career development as more prominent than staff do, most of all in guidance.
        let base: i64 = match group {
            Group::Hr => 4,
            Group::Manager => 3,
            Group::Staff => 2,
        };
        let mut answers = std::collections::BTreeMap::new();
        for (i, item) in instrument.items.iter().enumerate() {
            let wobble = ((n + i) % 3) as i64 - 1;
            let v = (base + wobble).clamp(1, 5) as u8;
            answers.insert(item.key.clone(), ((n + i) % 11 != 0).then_some(v));
        }
        let mut comments = std::collections::BTreeMap::new();
        if n % 3 == 0 {
            comments.insert(
                "guidance".into(),
                match group {
                    Group::Staff => "Loopbaangesprekken schieten er vaak bij in als het druk is.",
                    _ => "We willen de jaargesprekken meer over ontwikkeling laten gaan.",
                }
                .into(),
            );
        }
        let response = koers_domain::staff::scan::CheckedResponse { answers, comments };
        scans::submit(t, &done, user, *group, &response).await?;
    }
    scans::set_status(t, &done, "closed").await?;
    scans::publish(t, &done).await?;
    // The finished round ran in May and June of the previous academic year.
    let year = koers_domain::vision::academic_year(koers_domain::time::today());
    let on = |m, d| koers_domain::time::start_of_day(jiff::civil::date(year, m, d));
    sqlx::query(
        "UPDATE scan_rounds SET created_at = $1, opened_at = $1, closed_at = $2, published_at = $2 WHERE id = $3",
    )
    .bind(on(5, 11))
    .bind(on(6, 19))
    .bind(&done)
    .execute(t.pool())
    .await?;
    let open = scans::create_round(t, "HRM-scan 2026", hr, &staff).await?;
    scans::set_status(t, &open, "open").await?;
    Ok(())
}

/// The twelve numbered demo employees: (local part of the email, name).
pub const NUMBERED_STAFF: [(&str, &str); 12] = [
    ("medewerker01", "Anouk Bakker"),
    ("medewerker02", "Youssef Idrissi"),
    ("medewerker03", "Ingrid Smit"),
    ("medewerker04", "Thomas Visser"),
    ("medewerker05", "Priya Ramdin"),
    ("medewerker06", "Kees de Boer"),
    ("medewerker07", "Fatma Kaya"),
    ("medewerker08", "Ruben Mulder"),
    ("medewerker09", "Lotte Hendriks"),
    ("medewerker10", "Sander Bos"),
    ("medewerker11", "Naomi Jansen"),
    ("medewerker12", "Wim Koster"),
];

/// Who the staff-development demo builds on (user ids).
pub(super) struct StaffPeople<'a> {
    pub manager: &'a str,
    pub hr: &'a str,
    pub employee: &'a str,
    pub lecturer: &'a str,
    pub counsellors: [&'a str; 2],
    pub numbered: &'a [String],
}

const DAY_MS: i64 = 86_400_000;

/// Teams under manager@, development plans in every state, career conversations, appraisal
/// records, self-assessments, recruitment and appointment records, and an improvement plan
/// for the closed scan round.
pub(super) async fn seed_development(t: Tenant<'_>, p: &StaffPeople<'_>) -> Result<()> {
    use crate::guidance::conversations::{self, NewConversation};
    use crate::guidance::self_assessments::{self, NewSelfAssessment};
    use crate::improvement::{self, ActionInput};
    use crate::staff::{appraisals, development, hr_records, teams};
    use koers_domain::guidance::conversation::{Context, Origin, ReportInput};
    use koers_domain::guidance::{ConversationStatus, competency};
    use koers_domain::improvement::{ActionStatus, Source};
    use koers_domain::staff::development::AppraisalStatus;
    use koers_domain::staff::scan::Stage;

    let now = crate::now_ms();
    let today = koers_domain::time::today();
    let day = |offset: i64| {
        today
            .checked_add(jiff::Span::new().days(offset))
            .unwrap_or(today)
            .to_string()
    };
    let eco = teams::create(t, "Team Economie", Some(p.manager)).await?;
    let zt = teams::create(t, "Team Zorg en Techniek", Some(p.manager)).await?;
    for (i, u) in p.numbered.iter().enumerate() {
        teams::add_member(t, if i < 6 { &eco } else { &zt }, u).await?;
    }
    for u in [p.employee, p.lecturer, p.counsellors[0]] {
        teams::add_member(t, &eco, u).await?;
    }
    teams::add_member(t, &zt, p.counsellors[1]).await?;

    let comps = |keys: &[&str]| keys.iter().map(|k| (*k).to_owned()).collect::<Vec<_>>();
    // Plans: state by person. 0 up to date, 1 outdated, 2 draft, 3 none.
    let mut everyone: Vec<&str> = p.numbered.iter().map(String::as_str).collect();
    everyone.push(p.employee);
    for (i, u) in everyone.iter().enumerate() {
        let state = if *u == p.employee { 2 } else { i % 4 };
        if state == 3 {
            continue;
        }
        development::set_ambition(
            t,
            u,
            "Over drie jaar wil ik studenten in hun loopbaan kunnen begeleiden en collega's daarin meenemen.",
        )
        .await?;
        let g1 = development::add_goal(
            t,
            u,
            "Loopbaangesprekken voeren met de drie vragen van LOB",
            &comps(&["counsellor-profile/career-conversations"]),
            Some(&day(120)),
        )
        .await?;
        let g2 = development::add_goal(
            t,
            u,
            "Mijn eigen netwerk in het mbo uitbreiden",
            &comps(&["career-competencies/networking"]),
            Some(&day(240)),
        )
        .await?;
        development::add_activity(
            t,
            u,
            Some(&g1),
            "Training 'Het loopbaangesprek' (2 dagdelen)",
            Some(&day(45)),
            Some(8),
        )
        .await?;
        development::add_activity(
            t,
            u,
            Some(&g2),
            "Meeloopdag op een ROC",
            Some(&day(-30)),
            Some(6),
        )
        .await?;
        if state == 0 || state == 1 {
            development::set_item_status(t, u, &g1, "doing").await?;
            development::add_progress(
                t,
                u,
                &g1,
                u,
                "Twee oefengesprekken gevoerd met collega's en feedback gevraagd.",
                "",
            )
            .await?;
            development::agree(t, u, p.manager).await?;
            let agreed = if state == 0 {
                now - 40 * DAY_MS
            } else {
                now - 430 * DAY_MS
            };
            sqlx::query(
                "UPDATE development_plans SET agreed_at = $3, updated_at = $3 WHERE institution_id = $1 AND user_id = $2",
            )
            .bind(t.institution_id)
            .bind(*u)
            .bind(agreed)
            .execute(t.pool())
            .await?;
        }
        // Career conversations: held this year for up-to-date plans, one planned for the demo employee.
        if state == 0 {
            let c = conversations::create(
                t,
                NewConversation {
                    context: Context::Staff,
                    person_id: u,
                    guide_id: Some(p.manager),
                    phase: None,
                    status: ConversationStatus::Held,
                    origin: Origin::Recorded,
                    starts_at: Some(now - 40 * DAY_MS),
                    duration_minutes: 60,
                    location: "Kamer A1.05",
                    question: "",
                    created_by: p.manager,
                },
            )
            .await?;
            conversations::save_report(
                t,
                &c.id,
                &ReportInput {
                    summary: "We bespraken het ontwikkelplan. De training over loopbaangesprekken past goed bij de nieuwe rol als studieloopbaanbegeleider.".into(),
                    private_notes: String::new(),
                    competencies: Vec::new(),
                    agreements: Vec::new(),
                },
            )
            .await?;
        }
        // Two self-assessments; for the first plans the second is higher.
        for (k, (age, base)) in [(300, 3), (20, if i % 2 == 0 { 4 } else { 3 })]
            .into_iter()
            .enumerate()
        {
            let answers: std::collections::BTreeMap<String, i64> = competency::ITEMS
                .iter()
                .enumerate()
                .map(|(j, it)| (it.id.to_owned(), (base + ((i + j + k) % 2) as i64).min(5)))
                .collect();
            let scores: std::collections::BTreeMap<String, f64> = competency::score(&answers)
                .map(|s| {
                    s.into_iter()
                        .map(|(c, v)| (c.key().to_owned(), v))
                        .collect()
                })
                .unwrap_or_default();
            let mut w = t.begin().await?;
            self_assessments::create(
                &mut w,
                NewSelfAssessment {
                    person_id: u,
                    instrument: competency::INSTRUMENT_KEY,
                    phase: None,
                    answers: &answers,
                    scores: &scores,
                    shared_counsellor: false,
                    shared_mentor: false,
                    created_at: Some(now - age * DAY_MS),
                },
            )
            .await?;
            w.commit().await?;
        }
    }
    // The demo employee's next career conversation, with manager@.
    conversations::create(
        t,
        NewConversation {
            context: Context::Staff,
            person_id: p.employee,
            guide_id: Some(p.manager),
            phase: None,
            status: ConversationStatus::Planned,
            origin: Origin::Scheduled,
            starts_at: Some(
                koers_domain::time::start_of_day(super::next_week_day(today)) + 14 * 3_600_000,
            ),
            duration_minutes: 60,
            location: "Kamer A1.05",
            question: "",
            created_by: p.manager,
        },
    )
    .await?;
    appraisals::save(
        t,
        &p.numbered[0],
        &appraisals::AppraisalInput {
            year: i64::from(today.year()) - 1,
            manager_id: p.manager,
            conversation_id: None,
            performance: "Anouk is een betrouwbare collega; studenten waarderen haar lessen.",
            career_development: "Anouk wil studieloopbaanbegeleider worden. Afgesproken: de training loopbaangesprekken en meelopen met een ervaren SLB'er.",
            status: AppraisalStatus::Final,
        },
    )
    .await?;

    // Recruitment and appointment records.
    for (title, on, text, interview) in [
        ("Docent economie 0,8 fte", -300, true, true),
        ("Studieloopbaanbegeleider 0,6 fte", -200, true, false),
        ("Docent zorg en welzijn 1,0 fte", -120, false, false),
        ("Praktijkdocent techniek 0,8 fte", -60, true, true),
    ] {
        hr_records::create(
            t,
            &hr_records::NewHrRecord {
                kind: "vacancy",
                title,
                user_id: None,
                on_date: &day(on),
                in_text: text,
                in_interview: interview,
                in_onboarding: false,
                plan_due_on: None,
                notes: "",
                created_by: p.hr,
            },
        )
        .await?;
    }
    for (n, on, onboarding) in [(10usize, -250, true), (11, -80, false)] {
        hr_records::create(
            t,
            &hr_records::NewHrRecord {
                kind: "appointment",
                title: NUMBERED_STAFF[n].1,
                user_id: Some(&p.numbered[n]),
                on_date: &day(on),
                in_text: false,
                in_interview: false,
                in_onboarding: onboarding,
                plan_due_on: Some(&day(on + 90)),
                notes: "",
                created_by: p.hr,
            },
        )
        .await?;
    }

    // The improvement plan of the closed round.
    if let Some(round) = scans::rounds(t)
        .await?
        .into_iter()
        .find(|r| r.published_at.is_some())
    {
        for (stage, title, owner, due, status) in [
            (
                Stage::Recruitment,
                "Een alinea over loopbaanontwikkeling in elke vacaturetekst",
                p.hr,
                -14,
                ActionStatus::Doing,
            ),
            (
                Stage::Guidance,
                "Het jaargesprek krijgt een vast deel over loopbaanontwikkeling",
                p.manager,
                60,
                ActionStatus::Planned,
            ),
            (
                Stage::Appointment,
                "Nieuwe collega's hebben binnen drie maanden een ontwikkelplan",
                p.hr,
                -90,
                ActionStatus::Done,
            ),
        ] {
            let mut w = t.begin().await?;
            improvement::create(
                &mut w,
                &Source::ScanStage {
                    round_id: round.id.clone(),
                    stage,
                },
                &ActionInput {
                    title,
                    item_keys: &[],
                    owner_id: Some(owner),
                    due_on: Some(&day(due)),
                    status,
                    notes: "",
                },
                p.hr,
            )
            .await?;
            w.commit().await?;
        }
    }
    Ok(())
}
