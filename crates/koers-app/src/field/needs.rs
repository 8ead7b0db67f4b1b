//! Field needs: what partner organisations ask of the programme and the offer.

use super::{all_problems, own_partner};
use crate::{AppError, AppResult, Ctx, Done, Event};
use koers_domain::field::input::NeedDraft;
use koers_domain::policy::Action;
use koers_store::field::needs::{self, Need};
use koers_store::field::partners;

/// The needs the actor reads: all for the institute, their own organisation's for partners.
pub async fn visible(cx: &Ctx<'_>) -> AppResult<Vec<Need>> {
    let t = cx.tenant();
    if cx.actor.may(Action::ViewField) {
        return Ok(needs::list(t, None).await?);
    }
    let own = own_partner(cx).await?.ok_or(AppError::Forbidden)?;
    Ok(needs::list(t, Some(&own)).await?)
}

/// Submit a need, for the actor's own organisation (partner people) or any partner (the
/// institute).
pub async fn submit(cx: &Ctx<'_>, draft: &NeedDraft) -> AppResult<Done<String>> {
    // Whoever may submit at all is told so before anything about the input.
    cx.require(Action::SubmitNeed { own: true })?;
    let t = cx.tenant();
    let own = own_partner(cx).await?;
    let partner_id = match (draft.partner_id.trim(), &own) {
        ("", Some(o)) => o.clone(),
        ("", None) => return Err(AppError::invalid("partner_id", "partner-unknown")),
        (p, _) => p.to_owned(),
    };
    cx.require(Action::SubmitNeed {
        own: own.as_deref() == Some(partner_id.as_str()),
    })?;
    if !koers_domain::is_id(&partner_id) || partners::get(t, &partner_id).await?.is_none() {
        return Err(AppError::invalid("partner_id", "partner-unknown"));
    }
    let options = crate::competences::options(cx).await?;
    let parsed = draft.parse();
    let unknown = crate::competences::check(&options, &draft.competences);
    let n = all_problems(parsed, unknown)?;
    let mut tx = cx.begin().await?;
    let id = needs::create(
        &mut tx,
        &needs::NewNeed {
            partner_id: &partner_id,
            topic: &n.topic,
            description: &n.description,
            competences: &n.competences,
            urgency: n.urgency,
            teachers: n.teachers,
            submitted_by: &cx.user.id,
        },
    )
    .await?;
    tx.audit(cx.change(
        "field_need.create",
        &id,
        serde_json::json!({"partner_id": partner_id}),
    ))
    .await?;
    tx.commit().await?;
    Ok(Done::new(
        id.clone(),
        vec![Event::NeedSubmitted {
            need_id: id,
            partner_id,
        }],
    ))
}
