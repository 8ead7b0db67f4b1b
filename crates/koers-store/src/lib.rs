//! Koers storage: one code path for SQLite and PostgreSQL through sqlx `Any`.
//!
//! Every function that touches tenant data takes a [`Tenant`] first, so a query that is not
//! scoped to one institution cannot be written by accident. The few unscoped functions (login
//! by email, session lookup, health) take the [`Db`] and say why in their docs.

/// Run a multi-row INSERT of `$items` on `$exec` (an `AnyConnection`), `$row` (with `?`
/// placeholders) per item, then `$tail` (e.g. `ON CONFLICT …`), binding each item with the
/// closure-like `|q, it| …`.
///
/// On SQLite the placeholders stay anonymous `?` and a statement carries up to about 4,000
/// parameters: sqlx asks SQLite for each parameter's name, which is a linear search for
/// numbered `$n` parameters (quadratic per statement; measured: 40k students in 8.8 s at
/// 7,000 `$n` parameters a statement) but constant for `?`. PostgreSQL needs `$n`, with
/// statements of about 200 parameters.
macro_rules! insert_rows {
    ($exec:expr, $head:expr, $row:expr, $items:expr, |$q:ident, $it:ident| $bind:expr) => {
        insert_rows!($exec, $head, $row, "", $items, |$q, $it| $bind)
    };
    ($exec:expr, $head:expr, $row:expr, $tail:expr, $items:expr, |$q:ident, $it:ident| $bind:expr) => {{
        let conn: &mut sqlx::AnyConnection = $exec;
        let sqlite = conn.backend_name() == "SQLite";
        let params = $row.matches('?').count().max(1);
        let per = (if sqlite { 4000 } else { 200 } / params).max(1);
        for items in $items.chunks(per) {
            let sql = format!(
                "{} VALUES {} {}",
                $head,
                $crate::values_list(items.len(), $row, !sqlite),
                $tail
            );
            let mut $q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for $it in items {
                $q = $bind;
            }
            $q.execute(&mut *conn).await?;
        }
    }};
}

pub mod credentials;
pub mod curriculum;
pub mod demo;
pub mod field;
pub mod guidance;
pub mod improvement;
pub mod indicators;
pub mod platform;
pub mod sealing;
pub mod selfscans;
pub mod staff;
mod tenant;
pub mod vision;

pub use tenant::{Tenant, TenantTx};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Connection, Executor};
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
    #[error("stored data cannot be read: {0}")]
    Corrupt(String),
    #[error("invalid database url: {0}")]
    BadUrl(String),
}

