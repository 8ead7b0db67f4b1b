//! `koers backup FILE` and `koers restore FILE`.
//!
//! SQLite: the backup is SQLite's own online copy (`VACUUM INTO`), a consistent snapshot taken
//! while Koers keeps running, checked with `PRAGMA integrity_check` before it is reported done.
//! The restore checks the file the same way, then puts it in place atomically (a copy next to
//! the database, then a rename) and brings it up to this version's migrations.
//!
//! PostgreSQL: a logical dump with `pg_dump --format=custom` (from the PostgreSQL client
//! tools), restored with `pg_restore --clean --single-transaction`, so a failed restore
//! changes nothing.

use anyhow::{Context, bail};
use koers_store::Db;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the database is.
pub enum Target {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Target {
    pub fn of(database_url: Option<&str>, data_dir: &Path) -> anyhow::Result<Target> {
        match database_url {
            None => Ok(Target::Sqlite(data_dir.join("koers.db"))),
            Some(u) if u.starts_with("sqlite://") => Ok(Target::Sqlite(PathBuf::from(
                u.trim_start_matches("sqlite://")
                    .split('?')
                    .next()
                    .unwrap_or(""),
            ))),
            Some(u) if u.starts_with("postgres://") || u.starts_with("postgresql://") => {
                Ok(Target::Postgres(u.to_owned()))
            }
            Some(_) => bail!("use sqlite://PATH or postgres://USER@HOST/DB"),
        }
    }
}

/// Check an SQLite file: it opens, passes the integrity check, and is a Koers database.
/// Returns (the number of applied migrations, the number of users).
async fn check_sqlite(path: &Path) -> anyhow::Result<(i64, i64)> {
    use sqlx::Connection;
    // A plain read-only connection: the file is only read, not switched to WAL.
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", path.display()))
        .await
        .with_context(|| format!("{} cannot be opened as SQLite", path.display()))?;
    let (ok,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut c)
        .await
        .with_context(|| format!("{} is damaged or not an SQLite database", path.display()))?;
    if ok != "ok" {
        bail!("{} is damaged: {ok}", path.display());
    }
    let (migrations,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&mut c)
        .await
        .with_context(|| format!("{} is not a Koers database", path.display()))?;
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&mut c)
        .await
        .with_context(|| format!("{} is not a Koers database", path.display()))?;
    c.close().await?;
    Ok((migrations, users))
}

fn run(cmd: &mut Command, what: &str) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| {
        format!(
            "{what} was not found: install the PostgreSQL client tools (Debian: postgresql-client)"
        )
    })?;
    if !out.status.success() {
        bail!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

pub async fn backup(target: &Target, file: &Path, force: bool) -> anyhow::Result<()> {
    if file.exists() {
        if !force {
            bail!(
                "{} exists; choose another name or add --force",
                file.display()
            );
        }
        std::fs::remove_file(file).with_context(|| format!("cannot replace {}", file.display()))?;
    }
    match target {
        Target::Sqlite(db_path) => {
            if !db_path.exists() {
                bail!("there is no database at {}", db_path.display());
            }
            let db = Db::connect(&format!("sqlite://{}", db_path.display())).await?;
            let quoted = file.display().to_string().replace('\'', "''");
            sqlx::query(sqlx::AssertSqlSafe(format!("VACUUM INTO '{quoted}'")))
                .execute(db.pool())
                .await
                .with_context(|| format!("writing {} failed", file.display()))?;
            db.pool().close().await;
            let (migrations, users) = match check_sqlite(file).await {
                Ok(x) => x,
                Err(e) => {
                    let _ = std::fs::remove_file(file);
                    return Err(e.context("the backup did not pass its check and was removed"));
                }
            };
            let size = std::fs::metadata(file)?.len();
            println!(
                "Backup written to {} ({:.1} MB, {users} users, {migrations} migrations); checked: ok.",
                file.display(),
                size as f64 / 1e6
            );
        }
        Target::Postgres(url) => {
            run(
                Command::new("pg_dump")
                    .args(["--format=custom", "--no-owner", "--file"])
                    .arg(file)
                    .arg(url),
                "pg_dump",
            )?;
            println!(
                "Backup written to {} (pg_dump, custom format).",
                file.display()
            );
        }
    }
    Ok(())
}

pub async fn restore(target: &Target, file: &Path, force: bool) -> anyhow::Result<()> {
    if !file.exists() {
        bail!("{} does not exist", file.display());
    }
    match target {
        Target::Sqlite(db_path) => {
            let (migrations, users) = check_sqlite(file).await?;
            if db_path.exists() && !force {
                bail!(
                    "{} exists: stop Koers, then restore with --force to replace it",
                    db_path.display()
                );
            }
            if let Some(dir) = db_path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let temp = db_path.with_extension("db.restoring");
            std::fs::copy(file, &temp)
                .with_context(|| format!("cannot write {}", temp.display()))?;
            std::fs::File::open(&temp)?.sync_all()?;
            for ext in ["db-wal", "db-shm"] {
                let _ = std::fs::remove_file(db_path.with_extension(ext));
            }
            std::fs::rename(&temp, db_path)
                .with_context(|| format!("cannot put {} in place", db_path.display()))?;
            let db = Db::connect(&format!("sqlite://{}", db_path.display())).await?;
            db.migrate()
                .await
                .context("bringing the restored database up to date")?;
            println!(
                "Restored {} into {} ({users} users, {migrations} migrations in the backup).",
                file.display(),
                db_path.display()
            );
        }
        Target::Postgres(url) => {
            run(
                Command::new("pg_restore")
                    .args([
                        "--clean",
                        "--if-exists",
                        "--no-owner",
                        "--single-transaction",
                        "--dbname",
                    ])
                    .arg(url)
                    .arg(file),
                "pg_restore",
            )?;
            let db = Db::connect(url).await?;
            db.migrate()
                .await
                .context("bringing the restored database up to date")?;
            println!(
                "Restored {} (pg_restore, in one transaction).",
                file.display()
            );
        }
    }
    Ok(())
}
