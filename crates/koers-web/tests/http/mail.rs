//! Mail that is not about one conversation: the weekly digest of overdue agreements, for the
//! person and for their counsellor, once a week, and not for who turned it off.

use crate::support::*;
use axum::http::StatusCode;

async fn digests_to(app: &TestApp, email: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT subject, body FROM outbox WHERE kind = 'agreements_digest' AND to_email = $1",
    )
    .bind(email)
    .fetch_all(app.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn overdue_agreements_are_mailed_weekly_to_the_person_and_the_counsellor_unless_turned_off() {
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let zoe = user_id(&app.db, "student@demo.koers.test").await;
    sqlx::query(
        "INSERT INTO agreements (id, institution_id, person_id, description, owner, due_on, status, created_at, updated_at) \
         VALUES ($1, $2, $3, 'Vacatures bekijken bij drie mbo-scholen', 'student', '2020-01-06', 'open', 0, 0)",
    )
    .bind(koers_domain::new_id())
    .bind(&inst)
    .bind(&zoe)
    .execute(app.db.pool())
    .await
    .unwrap();
    let today = jiff::civil::date(2026, 12, 7);
    let sent = koers_web::notify::send_digests(&app.db, today)
        .await
        .unwrap();
    assert!(sent >= 2, "{sent}");
    let mine = digests_to(&app, "student@demo.koers.test").await;
    assert_eq!(mine.len(), 1);
    assert!(mine[0].0.contains("over de datum"), "{}", mine[0].0);
    assert!(
        mine[0]
            .1
            .contains("- Vacatures bekijken bij drie mbo-scholen (06-01-2020)"),
        "{}",
        mine[0].1
    );
    let counsellor = digests_to(&app, "slb@demo.koers.test").await;
    assert_eq!(counsellor.len(), 1);
    assert!(
        counsellor[0]
            .1
            .contains("Zoë van der Meer: Vacatures bekijken"),
        "{}",
        counsellor[0].1
    );
    // Not again within the week, also when asked twice; a week later again.
    assert_eq!(
        koers_web::notify::send_digests(&app.db, today)
            .await
            .unwrap(),
        0
    );
    let later = jiff::civil::date(2026, 12, 14);
    // Zoë turns it off on her account page.
    let mut b = app.browser().await;
    b.login("student@demo.koers.test", PASSWORD).await;
    assert!(
        b.get("/account")
            .await
            .body
            .contains("name=\"digest\" value=\"1\" checked")
    );
    let r = b.post("/account/digest", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        !b.get("/account")
            .await
            .body
            .contains("name=\"digest\" value=\"1\" checked")
    );
    koers_web::notify::send_digests(&app.db, later)
        .await
        .unwrap();
    assert_eq!(digests_to(&app, "student@demo.koers.test").await.len(), 1);
    assert_eq!(digests_to(&app, "slb@demo.koers.test").await.len(), 2);
    // The bell shows it too.
    let mut slb = app.browser().await;
    slb.login("slb@demo.koers.test", PASSWORD).await;
    assert!(
        slb.get("/notifications")
            .await
            .body
            .contains("over de datum")
    );
}
