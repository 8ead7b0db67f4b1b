//! Demo data: two institutions (so tenant isolation is visible), fixed accounts for every role,
//! and generated people with realistic Dutch names, inserted in bulk.

mod curriculum;
mod field;
mod history;
mod scale;
mod staff;
mod vision;

use crate::platform::{institutions, passwords, programmes, users};
use crate::{Db, Result, Tenant, now_ms};
use koers_domain::{Role, RoleAssignment};

pub const DEFAULT_PASSWORD: &str = "koers-demo";
pub const DEFAULT_STUDENTS: u64 = 120;
pub const MAX_STUDENTS: u64 = 1_000_000;

/// The fixed accounts of "Hogeschool Demo", one per role, in the order of the roles.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 8] = [
    (
        "beheerder@demo.koers.test",
        "Bram Beheerder",
        Role::Administrator,
    ),
    (
        "manager@demo.koers.test",
        "Mirjam de Manager",
        Role::ProgrammeManager,
    ),
    ("slb@demo.koers.test", "Sevda Yılmaz", Role::Counsellor),
    ("docent@demo.koers.test", "Daan van Dijk", Role::Lecturer),
    ("student@demo.koers.test", "Zoë van der Meer", Role::Student),
    ("hr@demo.koers.test", "Hanneke Hoekstra", Role::HrAdviser),
    (
        "medewerker@demo.koers.test",
        "Mehmet Öztürk",
        Role::Employee,
    ),
    (
        "mentor@demo.koers.test",
        "Marloes ter Horst",
        Role::PlacementMentor,
    ),
];
pub const SECOND_ADMIN: &str = "beheerder@tweede.koers.test";
/// A second counsellor, whose caseload does not hold the demo student.
pub const SECOND_COUNSELLOR: (&str, &str) = ("slb2@demo.koers.test", "Jeroen Vermeulen");

const PROGRAMMES: [(&str, &str); 3] = [
    ("LO-ECO", "Leraar Economie (mbo)"),
    ("LO-ZW", "Leraar Zorg en Welzijn (mbo)"),
    ("LO-TECH", "Leraar Techniek (mbo)"),
];
const COHORTS: [i64; 4] = [2023, 2024, 2025, 2026];

const GIVEN: &[&str] = &[
    "Anouk", "Bram", "Chloë", "Daan", "Emma", "Fenna", "Gijs", "Hanna", "Isa", "Jesse", "Julia",
    "Lotte", "Luuk", "Milan", "Noa", "Noé", "Olivier", "Rüya", "Sanne", "Sem", "Tess", "Thijs",
    "Yara", "Zoë", "Mohamed", "Ayşe", "Fleur", "Joëlle", "Kees", "Liam", "Maud", "Niels", "Renée",
    "Senna", "Stijn", "Wouter", "Ilse", "Hüseyin", "Esmée", "Ruben",
];
const PREFIX: &[&str] = &[
    "", "", "", "van", "de", "van der", "van den", "ter", "van 't", "", "den", "",
];
const FAMILY: &[&str] = &[
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Dijkstra",
    "Groot",
    "Berg",
    "Veen",
    "Wit",
    "Kramer",
    "Sarıkaya",
    "El Idrissi",
    "Boer",
    "Vries",
    "Linden",
    "Hoek",
    "Çelik",
    "Bruijn",
    "Koç",
    "Wijk",
    "Heuvel",
    "Kuipers",
    "Ploeg",
    "Gerritsen",
    "Brink",
    "Schouten",
    "Hoekstra",
    "Maas",
    "Verhoeven",
    "Huisman",
    "Kok",
    "Akkerman",
];

/// A deterministic generated person: (display name, email local part).
pub fn person(i: u64) -> (String, String) {
    let (g, p, f) = name_parts(i);
    let name = koers_domain::guidance::import::display_name(g, p, f);
    (name, email_local(i))
}

/// Given name, prefix and family name of generated person `i`.
pub fn name_parts(i: u64) -> (&'static str, &'static str, &'static str) {
    (
        GIVEN[(i % GIVEN.len() as u64) as usize],
        PREFIX[((i / 7) % PREFIX.len() as u64) as usize],
        FAMILY[((i / 3 + i / 101) % FAMILY.len() as u64) as usize],
    )
}

