//! Partner organisations, their contacts, and invitations of their people.

use crate::{AppError, AppResult, Ctx, Done, Event};
use koers_domain::field::input::{ContactDraft, InvitationDraft, PartnerDraft};
use koers_domain::policy::Action;
use koers_store::StoreError;
use koers_store::field::{invitations, partners};

/// Register a partner organisation with its contacts.
pub async fn register(cx: &Ctx<'_>, draft: &PartnerDraft) -> AppResult<Done<String>> {
    cx.require(Action::ManageField)?;
    let p = draft.parse()?;
    let mut tx = cx.begin().await?;
    let id = match partners::create(
        &mut tx,
        &partners::NewPartner {
            name: &p.name,
            kind: p.kind,
            city: &p.city,
            brin: &p.brin,
        },
    )
    .await
    {
        Err(StoreError::Conflict(_)) => return Err(AppError::Conflict("partner")),
        r => r?,
    };
    for c in &p.contacts {
        let contact = partners::Contact {
            name: c.name.clone(),
            role: c.role.clone(),
            email: c.email.clone(),
        };
        partners::add_contact(&mut tx, &id, &contact).await?;
    }
    tx.audit(cx.change("partner.create", &id, serde_json::json!({})))
        .await?;
    tx.commit().await?;
    Ok(Done::new(
        id.clone(),
        vec![Event::PartnerRegistered { partner_id: id }],
    ))
}

/// An invitation made: its id, the address, the role, and the token of the activation link.
#[derive(Debug, Clone)]
pub struct Invited {
    pub id: String,
    pub email: String,
    pub role: koers_domain::field::PartnerRole,
    pub token: String,
    pub expires_at: i64,
}

/// Invite someone of a partner organisation as placement mentor or school coordinator. The
/// [`Event::PartnerInvited`] carries what the invitation mail needs.
pub async fn invite(
    cx: &Ctx<'_>,
    partner_id: &str,
    draft: &InvitationDraft,
) -> AppResult<Done<Invited>> {
    cx.require(Action::ManageField)?;
    let t = cx.tenant();
    let p = partners::get(t, crate::id(partner_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let i = draft.parse()?;
    if koers_store::platform::users::active_by_email(t, i.email.as_str())
        .await?
        .is_some()
    {
        return Err(AppError::invalid("email", "email-taken"));
    }
    let mut tx = cx.begin().await?;
    let (id, token) = invitations::create(
        &mut tx,
        &p.id,
        i.email.as_str(),
        &i.name,
        i.role,
        &cx.user.id,
    )
    .await?;
    tx.audit(cx.change(
        "partner.invite",
        &id,
        serde_json::json!({"partner_id": p.id, "role": i.role.key()}),
    ))
    .await?;
    tx.commit().await?;
    let invited = Invited {
        id: id.clone(),
        email: i.email.as_str().to_owned(),
        role: i.role,
        token: token.clone(),
        expires_at: koers_store::now_ms() + koers_domain::field::INVITATION_DAYS * 86_400_000,
    };
    Ok(Done::new(
        invited,
        vec![Event::PartnerInvited {
            invitation_id: id,
            partner_name: p.name,
            email: i.email.as_str().to_owned(),
            name: i.name,
            token,
        }],
    ))
}

/// Add a contact person to a partner organisation.
pub async fn add_contact(
    cx: &Ctx<'_>,
    partner_id: &str,
    draft: &ContactDraft,
) -> AppResult<Done<()>> {
    cx.require(Action::ManageField)?;
    partners::get(cx.tenant(), crate::id(partner_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = draft.parse()?;
    let contact = partners::Contact {
        name: c.name,
        role: c.role,
        email: c.email,
    };
    let mut tx = cx.begin().await?;
    partners::add_contact(&mut tx, partner_id, &contact).await?;
    tx.audit(cx.change("partner.contact", partner_id, serde_json::json!({})))
        .await?;
    tx.commit().await?;
    Ok(Done::new((), Vec::new()))
}
