//! Where the web layer meets the application's commands: a finished command's audit line is
//! already written (so the request's generic audit event is not), and its events are
//! announced — mail and notifications hook in here, never in a page or an API handler.

use crate::auth::Authenticated;
use crate::error::WebResult;
use crate::state::AppState;
use axum::http::HeaderMap;
use koers_app::{Done, Event};
use koers_store::platform::audit::NewEvent;

/// Take a finished command's value, after announcing its events.
pub async fn finish<T>(
    state: &AppState,
    a: &Authenticated,
    headers: &HeaderMap,
    done: Done<T>,
) -> WebResult<T> {
    crate::audit_trail::note_audited();
    for event in &done.events {
        announce(state, a, headers, event).await?;
    }
    Ok(done.value)
}

/// Tell whoever an event concerns.
async fn announce(
    state: &AppState,
    a: &Authenticated,
    headers: &HeaderMap,
    event: &Event,
) -> WebResult<()> {
    match event {
        Event::PartnerInvited {
            partner_name,
            email,
            name,
            token,
            ..
        } => {
            let link =
                crate::calendar_feed::absolute(state, headers, &format!("/invitations/{token}"));
            crate::notify::invitation(
                state,
                a.tenant(state),
                &crate::notify::Invited {
                    email,
                    name,
                    partner: partner_name,
                    inviter: &a.user.name,
                    link: &link,
                    days: koers_domain::field::INVITATION_DAYS,
                },
            )
            .await
        }
        Event::ConversationPlanned { conversation_id } => {
            if let Some(c) =
                koers_store::guidance::conversations::get(a.tenant(state), conversation_id).await?
            {
                crate::notify::conversation_planned(state, &a.user.institution_id, &c).await?;
            }
            Ok(())
        }
        Event::PartnerRegistered { .. }
        | Event::ImprovementActionAssigned { .. }
        | Event::ReportWritten { .. }
        | Event::PlacementCreated { .. }
        | Event::NeedSubmitted { .. }
        | Event::OfferPublished { .. } => Ok(()),
    }
}

/// Record a change a handler made itself, outside the application layer (its own line after
/// the change: what is not yet a command of `koers-app`).
pub async fn audit_change(
    state: &AppState,
    a: &Authenticated,
    action: &str,
    subject_id: &str,
    details: serde_json::Value,
) -> WebResult<()> {
    let cx = a.cx(state);
    crate::audit_trail::record(state.db(), cx.change(action, subject_id, details)).await?;
    Ok(())
}

/// An account was refused because its address is taken. Addresses are unique across the
/// server (they are the login), so the refusal says an address exists somewhere; whoever asks
/// leaves a line in their own institution's log, so probing for addresses is seen (see
/// docs/security.md, "Accounts and institutions").
pub(crate) async fn audit_refused_address(
    state: &AppState,
    a: &Authenticated,
    email: &str,
) -> WebResult<()> {
    let cx = a.cx(state);
    crate::audit_trail::record(
        state.db(),
        NewEvent {
            details: serde_json::json!({"email": email, "reason": "email-taken"}),
            ..cx.event("user.create-refused")
        },
    )
    .await?;
    Ok(())
}

/// Roles as they appear in an audit line.
pub(crate) fn roles_json(roles: &[koers_domain::RoleAssignment]) -> serde_json::Value {
    serde_json::Value::Array(
        roles
            .iter()
            .map(|r| serde_json::json!({"role": r.role.key(), "programme_id": r.programme_id}))
            .collect(),
    )
}
