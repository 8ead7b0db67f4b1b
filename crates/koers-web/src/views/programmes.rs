//! Programmes and their cohorts.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, render, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::commands::audit_change;
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::policy::Action;
use koers_domain::{CohortYear, FieldError, ProgrammeCode, ProgrammeName};
use koers_store::platform::programmes::{self, ProgrammeOverview};

#[derive(Template)]
#[template(path = "programmes.html")]
struct ProgrammesPage {
    ctx: Ctx,
    programmes: Vec<ProgrammeOverview>,
    can_manage: bool,
    code: String,
    name: String,
    errors: Vec<FieldMsg>,
}

/// Programme pages are for administrators and programme managers.
fn require_view(a: &Authenticated) -> WebResult<()> {
    a.require(Action::ListUsers)
}

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    require_view(&a)?;
    Ok(render(&ProgrammesPage {
        ctx: Ctx::user(&a, "/admin/programmes", "programmes").with_flash(q.ok.as_deref()),
        programmes: programmes::overview(a.tenant(&state), None).await?,
        can_manage: a.actor.may(Action::ManageProgrammes),
        code: String::new(),
        name: String::new(),
        errors: Vec::new(),
    }))
}

pub async fn create(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageProgrammes)?;
    let t = a.tenant(&state);
    let mut errors = Vec::new();
    let code = ProgrammeCode::parse(form.get("code"))
        .map_err(|e| errors.push(e))
        .ok();
    let name = ProgrammeName::parse(form.get("name"))
        .map_err(|e| errors.push(e))
        .ok();
    if let (Some(code), Some(name)) = (&code, &name) {
        match programmes::create(t, code.as_str(), name.as_str()).await {
            Ok(p) => {
                audit_change(
                    &state,
                    &a,
                    "programme.create",
                    &p.id,
                    serde_json::json!({"code": p.code, "name": p.name}),
                )
                .await?;
                return Ok(
                    Redirect::to(&format!("/admin/programmes/{}?ok=created", p.id)).into_response(),
                );
            }
            Err(koers_store::StoreError::Conflict(_)) => {
                errors.push(FieldError::new("code", "code-taken"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &ProgrammesPage {
            ctx: Ctx::user(&a, "/admin/programmes", "programmes"),
            programmes: programmes::overview(t, None).await?,
            can_manage: true,
            code: form.get("code").to_owned(),
            name: form.get("name").to_owned(),
            errors: field_msgs(&a.tr, &errors),
        },
    ))
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    ctx: Ctx,
    overview: ProgrammeOverview,
    can_rename: bool,
    can_add_cohort: bool,
    name: String,
    year: String,
    errors: Vec<FieldMsg>,
}

async fn programme_page(state: &AppState, a: &Authenticated, id: &str) -> WebResult<ProgrammePage> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(state);
    let overview = programmes::overview(t, Some(&[id.to_owned()]))
        .await?
        .pop()
        .ok_or(WebError::NotFound)?;
    Ok(ProgrammePage {
        ctx: Ctx::user(a, &format!("/admin/programmes/{id}"), "programmes"),
        name: overview.programme.name.clone(),
        overview,
        can_rename: a.actor.may(Action::ManageProgrammes),
        can_add_cohort: a.actor.may(Action::ManageCohorts { programme_id: id }),
        year: String::new(),
        errors: Vec::new(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    require_view(&a)?;
    let mut p = programme_page(&state, &a, &id).await?;
    p.ctx = p.ctx.with_flash(q.ok.as_deref());
    Ok(render(&p))
}

pub async fn rename(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageProgrammes)?;
    let mut page = programme_page(&state, &a, &id).await?;
    match ProgrammeName::parse(form.get("name")) {
        Ok(name) => {
            programmes::rename(a.tenant(&state), &id, name.as_str()).await?;
            audit_change(
                &state,
                &a,
                "programme.rename",
                &id,
                serde_json::json!({"name": name.as_str()}),
            )
            .await?;
            Ok(Redirect::to(&format!("/admin/programmes/{id}?ok=saved")).into_response())
        }
        Err(e) => {
            page.name = form.get("name").to_owned();
            page.errors = field_msgs(&a.tr, &[e]);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

pub async fn add_cohort(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageCohorts { programme_id: &id })?;
    let mut page = programme_page(&state, &a, &id).await?;
    let err = match CohortYear::parse(form.get("year")) {
        Ok(year) => {
            match programmes::add_cohort(a.tenant(&state), &id, i64::from(year.get())).await {
                Ok(c) => {
                    audit_change(
                        &state,
                        &a,
                        "cohort.create",
                        &c.id,
                        serde_json::json!({"programme_id": id, "year": c.year}),
                    )
                    .await?;
                    return Ok(
                        Redirect::to(&format!("/admin/programmes/{id}?ok=cohort-added"))
                            .into_response(),
                    );
                }
                Err(koers_store::StoreError::Conflict(_)) => {
                    FieldError::new("year", "cohort-exists")
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => e,
    };
    page.year = form.get("year").to_owned();
    page.errors = field_msgs(&a.tr, &[err]);
    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
}
