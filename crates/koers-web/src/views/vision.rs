//! The LOB vision in the browser: every member reads the adopted vision of the institution;
//! administrators and programme managers (with institution scope) write new versions, compare a
//! version with the one before, propose it and adopt it.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::api::vision::{add_version, move_version};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::FormData;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::policy::Action;
use koers_domain::vision::{self, DiffLine, Document, Status, Theme};
use koers_store::vision::{self as store, Version};

/// A version's sections as safe HTML: (label key, html).
fn rendered(doc: &Document) -> Vec<(String, String)> {
    doc.sections()
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(key, text)| (key, crate::markdown::render(&text)))
        .collect()
}

#[derive(Template)]
#[template(path = "vision.html")]
struct VisionPage {
    ctx: Ctx,
    adopted: Option<Version>,
    sections: Vec<(String, String)>,
    versions: Vec<Version>,
    manages: bool,
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    a.require(Action::ReadVision)?;
    let all = store::versions(a.tenant(&state), None).await?;
    let adopted = all.iter().find(|v| v.status == Status::Adopted).cloned();
    let manages = a.actor.may(Action::ManageVision { programme_id: None });
    Ok(render_status(
        StatusCode::OK,
        &VisionPage {
            ctx: Ctx::user(&a, "/vision", "vision").with_flash(q.ok.as_deref()),
            sections: adopted
                .as_ref()
                .map(|v| rendered(&v.document))
                .unwrap_or_default(),
            adopted,
            versions: if manages { all } else { Vec::new() },
            manages,
        },
    ))
}

#[derive(Template)]
#[template(path = "vision_form.html")]
struct FormPage {
    ctx: Ctx,
    doc: Document,
    note: String,
    themes: &'static [Theme],
    errors: Vec<FieldMsg>,
}

impl FormPage {
    fn ambition(&self, t: &Theme) -> &str {
        self.doc.ambitions.get(t.key()).map_or("", String::as_str)
    }
}

async fn form_page(
    state: &AppState,
    a: &Authenticated,
    doc: Option<Document>,
    note: String,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    a.require(Action::ManageVision { programme_id: None })?;
    // A new version starts from the newest one.
    let doc = match doc {
        Some(d) => d,
        None => store::versions(a.tenant(state), None)
            .await?
            .into_iter()
            .next()
            .map(|v| v.document)
            .unwrap_or_default(),
    };
    Ok(render_status(
        super::form_status(errors.is_empty()),
        &FormPage {
            ctx: Ctx::user(a, "/vision/new", "vision"),
            doc,
            note,
            themes: Theme::ALL,
            errors,
        },
    ))
}

pub async fn new_form(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    form_page(&state, &a, None, String::new(), Vec::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    form: FormData,
) -> WebResult<Response> {
    crate::csrf::verify(&a.session.csrf_token, form.get("_csrf"))?;
    a.require(Action::ManageVision { programme_id: None })?;
    let doc = Document {
        mission: form.get("mission").replace("\r\n", "\n"),
        principles: form.get("principles").replace("\r\n", "\n"),
        ambitions: Theme::ALL
            .iter()
            .map(|t| {
                (
                    t.key().to_owned(),
                    form.get(&format!("ambition_{}", t.key()))
                        .replace("\r\n", "\n"),
                )
            })
            .filter(|(_, v)| !v.trim().is_empty())
            .collect(),
    };
    let note = form.get("note").to_owned();
    match add_version(&state, &a, None, &doc, &note).await {
        Ok(n) => Ok(Redirect::to(&format!("/vision/{n}?ok=created")).into_response()),
        Err(WebError::Invalid(errors)) => {
            let msgs = field_msgs(&a.tr, &errors);
            form_page(&state, &a, Some(doc), note, msgs).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "vision_version.html")]
struct VersionPage {
    ctx: Ctx,
    v: Version,
    sections: Vec<(String, String)>,
    /// The version before, and the changes since, per section.
    previous: Option<i64>,
    changes: Vec<(String, Vec<DiffLine>)>,
}

pub async fn show_version(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(version): Path<i64>,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    a.require(Action::ManageVision { programme_id: None })?;
    let t = a.tenant(&state);
    let v = store::get(t, None, version)
        .await?
        .ok_or(WebError::NotFound)?;
    let before = if version > 1 {
        store::get(t, None, version - 1).await?
    } else {
        None
    };
    let changes = before
        .as_ref()
        .map(|b| vision::diff(&b.document, &v.document))
        .unwrap_or_default();
    Ok(render_status(
        StatusCode::OK,
        &VersionPage {
            ctx: Ctx::user(&a, &format!("/vision/{version}"), "vision").with_flash(q.ok.as_deref()),
            sections: rendered(&v.document),
            previous: before.map(|b| b.version),
            changes,
            v,
        },
    ))
}

/// Propose, adopt, or send back to draft.
pub async fn set_status(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(version): Path<i64>,
    form: FormData,
) -> WebResult<Response> {
    crate::csrf::verify(&a.session.csrf_token, form.get("_csrf"))?;
    a.require(Action::ManageVision { programme_id: None })?;
    if store::get(a.tenant(&state), None, version).await?.is_none() {
        return Err(WebError::NotFound);
    }
    let to = Status::parse(form.get("to")).ok_or(WebError::invalid("to", "status-invalid"))?;
    move_version(&state, &a, None, version, to).await?;
    Ok(Redirect::to(&format!("/vision/{version}?ok=saved")).into_response())
}
