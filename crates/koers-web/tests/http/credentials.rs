//! Open Badges: signing off the last competence of a framework issues a signed credential;
//! it is listed for the student, public by its id, verifies (and a tampered copy does not),
//! and the institution's signing key can be replaced without invalidating what was issued.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::Value;

const ZOE: &str = "student@demo.koers.test";

async fn my_credentials(app: &TestApp, token: &str) -> Vec<Value> {
    let r = app
        .api(Method::GET, "/api/v1/me/credentials", Some(token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn signing_off_a_whole_framework_issues_a_verifiable_open_badge() {
    let app = spawn().await;
    let zoe_token = app.api_login(ZOE).await;
    // The demo signed off every 21st-century skill; nothing is issued until a sign-off.
    assert!(my_credentials(&app, &zoe_token).await.is_empty());
    let mut zoe = app.browser().await;
    zoe.login(ZOE, PASSWORD).await;
    assert!(
        zoe.get("/credentials")
            .await
            .body
            .contains("Je hebt nog geen badges")
    );

    // Zoë adds evidence; the lecturer signs it off.
    let page = zoe.get("/evidence").await;
    let i = page.body.find("<option value=\"").unwrap() + 15;
    let competence = page.body[i..].split('"').next().unwrap().to_owned();
    let r = zoe
        .upload_form(
            "/evidence",
            &[
                ("competence", &competence),
                ("title", "Verslag"),
                ("body", "Wat ik leerde"),
                ("link", ""),
            ],
            ("file", "verslag.txt", b"Mijn verslag"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location().to_owned();
    let mut lecturer = app.browser().await;
    lecturer.login("docent@demo.koers.test", PASSWORD).await;
    let r = lecturer
        .post(&format!("{url}/sign-off"), &[("level", "3")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let items = my_credentials(&app, &zoe_token).await;
    assert_eq!(items.len(), 1, "{items:?}");
    let c = &items[0];
    assert_eq!(
        c["@context"],
        serde_json::json!([
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ])
    );
    assert_eq!(
        c["type"],
        serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(c["proof"]["type"], "DataIntegrityProof");
    assert_eq!(c["proof"]["cryptosuite"], "eddsa-rdfc-2022");
    assert!(
        c["issuer"]["id"]
            .as_str()
            .unwrap()
            .starts_with("did:key:z6Mk")
    );
    assert_eq!(c["issuer"]["name"], "Hogeschool Demo");
    let achievement = &c["credentialSubject"]["achievement"];
    assert_eq!(achievement["name"], "21e-eeuwse vaardigheden");
    assert_eq!(achievement["alignment"].as_array().unwrap().len(), 11);
    assert_eq!(
        achievement["alignment"][0]["targetType"],
        "ceasn:Competency"
    );
    // The student is a pseudonym: no name, email or account id in the credential.
    let zoe_id = user_id(&app.db, ZOE).await;
    let text = c.to_string();
    assert!(!text.contains("Zoë") && !text.contains(ZOE) && !text.contains(&zoe_id));
    assert!(koers_credentials::verify(c).await.is_ok());

    // Public by its id, exactly as issued.
    let id = c["id"]
        .as_str()
        .unwrap()
        .strip_prefix("urn:uuid:")
        .unwrap()
        .to_owned();
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/credentials/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(&r.json(), c);
    for missing in ["01a243be-0000-7000-8000-000000000000", "niet-een-id"] {
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/credentials/{missing}"),
                None,
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }

    // The pages: the student's list, the public verification page, the bell.
    let list = zoe.get("/credentials").await;
    assert!(list.body.contains("21e-eeuwse vaardigheden"));
    assert!(list.body.contains(&format!("/verify/{id}")));
    let mut visitor = app.browser().await;
    let shown = visitor.get(&format!("/verify/{id}")).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("Deze badge is echt."), "{}", shown.body);
    assert!(shown.body.contains("Kritisch denken"));
    assert!(
        zoe.get("/notifications")
            .await
            .body
            .contains("Je hebt een badge gekregen: 21e-eeuwse vaardigheden")
    );

    // Pasting: a tampered copy is refused; text that is no JSON keeps what was typed.
    visitor.get("/verify").await;
    let mut tampered = c.clone();
    tampered["credentialSubject"]["achievement"]["name"] = Value::from("Iets anders");
    let csrf = visitor.cookie("koers_csrf");
    let r = visitor
        .post(
            "/verify",
            &[("_csrf", &csrf), ("credential", &tampered.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Deze badge is niet geldig."));
    assert!(
        r.body.contains("na het ondertekenen veranderd"),
        "{}",
        r.body
    );
    let r = visitor
        .post(
            "/verify",
            &[("_csrf", &csrf), ("credential", &c.to_string())],
        )
        .await;
    assert!(r.body.contains("Deze badge is echt."));
    let r = visitor
        .post("/verify", &[("_csrf", &csrf), ("credential", "{kapot")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Dit is geen JSON") && r.body.contains("{kapot"));

    // Another sign-off issues nothing twice.
    let r = lecturer
        .post(&format!("{url}/sign-off"), &[("level", "4")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(my_credentials(&app, &zoe_token).await.len(), 1);

    // The administrator replaces the key: the old credential still verifies.
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let keys = admin.get("/admin/credentials").await;
    assert_eq!(keys.status, StatusCode::OK);
    let did = c["issuer"]["id"].as_str().unwrap();
    assert!(keys.body.contains(did) && keys.body.contains("Er is 1 badge uitgegeven."));
    let r = admin.post("/admin/credentials/rotate", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let keys = admin.get("/admin/credentials").await;
    assert_eq!(keys.body.matches("did:key:").count(), 2);
    assert!(keys.body.contains("Vervangen op"));
    assert!(
        visitor
            .get(&format!("/verify/{id}"))
            .await
            .body
            .contains("Deze badge is echt.")
    );
    // Another institution sees none of it.
    let mut other = app.browser().await;
    other.login("beheerder@tweede.koers.test", PASSWORD).await;
    let theirs = other.get("/admin/credentials").await;
    assert!(!theirs.body.contains(did));
    assert!(theirs.body.contains("Er zijn 0 badges uitgegeven."));
}

#[tokio::test]
async fn a_designated_activity_awards_a_badge_to_the_students_who_completed_it() {
    let app = spawn().await;
    let activity: String = sqlx::query_scalar(
        "SELECT a.id FROM activities a JOIN programmes p ON p.id = a.programme_id \
         WHERE p.code = 'LO-ECO' AND EXISTS (SELECT 1 FROM activity_competences c WHERE c.activity_id = a.id) \
         ORDER BY a.title LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let title: String = sqlx::query_scalar("SELECT title FROM activities WHERE id = $1")
        .bind(&activity)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let mut lecturer = app.browser().await;
    lecturer.login("docent@demo.koers.test", PASSWORD).await;
    let url = format!("/activities/{activity}/completions");
    assert_eq!(lecturer.get(&url).await.status, StatusCode::OK);
    // Unknown numbers and students of another programme: nothing recorded, the text kept.
    let other: String = sqlx::query_scalar(
        "SELECT s.student_number FROM students s JOIN programmes p ON p.id = s.programme_id \
         WHERE p.code <> 'LO-ECO' LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let typed = format!("500000\n999999\n{other}");
    let r = lecturer.post(&url, &[("numbers", &typed)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Regel 2: studentnummer 999999 bestaat niet."),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!(
        "Regel 3: student {other} hoort niet bij deze opleiding."
    )));
    assert!(r.body.contains("500000\n999999"));
    // Not designated yet: completion is recorded, no badge.
    let r = lecturer.post(&url, &[("numbers", "500000")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(lecturer.get(&url).await.body.contains("Zoë van der Meer"));
    let zoe = app.api_login(ZOE).await;
    let before = my_credentials(&app, &zoe).await.len();
    // Designated: the next recording issues it (once).
    let r = lecturer
        .post(
            &format!("/activities/{activity}/credential"),
            &[("awards", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    lecturer.post(&url, &[("numbers", "500000")]).await;
    lecturer.post(&url, &[("numbers", "500000")]).await;
    let items = my_credentials(&app, &zoe).await;
    let badge: Vec<&Value> = items
        .iter()
        .filter(|c| c["credentialSubject"]["achievement"]["name"] == title.as_str())
        .collect();
    assert_eq!(badge.len(), 1, "{items:?}");
    assert!(items.len() > before);
    let achievement = &badge[0]["credentialSubject"]["achievement"];
    assert!(
        achievement["criteria"]["narrative"]
            .as_str()
            .unwrap()
            .contains("Leraar Economie")
    );
    assert!(!achievement["alignment"].as_array().unwrap().is_empty());
    assert!(koers_credentials::verify(badge[0]).await.is_ok());
    // Students and counsellors do not record completions.
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    assert_eq!(slb.get(&url).await.status, StatusCode::FORBIDDEN);
}
