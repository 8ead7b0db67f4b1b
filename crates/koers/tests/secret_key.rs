//! A backup restored without its secret key: `koers serve` (and every command that opens the
//! database) refuses and names the way out; `koers secret-key reset` asks for confirmation,
//! forgets every second factor, writes a new key, ends every session and records it; then
//! Koers starts again.

use koers_store::platform::{second_factor, sessions, users};
use koers_store::sealing::SealingKey;
use koers_store::{Db, Tenant};
use std::io::Write;
use std::process::{Command, Stdio};

fn koers(args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(args)
        .env("KOERS_DEMO_PASSWORD", "koers-demo")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_lost_key_is_replaced_deliberately_and_everyone_sets_up_their_second_factor_again() {
    let dir = std::env::temp_dir().join(format!("koers-key-reset-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.display().to_string();
    let (ok, _, err) = koers(&["--data-dir", &data, "demo", "--students", "20"], "");
    assert!(ok, "{err}");
    let key_file = dir.join("secret.key");

    // Someone with a second factor and an open session.
    let url = format!("sqlite://{}", dir.join("koers.db").display());
    let key = SealingKey::load(&key_file).unwrap().unwrap();
    let db = Db::connect(&url).await.unwrap().with_sealing_key(key);
    let account = users::find_for_login(&db, "slb@demo.koers.test")
        .await
        .unwrap()
        .unwrap();
    let t = Tenant::new(&db, &account.institution_id);
    second_factor::begin(t, &account.id).await.unwrap();
    second_factor::confirm(t, &account.id, 1, &["abcd-efgh".into()])
        .await
        .unwrap();
    sessions::create(t, &account.id, sessions::Kind::Web)
        .await
        .unwrap();
    db.pool().close().await;

    // The key is lost: Koers refuses, and says what to do.
    std::fs::remove_file(&key_file).unwrap();
    let (ok, _, err) = koers(&["--data-dir", &data, "migrate"], "");
    assert!(!ok);
    assert!(err.contains("koers secret-key reset"), "{err}");
    assert!(!key_file.exists(), "no stray key after a refusal");

    // Not without confirmation; a wrong word changes nothing either.
    let (ok, _, err) = koers(&["--data-dir", &data, "secret-key", "reset"], "yes\n");
    assert!(!ok);
    assert!(err.contains("--yes"), "{err}");
    let db = Db::connect(&url).await.unwrap();
    assert_eq!(count(&db, "SELECT COUNT(*) FROM totp_factors").await, 1);

    let (ok, out, err) = koers(&["--data-dir", &data, "secret-key", "reset", "--yes"], "");
    assert!(ok, "{err}");
    assert!(
        err.contains("forgets the two-step verification of 1 people"),
        "{err}"
    );
    assert!(
        out.contains("1 people set up two-step verification again"),
        "{out}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the new key is its owner's only");
    }
    assert_eq!(count(&db, "SELECT COUNT(*) FROM totp_factors").await, 0);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM totp_recovery_codes").await,
        0
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM sessions").await, 0);
    let renewal: String = sqlx::query_scalar("SELECT user_id FROM second_factor_renewals")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(renewal, account.id);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'second-factor.key-reset'"
        )
        .await,
        count(&db, "SELECT COUNT(*) FROM institutions").await,
        "recorded in every institution's log"
    );
    let about: String = sqlx::query_scalar(
        "SELECT person_id FROM audit_events WHERE action = 'second-factor.forgotten'",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(
        about, account.id,
        "on the person's own 'who changed my data'"
    );
    db.pool().close().await;

    // Koers starts with the new key; a second reset is refused (the key fits).
    let (ok, _, err) = koers(&["--data-dir", &data, "migrate"], "");
    assert!(ok, "{err}");
    let (ok, _, err) = koers(&["--data-dir", &data, "secret-key", "reset", "--yes"], "");
    assert!(!ok);
    assert!(err.contains("nothing to reset"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}
