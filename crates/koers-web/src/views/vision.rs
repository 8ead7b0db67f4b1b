//! The LOB vision in the browser: every member reads the adopted vision of the institution;
//! administrators and programme managers (with institution scope) write new versions, compare a
//! version with the one before, propose it and adopt it.

use super::{Ctx, FieldMsg, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::commands::finish;
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::AppError;
use koers_app::vision::versions;
use koers_domain::policy::Action;
use koers_domain::vision::{self, DiffLine, Document, Status, Theme};
use koers_store::platform::programmes::Programme;
use koers_store::vision::{self as store, Version};

/// A version's sections as safe HTML: (label key, html).
fn rendered(doc: &Document) -> Vec<(String, String)> {
    doc.sections()
        .into_iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(key, text)| (key, koers_domain::rich_text::render(&text)))
        .collect()
}

/// The query of the vision pages: a flash message, and a programme (its refinement of the
/// institution's vision) or none (the institution).
#[derive(Debug, Default, serde::Deserialize)]
pub struct VisionQuery {
    pub ok: Option<String>,
    pub programme: Option<String>,
}

/// The programme a `programme` code names (404 when unknown), or none.
async fn programme_of(
    state: &AppState,
    a: &Authenticated,
    code: Option<&str>,
) -> WebResult<Option<Programme>> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => Ok(Some(
            koers_store::platform::programmes::by_code(a.tenant(state), c)
                .await?
                .ok_or(WebError::NotFound)?,
        )),
    }
}

/// `?programme=CODE` (or nothing) for links and redirects.
fn scope_suffix(p: &Option<Programme>, first: char) -> String {
    p.as_ref()
        .map_or_else(String::new, |p| format!("{first}programme={}", p.code))
}

#[derive(Template)]
#[template(path = "vision.html")]
struct VisionPage {
    ctx: Ctx,
    adopted: Option<Version>,
    sections: Vec<(String, String)>,
    versions: Vec<Version>,
    manages: bool,
    programme: Option<Programme>,
    programmes: Vec<Programme>,
    /// The programme has no adopted refinement: the institution's vision is shown.
    inherited: bool,
    q: String,
}

impl VisionPage {
    fn selected(&self, p: &Programme) -> bool {
        self.programme.as_ref().is_some_and(|x| x.id == p.id)
    }
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<VisionQuery>,
) -> WebResult<Response> {
    a.require(Action::ReadVision)?;
    let t = a.tenant(&state);
    let programme = programme_of(&state, &a, q.programme.as_deref()).await?;
    let pid = programme.as_ref().map(|p| p.id.as_str());
    let all = store::versions(t, pid).await?;
    let mut adopted = all.iter().find(|v| v.status == Status::Adopted).cloned();
    let inherited = programme.is_some() && adopted.is_none();
    if inherited {
        adopted = store::adopted(t, None).await?;
    }
    let manages = a.actor.may(Action::ManageVision { programme_id: pid });
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
            programmes: koers_store::platform::programmes::all(t).await?,
            q: scope_suffix(&programme, '?'),
            programme,
            inherited,
        },
    ))
}

#[derive(Template)]
#[template(path = "vision_form.html")]
struct FormPage {
    ctx: Ctx,
    programme: Option<Programme>,
    q: String,
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
    programme: Option<Programme>,
    doc: Option<Document>,
    note: String,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    let pid = programme.as_ref().map(|p| p.id.as_str());
    a.require(Action::ManageVision { programme_id: pid })?;
    // A new version starts from the newest one (a programme's first from the institution's
    // adopted vision, which it refines).
    let doc = match doc {
        Some(d) => d,
        None => match store::versions(a.tenant(state), pid)
            .await?
            .into_iter()
            .next()
        {
            Some(v) => v.document,
            None if pid.is_some() => store::adopted(a.tenant(state), None)
                .await?
                .map(|v| v.document)
                .unwrap_or_default(),
            None => Document::default(),
        },
    };
    Ok(render_status(
        super::form_status(errors.is_empty()),
        &FormPage {
            ctx: Ctx::user(a, "/vision/new", "vision"),
            q: scope_suffix(&programme, '?'),
            programme,
            doc,
            note,
            themes: Theme::ALL,
            errors,
        },
    ))
}

pub async fn new_form(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<VisionQuery>,
) -> WebResult<Response> {
    let programme = programme_of(&state, &a, q.programme.as_deref()).await?;
    form_page(&state, &a, programme, None, String::new(), Vec::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let programme = programme_of(&state, &a, Some(form.get("programme"))).await?;
    let pid = programme.as_ref().map(|p| p.id.as_str());
    a.require(Action::ManageVision { programme_id: pid })?;
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
    match versions::add(&a.cx(&state), pid, &doc, &note).await {
        Ok(done) => {
            let n = finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to(&format!(
                "/vision/{n}?ok=created{}",
                scope_suffix(&programme, '&')
            ))
            .into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let msgs = field_msgs(&a.tr, &errors);
            form_page(&state, &a, programme, Some(doc), note, msgs).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "vision_version.html")]
struct VersionPage {
    ctx: Ctx,
    programme: Option<Programme>,
    q: String,
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
    Query(q): Query<VisionQuery>,
) -> WebResult<Response> {
    let programme = programme_of(&state, &a, q.programme.as_deref()).await?;
    let pid = programme.as_ref().map(|p| p.id.as_str());
    a.require(Action::ManageVision { programme_id: pid })?;
    let t = a.tenant(&state);
    let v = store::get(t, pid, version)
        .await?
        .ok_or(WebError::NotFound)?;
    let before = if version > 1 {
        store::get(t, pid, version - 1).await?
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
            q: scope_suffix(&programme, '?'),
            programme,
            v,
        },
    ))
}

/// Propose, adopt, or send back to draft.
pub async fn set_status(
    State(state): State<AppState>,
    Path(version): Path<i64>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let programme = programme_of(&state, &a, Some(form.get("programme"))).await?;
    let pid = programme.as_ref().map(|p| p.id.as_str());
    a.require(Action::ManageVision { programme_id: pid })?;
    let done = versions::step(&a.cx(&state), pid, version, form.get("to")).await?;
    finish(&state, &a, &headers, done).await?;
    Ok(Redirect::to(&format!(
        "/vision/{version}?ok=saved{}",
        scope_suffix(&programme, '&')
    ))
    .into_response())
}
