//! Group sessions: a topic and a phase for a group of students, with attendance per student.
//! Attendance counts as a guidance moment where the programme's rules say so; the students'
//! summaries are refreshed in the same transaction.

use crate::{Result, StoreError, Tenant, now_ms};
use koers_domain::guidance::Phase;
use sqlx::Row;

#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupSession {
    pub id: String,
    pub guide_id: String,
    pub topic: String,
    pub phase: Phase,
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub location: String,
    pub status: String,
    pub participants: i64,
    pub attended: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Participant {
    pub person_id: String,
    pub name: String,
    pub student_number: Option<String>,
    pub attended: Option<bool>,
}

pub struct NewGroupSession<'a> {
    pub guide_id: &'a str,
    pub topic: &'a str,
    pub phase: Phase,
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub location: &'a str,
    pub person_ids: &'a [String],
}

pub async fn create(t: Tenant<'_>, n: NewGroupSession<'_>) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    sqlx::query(
        "INSERT INTO group_sessions (id, institution_id, guide_id, topic, phase, starts_at, duration_minutes, location, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'planned', $9, $9)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(n.guide_id)
    .bind(n.topic)
    .bind(n.phase.key())
    .bind(n.starts_at)
    .bind(n.duration_minutes)
    .bind(n.location)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    insert_rows!(
        &mut *tx,
        "INSERT INTO group_attendance (session_id, institution_id, person_id, attended)",
        "(?, ?, ?, NULL)",
        n.person_ids,
        |q, p| q.bind(&id).bind(t.institution_id).bind(p)
    );
    tx.commit().await?;
    Ok(id)
}

const SELECT: &str = "SELECT g.id, g.guide_id, g.topic, g.phase, g.starts_at, g.duration_minutes, g.location, g.status, \
    (SELECT COUNT(*) FROM group_attendance a WHERE a.session_id = g.id), \
    (SELECT COUNT(*) FROM group_attendance a WHERE a.session_id = g.id AND a.attended = 1) FROM group_sessions g";

fn from_row(r: &sqlx::any::AnyRow) -> Result<GroupSession> {
    let phase: String = r.try_get(3)?;
    Ok(GroupSession {
        id: r.try_get(0)?,
        guide_id: r.try_get(1)?,
        topic: r.try_get(2)?,
        phase: Phase::parse(&phase).unwrap_or(Phase::Progress),
        starts_at: r.try_get(4)?,
        duration_minutes: r.try_get(5)?,
        location: r.try_get(6)?,
        status: r.try_get(7)?,
        participants: r.try_get(8)?,
        attended: r.try_get(9)?,
    })
}

pub async fn of_guide(t: Tenant<'_>, guide_id: &str) -> Result<Vec<GroupSession>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE g.institution_id = $1 AND g.guide_id = $2 ORDER BY g.starts_at DESC, g.id LIMIT 200"
    )))
    .bind(t.institution_id)
    .bind(guide_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(t: Tenant<'_>, id: &str) -> Result<Option<GroupSession>> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE g.institution_id = $1 AND g.id = $2"
    )))
    .bind(t.institution_id)
    .bind(id)
    .fetch_optional(t.pool())
    .await?;
    r.as_ref().map(from_row).transpose()
}

pub async fn participants(t: Tenant<'_>, id: &str) -> Result<Vec<Participant>> {
    let rows = sqlx::query(
        "SELECT a.person_id, u.name, s.student_number, a.attended FROM group_attendance a JOIN users u ON u.id = a.person_id \
         LEFT JOIN students s ON s.user_id = a.person_id WHERE a.institution_id = $1 AND a.session_id = $2 ORDER BY u.name, u.id",
    )
    .bind(t.institution_id)
    .bind(id)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Participant {
                person_id: r.try_get(0)?,
                name: r.try_get(1)?,
                student_number: r.try_get(2)?,
                attended: r.try_get::<Option<i64>, _>(3)?.map(|v| v != 0),
            })
        })
        .collect()
}

/// Record who attended (everyone else in the group did not); refreshes their summaries.
pub async fn record_attendance(t: Tenant<'_>, id: &str, attended: &[String]) -> Result<()> {
    let mut tx = t.db.begin().await?;
    let n = sqlx::query(
        "UPDATE group_sessions SET status = 'held', updated_at = $3 WHERE institution_id = $1 AND id = $2 AND status <> 'cancelled'",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    let people: Vec<String> = sqlx::query_scalar(
        "SELECT person_id FROM group_attendance WHERE institution_id = $1 AND session_id = $2",
    )
    .bind(t.institution_id)
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    for p in &people {
        sqlx::query(
            "UPDATE group_attendance SET attended = $4 WHERE institution_id = $1 AND session_id = $2 AND person_id = $3",
        )
        .bind(t.institution_id)
        .bind(id)
        .bind(p)
        .bind(i64::from(attended.contains(p)))
        .execute(&mut *tx)
        .await?;
        let sid: Option<String> = sqlx::query_scalar(
            "SELECT id FROM students WHERE institution_id = $1 AND user_id = $2",
        )
        .bind(t.institution_id)
        .bind(p)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(sid) = sid {
            super::summary::refresh(&mut tx, t.institution_id, &sid).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The planned group sessions a person is invited to, from `from_ms` on, soonest first.
pub async fn upcoming_for_person(
    t: Tenant<'_>,
    person_id: &str,
    from_ms: i64,
) -> Result<Vec<GroupSession>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE g.institution_id = $1 AND g.status = 'planned' AND g.starts_at >= $3 \
         AND EXISTS (SELECT 1 FROM group_attendance a WHERE a.session_id = g.id AND a.person_id = $2) \
         ORDER BY g.starts_at, g.id LIMIT 20"
    )))
    .bind(t.institution_id)
    .bind(person_id)
    .bind(from_ms)
    .fetch_all(t.pool())
    .await?;
    rows.iter().map(from_row).collect()
}

/// Whether `person_id` is invited to the session.
pub async fn is_participant(t: Tenant<'_>, id: &str, person_id: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM group_attendance WHERE institution_id = $1 AND session_id = $2 AND person_id = $3",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(person_id)
    .fetch_one(t.pool())
    .await?;
    Ok(n > 0)
}

/// The guide's name and email, for the calendar file's organizer.
pub async fn guide_contact(t: Tenant<'_>, guide_id: &str) -> Result<Option<(String, String)>> {
    let r = sqlx::query("SELECT name, email FROM users WHERE institution_id = $1 AND id = $2")
        .bind(t.institution_id)
        .bind(guide_id)
        .fetch_optional(t.pool())
        .await?;
    r.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}
