//! Several Koers instances on one database: a background job's lease is held by one instance
//! at a time (sessions across instances: `web::sessions_live_in_the_database_across_instances`).

use crate::support::*;
use koers_store::platform::leases;

#[tokio::test]
async fn a_job_lease_is_held_by_one_instance_until_it_expires_or_is_released() {
    let app = spawn().await;
    let db = &app.db;
    let t0 = 1_000_000;
    assert!(
        leases::acquire_at(db, "housekeeping", "a", 60_000, t0)
            .await
            .unwrap()
    );
    assert!(
        !leases::acquire_at(db, "housekeeping", "b", 60_000, t0 + 1)
            .await
            .unwrap()
    );
    // The holder renews; another job is free.
    assert!(
        leases::acquire_at(db, "housekeeping", "a", 60_000, t0 + 30_000)
            .await
            .unwrap()
    );
    assert!(
        leases::acquire_at(db, "other", "b", 60_000, t0)
            .await
            .unwrap()
    );
    assert!(
        !leases::acquire_at(db, "housekeeping", "b", 60_000, t0 + 60_000)
            .await
            .unwrap()
    );
    // Expired: the other instance takes over, and the first one cannot take it back.
    assert!(
        leases::acquire_at(db, "housekeeping", "b", 60_000, t0 + 90_001)
            .await
            .unwrap()
    );
    assert!(
        !leases::acquire_at(db, "housekeeping", "a", 60_000, t0 + 90_002)
            .await
            .unwrap()
    );
    // Released at a stop: free at once.
    leases::release(db, "housekeeping", "b").await.unwrap();
    assert!(
        leases::acquire_at(db, "housekeeping", "a", 60_000, t0 + 90_003)
            .await
            .unwrap()
    );
}

/// Writers at the same moment (two users saving, an import and its audit line) wait their
/// turn: a transaction that reads and then writes must not fail with "database is locked"
/// on SQLite because another writer got there first.
#[tokio::test]
async fn concurrent_read_then_write_transactions_all_commit() {
    let app = spawn().await;
    let inst = demo_institution(&app.db).await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (db, inst) = (app.db.clone(), inst.clone());
        tasks.push(tokio::spawn(async move {
            let mut tx = db.begin().await.map_err(|e| e.to_string())?;
            let name: String = sqlx::query_scalar("SELECT name FROM institutions WHERE id = $1")
                .bind(&inst)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            sqlx::query("UPDATE institutions SET name = $1 WHERE id = $2")
                .bind(&name)
                .bind(&inst)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())
        }));
    }
    for t in tasks {
        t.await.unwrap().expect("every writer commits");
    }
}

/// When the database ends a transaction by itself (SQLite rolls back when a commit fails on a
/// full disk), the connection goes back to the pool and must not refuse every later write.
#[tokio::test]
async fn a_transaction_the_database_ended_itself_does_not_poison_the_pool() {
    let app = spawn().await;
    for _ in 0..3 {
        let mut tx = app.db.begin().await.unwrap();
        // The database's own rollback, behind sqlx's back.
        sqlx::query("ROLLBACK").execute(&mut *tx).await.unwrap();
        let _ = tx.commit().await;
    }
    // More transactions than the pool has connections: every one begins and commits.
    for i in 0..20 {
        let mut tx = app
            .db
            .begin()
            .await
            .unwrap_or_else(|e| panic!("transaction {i}: {e}"));
        sqlx::query("SELECT 1").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();
    }
}
