//! Guidance conversations about a person, their reports and agreements. Every change refreshes
//! the student's guidance summary in the same transaction.

use crate::{Result, StoreError, Tenant, TenantTx, now_ms};
use koers_domain::guidance::conversation::{AgreementInput, Context, Origin, ReportInput};
use koers_domain::guidance::{AgreementOwner, AgreementStatus, ConversationStatus, Phase};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Conversation {
    pub id: String,
    pub context: Context,
    pub person_id: String,
    pub person_name: String,
    pub person_email: String,
    pub guide_id: Option<String>,
    pub guide_name: Option<String>,
    pub guide_email: Option<String>,
    pub phase: Option<Phase>,
    pub status: ConversationStatus,
    pub origin: String,
    pub starts_at: Option<i64>,
    pub duration_minutes: i64,
    pub location: String,
    pub question: String,
    pub sequence: i64,
    pub summary: String,
    pub private_notes: String,
    pub competencies: Vec<String>,
    pub reported_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Conversation {
    /// Whether a report may be written now (it has started, or has no planned time).
    pub fn check_report_time(&self) -> std::result::Result<(), Vec<koers_domain::FieldError>> {
        koers_domain::guidance::conversation::check_report_time(self.starts_at, now_ms())
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Agreement {
    pub id: String,
    pub conversation_id: Option<String>,
    pub person_id: String,
    pub description: String,
    pub owner: AgreementOwner,
    pub due_on: Option<String>,
    pub status: AgreementStatus,
}

const SELECT: &str = "SELECT c.id, c.person_id, p.name, p.email, c.guide_id, g.name, g.email, c.phase, \
    c.status, c.origin, c.starts_at, c.duration_minutes, c.location, c.question, c.sequence, c.summary, \
    c.private_notes, c.competencies, c.reported_at, c.created_at, c.updated_at, c.context \
    FROM conversations c JOIN users p ON p.id = c.person_id LEFT JOIN users g ON g.id = c.guide_id";

fn from_row(r: &AnyRow) -> Result<Conversation> {
    let phase: Option<String> = r.try_get(7)?;
    let status: String = r.try_get(8)?;
    let comps: String = r.try_get(17)?;
    let context: String = r.try_get(21)?;
    Ok(Conversation {
        id: r.try_get(0)?,
        context: Context::parse(&context).unwrap_or(Context::Student),
        person_id: r.try_get(1)?,
        person_name: r.try_get(2)?,
        person_email: r.try_get(3)?,
        guide_id: r.try_get(4)?,
        guide_name: r.try_get(5)?,
        guide_email: r.try_get(6)?,
        phase: phase.as_deref().and_then(Phase::parse),
        status: ConversationStatus::parse(&status).unwrap_or(ConversationStatus::Planned),
        origin: r.try_get(9)?,
        starts_at: r.try_get(10)?,
        duration_minutes: r.try_get(11)?,
        location: r.try_get(12)?,
        question: r.try_get(13)?,
        sequence: r.try_get(14)?,
        summary: r.try_get(15)?,
        private_notes: r.try_get(16)?,
        competencies: serde_json::from_str(&comps).unwrap_or_default(),
        reported_at: r.try_get(18)?,
        created_at: r.try_get(19)?,
        updated_at: r.try_get(20)?,
    })
}

fn agreement_from_row(r: &AnyRow) -> Result<Agreement> {
    let owner: String = r.try_get(4)?;
    let status: String = r.try_get(6)?;
    Ok(Agreement {
        id: r.try_get(0)?,
        conversation_id: r.try_get(1)?,
        person_id: r.try_get(2)?,
        description: r.try_get(3)?,
        owner: AgreementOwner::parse(&owner).unwrap_or(AgreementOwner::Student),
        due_on: r.try_get(5)?,
        status: AgreementStatus::parse(&status).unwrap_or(AgreementStatus::Open),
    })
}

/// A conversation to create.
pub struct NewConversation<'a> {
    pub context: Context,
    pub person_id: &'a str,
    pub guide_id: Option<&'a str>,
    pub phase: Option<Phase>,
    pub status: ConversationStatus,
    pub origin: Origin,
    pub starts_at: Option<i64>,
    pub duration_minutes: i64,
    pub location: &'a str,
    pub question: &'a str,
    pub created_by: &'a str,
}

async fn refresh_for_person(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    person_id: &str,
) -> Result<()> {
    let sid: Option<String> =
        sqlx::query_scalar("SELECT id FROM students WHERE institution_id = $1 AND user_id = $2")
            .bind(institution_id)
            .bind(person_id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some(sid) = sid {
        super::summary::refresh(tx, institution_id, &sid).await?;
    }
    Ok(())
}

/// End a change to one person's conversation or agreement: `person` is the person the
/// UPDATE … RETURNING found (none: not found); their summary follows in the same transaction.
async fn finish(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    person: Option<String>,
) -> Result<()> {
    let person = person.ok_or(StoreError::NotFound)?;
    refresh_for_person(&mut tx, institution_id, &person).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn create(t: Tenant<'_>, n: NewConversation<'_>) -> Result<Conversation> {
    let mut tx = t.begin().await?;
    let id = create_in(&mut tx, n).await?;
    tx.commit().await?;
    get(t, &id).await?.ok_or(StoreError::NotFound)
}

/// Create a conversation as part of a command's transaction; returns its id.
pub async fn create_in(t: &mut TenantTx<'_>, n: NewConversation<'_>) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO conversations (id, institution_id, context, person_id, guide_id, phase, status, origin, \
         starts_at, duration_minutes, location, question, created_by, created_at, updated_at) \
         VALUES ($1, $2, $14, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.person_id)
    .bind(n.guide_id)
    .bind(n.phase.map(Phase::key))
    .bind(n.status.key())
    .bind(n.origin.key())
    .bind(n.starts_at)
    .bind(n.duration_minutes)
    .bind(n.location)
    .bind(n.question)
    .bind(n.created_by)
    .bind(now)
    .bind(n.context.key())
    .execute(t.conn())
    .await?;
    let institution_id = t.institution_id;
    refresh_for_person(t.tx(), institution_id, n.person_id).await?;
    Ok(id)
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Conversation>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.institution_id = $1 AND c.id = $2"
    )))
    .bind(t.institution_id)
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(from_row).transpose()
}

