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
