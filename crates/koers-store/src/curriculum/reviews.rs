//! Review requests and feedback on a student's work (evidence, practice conversations,
//! activity designs): who was asked, and the judgements given.

use crate::{Result, Tenant, now_ms};
use sqlx::Row;

/// Kinds of work others can be asked to review.
pub const PRACTICE: &str = "practice";
pub const EVIDENCE: &str = "evidence";
pub const DESIGN: &str = "design";

#[derive(Debug, Clone)]
pub struct ReviewRequest {
    pub id: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub owner_id: String,
    pub owner_name: String,
    pub reviewer_id: String,
    pub reviewer_name: String,
    pub message: String,
    pub status: String,
    pub created_at: i64,
}

pub async fn request_review(
    t: Tenant<'_>,
    kind: &str,
    subject_id: &str,
    owner_id: &str,
    reviewer_id: &str,
    message: &str,
) -> Result<String> {
    let id = koers_domain::new_id();
    sqlx::query(
        "INSERT INTO review_requests (id, institution_id, subject_kind, subject_id, owner_id, reviewer_id, \
         message, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(kind)
    .bind(subject_id)
    .bind(owner_id)
    .bind(reviewer_id)
    .bind(message)
    .bind(now_ms())
    .execute(t.pool())
    .await?;
    Ok(id)
}

/// Whether `user_id` was asked to review the subject (and the request was not withdrawn).
pub async fn was_asked(t: Tenant<'_>, subject_id: &str, user_id: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM review_requests WHERE institution_id = $1 AND subject_id = $2 \
         AND reviewer_id = $3 AND status <> 'withdrawn'",
    )
    .bind(t.institution_id)
    .bind(subject_id)
    .bind(user_id)
    .fetch_one(t.pool())
    .await?;
    Ok(n > 0)
}

const REQUESTS: &str = "SELECT r.id, r.subject_kind, r.subject_id, r.owner_id, o.name, r.reviewer_id, v.name, \
    r.message, r.status, r.created_at FROM review_requests r JOIN users o ON o.id = r.owner_id \
    JOIN users v ON v.id = r.reviewer_id";

fn request_row(r: &sqlx::any::AnyRow) -> Result<ReviewRequest> {
    Ok(ReviewRequest {
        id: r.try_get(0)?,
        subject_kind: r.try_get(1)?,
        subject_id: r.try_get(2)?,
        owner_id: r.try_get(3)?,
        owner_name: r.try_get(4)?,
        reviewer_id: r.try_get(5)?,
        reviewer_name: r.try_get(6)?,
        message: r.try_get(7)?,
        status: r.try_get(8)?,
        created_at: r.try_get(9)?,
    })
}

/// Requests addressed to a reviewer: the open ones first (oldest first), then the latest
/// finished ones.
pub async fn for_reviewer(t: Tenant<'_>, reviewer_id: &str) -> Result<Vec<ReviewRequest>> {
    let sql = format!(
        "{REQUESTS} WHERE r.institution_id = $1 AND r.reviewer_id = $2 AND r.status <> 'withdrawn' \
         ORDER BY CASE WHEN r.status = 'open' THEN 0 ELSE 1 END, \
         CASE WHEN r.status = 'open' THEN r.created_at ELSE -r.created_at END LIMIT 50"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(reviewer_id)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(request_row)
        .collect()
}

/// The requests made for one subject.
pub async fn requests_for(t: Tenant<'_>, subject_id: &str) -> Result<Vec<ReviewRequest>> {
    let sql = format!(
        "{REQUESTS} WHERE r.institution_id = $1 AND r.subject_id = $2 ORDER BY r.created_at"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(t.institution_id)
        .bind(subject_id)
        .fetch_all(t.pool())
        .await?
        .iter()
        .map(request_row)
        .collect()
}

#[derive(Debug, Clone)]
pub struct Feedback {
    pub id: String,
    pub author_id: Option<String>,
    pub author_name: Option<String>,
    pub competence_id: Option<String>,
    pub level_key: Option<String>,
    pub text: String,
    pub created_at: i64,
}

/// Add feedback; closes the author's open request for the subject.
pub async fn add_feedback(
    t: Tenant<'_>,
    kind: &str,
    subject_id: &str,
    author_id: &str,
    competence_id: Option<&str>,
    level_key: Option<&str>,
    text: &str,
) -> Result<String> {
    let id = koers_domain::new_id();
    let now = now_ms();
    let mut tx = t.db.begin().await?;
    sqlx::query(
        "INSERT INTO feedback (id, institution_id, subject_kind, subject_id, author_id, competence_id, level_key, \
         text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(t.institution_id)
    .bind(kind)
    .bind(subject_id)
    .bind(author_id)
    .bind(competence_id)
    .bind(level_key)
    .bind(text)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE review_requests SET status = 'done', closed_at = $4 WHERE institution_id = $1 \
         AND subject_id = $2 AND reviewer_id = $3 AND status = 'open'",
    )
    .bind(t.institution_id)
    .bind(subject_id)
    .bind(author_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn feedback_for(t: Tenant<'_>, subject_id: &str) -> Result<Vec<Feedback>> {
    sqlx::query(
        "SELECT f.id, f.author_id, u.name, f.competence_id, f.level_key, f.text, f.created_at FROM feedback f \
         LEFT JOIN users u ON u.id = f.author_id WHERE f.institution_id = $1 AND f.subject_id = $2 \
         ORDER BY f.created_at, f.id",
    )
    .bind(t.institution_id)
    .bind(subject_id)
    .fetch_all(t.pool())
    .await?
    .iter()
    .map(|r| {
        Ok(Feedback {
            id: r.try_get(0)?,
            author_id: r.try_get(1)?,
            author_name: r.try_get(2)?,
            competence_id: r.try_get(3)?,
            level_key: r.try_get(4)?,
            text: r.try_get(5)?,
            created_at: r.try_get(6)?,
        })
    })
    .collect()
}

/// Remove the feedback on and review requests for a piece of work (before the work itself).
pub(crate) async fn delete_reviews(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    t: Tenant<'_>,
    subject_id: &str,
) -> Result<()> {
    for sql in [
        "DELETE FROM feedback WHERE institution_id = $1 AND subject_id = $2",
        "DELETE FROM review_requests WHERE institution_id = $1 AND subject_id = $2",
    ] {
        sqlx::query(sql)
            .bind(t.institution_id)
            .bind(subject_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