fn email_local(i: u64) -> String {
    let (g, _, f) = name_parts(i);
    let ascii: String = format!("{g}.{f}")
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'ë' | 'é' => 'e',
            'ü' => 'u',
            'ö' => 'o',
            'ç' => 'c',
            'ş' => 's',
            'ı' => 'i',
            'a'..='z' | '.' => c,
            _ => '-',
        })
        .collect();
    format!("{ascii}.{i}")
}

/// What the seed made, to print for the operator.
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub accounts: Vec<(String, Role)>,
    pub second_admin: String,
    pub students: u64,
}

/// Whether the database holds no institution yet.
pub async fn is_empty(db: &Db) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM institutions")
        .fetch_one(db.pool())
        .await?;
    Ok(n == 0)
}

/// Seed the demo institutions if the database is empty (returns `None` otherwise).
/// `progress(done, total)` is called as generated students are written.
pub async fn seed(
    db: &Db,
    password: &str,
    students: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Option<DemoReport>> {
    if !is_empty(db).await? {
        return Ok(None);
    }
    let students = students.min(MAX_STUDENTS);
    let demo = institutions::create(db, "Hogeschool Demo", "demo").await?;
    let t = Tenant::new(db, &demo.id);
    // Recognised at single sign-on by its home organisation (the demo provider's).
    crate::platform::sso::set_settings(
        t,
        &crate::platform::sso::Settings {
            home_organization: Some("demo.koers.test".into()),
            password_login: true,
        },
    )
    .await?;
    // Its own part of the privacy statement (Hogeschool Tweede has none yet).
    institutions::set_privacy_contact(
        t,
        &institutions::PrivacyContact {
            controller: Some("Stichting Hogeschool Demo".into()),
            officer: Some("Mr. A. (Anouk) de Jong".into()),
            email: Some("privacy@demo.koers.test".into()),
            note: Some(
                "Het College van Bestuur is verantwoordelijk. Een verzoek om inzage of wissen \
                 behandelen we binnen vier weken."
                    .into(),
            ),
            updated_at: None,
        },
    )
    .await?;
    let mut progs = Vec::new();
    for (code, name) in PROGRAMMES {
        let p = programmes::create(t, code, name).await?;
        let mut cohorts = Vec::new();
        for y in COHORTS {
            cohorts.push(programmes::add_cohort(t, &p.id, y).await?);
        }
        progs.push((p, cohorts));
    }

    let hashes: Vec<String> = {
        let pw = password.to_owned();
        tokio::task::spawn_blocking(move || {
            // The fixed accounts, slb2@, the second institution's administrator, and one
            // hash shared by the twelve numbered employees (same demo password).
            (0..DEMO_ACCOUNTS.len() + 3)
                .map(|_| passwords::hash(&pw))
                .collect()
        })
        .await
        .expect("hashing thread")
    };
    let eco = &progs[0];
    let mut ids = Vec::new();
    for (i, (email, name, role)) in DEMO_ACCOUNTS.iter().enumerate() {
        let mut roles = vec![RoleAssignment {
            role: *role,
            programme_id: (*role == Role::Student).then(|| eco.0.id.clone()),
        }];
        if role.is_staff() && *role != Role::Employee {
            roles.push(RoleAssignment {
                role: Role::Employee,
                programme_id: None,
            });
        }
        let u = users::create(
            t,
            users::NewUser {
                email,
                name,
                password_hash: Some(hashes[i].clone()),
                locale: None,
                roles: &roles,
            },
        )
        .await?;
        ids.push(u.id);
    }
    let slb_id = ids[2].clone();
    let zoe = demo_student(t, &ids[4], &eco.0.id, &eco.1[2].id, &slb_id).await?;
    let slb2 = users::create(
        t,
        users::NewUser {
            email: SECOND_COUNSELLOR.0,
            name: SECOND_COUNSELLOR.1,
            password_hash: Some(hashes[DEMO_ACCOUNTS.len()].clone()),
            locale: None,
            roles: &[
                RoleAssignment {
                    role: Role::Counsellor,
                    programme_id: None,
                },
                RoleAssignment {
                    role: Role::Employee,
                    programme_id: None,
                },
            ],
        },
    )
    .await?;
    demo_history(t, &zoe, &ids[4], &slb_id).await?;
    curriculum::seed(t, &ids[4], &ids[3]).await?;
    curriculum::seed_activities(t, &eco.0.id, &ids[3]).await?;

    // Generated staff: counsellors (with the two demo counsellors, one per 100 students, so a
    // caseload is about 100 at every size), a lecturer per programme, employees.
    let n_counsellors = (students / 100).saturating_sub(2).clamp(1, 10_000);
    let mut counsellors = vec![slb_id, slb2.id];
    let mut staff = Vec::new();
    for i in 0..n_counsellors {
        let (name, local) = person(1_000_000 + i);
        staff.push((
            name,
            format!("{local}@demo.koers.test"),
            vec![Role::Counsellor, Role::Lecturer, Role::Employee],
        ));
    }
    for i in 0..(n_counsellors / 2 + 3) {
        let (name, local) = person(2_000_000 + i);
        staff.push((
            name,
            format!("{local}@demo.koers.test"),
            vec![Role::Employee],
        ));
    }
    for (name, email, roles) in &staff {
        let roles: Vec<RoleAssignment> = roles
            .iter()
            .map(|r| RoleAssignment {
                role: *r,
                programme_id: None,
            })
            .collect();
        let u = users::create(
            t,
            users::NewUser {
                email,
                name,
                password_hash: None,
                locale: None,
                roles: &roles,
            },
        )
        .await?;
        if roles[0].role == Role::Counsellor {
            counsellors.push(u.id);
        }
    }

    let mut numbered = Vec::new();
    for (local, name) in staff::NUMBERED_STAFF {
        let lecturer = numbered.len() % 3 != 2;
        let mut roles = vec![RoleAssignment {
            role: Role::Employee,
            programme_id: None,
        }];
        if lecturer {
            roles.insert(
                0,
                RoleAssignment {
                    role: Role::Lecturer,
                    programme_id: None,
                },
            );
        }
        let u = users::create(
            t,
            users::NewUser {
                email: &format!("{local}@demo.koers.test"),
                name,
                password_hash: Some(hashes[DEMO_ACCOUNTS.len() + 2].clone()),
                locale: None,
                roles: &roles,
            },
        )
        .await?;
        numbered.push(u.id);
    }

    bulk_students(t, &progs, &counsellors, students, progress).await?;
    // Statistics for the planner before the indicator values are computed below.
    db.analyze(true).await?;
    staff::seed(t, &ids[5]).await?;
    staff::seed_development(
        t,
        &staff::StaffPeople {
            manager: &ids[1],
            hr: &ids[5],
            employee: &ids[6],
            lecturer: &ids[3],
            counsellors: [&counsellors[0], &counsellors[1]],
            numbered: &numbered,
        },
    )
    .await?;
    // Another student with a placement: the first generated student of LO-TECH.
    let other_student: Option<String> = sqlx::query_scalar(
        "SELECT s.id FROM students s JOIN programmes p ON p.id = s.programme_id \
         WHERE s.institution_id = $1 AND p.code = 'LO-TECH' ORDER BY s.student_number LIMIT 1",
    )
    .bind(&demo.id)
    .fetch_optional(db.pool())
    .await?;
    field::seed(
        t,
        &field::FieldPeople {
            mentor: &ids[7],
            student: &zoe,
            other_student: other_student.as_deref(),
            institute_coordinator: &ids[3],
            manager: &ids[1],
            hash: &hashes[DEMO_ACCOUNTS.len() + 2],
        },
    )
    .await?;

    scale::seed(
        t,
        &scale::ScalePeople {
            manager: &ids[1],
            students,
        },
    )
    .await?;
    vision::seed(t, &ids[1]).await?;
    let programme_ids: Vec<String> = progs.iter().map(|(p, _)| p.id.clone()).collect();
    vision::seed_quality_cycle(t, &ids[1], &ids[3], &programme_ids).await?;

    let second = institutions::create(db, "Hogeschool Tweede", "tweede").await?;
    let t2 = Tenant::new(db, &second.id);
    crate::platform::sso::set_settings(
        t2,
        &crate::platform::sso::Settings {
            home_organization: Some("tweede.koers.test".into()),
            password_login: true,
        },
    )
    .await?;
    let p2 = programmes::create(t2, "LO-NL", "Leraar Nederlands (mbo)").await?;
    let c2 = programmes::add_cohort(t2, &p2.id, 2025).await?;
    let admin_roles = [
        RoleAssignment {
            role: Role::Administrator,
            programme_id: None,
        },
        RoleAssignment {
            role: Role::Employee,
            programme_id: None,
        },
    ];
    users::create(
        t2,
        users::NewUser {
            email: SECOND_ADMIN,
            name: "Tessa Tweede",
            password_hash: Some(hashes[DEMO_ACCOUNTS.len() + 1].clone()),
            locale: None,
            roles: &admin_roles,
        },
    )
    .await?;
    bulk_students(t2, &[(p2, vec![c2])], &[], 12, &|_, _| {}).await?;

    Ok(Some(DemoReport {
        accounts: DEMO_ACCOUNTS
            .iter()
            .map(|(e, _, r)| (e.to_string(), *r))
            .chain([
                (SECOND_COUNSELLOR.0.to_owned(), Role::Counsellor),
                (field::SECOND_MENTOR.0.to_owned(), Role::PlacementMentor),
                (
                    field::SCHOOL_COORDINATOR.0.to_owned(),
                    Role::PartnerCoordinator,
                ),
                (
                    "medewerker01@ … medewerker12@demo.koers.test".to_owned(),
                    Role::Employee,
                ),
            ])
            .collect(),
        second_admin: SECOND_ADMIN.into(),
        students,
    }))
}

/// The fixed demo student (Zoë van der Meer, LO-ECO 2025), in the specialisation phase.
async fn demo_student(
    t: Tenant<'_>,
    user_id: &str,
    programme_id: &str,
    cohort_id: &str,
    counsellor_id: &str,
) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO students (id, institution_id, user_id, student_number, programme_id, cohort_id, counsellor_id, \
         created_at, given_name, name_prefix, family_name, start_date, phase, phase_since, updated_at) \
         VALUES ($1, $2, $3, '500000', $4, $5, $6, $7, 'Zoë', 'van der', 'Meer', '2025-09-01', 'specialisation', '2026-11-01', $7)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(user_id)
    .bind(programme_id)
    .bind(cohort_id)
    .bind(counsellor_id)
    .bind(now)
    .execute(t.pool())
    .await?;
    sqlx::query(
        "INSERT INTO counsellor_history (id, institution_id, student_id, counsellor_id, from_at, reason) \
         VALUES ($1, $2, $3, $4, $5, 'demo')",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(&id)
    .bind(counsellor_id)
    .bind(koers_domain::time::start_of_day(jiff::civil::date(2025, 9, 1)))
    .execute(t.pool())
    .await?;
    for (phase, on) in [
        ("intake", "2025-09-01"),
        ("progress", "2025-10-13"),
        ("specialisation", "2026-11-01"),
    ] {
        sqlx::query(
            "INSERT INTO phase_transitions (id, institution_id, student_id, phase, on_date, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(koers_domain::new_id())
        .bind(t.institution_id)
        .bind(&id)
        .bind(phase)
        .bind(on)
        .bind(counsellor_id)
        .bind(now)
        .execute(t.pool())
        .await?;
    }
    Ok(id)
}

/// Zoë's conversations, reports, agreements and self-assessments, through the store's own
/// functions (so the summary is maintained as in real use).
async fn demo_history(t: Tenant<'_>, student_id: &str, user_id: &str, slb: &str) -> Result<()> {
    use crate::guidance::conversations::{self, NewConversation};
    use koers_domain::guidance::conversation::{AgreementInput, Origin, ReportInput};
    use koers_domain::guidance::{
        AgreementOwner, AgreementStatus, CareerCompetency, ConversationStatus, Phase,
    };
    use koers_domain::time::from_local;
    let d = |y, m, day| jiff::civil::date(y, m, day);
    /// (description, owner, due, done)
    type DemoAgreement = (&'static str, AgreementOwner, jiff::civil::Date, bool);
    /// (phase, day, hour, summary, competencies, agreements)
    type Talk = (
        Phase,
        jiff::civil::Date,
        i8,
        &'static str,
        Vec<CareerCompetency>,
        Vec<DemoAgreement>,
    );
    let talks: [Talk; 5] = [
        (
            Phase::Intake,
            d(2025, 9, 24),
            10,
            "Kennismaking. Zoë koos voor Leraar Economie omdat ze het leuk vindt om uit te leggen hoe geld en bedrijven werken. Ze wil ontdekken of het mbo bij haar past.",
            vec![
                CareerCompetency::MotiveReflection,
                CareerCompetency::WorkExploration,
            ],
            vec![(
                "Een dag meelopen met een docent economie op een ROC",
                AgreementOwner::Student,
                d(2025, 11, 1),
                true,
            )],
        ),
        (
            Phase::Progress,
            d(2026, 2, 10),
            14,
            "De meeloopdag was een eyeopener: Zoë merkte dat ze energie krijgt van de praktijkvakken. Studievoortgang op schema (27 van de 30 studiepunten).",
            vec![
                CareerCompetency::QualityReflection,
                CareerCompetency::MotiveReflection,
            ],
            vec![(
                "Reflectie schrijven over de meeloopdag",
                AgreementOwner::Student,
                d(2026, 3, 1),
                true,
            )],
        ),
        (
            Phase::Progress,
            d(2026, 6, 15),
            11,
            "Terugblik op het eerste jaar: BSA gehaald. Zoë wil in jaar 2 stage lopen bij een mbo-opleiding Ondernemen.",
            vec![CareerCompetency::CareerAction],
            vec![(
                "Contact leggen met de stagecoördinator van het Albeda",
                AgreementOwner::Counsellor,
                d(2026, 9, 1),
                true,
            )],
        ),
        (
            Phase::Progress,
            d(2026, 10, 8),
            9,
            "Eerste stageweken besproken. Klassenmanagement bij niveau 2 vindt Zoë lastig; ze vraagt haar werkplekbegeleider om feedback. Ze twijfelt tussen de keuzerichtingen Ondernemerschap en Loopbaanbegeleiding.",
            vec![
                CareerCompetency::QualityReflection,
                CareerCompetency::Networking,
            ],
            vec![
                (
                    "Reflectie schrijven over de eerste stageweek",
                    AgreementOwner::Student,
                    d(2026, 11, 20),
                    false,
                ),
                (
                    "Twee docenten uit het werkveld interviewen over hun keuzerichting",
                    AgreementOwner::Student,
                    d(2026, 12, 15),
                    false,
                ),
            ],
        ),
        (
            Phase::Specialisation,
            // Always ahead of the day the demo is made, so the demo shows a next conversation.
            next_week_day(koers_domain::time::today()),
            10,
            "",
            vec![],
            vec![],
        ),
    ];
    for (phase, day, hour, summary, comps, ags) in talks {
        let starts_at = from_local(day.at(hour, 0, 0, 0));
        let held = starts_at < now_ms();
        let c = conversations::create(
            t,
            NewConversation {
                context: koers_domain::guidance::conversation::Context::Student,
                person_id: user_id,
                guide_id: Some(slb),
                phase: Some(phase),
                status: if held {
                    ConversationStatus::Held
                } else {
                    ConversationStatus::Planned
                },
                origin: Origin::Scheduled,
                starts_at: Some(starts_at),
                duration_minutes: 45,
                location: "Lokaal B2.14",
                question: "",
                created_by: slb,
            },
        )
        .await?;
        if !held {
            continue;
        }
        let report = ReportInput {
            summary: summary.to_owned(),
            private_notes: if phase == Phase::Progress && day.month() == 10 {
                "Zoë leek moe; vragen hoe het thuis gaat.".to_owned()
            } else {
                String::new()
            },
            competencies: comps,
            agreements: ags
                .iter()
                .map(|(desc, owner, due, _)| AgreementInput {
                    description: (*desc).to_owned(),
                    owner: *owner,
                    due_on: Some(*due),
                })
                .collect(),
        };
        conversations::save_report(t, &c.id, &report).await?;
        for a in conversations::agreements_of_conversation(t, &c.id).await? {
            if ags
                .iter()
                .any(|(desc, _, _, done)| *done && *desc == a.description)
            {
                conversations::set_agreement_status(t, &a.id, AgreementStatus::Done).await?;
            }
        }
    }
    // Two self-assessments, showing growth.
    let items = &koers_domain::guidance::competency::ITEMS;
    for (phase, at, base) in [
        (Phase::Intake, from_local(d(2025, 9, 20).at(12, 0, 0, 0)), 2),
        (
            Phase::Progress,
            from_local(d(2026, 6, 10).at(12, 0, 0, 0)),
            3,
        ),
    ] {
        let answers: std::collections::BTreeMap<String, i64> = items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                (
                    it.id.to_owned(),
                    (base + (i as i64 % 3) - 1
                        + i64::from(it.competency == CareerCompetency::MotiveReflection))
                    .clamp(1, 5),
                )
            })
            .collect();
        let scores: std::collections::BTreeMap<String, f64> =
            koers_domain::guidance::competency::score(&answers)
                .map(|s| {
                    s.into_iter()
                        .map(|(c, v)| (c.key().to_owned(), v))
                        .collect()
                })
                .unwrap_or_default();
        let mut w = t.begin().await?;
        crate::guidance::self_assessments::create(
            &mut w,
            crate::guidance::self_assessments::NewSelfAssessment {
                person_id: user_id,
                instrument: koers_domain::guidance::competency::INSTRUMENT_KEY,
                phase: Some(phase),
                answers: &answers,
                scores: &scores,
                shared_counsellor: true,
                // The latest is shared with her placement mentor too.
                shared_mentor: phase == Phase::Progress,
                created_at: Some(at),
            },
        )
        .await?;
        w.commit().await?;
    }
    // Her career file: a shared reflection, a goal, her choice so far, a handover note.
    use crate::guidance::career_file::{self, Choice, Intake, Sharing};
    let shared = Sharing {
        counsellor: true,
        mentor: false,
    };
    // The reflection on her placement is shared with her placement mentor as well.
    career_file::add_reflection(
        t,
        user_id,
        "placement",
        "Mijn eerste stageweek op het mbo",
        "Ik gaf mijn eerste les aan een klas Ondernemen niveau 4. De uitleg ging goed, het groepswerk liep rommelig. \
         Volgende keer geef ik elke groep een rol. Ik merk dat ik het leuk vind om studenten te helpen kiezen.",
        Sharing {
            counsellor: true,
            mentor: true,
        },
    )
    .await?;
    career_file::add_reflection(
        t,
        user_id,
        "other",
        "Twijfels",
        "Soms twijfel ik of ik dit vier jaar volhoud. Dit houd ik nog even voor mezelf.",
        Sharing::default(),
    )
    .await?;
    career_file::add_goal(
        t,
        user_id,
        "Een keuzerichting kiezen die bij me past",
        "Met twee docenten uit het werkveld praten en mijn keuzemotivatie schrijven.",
        Some("2027-02-15"),
        shared,
    )
    .await?;
    career_file::save_choice(
        t,
        student_id,
        &Choice {
            options: "Ondernemerschap, Loopbaanbegeleiding".into(),
            choice: String::new(),
            motivation: "Ik twijfel nog. Loopbaanbegeleiding trekt me omdat ik graag met studenten praat over hun toekomst."
                .into(),
            updated_at: None,
        },
    )
    .await?;
    career_file::save_intake(
        t,
        student_id,
        &Intake {
            study_choice_outcome: Some("positive".into()),
            study_choice_notes: "Goede motivatie; let op planning.".into(),
            handover_note: "Op het havo hielp een weekplanning me om bij te blijven.".into(),
            handover_shared: true,
        },
    )
    .await?;
    crate::guidance::records::add_progress(t, student_id, d(2026, 6, 30), 57, 45, "demo").await?;
    // Times the counsellor opened for booking next week.
    let day = next_week_day(koers_domain::time::today())
        .checked_add(jiff::Span::new().days(1))
        .unwrap_or(koers_domain::time::today());
    for hour in [13, 14, 15] {
        crate::guidance::slots::create(
            t,
            slb,
            from_local(day.at(hour, 0, 0, 0)),
            30,
            "Kamer SLB 2.03",
        )
        .await?;
    }
    // A group session three weeks ago that she attended.
    let then = koers_domain::time::today()
        .checked_sub(jiff::Span::new().days(21))
        .unwrap_or(koers_domain::time::today());
    let people = [user_id.to_owned()];
    let group = crate::guidance::groups::create(
        t,
        crate::guidance::groups::NewGroupSession {
            guide_id: slb,
            topic: "Werken in het mbo: ervaringen uit de stage",
            phase: Phase::Progress,
            starts_at: from_local(then.at(13, 30, 0, 0)),
            duration_minutes: 90,
            location: "Aula",
            person_ids: &people,
        },
    )
    .await?;
    crate::guidance::groups::record_attendance(t, &group, &people).await?;
    Ok(())
}

/// A weekday a week or so after `today` (Tuesday or later in the next week).
fn next_week_day(today: jiff::civil::Date) -> jiff::civil::Date {
    let mut d = today
        .checked_add(jiff::Span::new().days(8))
        .unwrap_or(today);
    while matches!(
        d.weekday(),
        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
    ) {
        d = d.checked_add(jiff::Span::new().days(1)).unwrap_or(d);
    }
    d
}

/// Insert `n` generated students with their guidance histories, in batches inside one
/// transaction.
async fn bulk_students(
    t: Tenant<'_>,
    progs: &[(programmes::Programme, Vec<programmes::Cohort>)],
    counsellors: &[String],
    n: u64,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<()> {
    const BATCH: u64 = 500;
    let now = now_ms();
    let today = koers_domain::time::today();
    let slug = crate::platform::institutions::get(t).await?.slug;
    let mut tx = t.db.begin().await?;
    let mut done = 0;
    while done < n {
        let k = BATCH.min(n - done);
        let rows: Vec<Generated> = (done..done + k)
            .map(|i| {
                let (given, prefix, family) = name_parts(i);
                let (p, cohorts) = &progs[(i % progs.len() as u64) as usize];
                let c = &cohorts[((i / progs.len() as u64) % cohorts.len() as u64) as usize];
                let counsellor = (!counsellors.is_empty())
                    .then(|| counsellors[(i % counsellors.len() as u64) as usize].clone());
                let start = jiff::civil::Date::new(c.year as i16, 9, 1)
                    .unwrap_or(jiff::civil::date(2025, 9, 1));
                Generated {
                    user_id: koers_domain::new_id(),
                    student_id: koers_domain::new_id(),
                    given,
                    prefix,
                    family,
                    name: koers_domain::guidance::import::display_name(given, prefix, family),
                    email: format!("{}@student.{slug}.koers.test", email_local(i)),
                    programme_id: p.id.clone(),
                    cohort_id: c.id.clone(),
                    counsellor,
                    number: 600_000 + i,
                    start,
                    history: if counsellors.is_empty() {
                        None
                    } else {
                        Some(history::history(i, start, today))
                    },
                }
            })
            .collect();
        insert_generated(&mut tx, t.institution_id, &rows, now).await?;
        done += k;
        progress(done, n);
    }
    tx.commit().await?;
    Ok(())
}

struct Generated {
    user_id: String,
    student_id: String,
    given: &'static str,
    prefix: &'static str,
    family: &'static str,
    name: String,
    email: String,
    programme_id: String,
    cohort_id: String,
    counsellor: Option<String>,
    number: u64,
    start: jiff::civil::Date,
    history: Option<history::History>,
}

async fn insert_generated(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    inst: &str,
    rows: &[Generated],
    now: i64,
) -> Result<()> {
    insert_rows!(
        &mut **tx,
        "INSERT INTO users (id, institution_id, email, name, password_hash, locale, active, created_at, updated_at)",
        "(?, ?, ?, ?, NULL, NULL, 1, ?, ?)",
        rows,
        |q, r| q
            .bind(&r.user_id)
            .bind(inst)
            .bind(&r.email)
            .bind(&r.name)
            .bind(now)
            .bind(now)
    );
    insert_rows!(
        &mut **tx,
        "INSERT INTO role_assignments (id, institution_id, user_id, role, programme_id, created_at)",
        "(?, ?, ?, 'student', ?, ?)",
        rows,
        |q, r| q
            .bind(koers_domain::new_id())
            .bind(inst)
            .bind(&r.user_id)
            .bind(&r.programme_id)
            .bind(now)
    );
    insert_rows!(
        &mut **tx,
        "INSERT INTO students (id, institution_id, user_id, student_number, programme_id, cohort_id, counsellor_id, \
         created_at, given_name, name_prefix, family_name, start_date, phase, phase_since, left_on, updated_at)",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
        |q, r| {
            let (phase, since, left) = match &r.history {
                Some(h) => (
                    h.phase.key(),
                    h.phase_since.to_string(),
                    h.left.map(|l| l.0.to_string()),
                ),
                None => ("intake", r.start.to_string(), None),
            };
            q.bind(&r.student_id)
                .bind(inst)
                .bind(&r.user_id)
                .bind(r.number.to_string())
                .bind(&r.programme_id)
                .bind(&r.cohort_id)
                .bind(r.counsellor.as_deref())
                .bind(now)
                .bind(r.given)
                .bind(r.prefix)
                .bind(r.family)
                .bind(r.start.to_string())
                .bind(phase)
                .bind(since)
                .bind(left)
                .bind(now)
        }
    );
    let year = i64::from(koers_domain::guidance::phase::academic_year(
        koers_domain::time::today(),
    ));
    insert_rows!(
        &mut **tx,
        "INSERT INTO guidance_summary (student_id, institution_id, held_intake, held_progress, progress_year, \
         held_specialisation, held_outflow, last_held_at, next_planned_at, open_agreements, overdue_agreements_from, \
         programme_id, cohort_year)",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
        |q, r| {
            let s = r
                .history
                .as_ref()
                .map(|h| h.summary.clone())
                .unwrap_or_default();
            q.bind(&r.student_id)
                .bind(inst)
                .bind(i64::from(s.held[0]))
                .bind(i64::from(s.held[1]))
                .bind(year)
                .bind(i64::from(s.held[2]))
                .bind(i64::from(s.held[3]))
                .bind(s.last_held_at)
                .bind(s.next_planned_at)
                .bind(s.open_agreements)
                .bind(s.first_due_agreement)
                .bind(&r.programme_id)
                .bind(i64::from(r.start.year()))
        }
    );
    let with_counsellor: Vec<&Generated> = rows.iter().filter(|r| r.counsellor.is_some()).collect();
    insert_rows!(
        &mut **tx,
        "INSERT INTO counsellor_history (id, institution_id, student_id, counsellor_id, from_at, reason)",
        "(?, ?, ?, ?, ?, 'demo')",
        &with_counsellor,
        |q, r| q
            .bind(koers_domain::new_id())
            .bind(inst)
            .bind(&r.student_id)
            .bind(r.counsellor.as_deref())
            .bind(koers_domain::time::start_of_day(r.start))
    );

    // Conversations and agreements, in chunks that stay within the parameter limits.
    let mut convs = Vec::new();
    let mut agrees = Vec::new();
    for r in rows {
        let Some(h) = &r.history else { continue };
        let ids: Vec<String> = h
            .conversations
            .iter()
            .map(|_| koers_domain::new_id())
            .collect();
        for (c, id) in h.conversations.iter().zip(&ids) {
            convs.push((id.clone(), r, c));
        }
        for a in &h.agreements {
            agrees.push((ids[a.conversation].clone(), r, a));
        }
    }
    for chunk in convs.chunks(400) {
        insert_rows!(
            &mut **tx,
            "INSERT INTO conversations (id, institution_id, context, person_id, guide_id, phase, status, origin, starts_at, \
             duration_minutes, location, summary, private_notes, competencies, reported_at, created_by, created_at, updated_at)",
            "(?, ?, 'student', ?, ?, ?, ?, 'scheduled', ?, 45, 'Kamer SLB', ?, ?, ?, ?, ?, ?, ?)",
            chunk,
            |q, x| {
                let (id, r, c) = x;
                q.bind(id)
                    .bind(inst)
                    .bind(&r.user_id)
                    .bind(r.counsellor.as_deref())
                    .bind(c.phase.key())
                    .bind(if c.held { "held" } else { "planned" })
                    .bind(c.starts_at)
                    .bind(c.summary)
                    .bind(c.notes)
                    .bind(c.competencies)
                    .bind(c.held.then_some(c.starts_at))
                    .bind(r.counsellor.as_deref())
                    .bind(now)
                    .bind(now)
            }
        );
    }
    for chunk in agrees.chunks(500) {
        insert_rows!(
            &mut **tx,
            "INSERT INTO agreements (id, institution_id, conversation_id, person_id, description, owner, due_on, status, created_at, updated_at)",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            chunk,
            |q, x| {
                let (cid, r, a) = x;
                q.bind(koers_domain::new_id())
                    .bind(inst)
                    .bind(cid)
                    .bind(&r.user_id)
                    .bind(a.description)
                    .bind(a.owner)
                    .bind(&a.due_on)
                    .bind(if a.done { "done" } else { "open" })
                    .bind(now)
                    .bind(now)
            }
        );
    }
    let left: Vec<(&Generated, (jiff::civil::Date, &str, &str))> = rows
        .iter()
        .filter_map(|r| r.history.as_ref().and_then(|h| h.left).map(|l| (r, l)))
        .collect();
    insert_rows!(
        &mut **tx,
        "INSERT INTO outflow_records (student_id, institution_id, reason, left_on, destination, updated_at)",
        "(?, ?, ?, ?, ?, ?)",
        &left,
        |q, x| q
            .bind(&x.0.student_id)
            .bind(inst)
            .bind(x.1.1)
            .bind(x.1.0.to_string())
            .bind(x.1.2)
            .bind(now)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn people_have_dutch_names_and_unique_emails() {
        let mut emails = std::collections::HashSet::new();
        let mut with_prefix = 0;
        for i in 0..2000 {
            let (name, local) = super::person(i);
            assert!(emails.insert(local.clone()), "duplicate {local}");
            assert!(local.is_ascii());
            if name.contains(" van ") || name.contains(" de ") || name.contains(" ter ") {
                with_prefix += 1;
            }
        }
        assert!(with_prefix > 100);
    }
}
