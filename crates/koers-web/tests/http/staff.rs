//! The HRM scan through the API: rounds, anonymous responses, results with the minimum
//! group size.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

const HR: &str = "hr@demo.koers.test";
const STAFF: [&str; 5] = [
    "medewerker@demo.koers.test",
    "slb@demo.koers.test",
    "slb2@demo.koers.test",
    "docent@demo.koers.test",
    "beheerder@demo.koers.test",
];
const RECRUITMENT: [&str; 6] = [
    "rec-pol-1",
    "rec-pol-2",
    "rec-pra-1",
    "rec-pra-2",
    "rec-exp-1",
    "rec-exp-2",
];

/// A whole response: `v` on the recruitment statements, "don't know" on every other one.
fn answers(v: u8) -> serde_json::Value {
    let instrument = koers_domain::staff::scan::parse(koers_domain::staff::scan::SHIPPED).unwrap();
    let mut m = serde_json::Map::new();
    for item in &instrument.items {
        m.insert(item.key.clone(), serde_json::Value::Null);
    }
    for k in RECRUITMENT {
        m.insert(k.into(), json!(v));
    }
    serde_json::Value::Object(m)
}

#[tokio::test]
async fn a_scan_round_is_answered_anonymously_and_scored() {
    let app = spawn().await;
    let hr = app.api_login(HR).await;
    let mut respondents = vec![
        json!({"email": HR, "group": "hr"}),
        json!({"email": "manager@demo.koers.test", "group": "manager"}),
    ];
    respondents.extend(STAFF.iter().map(|e| json!({"email": e, "group": "staff"})));
    let manager = app.api_login("manager@demo.koers.test").await;
    let body = json!({"name": "Scan 2026", "respondents": respondents});
    let r = app
        .api(
            Method::POST,
            "/api/v1/hrm-scans",
            Some(&manager),
            Some(body.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only HR runs scans");
    let bad =
        json!({"name": "Scan", "respondents": [{"email": "niemand@example.nl", "group": "staff"}]});
    assert_eq!(
        app.api(Method::POST, "/api/v1/hrm-scans", Some(&hr), Some(bad))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = app
        .api(Method::POST, "/api/v1/hrm-scans", Some(&hr), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let round = r.json();
    assert_eq!(
        (round["status"].as_str(), round["invited"].as_i64()),
        (Some("draft"), Some(7))
    );
    let id = round["id"].as_str().unwrap().to_owned();

    let q = app
        .api(
            Method::GET,
            &format!("/api/v1/hrm-scans/{id}/questionnaire"),
            Some(&manager),
            None,
        )
        .await
        .json();
    assert_eq!(q["items"].as_array().unwrap().len(), 24);
    assert_eq!(
        q["stages"],
        json!(["recruitment", "appointment", "guidance", "appraisal"])
    );
    let respond = |who: String, v: u8| {
        let app = &app;
        let id = id.clone();
        async move {
            let token = app.api_login(&who).await;
            app.api(
                Method::POST,
                &format!("/api/v1/hrm-scans/{id}/responses"),
                Some(&token),
                Some(json!({"answers": answers(v), "comments": {"guidance": format!("Opmerking {v}")}})),
            )
            .await
        }
    };
    assert_eq!(
        respond(HR.into(), 5).await.status,
        StatusCode::CONFLICT,
        "not open yet"
    );
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/hrm-scans/{id}/open"),
            Some(&hr),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "open");
    assert_eq!(
        app.api(
            Method::POST,
            &format!("/api/v1/hrm-scans/{id}/open"),
            Some(&hr),
            None
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    assert_eq!(respond(HR.into(), 5).await.status, StatusCode::CREATED);
    assert_eq!(
        respond(HR.into(), 1).await.status,
        StatusCode::CONFLICT,
        "a person answers once"
    );
    assert_eq!(
        respond("manager@demo.koers.test".into(), 3).await.status,
        StatusCode::CREATED
    );
    for (who, v) in STAFF.iter().zip([5, 5, 4, 3, 1]) {
        assert_eq!(
            respond((*who).into(), v).await.status,
            StatusCode::CREATED,
            "{who}"
        );
    }
    assert_eq!(
        respond("student@demo.koers.test".into(), 5).await.status,
        StatusCode::FORBIDDEN
    );

    // Nothing in a stored response points at a person.
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, answers, comments FROM scan_responses WHERE round_id = $1")
            .bind(&id)
            .fetch_all(app.db.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), 7);
    let users: Vec<String> = sqlx::query_scalar("SELECT id FROM users")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    for (rid, a, c) in &rows {
        assert!(
            users
                .iter()
                .all(|u| !a.contains(u) && !c.contains(u) && rid != u)
        );
    }

    // While the round is open: only how many answered (two reads a response apart would
    // otherwise give that person's answers away).
    let results = |token: String| {
        let app = &app;
        let id = id.clone();
        async move {
            app.api(
                Method::GET,
                &format!("/api/v1/hrm-scans/{id}/results"),
                Some(&token),
                None,
            )
            .await
        }
    };
    let res = results(hr.clone()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = res.json();
    assert_eq!(
        (res["status"].as_str(), res["responded"].as_i64()),
        (Some("open"), Some(7))
    );
    assert_eq!(res["stages"], json!([]));
    assert_eq!(res["comments"], json!({}));

    // Staff do not read unpublished results; after closing nobody can answer.
    let staff = app.api_login(STAFF[0]).await;
    assert_eq!(results(staff).await.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/hrm-scans/{id}/close"),
            Some(&hr),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "closed");
    assert_eq!(r.json()["responded"], 7);

    let res = results(hr.clone()).await.json();
    let rec = &res["stages"][0];
    assert_eq!(rec["stage"], "recruitment");
    let group = |g: &str| {
        rec["by_group"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["group"] == g)
            .unwrap()
            .clone()
    };
    // HR and the manager alone: too few. Staff (100, 100, 75, 50, 0 → 65) would give the
    // other two away as "all minus staff", so it is hidden too (issue 20).
    assert_eq!(
        group("hr"),
        json!({"group": "hr", "respondents": 1, "score": null, "hidden": "too-few"})
    );
    assert_eq!(group("manager")["hidden"], "too-few");
    assert_eq!(
        group("staff"),
        json!({"group": "staff", "respondents": 5, "score": null, "hidden": "derivable"})
    );
    assert!(res["differences"].as_array().unwrap().is_empty());
    // All seven: (325 + 100 + 50) / 7 = 67.857… → 67.9.
    assert_eq!(rec["score"], json!(67.9));
    assert_eq!(rec["respondents"], 7);
    assert_eq!(rec["hidden"], serde_json::Value::Null);
    // Guidance was only "don't know": no score. Comments: the five of staff; HR's and the
    // manager's stay back (their groups are too small).
    assert_eq!(res["stages"][2]["score"], serde_json::Value::Null);
    let mut comments: Vec<&str> = res["comments"]["guidance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    comments.sort_unstable();
    assert_eq!(
        comments,
        [
            "Opmerking 1",
            "Opmerking 3",
            "Opmerking 4",
            "Opmerking 5",
            "Opmerking 5"
        ]
    );
    assert_eq!(res["comments_withheld"], true);
    // The other institution finds nothing.
    let other = app.api_login("beheerder@tweede.koers.test").await;
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/hrm-scans/{id}/results"),
            Some(&other),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_scan_in_the_browser_from_start_to_published_results() {
    let app = spawn().await;
    let mut hr = app.browser().await;
    hr.login(HR, PASSWORD).await;
    assert_eq!(
        hr.post("/hrm-scan", &[("name", " ")]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let r = hr.post("/hrm-scan", &[("name", "Scan voorjaar")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let url = r.location().to_owned();
    assert!(hr.get(&url).await.body.contains("concept"));
    let r = hr.post(&format!("{url}/status"), &[("to", "open")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    let mut m = app.browser().await;
    m.login(STAFF[0], PASSWORD).await;
    assert!(
        m.get("/hrm-scan")
            .await
            .body
            .contains("Je bent uitgenodigd")
    );
    let form = m.get(&format!("{url}/answer")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("weet ik niet"));
    // One statement left open: the form comes back with what was chosen.
    let q = app
        .api(
            Method::GET,
            &format!("/api/v1/hrm-scans/{}/questionnaire", &url[10..]),
            Some(&app.api_login(HR).await),
            None,
        )
        .await
        .json();
    let keys: Vec<String> = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    let mut fields: Vec<(String, String)> = keys
        .iter()
        .skip(1)
        .map(|k| (format!("i-{k}"), "4".to_owned()))
        .collect();
    fields.push((
        "c-guidance".into(),
        "Meer tijd voor ontwikkeling graag".into(),
    ));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = m.post(&format!("{url}/answer"), &refs).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("nog 1 stelling niet beantwoord"));
    assert!(r.body.contains("Meer tijd voor ontwikkeling graag"));
    // The same input through the API: refused the same way, with the same message.
    let round_id = &url[10..];
    let token = app.api_login(STAFF[0]).await;
    let api_answer = |answers: serde_json::Value, comment: String| {
        let (app, token) = (&app, token.clone());
        async move {
            app.api(
                Method::POST,
                &format!("/api/v1/hrm-scans/{round_id}/responses"),
                Some(&token),
                Some(json!({"answers": answers, "comments": {"guidance": comment}})),
            )
            .await
        }
    };
    let partial: serde_json::Map<String, serde_json::Value> =
        keys.iter().skip(1).map(|k| (k.clone(), json!(4))).collect();
    let api = api_answer(partial.clone().into(), "Meer tijd".into()).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    let detail = &api.json()["error"]["details"][0];
    assert_eq!(detail["code"], "answer-missing");
    let message = detail["message"].as_str().unwrap();
    assert!(r.body.contains(message), "the page says {message:?} too");
    // A comment over the limit is refused in both, never cut; nothing is kept.
    let mut whole = partial.clone();
    whole.insert(keys[0].clone(), serde_json::Value::Null);
    let long = "x".repeat(koers_domain::staff::scan::MAX_COMMENT + 1);
    let api = api_answer(whole.into(), long.clone()).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    let detail = &api.json()["error"]["details"][0];
    assert_eq!(detail["code"], "comment-too-long");
    let mut long_fields: Vec<(String, String)> = keys
        .iter()
        .map(|k| (format!("i-{k}"), "4".to_owned()))
        .collect();
    long_fields.push(("c-guidance".into(), long));
    let long_refs: Vec<(&str, &str)> = long_fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let page = m.post(&format!("{url}/answer"), &long_refs).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains(detail["message"].as_str().unwrap()));
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM scan_responses WHERE round_id = $1")
        .bind(round_id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(kept, 0);
    fields.push((format!("i-{}", keys[0]), "dk".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let logged = |app: &'_ TestApp| {
        let pool = app.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_events WHERE actor_email = $1")
                .bind(STAFF[0])
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    let before = logged(&app).await;
    let r = m.post(&format!("{url}/answer"), &refs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The scan is anonymous: answering leaves no line with the employee's name in the log.
    assert_eq!(logged(&app).await, before);
    assert_eq!(
        m.get(&format!("{url}/answer")).await.status,
        StatusCode::CONFLICT,
        "once"
    );

    // While the round is open HR sees how many answered, no results.
    let page = hr.get(&url).await;
    assert!(
        page.body
            .contains("De uitslag verschijnt als de ronde gesloten is")
    );
    assert!(!page.body.contains("id=\"h-heat\""));
    assert!(!m.get(&url).await.body.contains("Score per fase"));
    hr.post(&format!("{url}/status"), &[("to", "closed")]).await;
    // Closed: results for HR, one person's answers hidden and said why.
    let page = hr.get(&url).await;
    assert!(page.body.contains("Uitslag") && page.body.contains("(n=1)"));
    assert!(page.body.contains("minder dan 5"));
    assert!(
        page.body
            .contains("minder dan vijf mensen gaven hier antwoord")
    );
    assert!(
        page.body
            .contains("Opmerkingen van een groep met minder dan vijf deelnemers")
    );
    assert!(!page.body.contains("Meer tijd voor ontwikkeling graag"));
    // The trend against the demo's closed round of 2025.
    assert!(page.body.contains("Vergeleken met de vorige ronde"));
    assert!(page.body.contains("HRM-scan 2025"));
    let r = hr
        .post(&format!("{url}/status"), &[("to", "published")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(m.get(&url).await.body.contains("Score per fase"));
    // A student never sees the scan.
    let mut s = app.browser().await;
    s.login("student@demo.koers.test", PASSWORD).await;
    assert_eq!(s.get("/hrm-scan").await.status, StatusCode::FORBIDDEN);
    assert_eq!(s.get(&url).await.status, StatusCode::FORBIDDEN);
}
