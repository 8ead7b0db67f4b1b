//! The JSON API: conventions, validation, throttling, tenant isolation, OpenAPI coverage.

use crate::support::*;
use axum::http::{Method, StatusCode, header};
use serde_json::json;

#[tokio::test]
async fn login_me_and_logout() {
    let app = spawn().await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "Student@Demo.Koers.test ", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let me = app
        .api(Method::GET, "/api/v1/me", Some(&token), None)
        .await
        .json();
    assert_eq!(me["email"], "student@demo.koers.test");
    assert_eq!(me["institution"]["name"], "Hogeschool Demo");
    assert_eq!(
        me["roles"],
        json!([{"role": "student", "programme": "LO-ECO"}])
    );
    assert!(me["id"].is_string());
    let r = app
        .api(
            Method::DELETE,
            "/api/v1/sessions/current",
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.api(Method::GET, "/api/v1/me", Some(&token), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "unauthenticated");
}

#[tokio::test]
async fn wrong_credentials_and_throttling() {
    let app = spawn().await;
    let bad = json!({"email": "slb@demo.koers.test", "password": "verkeerd-wachtwoord"});
    for _ in 0..10 {
        let r = app
            .api(Method::POST, "/api/v1/sessions", None, Some(bad.clone()))
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.json()["error"]["message"].is_string());
    }
    // The 11th attempt, even with the right password, is throttled.
    let r = app
        .api(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "slb@demo.koers.test", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r
        .headers
        .get(header::RETRY_AFTER)
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 900);
    // Other accounts are not affected.
    app.api_login("docent@demo.koers.test").await;
    // Failures are audited.
    let admin = app.api_login("beheerder@demo.koers.test").await;
    let _ = admin;
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let events = koers_store::platform::audit::list(t, Some("login.failure"), 50, None)
        .await
        .unwrap();
    assert_eq!(events.items.len(), 10);
}

