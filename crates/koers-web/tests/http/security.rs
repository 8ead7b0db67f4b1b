//! Findings of the independent security test (issue 20): each test here failed before its fix.

use crate::support::*;
use axum::http::StatusCode;

/// Every route that redirects to a target the client sent sends only to a path on this site:
/// a tab, newline or backslash cannot turn it into another host, and CR/LF is no 500.
#[tokio::test]
async fn redirect_targets_stay_on_this_site() {
    let app = spawn().await;
    let mut b = app.browser().await;
    // Logged out: the form copies `next`, and logging in with it lands at home.
    let r = b.get("/login?next=/%09/evil.example").await;
    assert_eq!(r.status, StatusCode::OK);
    for next in [
        "/\t/evil.example",
        "/\\evil.example",
        "/\r\nSet-Cookie: x=y",
        "/\n/evil.example",
        "//evil.example",
    ] {
        let r = b
            .post(
                "/login",
                &[
                    ("email", "slb@demo.koers.test"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{next:?}");
        assert_eq!(r.location(), "/home", "{next:?}");
    }
    // Logged in (each login above made a new session: read its form token): the login page
    // sends on at once.
    b.get("/home").await;
    for query in [
        "next=/%09/evil.example",
        "next=/%0d%0aSet-Cookie:%20x=y",
        "next=/%5Cevil.example",
        "next=%2F%2Fevil.example",
        "next=/%20/evil.example",
    ] {
        let r = b.get(&format!("/login?{query}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{query}");
        assert_eq!(r.location(), "/home", "{query}");
    }
    let r = b.get("/login?next=/students%3Fq%3Dzo%C3%AB").await;
    assert_eq!(r.location(), "/students?q=zo%C3%AB");
    // The language switch and a notification's link.
    let r = b
        .post(
            "/language",
            &[("locale", "en"), ("next", "/\\evil.example")],
        )
        .await;
    assert_eq!(r.location(), "/");
    let r = b
        .post("/language", &[("locale", "nl"), ("next", "/\r\nX: y")])
        .await;
    assert_eq!(r.location(), "/");
    let r = b
        .post(
            "/notifications/read",
            &[("next", "/\\evil.example"), ("id", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/notifications");
    let r = b
        .post(
            "/notifications/read",
            &[("next", "/career-file"), ("id", "")],
        )
        .await;
    assert_eq!(r.location(), "/career-file");
}

/// `/baseline` is the bench's route: 404 unless Koers is started for benchmarking, and even
/// then it shows nothing of the table it reads (the deployment's own key/value table).
#[tokio::test]
async fn the_benchmark_route_is_off_and_reveals_nothing() {
    let app = spawn().await;
    let r = app.send(get("/baseline")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    app.db
        .set_state("retention_probe", "an-internal-value")
        .await
        .unwrap();
    let stored: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM app_state")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    let bench = app_with(
        app.db.clone(),
        koers_web::WebConfig {
            benchmark: true,
            ..Default::default()
        },
    );
    let r = bench.send(get("/baseline")).await;
    assert_eq!(r.status, StatusCode::OK);
    for (k, v) in stored {
        assert!(!r.body.contains(&k), "the key {k} shows");
        // (Values as short as a row number cannot be told apart from one.)
        assert!(
            v.len() < 4 || !r.body.contains(&v),
            "the value of {k} shows"
        );
    }
}

fn get(path: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::get(path)
        .body(axum::body::Body::empty())
        .unwrap()
}

/// Personal data are never kept in a cache (ASVS 8.2.1): pages, downloads, evidence files,
/// every API response and the token are `no-store`; the public assets keep their caching.
#[tokio::test]
async fn personal_data_are_not_cached() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login("student@demo.koers.test", PASSWORD).await;
    let page = b.get("/evidence").await;
    let i = page.body.find("<option value=\"").unwrap() + 15;
    let competence = page.body[i..].split('"').next().unwrap().to_owned();
    let r = b
        .upload_form(
            "/evidence",
            &[
                ("competence", &competence),
                ("title", "Verslag"),
                ("body", ""),
            ],
            ("file", "verslag.pdf", b"%PDF-1.4 demo"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let paths = [
        "/home".to_owned(),
        "/career-file".to_owned(),
        "/my-data".to_owned(),
        "/my-data/export.json".to_owned(),
        "/privacy".to_owned(),
        format!("{}/file", r.location()),
    ];
    for path in &paths {
        let r = b.get(path).await;
        assert!(r.status.is_success(), "{path}: {}", r.status);
        assert_eq!(r.header("cache-control"), "no-store", "{path}");
    }
    let r = app
        .api(
            axum::http::Method::POST,
            "/api/v1/sessions",
            None,
            Some(serde_json::json!({"email": "student@demo.koers.test", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.header("cache-control"), "no-store", "the token");
    let token = r.json()["token"].as_str().unwrap().to_owned();
    for path in ["/api/v1/me", "/api/v1/me/export", "/api/v1/nothing-here"] {
        let r = app
            .api(axum::http::Method::GET, path, Some(&token), None)
            .await;
        assert_eq!(r.header("cache-control"), "no-store", "{path}");
    }
    let r = app.send(get("/assets/style.css")).await;
    assert_eq!(r.header("cache-control"), "public, max-age=3600");
}

/// A planned conversation that has not started yet cannot get a report (which would mark it
/// held and its phase done): 422 with a clear message in the page and the API, for student
/// and staff conversations alike; once its time has come, the same report is taken.
#[tokio::test]
async fn a_report_waits_for_the_conversation_to_start() {
    let app = spawn().await;
    let future = |context: &'static str, guide: &'static str| {
        let db = app.db.clone();
        async move {
            let id: String = sqlx::query_scalar(
                "SELECT c.id FROM conversations c JOIN users g ON g.id = c.guide_id \
                 WHERE c.context = $1 AND g.email = $2 AND c.status = 'planned' AND c.starts_at > $3 \
                 ORDER BY c.starts_at LIMIT 1",
            )
            .bind(context)
            .bind(guide)
            .bind(koers_store::now_ms())
            .fetch_one(db.pool())
            .await
            .unwrap_or_else(|e| panic!("a planned {context} conversation of {guide}: {e}"));
            id
        }
    };
    let status = |id: String| {
        let db = app.db.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT status FROM conversations WHERE id = $1")
                .bind(id)
                .fetch_one(db.pool())
                .await
                .unwrap()
        }
    };
    let student_talk = future("student", "slb@demo.koers.test").await;
    let staff_talk = future("staff", "manager@demo.koers.test").await;

    let token = app.api_login("slb@demo.koers.test").await;
    let path = format!("/api/v1/conversations/{student_talk}/report");
    let body = serde_json::json!({"summary": "We spraken over stages."});
    let r = app
        .api(
            axum::http::Method::PUT,
            &path,
            Some(&token),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(
        r.json()["error"]["details"][0]["code"],
        "report-before-start"
    );
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    let page = slb.get(&format!("/conversations/{student_talk}")).await;
    assert!(
        page.body
            .contains("Je kunt het verslag schrijven zodra het gesprek begonnen is"),
        "the page says why there is no report form"
    );
    let r = slb
        .post(
            &format!("/conversations/{student_talk}/report"),
            &[("summary", "We spraken over stages.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status(student_talk.clone()).await, "planned");

    let mut manager = app.browser().await;
    manager.login("manager@demo.koers.test", PASSWORD).await;
    let r = manager
        .post(
            &format!("/staff-conversations/{staff_talk}/report"),
            &[("summary", "Doelen besproken.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(status(staff_talk.clone()).await, "planned");

    // Once the conversation has started, the report is taken and it counts as held.
    sqlx::query("UPDATE conversations SET starts_at = $1 WHERE id = $2 OR id = $3")
        .bind(koers_store::now_ms() - 60_000)
        .bind(&student_talk)
        .bind(&staff_talk)
        .execute(app.db.pool())
        .await
        .unwrap();
    let r = app
        .api(axum::http::Method::PUT, &path, Some(&token), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(status(student_talk).await, "held");
    let r = manager
        .post(
            &format!("/staff-conversations/{staff_talk}/report"),
            &[("summary", "Doelen besproken.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(status(staff_talk).await, "held");
}

/// Addresses are unique across the server (they are the login): an administrator who tries an
/// address of another institution is refused exactly as for one of their own — nothing says
/// where it belongs — and the attempt is in their own institution's log (docs/security.md).
#[tokio::test]
async fn a_taken_address_says_nothing_about_the_other_institution_and_is_logged() {
    let app = spawn().await;
    let token = app.api_login("beheerder@tweede.koers.test").await;
    let create = |email: &'static str| {
        let app = &app;
        let token = token.clone();
        async move {
            app.api(
                axum::http::Method::POST,
                "/api/v1/users",
                Some(&token),
                Some(serde_json::json!({
                    "email": email, "name": "Proef Persoon", "roles": [{"role": "lecturer"}]
                })),
            )
            .await
        }
    };
    let other = create("student@demo.koers.test").await;
    let own = create("beheerder@tweede.koers.test").await;
    assert_eq!(other.status, StatusCode::CONFLICT);
    assert_eq!((other.status, other.json()), (own.status, own.json()));
    let mut b = app.browser().await;
    b.login("beheerder@tweede.koers.test", PASSWORD).await;
    b.get("/admin/users/new").await;
    let form = |email: &'static str| {
        [
            ("name", "Proef Persoon"),
            ("email", email),
            ("role", "lecturer"),
        ]
    };
    let other = b
        .post("/admin/users", &form("student@demo.koers.test"))
        .await;
    assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(other.body.contains("Dit e-mailadres heeft al een account."));
    assert!(!other.body.contains("Demo") && !other.body.contains("Zoë"));
    let own = b
        .post("/admin/users", &form("beheerder@tweede.koers.test"))
        .await;
    assert_eq!(own.status, other.status);
    let tweede: String = sqlx::query_scalar("SELECT id FROM institutions WHERE slug = 'tweede'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let refused: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE institution_id = $1 AND action = 'user.create-refused' \
         AND subject_id IS NULL",
    )
    .bind(&tweede)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        refused, 4,
        "every refused attempt is in the asking institution's log"
    );
}
