//! Staff career development: the development plan (API and pages), staff career conversations
//! on the shared conversation model, employee self-assessments, appraisal records, teams and
//! the team report, the improvement plan and recruitment records.

use crate::support::*;
use axum::http::{Method, StatusCode};
use serde_json::json;

const EMPLOYEE: &str = "medewerker@demo.koers.test";
const MANAGER: &str = "manager@demo.koers.test";
const HR: &str = "hr@demo.koers.test";

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = $1")
        .bind(action)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_development_plan_through_the_api() {
    let app = spawn().await;
    let me = user_id(&app.db, EMPLOYEE).await;
    let path = format!("/api/v1/employees/{me}/development-plan");
    let own = app.api_login(EMPLOYEE).await;
    let plan = app.api(Method::GET, &path, Some(&own), None).await;
    assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
    let plan = plan.json();
    assert_eq!(plan["status"], "draft", "the demo plan is a draft");
    assert_eq!(plan["up_to_date"], false);

    let body = json!({
        "ambition": "Studieloopbaanbegeleider worden",
        "goals": [
            {"title": "Loopbaangesprekken voeren", "competences": ["counsellor-profile/career-conversations", "career-competencies/networking"], "due_on": "2027-06-30"},
            {"title": "Netwerk in het mbo", "status": "doing"}
        ],
        "activities": [{"title": "Training loopbaangesprek", "goal_index": 0, "hours": 8, "due_on": "2027-02-01"}]
    });
    let r = app
        .api(Method::PUT, &path, Some(&own), Some(body.clone()))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let saved = r.json();
    assert_eq!(saved["ambition"], "Studieloopbaanbegeleider worden");
    assert_eq!(saved["goals"].as_array().unwrap().len(), 2);
    assert_eq!(saved["goals"][1]["status"], "doing");
    assert_eq!(saved["activities"][0]["goal_index"], 0);
    let goal_id = saved["goals"][0]["id"].as_str().unwrap().to_owned();

    // Progress on the first goal survives a PUT that names the goal by id.
    let mut b = app.browser().await;
    b.login(EMPLOYEE, PASSWORD).await;
    b.get(&format!("/employees/{me}")).await;
    let r = b
        .post(
            &format!("/employees/{me}/progress"),
            &[
                ("goal", &goal_id),
                ("note", "Twee oefengesprekken"),
                ("link", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let keep = json!({
        "ambition": "Studieloopbaanbegeleider worden",
        "goals": [{"id": goal_id, "title": "Loopbaangesprekken voeren (bijgesteld)", "status": "doing"}]
    });
    let r = app.api(Method::PUT, &path, Some(&own), Some(keep)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let kept = r.json();
    assert_eq!(kept["goals"][0]["id"], goal_id.as_str());
    assert_eq!(
        kept["goals"].as_array().unwrap().len(),
        1,
        "left out = removed"
    );
    assert_eq!(kept["activities"], json!([]));
    assert_eq!(kept["progress"][0]["note"], "Twee oefengesprekken");

    // Bad input: clear errors, nothing lost.
    for (bad, field) in [
        (
            json!({"goals": [{"title": "X", "competences": ["career-competencies/flying"]}]}),
            "competences",
        ),
        (
            json!({"goals": [{"title": "X"}], "activities": [{"title": "Y", "goal_index": 1}]}),
            "activities",
        ),
        (json!({"goals": [{"title": " "}]}), "goals"),
        (
            json!({"goals": [{"title": "X", "due_on": "31-12-2026"}]}),
            "goals",
        ),
    ] {
        let r = app.api(Method::PUT, &path, Some(&own), Some(bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains(field), "{}", r.body);
    }
    let still = app.api(Method::GET, &path, Some(&own), None).await.json();
    assert_eq!(still["goals"][0]["id"], goal_id.as_str());

    // The line manager reads and writes; HR reads (audit-logged); colleagues and students do not.
    let manager = app.api_login(MANAGER).await;
    assert_eq!(
        app.api(Method::GET, &path, Some(&manager), None)
            .await
            .status,
        StatusCode::OK
    );
    let before = audit_count(&app, "development_plan.read").await;
    let hr = app.api_login(HR).await;
    assert_eq!(
        app.api(Method::GET, &path, Some(&hr), None).await.status,
        StatusCode::OK
    );
    assert_eq!(audit_count(&app, "development_plan.read").await, before + 1);
    assert_eq!(
        app.api(Method::PUT, &path, Some(&hr), Some(json!({})))
            .await
            .status,
        StatusCode::FORBIDDEN,
        "HR reads, it does not write someone's plan"
    );
    for who in [
        "slb@demo.koers.test",
        "docent@demo.koers.test",
        "student@demo.koers.test",
    ] {
        let token = app.api_login(who).await;
        assert_eq!(
            app.api(Method::GET, &path, Some(&token), None).await.status,
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    // A student is no employee.
    let zoe = user_id(&app.db, "student@demo.koers.test").await;
    assert_eq!(
        app.api(
            Method::GET,
            &format!("/api/v1/employees/{zoe}/development-plan"),
            Some(&hr),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn employees_take_the_students_self_assessment() {
    let app = spawn().await;
    let me = user_id(&app.db, EMPLOYEE).await;
    let own = app.api_login(EMPLOYEE).await;
    let items = app
        .api(
            Method::GET,
            "/api/v1/instruments/career-competencies",
            Some(&own),
            None,
        )
        .await
        .json();
    let answers: serde_json::Map<String, serde_json::Value> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap().to_owned(), json!(4)))
        .collect();
    let path = format!("/api/v1/employees/{me}/self-assessments");
    let r = app
        .api(
            Method::POST,
            &path,
            Some(&own),
            Some(json!({"answers": answers})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let a = r.json();
    assert_eq!(a["phase"], serde_json::Value::Null);
    assert_eq!(a["scores"]["networking"], 4.0);
    let r = app
        .api(
            Method::POST,
            &path,
            Some(&own),
            Some(json!({"answers": answers, "phase": "intake"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let manager = app.api_login(MANAGER).await;
    assert_eq!(
        app.api(
            Method::POST,
            &path,
            Some(&manager),
            Some(json!({"answers": answers}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN,
        "nobody fills it in for someone else"
    );
    // The growth shows on the employee's page (the demo has none for medewerker@ before).
    let mut b = app.browser().await;
    b.login(EMPLOYEE, PASSWORD).await;
    let page = b.get(&format!("/employees/{me}")).await;
    assert!(page.body.contains("growth-title"), "the chart is there");
    // The home page invites to the open scan round and asks to bring the draft plan up to date.
    let home = b.get("/home").await;
    assert!(
        home.body.contains("Je bent uitgenodigd voor HRM-scan 2026"),
        "{}",
        home.body
    );
    assert!(home.body.contains("Je ontwikkelplan is niet actueel"));
}

#[tokio::test]
async fn a_career_conversation_with_the_line_manager() {
    let app = spawn().await;
    let me = user_id(&app.db, EMPLOYEE).await;
    let mut m = app.browser().await;
    m.login(MANAGER, PASSWORD).await;
    let page = m.get(&format!("/employees/{me}")).await;
    assert_eq!(page.status, StatusCode::OK);
    // Bad input keeps what was typed.
    let r = m
        .post(
            &format!("/employees/{me}/conversations"),
            &[
                ("date", "2027-13-01"),
                ("time", "10:00"),
                ("duration", "60"),
                ("location", "Kamer A1.05 bis"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Kamer A1.05 bis"));
    let r = m
        .post(
            &format!("/employees/{me}/conversations"),
            &[
                ("date", "2027-01-14"),
                ("time", "10:00"),
                ("duration", "60"),
                ("location", "Kamer A1.05"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let conv = r.location().split('?').next().unwrap().to_owned();
    assert!(conv.starts_with("/staff-conversations/"), "{conv}");
    let ics = m.get(&format!("{conv}/calendar.ics")).await;
    assert_eq!(ics.status, StatusCode::OK);
    assert!(ics.header("content-type").starts_with("text/calendar"));
    assert!(ics.body.contains("SUMMARY:Loopbaangesprek"), "{}", ics.body);
    assert!(ics.body.contains("DTSTART"), "{}", ics.body);

    let_it_take_place(&app.db, &conv).await;
    m.get(&conv).await;
    let r = m
        .post(
            &format!("{conv}/report"),
            &[
                ("summary", "Plan besproken; volgend jaar SLB-taken."),
                ("private_notes", "Let op werkdruk."),
                ("agreement", "Training loopbaangesprek volgen"),
                ("owner", "student"),
                ("due_on", "2027-03-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The employee reads the report and agreements, never the manager's private notes.
    let mut e = app.browser().await;
    e.login(EMPLOYEE, PASSWORD).await;
    let page = e.get(&conv).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("volgend jaar SLB-taken"));
    assert!(page.body.contains("Training loopbaangesprek volgen"));
    assert!(!page.body.contains("werkdruk"));
    // HR reads it, and that read is logged; a colleague does not.
    let before = audit_count(&app, "staff_conversation.read").await;
    let mut hr = app.browser().await;
    hr.login(HR, PASSWORD).await;
    assert_eq!(hr.get(&conv).await.status, StatusCode::OK);
    assert_eq!(
        audit_count(&app, "staff_conversation.read").await,
        before + 1
    );
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    assert_eq!(slb.get(&conv).await.status, StatusCode::FORBIDDEN);
    // A staff conversation is not reachable as a student conversation.
    let id = conv.trim_start_matches("/staff-conversations/");
    assert_eq!(
        m.get(&format!("/conversations/{id}")).await.status,
        StatusCode::NOT_FOUND
    );

    // The held conversation keeps an agreed plan up to date.
    let r = m.post(&format!("/employees/{me}/agree"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let token = app.api_login(EMPLOYEE).await;
    let plan = app
        .api(
            Method::GET,
            &format!("/api/v1/employees/{me}/development-plan"),
            Some(&token),
            None,
        )
        .await
        .json();
    assert_eq!(plan["status"], "agreed");
    assert_eq!(plan["up_to_date"], true);
}

#[tokio::test]
async fn appraisals_need_their_career_section_and_the_employee_comments() {
    let app = spawn().await;
    let me = user_id(&app.db, EMPLOYEE).await;
    let mut m = app.browser().await;
    m.login(MANAGER, PASSWORD).await;
    m.get(&format!("/employees/{me}")).await;
    let r = m
        .post(
            &format!("/employees/{me}/appraisals"),
            &[
                ("year", "2026"),
                ("performance", "Goed jaar, sterke lessen."),
                ("career_development", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Goed jaar, sterke lessen."), "form kept");
    let r = m
        .post(
            &format!("/employees/{me}/appraisals"),
            &[
                ("year", "2026"),
                ("performance", "Goed jaar."),
                ("career_development", "Volgende stap: SLB-taken erbij."),
                ("final", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // A final record stays as it is.
    let r = m
        .post(
            &format!("/employees/{me}/appraisals"),
            &[("year", "2026"), ("career_development", "Anders")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let id: String = sqlx::query_scalar("SELECT id FROM appraisals WHERE user_id = $1")
        .bind(&me)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let mut e = app.browser().await;
    e.login(EMPLOYEE, PASSWORD).await;
    let page = e.get(&format!("/employees/{me}")).await;
    assert!(page.body.contains("Volgende stap: SLB-taken erbij."));
    let r = e
        .post(
            &format!("/employees/{me}/appraisals/{id}/comment"),
            &[("comment", "Eens, graag in het voorjaar.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = m
        .post(
            &format!("/employees/{me}/appraisals/{id}/comment"),
            &[("comment", "Niet van mij")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let page = m.get(&format!("/employees/{me}")).await;
    assert!(page.body.contains("Eens, graag in het voorjaar."));
}

#[tokio::test]
async fn goals_link_competences_and_forms_keep_what_was_typed() {
    let app = spawn().await;
    let me = user_id(&app.db, EMPLOYEE).await;
    let mut e = app.browser().await;
    e.login(EMPLOYEE, PASSWORD).await;
    e.get(&format!("/employees/{me}")).await;
    let r = e
        .post(
            &format!("/employees/{me}/goals"),
            &[
                ("title", "Ontwerpen van LOB-activiteiten"),
                ("competence", "counsellor-profile/designing-activities"),
                ("due_on", "morgen"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Ontwerpen van LOB-activiteiten"));
    assert!(
        r.body
            .contains("value=\"counsellor-profile/designing-activities\" checked"),
        "the chosen competence stays chosen"
    );
    let r = e
        .post(
            &format!("/employees/{me}/goals"),
            &[
                ("title", "Ontwerpen van LOB-activiteiten"),
                ("competence", "counsellor-profile/designing-activities"),
                ("competence", "21st-century-skills/collaboration"),
                ("due_on", "2027-05-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = e.get(&format!("/employees/{me}")).await;
    assert!(
        page.body
            .contains("Loopbaangerichte leeractiviteiten ontwerpen")
    );
    // An agreement is the line manager's, never the employee's own.
    let r = e.post(&format!("/employees/{me}/agree"), &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn teams_and_the_team_report() {
    let app = spawn().await;
    // HR sees every team with figures; the CSV opens in Dutch Excel.
    let mut hr = app.browser().await;
    hr.login(HR, PASSWORD).await;
    let page = hr.get("/teams").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Team Economie") && page.body.contains("Team Zorg en Techniek"));
    assert!(page.body.contains("<svg"), "a chart");
    let csv = hr.get("/teams.csv").await;
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(
        csv.body
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("Team Economie;")
    );

    // A new team with a line manager who is no programme manager: they read their own team only.
    let r = hr
        .post(
            "/teams",
            &[
                ("name", "Team Onderzoek"),
                ("manager_email", "slb2@demo.koers.test"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = hr
        .post(
            "/teams",
            &[("name", "Team Onderzoek"), ("manager_email", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "name taken");
    let team: String = sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Team Onderzoek'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let r = hr
        .post(
            &format!("/teams/{team}/members"),
            &[("email", "docent@demo.koers.test")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = hr
        .post(
            &format!("/teams/{team}/members"),
            &[("email", "student@demo.koers.test")],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "students are no team members"
    );
    let mut lead = app.browser().await;
    lead.login("slb2@demo.koers.test", PASSWORD).await;
    let page = lead.get("/teams").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "a line manager reads the report"
    );
    assert!(page.body.contains("Team Onderzoek"));
    assert!(!page.body.contains("Team Economie"), "only their own team");
    // …and the plan of their team member, who moved from Team Economie.
    let docent = user_id(&app.db, "docent@demo.koers.test").await;
    assert_eq!(
        lead.get(&format!("/employees/{docent}")).await.status,
        StatusCode::OK
    );
    let mut m = app.browser().await;
    m.login(MANAGER, PASSWORD).await;
    assert_eq!(
        m.get(&format!("/employees/{docent}")).await.status,
        StatusCode::FORBIDDEN,
        "the former line manager no longer reads it"
    );
    let mut staff = app.browser().await;
    staff.login(EMPLOYEE, PASSWORD).await;
    assert_eq!(staff.get("/teams").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_improvement_plan_follows_a_scan_stage() {
    let app = spawn().await;
    let hr = app.api_login(HR).await;
    let round: String =
        sqlx::query_scalar("SELECT id FROM scan_rounds WHERE published_at IS NOT NULL LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let action = |stage: &str, items: serde_json::Value, owner: &str| {
        json!({
            "source": {"kind": "scan_stage", "round_id": round, "stage": stage},
            "title": "Loopbaangesprek in het inwerkprogramma",
            "items": items,
            "owner_email": owner,
            "due_on": "2026-01-31",
        })
    };
    let r = app
        .api(
            Method::POST,
            "/api/v1/improvement-actions",
            Some(&hr),
            Some(action(
                "appointment",
                json!(["app-pra-1"]),
                "medewerker@demo.koers.test",
            )),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let created = r.json();
    assert_eq!(created["status"], "planned");
    assert_eq!(created["overdue"], true, "its date has passed");
    let id = created["id"].as_str().unwrap().to_owned();
    for (bad, why) in [
        (
            action("appointment", json!(["rec-pra-1"]), ""),
            "an item of another stage",
        ),
        (
            action("appointment", json!([]), "student@demo.koers.test"),
            "a student as owner",
        ),
        (action("hiring", json!([]), ""), "an unknown stage"),
    ] {
        let r = app
            .api(
                Method::POST,
                "/api/v1/improvement-actions",
                Some(&hr),
                Some(bad),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{why}: {}",
            r.body
        );
    }
    // Programme managers keep actions for indicators, not for scan stages.
    let pm = app.api_login(MANAGER).await;
    let r = app
        .api(
            Method::POST,
            "/api/v1/improvement-actions",
            Some(&pm),
            Some(action("appointment", json!([]), "")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::POST,
            "/api/v1/improvement-actions",
            Some(&pm),
            Some(json!({"source": {"kind": "indicator", "key": "2026::intake_in_time"}, "title": "Intake eerder plannen"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    let list = app
        .api(
            Method::GET,
            &format!("/api/v1/improvement-actions?round={round}&open=true"),
            Some(&hr),
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let list = list.json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == id.as_str())
    );
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|a| a["source"]["round_id"] == round.as_str() && a["status"] != "done"),
        "{list}"
    );

    // The owner sees their own action and follows it up, but does not rewrite it.
    let owner = app.api_login(EMPLOYEE).await;
    let mine = app
        .api(
            Method::GET,
            "/api/v1/improvement-actions",
            Some(&owner),
            None,
        )
        .await
        .json();
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    let path = format!("/api/v1/improvement-actions/{id}");
    let update = |title: &str| {
        json!({"title": title, "items": ["app-pra-1"], "owner_email": EMPLOYEE,
            "due_on": "2026-01-31", "status": "done", "notes": "Staat in het inwerkprogramma."})
    };
    let r = app
        .api(
            Method::PUT,
            &path,
            Some(&owner),
            Some(update("Iets anders")),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .api(
            Method::PUT,
            &path,
            Some(&owner),
            Some(update("Loopbaangesprek in het inwerkprogramma")),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["overdue"], false, "done is never overdue");

    // The home page of HR lists the overdue demo action; the round page shows the plan.
    let mut b = app.browser().await;
    b.login(HR, PASSWORD).await;
    let home = b.get("/home").await;
    assert!(
        home.body
            .contains("Een alinea over loopbaanontwikkeling in elke vacaturetekst")
    );
    let page = b.get(&format!("/hrm-scan/{round}")).await;
    assert!(page.body.contains("Loopbaangesprek in het inwerkprogramma"));
    // In the browser, the form keeps what was typed.
    b.get("/improvement-actions").await;
    let r = b
        .post(
            "/improvement-actions",
            &[
                ("round", &round),
                ("stage", "guidance"),
                ("title", "Jaargesprek vernieuwen"),
                ("owner_email", "niemand@demo.koers.test"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Jaargesprek vernieuwen"));
}

#[tokio::test]
async fn recruitment_records_feed_the_practice_view() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login(HR, PASSWORD).await;
    let page = b.get("/hr-records").await;
    assert_eq!(page.status, StatusCode::OK);
    // The demo: 3 of 4 vacancies with career development in the text.
    assert!(page.body.contains("3 / 4"), "{}", page.body);
    let today = jiff::Zoned::now().date().to_string();
    let r = b
        .post(
            "/hr-records",
            &[
                ("kind", "vacancy"),
                ("title", "Docent Nederlands"),
                ("on_date", &today),
                ("in_text", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = b.get("/hr-records").await;
    assert!(page.body.contains("4 / 5"));
    let r = b
        .post(
            "/hr-records",
            &[
                ("kind", "appointment"),
                ("title", "Nieuwe collega"),
                ("on_date", "gisteren"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Nieuwe collega"), "form kept");
    let mut m = app.browser().await;
    m.login(MANAGER, PASSWORD).await;
    assert_eq!(m.get("/hr-records").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn scan_rounds_for_a_team_or_a_sample() {
    let app = spawn().await;
    let mut b = app.browser().await;
    b.login(HR, PASSWORD).await;
    b.get("/hrm-scan").await;
    let team: String =
        sqlx::query_scalar("SELECT id FROM teams WHERE name = 'Team Zorg en Techniek'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let r = b
        .post(
            "/hrm-scan",
            &[
                ("name", "Scan Zorg en Techniek"),
                ("respondents", "team"),
                ("team", &team),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let groups: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.email, i.respondent_group FROM scan_invitations i JOIN users u ON u.id = i.user_id \
         JOIN scan_rounds r ON r.id = i.round_id WHERE r.name = 'Scan Zorg en Techniek' ORDER BY u.email",
    )
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    // Six numbered employees and slb2@, with manager@ as their line manager.
    assert_eq!(groups.len(), 8, "{groups:?}");
    assert!(groups.contains(&("manager@demo.koers.test".into(), "manager".into())));
    assert!(groups.contains(&("medewerker07@demo.koers.test".into(), "staff".into())));

    let r = b
        .post(
            "/hrm-scan",
            &[
                ("name", "Steekproef"),
                ("respondents", "sample"),
                ("sample_size", "6"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM scan_invitations i JOIN scan_rounds r ON r.id = i.round_id WHERE r.name = 'Steekproef'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(n, 6);
    let r = b
        .post(
            "/hrm-scan",
            &[
                ("name", "Te klein"),
                ("respondents", "sample"),
                ("sample_size", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_scan_instrument_is_versioned_data() {
    let app = spawn().await;
    let hr = app.api_login(HR).await;
    let doc = app
        .api(Method::GET, "/api/v1/hrm-instrument", Some(&hr), None)
        .await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(
        doc.header("content-disposition")
            .contains("hrm-scan-2026.1.json")
    );
    let mut doc = doc.json();
    // Problems come back with their JSON pointers, and nothing is kept.
    let mut bad = doc.clone();
    bad["items"][3]["stage"] = json!("hiring");
    bad["version"] = json!("");
    let r = app
        .api(
            Method::POST,
            "/api/v1/hrm-instruments",
            Some(&hr),
            Some(bad),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("/items/3/stage") && r.body.contains("/version"),
        "{}",
        r.body
    );
    // The same version again is a conflict.
    let r = app
        .api(
            Method::POST,
            "/api/v1/hrm-instruments",
            Some(&hr),
            Some(doc.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    doc["version"] = json!("2027.1");
    doc["items"][0]["text"]["nl"] =
        json!("Ons wervingsbeleid noemt loopbaanontwikkeling met name.");
    let r = app
        .api(
            Method::POST,
            "/api/v1/hrm-instruments",
            Some(&hr),
            Some(doc),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["version"], "2027.1");

    // In the browser: edit a statement into a new version; rounds keep their version.
    let mut b = app.browser().await;
    b.login(HR, PASSWORD).await;
    let page = b.get("/hrm-scan/instrument").await;
    assert!(
        page.body
            .contains("Ons wervingsbeleid noemt loopbaanontwikkeling met name.")
    );
    assert!(
        page.body.contains("value=\"2027.2\""),
        "the next version is proposed"
    );
    let doc = app
        .api(Method::GET, "/api/v1/hrm-instrument", Some(&hr), None)
        .await
        .json();
    let mut fields: Vec<(String, String)> = vec![("version".into(), "2027.2".into())];
    for it in doc["items"].as_array().unwrap() {
        let key = it["key"].as_str().unwrap();
        let nl = if key == "gui-exp-1" {
            "Mijn leidinggevende vraagt elk jaar naar mijn volgende stap (aangepast)."
        } else {
            it["text"]["nl"].as_str().unwrap()
        };
        fields.push((format!("nl:{key}"), nl.into()));
        fields.push((
            format!("en:{key}"),
            it["text"]["en"].as_str().unwrap().into(),
        ));
    }
    // An empty Dutch text is refused and the typed texts stay.
    let mut empty = fields.clone();
    empty[1].1 = String::new();
    let view: Vec<(&str, &str)> = empty
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = b.post("/hrm-scan/instrument/edit", &view).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Mijn leidinggevende vraagt elk jaar naar mijn volgende stap (aangepast).")
    );
    let view: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = b.post("/hrm-scan/instrument/edit", &view).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let old_round: String =
        sqlx::query_scalar("SELECT id FROM scan_rounds WHERE published_at IS NOT NULL LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let q = app
        .api(
            Method::GET,
            &format!("/api/v1/hrm-scans/{old_round}/questionnaire"),
            Some(&hr),
            None,
        )
        .await;
    assert!(
        !q.body.contains("volgende stap (aangepast)"),
        "the old round keeps its version"
    );
    b.get("/hrm-scan").await;
    let r = b.post("/hrm-scan", &[("name", "Nieuwe ronde")]).await;
    let new_round = r.location().trim_start_matches("/hrm-scan/").to_owned();
    let q = app
        .api(
            Method::GET,
            &format!("/api/v1/hrm-scans/{new_round}/questionnaire"),
            Some(&hr),
            None,
        )
        .await;
    assert!(q.body.contains("volgende stap (aangepast)"), "{}", q.body);
    // Back to the shipped version.
    let shipped: String =
        sqlx::query_scalar("SELECT id FROM hrm_instruments WHERE origin = 'shipped' LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    b.get("/hrm-scan/instrument").await;
    let r = b
        .post(&format!("/hrm-scan/instrument/{shipped}/current"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let doc = app
        .api(Method::GET, "/api/v1/hrm-instrument", Some(&hr), None)
        .await
        .json();
    assert_eq!(doc["version"], "2026.1");
}
