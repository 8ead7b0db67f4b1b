//! The rest of a person's career file: reflections, goals, the specialisation choice and the
//! intake record. Each reflection and goal carries its own sharing (counsellor, mentor).

use crate::{Result, StoreError, Tenant, now_ms};
use sqlx::Row;

/// Who may read an item besides its owner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Sharing {
    pub counsellor: bool,
    pub mentor: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Reflection {
    pub id: String,
    pub experience: String,
    pub title: String,
    pub body: String,
    pub sharing: Sharing,
    pub created_at: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Goal {
    pub id: String,
    pub title: String,
    pub description: String,
    pub target_on: Option<String>,
    pub status: String,
    pub sharing: Sharing,
    pub created_at: i64,
}

pub async fn add_reflection(
    t: Tenant<'_>,
    person_id: &str,
    experience: &str,
    title: &str,
    body: &str,
    sharing: Sharing,
) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO reflections (id, institution_id, person_id, experience, title, body, shared_counsellor, shared_mentor, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(person_id)
    .bind(experience)
    .bind(title)
    .bind(body)
    .bind(i64::from(sharing.counsellor))
    .bind(i64::from(sharing.mentor))
    .bind(now)
    .execute(t.pool())
    .await?;
    Ok(id)
}

pub async fn add_goal(
    t: Tenant<'_>,
    person_id: &str,
    title: &str,
    description: &str,
    target_on: Option<&str>,
    sharing: Sharing,
) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    sqlx::query(
        "INSERT INTO goals (id, institution_id, person_id, title, description, target_on, status, shared_counsellor, shared_mentor, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(person_id)
    .bind(title)
    .bind(description)
    .bind(target_on)
    .bind(i64::from(sharing.counsellor))
    .bind(i64::from(sharing.mentor))
    .bind(now)
    .execute(t.pool())
    .await?;
    Ok(id)
}

/// Which table an item lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Reflection,
    Goal,
    SelfAssessment,
}

impl ItemKind {
    fn table(self) -> &'static str {
        match self {
            ItemKind::Reflection => "reflections",
            ItemKind::Goal => "goals",
            ItemKind::SelfAssessment => "self_assessments",
        }
    }
}