impl StoreError {
    /// Whether the error means "cannot reach the database now" rather than a fault in the
    /// request or in Koers: connection refused or lost, the pool's wait ran out, the server
    /// shutting down or starting up (SQLSTATE classes 08 and 57P).
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Db(
                sqlx::Error::Io(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed
                | sqlx::Error::Tls(_),
            ) => true,
            StoreError::Db(sqlx::Error::Database(d)) => d
                .code()
                .is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
            _ => false,
        }
    }

    /// Whether the disk is full: SQLite's `SQLITE_FULL` (13) or a write error of its file
    /// (`SQLITE_IOERR_WRITE`, 778), PostgreSQL's `disk_full` (53100). The transaction was
    /// rolled back; nothing is half-written.
    ///
    /// PostgreSQL also reports a full disk without that code: a new connection that must
    /// write the relation-cache file ends with a FATAL "could not write init file"
    /// (`XX000`), and some file writes only name the operating system's "No space left on
    /// device".
    pub fn is_storage_full(&self) -> bool {
        let StoreError::Db(sqlx::Error::Database(d)) = self else {
            return false;
        };
        let msg = d.message();
        matches!(d.code().as_deref(), Some("13" | "778" | "53100"))
            || msg.contains("disk is full")
            || msg.contains("No space left on device")
            || msg.starts_with("could not write init file")
    }

    /// Whether PostgreSQL refused text it cannot store (a NUL character, SQLSTATE 22021 or
    /// 22P05): the input is at fault, not the database.
    pub fn is_unstorable_text(&self) -> bool {
        matches!(self, StoreError::Db(sqlx::Error::Database(d))
            if matches!(d.code().as_deref(), Some("22021" | "22P05")))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// SQLite's page cache per connection. The default 2 MB does not hold the pages one
/// caseload touches at 100k students (measured: caseload page 166 → 256 requests/s at 100k,
/// and flat with 1k); eight connections stay within 64 MB.
/// How SQLite write transactions begin (see [`Db::begin`]).
pub(crate) const SQLITE_BEGIN: &str = "BEGIN IMMEDIATE";

pub(crate) const SQLITE_CACHE: &str = "PRAGMA cache_size = -8000";

/// How long a request waits for a connection. When the database is down this is how long the
/// first request takes to answer 503 (the web layer then answers at once until it is back);
/// under overload, a clear 503 after five seconds beats a longer wait.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// The database: a pool on SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// Seals the secrets kept in the database (see [`sealing`]).
    sealing: Option<sealing::SealingKey>,
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
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_release(|conn, _meta| {
                Box::pin(async move {
                    if !conn.is_in_transaction() {
                        return Ok(true);
                    }
                    // A dropped transaction's rollback is queued: run it, then look again. Still
                    // in a transaction means sqlx lost track: the database ended the transaction
                    // itself (SQLite rolls back when a commit fails on a full disk), so the
                    // rollback failed. Such a connection would refuse every later BEGIN: close it.
                    conn.ping().await?;
                    Ok(!conn.is_in_transaction())
                })
            });
        let opts = if backend == Backend::Sqlite {
            opts.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                         PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;",
                    )
                    .await?;
                    conn.execute(SQLITE_CACHE).await?;
                    Ok(())
                })
            })
        } else {
            opts
        };
        let pool = opts.connect(&url).await?;
        Ok(Self {
            pool,
            backend,
            sealing: None,
        })
    }

    /// Apply pending migrations (idempotent).
    pub async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Use `key` to seal and open the secrets kept in the database.
    pub fn with_sealing_key(mut self, key: sealing::SealingKey) -> Self {
        self.sealing = Some(key);
        self
    }

    /// The sealing key; an error when none was given (a second factor cannot be stored).
    pub(crate) fn sealing(&self) -> Result<&sealing::SealingKey> {
        self.sealing.as_ref().ok_or_else(|| {
            StoreError::Corrupt("no secret key is configured to seal second factors".into())
        })
    }

    /// Begin a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), waiting up to the busy timeout: a deferred transaction that reads
    /// and then writes fails at once with "database is locked" when another writer got there
    /// first, instead of waiting its turn.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with(SQLITE_BEGIN).await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Refresh the query planner's statistics: without them SQLite may pick an index on the
    /// institution over a unique key and scan every student (measured: 33 ms → 3 ms for a
    /// lookup of 200 students by id at 100k), or join held conversations by status instead of
    /// by person (the indicator computation at 20k students: over 3 minutes instead of under
    /// a second). `full` runs ANALYZE (after bulk loads). Otherwise, on SQLite, a database
    /// that was never analysed gets a bounded ANALYZE and one that was gets `PRAGMA optimize`,
    /// which redoes what grew; PostgreSQL's autovacuum keeps its own statistics.
    pub async fn analyze(&self, full: bool) -> Result<()> {
        if full {
            sqlx::query("ANALYZE").execute(&self.pool).await?;
            return Ok(());
        }
        if self.backend == Backend::Postgres {
            return Ok(());
        }
        let mut conn = self.pool.acquire().await?;
        let analysed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'",
        )
        .fetch_one(&mut *conn)
        .await?;
        let analysed = analysed > 0
            && sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'conversations'",
            )
            .fetch_one(&mut *conn)
            .await?
                > 0;
        sqlx::query("PRAGMA analysis_limit = 1000")
            .execute(&mut *conn)
            .await?;
        let sql = if analysed {
            "PRAGMA optimize=0x10002"
        } else {
            "ANALYZE"
        };
        sqlx::query(sql).execute(&mut *conn).await?;
        sqlx::query("PRAGMA analysis_limit = 0")
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// After a bulk load on SQLite: copy the write-ahead log back into the database file and
    /// truncate it, so later reads do not search a log as large as the database (measured at
    /// 100k demo students: caseload page 5.1 → 3.1 ms). PostgreSQL manages its own log.
    pub async fn checkpoint(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// Whether the database answers (for `/readyz`).
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Whether the database answers within `limit` (for the outage probe and `/readyz`, which
    /// must not wait for the pool's own timeout).
    pub async fn ping_within(&self, limit: Duration) -> bool {
        tokio::time::timeout(limit, self.ping())
            .await
            .unwrap_or(false)
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

/// The VALUES list of a multi-row INSERT: `rows` copies of `row`; with `numbered`, each `?`
/// in it is replaced by the next `$n` placeholder (constants in `row` stay as written).
pub(crate) fn values_list(rows: usize, row: &str, numbered: bool) -> String {
    let mut out = String::with_capacity(rows * (row.len() + 16));
    let mut n = 0;
    for i in 0..rows {
        if i > 0 {
            out.push_str(", ");
        }
        for c in row.chars() {
            if c == '?' && numbered {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// `n` parameters for a list: anonymous `?` on SQLite (whose name lookup is constant, see
/// `insert_rows!`; then every parameter of the statement must be anonymous), `$start…` on
/// PostgreSQL.
pub(crate) fn params(sqlite: bool, start: usize, n: usize) -> String {
    if sqlite {
        vec!["?"; n].join(", ")
    } else {
        crate::platform::users::placeholders(start, n)
    }
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
            super::values_list(2, "(?, 'x', ?)", true),
            "($1, 'x', $2), ($3, 'x', $4)"
        );
        assert_eq!(super::values_list(2, "(?)", false), "(?), (?)");
        assert_eq!(super::values_list(0, "(?)", true), "");
    }

    /// A database error as a driver reports it: a code and a message.
    #[derive(Debug)]
    struct Reported(Option<&'static str>, &'static str);

    impl std::fmt::Display for Reported {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.1)
        }
    }

    impl std::error::Error for Reported {}

    impl sqlx::error::DatabaseError for Reported {
        fn message(&self) -> &str {
            self.1
        }
        fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
            self.0.map(std::borrow::Cow::Borrowed)
        }
        fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
            self
        }
        fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
            self
        }
        fn kind(&self) -> sqlx::error::ErrorKind {
            sqlx::error::ErrorKind::Other
        }
    }

    fn full(code: Option<&'static str>, msg: &'static str) -> bool {
        super::StoreError::Db(sqlx::Error::database(Reported(code, msg))).is_storage_full()
    }

    #[test]
    fn a_full_disk_is_recognised_in_each_way_the_databases_report_it() {
        assert!(full(Some("13"), "database or disk is full"));
        assert!(full(Some("778"), "disk I/O error"));
        assert!(full(Some("53100"), "could not extend file"));
        // PostgreSQL, a new connection that cannot write its relation-cache file (FATAL).
        assert!(full(Some("XX000"), "could not write init file"));
        assert!(full(
            Some("58030"),
            "could not write to file \"base/pgsql_tmp/x\": No space left on device"
        ));
        assert!(!full(
            Some("23505"),
            "duplicate key value violates unique constraint"
        ));
        assert!(!full(Some("XX000"), "cache lookup failed for relation 1"));
        assert!(!super::StoreError::NotFound.is_storage_full());
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(super::like_pattern(" Van_der%Berg "), "%van\\_der\\%berg%");
    }
}
