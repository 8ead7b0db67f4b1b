//! The HRM-scan instrument as data: HR advisers read the statements, edit their texts into a
//! new version, import and export the JSON document, and go back to an earlier version.
//! Rounds keep the version they were made with.

use super::frameworks::Problem;
use super::{Ctx, OkQuery, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::commands::finish;
use crate::error::{WebError, WebResult, framework_message};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::AppError;
use koers_app::staff::instrument;
use koers_domain::document::DocError;
use koers_domain::policy::Action;
use koers_domain::staff::scan::{self, Instrument, Stage};
use koers_store::staff::scans::{self, InstrumentVersion};

#[derive(Template)]
#[template(path = "hrm_instrument.html")]
struct Page {
    ctx: Ctx,
    i: Instrument,
    versions: Vec<InstrumentVersion>,
    can_edit: bool,
    next_version: String,
    problems: Vec<Problem>,
    /// Texts as typed in the edit form (`nl:KEY`, `en:KEY`, `version`).
    typed: Vec<(String, String)>,
}

impl Page {
    fn items_of(&self, s: &Stage) -> Vec<&scan::Item> {
        self.i.items.iter().filter(|i| i.stage == *s).collect()
    }
    fn typed_or<'a>(&'a self, name: &str, stored: &'a str) -> &'a str {
        self.typed
            .iter()
            .find(|(k, _)| k == name)
            .map_or(stored, |(_, v)| v.as_str())
    }
}

fn require_view(a: &Authenticated) -> WebResult<()> {
    a.require(Action::ViewScanResults { published: false })
}

async fn page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    problems: Vec<Problem>,
    typed: Vec<(String, String)>,
    status: StatusCode,
) -> WebResult<Response> {
    require_view(a)?;
    let t = a.tenant(state);
    let current = scans::current_instrument(t).await?;
    Ok(render_status(
        status,
        &Page {
            ctx: Ctx::user(a, "/hrm-scan/instrument", "hrm-scan").with_flash(flash),
            versions: scans::instrument_versions(t).await?,
            can_edit: a.actor.may(Action::RunHrmScan),
            next_version: scan::next_version(&current.instrument.version),
            i: current.instrument,
            problems,
            typed,
        },
    ))
}

fn problems(a: &Authenticated, errors: &[DocError]) -> Vec<Problem> {
    errors
        .iter()
        .map(|e| Problem {
            path: if e.path.is_empty() {
                "/".into()
            } else {
                e.path.clone()
            },
            message: framework_message(&a.tr, e),
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    page(
        &state,
        &a,
        q.ok.as_deref(),
        Vec::new(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// The current version as a JSON document.
pub async fn export(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    require_view(&a)?;
    let i = scans::current_instrument(a.tenant(&state))
        .await?
        .instrument;
    Ok(crate::staff::instrument_download(&i))
}

async fn conflict(
    state: &AppState,
    a: &Authenticated,
    typed: Vec<(String, String)>,
) -> WebResult<Response> {
    let p = vec![Problem {
        path: "/version".into(),
        message: a.tr.t("instrument-version-taken"),
    }];
    page(state, a, None, p, typed, StatusCode::CONFLICT).await
}

/// Import a document uploaded as a file.
pub async fn import(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    headers: axum::http::HeaderMap,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<Response> {
    a.require(Action::RunHrmScan)?;
    let upload = crate::forms::Upload::read(mp).await?;
    let (csrf, bytes) = (upload.csrf().to_owned(), upload.file);
    crate::csrf::verify(&a.session.csrf_token, &csrf)?;
    let text = String::from_utf8_lossy(&bytes);
    match scan::parse(text.trim_start_matches('\u{feff}')) {
        Err(errors) => {
            let p = problems(&a, &errors);
            page(
                &state,
                &a,
                None,
                p,
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Ok(i) => match instrument::keep(&a.cx(&state), &i, "imported").await {
            Err(AppError::Conflict(_)) => conflict(&state, &a, Vec::new()).await,
            Err(e) => Err(e.into()),
            Ok(done) => {
                finish(&state, &a, &headers, done).await?;
                Ok(Redirect::to("/hrm-scan/instrument?ok=saved").into_response())
            }
        },
    }
}

/// Save edited statements as a new version.
pub async fn edit(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::RunHrmScan)?;
    let mut i = scans::current_instrument(a.tenant(&state))
        .await?
        .instrument;
    i.version = form.get("version").trim().to_owned();
    for item in &mut i.items {
        item.text.nl = form.get(&format!("nl:{}", item.key)).trim().to_owned();
        item.text.en = form.get(&format!("en:{}", item.key)).trim().to_owned();
    }
    // The edited copy goes through the same checks as an imported document.
    match scan::parse(&scan::to_json(&i)) {
        Err(errors) => {
            let p = problems(&a, &errors);
            page(
                &state,
                &a,
                None,
                p,
                form.0,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Ok(checked) => match instrument::keep(&a.cx(&state), &checked, "edited").await {
            Err(AppError::Conflict(_)) => conflict(&state, &a, form.0).await,
            Err(e) => Err(e.into()),
            Ok(done) => {
                finish(&state, &a, &headers, done).await?;
                Ok(Redirect::to("/hrm-scan/instrument?ok=saved").into_response())
            }
        },
    }
}

/// Go back to an earlier version.
pub async fn make_current(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::RunHrmScan)?;
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    scans::set_current_instrument(a.tenant(&state), &id).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "hrm_instrument.current",
        &id,
        serde_json::json!({}),
    )
    .await?;
    Ok(Redirect::to("/hrm-scan/instrument?ok=saved").into_response())
}
