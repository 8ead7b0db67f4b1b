//! Indicators of the LOB vision: values computed by hand for a small institution, the
//! incremental refresh equal to a full recomputation, the API and who reads it, the quality
//! cycle (targets, actions), the programme team's self-scan, progression and the annual
//! report as a page, a PDF (read back by an independent PDF parser) and CSV.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::civil::{Date, date};
use koers_domain::guidance::{
    ConversationStatus, Phase, conversation::Context, conversation::Origin,
};
use koers_domain::vision::indicator::{Fraction, Grain, Indicator, Outcome, Period};
use koers_store::indicators;
use koers_store::{Db, Tenant};
use serde_json::json;

async fn tweede(db: &Db) -> (String, String) {
    let inst: String = sqlx::query_scalar("SELECT id FROM institutions WHERE slug = 'tweede'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let programme: String = sqlx::query_scalar(
        "SELECT id FROM programmes WHERE institution_id = $1 AND code = 'LO-NL'",
    )
    .bind(&inst)
    .fetch_one(db.pool())
    .await
    .unwrap();
    (inst, programme)
}

/// A student of the second institution's LO-NL programme, cohort `cohort`, started on `start`.
async fn student(db: &Db, inst: &str, programme: &str, n: u32, cohort: i64, start: &str) -> String {
    let t = Tenant::new(db, inst);
    let cohort_id: String =
        match sqlx::query_scalar("SELECT id FROM cohorts WHERE programme_id = $1 AND year = $2")
            .bind(programme)
            .bind(cohort)
            .fetch_optional(db.pool())
            .await
            .unwrap()
        {
            Some(id) => id,
            None => {
                koers_store::platform::programmes::add_cohort(t, programme, cohort)
                    .await
                    .unwrap()
                    .id
            }
        };
    let user = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO users (id, institution_id, email, name, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, 0)",
    )
    .bind(&user)
    .bind(inst)
    .bind(format!("s{n}@tweede.koers.test"))
    .bind(format!("Student {n}"))
    .execute(db.pool())
    .await
    .unwrap();
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO students (id, institution_id, user_id, student_number, programme_id, cohort_id, created_at, \
         start_date, phase_since) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7)",
    )
    .bind(&id)
    .bind(inst)
    .bind(&user)
    .bind(format!("T{n}"))
    .bind(programme)
    .bind(&cohort_id)
    .bind(start)
    .execute(db.pool())
    .await
    .unwrap();
    sqlx::query("INSERT INTO guidance_summary (student_id, institution_id) VALUES ($1, $2)")
        .bind(&id)
        .bind(inst)
        .execute(db.pool())
        .await
        .unwrap();
    user
}

async fn held(db: &Db, inst: &str, person: &str, phase: Phase, on: Date) {
    let admin: String =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'beheerder@tweede.koers.test'")
            .fetch_one(db.pool())
            .await
            .unwrap();
    koers_store::guidance::conversations::create(
        Tenant::new(db, inst),
        koers_store::guidance::conversations::NewConversation {
            context: Context::Student,
            person_id: person,
            guide_id: Some(&admin),
            phase: Some(phase),
            status: ConversationStatus::Held,
            origin: Origin::Recorded,
            starts_at: Some(koers_domain::time::start_of_day(on) + 10 * 3_600_000),
            duration_minutes: 45,
            location: "",
            question: "",
            created_by: &admin,
        },
    )
    .await
    .unwrap();
}

fn value(c: &indicators::Computed, period: Period, i: Indicator, programme: &str) -> Fraction {
    c.values[&(
        period,
        Grain {
            indicator: i,
            programme: programme.to_owned(),
            cohort: if programme.is_empty() { 0 } else { 2026 },
        },
    )]
}

