//! The HTML side: login, home per role, admin flows, account, language, CSRF, headers.

use crate::support::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

#[tokio::test]
async fn every_demo_account_lands_on_a_home_with_real_data() {
    let app = spawn().await;
    let cases = [
        ("beheerder@demo.koers.test", "Gebruikers per rol"),
        ("manager@demo.koers.test", "LO-ECO"),
        ("slb@demo.koers.test", "Mijn studenten"),
        ("docent@demo.koers.test", "Opleidingen en cohorten"),
        ("student@demo.koers.test", "Sevda Yılmaz"),
        ("hr@demo.koers.test", "Medewerkers per rol"),
        ("medewerker@demo.koers.test", "Mijn gegevens"),
        ("mentor@demo.koers.test", "Zoë van der Meer"),
        ("beheerder@tweede.koers.test", "Hogeschool Tweede"),
    ];
    for (email, expect) in cases {
        let mut b = app.browser().await;
        let r = b.login(email, PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{email}");
        assert_eq!(r.location(), "/home");
        let home = b.get("/home").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains(expect), "{email}: home lacks {expect:?}");
        assert!(home.body.contains("<html lang=\"nl\">"));
    }
    // The student sees their own programme and cohort.
    let mut b = app.browser().await;
    b.login("student@demo.koers.test", PASSWORD).await;
    let home = b.get("/home").await.body;
    assert!(home.contains("Leraar Economie (mbo)") && home.contains("2025"));
}