/// A person's conversations, the latest first (requests without a time first of all).
pub async fn for_person(t: Tenant<'_>, person_id: &str) -> Result<Vec<Conversation>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.institution_id = $1 AND c.person_id = $2 \
         ORDER BY CASE WHEN c.starts_at IS NULL THEN 0 ELSE 1 END, c.starts_at DESC, c.id DESC LIMIT 500"
    )))
    .bind(t.institution_id)
    .bind(person_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// A guide's requests (first) and planned conversations from `from_ms` on, soonest first.
pub async fn upcoming_for_guide(
    t: Tenant<'_>,
    guide_id: &str,
    from_ms: i64,
    limit: u32,
) -> Result<Vec<Conversation>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.institution_id = $1 AND c.guide_id = $2 AND \
         ((c.status = 'planned' AND c.starts_at >= $3) OR c.status = 'requested') \
         ORDER BY CASE WHEN c.starts_at IS NULL THEN 0 ELSE 1 END, c.starts_at, c.id LIMIT {limit}"
    )))
    .bind(t.institution_id)
    .bind(guide_id)
    .bind(from_ms)
    .fetch_all(t.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Move a planned conversation (the calendar file gets a higher SEQUENCE).
pub async fn reschedule(
    t: Tenant<'_>,
    id: &str,
    starts_at: i64,
    duration_minutes: i64,
    location: &str,
) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let person: Option<String> = sqlx::query_scalar(
        "UPDATE conversations SET starts_at = $3, duration_minutes = $4, location = $5, \
         status = CASE WHEN status = 'requested' THEN 'planned' ELSE status END, \
         sequence = sequence + 1, updated_at = $6 \
         WHERE institution_id = $1 AND id = $2 AND status IN ('planned', 'requested') RETURNING person_id",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(starts_at)
    .bind(duration_minutes)
    .bind(location)
    .bind(now_ms())
    .fetch_optional(&mut *tx)
    .await?;
    finish(tx, t.institution_id, person).await
}

pub async fn cancel(t: Tenant<'_>, id: &str) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let person: Option<String> = sqlx::query_scalar(
        "UPDATE conversations SET status = 'cancelled', sequence = sequence + 1, updated_at = $3 \
         WHERE institution_id = $1 AND id = $2 AND status IN ('planned', 'requested') RETURNING person_id",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(now_ms())
    .fetch_optional(&mut *tx)
    .await?;
    finish(tx, t.institution_id, person).await
}

/// Save the report: the conversation counts as held from now on. Agreements are matched by
/// description, so ones already marked done keep their status; the rest are replaced.
pub async fn save_report(t: Tenant<'_>, id: &str, report: &ReportInput) -> Result<()> {
    let mut tx = t.begin().await?;
    save_report_in(&mut tx, id, report).await?;
    tx.commit().await
}

/// [`save_report`] as part of a command's transaction.
pub async fn save_report_in(t: &mut TenantTx<'_>, id: &str, report: &ReportInput) -> Result<()> {
    let now = now_ms();
    let inst = t.institution_id;
    let person: Option<String> = sqlx::query_scalar(
        "UPDATE conversations SET summary = $3, private_notes = $4, competencies = $5, reported_at = $6, \
         updated_at = $6, status = 'held' WHERE institution_id = $1 AND id = $2 AND status <> 'cancelled' \
         RETURNING person_id",
    )
    .bind(inst)
    .bind(id)
    .bind(&report.summary)
    .bind(&report.private_notes)
    .bind(serde_json::to_string(&report.competencies).unwrap_or_else(|_| "[]".into()))
    .bind(now)
    .fetch_optional(t.conn())
    .await?;
    let person = person.ok_or(StoreError::NotFound)?;
    let existing = sqlx::query(
        "SELECT id, description FROM agreements WHERE institution_id = $1 AND conversation_id = $2",
    )
    .bind(inst)
    .bind(id)
    .fetch_all(t.conn())
    .await?;
    let mut kept = Vec::new();
    for a in &report.agreements {
        let found = existing.iter().find_map(|r| {
            let d: String = r.try_get(1).ok()?;
            let i: String = r.try_get(0).ok()?;
            (d == a.description && !kept.contains(&i)).then_some(i)
        });
        match found {
            Some(aid) => {
                sqlx::query(
                    "UPDATE agreements SET owner = $3, due_on = $4, updated_at = $5 WHERE institution_id = $1 AND id = $2",
                )
                .bind(inst)
                .bind(&aid)
                .bind(a.owner.key())
                .bind(a.due_on.map(|d| d.to_string()))
                .bind(now)
                .execute(t.conn())
                .await?;
                kept.push(aid);
            }
            None => {
                let aid = insert_agreement(t.tx(), inst, Some(id), &person, a, now).await?;
                kept.push(aid);
            }
        }
    }
    for r in &existing {
        let i: String = r.try_get(0)?;
        if !kept.contains(&i) {
            sqlx::query("DELETE FROM agreements WHERE institution_id = $1 AND id = $2")
                .bind(inst)
                .bind(&i)
                .execute(t.conn())
                .await?;
        }
    }
    refresh_for_person(t.tx(), inst, &person).await?;
    Ok(())
}

async fn insert_agreement(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    institution_id: &str,
    conversation_id: Option<&str>,
    person_id: &str,
    a: &AgreementInput,
    now: i64,
) -> Result<String> {
    let aid = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO agreements (id, institution_id, conversation_id, person_id, description, owner, due_on, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $8)",
    )
    .bind(&aid)
    .bind(institution_id)
    .bind(conversation_id)
    .bind(person_id)
    .bind(&a.description)
    .bind(a.owner.key())
    .bind(a.due_on.map(|d| d.to_string()))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(aid)
}