#[tokio::test]
async fn malformed_bodies_are_400_not_500() {
    let app = spawn().await;
    let r = app.api(Method::POST, "/api/v1/sessions", None, None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"]["code"], "bad-request");
    let admin = app.api_login("beheerder@demo.koers.test").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"email": 5})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Found by schemathesis: serde reads a struct from an array, so `[null, null]` was a valid
    // PATCH. Bodies must be objects.
    let someone = app
        .api(Method::GET, "/api/v1/users?limit=1", Some(&admin), None)
        .await
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .api(
            Method::PATCH,
            &format!("/api/v1/users/{someone}"),
            Some(&admin),
            Some(json!([null, null])),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Found by schemathesis on PostgreSQL, which cannot store a NUL character: refused as
    // bad input in the address, in JSON and in forms, on both databases.
    let r = app
        .api(
            Method::POST,
            "/api/v1/vision/5/adopt?programme=LO%00ECO",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = app
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(&admin),
            Some(json!({"code": "NUL", "name": "a\u{0}b"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Also found by schemathesis: an empty `open=` is not a boolean.
    let r = app
        .api(
            Method::GET,
            "/api/v1/improvement-actions?open=",
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .api(Method::GET, "/api/v1/users?limit=0", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .api(Method::GET, "/api/v1/users?limit=abc", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .api(Method::GET, "/api/v1/users/not-an-id", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .api(Method::GET, "/api/v1/nothing-here", Some(&admin), None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["error"]["code"], "not-found");
}

#[tokio::test]
async fn authorization_comes_before_validation() {
    let app = spawn().await;
    let student = app.api_login("student@demo.koers.test").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/users",
            Some(&student),
            Some(json!({"garbage": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "forbidden");
    let r = app
        .api(
            Method::POST,
            "/api/v1/users",
            None,
            Some(json!({"garbage": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn users_create_list_page_and_patch() {
    let app = spawn().await;
    let admin = app.api_login("beheerder@demo.koers.test").await;
    let r = app
        .api(Method::POST, "/api/v1/users", Some(&admin), Some(json!({
            "email": "Noor.el.Amrani@demo.koers.test", "name": "Noor el Amrani",
            "roles": [{"role": "counsellor", "programme": "lo-zw"}], "password": "lange-zin-als-wachtwoord"})))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = r.json();
    assert_eq!(created["email"], "noor.el.amrani@demo.koers.test");
    assert_eq!(
        created["roles"],
        json!([{"role": "counsellor", "programme": "LO-ZW"}, {"role": "employee"}])
    );
    let id = created["id"].as_str().unwrap().to_owned();
    // The new account can log in.
    let r = app.api(Method::POST, "/api/v1/sessions", None, Some(json!({"email": "noor.el.amrani@demo.koers.test", "password": "lange-zin-als-wachtwoord"}))).await;
    assert_eq!(r.status, StatusCode::CREATED);

    // Duplicate email: 409. Invalid fields: 422 with details per field.
    let dup = json!({"email": "noor.el.amrani@demo.koers.test", "name": "X", "roles": [{"role": "lecturer"}]});
    assert_eq!(
        app.api(Method::POST, "/api/v1/users", Some(&admin), Some(dup))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"email": "nope", "name": " ", "roles": []})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["email", "name", "roles"]);
    let r = app
        .api(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"email": "a@b.nl", "name": "A", "roles": [{"role": "king"}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Search and paging: every user exactly once across pages.
    let r = app
        .api(Method::GET, "/api/v1/users?q=AMRANI", Some(&admin), None)
        .await
        .json();
    assert_eq!(r["items"].as_array().unwrap().len(), 1);
    let mut seen = std::collections::HashSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/users?limit=7&cursor={c}"),
            None => "/api/v1/users?limit=7".to_owned(),
        };
        let page = app.api(Method::GET, &path, Some(&admin), None).await.json();
        for u in page["items"].as_array().unwrap() {
            assert!(
                seen.insert(u["id"].as_str().unwrap().to_owned()),
                "duplicate across pages"
            );
        }
        match page["next"].as_str() {
            Some(n) => cursor = Some(n.to_owned()),
            None => break,
        }
    }
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    assert_eq!(
        seen.len() as i64,
        koers_store::platform::users::count(t).await.unwrap()
    );

    // Patch: roles replaced, deactivation ends sessions.
    let r = app
        .api(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({"roles": [{"role": "lecturer"}], "active": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["active"], false);
    let r = app.api(Method::POST, "/api/v1/sessions", None, Some(json!({"email": "noor.el.amrani@demo.koers.test", "password": "lange-zin-als-wachtwoord"}))).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // An administrator cannot lock themselves out.
    let me = app
        .api(Method::GET, "/api/v1/me", Some(&admin), None)
        .await
        .json();
    let r = app
        .api(
            Method::PATCH,
            &format!("/api/v1/users/{}", me["id"].as_str().unwrap()),
            Some(&admin),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn tenants_never_see_each_other() {
    let app = spawn().await;
    let other = app.api_login("beheerder@tweede.koers.test").await;
    let list = app
        .api(Method::GET, "/api/v1/users?limit=500", Some(&other), None)
        .await
        .json();
    for u in list["items"].as_array().unwrap() {
        assert!(
            !u["email"].as_str().unwrap().contains("demo.koers.test"),
            "{u}"
        );
    }
    let demo_user = user_id(&app.db, "student@demo.koers.test").await;
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/users/{demo_user}"),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .api(
            Method::PATCH,
            &format!("/api/v1/users/{demo_user}"),
            Some(&other),
            Some(json!({"name": "Gekaapt"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let programmes = app
        .api(Method::GET, "/api/v1/programmes", Some(&other), None)
        .await
        .json();
    let codes: Vec<&str> = programmes["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["LO-NL"]);
    // The same code may exist in both institutions.
    let r = app
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(&other),
            Some(json!({"code": "LO-ECO", "name": "Leraar Economie"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let r = app
        .api(
            Method::POST,
            "/api/v1/programmes",
            Some(&other),
            Some(json!({"code": "LO-ECO", "name": "Nog een"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn openapi_covers_every_api_route() {
    let app = spawn().await;
    let doc = app
        .api(Method::GET, "/api/v1/openapi.json", None, None)
        .await
        .json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let mut checked = 0;
    for (method, path) in declared_routes() {
        if !path.starts_with("/api/v1/") || path == "/api/v1/openapi.json" {
            continue;
        }
        let item = paths
            .get(&path)
            .unwrap_or_else(|| panic!("{path} missing from OpenAPI"));
        let op = item
            .get(method.to_lowercase())
            .unwrap_or_else(|| panic!("{method} {path} missing from OpenAPI"));
        assert!(
            op["responses"].get("400").is_some(),
            "{method} {path} documents its 400"
        );
        checked += 1;
    }
    assert_eq!(checked, 63, "every API operation checked");
}
