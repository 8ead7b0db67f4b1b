//! Demo data of the receiving field: partner schools and a business, an Opleiden-in-de-School
//! partnership, `mentor@` mentoring `student@` at the first mbo school and `mentor2@` another
//! student at the second, field needs of every alignment status, the offer with enrolments,
//! an evaluation and a joint training event, and last year's field survey.

use crate::field::{needs, offer, partners, placements};
use crate::platform::users;
use crate::{Result, Tenant};
use koers_domain::field::{NeedStatus, OfferKind, PartnerKind, TaskKind, Urgency};
use koers_domain::{Role, RoleAssignment};

pub const SECOND_MENTOR: (&str, &str) = ("mentor2@demo.koers.test", "Ruud Verhoeven");
pub const SCHOOL_COORDINATOR: (&str, &str) = ("schoolopleider@demo.koers.test", "Fatima el Khatib");

/// Who the field demo builds on.
pub(super) struct FieldPeople<'a> {
    pub mentor: &'a str,
    pub student: &'a str,
    /// Another student (none when the demo has no generated LO-TECH students).
    pub other_student: Option<&'a str>,
    pub institute_coordinator: &'a str,
    pub manager: &'a str,
    /// The password hash for the extra partner accounts.
    pub hash: &'a str,
}

pub(super) async fn seed(t: Tenant<'_>, p: &FieldPeople<'_>) -> Result<()> {
    let today = koers_domain::time::today();
    let day = |offset: i64| {
        today
            .checked_add(jiff::Span::new().days(offset))
            .unwrap_or(today)
            .to_string()
    };
    let mut ids = Vec::new();
    for (name, kind, city, brin) in [
        ("ROC Rijnmond", PartnerKind::MboSchool, "Rotterdam", "25LG"),
        (
            "Techniek College Utrecht",
            PartnerKind::MboSchool,
            "Utrecht",
            "31FR",
        ),
        ("Lyceum De Brug", PartnerKind::FeederSchool, "Delft", ""),
        (
            "Installatiebedrijf Van Vliet",
            PartnerKind::Business,
            "Schiedam",
            "",
        ),
    ] {
        let mut w = t.begin().await?;
        ids.push(
            partners::create(
                &mut w,
                &partners::NewPartner {
                    name,
                    kind,
                    city,
                    brin,
                },
            )
            .await?,
        );
        w.commit().await?;
    }
    for (i, (name, role, email)) in [
        (
            "Fatima el Khatib",
            "Schoolopleider",
            "f.elkhatib@rocrijnmond.example",
        ),
        (
            "Gert Jan Bos",
            "Teamleider Economie",
            "g.bos@techniekcollege.example",
        ),
        ("Ilse Vermeer", "Decaan", "decaan@lyceumdebrug.example"),
        ("Henk van Vliet", "Directeur", "henk@vanvliet.example"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut w = t.begin().await?;
        partners::add_contact(
            &mut w,
            &ids[i],
            &partners::Contact {
                name: name.into(),
                role: role.into(),
                email: email.into(),
            },
        )
        .await?;
        w.commit().await?;
    }
    let partner_user = |email: &'static str, name: &'static str, role: Role| async move {
        users::create(
            t,
            users::NewUser {
                email,
                name,
                password_hash: Some(p.hash.to_owned()),
                locale: None,
                roles: &[RoleAssignment {
                    role,
                    programme_id: None,
                }],
            },
        )
        .await
        .map(|u| u.id)
    };
    let mentor2 = partner_user(SECOND_MENTOR.0, SECOND_MENTOR.1, Role::PlacementMentor).await?;
    let coordinator = partner_user(
        SCHOOL_COORDINATOR.0,
        SCHOOL_COORDINATOR.1,
        Role::PartnerCoordinator,
    )
    .await?;
    partners::add_member(t, &ids[0], p.mentor).await?;
    partners::add_member(t, &ids[0], &coordinator).await?;
    partners::add_member(t, &ids[1], &mentor2).await?;
    for (i, school) in [(0usize, Some(coordinator.as_str())), (1, None)] {
        partners::add_partnership(
            t,
            &ids[i],
            &partners::NewPartnership {
                kind: "opleiden_in_de_school",
                starts_on: &day(-400),
                ends_on: Some(&day(700)),
                school_coordinator_id: school,
                institute_coordinator_id: Some(p.institute_coordinator),
            },
        )
        .await?;
    }

    // Placements with LOB tasks: one assessed, one handed in, one open.
    let mut w = t.begin().await?;
    let zoe = placements::create(
        &mut w,
        &placements::NewPlacement {
            student_id: p.student,
            partner_id: &ids[0],
            mentor_id: Some(p.mentor),
            starts_on: &day(-60),
            ends_on: &day(120),
            created_by: p.manager,
        },
        &[
            placements::NewTask {
                kind: TaskKind::Conversations,
                title: "Drie loopbaangesprekken voeren met studenten van niveau 2",
                due_on: Some(&day(-10)),
            },
            placements::NewTask {
                kind: TaskKind::Activity,
                title: "De LOB-activiteit 'Wie ben ik als vakmens?' uitvoeren in de klas",
                due_on: Some(&day(30)),
            },
            placements::NewTask {
                kind: TaskKind::Bpv,
                title: "Meedoen aan twee BPV-bezoeken van de school",
                due_on: Some(&day(90)),
            },
        ],
    )
    .await?;
    w.commit().await?;
    let tasks = placements::tasks(t, &zoe).await?;
    placements::submit_task(
        t,
        &zoe,
        &tasks[0].id,
        "Drie gesprekken gevoerd; verslagen staan in mijn loopbaandossier.",
    )
    .await?;
    placements::assess_task(
        t,
        &zoe,
        &tasks[0].id,
        3,
        "Goede open vragen; vat vaker samen wat de student zegt.",
        p.mentor,
    )
    .await?;
    placements::submit_task(t, &zoe, &tasks[1].id, "Uitgevoerd in klas 2B op dinsdag.").await?;
    if let Some(other) = p.other_student {
        let mut w = t.begin().await?;
        placements::create(
            &mut w,
            &placements::NewPlacement {
                student_id: other,
                partner_id: &ids[1],
                mentor_id: Some(&mentor2),
                starts_on: &day(-30),
                ends_on: &day(150),
                created_by: p.manager,
            },
            &[placements::NewTask {
                kind: TaskKind::Conversations,
                title: "Twee loopbaangesprekken voeren tijdens de BPV",
                due_on: Some(&day(45)),
            }],
        )
        .await?;
        w.commit().await?;
    }

    // Field needs of every alignment status (the learning line covers career conversations,
    // placement guidance and partnerships, not labour-market information).
    let comps = |keys: &[&str]| keys.iter().map(|k| (*k).to_owned()).collect::<Vec<_>>();
    for (partner, topic, keys, urgency, teachers, status, rationale) in [
        (
            0,
            "Loopbaangesprekken voeren met studenten van niveau 2",
            comps(&["counsellor-profile/career-conversations"]),
            Urgency::High,
            12,
            NeedStatus::Planned,
            "In de cursus 'Het loopbaangesprek in het mbo' van dit voorjaar.",
        ),
        (
            1,
            "LOB in de BPV, met actuele arbeidsmarktinformatie",
            comps(&[
                "counsellor-profile/placement-guidance",
                "counsellor-profile/labour-market-information",
            ]),
            Urgency::Medium,
            8,
            NeedStatus::Accepted,
            "BPV-begeleiding zit in de module; arbeidsmarktinformatie nog niet.",
        ),
        (
            1,
            "Arbeidsmarktinformatie gebruiken in de les",
            comps(&["counsellor-profile/labour-market-information"]),
            Urgency::High,
            15,
            NeedStatus::Submitted,
            "",
        ),
        (
            2,
            "Een doorlopende LOB-lijn van vo naar mbo",
            comps(&["counsellor-profile/partnerships"]),
            Urgency::Low,
            4,
            NeedStatus::Accepted,
            "Past bij de trainingsdag met vo, mbo en bedrijven.",
        ),
    ] {
        let mut w = t.begin().await?;
        let id = needs::create(
            &mut w,
            &needs::NewNeed {
                partner_id: &ids[partner],
                topic,
                description: "",
                competences: &keys,
                urgency,
                teachers,
                submitted_by: &coordinator,
            },
        )
        .await?;
        w.commit().await?;
        needs::triage(t, &id, status, rationale).await?;
    }

    // The offer: a course with sessions ahead, a module that has run (with an evaluation),
    // and a joint training event with people from several organisations.
    let session = |days: i64, hour: i8| offer::Session {
        starts_at: koers_domain::time::start_of_day(
            today
                .checked_add(jiff::Span::new().days(days))
                .unwrap_or(today),
        ) + i64::from(hour) * 3_600_000,
        duration_minutes: 180,
        location: "Hogeschool Demo, lokaal C1.01".into(),
    };
    let mut w = t.begin().await?;
    let course = offer::create(
        &mut w,
        &offer::NewItem {
            kind: OfferKind::Course,
            title: "Het loopbaangesprek in het mbo",
            description: "Drie middagen oefenen met de drie vragen van LOB, met acteurs en eigen studenten.",
            competences: &comps(&["counsellor-profile/career-conversations"]),
            capacity: Some(20),
        },
    )
    .await?;
    w.commit().await?;
    for d in [21, 35, 49] {
        let mut w = t.begin().await?;
        offer::add_session(&mut w, &course, &session(d, 13)).await?;
        w.commit().await?;
    }
    let mut w = t.begin().await?;
    offer::add_person(
        &mut w,
        &course,
        &offer::Person {
            kind: "codesigner".into(),
            name: "Fatima el Khatib".into(),
            organisation: "ROC Rijnmond".into(),
        },
    )
    .await?;
    w.commit().await?;
    offer::enrol(t, &course, p.mentor).await?;
    let mut w = t.begin().await?;
    let module = offer::create(
        &mut w,
        &offer::NewItem {
            kind: OfferKind::Module,
            title: "BPV-begeleiding met LOB",
            description: "Hoe je een BPV-bezoek gebruikt voor een loopbaangesprek.",
            competences: &comps(&["counsellor-profile/placement-guidance"]),
            capacity: Some(15),
        },
    )
    .await?;
    w.commit().await?;
    let mut w = t.begin().await?;
    offer::add_session(&mut w, &module, &session(-20, 9)).await?;
    w.commit().await?;
    let mut w = t.begin().await?;
    offer::add_person(
        &mut w,
        &module,
        &offer::Person {
            kind: "codesigner".into(),
            name: "Gert Jan Bos".into(),
            organisation: "Techniek College Utrecht".into(),
        },
    )
    .await?;
    w.commit().await?;
    offer::enrol(t, &module, &mentor2).await?;
    offer::evaluate(
        t,
        &module,
        &mentor2,
        4,
        "Praktisch; graag meer voorbeelden uit de techniek.",
    )
    .await?;
    let mut w = t.begin().await?;
    let event = offer::create(
        &mut w,
        &offer::NewItem {
            kind: OfferKind::TrainingEvent,
            title: "Trainingsdag LOB-gesprekken vo – mbo – bedrijf",
            description: "Docenten en praktijkopleiders oefenen samen loopbaangesprekken rond de overstap.",
            competences: &comps(&[
                "counsellor-profile/career-conversations",
                "counsellor-profile/partnerships",
            ]),
            capacity: Some(40),
        },
    )
    .await?;
    w.commit().await?;
    let mut w = t.begin().await?;
    offer::add_session(&mut w, &event, &session(60, 9)).await?;
    w.commit().await?;
    for (name, organisation) in [
        ("Ilse Vermeer", "Lyceum De Brug"),
        ("Henk van Vliet", "Installatiebedrijf Van Vliet"),
        ("Fatima el Khatib", "ROC Rijnmond"),
    ] {
        let mut w = t.begin().await?;
        offer::add_person(
            &mut w,
            &event,
            &offer::Person {
                kind: "participant".into(),
                name: name.into(),
                organisation: organisation.into(),
            },
        )
        .await?;
        w.commit().await?;
    }
    offer::enrol(t, &event, &coordinator).await?;

    // Last year's field survey: the mbo schools rate graduates per counsellor-profile competence.
    let year = i64::from(today.year()) - 1;
    for (partner, ratings) in [(0usize, [4, 3, 3, 2, 3, 4]), (1, [3, 3, 4, 2, 2, 3])] {
        for (key, rating) in [
            "career-conversations",
            "designing-activities",
            "placement-guidance",
            "labour-market-information",
            "partnerships",
            "own-career",
        ]
        .into_iter()
        .zip(ratings)
        {
            crate::field::survey::rate(
                t,
                &ids[partner],
                year,
                &format!("counsellor-profile/{key}"),
                rating,
            )
            .await?;
        }
    }
    Ok(())
}
