//! Privacy (AVG) and the audit log: the tamper-evident chain, who read my file, export,
//! erasure and retention.

use crate::support::*;
use axum::http::StatusCode;
use koers_store::Tenant;
use koers_store::platform::audit::{self, NewEvent};

#[tokio::test]
async fn the_audit_log_is_a_hash_chain_that_shows_tampering_and_survives_erasure() {
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let before = audit::verify(&app.db, Some(&inst)).await.unwrap();
    assert_eq!(before.broken_at, None);
    // Writers at the same time (as several instances would) make one chain, not forks.
    let mut tasks = Vec::new();
    for i in 0..24 {
        let db = app.db.clone();
        let inst = inst.clone();
        tasks.push(tokio::spawn(async move {
            audit::record(
                &db,
                NewEvent {
                    institution_id: Some(&inst),
                    actor_email: Some("x@demo.koers.test"),
                    action: "test.event",
                    details: serde_json::json!({ "n": i }),
                    ip: Some("10.1.2.3"),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let r = audit::verify(&app.db, Some(&inst)).await.unwrap();
    assert_eq!(r.events, before.events + 24);
    assert_eq!(r.broken_at, None);
    assert_eq!(r.personal_mismatches, 0);

    let exec = |sql: String| {
        let db = app.db.clone();
        async move {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(db.pool())
                .await
                .unwrap();
        }
    };
    // Changing a personal field is seen (its salted hash no longer matches).
    let third = before.events + 3;
    exec(format!(
        "UPDATE audit_events SET ip = '10.9.9.9' WHERE institution_id = '{inst}' AND seq = {third}"
    ))
    .await;
    let r = audit::verify(&app.db, Some(&inst)).await.unwrap();
    assert_eq!((r.broken_at, r.personal_mismatches), (None, 1));
    // Changing what happened breaks the chain from that event on.
    let fifth = before.events + 5;
    exec(format!(
        "UPDATE audit_events SET action = 'test.innocent' WHERE institution_id = '{inst}' AND seq = {fifth}"
    ))
    .await;
    assert_eq!(
        audit::verify(&app.db, Some(&inst)).await.unwrap().broken_at,
        Some(fifth)
    );
    exec(format!(
        "UPDATE audit_events SET action = 'test.event' WHERE institution_id = '{inst}' AND seq = {fifth}"
    ))
    .await;
    assert_eq!(
        audit::verify(&app.db, Some(&inst)).await.unwrap().broken_at,
        None
    );
    // Removing an event, or the last one, is seen too.
    let last = before.events + 24;
    exec(format!(
        "DELETE FROM audit_events WHERE institution_id = '{inst}' AND seq = {last}"
    ))
    .await;
    assert_eq!(
        audit::verify(&app.db, Some(&inst)).await.unwrap().broken_at,
        Some(last)
    );
    let tenth = before.events + 10;
    exec(format!(
        "DELETE FROM audit_events WHERE institution_id = '{inst}' AND seq = {tenth}"
    ))
    .await;
    assert_eq!(
        audit::verify(&app.db, Some(&inst)).await.unwrap().broken_at,
        Some(tenth)
    );
    // The other institution's chain is its own and intact.
    let (other,): (String,) =
        sqlx::query_as("SELECT id FROM institutions WHERE id <> $1 ORDER BY id LIMIT 1")
            .bind(&inst)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        audit::verify(&app.db, Some(&other))
            .await
            .unwrap()
            .broken_at,
        None
    );
}

#[tokio::test]
async fn erasing_personal_fields_keeps_the_chain_whole() {
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let mut b = app.browser().await;
    // Logins and failures of the counsellor make events with address and details.
    b.login("slb@demo.koers.test", "verkeerd-wachtwoord").await;
    b.login("slb@demo.koers.test", PASSWORD).await;
    assert_eq!(b.get("/home").await.status, StatusCode::OK);
    let slb = user_id(&app.db, "slb@demo.koers.test").await;
    let t = Tenant::new(&app.db, &inst);
    let n = audit::erase_personal_fields(t, &slb).await.unwrap();
    assert!(n >= 2);
    let (left,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_events WHERE actor_id = $1 AND (actor_email IS NOT NULL OR ip IS NOT NULL)",
    )
    .bind(&slb)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(left, 0);
    let r = audit::verify(&app.db, Some(&inst)).await.unwrap();
    assert_eq!((r.broken_at, r.personal_mismatches), (None, 0));
    // Administrators check it from the audit page.
    let mut admin = app.browser().await;
    admin.login("beheerder@demo.koers.test", PASSWORD).await;
    let page = admin.get("/admin/audit?verify=1").await;
    assert!(page.body.contains("id=\"audit-chain\""), "{}", page.body);
    assert!(page.body.contains("onveranderd"));
}
