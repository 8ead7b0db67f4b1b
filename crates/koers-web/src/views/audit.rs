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
use koers_store::platform::users;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ctx: Ctx,
    events: Vec<Event>,
    kind: String,
    /// The e-mail addresses filtered on: who did it, whom it was about.
    who: String,
    about: String,
    /// A filter named nobody in the institution.
    unknown_person: bool,
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
    #[serde(default)]
    who: String,
    #[serde(default)]
    about: String,
}

impl AuditPage {
    /// The query of the next page: the same filters, from the cursor.
    fn next_query(&self, cursor: &str) -> String {
        serde_urlencoded::to_string([
            ("kind", self.kind.as_str()),
            ("who", self.who.as_str()),
            ("about", self.about.as_str()),
            ("cursor", cursor),
        ])
        .unwrap_or_default()
    }
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
    let t = a.tenant(&state);
    // A person by e-mail address: `Some(None)` when nobody in the institution has it.
    let person = |email: String| async move {
        let email = email.trim().to_lowercase();
        if email.is_empty() {
            return Ok::<_, WebError>(None);
        }
        Ok(Some(users::id_by_email(t, &email).await?))
    };
    let (who, about) = (q.who.trim().to_lowercase(), q.about.trim().to_lowercase());
    let actor = person(who.clone()).await?;
    let subject = person(about.clone()).await?;
    let unknown_person = matches!(actor, Some(None)) || matches!(subject, Some(None));
    let filter = audit::Filter {
        action_prefix: prefix.as_deref(),
        actor_id: actor.as_ref().and_then(|p| p.as_deref()),
        person_id: subject.as_ref().and_then(|p| p.as_deref()),
    };
    let page = if unknown_person {
        koers_store::platform::Page {
            items: Vec::new(),
            next: None,
        }
    } else {
        audit::list_filtered(t, &filter, limit, cursor.as_deref()).await?
    };
    Ok(render(&AuditPage {
        ctx: Ctx::user(&a, "/admin/audit", "audit"),
        events: page.items,
        kind,
        who,
        about,
        unknown_person,
        next: page.next,
        chain: match q.verify {
            Some(_) => Some(audit::verify(state.db(), Some(&a.user.institution_id)).await?),
            None => None,
        },
    }))
}
