//! The personal calendar feed: one address per person with a secret token, every conversation
//! they take part in, renewable and revocable.

use crate::support::*;
use axum::http::{Method, StatusCode};

#[tokio::test]
async fn a_personal_calendar_feed_is_made_read_renewed_and_stopped() {
    let app = spawn().await;
    let student = app.api_login("student@demo.koers.test").await;
    let r = app
        .api(
            Method::GET,
            "/api/v1/me/calendar-feed",
            Some(&student),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let url = r.json()["url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("http://localhost/calendar/") && url.ends_with(".ics"),
        "{url}"
    );
    // The same address on a second request.
    let again = app
        .api(
            Method::GET,
            "/api/v1/me/calendar-feed",
            Some(&student),
            None,
        )
        .await
        .json();
    assert_eq!(again["url"], url.as_str());
    let path = url.trim_start_matches("http://localhost").to_owned();
    // No login needed: the token is the key.
    let feed = app.api(Method::GET, &path, None, None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.header("content-type").starts_with("text/calendar"));
    assert!(feed.body.contains("BEGIN:VTIMEZONE") && feed.body.contains("TZID:Europe/Amsterdam"));
    let events = feed.body.matches("BEGIN:VEVENT").count();
    assert!(events >= 2, "Zoë's conversations: {events}");
    assert!(!feed.body.contains("private"), "no private notes in a feed");
    // The counsellor's feed holds the conversations they guide.
    let slb = app.api_login("slb@demo.koers.test").await;
    let slb_url = app
        .api(Method::GET, "/api/v1/me/calendar-feed", Some(&slb), None)
        .await
        .json()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(slb_url, url);
    let slb_feed = app
        .api(
            Method::GET,
            slb_url.trim_start_matches("http://localhost"),
            None,
            None,
        )
        .await;
    assert!(slb_feed.body.matches("BEGIN:VEVENT").count() > events);

    // Renewing in the browser stops the old address; stopping ends the feed.
    let mut b = app.browser().await;
    b.login("student@demo.koers.test", PASSWORD).await;
    let account = b.get("/account").await;
    assert!(
        account.body.contains(&url),
        "the account page shows the address"
    );
    assert_eq!(
        b.post("/account/calendar-feed", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.api(Method::GET, &path, None, None).await.status,
        StatusCode::NOT_FOUND
    );
    let renewed = app
        .api(
            Method::GET,
            "/api/v1/me/calendar-feed",
            Some(&student),
            None,
        )
        .await
        .json()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(renewed, url);
    assert_eq!(
        b.post("/account/calendar-feed/revoke", &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.api(
            Method::GET,
            renewed.trim_start_matches("http://localhost"),
            None,
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert!(
        b.get("/account")
            .await
            .body
            .contains("/account/calendar-feed")
    );
    for bad in [
        "/calendar/x.ics",
        "/calendar/..%2F..%2Fetc.ics",
        "/calendar/",
    ] {
        let s = app.api(Method::GET, bad, None, None).await.status;
        assert_eq!(s, StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn a_planned_conversation_rings_the_bell_and_waits_in_the_outbox() {
    let app = spawn().await;
    let slb = app.api_login("slb@demo.koers.test").await;
    let zoe = app.api_login("student@demo.koers.test").await;
    let me = app
        .api(Method::GET, "/api/v1/me", Some(&zoe), None)
        .await
        .json();
    let student_id = me["student_id"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("{me}"));
    let mut b = app.browser().await;
    b.login("student@demo.koers.test", PASSWORD).await;
    let before = b.get("/notifications").await;
    assert!(before.body.contains("nog geen meldingen"));
    let r = app
        .api(
            Method::POST,
            "/api/v1/conversations",
            Some(&slb),
            Some(serde_json::json!({
                "student_id": student_id, "phase": "progress",
                "starts_at": "2030-03-05T10:00:00+01:00", "duration_minutes": 45,
                "location": "Lokaal B2.14"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let page = b.get("/notifications").await;
    assert!(
        page.body.contains("Loopbaangesprek gepland op 05-03-2030"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains(r#"<span class="badge">1<span class="visually-hidden"> ongelezen"#),
        "the bell counts one unread"
    );
    // Opening it marks it read and goes to the conversation.
    let id = page
        .body
        .split(r#"name="id" value=""#)
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let cid = r.json()["id"].as_str().unwrap().to_owned();
    let open = b
        .post(
            "/notifications/read",
            &[("id", &id), ("next", &format!("/conversations/{cid}"))],
        )
        .await;
    assert_eq!(open.location(), format!("/conversations/{cid}"));
    assert!(
        !b.get("/notifications")
            .await
            .body
            .contains(r#"class="unread""#)
    );
    // Without a mail server the message waits in the outbox, with the calendar file.
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let outbox = admin.get("/admin/outbox").await;
    assert_eq!(outbox.status, StatusCode::OK);
    assert!(outbox.body.contains("student@demo.koers.test"));
    assert!(outbox.body.contains("met agendabijlage"));
    let ics: String =
        sqlx::query_scalar("SELECT ics FROM outbox WHERE to_email = 'student@demo.koers.test'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains("TZID:Europe/Amsterdam"));
    let mut other = app.browser().await;
    other.login("slb@demo.koers.test", PASSWORD).await;
    assert_eq!(
        other.get("/admin/outbox").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn reminders_go_out_once_a_day_before() {
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let zoe = user_id(&app.db, "student@demo.koers.test").await;
    let slb = user_id(&app.db, "slb@demo.koers.test").await;
    let now = koers_store::now_ms();
    // Whatever the demo has due now goes out first.
    koers_web::notify::send_reminders(&app.db, now)
        .await
        .unwrap();
    let plan = |hours: i64| koers_store::guidance::conversations::NewConversation {
        context: koers_domain::guidance::conversation::Context::Student,
        person_id: &zoe,
        guide_id: Some(&slb),
        phase: Some(koers_domain::guidance::Phase::Progress),
        status: koers_domain::guidance::ConversationStatus::Planned,
        origin: koers_domain::guidance::conversation::Origin::Scheduled,
        starts_at: Some(now + hours * 3_600_000),
        duration_minutes: 30,
        location: "",
        question: "",
        created_by: &slb,
    };
    koers_store::guidance::conversations::create(t, plan(20))
        .await
        .unwrap();
    koers_store::guidance::conversations::create(t, plan(30))
        .await
        .unwrap();
    let count = || async {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM notifications WHERE kind = 'conversation_reminder' AND user_id = $1",
        )
        .bind(&zoe)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
    };
    let before = count().await;
    assert_eq!(
        koers_web::notify::send_reminders(&app.db, now)
            .await
            .unwrap(),
        1,
        "only the one within a day"
    );
    assert_eq!(
        koers_web::notify::send_reminders(&app.db, now)
            .await
            .unwrap(),
        0,
        "once"
    );
    assert_eq!(count().await, before + 1);
    let mail: String = sqlx::query_scalar(
        "SELECT subject FROM outbox WHERE kind = 'conversation_reminder' AND to_email = 'student@demo.koers.test' \
         ORDER BY created_at DESC LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert!(
        mail.starts_with("Herinnering: loopbaangesprek op"),
        "{mail}"
    );
    // Ten hours later the second one is within a day.
    assert_eq!(
        koers_web::notify::send_reminders(&app.db, now + 10 * 3_600_000)
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn the_outbox_is_claimed_sent_and_retried_at_most_five_times() {
    use koers_store::platform::notifications::{
        self, Mail, NewNotification, claim_pending, mark_sent,
    };
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let zoe = user_id(&app.db, "student@demo.koers.test").await;
    // Whatever the demo queued is sent first.
    for m in claim_pending(&app.db, 1000, 5).await.unwrap() {
        mark_sent(&app.db, &m.id, None).await.unwrap();
    }
    notifications::create(
        t,
        &NewNotification {
            user_id: &zoe,
            kind: "test",
            title: "Titel",
            body: "Tekst",
            link: "",
            mail: Some(Mail {
                to_email: "student@demo.koers.test",
                to_name: "Zoë",
                subject: "Onderwerp",
                body: "Tekst",
                ics: None,
            }),
        },
    )
    .await
    .unwrap();
    // A failing server: tried five times, the error kept, then left alone.
    for attempt in 1..=5 {
        let got = claim_pending(&app.db, 10, 5).await.unwrap();
        assert_eq!(got.len(), 1, "attempt {attempt}");
        mark_sent(&app.db, &got[0].id, Some("connection refused"))
            .await
            .unwrap();
    }
    assert!(claim_pending(&app.db, 10, 5).await.unwrap().is_empty());
    let (attempts, error): (i64, String) =
        sqlx::query_as("SELECT attempts, last_error FROM outbox WHERE subject = 'Onderwerp'")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!((attempts, error.as_str()), (5, "connection refused"));
    // Another mail goes out at the first try and is not claimed again.
    notifications::create(
        t,
        &NewNotification {
            user_id: &zoe,
            kind: "test",
            title: "Twee",
            body: "",
            link: "",
            mail: Some(Mail {
                to_email: "student@demo.koers.test",
                to_name: "",
                subject: "Twee",
                body: "Tekst",
                ics: None,
            }),
        },
    )
    .await
    .unwrap();
    let got = claim_pending(&app.db, 10, 5).await.unwrap();
    assert_eq!(got.len(), 1);
    mark_sent(&app.db, &got[0].id, None).await.unwrap();
    assert!(claim_pending(&app.db, 10, 5).await.unwrap().is_empty());
}