#[tokio::test]
async fn indicators_match_values_computed_by_hand() {
    let db = fresh_db().await;
    let (inst, p) = tweede(&db).await;
    // Cohort 2026: S1 intake in time, S2 late, S3 none and left (with an outflow
    // conversation), S4 started in February (window still open: not counted).
    let s1 = student(&db, &inst, &p, 1, 2026, "2026-09-01").await;
    let s2 = student(&db, &inst, &p, 2, 2026, "2026-09-01").await;
    let s3 = student(&db, &inst, &p, 3, 2026, "2026-09-01").await;
    let _s4 = student(&db, &inst, &p, 4, 2026, "2027-02-15").await;
    held(&db, &inst, &s1, Phase::Intake, date(2026, 9, 20)).await;
    held(&db, &inst, &s1, Phase::Progress, date(2027, 2, 10)).await;
    held(&db, &inst, &s2, Phase::Intake, date(2026, 10, 20)).await;
    held(&db, &inst, &s3, Phase::Outflow, date(2027, 1, 5)).await;
    sqlx::query("UPDATE students SET left_on = '2027-01-10' WHERE user_id = $1")
        .bind(&s3)
        .execute(db.pool())
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO outflow_records (student_id, institution_id, reason, left_on, destination, updated_at) \
         SELECT id, institution_id, 'stopped', '2027-01-10', 'work', 0 FROM students WHERE user_id = $1",
    )
    .bind(&s3)
    .execute(db.pool())
    .await
    .unwrap();

    let t = Tenant::new(&db, &inst);
    let c = indicators::compute(t, 2026, date(2027, 3, 1))
        .await
        .unwrap()
        .expect("the year has started");
    assert_eq!(c.as_of, date(2027, 3, 1));
    // Intake in time: 1 of the 3 whose window closed.
    assert_eq!(
        value(&c, Period::Year, Indicator::IntakeInTime, &p),
        Fraction::new(1.0, 3.0)
    );
    // Conversations per student: 4 held / 4 enrolled; semester 1: 3, semester 2: 1.
    assert_eq!(
        value(&c, Period::Year, Indicator::ConversationsPerStudent, &p),
        Fraction::new(4.0, 4.0)
    );
    assert_eq!(
        value(
            &c,
            Period::Semester1,
            Indicator::ConversationsPerStudent,
            &p
        ),
        Fraction::new(3.0, 4.0)
    );
    assert_eq!(
        value(
            &c,
            Period::Semester2,
            Indicator::ConversationsPerStudent,
            &p
        ),
        Fraction::new(1.0, 4.0)
    );
    // Outflow: the one who left had the conversation.
    assert_eq!(
        value(&c, Period::Year, Indicator::OutflowGuided, &p),
        Fraction::new(1.0, 1.0)
    );
    // The institution's totals are the sums (one programme with students here).
    assert_eq!(
        value(&c, Period::Year, Indicator::IntakeInTime, ""),
        Fraction::new(1.0, 3.0)
    );
    // Progression: in time and enrolled 1; late: 2 enrolled (S2, S4), 1 dropped out (S3).
    let count = |in_time, o| {
        c.progression
            .get(&(p.clone(), 2026, in_time, o))
            .copied()
            .unwrap_or(0)
    };
    assert_eq!(count(true, Outcome::Enrolled), 1);
    assert_eq!(count(false, Outcome::Enrolled), 2);
    assert_eq!(count(false, Outcome::DroppedOut), 1);
    // A year that has not started has no values.
    assert!(
        indicators::compute(t, 2027, date(2027, 3, 1))
            .await
            .unwrap()
            .is_none()
    );
}

fn as_map(values: &[indicators::Stored]) -> std::collections::BTreeMap<(Period, Grain), Fraction> {
    values
        .iter()
        .map(|s| ((s.period, s.grain.clone()), s.fraction))
        .collect()
}

