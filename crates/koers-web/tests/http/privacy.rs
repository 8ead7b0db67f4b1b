//! Privacy (AVG) and the audit log: the tamper-evident chain, who read my file, export,
//! erasure and retention.

use crate::support::*;
use axum::http::StatusCode;
use koers_store::Tenant;
use koers_store::platform::audit::{self, NewEvent};

#[tokio::test]
async fn the_audit_log_is_a_hash_chain_that_shows_tampering_and_survives_erasure() {
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let before = audit::verify(&app.db, Some(&inst)).await.unwrap();
    assert_eq!(before.broken_at, None);
    // Writers at the same time (as several instances would) make one chain, not forks.
    let mut tasks = Vec::new();
    for i in 0..24 {
        let db = app.db.clone();
        let inst = inst.clone();
        tasks.push(tokio::spawn(async move {
            audit::record(
                &db,
                NewEvent {
                    institution_id: Some(&inst),
                    actor_email: Some("x@demo.koers.test"),
                    action: "test.event",
                    details: serde_json::json!({ "n": i }),
                    ip: Some("10.1.2.3"),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let r = audit::verify(&app.db, Some(&inst)).await.unwrap();
    assert_eq!(r.events, before.events + 24);
    assert_eq!(r.broken_at, None);
    assert_eq!(r.personal_mismatches, 0);

    let exec = |sql: String| {
        let db = app.db.clone();
        async move {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(db.pool())
                .await
                .unwrap();
        }
    };
    // Changing a personal field is seen (its salted hash no longer matches).
    let third = before.events + 3;
    exec(format!(
        "UPDATE audit_events SET ip = '10.9.9.9' WHERE institution_id = '{inst}' AND seq = {third}"
    ))
    .await;
    let r = audit::verify(&app.db, Some(&inst)).await.unwrap();
    assert_eq!((r.broken_at, r.personal_mismatches), (None, 1));
    // Changing what happened breaks the chain from that event on.
    let fifth = before.events + 5;
    exec(format!(
        "UPDATE audit_events SET action = 'test.innocent' WHERE institution_id = '{inst}' AND seq = {fifth}"
    ))
    .await;
    assert_eq!(
        audit::verify(&app.db, Some(&inst)).await.unwrap().broken_at,
        Some(fifth)
    );
    exec(format!(
        "UPDATE audit_events SET action = 'test.event' WHERE institution_id = '{inst}' AND seq = {fifth}"
    ))
    .await;
    assert_eq!(
        audit::verify(&app.db, Some(&inst)).await.unwrap().broken_at,
        None
    );
    // Removing an event, or the last one, is seen too.
    let last = before.events + 24;
    exec(format!(
        "DELETE FROM audit_events WHERE institution_id = '{inst}' AND seq = {last}"
    ))
    .await;
    assert_eq!(
        audit::verify(&app.db, Some(&inst)).await.unwrap().broken_at,
        Some(last)
    );
    let tenth = before.events + 10;
    exec(format!(
        "DELETE FROM audit_events WHERE institution_id = '{inst}' AND seq = {tenth}"
    ))
    .await;
    assert_eq!(
        audit::verify(&app.db, Some(&inst)).await.unwrap().broken_at,
        Some(tenth)
    );
    // The other institution's chain is its own and intact.
    let (other,): (String,) =
        sqlx::query_as("SELECT id FROM institutions WHERE id <> $1 ORDER BY id LIMIT 1")
            .bind(&inst)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        audit::verify(&app.db, Some(&other))
            .await
            .unwrap()
            .broken_at,
        None
    );
}

#[tokio::test]
async fn erasing_personal_fields_keeps_the_chain_whole() {
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let mut b = app.browser().await;
    // Logins and failures of the counsellor make events with address and details.
    b.login("slb@demo.koers.test", "verkeerd-wachtwoord").await;
    b.login("slb@demo.koers.test", PASSWORD).await;
    assert_eq!(b.get("/home").await.status, StatusCode::OK);
    let slb = user_id(&app.db, "slb@demo.koers.test").await;
    let t = Tenant::new(&app.db, &inst);
    let n = audit::erase_personal_fields(t, &slb).await.unwrap();
    assert!(n >= 2);
    let (left,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND (actor_email IS NOT NULL OR ip IS NOT NULL)",
    )
    .bind(&slb)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(left, 0);
    let r = audit::verify(&app.db, Some(&inst)).await.unwrap();
    assert_eq!((r.broken_at, r.personal_mismatches), (None, 0));
    // Administrators check it from the audit page.
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let page = admin.get("/admin/audit?verify=1").await;
    assert!(page.body.contains("id=\"audit-chain\""), "{}", page.body);
    assert!(page.body.contains("onveranderd"));
}

/// Every (table, text column) of the database, on either backend.
async fn text_columns(db: &koers_store::Db) -> Vec<(String, String)> {
    let sql = match db.backend() {
        koers_store::Backend::Postgres => {
            "SELECT table_name::text, column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND data_type = 'text'"
        }
        koers_store::Backend::Sqlite => {
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND upper(c.type) = 'TEXT'"
        }
    };
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(db.pool())
        .await
        .unwrap()
}

/// Where a text still occurs anywhere in the database: "table.column" for each hit.
async fn occurrences(db: &koers_store::Db, needle: &str) -> Vec<String> {
    let mut hits = Vec::new();
    for (t, c) in text_columns(db).await {
        let sql = format!("SELECT COUNT(*) FROM {t} WHERE {c} LIKE $1");
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(format!("%{needle}%"))
            .fetch_one(db.pool())
            .await
            .unwrap();
        if n > 0 {
            hits.push(format!("{t}.{c}"));
        }
    }
    hits
}

#[tokio::test]
async fn a_person_downloads_everything_and_an_erased_person_is_gone_while_aggregates_stay() {
    let app = spawn().await;
    // Zoë's counsellor reads her file: she sees it.
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    let zoe_record: (String,) = sqlx::query_as(
        "SELECT s.id FROM students s JOIN users u ON u.id = s.user_id WHERE u.email = 'student@demo.koers.test'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        slb.get(&format!("/students/{}", zoe_record.0)).await.status,
        StatusCode::OK
    );
    let mut zoe = app.browser().await;
    zoe.login("student@demo.koers.test", PASSWORD).await;
    let mine = zoe.get("/my-data").await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(
        mine.body.contains("slb@demo.koers.test"),
        "who read my file"
    );
    // The download: JSON (as a file) and the readable page; the API gives the same JSON.
    let json = zoe.get("/my-data/export.json").await;
    assert!(json.header("content-disposition").starts_with("attachment"));
    let data: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(data["account"]["email"], "student@demo.koers.test");
    for table in [
        "students",
        "conversations",
        "agreements",
        "reflections",
        "goals",
        "evidence",
        "placements",
    ] {
        assert!(
            data["tables"][table]
                .as_array()
                .is_some_and(|a| !a.is_empty()),
            "{table} in the export"
        );
    }
    assert!(!json.body.contains("password_hash") && !json.body.contains("private_notes"));
    let readable = zoe.get("/my-data/export").await;
    assert!(readable.body.contains("Gesprekken") && readable.body.contains("Zoë"));
    // Readable means plain labels, dates instead of clock counts, no record keys, and the
    // people who recorded something by name.
    assert!(readable.body.contains("<dt>Aangemaakt op</dt>"));
    assert!(
        readable.body.contains("<dd>geweest</dd>") || readable.body.contains("<dd>gepland</dd>")
    );
    for raw in [
        "<dd>held</dd>",
        "<dd>planned</dd>",
        "<dd>intake</dd>",
        "<dd>progress</dd>",
    ] {
        assert!(
            !readable.body.contains(raw),
            "a stored value without its name: {raw}"
        );
    }
    assert!(!readable.body.contains("created at") && !readable.body.contains("institution id"));
    let main = &readable.body[readable.body.find("<main").unwrap()..];
    let long_number = main
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() >= 12);
    let around = main
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() >= 12)
        .map(|run| {
            let i = main.find(run).unwrap();
            main[i.saturating_sub(120)..i + run.len()].to_owned()
        });
    assert!(
        !long_number,
        "a raw timestamp in the readable export: {around:?}"
    );
    let counsellor: String =
        sqlx::query_scalar("SELECT name FROM users WHERE email = 'slb@demo.koers.test'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(readable.body.contains(&counsellor), "{counsellor} by name");
    let token = app.api_login("student@demo.koers.test").await;
    let api = app
        .api(
            axum::http::Method::GET,
            "/api/v1/me/export",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["tables"]["goals"], data["tables"]["goals"]);

    // Aggregates before: coverage of her programme and the indicator values.
    let admin_token = app.api_login("beheerder@demo.koers.test").await;
    let cov_before = app
        .api(
            axum::http::Method::GET,
            "/api/v1/programmes/LO-ECO/coverage",
            Some(&admin_token),
            None,
        )
        .await
        .json();
    let (held_before,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM conversations WHERE status = 'held'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();

    // Erasure needs the confirmation, and not of oneself.
    let zoe_id = user_id(&app.db, "student@demo.koers.test").await;
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let page = admin.get(&format!("/admin/users/{zoe_id}")).await;
    assert!(page.body.contains("/erase"));
    let r = admin
        .post(&format!("/admin/users/{zoe_id}/erase"), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let me = user_id(&app.db, "beheerder@demo.koers.test").await;
    let r = admin
        .post(&format!("/admin/users/{me}/erase"), &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .post(&format!("/admin/users/{zoe_id}/erase"), &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // Gone: her sessions end, her password no longer works, and her address and name are
    // nowhere in the database (every text column of every table searched).
    assert_eq!(zoe.get("/home").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        occurrences(&app.db, "student@demo.koers.test").await,
        Vec::<String>::new()
    );
    assert_eq!(
        occurrences(&app.db, "Zoë van der Meer").await,
        Vec::<String>::new()
    );
    let (given, family, number): (String, String, String) = sqlx::query_as(
        "SELECT given_name, family_name, student_number FROM students WHERE id = $1",
    )
    .bind(&zoe_record.0)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!((given.as_str(), family.as_str()), ("", "Gewiste persoon"));
    assert!(number.starts_with("gewist-"));
    // (A login with the old address afterwards is a new, failed attempt.)
    let r = app
        .api(
            axum::http::Method::POST,
            "/api/v1/sessions",
            None,
            Some(serde_json::json!({"email": "student@demo.koers.test", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);

    // Aggregates stay: the same coverage and the same number of held conversations.
    let cov_after = app
        .api(
            axum::http::Method::GET,
            "/api/v1/programmes/LO-ECO/coverage",
            Some(&admin_token),
            None,
        )
        .await
        .json();
    for k in ["students", "phases"] {
        assert_eq!(cov_before[k], cov_after[k], "coverage {k}");
    }
    let (held_after,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM conversations WHERE status = 'held'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(held_before, held_after);
    // The audit log still verifies, and records the erasure without personal details.
    let inst = demo_institution(&app.db).await;
    let r = audit::verify(&app.db, Some(&inst)).await.unwrap();
    assert_eq!((r.broken_at, r.personal_mismatches), (None, 0));
    let t = Tenant::new(&app.db, &inst);
    let events = audit::list(t, Some("person."), 10, None)
        .await
        .unwrap()
        .items;
    assert!(events.iter().any(|e| e.action == "person.erase"));
}

#[tokio::test]
async fn retention_runs_on_a_movable_clock_and_keeps_aggregates() {
    use koers_store::platform::retention::{self, Policy};
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let t = Tenant::new(&app.db, &inst);
    let day = 24 * 3600 * 1000i64;
    let now = koers_store::now_ms();
    // A student who left ten days ago, an employee whose account was switched off, a read
    // notification and a sent mail.
    let leaver = second_student(&app).await;
    let leaver_id = user_id(&app.db, &leaver).await;
    let left_on = koers_domain::time::local(now - 10 * day).date().to_string();
    sqlx::query("UPDATE students SET left_on = $1 WHERE user_id = $2")
        .bind(&left_on)
        .bind(&leaver_id)
        .execute(app.db.pool())
        .await
        .unwrap();
    let staff = user_id(&app.db, "medewerker01@demo.koers.test").await;
    koers_store::platform::users::set_active(t, &staff, false)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO notifications (id, institution_id, user_id, kind, title, body, link, created_at, read_at) \
         VALUES ('01000000-0000-7000-8000-000000000002', $1, $2, 'test', 'Gelezen', '', '/home', $3, $3)",
    )
    .bind(&inst)
    .bind(user_id(&app.db, "slb@demo.koers.test").await)
    .bind(now)
    .execute(app.db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO outbox (id, institution_id, kind, to_email, to_name, subject, body, created_at, sent_at, attempts) \
         VALUES ('01000000-0000-7000-8000-000000000001', $1, 'test', 'oud@demo.koers.test', 'Oud', 'x', 'y', $2, $2, 1)",
    )
    .bind(&inst)
    .bind(now)
    .execute(app.db.pool())
    .await
    .unwrap();
    let admin = app.api_login("beheerder@demo.koers.test").await;
    let coverage = || async {
        app.api(
            axum::http::Method::GET,
            "/api/v1/programmes/LO-ECO/coverage",
            Some(&admin),
            None,
        )
        .await
        .json()["students"]
            .clone()
    };
    let before = coverage().await;
    let policy = Policy::default();

    // Today: the leaver's account is switched off; nothing has expired yet.
    let r = retention::run(&app.db, &policy, now).await.unwrap();
    assert!(r.accounts_deactivated >= 1, "{r:?}");
    assert_eq!((r.mails_removed, r.notifications_removed), (0, 0));
    let r = app
        .api(
            axum::http::Method::POST,
            "/api/v1/sessions",
            None,
            Some(serde_json::json!({"email": leaver, "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a leaver cannot log in");
    let erased_at = |id: String| {
        let db = app.db.clone();
        async move {
            let (e,): (Option<i64>,) = sqlx::query_as("SELECT erased_at FROM users WHERE id = $1")
                .bind(id)
                .fetch_one(db.pool())
                .await
                .unwrap();
            e
        }
    };
    assert_eq!(erased_at(leaver_id.clone()).await, None);

    // Three years on: the leaver and the switched-off employee are erased, the audit log's
    // personal fields blanked, read notifications and sent mail gone.
    let later = now + 3 * 365 * day;
    let r = retention::run(&app.db, &policy, later).await.unwrap();
    assert!(r.people_erased >= 2, "{r:?}");
    assert!(
        r.audit_events_blanked > 0 && r.notifications_removed > 0 && r.mails_removed >= 1,
        "{r:?}"
    );
    assert!(erased_at(leaver_id.clone()).await.is_some());
    assert!(erased_at(staff.clone()).await.is_some());
    assert_eq!(occurrences(&app.db, &leaver).await, Vec::<String>::new());
    assert_eq!(
        occurrences(&app.db, "oud@demo.koers.test").await,
        Vec::<String>::new()
    );
    // Active people are untouched; the programme's counts are the same.
    assert!(
        erased_at(user_id(&app.db, "slb@demo.koers.test").await)
            .await
            .is_none()
    );
    assert_eq!(coverage().await, before);
    let chain = audit::verify(&app.db, Some(&inst)).await.unwrap();
    assert_eq!((chain.broken_at, chain.personal_mismatches), (None, 0));
    // Running again erases nobody twice.
    let again = retention::run(&app.db, &policy, later).await.unwrap();
    assert_eq!(again.people_erased, 0);
    // The daily job runs once a day, whichever instance asks first.
    assert!(retention::due_today(&app.db).await.unwrap());
    assert!(!retention::due_today(&app.db).await.unwrap());
}

#[tokio::test]
async fn the_privacy_statement_names_the_institution_and_the_configured_periods() {
    let db = fresh_db().await;
    let app = app_with(
        db,
        koers_web::WebConfig {
            retention: koers_store::platform::retention::Policy::parse("left-students=1095")
                .unwrap(),
            ..Default::default()
        },
    );
    let mut b = app.browser().await;
    let anonymous = b.get("/privacy").await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(
        anonymous
            .body
            .contains("1095 dagen nadat je de opleiding verliet")
    );
    assert!(anonymous.body.contains("90 dagen nadat ze verstuurd"));
    assert!(!anonymous.body.contains("Hogeschool Demo"));
    b.login("student@demo.koers.test", PASSWORD).await;
    assert!(
        b.get("/privacy")
            .await
            .body
            .contains("Hogeschool Demo is verantwoordelijk")
    );
    let a11y = b.get("/accessibility").await;
    assert!(a11y.body.contains("WCAG 2.1") && a11y.body.contains("Status C"));
    // Linked from every page.
    assert!(b.get("/home").await.body.contains("href=\"/privacy\""));
}

/// Every change is in the audit log: a handler's own event, or else the generic one with the
/// route and its parameters; never both, and nothing for a refused form.
#[tokio::test]
async fn every_change_is_logged_once_with_its_route() {
    let app = spawn().await;
    let events = |action: &'static str| {
        let pool = app.db.pool().clone();
        async move {
            sqlx::query_as::<_, (Option<String>, Option<String>, Option<String>, String)>(
                "SELECT actor_email, subject_type, subject_id, details FROM audit_events \
                 WHERE action = $1 ORDER BY seq",
            )
            .bind(action)
            .fetch_all(&pool)
            .await
            .unwrap()
        }
    };
    let mut employee = app.browser().await;
    employee.login("medewerker@demo.koers.test", PASSWORD).await;
    let r = employee.post("/account/digest", &[("digest", "1")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let offer: String = sqlx::query_scalar("SELECT id FROM offer_items ORDER BY title LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let r = employee.post(&format!("/offer/{offer}/enrol"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let changes = events("change.request").await;
    assert_eq!(changes.len(), 2, "{changes:?}");
    let (who, kind, id, details) = &changes[1];
    assert_eq!(who.as_deref(), Some("medewerker@demo.koers.test"));
    assert_eq!(
        (kind.as_deref(), id.as_deref()),
        (Some("offer"), Some(offer.as_str()))
    );
    let d: serde_json::Value = serde_json::from_str(details).unwrap();
    assert_eq!(d["method"], "POST");
    assert_eq!(d["route"], "/offer/{id}/enrol");
    assert_eq!(d["params"]["id"], offer.as_str());
    // The administrator reads it on the audit page, filtered as "other changes".
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let page = admin.get("/admin/audit?kind=change").await;
    assert!(
        page.body.contains("POST /offer/{id}/enrol"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Wijziging"));

    // A handler with its own event (a password change) is not logged twice.
    let r = employee
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "een-lang-nieuw-wachtwoord-7"),
                ("confirm_password", "een-lang-nieuw-wachtwoord-7"),
            ],
        )
        .await;
    assert!(r.status.is_redirection(), "{} {}", r.status, r.body);
    assert_eq!(events("account.password").await.len(), 1);
    assert_eq!(events("change.request").await.len(), 2);
    // A refused form changes nothing and logs nothing.
    let r = employee
        .post(
            "/account/password",
            &[
                ("current_password", "niet-het-wachtwoord"),
                ("new_password", "nog-een-lang-wachtwoord-8"),
                ("confirm_password", "nog-een-lang-wachtwoord-8"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(events("change.request").await.len(), 2);

    // A change about one person names them, so it is on their "who read or changed my
    // data": the administrator's second-factor reset of the employee (who had none, so no
    // event of its own).
    let employee_id = user_id(&app.db, "medewerker@demo.koers.test").await;
    let before = employee.get("/my-data").await.body;
    assert!(!before.contains("beheerder@demo.koers.test"), "{before}");
    let r = admin
        .post(
            &format!("/admin/users/{employee_id}/second-factor/reset"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let persons: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT person_id FROM audit_events WHERE action = 'change.request' ORDER BY seq",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    // The employee's own changes concern no one loaded by an access check.
    assert_eq!(persons, vec![None, None, Some(employee_id.clone())]);
    let after = employee.get("/my-data").await.body;
    assert!(after.contains("beheerder@demo.koers.test"), "{after}");
}

/// Each institution has its own privacy statement: who is responsible, its data-protection
/// officer and address, set by its administrator, public at `/privacy/{slug}`.
#[tokio::test]
async fn each_institution_has_its_own_privacy_statement() {
    let app = spawn().await;
    let mut visitor = app.browser().await;
    let page = visitor.get("/privacy/demo").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Stichting Hogeschool Demo",
        "Mr. A. (Anouk) de Jong",
        "mailto:privacy@demo.koers.test",
        "binnen vier weken",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    let other = visitor.get("/privacy/tweede").await;
    assert!(
        other
            .body
            .contains("Hogeschool Tweede heeft de contactgegevens")
    );
    assert!(!other.body.contains("privacy@demo.koers.test"));
    assert_eq!(
        visitor.get("/privacy/bestaat-niet").await.status,
        StatusCode::NOT_FOUND
    );

    // The administrator changes it; a wrong address comes back with what was typed.
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let form = admin.get("/admin/privacy").await;
    assert!(form.body.contains("value=\"privacy@demo.koers.test\""));
    let r = admin
        .post(
            "/admin/privacy",
            &[
                ("controller", "Stichting Demo"),
                ("officer", "J. Bakker"),
                ("email", "fg bij demo"),
                ("note", "Eerste alinea.\r\n\r\nTweede alinea."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"fg bij demo\"") && r.body.contains("J. Bakker"));
    assert!(r.body.contains("aria-invalid=\"true\""));
    let r = admin
        .post(
            "/admin/privacy",
            &[
                ("controller", "Stichting Demo"),
                ("officer", "J. Bakker"),
                ("email", "FG@Demo.Koers.test"),
                ("note", "Eerste alinea.\r\n\r\nTweede alinea."),
            ],
        )
        .await;
    assert_eq!(r.location(), "/admin/privacy?ok=saved");
    let page = visitor.get("/privacy/demo").await;
    assert!(page.body.contains("mailto:fg@demo.koers.test"));
    assert!(
        page.body.contains("<p>Eerste alinea.</p>") && page.body.contains("<p>Tweede alinea.</p>")
    );
    assert!(page.body.contains("Bijgewerkt op"));

    // Logged in, /privacy is the statement of one's own institution.
    let mut student = app.browser().await;
    student.login("student@demo.koers.test", PASSWORD).await;
    assert!(student.get("/privacy").await.body.contains("J. Bakker"));
    let mut second = app.browser().await;
    second.login("beheerder@tweede.koers.test", PASSWORD).await;
    let own = second.get("/privacy").await;
    assert!(own.body.contains("Hogeschool Tweede") && !own.body.contains("J. Bakker"));
    // Without logging in, the general statement.
    assert!(!visitor.get("/privacy").await.body.contains("J. Bakker"));
}

/// A privacy officer's question: who read this student's file, and what did this counsellor
/// do? The audit page filters by the person concerned and by who did it.
#[tokio::test]
async fn the_audit_log_filters_by_person_concerned_and_by_actor() {
    let app = spawn().await;
    let zoe: String = sqlx::query_scalar(
        "SELECT s.id FROM students s JOIN users u ON u.id = s.user_id WHERE u.email = 'student@demo.koers.test'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    assert_eq!(
        slb.get(&format!("/students/{zoe}")).await.status,
        StatusCode::OK
    );
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;

    let about = admin
        .get("/admin/audit?about=Student%40demo.koers.test")
        .await;
    assert_eq!(about.status, StatusCode::OK);
    assert!(about.body.contains("Loopbaandossier bekeken"));
    assert!(about.body.contains("slb@demo.koers.test"));
    assert!(!about.body.contains("Ingelogd"), "only events about her");
    assert!(about.body.contains("value=\"student@demo.koers.test\""));

    let by = admin.get("/admin/audit?who=slb%40demo.koers.test").await;
    let rows = by.body.matches("<tr>").count() - 1;
    assert!(rows >= 2, "her login and the file she read");
    assert!(!by.body.contains("beheerder@demo.koers.test</td>"));

    let nobody = admin
        .get("/admin/audit?who=niemand%40demo.koers.test")
        .await;
    assert!(
        nobody
            .body
            .contains("Niemand in je instelling heeft dit e-mailadres.")
    );
    assert!(nobody.body.contains("Nog geen gebeurtenissen."));
    // Another institution's people are nobody here.
    let other = admin
        .get("/admin/audit?who=beheerder%40tweede.koers.test")
        .await;
    assert!(
        other
            .body
            .contains("Niemand in je instelling heeft dit e-mailadres.")
    );
}
