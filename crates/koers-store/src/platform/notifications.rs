//! In-app notifications and the mail outbox (see migration 13).

use crate::{Result, Tenant, now_ms};
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct Notification {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// A notification for a person, and (with `mail`) the same message in the outbox, in one
/// transaction.
pub struct NewNotification<'a> {
    pub user_id: &'a str,
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: &'a str,
    pub mail: Option<Mail<'a>>,
}

pub struct Mail<'a> {
    pub to_email: &'a str,
    pub to_name: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub ics: Option<&'a str>,
}

pub async fn create(t: Tenant<'_>, n: &NewNotification<'_>) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    sqlx::query(
        "INSERT INTO notifications (id, institution_id, user_id, kind, title, body, link, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.user_id)
    .bind(n.kind)
    .bind(n.title)
    .bind(n.body)
    .bind(n.link)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    if let Some(m) = &n.mail {
        queue_in(&mut tx, t.institution_id, n.kind, m, now).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// Queue a mail for someone who has no account (yet), such as an invitation.
pub async fn queue_mail(t: Tenant<'_>, kind: &str, m: &Mail<'_>) -> Result<()> {
    let mut tx = t.db.begin().await?;
    queue_in(&mut tx, t.institution_id, kind, m, now_ms()).await?;
    tx.commit().await?;
    Ok(())
}

async fn queue_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    kind: &str,
    m: &Mail<'_>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO outbox (id, institution_id, kind, to_email, to_name, subject, body, ics, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(koers_domain::new_id())
    .bind(institution_id)
    .bind(kind)
    .bind(m.to_email)
    .bind(m.to_name)
    .bind(m.subject)
    .bind(m.body)
    .bind(m.ics)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A person's notifications, newest first.
pub async fn for_user(t: Tenant<'_>, user_id: &str, limit: u32) -> Result<Vec<Notification>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, kind, title, body, link, created_at, read_at FROM notifications \
         WHERE institution_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC LIMIT {limit}"
    )))
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Notification {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                title: r.try_get(2)?,
                body: r.try_get(3)?,
                link: r.try_get(4)?,
                created_at: r.try_get(5)?,
                read_at: r.try_get(6)?,
            })
        })
        .collect()
}

pub async fn unread_count(t: Tenant<'_>, user_id: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE institution_id = $1 AND user_id = $2 AND read_at IS NULL",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_one(t.pool())
    .await?)
}

/// Mark one (or, with `None`, every) notification of the person read (or unread).
pub async fn set_read(t: Tenant<'_>, user_id: &str, id: Option<&str>, read: bool) -> Result<()> {
    let at = read.then(now_ms);
    match id {
        Some(id) => {
            sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE institution_id = $2 AND user_id = $3 AND id = $4",
            )
            .bind(at)
            .bind(t.institution_id)
            .bind(user_id)
            .bind(id)
            .execute(t.pool())
            .await?;
        }
        None => {
            sqlx::query(
                "UPDATE notifications SET read_at = $1 WHERE institution_id = $2 AND user_id = $3 AND read_at IS NULL",
            )
            .bind(at)
            .bind(t.institution_id)
            .bind(user_id)
            .execute(t.pool())
            .await?;
        }
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct OutboxMail {
    pub id: String,
    pub kind: String,
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub has_ics: bool,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// The institution's outbox, newest first.
pub async fn outbox(t: Tenant<'_>, limit: u32) -> Result<Vec<OutboxMail>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, kind, to_email, to_name, subject, body, CASE WHEN ics IS NULL THEN 0 ELSE 1 END, created_at, sent_at FROM outbox \
         WHERE institution_id = $1 ORDER BY created_at DESC, id DESC LIMIT {limit}"
    )))
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let has_ics = r.try_get::<i64, _>(6)? != 0;
            Ok(OutboxMail {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                to_email: r.try_get(2)?,
                to_name: r.try_get(3)?,
                subject: r.try_get(4)?,
                body: r.try_get(5)?,
                has_ics,
                created_at: r.try_get(7)?,
                sent_at: r.try_get(8)?,
            })
        })
        .collect()
}

/// A mail to send.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: String,
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub ics: Option<String>,
}

/// Claim up to `limit` unsent mails (fewer than `max_attempts` tries) for sending: each is
/// claimed by raising its attempt count, so several instances never send one twice at once.
pub async fn claim_pending(db: &crate::Db, limit: u32, max_attempts: i64) -> Result<Vec<Pending>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT id, attempts, to_email, to_name, subject, body, ics FROM outbox \
         WHERE sent_at IS NULL AND attempts < $1 ORDER BY created_at, id LIMIT {limit}"
    )))
    .bind(max_attempts)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: String = r.try_get(0)?;
        let attempts: i64 = r.try_get(1)?;
        let claimed = sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1 WHERE id = $1 AND attempts = $2 AND sent_at IS NULL",
        )
        .bind(&id)
        .bind(attempts)
        .execute(db.pool())
        .await?;
        if claimed.rows_affected() == 1 {
            out.push(Pending {
                id,
                to_email: r.try_get(2)?,
                to_name: r.try_get(3)?,
                subject: r.try_get(4)?,
                body: r.try_get(5)?,
                ics: r.try_get(6)?,
            });
        }
    }
    Ok(out)
}

/// Record how sending went.
pub async fn mark_sent(db: &crate::Db, id: &str, error: Option<&str>) -> Result<()> {
    match error {
        None => {
            sqlx::query("UPDATE outbox SET sent_at = $1, last_error = '' WHERE id = $2")
                .bind(now_ms())
                .bind(id)
                .execute(db.pool())
                .await?
        }
        Some(e) => {
            sqlx::query("UPDATE outbox SET last_error = $1 WHERE id = $2")
                .bind(e)
                .bind(id)
                .execute(db.pool())
                .await?
        }
    };
    Ok(())
}
