//! Storage of the receiving field: partners, invitations, placements, needs and the offer.

pub mod invitations;
pub mod needs;
pub mod offer;
pub mod partners;
pub mod placements;
pub mod survey;

use crate::{Result, Tenant};

/// Every learning-line activity with a competence it addresses: (activity id, title,
/// programme code, `FRAMEWORK/COMPETENCE`), for the alignment matrix.
pub async fn activity_sources(t: Tenant<'_>) -> Result<Vec<(String, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.title, p.code, f.key || '/' || c.key FROM activities a \
         JOIN programmes p ON p.id = a.programme_id \
         JOIN activity_competences ac ON ac.activity_id = a.id \
         JOIN competences c ON c.id = ac.competence_id JOIN frameworks f ON f.id = c.framework_id \
         WHERE a.institution_id = $1 ORDER BY p.code, a.year, a.period, a.title, a.id",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?)
}

/// What can cover a need: every learning-line activity and every item of the offer, with the
/// competences each develops (activities first, in learning-line order).
pub async fn alignment_sources(
    t: Tenant<'_>,
) -> Result<Vec<koers_domain::field::alignment::Source>> {
    use koers_domain::field::alignment::Source;
    let mut sources: Vec<Source> = Vec::new();
    for (id, title, code, key) in activity_sources(t).await? {
        match sources
            .iter_mut()
            .find(|s| s.kind == "activity" && s.id == id)
        {
            Some(s) => {
                s.competences.insert(key);
            }
            None => sources.push(Source {
                kind: "activity",
                id,
                title: format!("{code}: {title}"),
                competences: std::collections::BTreeSet::from([key]),
            }),
        }
    }
    for o in offer::list(t).await? {
        sources.push(Source {
            kind: "offer",
            id: o.id,
            title: o.title,
            competences: o.competences.into_iter().collect(),
        });
    }
    Ok(sources)
}