#[tokio::test]
async fn the_incremental_refresh_equals_a_full_recomputation() {
    let db = fresh_db().await;
    let inst = demo_institution(&db).await;
    let t = Tenant::new(&db, &inst);
    let today = koers_domain::time::today();
    let year = koers_domain::vision::academic_year(today);
    // The demo computed every year; nothing is due within the allowed age.
    assert!(
        indicators::refresh_due(t, today, 3_600_000)
            .await
            .unwrap()
            .is_empty()
    );
    let before = as_map(&indicators::values(t, year).await.unwrap());
    // New facts: a held conversation today.
    let zoe = user_id(&db, "student@demo.koers.test").await;
    let slb = user_id(&db, "slb@demo.koers.test").await;
    koers_store::guidance::conversations::create(
        t,
        koers_store::guidance::conversations::NewConversation {
            context: Context::Student,
            person_id: &zoe,
            guide_id: Some(&slb),
            phase: Some(Phase::Progress),
            status: ConversationStatus::Held,
            origin: Origin::Recorded,
            starts_at: Some(koers_domain::time::start_of_day(today) + 3_600_000),
            duration_minutes: 30,
            location: "",
            question: "",
            created_by: &slb,
        },
    )
    .await
    .unwrap();
    // Within the allowed age the kept values stay; once due, the running year is refreshed
    // and closed years stay as they were.
    assert!(
        indicators::refresh_due(t, today, 3_600_000)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        indicators::refresh_due(t, today, 0).await.unwrap(),
        vec![year]
    );
    let after = as_map(&indicators::values(t, year).await.unwrap());
    let key = |programme: &str| {
        (
            Period::Year,
            Grain {
                indicator: Indicator::ConversationsPerStudent,
                programme: programme.to_owned(),
                cohort: 0,
            },
        )
    };
    assert_eq!(
        after[&key("")].numerator,
        before[&key("")].numerator + 1.0,
        "the new conversation is counted"
    );
    // Every kept year equals a full recomputation from the facts.
    for y in indicators::years(t).await.unwrap() {
        let full = indicators::compute(t, y, today).await.unwrap().unwrap();
        let kept = as_map(&indicators::values(t, y).await.unwrap());
        let mut expected = full.values.clone();
        if y != year {
            // The learning line has no history: a closed year keeps what it had.
            for (k, v) in &kept {
                if k.1.indicator == Indicator::LearningLineGaps {
                    expected.insert(k.clone(), *v);
                }
            }
        }
        assert_eq!(kept, expected, "year {y}");
        if y == year {
            assert_eq!(indicators::progression(t).await.unwrap(), full.progression);
        }
    }
}

