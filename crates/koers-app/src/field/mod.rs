//! The receiving field: partner organisations and their people, placements, field needs and
//! the professional-development offer.

pub mod needs;
pub mod offer;
pub mod partners;
pub mod placements;

use crate::{AppResult, Ctx};
use koers_domain::FieldError;

/// The partner organisation the actor belongs to (partner people only).
pub async fn own_partner(cx: &Ctx<'_>) -> AppResult<Option<String>> {
    if !cx.actor.roles.iter().any(|r| r.role.is_partner()) {
        return Ok(None);
    }
    Ok(koers_store::field::partners::of_member(cx.tenant(), &cx.user.id).await?)
}

/// A draft's own problems together with those found against stored data, so a form shows
/// them all at once.
pub(crate) fn all_problems<T>(
    parsed: Result<T, Vec<FieldError>>,
    found: Vec<FieldError>,
) -> AppResult<T> {
    match parsed {
        Ok(v) if found.is_empty() => Ok(v),
        Ok(_) => Err(found.into()),
        Err(mut e) => {
            e.extend(found);
            Err(e.into())
        }
    }
}
