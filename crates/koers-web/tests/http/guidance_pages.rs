//! The guidance pages without JavaScript: the student's home, planning and reporting a
//! conversation, marking an agreement done; forms keep what was typed.

use crate::support::*;
use axum::http::StatusCode;

async fn zoe_student_id(app: &TestApp) -> String {
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let uid = user_id(&app.db, "student@demo.koers.test").await;
    koers_store::guidance::students::id_of_user(t, &uid)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn student_home_shows_phases_agreements_and_growth() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login("student@demo.koers.test", PASSWORD).await;
    let home = b.get("/home").await;
    assert_eq!(home.status, StatusCode::OK);
    for text in [
        "Fasen van de loopbaanbegeleiding",
        "Je open afspraken",
        "Reflectie schrijven over de eerste stageweek",
        "afspraak te laat",
        "Groei in loopbaancompetenties",
        "Kwaliteitenreflectie",
    ] {
        assert!(home.body.contains(text), "home lacks {text:?}");
    }
    // The student never sees the counsellor's private notes.
    assert!(!home.body.contains("vragen hoe het thuis gaat"));
}

#[tokio::test]
async fn counsellor_plans_and_reports_and_the_student_reads_the_summary() {
    let app = spawn().await;
    let sid = zoe_student_id(&app).await;
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    let page = slb.get(&format!("/students/{sid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Zoë van der Meer"));

    // A bad time keeps what was typed.
    let r = slb
        .post(
            &format!("/students/{sid}/conversations"),
            &[
                ("phase", "specialisation"),
                ("date", "2030-03-05"),
                ("time", "25:99"),
                ("duration", "45"),
                ("location", "Lokaal C3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Lokaal C3\""));
    assert!(r.body.contains("value=\"2030-03-05\""));

    let r = slb
        .post(
            &format!("/students/{sid}/conversations"),
            &[
                ("phase", "specialisation"),
                ("date", "2030-03-05"),
                ("time", "10:00"),
                ("duration", "45"),
                ("location", "Lokaal C3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let conv = r.location().split('?').next().unwrap().to_owned();
    assert!(conv.starts_with("/conversations/"));
    let page = slb.get(&conv).await;
    assert!(page.body.contains("05-03-2030 10:00"));

    let_it_take_place(&app.db, &conv).await;
    let r = slb
        .post(
            &format!("{conv}/report"),
            &[
                ("summary", "Zoë kiest voor Loopbaanbegeleiding."),
                ("private_notes", "Geheime notitie"),
                ("competency", "career_action"),
                ("agreement", "Keuzemotivatie schrijven"),
                ("owner", "student"),
                ("due_on", "2030-03-20"),
                ("agreement", ""),
                ("owner", "student"),
                ("due_on", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    let mut zoe = app.browser().await;
    zoe.login("student@demo.koers.test", PASSWORD).await;
    let page = zoe.get(&conv).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Zoë kiest voor Loopbaanbegeleiding."));
    assert!(page.body.contains("Keuzemotivatie schrijven"));
    assert!(!page.body.contains("Geheime notitie"));
    let ics = zoe.get(&format!("{conv}/calendar.ics")).await;
    assert!(ics.body.contains("BEGIN:VCALENDAR"));

    // The student marks the new agreement done.
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let uid = user_id(&app.db, "student@demo.koers.test").await;
    let g = koers_store::guidance::conversations::agreements_of_person(t, &uid)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.description == "Keuzemotivatie schrijven")
        .unwrap();
    zoe.get("/home").await;
    let r = zoe
        .post(
            &format!("/agreements/{}/status", g.id),
            &[("status", "done"), ("next", "/home")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/home");
    let g = koers_store::guidance::conversations::get_agreement(t, &g.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(g.status.key(), "done");

    // Another counsellor reaches none of it.
    let mut slb2 = app.browser().await;
    slb2.login("slb2@demo.koers.test", PASSWORD).await;
    assert_eq!(slb2.get(&conv).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        slb2.get(&format!("/students/{sid}")).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn import_in_the_browser_previews_then_writes_all_at_once() {
    let app = spawn().await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM students")
            .fetch_one(app.db.pool())
            .await
            .unwrap()
    };
    let before = count().await;
    let mut b = app.browser().await;
    b.login("manager@demo.koers.test", PASSWORD).await;
    b.get("/students/import").await;
    let bad = "student_number,given_name,family_name,email,programme,cohort\n1,A,B,a@x.nl,LO-ECO,2026\n2,C,D,broken,LO-ECO,2026\n";
    let r = b
        .upload("/students/import", "fout.csv", bad.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("<td class=\"num\">3</td><td>email</td>"),
        "{}",
        r.body
    );
    assert_eq!(count().await, before);

    let good = "\u{feff}studentnummer;voornaam;tussenvoegsel;achternaam;e-mail;opleiding;cohort\n\
                800001;Lotte;;Visser;lotte@x.nl;LO-ECO;2026\n800002;Milan;de;Boer;milan@x.nl;LO-TECH;2026\n";
    let r = b
        .upload("/students/import", "goed.csv", good.as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Controleer de import"));
    assert!(r.body.contains("Milan de Boer"));
    assert_eq!(count().await, before, "a preview writes nothing");
    let i = r.body.find("/students/import/").unwrap();
    let confirm = r.body[i..].split('"').next().unwrap().to_owned();
    assert!(confirm.ends_with("/confirm"));

    // Someone else cannot confirm this upload.
    let mut other = app.browser().await;
    other.login("beheerder@demo.koers.test", PASSWORD).await;
    other.get("/students/import").await;
    assert_eq!(
        other.post(&confirm, &[]).await.status,
        StatusCode::NOT_FOUND
    );

    let r = b.post(&confirm, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let run = r.location().to_owned();
    assert!(run.starts_with("/students/import/runs/"), "{run}");
    // The run goes on in the background; its page shows progress, then the result.
    let mut page = b.get(&run).await;
    for _ in 0..100 {
        if !page.body.contains("Bezig met opslaan") {
            break;
        }
        assert!(page.body.contains("<progress"));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        page = b.get(&run).await;
    }
    assert!(page.body.contains("De import is klaar."), "{}", page.body);
    assert!(page.body.contains("2 studenten toegevoegd"));
    assert!(page.body.contains("goed.csv"));
    assert_eq!(count().await, before + 2);
    let progress = b.get(&format!("{run}/progress")).await;
    let p: serde_json::Value = serde_json::from_str(&progress.body).unwrap();
    assert_eq!(
        p,
        serde_json::json!({"status": "done", "done": 2, "total": 2})
    );
    // Listed among the earlier imports; not visible to another manager's colleague.
    assert!(b.get("/students/import").await.body.contains(&run));
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    assert_eq!(slb.get(&run).await.status, StatusCode::FORBIDDEN);
    // An administrator may follow it too.
    assert_eq!(other.get(&run).await.status, StatusCode::OK);
    // The upload is gone once used.
    assert_eq!(b.post(&confirm, &[]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_interrupted_import_is_reported_as_such() {
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let manager = user_id(&app.db, "manager@demo.koers.test").await;
    let run =
        koers_store::platform::import_runs::start(t, &manager, "students", "groot.csv", 90_000)
            .await
            .unwrap();
    // Started more than an hour ago, on an instance that stopped.
    sqlx::query("UPDATE import_runs SET started_at = started_at - 7200000 WHERE id = $1")
        .bind(&run)
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        koers_store::platform::import_runs::interrupt_stale(&app.db)
            .await
            .unwrap(),
        1
    );
    let mut b = app.browser().await;
    b.login("manager@demo.koers.test", PASSWORD).await;
    let page = b.get(&format!("/students/import/runs/{run}")).await;
    assert!(
        page.body.contains("De import is onderbroken"),
        "{}",
        page.body
    );
    assert!(b.get("/students/import").await.body.contains("mislukt"));
}

#[tokio::test]
async fn coverage_page_and_csv_for_the_manager_only() {
    let app = spawn().await;
    let mut m = app.browser().await;
    m.login("manager@demo.koers.test", PASSWORD).await;
    let page = m.get("/coverage?programme=LO-ECO&cohort=2025").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg") && page.body.contains("Per cohort en fase"));
    let csv = m.get("/coverage.csv?programme=LO-ECO").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'));
    let first = csv.body.lines().next().unwrap();
    assert_eq!(first.split(';').count(), 7, "{first}");
    assert!(csv.body.contains(";Instroom;"));
    // Never what was said: no summaries in the export.
    assert!(!csv.body.contains("Kennismaking"));
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    assert_eq!(slb.get("/coverage").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        m.get("/coverage?programme=LO-XX").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn career_file_items_are_shared_only_when_the_student_says_so() {
    let app = spawn().await;
    let sid = zoe_student_id(&app).await;
    let mut zoe = app.browser().await;
    zoe.login("student@demo.koers.test", PASSWORD).await;
    assert_eq!(zoe.get("/career-file").await.status, StatusCode::OK);

    // Validation keeps what was typed.
    let r = zoe
        .post(
            "/career-file/reflections",
            &[
                ("experience", "placement"),
                ("title", ""),
                ("body", "Mijn tekst blijft staan"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Mijn tekst blijft staan"));

    let r = zoe
        .post(
            "/career-file/reflections",
            &[
                ("experience", "placement"),
                ("title", "Gedeelde stageweek"),
                ("body", "Dit mag mijn SLB'er lezen."),
                ("share_counsellor", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    zoe.post(
        "/career-file/reflections",
        &[
            ("experience", "other"),
            ("title", "Privé gedachte"),
            ("body", "Alleen voor mij."),
        ],
    )
    .await;
    zoe.post(
        "/career-file/goals",
        &[
            ("title", "Stage bij een ROC"),
            ("target_on", "2027-02-01"),
            ("share_counsellor", "1"),
        ],
    )
    .await;
    zoe.post(
        "/career-file/choice",
        &[
            ("options", "Ondernemerschap, Loopbaanbegeleiding"),
            ("choice", "Loopbaanbegeleiding"),
            ("motivation", "Ik wil studenten helpen kiezen."),
        ],
    )
    .await;
    // The self-assessment through the form: every item answered with 4.
    let mut answers: Vec<(String, String)> = koers_domain::guidance::competency::ITEMS
        .iter()
        .map(|i| (i.id.to_owned(), "4".to_owned()))
        .collect();
    answers.push(("phase".into(), "specialisation".into()));
    answers.push(("share_counsellor".into(), "1".into()));
    let fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = zoe.post("/career-file/self-assessments", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let file = zoe.get("/career-file").await;
    assert!(file.body.contains("Privé gedachte") && file.body.contains("Gedeelde stageweek"));

    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    let page = slb.get(&format!("/students/{sid}")).await;
    assert!(page.body.contains("Gedeelde stageweek"));
    assert!(page.body.contains("Stage bij een ROC"));
    assert!(page.body.contains("Ik wil studenten helpen kiezen."));
    assert!(!page.body.contains("Privé gedachte"));
    // Three self-assessments now (two from the demo, one new), all shared.
    assert_eq!(
        page.body.matches("class=\"series-").count() / 5,
        3,
        "bars per assessment"
    );

    // The manager sees no career file at all.
    let mut m = app.browser().await;
    m.login("manager@demo.koers.test", PASSWORD).await;
    let page = m.get(&format!("/students/{sid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Gedeelde stageweek"));
    assert!(!page.body.contains("Ik wil studenten helpen kiezen."));

    // The counsellor's read of the file is in the audit log.
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'student.read_file' AND actor_email = 'slb@demo.koers.test'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(n >= 1);
}

#[tokio::test]
async fn stand_in_handover_and_reassignment_keep_history() {
    let app = spawn().await;
    let sid = zoe_student_id(&app).await;
    let slb = user_id(&app.db, "slb@demo.koers.test").await;
    let slb2 = user_id(&app.db, "slb2@demo.koers.test").await;
    let mut m = app.browser().await;
    m.login("manager@demo.koers.test", PASSWORD).await;
    assert_eq!(m.get("/counsellors").await.status, StatusCode::OK);
    let today = koers_domain::time::today();
    let until = today
        .checked_add(jiff::Span::new().days(7))
        .unwrap()
        .to_string();

    // A bad period keeps the form and says why.
    let r = m
        .post(
            "/counsellors/stand-ins",
            &[
                ("counsellor_id", &slb),
                ("stand_in_id", &slb),
                ("starts_on", &until),
                ("ends_on", &today.to_string()),
                ("reason", "ziek"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Iemand kan niet voor zichzelf invallen."));
    let r = m
        .post(
            "/counsellors/stand-ins",
            &[
                ("counsellor_id", &slb),
                ("stand_in_id", &slb2),
                ("starts_on", &today.to_string()),
                ("ends_on", &until),
                ("reason", "ziek"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The stand-in now reaches Zoë, and that read is logged as a stand-in read.
    let mut b2 = app.browser().await;
    b2.login("slb2@demo.koers.test", PASSWORD).await;
    let page = b2.get(&format!("/students/{sid}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("als invaller"));
    let logged: String = sqlx::query_scalar(
        "SELECT details FROM audit_events WHERE action = 'student.read_file' AND actor_email = 'slb2@demo.koers.test'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(logged.contains("\"stand_in\":true"), "{logged}");

    // Handover without confirmation is refused; with it, the whole caseload moves.
    let r = m
        .post(
            "/counsellors/handover",
            &[("from_id", &slb), ("to_id", &slb2)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = m
        .post(
            "/counsellors/handover",
            &[("from_id", &slb), ("to_id", &slb2), ("confirm", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM students WHERE counsellor_id = $1")
        .bind(&slb)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);

    // Reassign Zoë back; the history shows all three periods.
    let r = m
        .post(
            &format!("/students/{sid}/counsellor"),
            &[("counsellor_id", &slb), ("reason", "terug van verlof")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = m.get(&format!("/students/{sid}")).await;
    assert!(page.body.contains("terug van verlof"));
    assert!(page.body.contains("handover"));
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let history = koers_store::guidance::students::counsellor_history(t, &sid)
        .await
        .unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].counsellor_id.as_deref(), Some(slb.as_str()));
    assert!(history[0].until_at.is_none() && history[1].until_at.is_some());
}

#[tokio::test]
async fn slots_booking_requests_moving_and_cancelling() {
    let app = spawn().await;
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    slb.get("/slots").await;
    let r = slb
        .post(
            "/slots",
            &[
                ("date", "2031-01-10"),
                ("time", "09:00"),
                ("count", "3"),
                ("duration", "30"),
                ("location", "B2.14"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = slb
        .post(
            "/slots",
            &[
                ("date", "2001-01-10"),
                ("time", "09:00"),
                ("count", "3"),
                ("duration", "30"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut zoe = app.browser().await;
    zoe.login("student@demo.koers.test", PASSWORD).await;
    let page = zoe.get("/book").await;
    assert!(page.body.contains("10-01-2031 09:30"));
    let i = page.body.find("action=\"/book/").unwrap() + "action=\"".len();
    let action = page.body[i..].split('"').next().unwrap().to_owned();
    let r = zoe
        .post(
            &action,
            &[
                ("phase", "specialisation"),
                ("question", "Welke keuzerichting past bij mij?"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let conv = r.location().split('?').next().unwrap().to_owned();
    // The slot is taken: booking it again is a conflict, and it is no longer offered.
    assert_eq!(
        zoe.post(&action, &[("phase", "progress")]).await.status,
        StatusCode::CONFLICT
    );
    assert!(!zoe.get("/book").await.body.contains(&action));
    let page = slb.get(&conv).await;
    assert!(page.body.contains("Welke keuzerichting past bij mij?"));

    // The counsellor moves it: the calendar file's SEQUENCE goes up.
    let r = slb
        .post(
            &format!("{conv}/reschedule"),
            &[
                ("date", "2031-01-11"),
                ("time", "14:00"),
                ("duration", "45"),
                ("location", "B2.14"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let ics = zoe.get(&format!("{conv}/calendar.ics")).await;
    assert!(ics.body.contains("SEQUENCE:1"));
    assert!(
        ics.body
            .contains("DTSTART;TZID=Europe/Amsterdam:20310111T140000")
    );
    // The slot was freed when the conversation moved away from it.
    assert!(zoe.get("/book").await.body.contains(&action));

    // The student cancels; the file says CANCELLED with a higher SEQUENCE.
    let r = zoe
        .post(&format!("{conv}/cancel"), &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let ics = zoe.get(&format!("{conv}/calendar.ics")).await;
    assert!(ics.body.contains("STATUS:CANCELLED") && ics.body.contains("SEQUENCE:2"));

    // A request with a question, planned by the counsellor.
    let r = zoe
        .post(
            "/conversations/request",
            &[("phase", "progress"), ("question", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = zoe
        .post(
            "/conversations/request",
            &[
                ("phase", "progress"),
                ("question", "Ik twijfel over mijn stage."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let req = r.location().split('?').next().unwrap().to_owned();
    let home = slb.get("/home").await;
    assert!(
        home.body.contains(&req),
        "the request shows on the counsellor's home"
    );
    let r = slb
        .post(
            &format!("{req}/reschedule"),
            &[
                ("date", "2031-02-01"),
                ("time", "10:00"),
                ("duration", "30"),
                ("location", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(zoe.get(&req).await.body.contains("01-02-2031 10:00"));
}

#[tokio::test]
async fn group_attendance_counts_where_the_programme_says_so() {
    let app = spawn().await;
    let sid = zoe_student_id(&app).await;
    let zoe_uid = user_id(&app.db, "student@demo.koers.test").await;
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let before = koers_store::guidance::students::get(t, &sid)
        .await
        .unwrap()
        .unwrap()
        .summary
        .held[1];

    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    slb.get("/groups").await;
    // A student of another counsellor cannot be invited.
    let other: String = sqlx::query_scalar(
        "SELECT s.user_id FROM students s JOIN users c ON c.id = s.counsellor_id WHERE c.email = 'slb2@demo.koers.test' LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let yesterday = koers_domain::time::today()
        .checked_sub(jiff::Span::new().days(1))
        .unwrap()
        .to_string();
    let fields = |person: &str| {
        vec![
            ("topic".to_owned(), "Werken in het mbo".to_owned()),
            ("phase".to_owned(), "progress".to_owned()),
            ("date".to_owned(), yesterday.clone()),
            ("time".to_owned(), "00:00".to_owned()),
            ("duration".to_owned(), "90".to_owned()),
            ("location".to_owned(), "Aula".to_owned()),
            ("person".to_owned(), person.to_owned()),
        ]
    };
    let f = fields(&other);
    let r = slb
        .post(
            "/groups",
            &f.iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let f = fields(&zoe_uid);
    let r = slb
        .post(
            "/groups",
            &f.iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let group = r.location().split('?').next().unwrap().to_owned();
    assert!(slb.get(&group).await.body.contains("Zoë van der Meer"));
    let r = slb
        .post(&format!("{group}/attendance"), &[("attended", &zoe_uid)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let after = koers_store::guidance::students::get(t, &sid)
        .await
        .unwrap()
        .unwrap()
        .summary
        .held[1];
    assert_eq!(after, before + 1, "progress sessions count by default");
    assert_eq!(
        koers_store::guidance::summary::verify(t).await.unwrap(),
        Vec::<String>::new()
    );
    // Another counsellor cannot open the session.
    let mut slb2 = app.browser().await;
    slb2.login("slb2@demo.koers.test", PASSWORD).await;
    assert_eq!(slb2.get(&group).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn moment_rules_change_the_statuses() {
    let app = spawn().await;
    let mut m = app.browser().await;
    m.login("manager@demo.koers.test", PASSWORD).await;
    assert_eq!(m.get("/coverage/LO-ECO/rules").await.status, StatusCode::OK);
    let base = [
        ("intake_required", "1"),
        ("intake_days", "42"),
        ("progress_required", "2"),
        ("specialisation_required", "1"),
        ("specialisation_days", "540"),
        ("outflow_required", "1"),
        ("outflow_days", "42"),
    ];
    let mut bad = base.to_vec();
    bad[0] = ("intake_required", "0");
    assert_eq!(
        m.post("/coverage/LO-ECO/rules", &bad).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Three intake conversations: most of the programme's students are now overdue at intake.
    let mut strict = base.to_vec();
    strict[0] = ("intake_required", "3");
    let r = m.post("/coverage/LO-ECO/rules", &strict).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let token = app.api_login("manager@demo.koers.test").await;
    let c = app
        .api(
            axum::http::Method::GET,
            "/api/v1/programmes/LO-ECO/coverage?cohort=2024",
            Some(&token),
            None,
        )
        .await
        .json();
    assert_eq!(c["phases"][0]["done"], 0);
    assert_eq!(c["phases"][0]["overdue"], c["phases"][0]["expected"]);
    // Group sessions no longer count for progress: the summaries were recomputed.
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    assert_eq!(
        koers_store::guidance::summary::verify(t).await.unwrap(),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn phases_bsa_outflow_and_the_handover_summary() {
    let app = spawn().await;
    let sid = zoe_student_id(&app).await;
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    slb.get(&format!("/students/{sid}")).await;
    let r = slb
        .post(
            &format!("/students/{sid}/progress"),
            &[("credits", "30"), ("norm", "45"), ("on", "2026-02-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        slb.get(&format!("/students/{sid}"))
            .await
            .body
            .contains("onder de norm")
    );
    let r = slb
        .post(
            &format!("/students/{sid}/progress"),
            &[("credits", "-3"), ("norm", "45"), ("on", "2026-02-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let mut zoe = app.browser().await;
    zoe.login("student@demo.koers.test", PASSWORD).await;
    zoe.get("/career-file").await;
    // No exit reflection before the outflow is recorded.
    let r = zoe
        .post(
            "/career-file/exit-reflection",
            &[("exit_reflection", "Te vroeg")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    let r = slb
        .post(
            &format!("/students/{sid}/outflow"),
            &[
                ("reason", "switched"),
                ("left_on", "2026-11-15"),
                ("destination", "further_study"),
                ("destination_detail", "Pabo Rotterdam"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let rec = koers_store::guidance::students::get(t, &sid)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rec.phase.key(), "outflow");
    assert_eq!(rec.left_on.as_deref(), Some("2026-11-15"));

    zoe.get("/career-file").await;
    let r = zoe
        .post(
            "/career-file/exit-reflection",
            &[("exit_reflection", "Ik neem mee dat ik goed kan uitleggen.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let summary = zoe.get(&format!("/students/{sid}/handover")).await;
    assert_eq!(summary.status, StatusCode::OK);
    for text in [
        "Overdracht",
        "Pabo Rotterdam",
        "Ik neem mee dat ik goed kan uitleggen.",
        "Gevoerde gesprekken",
        "Kennismaking",
    ] {
        assert!(summary.body.contains(text), "summary lacks {text:?}");
    }
    assert!(
        !summary.body.contains("vragen hoe het thuis gaat"),
        "private notes never in the summary"
    );

    // The phase can be set back by the counsellor.
    let r = slb
        .post(
            &format!("/students/{sid}/phase"),
            &[("phase", "progress"), ("on", "2026-11-20")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let transitions = koers_store::guidance::students::transitions(t, &sid)
        .await
        .unwrap();
    assert_eq!(transitions.last().unwrap().0.key(), "progress");
}

#[tokio::test]
async fn extra_support_is_seen_by_its_counsellor_and_the_manager_only() {
    let app = spawn().await;
    let sid = zoe_student_id(&app).await;
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    slb.get(&format!("/students/{sid}")).await;
    let r = slb
        .post(
            &format!("/students/{sid}/support"),
            &[("category", "wellbeing"), ("note", "Mantelzorg thuis")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        slb.get(&format!("/students/{sid}"))
            .await
            .body
            .contains("Mantelzorg thuis")
    );

    let mut m = app.browser().await;
    m.login("manager@demo.koers.test", PASSWORD).await;
    assert!(
        m.get(&format!("/students/{sid}"))
            .await
            .body
            .contains("Mantelzorg thuis")
    );
    let cov = m.get("/coverage?programme=LO-ECO").await;
    assert!(cov.body.contains("welzijn"));

    // Never on the student's own views, and not for a stand-in.
    let mut zoe = app.browser().await;
    zoe.login("student@demo.koers.test", PASSWORD).await;
    for page in ["/home", "/career-file", &format!("/students/{sid}")] {
        let body = zoe.get(page).await.body;
        assert!(
            !body.contains("Mantelzorg thuis") && !body.contains("Extra ondersteuning"),
            "{page}"
        );
    }
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let slb_id = user_id(&app.db, "slb@demo.koers.test").await;
    let slb2_id = user_id(&app.db, "slb2@demo.koers.test").await;
    let today = koers_domain::time::today();
    koers_store::guidance::stand_ins::create(t, &slb_id, &slb2_id, today, today, "", &slb_id)
        .await
        .unwrap();
    let mut b2 = app.browser().await;
    b2.login("slb2@demo.koers.test", PASSWORD).await;
    let body = b2.get(&format!("/students/{sid}")).await.body;
    assert!(body.contains("Zoë van der Meer"));
    assert!(!body.contains("Mantelzorg thuis"));
}

#[tokio::test]
async fn administrators_edit_study_data_with_field_errors() {
    let app = spawn().await;
    let sid = zoe_student_id(&app).await;
    let mut b = app.browser().await;
    b.login("beheerder@demo.koers.test", PASSWORD).await;
    let page = b.get(&format!("/students/{sid}/edit")).await;
    assert_eq!(page.status, StatusCode::OK);
    let i = page.body.find("name=\"programme\"").unwrap();
    let j = page.body[i..].find("selected").unwrap();
    let k = page.body[..i + j].rfind("value=\"").unwrap() + 7;
    let programme = page.body[k..].split('"').next().unwrap().to_owned();
    let fields = |email: &str| {
        vec![
            ("student_number".to_owned(), "500000".to_owned()),
            ("given_name".to_owned(), "Zoë".to_owned()),
            ("name_prefix".to_owned(), "van der".to_owned()),
            ("family_name".to_owned(), "Meer-Jansen".to_owned()),
            ("email".to_owned(), email.to_owned()),
            ("programme".to_owned(), programme.clone()),
            ("cohort".to_owned(), "2025".to_owned()),
            ("start_date".to_owned(), "2025-09-01".to_owned()),
        ]
    };
    let f = fields("slb@demo.koers.test");
    let r = b
        .post(
            &format!("/students/{sid}/edit"),
            &f.iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Meer-Jansen\""), "input kept");
    let f = fields("student@demo.koers.test");
    let r = b
        .post(
            &format!("/students/{sid}/edit"),
            &f.iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        b.get(&format!("/students/{sid}"))
            .await
            .body
            .contains("Zoë van der Meer-Jansen")
    );
    // The counsellor may not edit study data.
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    assert_eq!(
        slb.get(&format!("/students/{sid}/edit")).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn kept_statuses_follow_phase_and_outflow_changes() {
    let app = spawn().await;
    let sid = zoe_student_id(&app).await;
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    slb.get(&format!("/students/{sid}")).await;
    let long_ago = koers_domain::time::today()
        .checked_sub(jiff::Span::new().days(100))
        .unwrap()
        .to_string();
    let r = slb
        .post(
            &format!("/students/{sid}/phase"),
            &[("phase", "outflow"), ("on", &long_ago)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // In the outflow phase for 100 days without an outflow conversation: overdue, at once.
    let kept: Option<String> =
        sqlx::query_scalar("SELECT status_outflow FROM guidance_summary WHERE student_id = $1")
            .bind(&sid)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(kept.as_deref(), Some("overdue"));
    let rec = koers_store::guidance::students::get(t, &sid)
        .await
        .unwrap()
        .unwrap();
    let rules = koers_store::guidance::rules::for_programme(t, &rec.programme_id)
        .await
        .unwrap();
    assert_eq!(
        rec.statuses(&rules, koers_domain::time::today())[3].key(),
        "overdue"
    );
}

#[tokio::test]
async fn the_status_filter_covers_every_page_and_matches_coverage() {
    let app = spawn().await;
    let mut m = app.browser().await;
    m.login("manager@demo.koers.test", PASSWORD).await;
    let page = m.get("/students?programme=LO-ECO&status=overdue").await;
    assert_eq!(page.status, StatusCode::OK);
    let rows = page.body.matches("<tr>").count() - 1; // minus the header row
    let token = app.api_login("manager@demo.koers.test").await;
    let cov = app
        .api(
            axum::http::Method::GET,
            "/api/v1/programmes/LO-ECO/coverage",
            Some(&token),
            None,
        )
        .await
        .json();
    let mut missed: Vec<String> = cov["phases"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| {
            p["missed_student_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
        })
        .collect();
    missed.sort();
    missed.dedup();
    assert!(rows > 0);
    assert_eq!(rows, missed.len());
    for id in &missed {
        assert!(
            page.body.contains(id.as_str()),
            "missed student {id} not listed"
        );
    }
}

#[tokio::test]
async fn invited_students_see_group_sessions_and_get_their_calendar_file() {
    let app = spawn().await;
    let zoe_uid = user_id(&app.db, "student@demo.koers.test").await;
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    slb.get("/groups").await;
    let r = slb
        .post(
            "/groups",
            &[
                ("topic", "Oriëntatie op keuzerichtingen"),
                ("phase", "specialisation"),
                ("date", "2031-02-03"),
                ("time", "13:30"),
                ("duration", "90"),
                ("location", "Aula"),
                ("person", &zoe_uid),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let group = r.location().split('?').next().unwrap().to_owned();
    let mut zoe = app.browser().await;
    zoe.login("student@demo.koers.test", PASSWORD).await;
    let home = zoe.get("/home").await;
    assert!(home.body.contains("Oriëntatie op keuzerichtingen"));
    let ics = zoe.get(&format!("{group}/calendar.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(
        ics.body
            .contains("DTSTART;TZID=Europe/Amsterdam:20310203T133000")
    );
    assert!(
        !ics.body.contains("ATTENDEE"),
        "no other participants in a student's file"
    );
    let mut other = app.browser().await;
    other.login("slb2@demo.koers.test", PASSWORD).await;
    assert_eq!(
        other.get(&format!("{group}/calendar.ics")).await.status,
        StatusCode::FORBIDDEN
    );
}
