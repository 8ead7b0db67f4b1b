//! The append-only, tamper-evident audit log. Each institution's events form a hash chain:
//! an event's hash covers its fields and the hash of the event before it, so changing or
//! removing an event breaks every hash after it ([`verify`] finds where). The personal fields
//! (e-mail address, IP address, details) enter the chain through a salted hash of their own,
//! so erasure ([`erase_personal_fields`]) can blank them and the chain still verifies. There
//! is no other update or delete here, on purpose.

use super::Page;
use crate::{Db, Result, Tenant, now_ms};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// One event to record.
#[derive(Debug, Clone, Default)]
pub struct NewEvent<'a> {
    pub institution_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
    pub actor_email: Option<&'a str>,
    /// A stable key such as `login.success`, `user.create`, `user.roles`.
    pub action: &'a str,
    pub subject_type: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub details: serde_json::Value,
    pub ip: Option<&'a str>,
    /// The person the data is about (a user id), when that is not the actor: they can read
    /// the event (who read my file).
    pub person_id: Option<&'a str>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    pub id: String,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub subject_type: Option<String>,
    pub subject_id: Option<String>,
    pub details: String,
    pub ip: Option<String>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of the personal fields, salted so a blanked field cannot be guessed back from it.
fn personal_hash(salt: &str, email: Option<&str>, ip: Option<&str>, details: &str) -> String {
    let mut h = Sha256::new();
    for part in [
        salt,
        email.unwrap_or("\u{0}"),
        ip.unwrap_or("\u{0}"),
        details,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// The chain hash of one event: every field (length-prefixed), the personal fields' hash and
/// the previous event's hash.
#[allow(clippy::too_many_arguments)]
fn event_hash(
    prev: &str,
    seq: i64,
    id: &str,
    institution: Option<&str>,
    at: i64,
    actor_id: Option<&str>,
    action: &str,
    subject_type: Option<&str>,
    subject_id: Option<&str>,
    person_id: Option<&str>,
    personal: &str,
) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    let at = at.to_string();
    for part in [
        prev,
        &seq,
        id,
        institution.unwrap_or("\u{0}"),
        &at,
        actor_id.unwrap_or("\u{0}"),
        action,
        subject_type.unwrap_or("\u{0}"),
        subject_id.unwrap_or("\u{0}"),
        person_id.unwrap_or("\u{0}"),
        personal,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// Record an event at the end of its institution's chain. Unscoped on purpose: failed logins
/// for unknown accounts belong to no tenant (their chain is `''`).
pub async fn record(db: &Db, e: NewEvent<'_>) -> Result<()> {
    let mut tx = db.begin().await?;
    record_in(&mut tx, e).await?;
    tx.commit().await?;
    Ok(())
}

/// Record an event inside a change's own transaction, so the change and its record are
/// written together or not at all.
pub async fn record_in(tx: &mut sqlx::Transaction<'_, sqlx::Any>, e: NewEvent<'_>) -> Result<()> {
    let chain = e.institution_id.unwrap_or("");
    let id = koers_domain::new_id();
    let at = now_ms();
    let details = e.details.to_string();
    let salt = hex(&rand::random::<[u8; 16]>());
    let personal = personal_hash(&salt, e.actor_email, e.ip, &details);
    sqlx::query("INSERT INTO audit_chains (chain, seq, hash) VALUES ($1, 0, '') ON CONFLICT (chain) DO NOTHING")
        .bind(chain)
        .execute(&mut **tx)
        .await?;
    // Taking the head's row lock first serialises writers of one chain.
    let (seq, prev): (i64, String) = sqlx::query_as(
        "UPDATE audit_chains SET seq = seq + 1 WHERE chain = $1 RETURNING seq, hash",
    )
    .bind(chain)
    .fetch_one(&mut **tx)
    .await?;
    let hash = event_hash(
        &prev,
        seq,
        &id,
        e.institution_id,
        at,
        e.actor_id,
        e.action,
        e.subject_type,
        e.subject_id,
        e.person_id,
        &personal,
    );
    sqlx::query(
        "INSERT INTO audit_events (id, institution_id, at, actor_id, actor_email, action, subject_type, subject_id, \
         details, ip, person_id, seq, prev_hash, hash, personal_hash, salt) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(&id)
    .bind(e.institution_id)
    .bind(at)
    .bind(e.actor_id)
    .bind(e.actor_email)
    .bind(e.action)
    .bind(e.subject_type)
    .bind(e.subject_id)
    .bind(&details)
    .bind(e.ip)
    .bind(e.person_id)
    .bind(seq)
    .bind(&prev)
    .bind(&hash)
    .bind(&personal)
    .bind(&salt)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_chains SET hash = $2 WHERE chain = $1")
        .bind(chain)
        .bind(&hash)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// What checking a chain found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainReport {
    /// Events checked.
    pub events: i64,
    /// Events from before the chain existed (migration 25), not covered.
    pub unchained: i64,
    /// The first event whose hash does not hold (changed, removed or inserted), by its place.
    pub broken_at: Option<i64>,
    /// Personal fields that no longer match their hash (and were not erased).
    pub personal_mismatches: i64,
}

/// Check an institution's chain (`None`: the chain of events of no institution), from the
/// first event to the head, in blocks.
pub async fn verify(db: &Db, institution_id: Option<&str>) -> Result<ChainReport> {
    let scope = if institution_id.is_some() {
        "institution_id = $1"
    } else {
        "institution_id IS NULL AND $1 = ''"
    };
    let inst = institution_id.unwrap_or("");
    let (unchained,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM audit_events WHERE {scope} AND seq IS NULL"
    )))
    .bind(inst)
    .fetch_one(db.pool())
    .await?;
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_chains WHERE chain = $1")
            .bind(inst)
            .fetch_optional(db.pool())
            .await?;
    let mut report = ChainReport {
        events: 0,
        unchained,
        broken_at: None,
        personal_mismatches: 0,
    };
    let mut prev = String::new();
    let mut expected_seq = 1i64;
    loop {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT seq, prev_hash, hash, id, at, actor_id, action, subject_type, subject_id, person_id, \
             personal_hash, salt, actor_email, ip, details FROM audit_events \
             WHERE {scope} AND seq >= $2 ORDER BY seq LIMIT 1000"
        )))
        .bind(inst)
        .bind(expected_seq)
        .fetch_all(db.pool())
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let seq: i64 = r.try_get(0)?;
            let prev_hash: String = r.try_get(1)?;
            let hash: String = r.try_get(2)?;
            let personal: String = r.try_get(10)?;
            let recomputed = event_hash(
                &prev,
                seq,
                &r.try_get::<String, _>(3)?,
                institution_id,
                r.try_get(4)?,
                r.try_get::<Option<String>, _>(5)?.as_deref(),
                &r.try_get::<String, _>(6)?,
                r.try_get::<Option<String>, _>(7)?.as_deref(),
                r.try_get::<Option<String>, _>(8)?.as_deref(),
                r.try_get::<Option<String>, _>(9)?.as_deref(),
                &personal,
            );
            if seq != expected_seq || prev_hash != prev || recomputed != hash {
                report.broken_at.get_or_insert(expected_seq);
            }
            if let Some(salt) = r.try_get::<Option<String>, _>(11)? {
                let email: Option<String> = r.try_get(12)?;
                let ip: Option<String> = r.try_get(13)?;
                let details: String = r.try_get(14)?;
                if personal_hash(&salt, email.as_deref(), ip.as_deref(), &details) != personal {
                    report.personal_mismatches += 1;
                }
            }
            prev = hash;
            expected_seq = seq + 1;
            report.events += 1;
        }
        if report.broken_at.is_some() {
            break;
        }
    }
    // Events cut off the end: the head knows how long the chain was.
    if report.broken_at.is_none()
        && let Some((len, head_hash)) = head
        && (len != expected_seq - 1 || (len > 0 && head_hash != prev))
    {
        report.broken_at = Some(expected_seq);
    }
    Ok(report)
}

