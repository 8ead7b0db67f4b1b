//! The receiving field: partners and invitations (a mentor's first login), placements with
//! LOB tasks (the mentor of one school never sees another school's trainee), field needs seen
//! only by their own organisation, the offer with enrolment and evaluation, and the alignment.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

const MANAGER: &str = "manager@demo.koers.test";
const MENTOR: &str = "mentor@demo.koers.test";
const MENTOR_B: &str = "mentor2@demo.koers.test";
const COORDINATOR: &str = "schoolopleider@demo.koers.test";

async fn partner_id(app: &TestApp, name: &str) -> String {
    sqlx::query_scalar("SELECT id FROM partners WHERE name = $1")
        .bind(name)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_partner_person_is_invited_and_logs_in_for_the_first_time() {
    let app = spawn().await;
    let manager = app.api_login(MANAGER).await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/partners",
            Some(&manager),
            Some(json!({"name": "Grafisch Lyceum", "kind": "mbo_school", "city": "Amsterdam", "brin": "29xy",
                "contacts": [{"name": "Sanne de Wit", "role": "Schoolopleider", "email": "s.dewit@glr.example"}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let p = r.json();
    assert_eq!(p["brin"], "29XY");
    assert_eq!(p["contacts"][0]["name"], "Sanne de Wit");
    let id = p["id"].as_str().unwrap().to_owned();
    for (bad, field) in [
        (json!({"name": "X", "kind": "university"}), "kind"),
        (
            json!({"name": "X", "kind": "business", "brin": "ABCD"}),
            "brin",
        ),
        (json!({"name": " ", "kind": "business"}), "name"),
    ] {
        let r = app
            .api(Method::POST, "/api/v1/partners", Some(&manager), Some(bad))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{}", r.body);
    }
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/partners/{id}/invitations"),
            Some(&manager),
            Some(json!({"email": "Mentor.Nieuw@glr.example", "name": "Mila Nieuw", "role": "placement_mentor"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let link = r.json()["link"].as_str().unwrap().to_owned();
    assert!(link.starts_with("/invitations/"));
    // The invitation is mailed (in Dutch and English: the language is not known yet).
    let (subject, body): (String, String) = sqlx::query_as(
        "SELECT subject, body FROM outbox WHERE kind = 'invitation' AND to_email = 'mentor.nieuw@glr.example'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        subject,
        "Uitnodiging voor Koers van Hogeschool Demo / Invitation to Koers from Hogeschool Demo"
    );
    assert!(body.contains(&format!("http://localhost{link}")), "{body}");
    assert!(body.contains("Grafisch Lyceum") && body.contains("Make your account"));
    // An existing account cannot be invited again.
    let r = app
        .api(
            Method::POST,
            &format!("/api/v1/partners/{id}/invitations"),
            Some(&manager),
            Some(json!({"email": MENTOR, "name": "Marloes", "role": "placement_mentor"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The invitee opens the link, chooses a password (a weak one is refused) and logs in.
    let mut b = app.browser().await;
    let page = b.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Grafisch Lyceum"));
    let r = b
        .post(&link, &[("password", "kort"), ("confirm_password", "kort")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let pw = "Een-lange-zin-als-wachtwoord-2026";
    let r = b
        .post(&link, &[("password", pw), ("confirm_password", pw)])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Je account is klaar"));
    // The link works once.
    assert_eq!(b.get(&link).await.status, StatusCode::NOT_FOUND);
    let mut m = app.browser().await;
    let r = m.login("mentor.nieuw@glr.example", pw).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = m.get("/partners").await;
    assert_eq!(
        r.location(),
        format!("/partners/{id}"),
        "straight to their own school"
    );
    let own = m.get(&format!("/partners/{id}")).await;
    assert!(own.body.contains("Mila Nieuw"));
    let other = partner_id(&app, "ROC Rijnmond").await;
    assert_eq!(
        m.get(&format!("/partners/{other}")).await.status,
        StatusCode::FORBIDDEN
    );
    // An unknown link says so clearly.
    assert_eq!(
        b.get("/invitations/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn placements_tasks_and_their_mentors() {
    let app = spawn().await;
    let roc = partner_id(&app, "ROC Rijnmond").await;
    let tech = partner_id(&app, "Techniek College Utrecht").await;
    let mentor = app.api_login(MENTOR).await;
    let list = app
        .api(Method::GET, "/api/v1/placements", Some(&mentor), None)
        .await
        .json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1, "only their own trainee: {list:?}");
    assert_eq!(list[0]["partner_id"], roc.as_str());
    assert_eq!(list[0]["tasks_assessed"], 1);
    let zoe = list[0]["id"].as_str().unwrap().to_owned();
    let other: String = sqlx::query_scalar("SELECT id FROM placements WHERE partner_id = $1")
        .bind(&tech)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/placements/{other}"),
            Some(&mentor),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN,
        "a mentor of school A never sees a trainee at school B"
    );
    let mentor_b = app.api_login(MENTOR_B).await;
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/placements/{zoe}"),
            Some(&mentor_b),
            None
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // The school coordinator of ROC Rijnmond sees the school's placement, not the other one.
    let coordinator = app.api_login(COORDINATOR).await;
    let seen = app
        .api(Method::GET, "/api/v1/placements", Some(&coordinator), None)
        .await
        .json();
    assert_eq!(seen.as_array().unwrap().len(), 1);
    // The institute coordinator (docent@) sees both.
    let docent = app.api_login("docent@demo.koers.test").await;
    let seen = app
        .api(Method::GET, "/api/v1/placements", Some(&docent), None)
        .await
        .json();
    assert_eq!(seen.as_array().unwrap().len(), 2);

    // The student hands the open task in; the mentor assesses it; a wrong mentor cannot.
    let tasks: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM placement_tasks WHERE placement_id = $1 ORDER BY position",
    )
    .bind(&zoe)
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    let mut s = app.browser().await;
    s.login("student@demo.koers.test", PASSWORD).await;
    let page = s.get(&format!("/placements/{zoe}")).await;
    assert!(page.body.contains("Drie loopbaangesprekken"));
    let r = s
        .post(
            &format!("/placements/{zoe}/tasks/{}/submit", tasks[2]),
            &[("note", "Twee BPV-bezoeken meegedaan.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut m = app.browser().await;
    m.login(MENTOR, PASSWORD).await;
    let page = m.get(&format!("/placements/{zoe}")).await;
    assert!(page.body.contains("Twee BPV-bezoeken meegedaan."));
    // Of the trainee's career file, only what she shared with her mentor.
    assert!(page.body.contains("Mijn eerste stageweek op het mbo"));
    assert!(
        page.body.contains("growth-title"),
        "the shared self-assessment"
    );
    assert!(!page.body.contains("Twijfels"));
    let r = m
        .post(
            &format!("/placements/{zoe}/tasks/{}/assess", tasks[2]),
            &[("level", "9"), ("feedback", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = m
        .post(
            &format!("/placements/{zoe}/tasks/{}/assess", tasks[2]),
            &[("level", "3"), ("feedback", "Goed voorbereid.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut m2 = app.browser().await;
    m2.login(MENTOR_B, PASSWORD).await;
    m2.get("/placements").await;
    let r = m2
        .post(
            &format!("/placements/{zoe}/tasks/{}/assess", tasks[1]),
            &[("level", "4"), ("feedback", "Niet mijn stagiair")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let after = app
        .api(
            Method::GET,
            &format!("/api/v1/placements/{zoe}"),
            Some(&mentor),
            None,
        )
        .await
        .json();
    assert_eq!(after["tasks_assessed"], 2);
    assert_eq!(after["tasks"][2]["level"], 3);

    // Placing a student: the mentor must belong to the school.
    let manager = app.api_login(MANAGER).await;
    let student: String = sqlx::query_scalar(
        "SELECT s.id FROM students s JOIN users u ON u.id = s.user_id WHERE u.email = 'student@demo.koers.test'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let mentor_b_id = user_id(&app.db, MENTOR_B).await;
    let body = |mentor: &str| {
        json!({"student_id": student, "partner_id": roc, "mentor_id": mentor, "starts_on": "2027-02-01",
            "ends_on": "2027-06-30", "tasks": [{"kind": "activity", "title": "Een LOB-activiteit uitvoeren", "due_on": "2027-05-01"}]})
    };
    let r = app
        .api(
            Method::POST,
            "/api/v1/placements",
            Some(&manager),
            Some(body(&mentor_b_id)),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("mentor_id"));
    let r = app
        .api(
            Method::POST,
            "/api/v1/placements",
            Some(&manager),
            Some(body(&user_id(&app.db, MENTOR).await)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["tasks"][0]["kind"], "activity");
}

#[tokio::test]
async fn needs_stay_with_their_organisation_and_the_alignment_explains_itself() {
    let app = spawn().await;
    let coordinator = app.api_login(COORDINATOR).await;
    let roc = partner_id(&app, "ROC Rijnmond").await;
    let mine = app
        .api(Method::GET, "/api/v1/field-needs", Some(&coordinator), None)
        .await
        .json();
    let mine = mine.as_array().unwrap();
    assert!(!mine.is_empty());
    assert!(
        mine.iter().all(|n| n["partner_id"] == roc.as_str()),
        "never another partner's needs: {mine:?}"
    );
    let r = app
        .api(
            Method::POST,
            "/api/v1/field-needs",
            Some(&coordinator),
            Some(json!({"topic": "Arbeidsmarktinformatie voor niveau 4", "urgency": "high", "teachers": 6,
                "competences": ["counsellor-profile/labour-market-information"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["partner_id"], roc.as_str());
    // Not for another school.
    let tech = partner_id(&app, "Techniek College Utrecht").await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/field-needs",
            Some(&coordinator),
            Some(json!({"partner_id": tech, "topic": "X", "urgency": "low", "teachers": 1})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::POST,
            "/api/v1/field-needs",
            Some(&coordinator),
            Some(json!({"topic": "X", "urgency": "urgent", "teachers": 1, "competences": ["cp/none"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("urgency") && r.body.contains("competences"),
        "{}",
        r.body
    );
    let mentor = app.api_login(MENTOR).await;
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/field-needs",
            Some(&mentor),
            Some(json!({"topic": "X", "urgency": "low", "teachers": 1}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN,
        "mentors read their school's needs, coordinators submit them"
    );

    // The demo holds needs of every status; the new one is a gap (nothing covers it).
    let manager = app.api_login(MANAGER).await;
    let a = app
        .api(Method::GET, "/api/v1/alignment", Some(&manager), None)
        .await
        .json();
    let statuses: std::collections::BTreeSet<&str> = a["needs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["covered", "gap", "partial"].into_iter().collect()
    );
    let covered = a["needs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["status"] == "covered")
        .unwrap();
    assert!(!covered["covered_by"].as_array().unwrap().is_empty());
    // Adding an offer item that teaches labour-market information closes the gaps.
    let r = app
        .api(
            Method::POST,
            "/api/v1/offer",
            Some(&manager),
            Some(json!({"kind": "module", "title": "Arbeidsmarktinformatie in de klas",
                "competences": ["counsellor-profile/labour-market-information"],
                "sessions": [{"starts_at": "2027-03-01T13:00:00+01:00", "duration_minutes": 180, "location": "C1.01"}],
                "codesigners": [{"name": "Gert Jan Bos", "organisation": "Techniek College Utrecht"}]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = app
        .api(Method::GET, "/api/v1/alignment", Some(&manager), None)
        .await
        .json();
    assert!(
        a["needs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["status"] == "covered"),
        "{a}"
    );
    // A status by hand needs a reason, and wins.
    let mut b = app.browser().await;
    b.login(MANAGER, PASSWORD).await;
    b.get("/alignment").await;
    let need: String = sqlx::query_scalar("SELECT id FROM field_needs ORDER BY created_at LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let r = b
        .post(
            &format!("/field-needs/{need}/alignment"),
            &[("status", "partial"), ("reason", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = b
        .post(
            &format!("/field-needs/{need}/alignment"),
            &[("status", "partial"), ("reason", "Alleen voor niveau 4")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let a = app
        .api(Method::GET, "/api/v1/alignment", Some(&manager), None)
        .await
        .json();
    let row = a["needs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == need.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (row["status"].as_str(), row["derived"].as_str()),
        (Some("partial"), Some("covered"))
    );
    let csv = b.get("/alignment.csv").await;
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.contains("Deels gedekt"));
    // The triage is read by the partner.
    let r = b
        .post(
            &format!("/field-needs/{need}/triage"),
            &[
                ("status", "planned"),
                ("rationale", "In de module van maart."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let owner: String = sqlx::query_scalar(
        "SELECT p.name FROM field_needs n JOIN partners p ON p.id = n.partner_id WHERE n.id = $1",
    )
    .bind(&need)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    if owner == "ROC Rijnmond" {
        let mut c = app.browser().await;
        c.login(COORDINATOR, PASSWORD).await;
        assert!(
            c.get("/field-needs")
                .await
                .body
                .contains("In de module van maart.")
        );
    }
}

#[tokio::test]
async fn the_offer_enrols_and_evaluates_once() {
    let app = spawn().await;
    let mut m = app.browser().await;
    m.login(MENTOR_B, PASSWORD).await;
    let page = m.get("/offer").await;
    assert_eq!(page.status, StatusCode::OK);
    let course: String = sqlx::query_scalar("SELECT id FROM offer_items WHERE kind = 'course'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let module: String = sqlx::query_scalar("SELECT id FROM offer_items WHERE kind = 'module'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let r = m.post(&format!("/offer/{course}/enrol"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // The course's three sessions in one calendar file.
    let ics = m.get(&format!("/offer/{course}/calendar.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(ics.header("content-type").starts_with("text/calendar"));
    assert_eq!(ics.body.matches("BEGIN:VEVENT").count(), 3, "{}", ics.body);
    assert!(ics.body.contains("SUMMARY:Het loopbaangesprek in het mbo"));
    assert_eq!(ics.body.matches("UID:").count(), 3);
    let r = m.post(&format!("/offer/{course}/enrol"), &[]).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "enrolled already"
    );
    // The module has run and mentor2@ evaluated it in the demo: once only.
    let r = m
        .post(&format!("/offer/{module}/evaluation"), &[("rating", "5")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Someone not enrolled cannot evaluate.
    let mut s = app.browser().await;
    s.login("slb@demo.koers.test", PASSWORD).await;
    s.get("/offer").await;
    let r = s
        .post(&format!("/offer/{module}/evaluation"), &[("rating", "1")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Managers read enrolments and comments; students have no offer.
    let mut mg = app.browser().await;
    mg.login(MANAGER, PASSWORD).await;
    let page = mg.get(&format!("/offer/{module}")).await;
    assert!(page.body.contains("graag meer voorbeelden uit de techniek"));
    assert!(page.body.contains("Ruud Verhoeven"));
    let mut st = app.browser().await;
    st.login("student@demo.koers.test", PASSWORD).await;
    assert_eq!(st.get("/offer").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn coordinators_fill_in_the_field_survey_and_managers_record_agreements() {
    let app = spawn().await;
    let mut c = app.browser().await;
    c.login(COORDINATOR, PASSWORD).await;
    let page = c.get("/field-survey").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ROC Rijnmond"));
    let r = c
        .post(
            "/field-survey",
            &[("counsellor-profile/career-conversations", "7")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c
        .post(
            "/field-survey",
            &[
                ("counsellor-profile/career-conversations", "5"),
                ("counsellor-profile/labour-market-information", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = c.get("/field-survey").await;
    assert!(
        page.body.contains("value=\"5\" checked"),
        "the ratings stay"
    );
    let mut m = app.browser().await;
    m.login(MENTOR, PASSWORD).await;
    assert_eq!(m.get("/field-survey").await.status, StatusCode::FORBIDDEN);
    // The institute reads this year's survey beside the matrix.
    let mut mg = app.browser().await;
    mg.login(MANAGER, PASSWORD).await;
    let year = jiff::Zoned::now().date().year().to_string();
    assert!(mg.get("/alignment").await.body.contains(&year));

    // A partnership with its coordinators; a task added to a placement.
    let roc = partner_id(&app, "ROC Rijnmond").await;
    mg.get(&format!("/partners/{roc}")).await;
    let coordinator = user_id(&app.db, COORDINATOR).await;
    let r = mg
        .post(
            &format!("/partners/{roc}/partnerships"),
            &[
                ("starts_on", "2027-08-01"),
                ("ends_on", "2027-01-01"),
                ("school_coordinator", &coordinator),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "ends before it starts"
    );
    let r = mg
        .post(
            &format!("/partners/{roc}/partnerships"),
            &[
                ("starts_on", "2027-08-01"),
                ("ends_on", "2029-07-31"),
                ("school_coordinator", &coordinator),
                ("institute_coordinator", "slb2@demo.koers.test"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // slb2@ is now an institute coordinator and reads the school's placements.
    let slb2 = app.api_login("slb2@demo.koers.test").await;
    let seen = app
        .api(Method::GET, "/api/v1/placements", Some(&slb2), None)
        .await
        .json();
    assert_eq!(seen.as_array().unwrap().len(), 1);
    let placement = seen[0]["id"].as_str().unwrap().to_owned();
    mg.get(&format!("/placements/{placement}")).await;
    let r = mg
        .post(
            &format!("/placements/{placement}/tasks"),
            &[
                ("kind", "other"),
                ("title", "Reflectieverslag"),
                ("due_on", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = app
        .api(
            Method::GET,
            &format!("/api/v1/placements/{placement}"),
            Some(&slb2),
            None,
        )
        .await
        .json();
    assert_eq!(after["tasks"].as_array().unwrap().len(), 4);
}

/// A change and its audit line are committed together or not at all. With a fault injected
/// where the audit line is written (the database refuses the `offer.create` line), neither
/// the page nor the API leaves the offer item, its sessions or its co-designers behind; once
/// the fault is gone, the same request keeps all of them and the line.
#[tokio::test]
async fn a_change_is_kept_only_with_its_audit_line() {
    let app = spawn().await;
    let manager = app.api_login(MANAGER).await;
    let mut b = app.browser().await;
    b.login(MANAGER, PASSWORD).await;
    let inject: &[&str] = match app.db.backend() {
        koers_store::Backend::Sqlite => &[
            "CREATE TRIGGER refuse_offer_audit BEFORE INSERT ON audit_events \
             WHEN NEW.action = 'offer.create' BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
        ],
        koers_store::Backend::Postgres => &[
            "CREATE FUNCTION refuse_offer_audit() RETURNS trigger AS $$ BEGIN \
             IF NEW.action = 'offer.create' THEN RAISE EXCEPTION 'injected fault'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_offer_audit BEFORE INSERT ON audit_events \
             FOR EACH ROW EXECUTE FUNCTION refuse_offer_audit()",
        ],
    };
    for sql in inject {
        sqlx::query(sqlx::AssertSqlSafe(*sql))
            .execute(app.db.pool())
            .await
            .unwrap();
    }
    let counts = || {
        let pool = app.db.pool().clone();
        async move {
            let mut n = Vec::new();
            for sql in [
                "SELECT COUNT(*) FROM offer_items",
                "SELECT COUNT(*) FROM offer_sessions",
                "SELECT COUNT(*) FROM offer_people",
                "SELECT COUNT(*) FROM audit_events WHERE action = 'offer.create'",
            ] {
                let c: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .fetch_one(&pool)
                    .await
                    .unwrap();
                n.push(c);
            }
            n
        }
    };
    let before = counts().await;
    let body = json!({"kind": "course", "title": "Loopbaangesprekken voeren",
        "sessions": [{"starts_at": "2027-03-01T13:00:00+01:00", "duration_minutes": 90}],
        "codesigners": [{"name": "Gert Jan Bos", "organisation": "Techniek College Utrecht"}]});
    let post = || {
        app.api(
            Method::POST,
            "/api/v1/offer",
            Some(&manager),
            Some(body.clone()),
        )
    };
    let r = post().await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.body);
    let page = b
        .post(
            "/offer",
            &[
                ("kind", "course"),
                ("title", "Loopbaangesprekken voeren"),
                ("session_date", "2027-03-01"),
                ("session_time", "13:00"),
                ("session_duration", "90"),
                ("session_location", ""),
                ("codesigner_name", "Gert Jan Bos"),
                ("codesigner_org", "Techniek College Utrecht"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(counts().await, before, "nothing of the change was kept");

    let remove = match app.db.backend() {
        koers_store::Backend::Sqlite => "DROP TRIGGER refuse_offer_audit",
        koers_store::Backend::Postgres => "DROP TRIGGER refuse_offer_audit ON audit_events",
    };
    sqlx::query(sqlx::AssertSqlSafe(remove))
        .execute(app.db.pool())
        .await
        .unwrap();
    let r = post().await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let after = counts().await;
    let grown: Vec<i64> = after.iter().zip(&before).map(|(a, b)| a - b).collect();
    assert_eq!(
        grown,
        [1, 1, 1, 1],
        "the item, its session, its co-designer, its line"
    );
}
