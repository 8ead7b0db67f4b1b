//! The LOB vision: versions with the draft → proposed → adopted workflow, the diff between
//! versions, safe formatting, and who reads and writes it.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn a_vision_version_is_written_proposed_and_adopted() {
    let app = spawn().await;
    let manager = app.api_login("manager@demo.koers.test").await;
    let student = app.api_login("student@demo.koers.test").await;
    let before = app
        .api(Method::GET, "/api/v1/vision", Some(&student), None)
        .await;
    assert_eq!(before.status, StatusCode::OK);
    let before = before.json();
    assert_eq!(before["adopted_version"], 2, "the demo adopted version 2");
    assert_eq!(
        before["versions"],
        json!([]),
        "students read the vision, not its drafts"
    );

    let body = json!({
        "mission": "Loopbaanbegeleiding voor **iedereen**.<script>alert(1)</script>",
        "principles": "- Samen met het werkveld",
        "ambitions": {"intake": "Intake binnen vier weken.", "outflow": "Een uitstroomgesprek voor iedereen."},
        "note": "Scherpere intake"
    });
    let r = app
        .api(Method::POST, "/api/v1/vision", Some(&manager), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["version"], 3);
    assert_eq!(r.json()["status"], "draft");
    for (bad, field) in [
        (json!({"mission": " "}), "mission"),
        (
            json!({"mission": "M", "ambitions": {"weather": "x"}}),
            "ambitions",
        ),
        (json!({"mission": "M", "programme": "LO-XYZ"}), "programme"),
    ] {
        let r = app
            .api(Method::POST, "/api/v1/vision", Some(&manager), Some(bad))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{}", r.body);
    }
    assert_eq!(
        app.api(Method::POST, "/api/v1/vision/3/adopt", Some(&manager), None)
            .await
            .status,
        StatusCode::CONFLICT,
        "no adoption without a proposal"
    );
    let lecturer = app.api_login("docent@demo.koers.test").await;
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/vision/3/propose",
            Some(&lecturer),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/vision/3/propose",
            Some(&manager),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "proposed");
    let r = app
        .api(Method::POST, "/api/v1/vision/3/adopt", Some(&manager), None)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"], "adopted");
    let now = app
        .api(Method::GET, "/api/v1/vision", Some(&manager), None)
        .await
        .json();
    assert_eq!(now["adopted_version"], 3);
    let statuses: Vec<&str> = now["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["adopted", "archived", "archived"]);

    // Every member reads it, formatted and safe; the version page shows what changed.
    let mut s = app.browser().await;
    s.login("student@demo.koers.test", PASSWORD).await;
    let page = s.get("/vision").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<strong>iedereen</strong>"));
    assert!(!page.body.contains("<script>alert"), "sanitised");
    let mut m = app.browser().await;
    m.login("manager@demo.koers.test", PASSWORD).await;
    let page = m.get("/vision/3").await;
    assert!(page.body.contains("<ins>"), "added lines");
    assert!(page.body.contains("Intake binnen vier weken."));
    assert!(page.body.contains("<del>"), "removed lines");
    assert_eq!(s.get("/vision/3").await.status, StatusCode::FORBIDDEN);
    // The form starts from the newest version and keeps what was typed on an error.
    let form = m.get("/vision/new").await;
    assert!(form.body.contains("Intake binnen vier weken."));
    let r = m
        .post(
            "/vision",
            &[("mission", ""), ("principles", "Mijn tekst blijft staan")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Mijn tekst blijft staan"));
    let mut mentor = app.browser().await;
    mentor.login("mentor@demo.koers.test", PASSWORD).await;
    assert_eq!(mentor.get("/vision").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_programme_refines_the_vision_in_the_browser() {
    let app = spawn().await;
    let mut m = app.browser().await;
    m.login("manager@demo.koers.test", PASSWORD).await;
    let page = m.get("/vision?programme=LO-ECO").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("nog geen eigen uitwerking"),
        "the institution's vision is shown until the programme adopts its own"
    );
    let form = m.get("/vision/new?programme=LO-ECO").await;
    assert!(
        form.body.contains("Hogeschool Demo leidt leraren op"),
        "a programme's first version starts from the institution's vision"
    );
    let r = m
        .post(
            "/vision",
            &[
                ("programme", "LO-ECO"),
                (
                    "mission",
                    "Economiedocenten begeleiden **loopbanen** in het mbo.",
                ),
                ("note", "Uitwerking LO-ECO"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/vision/1?ok=created&programme=LO-ECO");
    for to in ["proposed", "adopted"] {
        let r = m
            .post("/vision/1/status", &[("programme", "LO-ECO"), ("to", to)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{to}: {}", r.body);
    }
    // The institution's own versions are untouched; the programme's reads for students.
    let mut s = app.browser().await;
    s.login("student@demo.koers.test", PASSWORD).await;
    let eco = s.get("/vision?programme=LO-ECO").await;
    assert!(
        eco.body.contains("<strong>loopbanen</strong>"),
        "{}",
        eco.body
    );
    assert!(!eco.body.contains("nog geen eigen uitwerking"));
    let inst = s.get("/vision").await;
    assert!(inst.body.contains("Hogeschool Demo leidt leraren op"));
    assert_eq!(
        s.get("/vision?programme=LO-XYZ").await.status,
        StatusCode::NOT_FOUND
    );
}
