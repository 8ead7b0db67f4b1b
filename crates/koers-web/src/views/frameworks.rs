//! Competence frameworks: the list with import, one framework with its rubric, versions and
//! export, and making an own copy.

use super::{Ctx, render, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::curriculum as access;
use crate::error::{WebError, WebResult, framework_message};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::curriculum::framework::{self, valid_key};
use koers_domain::policy::Action;
use koers_store::curriculum::frameworks::{self, FrameworkSummary, StoredFramework};

pub struct Problem {
    pub path: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "frameworks.html")]
struct ListPage {
    ctx: Ctx,
    items: Vec<FrameworkSummary>,
    can_manage: bool,
    problems: Vec<Problem>,
    filename: String,
    imported: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    imported: Option<String>,
}

async fn list_page(state: &AppState, a: &Authenticated) -> WebResult<ListPage> {
    a.require(Action::ViewCurriculum)?;
    Ok(ListPage {
        ctx: Ctx::user(a, "/frameworks", "curriculum"),
        items: frameworks::list(a.tenant(state)).await?,
        can_manage: a.actor.may(Action::ManageFrameworks),
        problems: Vec::new(),
        filename: String::new(),
        imported: None,
    })
}

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    let mut p = list_page(&state, &a).await?;
    p.imported = q.imported.filter(|k| valid_key(k));
    Ok(render(&p))
}

