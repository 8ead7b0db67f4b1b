//! Times a counsellor publishes; a student books one, which makes a planned conversation.

use super::conversations::{self, Conversation, NewConversation};
use crate::{Result, StoreError, Tenant, now_ms};
use koers_domain::guidance::conversation::Origin;
use koers_domain::guidance::{ConversationStatus, Phase};
use sqlx::Row;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Slot {
    pub id: String,
    pub guide_id: String,
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub location: String,
    pub conversation_id: Option<String>,
    /// Who booked it (for the guide's own list).
    pub booked_by: Option<String>,
}

pub async fn create(
    t: Tenant<'_>,
    guide_id: &str,
    starts_at: i64,
    duration_minutes: i64,
    location: &str,
) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO slots (id, institution_id, guide_id, starts_at, duration_minutes, location, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(guide_id)
    .bind(starts_at)
    .bind(duration_minutes)
    .bind(location)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(id)
}

fn from_row(r: &sqlx::any::AnyRow) -> Result<Slot> {
    Ok(Slot {
        id: r.try_get(0)?,
        guide_id: r.try_get(1)?,
        starts_at: r.try_get(2)?,
        duration_minutes: r.try_get(3)?,
        location: r.try_get(4)?,
        conversation_id: r.try_get(5)?,
        booked_by: r.try_get(6)?,
    })
}

/// A guide's slots from `from_ms` on (booked ones with the student's name).
pub async fn of_guide(
    t: Tenant<'_>,
    guide_id: &str,
    from_ms: i64,
    only_open: bool,
) -> Result<Vec<Slot>> {
    let sql = format!(
        "SELECT s.id, s.guide_id, s.starts_at, s.duration_minutes, s.location, s.conversation_id, p.name \
         FROM slots s LEFT JOIN conversations c ON c.id = s.conversation_id LEFT JOIN users p ON p.id = c.person_id \
         WHERE s.institution_id = $1 AND s.guide_id = $2 AND s.starts_at >= $3 {} ORDER BY s.starts_at, s.id LIMIT 200",
        if only_open {
            "AND s.conversation_id IS NULL"
        } else {
            ""
        }
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(guide_id)
        .bind(from_ms)
        .fetch_all(t.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<Slot>> {
    let r = sqlx::query(
        "SELECT s.id, s.guide_id, s.starts_at, s.duration_minutes, s.location, s.conversation_id, NULL \
         FROM slots s WHERE s.institution_id = $1 AND s.id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(from_row).transpose()
}

/// Remove an open slot of the guide's.
pub async fn delete(t: Tenant<'_>, id: &str, guide_id: &str) -> Result<()> {
    let n = sqlx::query(
        "DELETE FROM slots WHERE institution_id = $1 AND id = $2 AND guide_id = $3 AND conversation_id IS NULL",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(guide_id)
    .execute(t.pool())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Book a slot: a planned conversation at its time. Two students booking the same slot at
/// once: one gets it, the other a conflict.
pub async fn book(
    t: Tenant<'_>,
    slot_id: &str,
    person_id: &str,
    phase: Phase,
    question: &str,
) -> Result<Conversation> {
    let slot = get(t, slot_id).await?.ok_or(StoreError::NotFound)?;
    if slot.conversation_id.is_some() {
        return Err(StoreError::Conflict("booking"));
    }
    let c = conversations::create(
        t,
        NewConversation {
            context: koers_domain::guidance::conversation::Context::Student,
            person_id,
            guide_id: Some(&slot.guide_id),
            phase: Some(phase),
            status: ConversationStatus::Planned,
            origin: Origin::Booked,
            starts_at: Some(slot.starts_at),
            duration_minutes: slot.duration_minutes,
            location: &slot.location,
            question,
            created_by: person_id,
        },
    )
    .await?;
    let n = sqlx::query(
        "UPDATE slots SET conversation_id = $3 WHERE institution_id = $1 AND id = $2 AND conversation_id IS NULL",
    )
    .bind(t.institution_id)
    .bind(slot_id)
    .bind(&c.id)
    .execute(t.pool())
    .await?
    .rows_affected();
    if n == 0 {
        // Someone else was quicker: withdraw this conversation again.
        conversations::cancel(t, &c.id).await?;
        return Err(StoreError::Conflict("booking"));
    }
    Ok(c)
}

/// Free the slot of a conversation that was cancelled, so it can be booked again.
pub async fn release(t: Tenant<'_>, conversation_id: &str) -> Result<()> {
    sqlx::query("UPDATE slots SET conversation_id = NULL WHERE institution_id = $1 AND conversation_id = $2")
        .bind(t.institution_id)
        .bind(conversation_id)
        .execute(t.pool())
        .await?;
    Ok(())
}
