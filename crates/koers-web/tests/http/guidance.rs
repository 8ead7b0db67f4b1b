//! The guidance API: student records and phases, the CSV import, conversations with reports
//! and calendar files, the self-assessment, coverage; and who may read what.

use crate::support::*;
use axum::http::{Method, StatusCode, header};
use serde_json::json;

const ZOE: &str = "student@demo.koers.test";
const SLB: &str = "slb@demo.koers.test";
const SLB2: &str = "slb2@demo.koers.test";
const MANAGER: &str = "manager@demo.koers.test";
const ADMIN: &str = "beheerder@demo.koers.test";

async fn zoe_id(app: &TestApp, token: &str) -> String {
    let me = app
        .api(Method::GET, "/api/v1/me", Some(token), None)
        .await
        .json();
    me["student_id"]
        .as_str()
        .expect("student_id in /me")
        .to_owned()
}

fn ids(list: &serde_json::Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn student_records_and_who_sees_them() {
    let app = spawn().await;
    let zoe = app.api_login(ZOE).await;
    let id = zoe_id(&app, &zoe).await;

    let own = app
        .api(
            Method::GET,
            &format!("/api/v1/students/{id}"),
            Some(&zoe),
            None,
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let own = own.json();
    assert_eq!(own["given_name"], "Zoë");
    assert_eq!(own["name_prefix"], "van der");
    assert_eq!(own["family_name"], "Meer");
    assert_eq!(own["programme"], "LO-ECO");
    assert_eq!(own["cohort"], 2025);
    assert_eq!(own["student_number"], "500000");
    let phases: Vec<&str> = own["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["phase"].as_str().unwrap())
        .collect();
    assert_eq!(phases, ["intake", "progress", "specialisation", "outflow"]);
    assert_eq!(own["phases"][0]["status"], "done");
    assert_eq!(own["phases"][3]["status"], "not_yet_due");

    // A student lists nobody and reads no one else.
    assert_eq!(
        app.api(Method::GET, "/api/v1/students", Some(&zoe), None)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let slb = app.api_login(SLB).await;
    let caseload = app
        .api(Method::GET, "/api/v1/students?limit=500", Some(&slb), None)
        .await
        .json();
    assert!(ids(&caseload).contains(&id));
    let other = ids(&caseload).into_iter().find(|s| *s != id).unwrap();
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/students/{other}"),
            Some(&zoe),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // The second counsellor's caseload does not hold Zoë, and they cannot read her.
    let slb2 = app.api_login(SLB2).await;
    let theirs = app
        .api(Method::GET, "/api/v1/students?limit=500", Some(&slb2), None)
        .await
        .json();
    assert!(!ids(&theirs).is_empty());
    assert!(!ids(&theirs).contains(&id));
    assert!(ids(&theirs).iter().all(|s| !ids(&caseload).contains(s)));
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/students/{id}"),
            Some(&slb2),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // Programme and cohort filters; an unknown cohort gives an empty list.
    let m = app.api_login(MANAGER).await;
    let eco = app
        .api(
            Method::GET,
            "/api/v1/students?programme=LO-ECO&cohort=2025&limit=500",
            Some(&m),
            None,
        )
        .await
        .json();
    assert!(ids(&eco).contains(&id));
    assert!(
        eco["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["programme"] == "LO-ECO" && s["cohort"] == 2025)
    );
    assert!(eco["items"][0]["phases"].is_array());
    let none = app
        .api(
            Method::GET,
            "/api/v1/students?programme=LO-ECO&cohort=1999",
            Some(&m),
            None,
        )
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json()["items"], json!([]));

    // The administrator sees study data, not the phases (guidance metadata).
    let admin = app.api_login(ADMIN).await;
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/students/{id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(r["student_number"], "500000");
    assert!(r.get("phases").is_none());

    // The other institution does not find her at all.
    let tweede = app.api_login("beheerder@tweede.koers.test").await;
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/students/{id}"),
            Some(&tweede),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let theirs = app
        .api(
            Method::GET,
            "/api/v1/students?limit=500",
            Some(&tweede),
            None,
        )
        .await
        .json();
    assert!(!ids(&theirs).contains(&id));
}

async fn student_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM students")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn csv_import_is_all_or_nothing_with_line_numbers() {
    let app = spawn().await;
    let admin = app.api_login(ADMIN).await;
    let before = student_count(&app).await;
    let bad = "studentnummer;voornaam;tussenvoegsel;achternaam;e-mail;opleiding;cohort;loopbaanbegeleider\n\
               700001;Sem;;Smit;sem@example.nl;LO-ECO;2026;slb@demo.koers.test\n\
               700002;Isa;de;Vries;not-an-email;LO-ECO;2026;\n\
               700003;Noa;;Bos;noa@example.nl;LO-XX;2026;\n\
               700004;Bo;;Wit;student@demo.koers.test;LO-ECO;2026;docent@demo.koers.test\n";
    let r = app
        .api_raw(
            Method::POST,
            "/api/v1/students/import",
            &admin,
            "text/csv",
            bad.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let details = r.json()["error"]["details"].clone();
    // Syntax errors are reported first (nothing else is checked while the file is unreadable).
    assert_eq!(details.as_array().unwrap().len(), 1, "{details}");
    assert_eq!(details[0]["line"], 3);
    assert_eq!(details[0]["column"], "e-mail");
    assert!(
        details[0]["message"]
            .as_str()
            .unwrap()
            .contains("not-an-email")
    );
    assert_eq!(student_count(&app).await, before);

    // With the syntax fixed, the database checks report every remaining line.
    let bad = bad.replace("not-an-email", "isa@example.nl");
    let r = app
        .api_raw(
            Method::POST,
            "/api/v1/students/import",
            &admin,
            "text/csv",
            bad.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let details = r.json()["error"]["details"].clone();
    let got: Vec<(i64, &str)> = details
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_i64().unwrap(), d["column"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [(4, "opleiding"), (5, "loopbaanbegeleider"), (5, "e-mail")]
    );
    assert_eq!(student_count(&app).await, before);

    // A good file from Dutch Excel (Windows-1252), then a re-import that updates.
    let good = "studentnummer;voornaam;tussenvoegsel;achternaam;e-mail;opleiding;cohort;loopbaanbegeleider\r\n\
                700001;Sem;;Smit;sem@example.nl;LO-ECO;2027;slb@demo.koers.test\r\n\
                700002;Chloë;de;Vries;chloe@example.nl;lo-zw;2026;\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(good);
    let r = app
        .api_raw(
            Method::POST,
            "/api/v1/students/import",
            &admin,
            "text/csv",
            bytes.into_owned(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), json!({"created": 2, "updated": 0}));
    assert_eq!(student_count(&app).await, before + 2);
    let again = good.replace("Sem;;Smit", "Sem;van;Smit");
    let r = app
        .api_raw(
            Method::POST,
            "/api/v1/students/import",
            &admin,
            "text/csv; charset=utf-8",
            again.into(),
        )
        .await;
    assert_eq!(r.json(), json!({"created": 0, "updated": 1}));
    let list = app
        .api(
            Method::GET,
            "/api/v1/students?programme=LO-ECO&cohort=2027",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(list["items"][0]["name"], "Sem van Smit");
    let zw = app
        .api(
            Method::GET,
            "/api/v1/students?q=chloe%40example",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(zw["items"][0]["given_name"], "Chloë");
    assert_eq!(zw["items"][0]["programme"], "LO-ZW");

    // Only administrators and programme managers import; JSON is not CSV.
    let slb = app.api_login(SLB).await;
    let r = app
        .api_raw(
            Method::POST,
            "/api/v1/students/import",
            &slb,
            "text/csv",
            good.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api_raw(
            Method::POST,
            "/api/v1/students/import",
            &admin,
            "application/json",
            b"{}".to_vec(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn conversations_reports_and_calendar() {
    let app = spawn().await;
    let zoe = app.api_login(ZOE).await;
    let id = zoe_id(&app, &zoe).await;
    let slb = app.api_login(SLB).await;

    let r = app
        .api(
            Method::POST,
            "/api/v1/conversations",
            Some(&slb),
            Some(json!({
            "student_id": id, "phase": "specialisation", "starts_at": "2030-03-05T10:00:00+01:00",
            "duration_minutes": 45, "location": "Lokaal B2.14"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let c = r.json();
    assert_eq!(c["status"], "planned");
    assert_eq!(c["starts_at"], "2030-03-05T10:00:00+01:00");
    let cid = c["id"].as_str().unwrap().to_owned();

    let ics = app
        .api(
            Method::GET,
            &format!("/api/v1/conversations/{cid}/calendar.ics"),
            Some(&zoe),
            None,
        )
        .await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(
        ics.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    assert!(
        ics.body
            .contains("DTSTART;TZID=Europe/Amsterdam:20300305T100000\r\n")
    );
    assert!(ics.body.contains("BEGIN:VTIMEZONE"));
    assert!(ics.body.contains("SEQUENCE:0"));

    let_it_take_place(&app.db, &cid).await;
    let report = json!({
        "summary": "We bespraken de keuzerichting.",
        "private_notes": "Alleen voor mij.",
        "competencies": ["career_action", "networking"],
        "agreements": [{"description": "Twee docenten interviewen", "owner": "student", "due_on": "2030-03-20"}]
    });
    let r = app
        .api(
            Method::PUT,
            &format!("/api/v1/conversations/{cid}/report"),
            Some(&slb),
            Some(report),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "held");
    assert_eq!(r.json()["agreements"][0]["status"], "open");

    // The student reads the summary and agreements, not the private notes.
    let mine = app
        .api(
            Method::GET,
            &format!("/api/v1/conversations/{cid}"),
            Some(&zoe),
            None,
        )
        .await
        .json();
    assert_eq!(mine["summary"], "We bespraken de keuzerichting.");
    assert!(mine.get("private_notes").is_none());
    assert_eq!(
        mine["agreements"][0]["description"],
        "Twee docenten interviewen"
    );
    let theirs = app
        .api(
            Method::GET,
            &format!("/api/v1/conversations/{cid}"),
            Some(&slb),
            None,
        )
        .await
        .json();
    assert_eq!(theirs["private_notes"], "Alleen voor mij.");
    // The manager sees that it took place, never what was said.
    let m = app.api_login(MANAGER).await;
    let meta = app
        .api(
            Method::GET,
            &format!("/api/v1/conversations/{cid}"),
            Some(&m),
            None,
        )
        .await;
    assert_eq!(meta.status, StatusCode::OK);
    let meta = meta.json();
    assert_eq!(meta["phase"], "specialisation");
    assert!(
        meta.get("summary").is_none()
            && meta.get("private_notes").is_none()
            && meta.get("agreements").is_none()
    );
    // Others: nothing.
    for who in [
        SLB2,
        "docent@demo.koers.test",
        "hr@demo.koers.test",
        "mentor@demo.koers.test",
    ] {
        let t = app.api_login(who).await;
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/conversations/{cid}"),
                Some(&t),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }

    // The counsellor's reads are in the audit log; the student's own are not.
    let events: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT action, actor_email FROM audit_events WHERE subject_id = $1 AND action LIKE 'conversation.read%'",
    )
    .bind(&cid)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        events,
        vec![("conversation.read_notes".to_owned(), Some(SLB.to_owned()))]
    );

    // A conversation in the past is recorded as held; bad input is refused with field errors.
    let r = app
        .api(Method::POST, "/api/v1/conversations", Some(&slb), Some(json!({
            "student_id": id, "phase": "progress", "starts_at": "2026-01-15T09:00:00Z", "duration_minutes": 30})))
        .await;
    assert_eq!(r.json()["status"], "held");
    let r = app
        .api(
            Method::POST,
            "/api/v1/conversations",
            Some(&slb),
            Some(json!({
            "student_id": id, "phase": "zorg", "starts_at": "gisteren", "duration_minutes": 0})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.json();
    let fields: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["phase", "starts_at", "duration_minutes"]);
    // Only the student's counsellor plans with them.
    let slb2 = app.api_login(SLB2).await;
    let r = app
        .api(Method::POST, "/api/v1/conversations", Some(&slb2), Some(json!({
            "student_id": id, "phase": "progress", "starts_at": "2030-01-15T09:00:00Z", "duration_minutes": 30})))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The maintained summaries still equal a full recomputation.
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    assert_eq!(
        koers_store::guidance::summary::verify(t).await.unwrap(),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_stand_in_reaches_the_caseload_for_the_period_only() {
    let app = spawn().await;
    let zoe = app.api_login(ZOE).await;
    let id = zoe_id(&app, &zoe).await;
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let slb = user_id(&app.db, SLB).await;
    let slb2 = user_id(&app.db, SLB2).await;
    let today = koers_domain::time::today();
    let stand_in = koers_store::guidance::stand_ins::create(
        t,
        &slb,
        &slb2,
        today,
        today.checked_add(jiff::Span::new().days(14)).unwrap(),
        "ziekte",
        &slb,
    )
    .await
    .unwrap();
    let token = app.api_login(SLB2).await;
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/students/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let list = app
        .api(
            Method::GET,
            "/api/v1/students?limit=500",
            Some(&token),
            None,
        )
        .await
        .json();
    assert!(ids(&list).contains(&id));
    koers_store::guidance::stand_ins::end(t, &stand_in)
        .await
        .unwrap();
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/students/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn self_assessment_scores_per_competency() {
    let app = spawn().await;
    let zoe = app.api_login(ZOE).await;
    let id = zoe_id(&app, &zoe).await;
    let items = app
        .api(
            Method::GET,
            "/api/v1/instruments/career-competencies",
            Some(&zoe),
            None,
        )
        .await
        .json();
    let items = items["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 20);
    assert!(
        items
            .iter()
            .all(|i| i["text"].as_str().is_some_and(|t| !t.is_empty()))
    );
    let mut answers = serde_json::Map::new();
    for (n, i) in items.iter().enumerate() {
        let v = if i["competency"] == "networking" {
            5
        } else {
            2 + (n % 2) as i64
        };
        answers.insert(i["id"].as_str().unwrap().to_owned(), json!(v));
    }
    let path = format!("/api/v1/students/{id}/self-assessments");
    let r = app
        .api(
            Method::POST,
            &path,
            Some(&zoe),
            Some(json!({"phase": "specialisation", "answers": answers})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let scores = r.json()["scores"].clone();
    assert_eq!(scores["networking"], 5.0);
    assert_eq!(scores["quality_reflection"], 2.5);
    assert_eq!(scores.as_object().unwrap().len(), 5);

    let mut partial = answers.clone();
    partial.remove("nw4");
    let r = app
        .api(
            Method::POST,
            &path,
            Some(&zoe),
            Some(json!({"phase": "progress", "answers": partial})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let slb = app.api_login(SLB).await;
    let r = app
        .api(
            Method::POST,
            &path,
            Some(&slb),
            Some(json!({"answers": answers})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn programme_coverage_for_managers() {
    let app = spawn().await;
    let m = app.api_login(MANAGER).await;
    let r = app
        .api(
            Method::GET,
            "/api/v1/programmes/LO-ECO/coverage?cohort=2025",
            Some(&m),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let c = r.json();
    let students = c["students"].as_u64().unwrap();
    assert!(students > 0);
    let phases = c["phases"].as_array().unwrap();
    assert_eq!(phases.len(), 4);
    for p in phases {
        let (e, d, du, o) = (
            p["expected"].as_u64().unwrap(),
            p["done"].as_u64().unwrap(),
            p["due"].as_u64().unwrap(),
            p["overdue"].as_u64().unwrap(),
        );
        assert_eq!(e, d + du + o);
        assert!(e <= students);
        assert_eq!(p["missed_student_ids"].as_array().unwrap().len() as u64, o);
    }
    // Intake of the 2025 cohort is long past: everyone is expected.
    assert_eq!(phases[0]["expected"].as_u64().unwrap(), students);
    let all = app
        .api(
            Method::GET,
            "/api/v1/programmes/LO-ECO/coverage",
            Some(&m),
            None,
        )
        .await
        .json();
    assert!(all["students"].as_u64().unwrap() > students);
    assert_eq!(
        app.api(
            Method::GET,
            "/api/v1/programmes/LO-XX/coverage",
            Some(&m),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let r = app
        .api(
            Method::GET,
            "/api/v1/programmes/LO-ECO/coverage?cohort=twintig",
            Some(&m),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for who in [SLB, ADMIN, ZOE] {
        let t = app.api_login(who).await;
        let r = app
            .api(
                Method::GET,
                "/api/v1/programmes/LO-ECO/coverage",
                Some(&t),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
    }
}

#[tokio::test]
async fn seeded_summaries_equal_a_full_recomputation() {
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    assert_eq!(
        koers_store::guidance::summary::verify(t).await.unwrap(),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn kept_coverage_statuses_equal_the_live_computation() {
    let app = spawn().await;
    let m = app.api_login(MANAGER).await;
    // A change that refreshes one student, then the live list and the kept coverage.
    let slb = app.api_login(SLB).await;
    let zoe = app.api_login(ZOE).await;
    let id = zoe_id(&app, &zoe).await;
    app.api(Method::POST, "/api/v1/conversations", Some(&slb), Some(json!({
        "student_id": id, "phase": "outflow", "starts_at": "2026-01-15T09:00:00Z", "duration_minutes": 30})))
        .await;
    let list = app
        .api(
            Method::GET,
            "/api/v1/students?programme=LO-ECO&limit=500",
            Some(&m),
            None,
        )
        .await
        .json();
    let mut live = [[0u64; 4]; 4];
    for s in list["items"].as_array().unwrap() {
        for (i, p) in s["phases"].as_array().unwrap().iter().enumerate() {
            let k = ["done", "due", "overdue", "not_yet_due"]
                .iter()
                .position(|x| *x == p["status"])
                .unwrap();
            live[i][k] += 1;
        }
    }
    let cov = app
        .api(
            Method::GET,
            "/api/v1/programmes/LO-ECO/coverage",
            Some(&m),
            None,
        )
        .await
        .json();
    for (i, p) in cov["phases"].as_array().unwrap().iter().enumerate() {
        assert_eq!(p["done"].as_u64().unwrap(), live[i][0], "{}", p["phase"]);
        assert_eq!(p["due"].as_u64().unwrap(), live[i][1], "{}", p["phase"]);
        assert_eq!(p["overdue"].as_u64().unwrap(), live[i][2], "{}", p["phase"]);
    }
}

#[tokio::test]
async fn statuses_of_an_earlier_day_are_brought_up_to_date_for_every_programme() {
    let app = spawn().await;
    let m = app.api_login(MANAGER).await;
    let before = eco_coverage(&app, &m).await;
    // As after midnight: every kept status holds for an earlier day.
    sqlx::query("UPDATE guidance_summary SET status_day = '2000-01-01', status_intake = 'done'")
        .execute(app.db.pool())
        .await
        .unwrap();
    let today = koers_domain::time::today();
    let n = koers_store::guidance::coverage::bring_all_up_to_date(&app.db, today)
        .await
        .unwrap();
    let students: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM guidance_summary")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(n as i64, students, "every student of every institution");
    let stale: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM guidance_summary WHERE status_day <> $1")
            .bind(today.to_string())
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(stale, 0);
    assert_eq!(
        koers_store::guidance::coverage::bring_all_up_to_date(&app.db, today)
            .await
            .unwrap(),
        0,
        "a second run has nothing to do"
    );
    assert_eq!(eco_coverage(&app, &m).await, before);
}

async fn eco_coverage(app: &TestApp, token: &str) -> serde_json::Value {
    app.api(
        Method::GET,
        "/api/v1/programmes/LO-ECO/coverage",
        Some(token),
        None,
    )
    .await
    .json()
}

async fn progress_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM study_progress WHERE source = 'import'")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn study_progress_import_is_all_or_nothing_and_reaches_the_counsellor() {
    let app = spawn().await;
    let admin = app.api_login(ADMIN).await;
    let import = |token: String, csv: &'static str| {
        let app = &app;
        async move {
            app.api_raw(
                Method::POST,
                "/api/v1/study-progress/import",
                &token,
                "text/csv",
                csv.into(),
            )
            .await
        }
    };
    // A syntax error and an unknown student: every problem, nothing written.
    let r = import(
        admin.clone(),
        "studentnummer;studiepunten;norm\n500000;veel;45\n",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let d = r.json()["error"]["details"].clone();
    assert_eq!(
        (d[0]["line"].as_u64(), d[0]["column"].as_str()),
        (Some(2), Some("studiepunten"))
    );
    let r = import(
        admin.clone(),
        "studentnummer;studiepunten\n500000;30\n999999999;12\n",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let d = r.json()["error"]["details"].clone();
    assert_eq!(d.as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d[0]["line"], 3);
    assert!(d[0]["message"].as_str().unwrap().contains("999999999"));
    assert_eq!(progress_rows(&app).await, 0);

    // Zoë (500000) behind the norm, with a date in Dutch notation.
    let r = import(
        admin.clone(),
        "Student number,Credits,Norm,Peildatum\n500000,30,45,1-2-2026\n",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json(), json!({"created": 1}));
    assert_eq!(progress_rows(&app).await, 1);

    // Her counsellor sees the signal on her page.
    let mut slb = app.browser().await;
    slb.login(SLB, PASSWORD).await;
    let zoe = zoe_id(&app, &app.api_login(ZOE).await).await;
    let page = slb.get(&format!("/students/{zoe}")).await;
    assert!(page.body.contains("01-02-2026: 30 / 45"), "{}", page.body);

    // The other institution does not know the number.
    let other = app.api_login("beheerder@tweede.koers.test").await;
    let r = import(other, "studentnummer;studiepunten\n500000;40\n").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(progress_rows(&app).await, 1);

    // In the browser: errors on the import page (422), then the written count.
    let mut b = app.browser().await;
    b.login(ADMIN, PASSWORD).await;
    b.get("/students/import").await;
    let r = b
        .upload(
            "/students/import/progress",
            "bsa.csv",
            b"studentnummer;studiepunten\n500000;-1\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("BSA-bestand"), "{}", r.body);
    assert!(
        r.body
            .contains("<td class=\"num\">2</td><td>studiepunten</td>")
    );
    let r = b
        .upload(
            "/students/import/progress",
            "bsa.csv",
            b"studentnummer;studiepunten\n500000;44\n",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        b.get(r.location())
            .await
            .body
            .contains("1 BSA-stand opgeslagen.")
    );
    assert_eq!(progress_rows(&app).await, 2);
}
