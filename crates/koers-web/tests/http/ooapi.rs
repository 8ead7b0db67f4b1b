//! The OOAPI v5 import against a server of our own with specific content (paging, Dutch and
//! English names, a program Koers cannot use, a wrong token, changes between imports). The
//! browser tests also import from a mock server generated from the published specification.

use crate::support::*;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::get;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
struct Fixture {
    course_title: Arc<Mutex<String>>,
    requests: Arc<Mutex<Vec<String>>>,
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer goed")
}

async fn programs(
    State(f): State<Fixture>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, StatusCode> {
    if !authorised(&headers) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    f.requests.lock().unwrap().push(format!(
        "programs {}",
        q.get("pageNumber").cloned().unwrap_or_default()
    ));
    let page: u32 = q
        .get("pageNumber")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let items = if page == 1 {
        json!([
            {"programId": "ooapi-eco", "primaryCode": {"codeType": "programCode", "code": "LO-ECO"},
             "programType": "program", "abbreviation": "ECO", "teachingLanguage": "nld",
             "name": [{"language": "en-GB", "value": "Teacher Economics"},
                      {"language": "nl-NL", "value": "Leraar Economie (mbo)"}],
             "description": [{"language": "nl-NL", "value": "x"}]},
            {"programId": "ooapi-bad", "primaryCode": {"codeType": "programCode", "code": "met spatie"},
             "name": [{"language": "nl-NL", "value": "Onbruikbaar"}]}
        ])
    } else {
        json!([
            {"programId": "ooapi-gs", "primaryCode": {"codeType": "programCode", "code": "LO-GS"},
             "name": [{"language": "nl-NL", "value": "Leraar Geschiedenis (mbo)"}]}
        ])
    };
    Ok(Json(
        json!({"pageSize": 100, "pageNumber": page, "hasPreviousPage": page > 1,
        "hasNextPage": page < 2, "totalPages": 2, "items": items}),
    ))
}

async fn courses(
    State(f): State<Fixture>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, StatusCode> {
    if !authorised(&headers) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    let items = match id.as_str() {
        "ooapi-eco" => json!([
            {"courseId": "course-lob", "name": [{"language": "nl-NL", "value": f.course_title.lock().unwrap().clone()}],
             "description": [{"language": "nl-NL", "value": "Loopbaangesprekken oefenen"}],
             "studyLoad": {"studyLoadUnit": "ects", "value": 3}}
        ]),
        _ => json!([]),
    };
    Ok(Json(
        json!({"pageSize": 100, "pageNumber": 1, "hasPreviousPage": false,
        "hasNextPage": false, "items": items}),
    ))
}

async fn offerings(headers: HeaderMap, Path(_id): Path<String>) -> Result<Json<Value>, StatusCode> {
    if !authorised(&headers) {
        return Err(StatusCode::UNAUTHORIZED);
    }
    Ok(Json(
        json!({"pageSize": 10, "pageNumber": 1, "hasPreviousPage": false, "hasNextPage": false,
        "items": [{"offeringId": "o1", "offeringType": "course", "startDate": "2026-11-16"}]}),
    ))
}

async fn serve(f: Fixture) -> String {
    let app = axum::Router::new()
        .route("/programs", get(programs))
        .route("/programs/{id}/courses", get(courses))
        .route("/courses/{id}/offerings", get(offerings))
        .with_state(f);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn import(app: &TestApp, token: &str, body: Value) -> (StatusCode, Value) {
    let r = app
        .api(
            Method::POST,
            "/api/v1/ooapi-imports",
            Some(token),
            Some(body),
        )
        .await;
    (r.status, r.json())
}

#[tokio::test]
async fn programmes_and_courses_are_imported_with_a_dry_run_first_and_updated_on_re_import() {
    let fixture = Fixture::default();
    *fixture.course_title.lock().unwrap() = "Loopbaanbegeleiding 1".into();
    let url = serve(fixture.clone()).await;
    // The test server is on this machine: refused by default (server-side request forgery),
    // allowed with --ooapi-allow-internal.
    let guarded = spawn().await;
    let guarded_admin = guarded.api_login("beheerder@demo.koers.test").await;
    for internal in [
        url.as_str(),
        "http://169.254.169.254/latest",
        "http://[::1]:9/x",
        "http://localhost:9",
        // IPv6 transition and special-purpose ranges (issue 20)
        "http://[64:ff9b::a00:1]/x",
        "http://[64:ff9b:1::a00:1]/x",
        "http://[2002:a00:1::1]/x",
        "http://[::a00:1]/x",
        "http://[fec0::1]/x",
        "http://[2001::1]/x",
        "http://[100::1]/x",
    ] {
        let (s, v) = import(
            &guarded,
            &guarded_admin,
            json!({"url": internal, "token": "x"}),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{internal}");
        assert_eq!(
            v["error"]["details"][0]["code"], "ooapi-url-private",
            "{internal}"
        );
    }
    let app = app_with(
        fresh_db().await,
        koers_web::WebConfig {
            ooapi_allow_internal: true,
            ..Default::default()
        },
    );
    let admin = app.api_login("beheerder@demo.koers.test").await;

    // A wrong token and an unreachable or odd address each say what is wrong.
    let (s, v) = import(&app, &admin, json!({"url": url, "token": "fout"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["details"][0]["code"], "ooapi-token");
    let (s, v) = import(&app, &admin, json!({"url": "file:///etc/passwd"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["details"][0]["code"], "ooapi-url");
    let (s, v) = import(
        &app,
        &admin,
        json!({"url": format!("{url}/nergens"), "token": "goed"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["details"][0]["code"], "ooapi-status");

    // The dry run: LO-ECO exists (found by code), LO-GS is new (second page), one program is
    // skipped; nothing changes yet.
    let (s, v) = import(&app, &admin, json!({"url": url, "token": "goed"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["dry_run"], true);
    assert_eq!(
        v["programmes"],
        json!({"new": 1, "updated": 1, "unchanged": 0})
    );
    assert_eq!(
        v["activities"],
        json!({"new": 1, "updated": 0, "unchanged": 0})
    );
    assert_eq!(
        v["skipped"],
        json!([{"id": "ooapi-bad", "reason": "ooapi-bad-code"}])
    );
    assert_eq!(v["created"], 0);
    let programmes: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM programmes WHERE code = 'LO-GS'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(programmes, 0);
    assert!(
        fixture
            .requests
            .lock()
            .unwrap()
            .contains(&"programs 2".to_string())
    );

    // Applied: a new programme, LO-ECO linked, one activity in period 2 with 84 hours.
    let (s, v) = import(
        &app,
        &admin,
        json!({"url": url, "token": "goed", "dry_run": false}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["created"].as_i64(), v["updated"].as_i64()),
        (Some(2), Some(1))
    );
    let (title, period, hours): (String, i64, i64) = sqlx::query_as(
        "SELECT title, period, study_hours FROM activities WHERE external_id = 'course-lob'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        (title.as_str(), period, hours),
        ("Loopbaanbegeleiding 1", 2, 84)
    );

    // Importing again changes nothing; a renamed course is updated, not copied.
    let (_, v) = import(&app, &admin, json!({"url": url, "token": "goed"})).await;
    assert_eq!(
        v["programmes"],
        json!({"new": 0, "updated": 0, "unchanged": 2})
    );
    assert_eq!(
        v["activities"],
        json!({"new": 0, "updated": 0, "unchanged": 1})
    );
    *fixture.course_title.lock().unwrap() = "Loopbaanbegeleiding 1 (vernieuwd)".into();
    let mut b = app.browser().await;
    b.login("beheerder@demo.koers.test", PASSWORD).await;
    let preview = b
        .post("/admin/ooapi/preview", &[("url", &url), ("token", "goed")])
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("Loopbaanbegeleiding 1 (vernieuwd)"));
    assert!(preview.body.contains("Gewijzigd"));
    assert!(
        !preview.body.contains("value=\"goed\""),
        "the token is not sent back"
    );
    let i = preview.body.find("name=\"pending\" value=\"").unwrap() + 22;
    let pending = preview.body[i..].split('"').next().unwrap().to_owned();
    let r = b.post("/admin/ooapi/apply", &[("pending", &pending)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let done = b.get(r.location()).await;
    assert!(
        done.body.contains("Klaar: 0 nieuw, 1 gewijzigd."),
        "{}",
        done.body
    );
    assert!(
        done.body.contains(&format!("value=\"{url}\"")),
        "the address is offered again"
    );
    let copies: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM activities WHERE external_id = 'course-lob'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(copies, 1);
    // A confirmation is used once; a failed dry run keeps what was typed.
    assert_eq!(
        b.post("/admin/ooapi/apply", &[("pending", &pending)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = b
        .post(
            "/admin/ooapi/preview",
            &[("url", "niet-een-adres"), ("token", "t")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"niet-een-adres\""));
    // Only administrators import.
    let student = app.api_login("student@demo.koers.test").await;
    let (s, _) = import(&app, &student, json!({"url": url})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
