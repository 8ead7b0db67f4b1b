//! The competences people can name (development goals, field needs, offer items): those of
//! every current framework of the institution.

use crate::{AppResult, Ctx};
use koers_store::curriculum::frameworks;

/// A competence that can be named: (`FRAMEWORK/COMPETENCE`, "framework: name").
#[derive(Debug, Clone)]
pub struct CompetenceOption {
    pub key: String,
    pub label: String,
}

/// The competences of every current framework, labelled in the actor's language.
pub async fn options(cx: &Ctx<'_>) -> AppResult<Vec<CompetenceOption>> {
    let t = cx.tenant();
    frameworks::ensure_shipped(t).await?;
    let current: Vec<String> = frameworks::list(t)
        .await?
        .into_iter()
        .filter(|f| f.current)
        .map(|f| f.id)
        .collect();
    Ok(frameworks::competences_of(t, &current)
        .await?
        .into_iter()
        .map(|c| CompetenceOption {
            key: format!("{}/{}", c.framework_key, c.key),
            label: format!("{}: {}", c.framework_name.get(cx.lang), c.name.get(cx.lang)),
        })
        .collect())
}

/// The problem with competences as typed that name none of the options, if any
/// (`competence-unknown`; what cannot be a competence reference at all is the draft's own
/// problem).
pub fn check(options: &[CompetenceOption], typed: &[String]) -> Vec<koers_domain::FieldError> {
    use koers_domain::staff::development::CompetenceRef;
    let known = |k: &String| options.iter().any(|o| &o.key == k);
    if typed
        .iter()
        .filter_map(|t| CompetenceRef::parse(t))
        .all(|c| known(&c.key()))
    {
        Vec::new()
    } else {
        vec![koers_domain::FieldError::new(
            "competences",
            "competence-unknown",
        )]
    }
}