/// Blank the personal fields of every event by or about a person (erasure): the e-mail and
/// IP address, the details, and the salt (so the kept hash no longer reveals anything). The
/// chain still verifies; the ids stay, pointing at the anonymised account.
pub async fn erase_personal_fields(t: Tenant<'_>, user_id: &str) -> Result<u64> {
    let r = sqlx::query(
        "UPDATE audit_events SET actor_email = NULL, ip = NULL, details = '{\"erased\":true}', salt = NULL \
         WHERE institution_id = $1 AND (actor_id = $2 OR person_id = $2 OR subject_id = $2)",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .execute(t.pool())
    .await?;
    Ok(r.rows_affected())
}

/// Events about a person by others (who read or changed their data), newest first.
pub async fn about_person(
    t: Tenant<'_>,
    user_id: &str,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<Event>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, at, actor_id, actor_email, action, subject_type, subject_id, details, ip FROM audit_events \
         WHERE institution_id = $1 AND person_id = $2 AND (actor_id IS NULL OR actor_id <> $2) \
         AND ($3 = '' OR id < $3) ORDER BY id DESC LIMIT {}",
        limit + 1
    )))
    .bind(t.institution_id)
    .bind(user_id)
    .bind(cursor.unwrap_or(""))
    .fetch_all(t.pool())
    .await?;
    page_of(rows, limit)
}

fn page_of(rows: Vec<sqlx::any::AnyRow>, limit: u32) -> Result<Page<Event>> {
    let mut items = rows
        .iter()
        .map(|r| {
            Ok(Event {
                id: r.try_get(0)?,
                at: r.try_get(1)?,
                actor_id: r.try_get(2)?,
                actor_email: r.try_get(3)?,
                action: r.try_get(4)?,
                subject_type: r.try_get(5)?,
                subject_id: r.try_get(6)?,
                details: r.try_get(7)?,
                ip: r.try_get(8)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|e| e.id.clone())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// The tenant's events, newest first; optional filter on the action prefix.
pub async fn list(
    t: Tenant<'_>,
    action_prefix: Option<&str>,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<Event>> {
    let filter = Filter {
        action_prefix,
        ..Default::default()
    };
    list_filtered(t, &filter, limit, cursor).await
}

/// Which events the audit page shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    /// Actions starting with this (`login.`).
    pub action_prefix: Option<&'a str>,
    /// Done by this user.
    pub actor_id: Option<&'a str>,
    /// About this user.
    pub person_id: Option<&'a str>,
}

/// The institution's events matching `filter`, newest first.
pub async fn list_filtered(
    t: Tenant<'_>,
    filter: &Filter<'_>,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<Event>> {
    let prefix = filter.action_prefix.unwrap_or("");
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, at, actor_id, actor_email, action, subject_type, subject_id, details, ip FROM audit_events \
         WHERE institution_id = $1 AND ($2 = '' OR action LIKE $3) AND ($4 = '' OR id < $4) \
         AND ($5 = '' OR actor_id = $5) AND ($6 = '' OR person_id = $6) \
         ORDER BY id DESC LIMIT {}",
        limit + 1
    )))
    .bind(t.institution_id)
    .bind(prefix)
    .bind(format!("{}%", prefix.replace(['%', '_'], "")))
    .bind(cursor.unwrap_or(""))
    .bind(filter.actor_id.unwrap_or(""))
    .bind(filter.person_id.unwrap_or(""))
    .fetch_all(t.pool())
    .await?;
    page_of(rows, limit)
}
