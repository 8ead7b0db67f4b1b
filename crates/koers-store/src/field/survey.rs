//! The yearly field survey: partner schools rate graduates' LOB competence per competence.

use crate::{Result, Tenant};

/// Keep (or replace) a partner's rating of a competence for a year (1..5).
pub async fn rate(
    t: Tenant<'_>,
    partner_id: &str,
    year: i64,
    competence: &str,
    rating: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO field_survey_ratings (id, institution_id, partner_id, year, competence, rating) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (partner_id, year, competence) DO UPDATE SET rating = excluded.rating",
    )
    .bind(koers_domain::new_id())
    .bind(t.institution_id)
    .bind(partner_id)
    .bind(year)
    .bind(competence)
    .bind(rating)
    .execute(t.pool())
    .await?;
    Ok(())
}

/// A survey year's results: (year, [(competence, mean rating, partners who rated)]).
pub type Results = (i64, Vec<(String, f64, i64)>);

/// The mean rating per competence of the latest survey year.
pub async fn latest(t: Tenant<'_>) -> Result<Option<Results>> {
    let year: Option<i64> =
        sqlx::query_scalar("SELECT MAX(year) FROM field_survey_ratings WHERE institution_id = $1")
            .bind(t.institution_id)
            .fetch_one(t.pool())
            .await?;
    let Some(year) = year else { return Ok(None) };
    let rows: Vec<(String, f64, i64)> = sqlx::query_as(
        "SELECT competence, AVG(CAST(rating AS DOUBLE PRECISION)), COUNT(*) FROM field_survey_ratings \
         WHERE institution_id = $1 AND year = $2 GROUP BY competence ORDER BY competence",
    )
    .bind(t.institution_id)
    .bind(year)
    .fetch_all(t.pool())
    .await?;
    Ok(Some((year, rows)))
}

/// A partner's ratings of a year: (competence, rating).
pub async fn of_partner(t: Tenant<'_>, partner_id: &str, year: i64) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT competence, rating FROM field_survey_ratings WHERE institution_id = $1 AND partner_id = $2 AND year = $3",
    )
    .bind(t.institution_id)
    .bind(partner_id)
    .bind(year)
    .fetch_all(t.pool())
    .await?)
}
