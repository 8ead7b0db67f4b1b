//! Importing staff from CSV (administrators): the file is checked whole (every problem with
//! its line), a preview says what will happen, and confirming applies it in one go.

use super::import::{Problem, problems};
use super::{Ctx, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::{SignedForm, Upload};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::guidance::import::ImportError;
use koers_domain::policy::Action;
use koers_domain::staff::import::{StaffRow, parse};
use koers_store::platform::import_runs;
use koers_store::staff::import as store;

const KIND: &str = "staff";

#[derive(Template)]
#[template(path = "staff_import.html")]
struct ImportPage {
    ctx: Ctx,
    filename: String,
    problems: Vec<Problem>,
    rows: Vec<StaffRow>,
    new: i64,
    updated: i64,
    pending: Option<String>,
    done: Option<String>,
}

impl ImportPage {
    fn new(a: &Authenticated) -> Self {
        ImportPage {
            ctx: Ctx::user(a, "/admin/users/import", "users"),
            filename: String::new(),
            problems: Vec::new(),
            rows: Vec::new(),
            new: 0,
            updated: 0,
            pending: None,
            done: None,
        }
    }

    fn roles(&self, r: &StaffRow) -> String {
        std::iter::once("employee")
            .chain(r.roles.iter().map(String::as_str))
            .filter_map(|k| koers_domain::Role::parse(k).ok())
            .map(|role| self.ctx.tr.role(&role))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    created: Option<i64>,
    updated: Option<i64>,
}

pub async fn form(
    State(_state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<DoneQuery>,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let mut page = ImportPage::new(&a);
    if let (Some(c), Some(u)) = (q.created, q.updated) {
        page.done = Some(a.tr.tns("ooapi-done", &[("created", c), ("updated", u)]));
    }
    Ok(render_status(StatusCode::OK, &page))
}

/// Check the file and show what would happen.
pub async fn upload(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let u = Upload::read(mp).await?;
    crate::csrf::verify(&a.session.csrf_token, u.csrf())?;
    let t = a.tenant(&state);
    let mut page = ImportPage::new(&a);
    page.filename = u.file_name.clone();
    let rows = match parse(&u.file) {
        Ok(rows) => rows,
        Err(errors) => {
            page.problems = problems(&a, &errors);
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let check = store::check(t, &rows).await?;
    if !check.taken.is_empty() {
        let errors: Vec<ImportError> = check
            .taken
            .iter()
            .map(|(line, email)| ImportError {
                line: *line,
                column: None,
                code: "email-taken",
                value: Some(email.clone()),
            })
            .collect();
        page.problems = problems(&a, &errors);
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let payload = serde_json::to_string(&rows).map_err(|e| WebError::Internal(e.to_string()))?;
    page.pending =
        Some(import_runs::save_pending(t, &a.user.id, KIND, &u.file_name, &payload).await?);
    page.new = check.new;
    page.updated = check.updated;
    page.rows = rows;
    Ok(render_status(StatusCode::OK, &page))
}

/// Apply a checked file.
pub async fn confirm(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let t = a.tenant(&state);
    let id = form.get("pending");
    let (source, payload) = import_runs::pending(t, id, &a.user.id, KIND)
        .await?
        .ok_or(WebError::NotFound)?;
    let rows: Vec<StaffRow> =
        serde_json::from_str(&payload).map_err(|e| WebError::Internal(e.to_string()))?;
    let (created, updated) = match store::apply(t, &rows).await {
        Ok(done) => done,
        // An address taken since the preview: check again.
        Err(koers_store::StoreError::Conflict(_)) => {
            return Ok(Redirect::to("/admin/users/import").into_response());
        }
        Err(e) => return Err(e.into()),
    };
    import_runs::drop_pending(t, id).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "user.import",
        &a.user.institution_id,
        serde_json::json!({"file": source, "created": created, "updated": updated}),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/admin/users/import?created={created}&updated={updated}"
    ))
    .into_response())
}