#[tokio::test]
async fn the_api_gives_values_targets_and_status_to_those_who_read_them() {
    let app = spawn().await;
    let year = koers_domain::vision::academic_year(koers_domain::time::today());
    let manager = app.api_login("manager@demo.koers.test").await;
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/indicators?year={year}"),
            Some(&manager),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    let items = body["items"].as_array().unwrap();
    let intake = items
        .iter()
        .find(|i| i["key"] == "intake_in_time" && i.get("programme").is_none())
        .expect("the institution's intake value");
    assert_eq!(intake["target"], 0.9);
    assert!(["on_track", "at_risk", "off_track"].contains(&intake["status"].as_str().unwrap()));
    assert!(
        items
            .iter()
            .any(|i| i["key"] == "intake_in_time" && i["programme"] == "LO-ECO"),
        "programme values are there too"
    );
    // The previous year has values for at least eight indicators with a target.
    let prev = app
        .api(
            Method::GET,
            &format!("/api/v1/indicators?year={}", year - 1),
            Some(&manager),
            None,
        )
        .await
        .json();
    let with_target = prev["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i.get("programme").is_none() && !i["target"].is_null())
        .count();
    assert!(with_target >= 8, "{prev}");
    // HR advisers read the staff indicators only; students and lecturers nothing.
    let hr = app.api_login("hr@demo.koers.test").await;
    let hr_items = app
        .api(Method::GET, "/api/v1/indicators", Some(&hr), None)
        .await
        .json();
    let keys: Vec<&str> = hr_items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    assert!(!keys.is_empty());
    assert!(
        keys.iter()
            .all(|k| *k == "staff_plans_up_to_date" || k.starts_with("hrm_scan_")),
        "{keys:?}"
    );
    for who in ["student@demo.koers.test", "docent@demo.koers.test"] {
        let token = app.api_login(who).await;
        for path in ["/api/v1/indicators", "/api/v1/reports/annual"] {
            assert_eq!(
                app.api(Method::GET, path, Some(&token), None).await.status,
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
    }
    // Bad input is a clear 4xx.
    for (path, field) in [
        ("/api/v1/indicators?year=twee", "year"),
        ("/api/v1/indicators?year=1850", "year"),
        ("/api/v1/indicators?programme=LO-XYZ", "programme"),
    ] {
        let r = app.api(Method::GET, path, Some(&manager), None).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            r.body
        );
        assert!(r.body.contains(field), "{}", r.body);
    }
    // One programme's values only.
    let eco = app
        .api(
            Method::GET,
            "/api/v1/indicators?programme=LO-ECO",
            Some(&manager),
            None,
        )
        .await
        .json();
    assert!(
        eco["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["programme"] == "LO-ECO")
    );
}

async fn get_bytes(
    app: &TestApp,
    path: &str,
    token: &str,
    accept: &str,
) -> (StatusCode, String, Vec<u8>) {
    let req = Request::builder()
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::ACCEPT, accept)
        .body(Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (
        status,
        ct,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

#[tokio::test]
async fn the_annual_report_is_a_pdf_a_csv_and_json() {
    let app = spawn().await;
    let manager = app.api_login("manager@demo.koers.test").await;
    let started = std::time::Instant::now();
    let (status, ct, pdf) = get_bytes(
        &app,
        "/api/v1/reports/annual?programme=LO-ECO",
        &manager,
        "application/pdf",
    )
    .await;
    let took = started.elapsed();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct, "application/pdf");
    // Read back by an independent PDF parser: several pages, our title in the metadata.
    let doc = lopdf::Document::load_mem(&pdf).expect("a valid PDF");
    let pages = doc.get_pages().len();
    assert!(pages >= 4, "{pages} pages");
    let info = doc.trailer.get(b"Info").and_then(|o| o.as_reference()).ok();
    let title = info
        .and_then(|r| doc.get_dictionary(r).ok())
        .and_then(|d| d.get(b"Title").ok())
        .and_then(|t| lopdf::decode_text_string(t).ok())
        .unwrap_or_default();
    assert!(
        title.contains("Jaarverslag LOB") && title.contains("LO-ECO"),
        "{title}"
    );
    eprintln!("annual report PDF for a programme: {pages} pages in {took:?}");

    let (status, ct, csv) = get_bytes(&app, "/api/v1/reports/annual", &manager, "text/csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains(';') && header.contains("Waarde"),
        "{header}"
    );
    assert!(csv.contains("intake_in_time"));

    let r = app
        .api(Method::GET, "/api/v1/reports/annual", Some(&manager), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(j["vision_version"], 2);
    assert!(j["indicators"].as_array().unwrap().len() >= 8);
    assert!(j["actions"].as_i64().unwrap() >= 3);

    // The web page prints; the PDF and CSV come from the same address.
    let mut b = app.browser().await;
    b.login("manager@demo.koers.test", PASSWORD).await;
    let page = b.get("/reports/annual").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<svg") && page.body.contains("format=pdf"));
    let pdf = b.get("/reports/annual?format=pdf").await;
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(pdf.header("content-disposition").contains("attachment"));
}

#[tokio::test]
async fn targets_actions_and_the_self_scan_make_the_quality_cycle() {
    let app = spawn().await;
    let year = koers_domain::vision::academic_year(koers_domain::time::today());
    let mut b = app.browser().await;
    b.login("manager@demo.koers.test", PASSWORD).await;
    let home = b.get("/home").await;
    assert!(
        home.body.contains(r#"id="h-indicators""#),
        "the home page sums up the statuses"
    );
    let page = b.get("/quality").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"name="target.intake_in_time" value="90""#)
    );
    // A bad target keeps what was typed and saves nothing.
    let y = year.to_string();
    let r = b
        .post(
            "/quality/targets",
            &[
                ("year", &y),
                ("programme", ""),
                ("target.intake_in_time", "85"),
                ("target.conversations_per_student", "veel"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"value="veel""#) && r.body.contains(r#"value="85""#));
    let inst = demo_institution(&app.db).await;
    let t = Tenant::new(&app.db, &inst);
    let target = |ts: &[indicators::Target], i| {
        ts.iter()
            .find(|x| x.indicator == i && x.scope.is_empty())
            .map(|x| x.target)
    };
    assert_eq!(
        target(
            &indicators::targets(t, year).await.unwrap(),
            Indicator::IntakeInTime
        ),
        Some(0.9)
    );
    // A good one is kept; an emptied box removes the target.
    let r = b
        .post(
            "/quality/targets",
            &[
                ("year", &y),
                ("programme", ""),
                ("target.intake_in_time", "85%"),
                ("target.conversations_per_student", "2,5"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ts = indicators::targets(t, year).await.unwrap();
    assert_eq!(target(&ts, Indicator::IntakeInTime), Some(0.85));
    assert_eq!(target(&ts, Indicator::ConversationsPerStudent), Some(2.5));
    assert_eq!(target(&ts, Indicator::OutflowGuided), None);

    // An unknown owner keeps what was typed.
    let r = b
        .post(
            "/quality/actions",
            &[
                ("year", &y),
                ("programme", ""),
                ("indicator", "outflow_guided"),
                ("title", "Uitstroom bespreken"),
                ("owner_email", "niemand@demo.koers.test"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(r#"value="Uitstroom bespreken""#));
    assert!(r.body.contains(r#"value="outflow_guided" selected"#));
    // An action on an indicator, shown on the indicator's page.
    let r = b
        .post(
            "/quality/actions",
            &[
                ("year", &y),
                ("programme", ""),
                ("indicator", "intake_in_time"),
                ("title", "Intake in de eerste week"),
                ("owner_email", "docent@demo.koers.test"),
                ("due_on", "2027-01-15"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let detail = b.get("/indicators/intake_in_time").await;
    assert!(detail.body.contains("Intake in de eerste week"));
    assert!(detail.body.contains("<svg"), "the trend chart");
    assert!(detail.body.contains("LO-ECO"), "the drill-down");

    // The self-scan of a programme: a draft keeps what was scored; final needs every
    // statement; a final scan can be reopened.
    let r = b
        .post(
            "/self-scans/LO-TECH",
            &[
                ("year", &y),
                ("action", "final"),
                ("participants", "Team techniek"),
                ("score.vision_policy.1", "3"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Team techniek"));
    let mut fields: Vec<(String, String)> = koers_domain::vision::selfscan::STATEMENTS
        .iter()
        .map(|(_, k)| (format!("score.{k}"), "2".to_owned()))
        .collect();
    fields.push(("year".into(), y.clone()));
    fields.push(("action".into(), "final".into()));
    fields.push(("participants".into(), "Team techniek".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = b.post("/self-scans/LO-TECH", &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let scan = b.get("/self-scans/LO-TECH").await;
    assert!(scan.body.contains("Definitief") && scan.body.contains("<svg"));
    let r = b
        .post(
            "/self-scans/LO-TECH",
            &[("year", &y), ("participants", "x")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a final scan is not changed"
    );
    let r = b
        .post("/self-scans/LO-TECH", &[("year", &y), ("action", "reopen")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = b
        .post(
            "/quality/actions",
            &[
                ("year", &y),
                ("programme", "LO-TECH"),
                ("aspect", "quality_assurance"),
                ("title", "LOB in de jaarevaluatie"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        b.get("/self-scans/LO-TECH")
            .await
            .body
            .contains("LOB in de jaarevaluatie")
    );
    assert!(
        b.get("/quality")
            .await
            .body
            .contains("LOB in de jaarevaluatie")
    );

    // Refresh now, then progression (groups under ten are not shown).
    let r = b
        .post("/indicators/refresh", &[("year", &y), ("programme", "")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let p = b.get("/progression").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("samenhang"), "worded as association");

    // Lecturers and students do not reach the quality cycle.
    let mut s = app.browser().await;
    s.login("student@demo.koers.test", PASSWORD).await;
    assert!(!s.get("/home").await.body.contains(r#"id="h-indicators""#));
    assert_eq!(s.get("/quality").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        s.post("/quality/targets", &[("year", &y)]).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn indicator_actions_need_a_readable_reference() {
    let app = spawn().await;
    let manager = app.api_login("manager@demo.koers.test").await;
    for (key, ok) in [
        ("2026::intake_in_time", true),
        ("intake-in-time", false),
        ("2026:nope:intake_in_time", false),
    ] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/improvement-actions",
                Some(&manager),
                Some(json!({"source": {"kind": "indicator", "key": key}, "title": "Actie"})),
            )
            .await;
        let want = if ok {
            StatusCode::CREATED
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        assert_eq!(r.status, want, "{key}: {}", r.body);
    }
}