#[tokio::test]
async fn login_errors_keep_the_email_and_say_what_is_wrong() {
    let app = spawn().await;
    let mut b = app.browser().await;
    let r = b.login("slb@demo.koers.test", "fout").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body
            .contains("Het e-mailadres of het wachtwoord klopt niet.")
    );
    assert!(r.body.contains("value=\"slb@demo.koers.test\""));
    // Without a CSRF token the form is refused.
    let r = b
        .post(
            "/login",
            &[
                ("_csrf", "x"),
                ("email", "slb@demo.koers.test"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Pages need a login; the login page sends back afterwards.
    let mut b = app.browser().await;
    let r = b.get("/admin/users?q=jan").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login?next=%2Fadmin%2Fusers%3Fq%3Djan");
    let r = b
        .post(
            "/login",
            &[
                ("email", "beheerder@demo.koers.test"),
                ("password", PASSWORD),
                ("next", "/admin/users?q=jan"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/admin/users?q=jan");
    let r = b
        .post(
            "/login",
            &[
                ("email", "beheerder@demo.koers.test"),
                ("password", PASSWORD),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(r.location(), "/home");
}

#[tokio::test]
async fn administrator_creates_user_who_then_logs_in() {
    let app = spawn().await;
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    admin.get("/admin/users/new").await;
    // Errors: values kept, fields named.
    let r = admin
        .post(
            "/admin/users",
            &[
                ("name", "Jeroen de Wit"),
                ("email", "geen-adres"),
                ("role", "lecturer"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Jeroen de Wit\""), "{}", r.body);
    assert!(r.body.contains("Vul een geldig e-mailadres in"));
    assert!(
        r.body
            .contains("id=\"role-lecturer\" name=\"role\" value=\"lecturer\" checked")
    );
    let r = admin
        .post(
            "/admin/users",
            &[
                ("name", "Jeroen de Wit"),
                ("email", "jeroen@demo.koers.test"),
                ("role", "lecturer"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let start = r.body.find("<code class=\"secret\">").unwrap() + 21;
    let temp = r.body[start..start + 14].to_owned();
    let mut jeroen = app.browser().await;
    assert_eq!(
        jeroen.login("jeroen@demo.koers.test", &temp).await.status,
        StatusCode::SEE_OTHER
    );
    let home = jeroen.get("/home").await;
    assert!(home.body.contains("Docent") && home.body.contains("Medewerker"));
    // Jeroen is a lecturer: no user administration.
    assert_eq!(
        jeroen.get("/admin/users").await.status,
        StatusCode::FORBIDDEN
    );
    // Deactivation logs him out at once.
    let id = user_id(&app.db, "jeroen@demo.koers.test").await;
    let r = admin
        .post(&format!("/admin/users/{id}/active"), &[("active", "0")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(jeroen.get("/home").await.status, StatusCode::SEE_OTHER);
    // The audit log shows it.
    let audit = admin.get("/admin/audit?kind=user").await;
    assert!(
        audit.body.contains("Gebruiker gedeactiveerd") && audit.body.contains("Gebruiker gemaakt")
    );
}

#[tokio::test]
async fn programmes_and_cohorts() {
    let app = spawn().await;
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    admin.get("/admin/programmes").await;
    let r = admin
        .post(
            "/admin/programmes",
            &[("code", "lo-eco"), ("name", "Dubbel")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Deze code is al in gebruik."));
    let r = admin
        .post(
            "/admin/programmes",
            &[("code", "lo-gd"), ("name", "Leraar Gezondheidszorg")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = r.location().to_owned();
    let id = page
        .split('/')
        .nth(3)
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    admin.get(&page).await;
    let r = admin
        .post(
            &format!("/admin/programmes/{id}/cohorts"),
            &[("year", "twintig")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"twintig\""));
    let r = admin
        .post(
            &format!("/admin/programmes/{id}/cohorts"),
            &[("year", "2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = admin
        .post(
            &format!("/admin/programmes/{id}/cohorts"),
            &[("year", "2026")],
        )
        .await;
    assert!(r.body.contains("Dit cohort bestaat al."));
    let list = admin.get("/admin/programmes").await;
    assert!(list.body.contains("LO-GD") && list.body.contains("2026"));
}

#[tokio::test]
async fn own_password_and_language() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login("docent@demo.koers.test", PASSWORD).await;
    let mut other_device = app.browser().await;
    other_device.login("docent@demo.koers.test", PASSWORD).await;
    b.get("/account").await;
    let r = b
        .post(
            "/account/password",
            &[
                ("current_password", "fout"),
                ("new_password", "kort"),
                ("confirm_password", "kort"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Je huidige wachtwoord klopt niet.") && r.body.contains("te kort"));
    let r = b
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "een-nieuwe-lange-zin"),
                ("confirm_password", "een-nieuwe-lange-zin"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        b.get("/home").await.status,
        StatusCode::OK,
        "own session survives"
    );
    assert_eq!(
        other_device.get("/home").await.status,
        StatusCode::SEE_OTHER,
        "other sessions end"
    );
    let mut again = app.browser().await;
    assert_eq!(
        again
            .login("docent@demo.koers.test", "een-nieuwe-lange-zin")
            .await
            .status,
        StatusCode::SEE_OTHER
    );

    // Language: the setting wins, and is kept across logins.
    b.get("/account").await;
    let r = b.post("/account/language", &[("locale", "en")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = b.get("/account").await;
    assert!(page.body.contains("<html lang=\"en\">") && page.body.contains("Change password"));
    // Accept-Language for anonymous visitors.
    let mut anon = app.browser().await;
    let r = anon
        .get_with("/login", &[("accept-language", "en-GB,en;q=0.9")])
        .await;
    assert!(r.body.contains("Log in with your email address"));
    // The header switch works without logging in.
    let mut anon = app.browser().await;
    let r = anon
        .post("/language", &[("locale", "en"), ("next", "/login")])
        .await;
    assert_eq!(r.location(), "/login");
    assert!(anon.get("/login").await.body.contains("<html lang=\"en\">"));
}

#[tokio::test]
async fn security_headers_cross_origin_and_health() {
    let app = spawn().await;
    let r = app
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    let csp = r
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'self'")
            && csp.contains("frame-ancestors 'none'")
            && !csp.contains("unsafe-inline")
    );
    assert_eq!(
        r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    assert!(r.headers.get(header::REFERRER_POLICY).is_some());
    assert!(r.headers.get("x-request-id").is_some());
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    // A form posted from another site is refused.
    let req = Request::post("/login")
        .header(header::HOST, "localhost")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("email=a&password=b"))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.send(Request::get("/healthz").body(Body::empty()).unwrap())
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.send(Request::get("/readyz").body(Body::empty()).unwrap())
            .await
            .status,
        StatusCode::OK
    );
    let m = app
        .send(Request::get("/metrics").body(Body::empty()).unwrap())
        .await;
    assert!(
        m.body.contains("http_requests_total") && m.body.contains("db_pool_connections"),
        "{}",
        m.body
    );
    // Unknown pages: a Dutch 404 page, not a bare error.
    let r = app
        .send(Request::get("/bestaat-niet").body(Body::empty()).unwrap())
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Niet gevonden"));
    // Not ready until seeding finished.
    let state = koers_web::AppState::new(app.db.clone(), koers_web::WebConfig::default());
    let fresh = koers_web::make_app(state);
    let r = tower::ServiceExt::oneshot(fresh, Request::get("/readyz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn sessions_live_in_the_database_across_instances() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login("slb@demo.koers.test", PASSWORD).await;
    let cookies = b.cookie_string();
    // A second instance on the same database serves the same session.
    let second = app_on(app.db.clone());
    let r = second
        .send(
            Request::get("/home")
                .header(header::COOKIE, cookies)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Mijn studenten"));
}

/// ASVS 3.2.1, 3.3.3, 3.3.4: a login starts a new session and ends the browser's earlier one;
/// "log out everywhere else", a password change and deactivation end the other sessions.
#[tokio::test]
async fn sessions_rotate_at_login_and_end_everywhere() {
    let app = spawn().await;
    let live = |cookie: String| {
        let app = &app;
        async move {
            let r = app
                .send(
                    Request::get("/home")
                        .header(header::COOKIE, format!("koers_session={cookie}"))
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            r.status == StatusCode::OK
        }
    };
    let mut b = app.browser().await;
    b.login("docent@demo.koers.test", PASSWORD).await;
    let first = b.cookie("koers_session");
    // The login form again, with the still-valid session cookie (as a planted one would be).
    b.csrf = b.cookie("koers_csrf");
    b.login("docent@demo.koers.test", PASSWORD).await;
    let second = b.cookie("koers_session");
    assert_ne!(first, second, "a new token at login");
    assert!(!live(first).await, "the earlier session ended");
    assert!(live(second.clone()).await);
    // Another device; "log out everywhere else" ends it and keeps this one.
    let mut other = app.browser().await;
    other.login("docent@demo.koers.test", PASSWORD).await;
    let elsewhere = other.cookie("koers_session");
    b.get("/account").await;
    let r = b.post("/account/sessions", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(!live(elsewhere).await && live(second.clone()).await);
    // A password change ends the other sessions too.
    let mut other = app.browser().await;
    other.login("docent@demo.koers.test", PASSWORD).await;
    let elsewhere = other.cookie("koers_session");
    b.get("/account").await;
    let r = b
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "paars-fiets-regen-42"),
                ("confirm_password", "paars-fiets-regen-42"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(!live(elsewhere).await && live(second.clone()).await);
    // Deactivation ends every session.
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let docent = user_id(&app.db, "docent@demo.koers.test").await;
    admin.get(&format!("/admin/users/{docent}")).await;
    admin
        .post(&format!("/admin/users/{docent}/active"), &[("active", "0")])
        .await;
    assert!(!live(second).await);
}

#[tokio::test]
async fn htmx_search_returns_a_partial() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login("beheerder@demo.koers.test", PASSWORD).await;
    let full = b.get("/admin/users?q=sevda").await;
    assert!(full.body.contains("<html") && full.body.contains("Sevda Yılmaz"));
    let part = b
        .get_with("/admin/users?q=sevda", &[("hx-request", "true")])
        .await;
    assert!(!part.body.contains("<html") && part.body.contains("Sevda Yılmaz"));
    let none = b.get("/admin/users?q=zzzz").await;
    assert!(none.body.contains("Geen gebruikers gevonden"));
}
