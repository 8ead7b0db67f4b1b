//! Public statements: the privacy statement (what Koers processes, why, for how long, and
//! your rights) and the accessibility statement (in the form Dutch public bodies publish).
//! Both are readable without logging in; logged in, the privacy statement names your
//! institution.

use super::{Ctx, render};
use crate::auth::{RequestTr, SESSION_COOKIE, cookie_value};
use crate::csrf::PreSessionToken;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use koers_store::Tenant;
use koers_store::platform::institutions::{self, PrivacyContact};
use koers_store::platform::retention::Policy;
use koers_store::platform::sessions::{self, Kind};

/// One category of personal data on the privacy page.
pub struct Category {
    pub key: &'static str,
    /// The retention period in days, when a rule of the daily job applies.
    pub days: Option<i64>,
    /// The retention rule's key (which clock starts it).
    pub rule: &'static str,
}

fn categories(p: &Policy) -> Vec<Category> {
    vec![
        Category {
            key: "account",
            days: Some(p.inactive_accounts),
            rule: "inactive-accounts",
        },
        Category {
            key: "guidance",
            days: Some(p.left_students),
            rule: "left-students",
        },
        Category {
            key: "curriculum",
            days: Some(p.left_students),
            rule: "left-students",
        },
        Category {
            key: "placements",
            days: Some(p.left_students),
            rule: "left-students",
        },
        Category {
            key: "staff",
            days: Some(p.inactive_accounts),
            rule: "inactive-accounts",
        },
        Category {
            key: "scan",
            days: None,
            rule: "anonymous",
        },
        Category {
            key: "audit",
            days: Some(p.audit_personal),
            rule: "audit-personal",
        },
        Category {
            key: "notifications",
            days: Some(p.notifications),
            rule: "notifications",
        },
        Category {
            key: "mail",
            days: Some(p.outbox),
            rule: "outbox",
        },
    ]
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    ctx: Ctx,
    institution: Option<Institution>,
    categories: Vec<Category>,
}

/// The institution a statement is about, with its own part.
struct Institution {
    name: String,
    slug: String,
    contact: PrivacyContact,
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    ctx: Ctx,
}

/// The institution of a logged-in visitor, if any.
async fn visitor_institution(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let token = cookie_value(headers, SESSION_COOKIE)?;
    let s = sessions::lookup(state.db(), &token, Kind::Web)
        .await
        .ok()??;
    Some(s.institution_id)
}

async fn institution(state: &AppState, id: &str) -> WebResult<Institution> {
    let t = Tenant::new(state.db(), id);
    let i = institutions::get(t).await?;
    Ok(Institution {
        name: i.name,
        slug: i.slug,
        contact: institutions::privacy_contact(t).await?,
    })
}

fn privacy_page(state: &AppState, ctx: Ctx, institution: Option<Institution>) -> Response {
    render(&PrivacyPage {
        ctx,
        institution,
        categories: categories(&state.config().retention),
    })
}

/// The statement: the visitor's own institution's when logged in, else the general one.
pub async fn privacy(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let inst = match visitor_institution(&state, &headers).await {
        Some(id) => Some(institution(&state, &id).await?),
        None => None,
    };
    Ok(privacy_page(
        &state,
        Ctx::anonymous(tr, pre.0, "/privacy"),
        inst,
    ))
}

/// One institution's statement, public (the institution links to it from its own site).
pub async fn institution_privacy(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
    Path(slug): Path<String>,
) -> WebResult<Response> {
    let found = institutions::by_slug(state.db(), &slug)
        .await?
        .ok_or(WebError::NotFound)?;
    let inst = institution(&state, &found.id).await?;
    Ok(privacy_page(
        &state,
        Ctx::anonymous(tr, pre.0, &format!("/privacy/{slug}")),
        Some(inst),
    ))
}

pub async fn accessibility(
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
) -> Response {
    render(&AccessibilityPage {
        ctx: Ctx::anonymous(tr, pre.0, "/accessibility"),
    })
}
