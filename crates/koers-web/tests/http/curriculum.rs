//! The curriculum API: frameworks and practice conversations.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

const ADMIN: &str = "beheerder@demo.koers.test";
const LECTURER: &str = "docent@demo.koers.test";
const ZOE: &str = "student@demo.koers.test";

#[tokio::test]
async fn shipped_frameworks_are_listed_and_export_to_the_documented_schema() {
    let app = spawn().await;
    let zoe = app.api_login(ZOE).await;
    let list = app
        .api(Method::GET, "/api/v1/frameworks", Some(&zoe), None)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let keys: Vec<String> = list.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["key"].as_str().unwrap().to_owned())
        .collect();
    for k in [
        "career-competencies",
        "21st-century-skills",
        "counsellor-profile",
    ] {
        assert!(keys.contains(&k.to_owned()), "{keys:?}");
    }
    let doc = app
        .api(
            Method::GET,
            "/api/v1/frameworks/21st-century-skills/export",
            Some(&zoe),
            None,
        )
        .await
        .json();
    assert_eq!(doc["competences"].as_array().unwrap().len(), 11);
    assert_eq!(doc["competences"][0]["name"]["en"], "Critical thinking");
    // Listing twice does not copy the shipped frameworks in twice.
    let again = app
        .api(Method::GET, "/api/v1/frameworks", Some(&zoe), None)
        .await
        .json();
    assert_eq!(again["items"].as_array().unwrap().len(), keys.len());
    assert_eq!(
        app.api(
            Method::GET,
            "/api/v1/frameworks/nope/export",
            Some(&zoe),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn imported_frameworks_are_checked_versioned_and_kept_per_institution() {
    let app = spawn().await;
    let lecturer = app.api_login(LECTURER).await;
    let bad = json!({"key": "Eigen", "name": {"nl": ""}, "version": "1", "levels": [], "competences": [{"key": "a", "name": "A"}]});
    let r = app
        .api(
            Method::POST,
            "/api/v1/frameworks",
            Some(&lecturer),
            Some(bad),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let paths: Vec<String> = r.json()["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(paths, ["/key", "/name/nl", "/levels"]);

    let mut doc = json!({"key": "praktijkleren", "name": {"nl": "Praktijkleren", "en": "Learning in practice"},
        "version": "1", "levels": [{"key": "b", "name": "Basis"}, {"key": "g", "name": "Gevorderd"}],
        "competences": [{"key": "observeren", "name": "Observeren", "descriptors": [{"level": "b", "text": "Kijkt mee"}]}]});
    let r = app
        .api(
            Method::POST,
            "/api/v1/frameworks",
            Some(&lecturer),
            Some(doc.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["competences"], 1);
    // The same version again is a conflict; a new version becomes the current one.
    let r = app
        .api(
            Method::POST,
            "/api/v1/frameworks",
            Some(&lecturer),
            Some(doc.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    doc["version"] = json!("2");
    doc["competences"]
        .as_array_mut()
        .unwrap()
        .push(json!({"key": "reflecteren", "name": "Reflecteren"}));
    let r = app
        .api(
            Method::POST,
            "/api/v1/frameworks",
            Some(&lecturer),
            Some(doc),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let now = app
        .api(
            Method::GET,
            "/api/v1/frameworks/praktijkleren/export",
            Some(&lecturer),
            None,
        )
        .await
        .json();
    assert_eq!(now["version"], "2");
    let v1 = app
        .api(
            Method::GET,
            "/api/v1/frameworks/praktijkleren/export?version=1",
            Some(&lecturer),
            None,
        )
        .await
        .json();
    assert_eq!(v1["competences"].as_array().unwrap().len(), 1);
    // A shipped key cannot be overwritten; students cannot import.
    let shipped = app
        .api(
            Method::GET,
            "/api/v1/frameworks/career-competencies/export",
            Some(&lecturer),
            None,
        )
        .await
        .json();
    let r = app
        .api(
            Method::POST,
            "/api/v1/frameworks",
            Some(&lecturer),
            Some(shipped),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let zoe = app.api_login(ZOE).await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/frameworks",
            Some(&zoe),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The other institution does not see it.
    let other = app.api_login("beheerder@tweede.koers.test").await;
    let r = app
        .api(
            Method::GET,
            "/api/v1/frameworks/praktijkleren/export",
            Some(&other),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let _ = ADMIN;
}

const VTT: &str = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Zoë>Hoi Daan, hoe was je eerste week op je stage?</v>\n\n\
    00:00:04.500 --> 00:00:15.000\n<v Daan>Spannend. Vorige week heb ik mijn eerste les gegeven en ik merkte dat ik goed in uitleggen ben. \
    Later wil ik graag in het mbo werken.</v>\n\n\
    00:00:15.500 --> 00:00:19.000\n<v Zoë>Dus uitleggen gaat je goed af. Wat heb je daarvan geleerd?</v>\n\n\
    00:00:19.500 --> 00:00:30.000\n<v Daan>Dat ik rustig moet blijven als het druk wordt in de klas, en dat ik dat eigenlijk best kan.</v>\n\n\
    00:00:30.500 --> 00:00:33.000\n<v Zoë>Wat is je volgende stap?</v>\n\n\
    00:00:33.500 --> 00:00:40.000\n<v Daan>Ik ga mijn mentor vragen of ik volgende week nog een les mag geven. Dat spreken we af.</v>\n";

#[tokio::test]
async fn practice_conversations_are_analysed_and_private() {
    let app = spawn().await;
    let zoe = app.api_login(ZOE).await;
    let body = json!({"format": "webvtt", "transcript": VTT, "counsellor_speaker": "Zoë", "title": "Oefengesprek 1"});
    let r = app
        .api(
            Method::POST,
            "/api/v1/practice-conversations",
            Some(&zoe),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = r.json();
    let id = a["id"].as_str().unwrap().to_owned();
    assert_eq!(a["speakers"][0]["name"], "Zoë");
    assert_eq!(a["speakers"][0]["role"], "counsellor");
    assert_eq!(a["speakers"][1]["role"], "student");
    let shares: f64 = a["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["share"].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 0.002, "{shares}");
    assert!(a["speakers"][1]["time_share"].as_f64().unwrap() > 0.5);
    assert_eq!(a["questions"], json!({"open": 3, "closed": 0}));
    assert!(a["competencies"]["quality_reflection"].as_u64().unwrap() >= 1);
    let criteria = a["criteria"].as_array().unwrap();
    assert_eq!(criteria.len(), 5);
    assert!(criteria.iter().all(|c| c["met"] == true), "{criteria:?}");
    assert!(
        criteria[1]["explanation"]
            .as_str()
            .unwrap()
            .starts_with("3 open en 0 gesloten")
    );

    let got = app
        .api(
            Method::GET,
            &format!("/api/v1/practice-conversations/{id}"),
            Some(&zoe),
            None,
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.json()["criteria"], a["criteria"]);
    // Another student and the counsellor may not read it; the programme's lecturer may.
    let other = second_student(&app).await;
    for who in [
        other.as_str(),
        "slb@demo.koers.test",
        "beheerder@tweede.koers.test",
    ] {
        let t = app.api_login(who).await;
        let r = app
            .api(
                Method::GET,
                &format!("/api/v1/practice-conversations/{id}"),
                Some(&t),
                None,
            )
            .await;
        assert!(
            matches!(r.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND),
            "{who}: {}",
            r.status
        );
    }
    let lecturer = app.api_login(LECTURER).await;
    let r = app
        .api(
            Method::GET,
            &format!("/api/v1/practice-conversations/{id}"),
            Some(&lecturer),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'practice.read'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn bad_transcripts_are_refused_clearly_and_store_nothing() {
    let app = spawn().await;
    let zoe = app.api_login(ZOE).await;
    let post = |body: serde_json::Value| {
        let (app, zoe) = (&app, zoe.clone());
        async move {
            app.api(
                Method::POST,
                "/api/v1/practice-conversations",
                Some(&zoe),
                Some(body),
            )
            .await
        }
    };
    let cases = [
        (
            json!({"format": "text", "transcript": "", "counsellor_speaker": "A"}),
            "empty",
        ),
        (
            json!({"format": "webvtt", "transcript": "A: hoi\nB: hallo", "counsellor_speaker": "A"}),
            "not-webvtt",
        ),
        (
            json!({"format": "text", "transcript": "A: hoi\nB: hallo", "counsellor_speaker": "C"}),
            "counsellor-unknown",
        ),
        (
            json!({"format": "text", "transcript": "A: hoi\nA: nog eens", "counsellor_speaker": "A"}),
            "one-speaker",
        ),
        (
            json!({"format": "text", "transcript": "x".repeat(1024 * 1024 + 1), "counsellor_speaker": "A"}),
            "too-large",
        ),
    ];
    for (body, code) in cases {
        let r = post(body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{code}: {}",
            r.body
        );
        assert_eq!(r.json()["error"]["details"][0]["code"], code);
    }
    let r = post(json!({"format": "pdf", "transcript": "A: x", "counsellor_speaker": "A"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A 50 MB body is refused before it is read.
    let huge = format!(
        "{{\"format\":\"text\",\"counsellor_speaker\":\"A\",\"transcript\":\"{}\"}}",
        "a".repeat(50 * 1024 * 1024)
    );
    let r = app
        .api_raw(
            Method::POST,
            "/api/v1/practice-conversations",
            &zoe,
            "application/json",
            huge.into(),
        )
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM practice_conversations")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(n, 1, "only the demo conversation");
}

#[tokio::test]
async fn framework_pages_list_show_export_import_and_copy() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login(LECTURER, PASSWORD).await;
    let list = b.get("/frameworks").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Loopbaancompetenties"));
    assert!(list.body.contains("21e-eeuwse vaardigheden"));
    let show = b.get("/frameworks/counsellor-profile").await;
    assert!(show.body.contains("Loopbaangesprekken voeren"));
    assert!(
        show.body.contains("Voorbeeldig"),
        "levels as rubric columns"
    );
    let export = b.get("/frameworks/counsellor-profile/export.json").await;
    assert_eq!(export.status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(doc["key"], "counsellor-profile");

    // A bad upload: every problem with its place, nothing stored.
    let r = b
        .upload("/frameworks", "kader.json", br#"{"key": "x", "name": "X", "version": "1", "levels": [{"key": "a"}], "competences": []}"#)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<code>/levels/0/name</code>"), "{}", r.body);
    assert!(r.body.contains("<code>/competences</code>"));
    // A copy with its own key, then changed by importing a new version.
    let r = b
        .post(
            "/frameworks/counsellor-profile/copy",
            &[("key", "profiel-hd"), ("name", "Profiel HD")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/frameworks/profiel-hd");
    let copy = b.get("/frameworks/profiel-hd").await;
    assert!(copy.body.contains("Profiel HD") && copy.body.contains("eigen kopie"));
    let mut doc: serde_json::Value =
        serde_json::from_str(&b.get("/frameworks/profiel-hd/export.json").await.body).unwrap();
    doc["version"] = json!("2");
    doc["competences"].as_array_mut().unwrap().truncate(2);
    let r = b
        .upload("/frameworks", "v2.json", doc.to_string().as_bytes())
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let v2 = b.get("/frameworks/profiel-hd").await;
    assert!(v2.body.contains("Versies"));
    assert!(!v2.body.contains("Reflecteren op de eigen loopbaan"));
    // Edited in the browser as a new version; a broken document keeps the text.
    let edit = b.get("/frameworks/profiel-hd/edit").await;
    assert!(
        edit.body.contains("&#34;version&#34;: &#34;3&#34;"),
        "{}",
        edit.body
    );
    let r = b
        .post(
            "/frameworks/profiel-hd/edit",
            &[("document", "{\"key\": \"profiel-hd\", \"name\": 5}")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<code>/name</code>"));
    let mut doc3: serde_json::Value =
        serde_json::from_str(&b.get("/frameworks/profiel-hd/export.json").await.body).unwrap();
    doc3["version"] = json!("3");
    doc3["name"]["nl"] = json!("Profiel HD, derde versie");
    let r = b
        .post(
            "/frameworks/profiel-hd/edit",
            &[("document", &doc3.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        b.get("/frameworks/profiel-hd")
            .await
            .body
            .contains("Profiel HD, derde versie")
    );
    doc3["key"] = json!("ander");
    doc3["version"] = json!("4");
    let r = b
        .post(
            "/frameworks/profiel-hd/edit",
            &[("document", &doc3.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The same copy key again is refused with the form kept.
    let r = b
        .post(
            "/frameworks/counsellor-profile/copy",
            &[("key", "profiel-hd"), ("name", "Nog een")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Nog een\""));
    // A student reads frameworks but cannot copy or import.
    let mut s = app.browser().await;
    s.login(ZOE, PASSWORD).await;
    assert_eq!(s.get("/frameworks/profiel-hd").await.status, StatusCode::OK);
    assert_eq!(
        s.post(
            "/frameworks/profiel-hd/copy",
            &[("key", "mijn"), ("name", "Mijn")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn practice_pages_upload_explain_ask_and_give_feedback() {
    let app = spawn().await;
    let mut zoe = app.browser().await;
    zoe.login(ZOE, PASSWORD).await;
    // The demo conversation with the lecturer's feedback.
    let first = zoe.get("/practice").await;
    assert!(
        first.body.contains("Oefengesprek met Milan (BPV)"),
        "{}",
        first.body
    );

    // A wrong counsellor name: the text is kept and the speakers are offered.
    let r = zoe
        .upload_form(
            "/practice",
            &[
                ("title", "Eerste oefening"),
                ("format", "webvtt"),
                ("counsellor", "Zoe"),
            ],
            ("file", "gesprek.vtt", VTT.as_bytes()),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("spreekt niet in dit gesprek"));
    assert!(r.body.contains("value=\"Zoë\""), "speakers offered");
    assert!(r.body.contains("value=\"Eerste oefening\""), "title kept");
    assert!(r.body.contains("hoe was je eerste week"), "text kept");

    let r = zoe
        .upload_form(
            "/practice",
            &[
                ("title", "Eerste oefening"),
                ("format", "webvtt"),
                ("counsellor", "Zoë"),
                ("text", VTT),
            ],
            ("file", "", b""),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page_url = r.location().to_owned();
    let page = zoe.get(&page_url).await;
    assert!(page.body.contains("✓ Vooral open vragen"), "{}", page.body);
    assert!(
        page.body
            .contains("<span class=\"badge\">open vraag</span> <q>Wat heb je daarvan geleerd?</q>")
    );
    assert!(zoe.get("/practice").await.body.contains("5 / 5"));
    let other_empty = {
        let other = second_student(&app).await;
        let mut b = app.browser().await;
        b.login(&other, PASSWORD).await;
        b.get("/practice").await
    };
    assert!(other_empty.body.contains("nog geen oefengesprekken"));

    // Another student cannot read it until asked.
    let other = second_student(&app).await;
    let mut peer = app.browser().await;
    peer.login(&other, PASSWORD).await;
    assert_eq!(peer.get(&page_url).await.status, StatusCode::FORBIDDEN);
    let r = zoe
        .post(
            &format!("{page_url}/reviewers"),
            &[("email", "niemand@example.nl"), ("message", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = zoe
        .post(
            &format!("{page_url}/reviewers"),
            &[("email", &other), ("message", "Wil jij kijken?")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(peer.get("/practice").await.body.contains("Wil jij kijken?"));
    let seen = peer.get(&page_url).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains("Feedback geven"));
    let r = peer
        .post(
            &format!("{page_url}/feedback"),
            &[("level", "2"), ("text", "Mooie open vragen!")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mine = zoe.get(&page_url).await;
    assert!(mine.body.contains("Mooie open vragen!"));
    assert!(mine.body.contains("Ontwikkelend"));
    assert!(mine.body.contains("feedback gegeven"));
    // The owner cannot give feedback on her own conversation; then deletes it.
    assert_eq!(
        zoe.post(
            &format!("{page_url}/feedback"),
            &[("level", "4"), ("text", "Top")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = zoe.post(&format!("{page_url}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(zoe.get(&page_url).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn activities_build_the_learning_line_and_its_gaps() {
    let app = spawn().await;
    let lecturer = app.api_login(LECTURER).await;
    let empty = app
        .api(
            Method::GET,
            "/api/v1/programmes/LO-TECH/learning-line",
            Some(&lecturer),
            None,
        )
        .await
        .json();
    assert_eq!(empty["years"], json!([1, 2, 3, 4]));
    assert_eq!(
        empty["competences"].as_array().unwrap().len(),
        5,
        "career competencies by default"
    );
    let kinds: Vec<&str> = empty["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "never-introduced").count(),
        5
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == "year-without-activity")
            .count(),
        4
    );

    let body = json!({"programme": "LO-TECH", "kind": "workshop", "title": "Netwerken met het werkveld", "year": 2,
        "period": 3, "phase": "progress", "study_hours": 8, "partners": ["receiving_school", "business"],
        "competences": [
            {"framework": "career-competencies", "competence": "networking", "level": "I"},
            {"framework": "career-competencies", "competence": "work-exploration", "level": "R"},
            {"framework": "21st-century-skills", "competence": "communication", "level": "M"}]});
    let r = app
        .api(
            Method::POST,
            "/api/v1/activities",
            Some(&lecturer),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let act = r.json();
    assert_eq!(act["competences"].as_array().unwrap().len(), 3);
    assert_eq!(act["partners"], json!(["receiving_school", "business"]));

    let line = app
        .api(
            Method::GET,
            "/api/v1/programmes/LO-TECH/learning-line",
            Some(&lecturer),
            None,
        )
        .await
        .json();
    // Both frameworks now in the line: 5 + 11 competences.
    assert_eq!(line["competences"].as_array().unwrap().len(), 16);
    let id_of = |key: &str| {
        line["competences"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == key)
            .unwrap()["id"]
            .clone()
    };
    let cell = |key: &str, year: u64| {
        line["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["competence_id"] == id_of(key) && c["year"] == year)
            .unwrap()
            .clone()
    };
    assert_eq!(cell("networking", 2)["levels"], json!(["I"]));
    assert_eq!(cell("communication", 2)["levels"], json!(["M"]));
    assert_eq!(cell("networking", 1)["levels"], json!([]));
    let gaps = line["gaps"].as_array().unwrap();
    assert!(
        gaps.contains(&json!({"kind": "never-mastered", "competence_id": id_of("networking")}))
    );
    assert!(gaps.contains(&json!({"kind": "year-without-activity", "year": 1})));
    assert!(!gaps.contains(&json!({"kind": "year-without-activity", "year": 2})));
    assert!(gaps.contains(&json!({"kind": "phase-without-activity", "phase": "intake"})));

    // Bad input: field errors, nothing stored; students and other programmes' lecturers refused.
    let bad = json!({"programme": "LO-TECH", "kind": "lecture", "title": "", "year": 7,
        "competences": [{"framework": "career-competencies", "competence": "nope", "level": "I"}]});
    let r = app
        .api(
            Method::POST,
            "/api/v1/activities",
            Some(&lecturer),
            Some(bad),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let details = r.json()["error"]["details"].clone();
    let fields: Vec<&str> = details
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["kind", "title", "year"]);
    let zoe = app.api_login(ZOE).await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/activities",
            Some(&zoe),
            Some(json!({"programme": "LO-TECH"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let other = app.api_login("beheerder@tweede.koers.test").await;
    let r = app
        .api(
            Method::GET,
            "/api/v1/programmes/LO-TECH/learning-line",
            Some(&other),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn learning_line_pages_add_change_and_export_activities() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login(LECTURER, PASSWORD).await;
    let page = b.get("/learning-line/LO-TECH").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Nog geen activiteiten"));
    // The demo programme has a learning line with a few gaps left.
    let eco = b.get("/learning-line/LO-ECO").await;
    assert!(eco.body.contains("Oefenen met loopbaangesprekken"));
    assert!(eco.body.contains("Gaten in de leerlijn"));
    let form = b.get("/learning-line/LO-TECH/activities/new").await;
    assert_eq!(form.status, StatusCode::OK);
    // The id of the networking competence, from the form's select.
    let i = form.body.find("<label for=\"c-").unwrap() + 14;
    let first_competence = form.body[i..].split('"').next().unwrap().to_owned();
    // Errors keep what was typed.
    let select = format!("c-{first_competence}");
    let r = b
        .post(
            "/learning-line/LO-TECH/activities",
            &[
                ("title", ""),
                ("kind", "workshop"),
                ("year", "9"),
                ("goals", "Mijn doelen"),
                (&select, "M"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Mijn doelen"));
    assert!(r.body.contains("value=\"M\" selected"));
    let r = b
        .post(
            "/learning-line/LO-TECH/activities",
            &[
                ("title", "Loopbaanatelier"),
                ("kind", "workshop"),
                ("year", "1"),
                ("period", "2"),
                ("phase", "intake"),
                ("study_hours", "6"),
                ("partners", "business"),
                (&select, "I"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = b.get("/learning-line/LO-TECH").await;
    assert!(page.body.contains("Loopbaanatelier"));
    assert!(page.body.contains("class=\"depth-i\""));
    let csv = b.get("/learning-line/LO-TECH/export.csv").await;
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(
        csv.body
            .contains("Kader;Competentie;Jaar 1;Jaar 2;Jaar 3;Jaar 4")
    );
    assert!(csv.body.contains(";I;;;"), "{}", csv.body);
    // Change it, then delete it.
    let i = page.body.find("href=\"/activities/").unwrap() + 6;
    let href = page.body[i..].split('"').next().unwrap().to_owned();
    let edit = b.get(&href).await;
    assert!(edit.body.contains("value=\"Loopbaanatelier\""));
    let r = b
        .post(
            &href,
            &[
                ("title", "Loopbaanatelier 2"),
                ("kind", "training"),
                ("year", "1"),
                (&select, "R"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        b.get("/learning-line/LO-TECH")
            .await
            .body
            .contains("Loopbaanatelier 2")
    );
    let r = b.post(&format!("{href}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        !b.get("/learning-line/LO-TECH")
            .await
            .body
            .contains("Loopbaanatelier")
    );
    // A student sees the learning line but cannot add activities.
    let mut s = app.browser().await;
    s.login(ZOE, PASSWORD).await;
    assert_eq!(s.get("/learning-line/LO-TECH").await.status, StatusCode::OK);
    assert_eq!(
        s.get("/learning-line/LO-TECH/activities/new").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn evidence_is_added_assessed_signed_off_and_kept_private() {
    let app = spawn().await;
    let mut zoe = app.browser().await;
    zoe.login(ZOE, PASSWORD).await;
    let page = zoe.get("/evidence").await;
    assert_eq!(page.status, StatusCode::OK);
    let i = page.body.find("<option value=\"").unwrap() + 15;
    let competence = page.body[i..].split('"').next().unwrap().to_owned();
    // A file that claims to be a PDF but is not: refused, the typed text kept.
    let r = zoe
        .upload_form(
            "/evidence",
            &[
                ("competence", &competence),
                ("title", "Mijn verslag"),
                ("body", "Wat ik leerde"),
            ],
            ("file", "verslag.pdf", b"<html><script>alert(1)</script>"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Dit soort bestand kan niet"), "{}", r.body);
    assert!(r.body.contains("Wat ik leerde"));
    let r = zoe
        .upload_form(
            "/evidence",
            &[
                ("competence", &competence),
                ("title", "Mijn verslag"),
                ("body", "Wat ik leerde"),
                ("link", ""),
            ],
            ("file", "verslag.pdf", b"%PDF-1.4 demo"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location().to_owned();
    let shown = zoe.get(&url).await;
    assert!(shown.body.contains("Wat ik leerde"));
    let file = zoe.get(&format!("{url}/file")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, "%PDF-1.4 demo");
    assert!(file.header("content-disposition").starts_with("attachment"));

    // A fellow student only after being asked; the lecturer of the programme always.
    let other = second_student(&app).await;
    let mut peer = app.browser().await;
    peer.login(&other, PASSWORD).await;
    assert_eq!(peer.get(&url).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        peer.get(&format!("{url}/file")).await.status,
        StatusCode::FORBIDDEN
    );
    let r = zoe
        .post(
            &format!("{url}/reviewers"),
            &[("email", &other), ("message", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(peer.get("/evidence").await.body.contains(&url));
    let r = peer
        .post(&format!("{url}/assess"), &[("level", ""), ("text", "x")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = peer
        .post(
            &format!("{url}/assess"),
            &[("level", "2"), ("text", "Goed onderbouwd")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A fellow student cannot sign off; the lecturer can.
    assert_eq!(
        peer.post(&format!("{url}/sign-off"), &[("level", "3")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mut lecturer = app.browser().await;
    lecturer.login(LECTURER, PASSWORD).await;
    let r = lecturer
        .post(&format!("{url}/sign-off"), &[("level", "3")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let mine = zoe.get(&url).await;
    assert!(mine.body.contains("Goed onderbouwd"));
    assert!(
        mine.body.contains("Afgetekend op niveau Bekwaam"),
        "{}",
        mine.body
    );
    let list = zoe.get("/evidence").await;
    assert!(list.body.contains("afgetekend"));
    let group = lecturer.get("/learning-line/LO-ECO/progress").await;
    assert_eq!(group.status, StatusCode::OK);
    assert!(group.body.contains("Zoë van der Meer"));
    assert!(
        group.body.contains("1 afgetekend, 1 met bewijs"),
        "{}",
        group.body
    );
    // The counsellor does not read evidence; the student deletes it.
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    assert_eq!(slb.get(&url).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        slb.get("/learning-line/LO-ECO/progress").await.status,
        StatusCode::FORBIDDEN
    );
    let r = zoe.post(&format!("{url}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(zoe.get(&url).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn designs_are_checked_reviewed_and_published_to_the_library() {
    let app = spawn().await;
    let mut zoe = app.browser().await;
    zoe.login(ZOE, PASSWORD).await;
    assert_eq!(zoe.get("/designs").await.status, StatusCode::OK);
    // Errors keep what was typed.
    let r = zoe
        .post(
            "/designs",
            &[
                ("title", "Interviewronde"),
                ("setting", "school"),
                ("goal", ""),
                ("steps", "Stap 1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"Interviewronde\"") && r.body.contains("Stap 1"));
    assert!(r.body.contains("Kies minstens één loopbaancompetentie"));
    let r = zoe
        .post(
            "/designs",
            &[("title", "Interviewronde"), ("mbo_level", "3"), ("mbo_programme", "Handel"), ("setting", "placement"),
              ("goal", "Studenten leggen contact met collega's op hun stageplek"), ("steps", "1. Bingokaart\n2. Gesprekken"),
              ("competencies", "networking"), ("competencies", "work_exploration"),
              ("practice_based", "De studenten voeren de opdracht uit op hun eigen stageplek bij het leerbedrijf."),
              ("dialogical", "Kort."), ("demand_driven", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let url = r.location().to_owned();
    let page = zoe.get(&url).await;
    assert!(
        page.body.contains("✓ Hoe is het praktijkgericht?"),
        "{}",
        page.body
    );
    assert!(page.body.contains("✗ Hoe is het dialooggericht?"));

    // The lecturer cannot publish an incomplete design; after the student explains, he can.
    let mut lecturer = app.browser().await;
    lecturer.login(LECTURER, PASSWORD).await;
    let r = lecturer
        .post(&format!("{url}/publish"), &[("publish", "1")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = lecturer
        .post(
            &format!("{url}/feedback"),
            &[("text", "Werk de dialoog verder uit.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = zoe
        .post(
            &url,
            &[("title", "Interviewronde"), ("setting", "placement"), ("goal", "Contact leggen"), ("steps", "1. Bingo"),
              ("competencies", "networking"),
              ("practice_based", "De studenten voeren de opdracht uit op hun eigen stageplek bij het leerbedrijf."),
              ("dialogical", "Na afloop bespreken ze in tweetallen wat ze hoorden en wat dat over henzelf zegt."),
              ("demand_driven", "Iedere student kiest zelf welke drie collega's hij wil spreken en met welke eigen vraag.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        zoe.get(&url)
            .await
            .body
            .contains("Werk de dialoog verder uit.")
    );
    // Before publishing, the mentor and another student cannot read it.
    let mut mentor = app.browser().await;
    mentor.login("mentor@demo.koers.test", PASSWORD).await;
    assert_eq!(mentor.get(&url).await.status, StatusCode::FORBIDDEN);
    let r = lecturer
        .post(&format!("{url}/publish"), &[("publish", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let lib = mentor.get("/designs/library").await;
    assert!(lib.body.contains("Interviewronde"), "{}", lib.body);
    assert_eq!(mentor.get(&url).await.status, StatusCode::OK);
    // The student cannot publish her own design; changing it takes it back to draft.
    assert_eq!(
        zoe.post(&format!("{url}/publish"), &[("publish", "1")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = zoe.post(&format!("{url}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        !mentor
            .get("/designs/library")
            .await
            .body
            .contains("Interviewronde")
    );
}
