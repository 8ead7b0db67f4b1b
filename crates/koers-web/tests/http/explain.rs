//! The hot queries use their indexes, on SQLite and on PostgreSQL: the one-person pages (the
//! session, the student's own records, a counsellor's caseload, the bell) and the kept
//! aggregates (indicator values). On PostgreSQL sequential scans are switched off for the
//! check, so a plan without a usable index shows as one (tiny test tables would otherwise
//! make a sequential scan the cheaper plan whatever the indexes).

use crate::support::*;
use koers_store::Backend;
use sqlx::Row;

/// (what, query, the index that must serve it on SQLite, on PostgreSQL). `$1`… are bound to
/// the demo institution's id (`institution_id`) and Zoë's account id (the rest). Primary keys and UNIQUE columns have automatic indexes with these names.
const HOT: &[(&str, &str, &str, &str)] = &[
    (
        "session by token",
        "SELECT user_id FROM sessions WHERE token_hash = $1",
        "sqlite_autoindex_sessions",
        "sessions_pkey",
    ),
    (
        "a user's roles",
        "SELECT role FROM role_assignments WHERE user_id = $1 AND institution_id = $2",
        "role_assignments_by_user",
        "role_assignments_by_user",
    ),
    (
        "the student record of a user",
        "SELECT id FROM students WHERE user_id = $1",
        "sqlite_autoindex_students",
        "students_user_id_key",
    ),
    (
        "a counsellor's caseload",
        "SELECT id FROM students WHERE counsellor_id = $1",
        "students_by_counsellor",
        "students_by_counsellor",
    ),
    (
        "a person's conversations",
        "SELECT id FROM conversations WHERE institution_id = $1 AND person_id = $2 ORDER BY starts_at",
        "conversations_by_person",
        "conversations_by_person",
    ),
    (
        // Without statistics SQLite once joined these through the reminders' index.
        "a person's held conversations (indicator values)",
        "SELECT MIN(starts_at) FROM conversations WHERE institution_id = $1 AND person_id = $2 \
         AND context = 'student' AND status = 'held' AND starts_at < 9999999999999",
        "conversations_by_person",
        "conversations_by_person",
    ),
    (
        "conversations due for a reminder",
        "SELECT id FROM conversations WHERE status = 'planned' AND starts_at >= 0 \
         AND starts_at < 9999999999999 AND reminded_at IS NULL",
        "conversations_planned_at",
        "conversations_planned_at",
    ),
    (
        "the responses of a scan round",
        "SELECT answers FROM scan_responses WHERE institution_id = $1 AND round_id = $2",
        "scan_responses_by_round",
        "scan_responses_by_round",
    ),
    (
        "a person's open agreements",
        "SELECT id FROM agreements WHERE institution_id = $1 AND person_id = $2 AND status = 'open'",
        "agreements_by_person",
        "agreements_by_person",
    ),
    (
        "unread notifications",
        "SELECT COUNT(*) FROM notifications WHERE institution_id = $1 AND user_id = $2 AND read_at IS NULL",
        "notifications_by_user",
        "notifications_by_user",
    ),
    (
        "a person's evidence",
        "SELECT id FROM evidence WHERE institution_id = $1 AND person_id = $2",
        "evidence_by_person",
        "evidence_by_person",
    ),
    (
        "a person's credentials",
        "SELECT id FROM credentials WHERE institution_id = $1 AND person_id = $2 ORDER BY issued_at DESC",
        "credentials_by_person",
        "credentials_by_person",
    ),
    (
        "a year's indicator values",
        "SELECT indicator, numerator FROM indicator_values WHERE institution_id = $1 AND year = 2026",
        "sqlite_autoindex_indicator_values",
        "indicator_values_pkey",
    ),
];

#[tokio::test]
async fn the_hot_queries_use_their_indexes() {
    let app = spawn().await;
    let institution = demo_institution(&app.db).await;
    let zoe = user_id(&app.db, "student@demo.koers.test").await;
    let mut conn = app.db.pool().acquire().await.unwrap();
    let postgres = app.db.backend() == Backend::Postgres;
    // PostgreSQL plans with statistics (as in production). SQLite without them plans as for
    // large tables, which is what this checks; with the tiny test tables' statistics it would
    // rightly scan them.
    if postgres {
        sqlx::query("ANALYZE").execute(&mut *conn).await.unwrap();
    } else {
        // The demo seeding gathered statistics of its tiny tables: forget them (and reload,
        // so this connection plans without them).
        sqlx::query("DELETE FROM sqlite_stat1")
            .execute(&mut *conn)
            .await
            .unwrap();
        sqlx::query("ANALYZE sqlite_schema")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let binds = |sql: &str| -> Vec<String> {
        // institution_id is always the first parameter when a query has it.
        let n = sql.matches('$').count();
        if sql.contains("institution_id = $1") {
            let mut v = vec![institution.clone()];
            v.extend(std::iter::repeat_n(zoe.clone(), n - 1));
            v
        } else if sql.contains("institution_id = $2") {
            vec![zoe.clone(), institution.clone()]
        } else {
            vec![zoe.clone(); n]
        }
    };
    if postgres {
        sqlx::query("SET enable_seqscan = off")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let mut problems = Vec::new();
    for (what, sql, sqlite_index, pg_index) in HOT {
        let index = if postgres { pg_index } else { sqlite_index };
        let text = plan(&mut conn, postgres, sql, &binds(sql)).await;
        if !uses(&text, postgres, index) {
            problems.push(format!("{what}: {text}"));
        }
    }
    // The check can fail: a query no index serves is caught.
    let unindexed = plan(
        &mut conn,
        postgres,
        "SELECT id FROM students WHERE given_name = $1",
        &[String::from("Zoë")],
    )
    .await;
    assert!(
        !uses(&unindexed, postgres, "students_by_counsellor"),
        "the negative control should not pass: {unindexed}"
    );
    assert!(
        problems.is_empty(),
        "queries without their index:\n{}",
        problems.join("\n")
    );
}

async fn plan(
    conn: &mut sqlx::AnyConnection,
    postgres: bool,
    sql: &str,
    binds: &[String],
) -> String {
    let explain = if postgres {
        format!("EXPLAIN {sql}")
    } else {
        format!("EXPLAIN QUERY PLAN {sql}")
    };
    let mut q = sqlx::query(sqlx::AssertSqlSafe(explain));
    for b in binds {
        q = q.bind(b.as_str());
    }
    let rows = q.fetch_all(&mut *conn).await.unwrap();
    // SQLite: (id, parent, notused, detail); PostgreSQL: one line of the plan per row.
    rows.iter()
        .map(|r| {
            if postgres {
                r.try_get::<String, _>(0).unwrap()
            } else {
                r.try_get::<String, _>(3).unwrap()
            }
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Whether the plan reads through `index` and scans no table whole.
fn uses(plan: &str, postgres: bool, index: &str) -> bool {
    if postgres {
        // "Index Scan using X on t", "Index Only Scan using X on t", "Bitmap Index Scan on X".
        !plan.contains("Seq Scan")
            && (plan.contains(&format!("using {index} on "))
                || plan.contains(&format!("Bitmap Index Scan on {index} ")))
    } else {
        !plan.contains("SCAN ") && plan.contains(&format!("INDEX {index}"))
    }
}
