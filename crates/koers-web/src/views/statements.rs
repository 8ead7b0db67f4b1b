//! Public statements: the privacy statement (what Koers processes, why, for how long, and
//! your rights) and the accessibility statement (in the form Dutch public bodies publish).
//! Both are readable without logging in; logged in, the privacy statement names your
//! institution.

use super::{Ctx, render};
use crate::auth::{RequestTr, SESSION_COOKIE, cookie_value};
use crate::csrf::PreSessionToken;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use koers_store::Tenant;
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
    institution: Option<String>,
    categories: Vec<Category>,
}

#[derive(Template)]
#[template(path = "accessibility.html")]
struct AccessibilityPage {
    ctx: Ctx,
}

/// The institution of a logged-in visitor, if any.
async fn institution(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let token = cookie_value(headers, SESSION_COOKIE)?;
    let s = sessions::lookup(state.db(), &token, Kind::Web)
        .await
        .ok()??;
    koers_store::platform::institutions::get(Tenant::new(state.db(), &s.institution_id))
        .await
        .ok()
        .map(|i| i.name)
}

pub async fn privacy(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
    headers: HeaderMap,
) -> Response {
    render(&PrivacyPage {
        ctx: Ctx::anonymous(tr, pre.0, "/privacy"),
        institution: institution(&state, &headers).await,
        categories: categories(&state.config().retention),
    })
}

pub async fn accessibility(
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
) -> Response {
    render(&AccessibilityPage {
        ctx: Ctx::anonymous(tr, pre.0, "/accessibility"),
    })
}