const AGREEMENT_COLS: &str =
    "SELECT id, conversation_id, person_id, description, owner, due_on, status FROM agreements";

pub async fn agreements_of_conversation(t: Tenant<'_>, id: &str) -> Result<Vec<Agreement>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{AGREEMENT_COLS} WHERE institution_id = $1 AND conversation_id = $2 ORDER BY created_at, id"
    )))
    .bind(t.institution_id)
    .bind(id)
    .fetch_all(t.pool())
    .await?;
    rows.iter().map(agreement_from_row).collect()
}

/// A person's agreements: open ones first by due date, then the rest (newest first).
pub async fn agreements_of_person(t: Tenant<'_>, person_id: &str) -> Result<Vec<Agreement>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{AGREEMENT_COLS} WHERE institution_id = $1 AND person_id = $2 \
         ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, \
         CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, created_at DESC LIMIT 500"
    )))
    .bind(t.institution_id)
    .bind(person_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter().map(agreement_from_row).collect()
}

pub async fn get_agreement(t: Tenant<'_>, id: &str) -> Result<Option<Agreement>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{AGREEMENT_COLS} WHERE institution_id = $1 AND id = $2"
    )))
    .bind(t.institution_id)
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(agreement_from_row).transpose()
}

pub async fn set_agreement_status(t: Tenant<'_>, id: &str, status: AgreementStatus) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let person: Option<String> = sqlx::query_scalar(
        "UPDATE agreements SET status = $3, updated_at = $4 WHERE institution_id = $1 AND id = $2 RETURNING person_id",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(status.key())
    .bind(now_ms())
    .fetch_optional(&mut *tx)
    .await?;
    finish(tx, t.institution_id, person).await
}

/// The conversations with a time that a user takes part in (as the person or as the guide),
/// from `since_ms` on, oldest first: a personal calendar feed.
pub async fn calendar_of_user(
    t: Tenant<'_>,
    user_id: &str,
    since_ms: i64,
) -> Result<Vec<Conversation>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.institution_id = $1 AND (c.person_id = $2 OR c.guide_id = $2) \
         AND c.starts_at IS NOT NULL AND c.starts_at >= $3 AND c.status IN ('planned', 'held', 'cancelled') \
         ORDER BY c.starts_at, c.id LIMIT 2000"
    )))
    .bind(t.institution_id)
    .bind(user_id)
    .bind(since_ms)
    .fetch_all(t.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Planned conversations starting in `[from_ms, to_ms)` without a reminder yet: (institution,
/// conversation id).
pub async fn due_for_reminder(
    db: &crate::Db,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT institution_id, id FROM conversations WHERE status = 'planned' AND starts_at >= $1 \
         AND starts_at < $2 AND reminded_at IS NULL ORDER BY starts_at LIMIT 5000",
    )
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(db.pool())
    .await?)
}

/// Claim a conversation's reminder: true for the one caller that sets it.
pub async fn claim_reminder(t: Tenant<'_>, id: &str) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE conversations SET reminded_at = $1 WHERE institution_id = $2 AND id = $3 AND reminded_at IS NULL",
    )
    .bind(now_ms())
    .bind(t.institution_id)
    .bind(id)
    .execute(t.pool())
    .await?;
    Ok(done.rows_affected() == 1)
}
