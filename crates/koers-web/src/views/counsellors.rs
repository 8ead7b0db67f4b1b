//! Counsellors and their caseloads, for administrators and programme managers: stand-ins
//! during absence (temporary, audited access), handing a caseload over when a counsellor
//! leaves, and reassigning one student.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use koers_app::guidance::access;
use koers_domain::policy::{Action, Scope};
use koers_domain::{FieldError, Role};
use koers_store::guidance::stand_ins::{self, Counsellor, StandIn};
use koers_store::guidance::students;

#[derive(Template)]
#[template(path = "counsellors.html")]
struct CounsellorsPage {
    ctx: Ctx,
    counsellors: Vec<Counsellor>,
    stand_ins: Vec<StandIn>,
    today: String,
    form: FormData,
    section: &'static str,
    errors: Vec<FieldMsg>,
}

async fn render_page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    section: &'static str,
    form: FormData,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    a.require(Action::ManageStandIns)?;
    let t = a.tenant(state);
    let today = koers_domain::time::today();
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &CounsellorsPage {
            ctx: Ctx::user(a, "/counsellors", "counsellors").with_flash(flash),
            counsellors: stand_ins::counsellors(t).await?,
            stand_ins: stand_ins::list(t, today).await?,
            today: today.to_string(),
            form,
            section,
            errors,
        },
    ))
}

pub async fn page(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    render_page(
        &state,
        &a,
        q.ok.as_deref(),
        "",
        FormData(Vec::new()),
        Vec::new(),
    )
    .await
}

fn date(form: &FormData, field: &'static str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let d = koers_domain::time::parse_date(form.get(field));
    if d.is_none() {
        errors.push(FieldError::new(field, "date-invalid"));
    }
    d
}

async fn counsellor(
    state: &AppState,
    a: &Authenticated,
    form: &FormData,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> WebResult<Option<String>> {
    let id = form.get(field);
    if koers_domain::is_id(id) && stand_ins::is_counsellor(a.tenant(state), id).await? {
        Ok(Some(id.to_owned()))
    } else {
        errors.push(FieldError::new(field, "counsellor-invalid"));
        Ok(None)
    }
}

pub async fn create_stand_in(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageStandIns)?;
    let mut errors = Vec::new();
    let absent = counsellor(&state, &a, &form, "counsellor_id", &mut errors).await?;
    let stand_in = counsellor(&state, &a, &form, "stand_in_id", &mut errors).await?;
    let from = date(&form, "starts_on", &mut errors);
    let until = date(&form, "ends_on", &mut errors);
    if let (Some(f), Some(u)) = (from, until)
        && u < f
    {
        errors.push(FieldError::new("ends_on", "stand-in-period-invalid"));
    }
    if absent.is_some() && absent == stand_in {
        errors.push(FieldError::new("stand_in_id", "stand-in-self"));
    }
    let reason = form.get("reason").trim().to_owned();
    if reason.chars().count() > 200 {
        errors.push(FieldError::new("reason", "text-too-long"));
    }
    match (absent, stand_in, from, until) {
        (Some(c), Some(s), Some(f), Some(u)) if errors.is_empty() => {
            let id = stand_ins::create(a.tenant(&state), &c, &s, f, u, &reason, &a.user.id).await?;
            crate::commands::audit_change(
                &state,
                &a,
                "standin.create",
                &id,
                serde_json::json!({"counsellor_id": c, "stand_in_id": s, "from": f.to_string(), "until": u.to_string()}),
            )
            .await?;
            Ok(Redirect::to("/counsellors?ok=created").into_response())
        }
        _ => {
            let msgs = field_msgs(&a.tr, &errors);
            render_page(&state, &a, None, "stand-in", form, msgs).await
        }
    }
}

pub async fn end_stand_in(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageStandIns)?;
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    stand_ins::end(a.tenant(&state), &id).await?;
    crate::commands::audit_change(&state, &a, "standin.end", &id, serde_json::json!({})).await?;
    Ok(Redirect::to("/counsellors?ok=saved").into_response())
}

/// The programmes whose students the actor may reassign (`None`: all).
fn reach(a: &Authenticated) -> Option<Vec<String>> {
    if a.actor.has_role(Role::Administrator) {
        return None;
    }
    match a.actor.scope_of(&[Role::ProgrammeManager]) {
        Some(Scope::Programmes(p)) => Some(p),
        Some(Scope::Institution) => None,
        None => Some(Vec::new()),
    }
}

pub async fn hand_over(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageStandIns)?;
    let mut errors = Vec::new();
    let from = form.get("from_id").to_owned();
    if !koers_domain::is_id(&from) {
        errors.push(FieldError::new("from_id", "counsellor-invalid"));
    }
    let to = counsellor(&state, &a, &form, "to_id", &mut errors).await?;
    if to.as_deref() == Some(from.as_str()) {
        errors.push(FieldError::new("to_id", "stand-in-self"));
    }
    if form.get("confirm") != "1" {
        errors.push(FieldError::new("confirm", "confirm-required"));
    }
    match to {
        Some(to) if errors.is_empty() => {
            let scope = reach(&a);
            let n = students::hand_over_caseload(
                a.tenant(&state),
                &from,
                &to,
                &a.user.id,
                scope.as_deref(),
            )
            .await?;
            crate::commands::audit_change(
                &state,
                &a,
                "caseload.handover",
                &from,
                serde_json::json!({"to": to, "students": n}),
            )
            .await?;
            Ok(Redirect::to("/counsellors?ok=saved").into_response())
        }
        _ => {
            let msgs = field_msgs(&a.tr, &errors);
            render_page(&state, &a, None, "handover", form, msgs).await
        }
    }
}

/// Give one student another counsellor (from the student page).
pub async fn reassign(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::load(&a.cx(&state), &id).await?;
    a.require(Action::AssignCounsellor {
        programme_id: &s.record.programme_id,
    })?;
    let to = match form.get("counsellor_id") {
        "none" => None,
        c if koers_domain::is_id(c) && stand_ins::is_counsellor(a.tenant(&state), c).await? => {
            Some(c.to_owned())
        }
        _ => return Err(WebError::invalid("counsellor_id", "counsellor-invalid")),
    };
    let reason = form.get("reason").trim();
    if reason.chars().count() > 200 {
        return Err(WebError::invalid("reason", "text-too-long"));
    }
    students::assign_counsellor(
        a.tenant(&state),
        &s.record.id,
        to.as_deref(),
        &a.user.id,
        reason,
    )
    .await?;
    crate::commands::audit_change(
        &state,
        &a,
        "student.counsellor",
        &s.record.id,
        serde_json::json!({"from": s.record.counsellor_id, "to": to}),
    )
    .await?;
    Ok(Redirect::to(&format!("/students/{}#h-history", s.record.id)).into_response())
}
