//! `koers backup` then `koers restore` yields identical data, on SQLite and (with
//! KOERS_TEST_POSTGRES_URL) on PostgreSQL; a damaged backup is refused and changes nothing.

use koers_store::Db;
use sqlx::{Column, Row};
use std::path::Path;
use std::process::Command;

fn koers(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(args)
        .env("KOERS_DEMO_PASSWORD", "koers-demo")
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = koers(args);
    assert!(
        out.status.success(),
        "koers {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every table's rows as sorted text, by table.
async fn contents(url: &str) -> Vec<(String, Vec<String>)> {
    let db = Db::connect(url).await.unwrap();
    let sql = match db.backend() {
        koers_store::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        koers_store::Backend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"
        }
    };
    let tables: Vec<(String,)> = sqlx::query_as(sql).fetch_all(db.pool()).await.unwrap();
    let mut out = Vec::new();
    for (t,) in tables {
        if t == "_sqlx_migrations" {
            // Its install times are PostgreSQL timestamps (not readable through Any): compare
            // which migrations were applied.
            let v: Vec<(i64,)> =
                sqlx::query_as("SELECT version FROM _sqlx_migrations ORDER BY version")
                    .fetch_all(db.pool())
                    .await
                    .unwrap();
            out.push((t, v.iter().map(|x| x.0.to_string()).collect()));
            continue;
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {t}")))
            .fetch_all(db.pool())
            .await
            .unwrap();
        let mut texts: Vec<String> = rows
            .iter()
            .map(|r| {
                (0..r.columns().len())
                    .map(|i| {
                        let name = r.columns()[i].name();
                        let v = if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
                            format!("{v:?}")
                        } else if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
                            format!("{v:?}")
                        } else if let Ok(v) = r.try_get::<Option<String>, _>(i) {
                            format!("{v:?}")
                        } else if let Ok(v) = r.try_get::<Option<Vec<u8>>, _>(i) {
                            format!("{v:?}")
                        } else if let Ok(v) = r.try_get::<Option<bool>, _>(i) {
                            format!("{v:?}")
                        } else {
                            "?".into()
                        };
                        format!("{name}={v}")
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        texts.sort();
        out.push((t, texts));
    }
    db.pool().close().await;
    out
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("koers-backup-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test]
async fn sqlite_round_trip_is_identical_and_a_damaged_file_is_refused() {
    let dir = temp_dir("sqlite");
    let (a, b) = (dir.join("a"), dir.join("b"));
    let file = dir.join("koers-backup.db");
    let (a_s, b_s, f_s) = (
        a.display().to_string(),
        b.display().to_string(),
        file.display().to_string(),
    );
    ok(&["--data-dir", &a_s, "demo", "--students", "60"]);
    let said = ok(&["--data-dir", &a_s, "backup", &f_s]);
    assert!(said.contains("checked: ok"), "{said}");
    // Not over an existing file without --force.
    assert!(
        !koers(&["--data-dir", &a_s, "backup", &f_s])
            .status
            .success()
    );
    ok(&["--data-dir", &b_s, "restore", &f_s]);
    let url = |d: &Path| format!("sqlite://{}", d.join("koers.db").display());
    let (x, y) = (contents(&url(&a)).await, contents(&url(&b)).await);
    assert!(
        x.iter().map(|t| t.1.len()).sum::<usize>() > 1000,
        "the demo has data"
    );
    assert_eq!(x, y, "restored data differ");
    // Not over an existing database without --force; a damaged backup changes nothing.
    assert!(
        !koers(&["--data-dir", &b_s, "restore", &f_s])
            .status
            .success()
    );
    let damaged = dir.join("damaged.db");
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    for byte in &mut bytes[mid..mid + 8192] {
        *byte = 0x5a;
    }
    std::fs::write(&damaged, bytes).unwrap();
    let out = koers(&[
        "--data-dir",
        &b_s,
        "restore",
        "--force",
        &damaged.display().to_string(),
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("damaged")
            || String::from_utf8_lossy(&out.stderr).contains("not")
    );
    assert_eq!(
        contents(&url(&b)).await,
        x,
        "the failed restore changed nothing"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn postgres_round_trip_is_identical() {
    let Ok(admin) = std::env::var("KOERS_TEST_POSTGRES_URL") else {
        eprintln!(
            "KOERS_TEST_POSTGRES_URL not set: the PostgreSQL round trip runs in scripts/test"
        );
        return;
    };
    let base = admin.split('?').next().unwrap();
    let base = &base[..base.rfind('/').unwrap()];
    let admin_db = Db::connect(&admin).await.unwrap();
    let id = std::process::id();
    let (a, b) = (
        format!("koers_backup_a_{id}"),
        format!("koers_backup_b_{id}"),
    );
    for n in [&a, &b] {
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {n}")))
            .execute(admin_db.pool())
            .await
            .unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {n}")))
            .execute(admin_db.pool())
            .await
            .unwrap();
    }
    let (ua, ub) = (format!("{base}/{a}"), format!("{base}/{b}"));
    let dir = temp_dir("pg");
    let file = dir.join("koers.dump").display().to_string();
    ok(&["--database-url", &ua, "demo", "--students", "60"]);
    ok(&["--database-url", &ua, "backup", &file]);
    ok(&["--database-url", &ub, "restore", &file]);
    let (x, y) = (contents(&ua).await, contents(&ub).await);
    assert!(x.iter().map(|t| t.1.len()).sum::<usize>() > 1000);
    assert_eq!(x, y, "restored data differ");
    for n in [&a, &b] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {n} WITH (FORCE)"
        )))
        .execute(admin_db.pool())
        .await
        .unwrap();
    }
    std::fs::remove_dir_all(dir).ok();
}
