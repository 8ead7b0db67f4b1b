//! The bell: a person's notifications, read and unread; and the mail outbox an administrator
//! reads while no mail server is configured.

use super::{Ctx, render_status};
use crate::auth::WebUser;
use crate::error::WebResult;
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::policy::Action;
use koers_store::platform::notifications::{self, Notification, OutboxMail};

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    ctx: Ctx,
    items: Vec<Notification>,
}

pub async fn list(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    let items = notifications::for_user(a.tenant(&state), &a.user.id, 200).await?;
    Ok(render_status(
        StatusCode::OK,
        &NotificationsPage {
            ctx: Ctx::user(&a, "/notifications", "notifications"),
            items,
        },
    ))
}

/// Mark one notification (`id`) or all of them read, or one unread (`unread=1`).
pub async fn mark(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let id = Some(form.get("id")).filter(|i| koers_domain::is_id(i));
    notifications::set_read(a.tenant(&state), &a.user.id, id, form.get("unread") != "1").await?;
    // Following a notification's link marks it read on the way.
    Ok(Redirect::to(&super::local_path(form.get("next"), "/notifications")).into_response())
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    ctx: Ctx,
    mails: Vec<OutboxMail>,
}

/// The outbox (administrators): every mail Koers made, sent or waiting.
pub async fn outbox(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    a.require(Action::ViewAuditLog)?;
    let mails = notifications::outbox(a.tenant(&state), 200).await?;
    Ok(render_status(
        StatusCode::OK,
        &OutboxPage {
            ctx: Ctx::user(&a, "/admin/outbox", "audit"),
            mails,
        },
    ))
}
