//! The second factor (TOTP): setting it up, logging in with it on the web and in the API,
//! recovery codes, codes working once, roles that require it, an administrator's reset. The
//! codes come from `oathtool` (an independent TOTP implementation, Debian's `oathtool`).

use crate::support::*;
use axum::http::{Method, StatusCode};
use koers_domain::Role;
use koers_web::WebConfig;
use serde_json::json;

/// The code `oathtool` computes for a base32 secret, `offset` seconds from now.
fn oathtool(secret: &str, offset: i64) -> String {
    let at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + offset;
    let out = std::process::Command::new("oathtool")
        .args(["--totp", "-b", secret, "-N", &format!("@{at}")])
        .output()
        .expect("oathtool (Debian package oathtool) must be installed for this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// The secret shown on a setup page, without the spaces between its groups.
fn secret_on(page: &str) -> String {
    let start = page
        .find("id=\"totp-secret\">")
        .expect("secret on the page")
        + 17;
    page[start..start + page[start..].find('<').unwrap()].replace(' ', "")
}

/// The recovery codes shown after setting up.
fn recovery_codes(page: &str) -> Vec<String> {
    let list = &page[page
        .find("id=\"recovery-codes\"")
        .expect("codes on the page")..];
    let list = &list[..list.find("</ul>").unwrap()];
    list.split("<code>")
        .skip(1)
        .map(|c| c[..c.find('<').unwrap()].to_owned())
        .collect()
}

#[tokio::test]
async fn set_up_then_log_in_with_a_code_or_a_recovery_code_and_codes_work_once() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login("student@demo.koers.test", PASSWORD).await;
    assert!(
        b.get("/account")
            .await
            .body
            .contains("id=\"second-factor-state\"")
    );
    let setup = b.get("/account/second-factor").await;
    assert_eq!(setup.status, StatusCode::OK);
    assert!(setup.body.contains("<svg"), "a QR code");
    let secret = secret_on(&setup.body);
    assert!(setup.body.contains("otpauth") || setup.body.contains("<svg"));
    // A wrong code keeps the setup open.
    let r = b
        .post("/account/second-factor", &[("code", "000000")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(secret_on(&r.body), secret, "the same secret is shown again");
    let r = b
        .post("/account/second-factor", &[("code", &oathtool(&secret, 0))])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let codes = recovery_codes(&r.body);
    assert_eq!(codes.len(), 10);
    assert!(b.get("/account").await.body.contains("10 herstelcodes"));

    // The password alone no longer logs in: the code is asked.
    let mut b = app.browser().await;
    b.get("/login").await;
    let r = b
        .post(
            "/login",
            &[
                ("email", "student@demo.koers.test"),
                ("password", PASSWORD),
                ("next", "/career-file"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login/second-factor"));
    assert!(b.cookie("koers_session").is_empty());
    let page = b.get(r.location()).await;
    assert!(page.body.contains("name=\"code\""));
    assert!(!page.body.contains("<svg"), "no setup this time");
    let r = b
        .post(
            "/login/second-factor",
            &[("code", "123456"), ("next", "/career-file")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(b.cookie("koers_session").is_empty());
    // A recovery code (typed in capitals with a space) logs in, once.
    let typed = codes[0].to_uppercase().replace('-', " ");
    let r = b
        .post(
            "/login/second-factor",
            &[("code", &typed), ("next", "/career-file")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/career-file");
    assert!(!b.cookie("koers_session").is_empty());
    assert!(b.cookie("koers_challenge").is_empty());
    assert_eq!(b.get("/career-file").await.status, StatusCode::OK);

    // The API: without the code 401 second-factor-required; the used recovery code and a
    // wrong code are refused; the next step's code works, and only once.
    let login = |second: Option<String>| {
        let mut body = json!({"email": "student@demo.koers.test", "password": PASSWORD});
        if let Some(s) = second {
            body["second_factor"] = json!(s);
        }
        body
    };
    let r = app
        .api(Method::POST, "/api/v1/sessions", None, Some(login(None)))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "second-factor-required");
    for bad in [codes[0].clone(), "999999".to_owned()] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/sessions",
                None,
                Some(login(Some(bad))),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json()["error"]["code"], "unauthenticated");
    }
    let next = oathtool(&secret, 30);
    let r = app
        .api(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(login(Some(next.clone()))),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = app
        .api(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(login(Some(next))),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a code works once");

    // Every step is in the audit log.
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let events = koers_store::platform::audit::list(t, None, 200, None)
        .await
        .unwrap()
        .items;
    assert!(events.iter().any(|e| e.action == "second-factor.enrol"));
    assert!(
        events
            .iter()
            .any(|e| e.action == "login.success" && e.details.contains("recovery-code"))
    );
    assert!(
        events
            .iter()
            .any(|e| e.action == "login.failure" && e.details.contains("second-factor"))
    );
}

#[tokio::test]
async fn a_role_can_require_it_and_five_wrong_codes_end_the_login() {
    let db = fresh_db().await;
    let app = app_with(
        db,
        WebConfig {
            second_factor_roles: vec![Role::Counsellor],
            ..Default::default()
        },
    );
    // The API cannot set it up: 403 with a clear code.
    let r = app
        .api(
            Method::POST,
            "/api/v1/sessions",
            None,
            Some(json!({"email": "slb@demo.koers.test", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "second-factor-setup");
    // Other roles are not affected.
    app.api_login("docent@demo.koers.test").await;

    // On the web, the counsellor sets it up before getting a session.
    let mut b = app.browser().await;
    b.get("/login").await;
    let r = b
        .post(
            "/login",
            &[
                ("email", "slb@demo.koers.test"),
                ("password", PASSWORD),
                ("next", ""),
            ],
        )
        .await;
    assert!(r.location().starts_with("/login/second-factor"));
    let page = b.get(r.location()).await;
    assert!(page.body.contains("<svg") && page.body.contains("verplicht"));
    let secret = secret_on(&page.body);
    assert_eq!(
        b.get("/home").await.status,
        StatusCode::SEE_OTHER,
        "no session yet"
    );
    let r = b
        .post(
            "/login/second-factor",
            &[("code", &oathtool(&secret, 0)), ("next", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(recovery_codes(&r.body).len(), 10);
    assert!(!b.cookie("koers_session").is_empty());
    let account = b.get("/account").await.body;
    assert!(
        account.contains("niet uitzetten"),
        "required: no way to turn it off"
    );
    let r = b
        .post(
            "/account/second-factor/remove",
            &[("code", &oathtool(&secret, 30))],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Five wrong codes end the challenge; the login starts over.
    let mut b = app.browser().await;
    b.get("/login").await;
    let r = b
        .post(
            "/login",
            &[
                ("email", "slb@demo.koers.test"),
                ("password", PASSWORD),
                ("next", ""),
            ],
        )
        .await;
    b.get(r.location()).await;
    for i in 0..5 {
        let r = b
            .post("/login/second-factor", &[("code", "000000"), ("next", "")])
            .await;
        if i < 4 {
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        } else {
            assert_eq!(r.status, StatusCode::SEE_OTHER);
            assert!(r.location().starts_with("/login?expired=1"));
        }
    }
    assert!(b.get("/login?expired=1").await.body.contains("opnieuw in"));

    // The administrator resets it for someone who lost their phone.
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let slb = user_id(&app.db, "slb@demo.koers.test").await;
    assert!(
        admin
            .get(&format!("/admin/users/{slb}"))
            .await
            .body
            .contains("/second-factor/reset")
    );
    let r = admin
        .post(&format!("/admin/users/{slb}/second-factor/reset"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    assert!(
        koers_store::platform::second_factor::get(t, &slb)
            .await
            .unwrap()
            .is_none()
    );
    // Only administrators may.
    let mut other = app.browser().await;
    other.login("hr@demo.koers.test", PASSWORD).await;
    let r = other
        .post(&format!("/admin/users/{slb}/second-factor/reset"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// The TOTP secret is kept sealed with a key outside the database: the database alone gives
/// nobody's second factor away. Secrets stored before sealing are sealed at the next start,
/// and a start with another key is refused.
#[tokio::test]
async fn secrets_are_sealed_with_a_key_kept_outside_the_database() {
    use koers_store::platform::second_factor;
    use koers_store::sealing::SealingKey;
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login("student@demo.koers.test", PASSWORD).await;
    let secret = secret_on(&b.get("/account/second-factor").await.body);
    let r = b
        .post("/account/second-factor", &[("code", &oathtool(&secret, 0))])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let user = user_id(&app.db, "student@demo.koers.test").await;
    let stored = || async {
        sqlx::query_scalar::<_, String>("SELECT secret FROM totp_factors WHERE user_id = $1")
            .bind(&user)
            .fetch_one(app.db.pool())
            .await
            .unwrap()
    };
    let sealed = stored().await;
    assert!(
        sealed.starts_with("v1:") && !sealed.contains(&secret),
        "{sealed}"
    );
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let read = second_factor::get(t, &user).await.unwrap().unwrap();
    assert_eq!(read.secret.to_base32(), secret);

    // A secret written before sealing still works, and the next start seals it.
    sqlx::query("UPDATE totp_factors SET secret = $1 WHERE user_id = $2")
        .bind(&secret)
        .bind(&user)
        .execute(app.db.pool())
        .await
        .unwrap();
    let read = second_factor::get(t, &user).await.unwrap().unwrap();
    assert_eq!(read.secret.to_base32(), secret);
    assert_eq!(
        second_factor::seal_stored_secrets(&app.db).await.unwrap(),
        1
    );
    assert_eq!(
        second_factor::seal_stored_secrets(&app.db).await.unwrap(),
        0
    );
    assert!(stored().await.starts_with("v1:"));
    let read = second_factor::get(t, &user).await.unwrap().unwrap();
    assert_eq!(read.secret.to_base32(), secret);

    // Another key (an instance with a different --secret-key-file) is refused at start, and
    // opens nothing.
    let other = app
        .db
        .clone()
        .with_sealing_key(SealingKey::from_bytes(&[9; 32]));
    let wrong = SealingKey::from_bytes(&[9; 32]);
    assert!(!second_factor::key_fits(&app.db, &wrong).await.unwrap());
    let right = SealingKey::from_bytes(&TEST_KEY);
    assert!(second_factor::key_fits(&app.db, &right).await.unwrap());
    let err = second_factor::seal_stored_secrets(&other)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("--secret-key-file"), "{err}");
    assert!(
        second_factor::get(koers_store::Tenant::new(&other, &inst), &user)
            .await
            .is_err()
    );
}

/// After the secret key was lost and replaced (`koers secret-key reset`), someone who had a
/// second factor is logged out, cannot log in with the password alone, and sets up a new one
/// at the login — told why — even where no role requires it.
#[tokio::test]
async fn after_a_key_reset_the_second_factor_is_set_up_again_at_the_next_login() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login("student@demo.koers.test", PASSWORD).await;
    let setup = b.get("/account/second-factor").await;
    let secret = secret_on(&setup.body);
    let r = b
        .post("/account/second-factor", &[("code", &oathtool(&secret, 0))])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(b.get("/home").await.status, StatusCode::OK);

    let (_, new_key) = koers_store::sealing::SealingKey::generate();
    let done = koers_store::platform::second_factor::forget_all(&app.db, &new_key, "test")
        .await
        .unwrap();
    assert_eq!(done.forgotten, 1);
    assert_eq!(
        b.get("/home").await.status,
        StatusCode::SEE_OTHER,
        "every session ended"
    );
    let app = app_on(app.db.clone().with_sealing_key(new_key));
    let mut b = app.browser().await;
    let r = b
        .post(
            "/login",
            &[
                ("email", "student@demo.koers.test"),
                ("password", PASSWORD),
                ("next", ""),
            ],
        )
        .await;
    assert!(
        r.location().starts_with("/login/second-factor"),
        "{}",
        r.location()
    );
    assert!(b.cookie("koers_session").is_empty());
    let page = b.get(r.location()).await;
    assert!(page.body.contains("id=\"second-factor-renewal\""));
    assert!(page.body.contains("geheime sleutel moest vervangen"));
    let fresh = secret_on(&page.body);
    assert_ne!(fresh, secret);
    let r = b
        .post(
            "/login/second-factor",
            &[("code", &oathtool(&fresh, 0)), ("next", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(recovery_codes(&r.body).len(), 10);
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM second_factor_renewals")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(left, 0, "done once set up");
    // The person reads on their own page what happened.
    let mine = b.get("/my-data").await.body;
    assert!(mine.contains("Tweestapsverificatie gewist (nieuwe geheime sleutel)"));
}