/// Change who may read one of the person's items.
pub async fn set_sharing(
    t: Tenant<'_>,
    kind: ItemKind,
    id: &str,
    person_id: &str,
    sharing: Sharing,
) -> Result<()> {
    let sql = format!(
        "UPDATE {} SET shared_counsellor = $4, shared_mentor = $5 WHERE institution_id = $1 AND id = $2 AND person_id = $3",
        kind.table()
    );
    let n = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(id)
        .bind(person_id)
        .bind(i64::from(sharing.counsellor))
        .bind(i64::from(sharing.mentor))
        .execute(t.pool())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Delete one of the person's own reflections or goals.
pub async fn delete_item(t: Tenant<'_>, kind: ItemKind, id: &str, person_id: &str) -> Result<()> {
    let sql = format!(
        "DELETE FROM {} WHERE institution_id = $1 AND id = $2 AND person_id = $3",
        kind.table()
    );
    let n = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(id)
        .bind(person_id)
        .execute(t.pool())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub async fn set_goal_status(t: Tenant<'_>, id: &str, person_id: &str, status: &str) -> Result<()> {
    let n = sqlx::query(
        "UPDATE goals SET status = $4, updated_at = $5 WHERE institution_id = $1 AND id = $2 AND person_id = $3",
    )
    .bind(t.institution_id)
    .bind(id)
    .bind(person_id)
    .bind(status)
    .bind(now_ms())
    .execute(t.pool())
    .await?
    .rows_affected();
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

fn sharing(r: &sqlx::any::AnyRow, c: &str, m: &str) -> Result<Sharing> {
    Ok(Sharing {
        counsellor: r.try_get::<i64, _>(c)? != 0,
        mentor: r.try_get::<i64, _>(m)? != 0,
    })
}

pub async fn reflections(t: Tenant<'_>, person_id: &str) -> Result<Vec<Reflection>> {
    let rows = sqlx::query(
        "SELECT id, experience, title, body, shared_counsellor, shared_mentor, created_at FROM reflections \
         WHERE institution_id = $1 AND person_id = $2 ORDER BY created_at DESC, id DESC",
    )
    .bind(t.institution_id)
    .bind(person_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Reflection {
                id: r.try_get("id")?,
                experience: r.try_get("experience")?,
                title: r.try_get("title")?,
                body: r.try_get("body")?,
                sharing: sharing(r, "shared_counsellor", "shared_mentor")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

pub async fn goals(t: Tenant<'_>, person_id: &str) -> Result<Vec<Goal>> {
    let rows = sqlx::query(
        "SELECT id, title, description, target_on, status, shared_counsellor, shared_mentor, created_at FROM goals \
         WHERE institution_id = $1 AND person_id = $2 ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, created_at DESC",
    )
    .bind(t.institution_id)
    .bind(person_id)
    .fetch_all(t.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Goal {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                description: r.try_get("description")?,
                target_on: r.try_get("target_on")?,
                status: r.try_get("status")?,
                sharing: sharing(r, "shared_counsellor", "shared_mentor")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// The student's specialisation choice: options considered, the choice, the motivation.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Choice {
    pub options: String,
    pub choice: String,
    pub motivation: String,
    pub updated_at: Option<i64>,
}

pub async fn choice(t: Tenant<'_>, student_id: &str) -> Result<Choice> {
    let r = sqlx::query(
        "SELECT options, choice, motivation, updated_at FROM specialisation_choices WHERE institution_id = $1 AND student_id = $2",
    )
    .bind(t.institution_id)
    .bind(student_id)
    .fetch_optional(t.pool())
    .await?;
    Ok(match r {
        None => Choice::default(),
        Some(r) => Choice {
            options: r.try_get(0)?,
            choice: r.try_get(1)?,
            motivation: r.try_get(2)?,
            updated_at: r.try_get(3)?,
        },
    })
}

pub async fn save_choice(t: Tenant<'_>, student_id: &str, c: &Choice) -> Result<()> {
    sqlx::query(
        "INSERT INTO specialisation_choices (student_id, institution_id, options, choice, motivation, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (student_id) DO UPDATE SET options = $3, choice = $4, motivation = $5, updated_at = $6",
    )
    .bind(student_id)
    .bind(t.institution_id)
    .bind(&c.options)
    .bind(&c.choice)
    .bind(&c.motivation)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(())
}

/// Intake: the study-choice check's outcome (recorded by the counsellor) and the handover
/// note from the previous school (added by the student).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Intake {
    pub study_choice_outcome: Option<String>,
    pub study_choice_notes: String,
    pub handover_note: String,
    pub handover_shared: bool,
}

pub async fn intake(t: Tenant<'_>, student_id: &str) -> Result<Intake> {
    let r = sqlx::query(
        "SELECT study_choice_outcome, study_choice_notes, handover_note, handover_shared FROM intake_records \
         WHERE institution_id = $1 AND student_id = $2",
    )
    .bind(t.institution_id)
    .bind(student_id)
    .fetch_optional(t.pool())
    .await?;
    Ok(match r {
        None => Intake {
            handover_shared: true,
            ..Default::default()
        },
        Some(r) => Intake {
            study_choice_outcome: r.try_get(0)?,
            study_choice_notes: r.try_get(1)?,
            handover_note: r.try_get(2)?,
            handover_shared: r.try_get::<i64, _>(3)? != 0,
        },
    })
}

pub async fn save_intake(t: Tenant<'_>, student_id: &str, i: &Intake) -> Result<()> {
    sqlx::query(
        "INSERT INTO intake_records (student_id, institution_id, study_choice_outcome, study_choice_notes, handover_note, handover_shared, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (student_id) DO UPDATE SET study_choice_outcome = $3, \
         study_choice_notes = $4, handover_note = $5, handover_shared = $6, updated_at = $7",
    )
    .bind(student_id)
    .bind(t.institution_id)
    .bind(i.study_choice_outcome.as_deref())
    .bind(&i.study_choice_notes)
    .bind(&i.handover_note)
    .bind(i64::from(i.handover_shared))
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(())
}
