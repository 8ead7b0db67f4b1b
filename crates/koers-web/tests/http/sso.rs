//! Single sign-on: the pages around the provider (its flow itself runs against a real
//! OpenID provider in the browser tests), and institutions that turn passwords off.

use crate::support::*;
use axum::http::{Method, StatusCode};
use koers_web::WebConfig;
use koers_web::sso::OidcConfig;
use serde_json::json;

fn provider_at(issuer: String) -> WebConfig {
    WebConfig {
        oidc: Some(OidcConfig {
            issuer,
            client_id: "koers".into(),
            client_secret: Some("geheim".into()),
            scopes: vec!["profile".into(), "email".into()],
            claims: Default::default(),
            label: "SURFconext".into(),
            require_acr: Vec::new(),
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn without_a_provider_there_is_no_single_sign_on() {
    let app = spawn().await;
    let mut b = app.browser().await;
    assert!(!b.get("/login").await.body.contains("sso-login"));
    assert_eq!(b.get("/login/sso").await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        b.get("/login/sso/callback?code=x&state=y").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_provider_that_is_down_and_a_stale_or_refused_login_give_clear_pages() {
    // A port nobody listens on: the provider is down.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = app_with(
        fresh_db().await,
        provider_at(format!("http://127.0.0.1:{port}")),
    );
    let mut b = app.browser().await;
    let login = b.get("/login").await;
    assert!(
        login.body.contains("Inloggen met SURFconext"),
        "{}",
        login.body
    );
    let r = b.get("/login/sso").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        r.body.contains("De inlogdienst is nu niet bereikbaar"),
        "{}",
        r.body
    );
    let r = b.get("/login/sso/callback?code=abc&state=onbekend").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("verlopen of al gebruikt"));
    let r = b
        .get("/login/sso/callback?error=access_denied&state=onbekend")
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("afgebroken of geweigerd"));
    // Nobody was logged in, and the two failed returns from the provider are in the audit
    // log (the provider being down is not a person's failed login).
    assert!(b.get("/home").await.location().starts_with("/login"));
    let failures: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'login.failure' AND details LIKE '%sso%'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(failures, 2);
}

#[tokio::test]
async fn an_institution_sets_its_home_organisation_and_can_turn_passwords_off() {
    let app = spawn().await;
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let page = admin.get("/admin/sso").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"demo.koers.test\""));
    assert!(page.body.contains("nog niet gekoppeld aan een inlogdienst"));
    // Bad and taken domains are refused with what was typed kept.
    let r = admin
        .post(
            "/admin/sso",
            &[("home_organization", "hogeschool"), ("password_login", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"hogeschool\"") && r.body.contains("Vul een domeinnaam in"));
    let r = admin
        .post(
            "/admin/sso",
            &[
                ("home_organization", "tweede.koers.test"),
                ("password_login", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("hoort al bij een andere instelling"));
    // Only administrators change these settings.
    let mut manager = app.browser().await;
    manager.login("manager@demo.koers.test", PASSWORD).await;
    assert_eq!(
        manager.get("/admin/sso").await.status,
        StatusCode::FORBIDDEN
    );
    // Passwords off: people log in through the provider; administrators keep their password.
    let r = admin
        .post("/admin/sso", &[("home_organization", "demo.koers.test")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mut zoe = app.browser().await;
    let r = zoe.login("student@demo.koers.test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body.contains("Je instelling gebruikt inloggen via"),
        "{}",
        r.body
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "student@demo.koers.test", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A wrong password still reads as wrong (nothing told about the account).
    let r = zoe
        .login("student@demo.koers.test", "niet-het-wachtwoord")
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let mut again = app.browser().await;
    assert_eq!(
        again
            .login("beheerder@demo.koers.test", PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    // The other institution still uses passwords.
    let mut other = app.browser().await;
    assert_eq!(
        other
            .login("beheerder@tweede.koers.test", PASSWORD)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}
