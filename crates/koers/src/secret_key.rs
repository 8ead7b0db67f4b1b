//! `koers secret-key reset`: the way out when the key that seals second-factor secrets is lost
//! (or a backup was restored on a machine without it). Without it, `koers serve` refuses to
//! start, as it should for a wrong key; with it, the operator deliberately gives up every
//! second factor: they cannot be opened again anyway.

use anyhow::{Context, bail};
use koers_store::Db;
use koers_store::platform::second_factor;
use koers_store::sealing::SealingKey;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// What the operator typed to confirm.
const CONFIRM_WORD: &str = "reset";

/// Forget every sealed second factor, write a new key, end every session; the people who had
/// a second factor set up a new one at their next login. `yes` confirms without asking.
pub async fn reset(db: &Db, key_file: &Path, yes: bool) -> anyhow::Result<()> {
    if let Some(key) = SealingKey::load(key_file).ok().flatten()
        && second_factor::key_fits(db, &key).await?
    {
        bail!(
            "the secret key {} fits this database: nothing to reset (the command is for a lost key)",
            key_file.display()
        );
    }
    let (factors, sessions): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM totp_factors WHERE confirmed_at IS NOT NULL), \
         (SELECT COUNT(*) FROM sessions)",
    )
    .fetch_one(db.pool())
    .await?;
    eprintln!(
        "This forgets the two-step verification of {factors} people (their app's codes stop \
         working; they set it up again at their next login), ends all {sessions} sessions and \
         API tokens, and writes a new secret key to {}.",
        key_file.display()
    );
    if !yes {
        if !std::io::stdin().is_terminal() {
            bail!("not confirmed: run it in a terminal to be asked, or add --yes");
        }
        eprint!("Type '{CONFIRM_WORD}' to go on: ");
        std::io::stderr().flush().ok();
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if answer.trim() != CONFIRM_WORD {
            bail!("not confirmed: nothing was changed");
        }
    }
    // The new key is written beside the old file first and moved in place once the database
    // has its check value, so an interruption leaves either the old state or the new one.
    let fresh = sibling(key_file, "new");
    let _ = std::fs::remove_file(&fresh);
    let (bytes, key) = SealingKey::generate();
    SealingKey::write_new(&fresh, &bytes)
        .with_context(|| format!("cannot write the new secret key {}", fresh.display()))?;
    let by = format!(
        "koers secret-key reset ({})",
        std::env::var("USER").unwrap_or_else(|_| "operator".into())
    );
    let done = second_factor::forget_all(db, &key, &by).await?;
    if key_file.exists() {
        let kept = sibling(key_file, &format!("replaced-{}", koers_store::now_ms()));
        std::fs::rename(key_file, &kept)
            .with_context(|| format!("cannot move the old key file aside to {}", kept.display()))?;
        eprintln!("The old key file is kept as {}.", kept.display());
    }
    std::fs::rename(&fresh, key_file)
        .with_context(|| format!("cannot move the new key into {}", key_file.display()))?;
    println!(
        "Reset: {} people set up two-step verification again at their next login; {} sessions \
         ended. New secret key: {} (keep it apart from the backups; with several instances, give \
         each the same file). Recorded in every institution's audit log.",
        done.forgotten,
        done.sessions_ended,
        key_file.display()
    );
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}
