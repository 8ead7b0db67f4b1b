//! Koers storage: one code path for SQLite and PostgreSQL through sqlx `Any`.
//!
//! Every function that touches tenant data takes a [`Tenant`] first, so a query that is not
//! scoped to one institution cannot be written by accident. The few unscoped functions (login
//! by email, session lookup, health) take the [`Db`] and say why in their docs.

/// Run a multi-row INSERT of `$items` on `$exec`, `$row` (with `?` placeholders) per item,
/// binding each item with the closure-like `|q, it| …`. Statements carry about 200
/// parameters: sqlx's cost per statement grows faster than linearly with its parameters
/// (measured: 40k students in 8.8 s at 7,000 parameters a statement, 2.3 s at about 200).
macro_rules! insert_rows {
    ($exec:expr, $head:expr, $row:expr, $items:expr, |$q:ident, $it:ident| $bind:expr) => {{
        let per = (200 / $row.matches('?').count().max(1)).max(1);
        for items in $items.chunks(per) {
            let sql = format!(
                "{} VALUES {}",
                $head,
                $crate::values_list(items.len(), $row)
            );
            let mut $q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for $it in items {
                $q = $bind;
            }
            $q.execute($exec).await?;
        }
    }};
}

pub mod demo;
pub mod guidance;
pub mod platform;
mod tenant;

pub use tenant::Tenant;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// The migrations, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0} already exists")]
    Conflict(&'static str),
    #[error("not found")]
    NotFound,
    #[error("invalid database url: {0}")]
    BadUrl(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The database: a pool on SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Connect to `url` (`sqlite://path` or `postgres://…`). SQLite files are created when
    /// missing and run with WAL, foreign keys, a busy timeout and `synchronous=NORMAL`.
    pub async fn connect(url: &str) -> Result<Self> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::BadUrl(format!(
                "{url:?}: use sqlite://PATH or postgres://USER@HOST/DB"
            )));
        };
        let url = if backend == Backend::Sqlite && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        } else {
            url.to_owned()
        };
        let opts = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .acquire_timeout(Duration::from_secs(10));
        let opts = if backend == Backend::Sqlite {
            opts.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                    Ok(())
                })
            })
        } else {
            opts
        };
        let pool = opts.connect(&url).await?;
        Ok(Self { pool, backend })
    }

    /// Apply pending migrations (idempotent).
    pub async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Refresh the query planner's statistics: without them SQLite may pick an index on the
    /// institution over a unique key and scan every student (measured: 33 ms → 3 ms for a
    /// lookup of 200 students by id at 100k). `full` runs ANALYZE (after bulk loads);
    /// otherwise SQLite's own `PRAGMA optimize` decides what needs it.
    pub async fn analyze(&self, full: bool) -> Result<()> {
        let sql = match (self.backend, full) {
            (Backend::Sqlite, false) => "PRAGMA optimize=0x10002",
            _ => "ANALYZE",
        };
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Pool statistics for metrics: (connections, idle).
    pub fn pool_stats(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// A value from the small key/value table of the deployment.
    pub async fn state(&self, key: &str) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM app_state WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The whole key/value table, ordered by key (one small query: the bench baseline).
    pub async fn all_state(&self) -> Result<Vec<(String, String)>> {
        Ok(
            sqlx::query_as("SELECT key, value FROM app_state ORDER BY key")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn set_state(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO app_state (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// Now as epoch milliseconds (UTC).
pub fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp_nanos() as i64 / 1_000_000
}

/// Map a unique-constraint violation to [`StoreError::Conflict`].
pub(crate) fn conflict_as(what: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(what),
        _ => StoreError::Db(e),
    }
}

/// The VALUES list of a multi-row INSERT: `rows` copies of `row`, each `?` in it replaced by
/// the next `$n` placeholder (constants in `row` stay as written).
pub(crate) fn values_list(rows: usize, row: &str) -> String {
    let mut out = String::with_capacity(rows * (row.len() + 16));
    let mut n = 0;
    for i in 0..rows {
        if i > 0 {
            out.push_str(", ");
        }
        for c in row.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// Escape `%`, `_` and `\` for a LIKE pattern used with `ESCAPE '\'`.
pub(crate) fn like_pattern(q: &str) -> String {
    let mut s = String::with_capacity(q.len() + 2);
    s.push('%');
    for c in q.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_list_numbers_placeholders_across_rows() {
        assert_eq!(
            super::values_list(2, "(?, 'x', ?)"),
            "($1, 'x', $2), ($3, 'x', $4)"
        );
        assert_eq!(super::values_list(0, "(?)"), "");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::like_pattern(" Van_der%Berg "), "%van\\_der\\%berg%");
    }
}
