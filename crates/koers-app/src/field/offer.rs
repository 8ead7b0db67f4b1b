//! The professional-development offer: courses, modules and training events.

use super::all_problems;
use crate::{AppError, AppResult, Ctx, Done, Event};
use koers_domain::field::input::{OfferDraft, OfferPersonDraft};
use koers_domain::policy::Action;
use koers_store::field::offer;

/// Add an item with its sessions and co-designers; one transaction with its audit line.
pub async fn publish(cx: &Ctx<'_>, draft: &OfferDraft) -> AppResult<Done<String>> {
    cx.require(Action::ManageField)?;
    let options = crate::competences::options(cx).await?;
    let parsed = draft.parse();
    let unknown = crate::competences::check(&options, &draft.competences);
    let o = all_problems(parsed, unknown)?;
    let mut tx = cx.begin().await?;
    let id = offer::create(
        &mut tx,
        &offer::NewItem {
            kind: o.kind,
            title: &o.title,
            description: &o.description,
            competences: &o.competences,
            capacity: o.capacity,
        },
    )
    .await?;
    for s in &o.sessions {
        let session = offer::Session {
            starts_at: s.starts_at,
            duration_minutes: s.duration_minutes,
            location: s.location.clone(),
        };
        offer::add_session(&mut tx, &id, &session).await?;
    }
    for c in &o.codesigners {
        let person = offer::Person {
            kind: "codesigner".into(),
            name: c.name.clone(),
            organisation: c.organisation.clone(),
        };
        offer::add_person(&mut tx, &id, &person).await?;
    }
    tx.audit(cx.change("offer.create", &id, serde_json::json!({})))
        .await?;
    tx.commit().await?;
    Ok(Done::new(
        id.clone(),
        vec![Event::OfferPublished { item_id: id }],
    ))
}

/// Record a co-designer or a participant of an item.
pub async fn add_person(
    cx: &Ctx<'_>,
    item_id: &str,
    draft: &OfferPersonDraft,
) -> AppResult<Done<()>> {
    cx.require(Action::ManageField)?;
    offer::get(cx.tenant(), crate::id(item_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = draft.parse()?;
    let person = offer::Person {
        kind: p.kind.into(),
        name: p.name,
        organisation: p.organisation,
    };
    let mut tx = cx.begin().await?;
    offer::add_person(&mut tx, item_id, &person).await?;
    tx.audit(cx.change("offer.person", item_id, serde_json::json!({"kind": p.kind})))
        .await?;
    tx.commit().await?;
    Ok(Done::new((), Vec::new()))
}