/// Import a framework document uploaded as a file.
pub async fn import(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<Response> {
    a.require(Action::ManageFrameworks)?;
    let upload = crate::forms::Upload::read(mp).await?;
    let (csrf, filename, bytes) = (upload.csrf().to_owned(), upload.file_name, upload.file);
    crate::csrf::verify(&a.session.csrf_token, &csrf)?;
    let text = String::from_utf8_lossy(&bytes);
    match access::import_framework(&state, &a, &text, frameworks::IMPORTED, None).await {
        Ok(f) => Ok(Redirect::to(&format!("/frameworks?imported={}", f.key)).into_response()),
        Err(WebError::Framework(errors)) => {
            let mut p = list_page(&state, &a).await?;
            p.filename = filename;
            p.problems = errors
                .iter()
                .map(|e| Problem {
                    path: if e.path.is_empty() {
                        "/".into()
                    } else {
                        e.path.clone()
                    },
                    message: framework_message(&a.tr, e),
                })
                .collect();
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(WebError::Conflict(_)) => {
            let mut p = list_page(&state, &a).await?;
            p.filename = filename;
            p.problems = vec![Problem {
                path: "/key".into(),
                message: a.tr.t("frameworks-import-conflict"),
            }];
            Ok(render_status(StatusCode::CONFLICT, &p))
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "framework.html")]
struct ShowPage {
    ctx: Ctx,
    f: StoredFramework,
    versions: Vec<FrameworkSummary>,
    can_manage: bool,
    lang: &'static str,
    copy_key: String,
    copy_name: String,
    errors: Vec<super::FieldMsg>,
}

#[derive(serde::Deserialize, Default)]
pub struct VersionQuery {
    #[serde(default)]
    version: Option<String>,
}

async fn show_page(
    state: &AppState,
    a: &Authenticated,
    key: &str,
    version: Option<&str>,
) -> WebResult<ShowPage> {
    a.require(Action::ViewCurriculum)?;
    let t = a.tenant(state);
    let f = frameworks::by_key(t, key, version)
        .await?
        .ok_or(WebError::NotFound)?;
    let lang = a.tr.lang();
    Ok(ShowPage {
        ctx: Ctx::user(a, "/frameworks", "curriculum"),
        versions: frameworks::versions(t, key).await?,
        can_manage: a.actor.may(Action::ManageFrameworks),
        copy_key: format!("{}-eigen", f.framework.key),
        copy_name: format!(
            "{} ({})",
            f.framework.name.get(lang),
            a.tr.t("frameworks-copy-suffix")
        ),
        f,
        lang,
        errors: Vec::new(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(key): Path<String>,
    Query(q): Query<VersionQuery>,
) -> WebResult<Response> {
    Ok(render(
        &show_page(&state, &a, &key, q.version.as_deref()).await?,
    ))
}

/// The framework document as a download.
pub async fn export(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(key): Path<String>,
    Query(q): Query<VersionQuery>,
) -> WebResult<Response> {
    a.require(Action::ViewCurriculum)?;
    let f = frameworks::by_key(a.tenant(&state), &key, q.version.as_deref())
        .await?
        .ok_or(WebError::NotFound)?;
    let body = serde_json::to_string_pretty(&framework::to_json(&f.framework)).unwrap_or_default();
    let name = format!("{}-{}.json", f.framework.key, f.framework.version);
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", name.replace('"', "")),
            ),
        ],
        body,
    )
        .into_response())
}

/// Make an own copy (new key and name) that can then be changed by importing new versions.
pub async fn copy(
    State(state): State<AppState>,
    Path(key): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageFrameworks)?;
    let mut page = show_page(&state, &a, &key, None).await?;
    let new_key = form.get("key").trim().to_owned();
    let new_name = form.get("name").trim().to_owned();
    let mut errors = Vec::new();
    if !valid_key(&new_key) {
        errors.push(koers_domain::FieldError::new("key", "code-invalid"));
    }
    if new_name.is_empty() {
        errors.push(koers_domain::FieldError::new("name", "required"));
    } else if new_name.chars().count() > 200 {
        errors.push(koers_domain::FieldError::new("name", "name-too-long"));
    }
    let mut f = page.f.framework.clone();
    f.key = new_key.clone();
    f.name = framework::Text {
        nl: new_name.clone(),
        en: String::new(),
    };
    f.version = "1".into();
    if errors.is_empty() {
        let doc = framework::to_json(&f).to_string();
        match access::import_framework(&state, &a, &doc, frameworks::COPY, Some(&page.f.summary.id))
            .await
        {
            Ok(s) => return Ok(Redirect::to(&format!("/frameworks/{}", s.key)).into_response()),
            Err(WebError::Conflict(_)) => {
                errors.push(koers_domain::FieldError::new("key", "code-taken"))
            }
            Err(e) => return Err(e),
        }
    }
    page.copy_key = new_key;
    page.copy_name = new_name;
    page.errors = super::field_msgs(&a.tr, &errors);
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

#[derive(Template)]
#[template(path = "framework_edit.html")]
struct EditPage {
    ctx: Ctx,
    key: String,
    name: String,
    document: String,
    problems: Vec<Problem>,
}

/// The next version label: one more when it is a number, else with `.1` added.
fn next_version(v: &str) -> String {
    match v.parse::<u64>() {
        Ok(n) => (n + 1).to_string(),
        Err(_) => format!("{v}.1"),
    }
}

async fn own_framework(
    state: &AppState,
    a: &Authenticated,
    key: &str,
) -> WebResult<StoredFramework> {
    a.require(Action::ManageFrameworks)?;
    let f = frameworks::by_key(a.tenant(state), key, None)
        .await?
        .ok_or(WebError::NotFound)?;
    if f.summary.origin == frameworks::SHIPPED {
        return Err(WebError::Forbidden);
    }
    Ok(f)
}

/// Change an own framework in the browser: its document, saved as a new version.
pub async fn edit(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(key): Path<String>,
) -> WebResult<Response> {
    let f = own_framework(&state, &a, &key).await?;
    let mut doc = f.framework.clone();
    doc.version = next_version(&doc.version);
    Ok(render(&EditPage {
        ctx: Ctx::user(&a, "/frameworks", "curriculum"),
        name: f.framework.name.get(a.tr.lang()).to_owned(),
        key,
        document: serde_json::to_string_pretty(&framework::to_json(&doc)).unwrap_or_default(),
        problems: Vec::new(),
    }))
}

pub async fn save(
    State(state): State<AppState>,
    Path(key): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let f = own_framework(&state, &a, &key).await?;
    let text = form.get("document").to_owned();
    let problems = match framework::parse(&text) {
        Ok(doc) if doc.key != key => vec![Problem {
            path: "/key".into(),
            message: a.tr.t1("frameworks-edit-key", "value", &key),
        }],
        Ok(_) => match access::import_framework(
            &state,
            &a,
            &text,
            frameworks::IMPORTED,
            Some(&f.summary.id),
        )
        .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("/frameworks/{key}")).into_response()),
            Err(WebError::Conflict(_)) => vec![Problem {
                path: "/version".into(),
                message: a.tr.t("frameworks-import-conflict"),
            }],
            Err(e) => return Err(e),
        },
        Err(errors) => errors
            .iter()
            .map(|e| Problem {
                path: if e.path.is_empty() {
                    "/".into()
                } else {
                    e.path.clone()
                },
                message: framework_message(&a.tr, e),
            })
            .collect(),
    };
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &EditPage {
            ctx: Ctx::user(&a, "/frameworks", "curriculum"),
            name: f.framework.name.get(a.tr.lang()).to_owned(),
            key,
            document: text,
            problems,
        },
    ))
}
