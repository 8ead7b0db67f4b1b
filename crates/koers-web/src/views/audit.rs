//! The audit log, newest first, filterable by kind of event.

use super::{Ctx, render};
use crate::auth::WebUser;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use koers_domain::policy::Action;
use koers_store::platform::audit::{self, Event};

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: Ctx,
    events: Vec<Event>,
    kind: String,
    next: Option<String>,
    /// The hash chain's check, when asked for.
    chain: Option<audit::ChainReport>,
}

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    kind: String,
    cursor: Option<String>,
    #[serde(default)]
    verify: Option<String>,
}

pub const KINDS: [&str; 6] = ["login", "account", "user", "programme", "cohort", "change"];

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<AuditQuery>,
    export: Option<axum::Extension<super::csv::Export>>,
) -> WebResult<Response> {
    if !a.actor.may(Action::ViewAuditLog) {
        return Err(WebError::Forbidden);
    }
    let limit = if export.is_some() {
        super::csv::MAX_EXPORT_ROWS
    } else {
        50
    };
    let kind = if KINDS.contains(&q.kind.as_str()) {
        q.kind
    } else {
        String::new()
    };
    let prefix = (!kind.is_empty()).then(|| format!("{kind}."));
    let cursor = q.cursor.filter(|c| koers_domain::is_id(c));
    let page = audit::list(
        a.tenant(&state),
        prefix.as_deref(),
        limit,
        cursor.as_deref(),
    )
    .await?;
    Ok(render(&AuditPage {
        ctx: Ctx::user(&a, "/admin/audit", "audit"),
        events: page.items,
        kind,
        next: page.next,
        chain: match q.verify {
            Some(_) => Some(audit::verify(state.db(), Some(&a.user.institution_id)).await?),
            None => None,
        },
    }))
}
