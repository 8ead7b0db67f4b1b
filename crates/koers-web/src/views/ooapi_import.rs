//! Importing programmes and the learning line from the institution's Open Education API
//! (administrators): a dry run shows what would change, confirming applies exactly that.

use super::{Ctx, render_status};
use crate::auth::WebUser;
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::ooapi::{Counts, counts, dry_run};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::curriculum::ooapi::{Change, Course, Program, ProgrammePlan, Skipped, plan};
use koers_domain::policy::Action;
use koers_store::curriculum::ooapi as store;
use koers_store::platform::import_runs;

#[derive(Template)]
#[template(path = "ooapi_import.html")]
struct ImportPage {
    ctx: Ctx,
    url: String,
    token: String,
    error: Option<String>,
    plans: Vec<ProgrammePlan>,
    skipped: Vec<Skipped>,
    programmes: Counts,
    activities: Counts,
    pending: Option<String>,
    done: Option<String>,
}

impl ImportPage {
    fn change_label(&self, c: &Change) -> String {
        self.ctx.tr.t(&format!("ooapi-change-{}", c.key()))
    }
    fn reason(&self, s: &Skipped) -> String {
        self.ctx.tr.t(s.reason)
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    #[serde(default)]
    created: Option<i64>,
    #[serde(default)]
    updated: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    a.require(Action::ManageProgrammes)?;
    let url = store::last_source(a.tenant(&state))
        .await?
        .unwrap_or_default();
    let done = match (q.created, q.updated) {
        (Some(c), Some(u)) => Some(a.tr.tns("ooapi-done", &[("created", c), ("updated", u)])),
        _ => None,
    };
    Ok(render_status(
        StatusCode::OK,
        &ImportPage {
            ctx: Ctx::user(&a, "/admin/ooapi", "programmes"),
            url,
            token: String::new(),
            error: None,
            plans: Vec::new(),
            skipped: Vec::new(),
            programmes: Counts::default(),
            activities: Counts::default(),
            pending: None,
            done,
        },
    ))
}

/// The dry run: fetch, compare, keep what was fetched, and show the changes.
pub async fn preview(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageProgrammes)?;
    let url = form.get("url").trim().to_owned();
    let token = form.get("token").to_owned();
    let t = a.tenant(&state);
    let mut page = ImportPage {
        ctx: Ctx::user(&a, "/admin/ooapi", "programmes"),
        url: url.clone(),
        token: token.clone(),
        error: None,
        plans: Vec::new(),
        skipped: Vec::new(),
        programmes: Counts::default(),
        activities: Counts::default(),
        pending: None,
        done: None,
    };
    let (fetched, plans) = match dry_run(t, &url, &token, state.config().ooapi_allow_internal).await
    {
        Ok(result) => result?,
        Err(e) => {
            tracing::info!(error = %e, "an OOAPI dry run failed");
            page.error = Some(a.tr.t(&format!("error-{}", e.key())));
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let payload =
        serde_json::to_string(&fetched.programs).map_err(|e| WebError::Internal(e.to_string()))?;
    page.pending = Some(import_runs::save_pending(t, &a.user.id, "ooapi", &url, &payload).await?);
    (page.programmes, page.activities) = counts(&plans);
    page.plans = plans;
    page.skipped = fetched.skipped;
    // The token is not sent back once it has done its work.
    page.token = String::new();
    Ok(render_status(StatusCode::OK, &page))
}

/// Apply what the dry run showed (compared again with what Koers has now).
pub async fn apply(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageProgrammes)?;
    let t = a.tenant(&state);
    let id = form.get("pending");
    let (source, payload) = import_runs::pending(t, id, &a.user.id, "ooapi")
        .await?
        .ok_or(WebError::NotFound)?;
    let programs: Vec<(Program, Vec<Course>)> =
        serde_json::from_str(&payload).map_err(|e| WebError::Internal(e.to_string()))?;
    let (existing, activities) = store::existing(t).await?;
    let plans = plan(&programs, &existing, &activities);
    let done = store::apply(t, &plans, &a.user.id, &source, Some(id)).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "ooapi.import",
        &a.user.institution_id,
        serde_json::json!({"source": source, "created": done.created, "updated": done.updated}),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/admin/ooapi?created={}&updated={}",
        done.created, done.updated
    ))
    .into_response())
}
