//! Editing a student's study data (administrators; programme managers for their programmes).
//! Never guidance content.

use super::{Ctx, FieldMsg, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::guidance::access;
use koers_domain::guidance::import::valid_student_number;
use koers_domain::policy::Action;
use koers_domain::{CohortYear, Email, FieldError};
use koers_store::StoreError;
use koers_store::guidance::students::{self, StudentRecord, StudyData};
use koers_store::platform::programmes::{self, Programme};

#[derive(Template)]
#[template(path = "student_edit.html")]
struct EditPage {
    ctx: Ctx,
    s: StudentRecord,
    programmes: Vec<Programme>,
    form: FormData,
    errors: Vec<FieldMsg>,
}

impl EditPage {
    /// The submitted value, or the record's.
    fn value(&self, field: &str) -> String {
        if !self.form.0.is_empty() {
            return self.form.get(field).to_owned();
        }
        match field {
            "student_number" => self.s.student_number.clone(),
            "given_name" => self.s.given_name.clone(),
            "name_prefix" => self.s.name_prefix.clone(),
            "family_name" => self.s.family_name.clone(),
            "email" => self.s.email.clone(),
            "programme" => self.s.programme_id.clone(),
            "cohort" => self.s.cohort_year.to_string(),
            "start_date" => self.s.start_date.clone(),
            _ => String::new(),
        }
    }
    fn error(&self, field: &str) -> Option<&str> {
        super::field_error(&self.errors, field)
    }
}

async fn allowed_programmes(state: &AppState, a: &Authenticated) -> WebResult<Vec<Programme>> {
    Ok(programmes::all(a.tenant(state))
        .await?
        .into_iter()
        .filter(|p| {
            a.actor.may(Action::EditStudent {
                programme_id: &p.id,
            })
        })
        .collect())
}

async fn page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    form: FormData,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    let s = access::load(&a.cx(state), id).await?;
    a.require(Action::EditStudent {
        programme_id: &s.record.programme_id,
    })?;
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &EditPage {
            ctx: Ctx::user(a, &format!("/students/{id}/edit"), "students"),
            programmes: allowed_programmes(state, a).await?,
            s: s.record,
            form,
            errors,
        },
    ))
}

pub async fn form(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    page(&state, &a, &id, FormData(Vec::new()), Vec::new()).await
}

fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::load(&a.cx(&state), &id).await?;
    a.require(Action::EditStudent {
        programme_id: &s.record.programme_id,
    })?;
    let mut errors = Vec::new();
    let number = form.get("student_number").trim().to_owned();
    if !valid_student_number(&number) {
        errors.push(FieldError::new("student_number", "student-number-invalid"));
    }
    let given = clean(form.get("given_name"));
    let prefix = clean(form.get("name_prefix"));
    let family = clean(form.get("family_name"));
    for (f, v, required) in [
        ("given_name", &given, true),
        ("name_prefix", &prefix, false),
        ("family_name", &family, true),
    ] {
        if required && v.is_empty() {
            errors.push(FieldError::new(f, "required"));
        } else if v.chars().count() > 100 || v.chars().any(char::is_control) {
            errors.push(FieldError::new(f, "name-invalid"));
        }
    }
    let email = Email::parse(form.get("email"))
        .map_err(|e| errors.push(e))
        .ok();
    let programme = form.get("programme").to_owned();
    if !a.actor.may(Action::EditStudent {
        programme_id: &programme,
    }) || !allowed_programmes(&state, &a)
        .await?
        .iter()
        .any(|p| p.id == programme)
    {
        errors.push(FieldError::new("programme", "programme-unknown"));
    }
    let cohort = CohortYear::parse(form.get("cohort"))
        .map_err(|_| errors.push(FieldError::new("cohort", "year-invalid")))
        .ok();
    let start = koers_domain::time::parse_date(form.get("start_date"));
    if start.is_none() {
        errors.push(FieldError::new("start_date", "date-invalid"));
    }
    let (Some(email), Some(cohort), Some(start)) = (email, cohort, start) else {
        let msgs = field_msgs(&a.tr, &errors);
        return page(&state, &a, &id, form, msgs).await;
    };
    if !errors.is_empty() {
        let msgs = field_msgs(&a.tr, &errors);
        return page(&state, &a, &id, form, msgs).await;
    }
    let t = a.tenant(&state);
    let cohort_id = programmes::cohort_for(t, &programme, i64::from(cohort.get())).await?;
    let data = StudyData {
        student_number: &number,
        given_name: &given,
        name_prefix: &prefix,
        family_name: &family,
        email: email.as_str(),
        cohort_id: &cohort_id,
        programme_id: &programme,
        start_date: start,
    };
    match students::update_study_data(t, &s.record.id, &data).await {
        Ok(()) => {}
        Err(StoreError::Conflict(what)) => {
            let code = if what == "email" {
                "email-taken"
            } else {
                "student-number-taken"
            };
            let field = if what == "email" {
                "email"
            } else {
                "student_number"
            };
            let msgs = field_msgs(&a.tr, &[FieldError::new(field, code)]);
            return page(&state, &a, &id, form, msgs).await;
        }
        Err(e) => return Err(WebError::from(e)),
    }
    crate::commands::audit_change(
        &state,
        &a,
        "student.update",
        &s.record.id,
        serde_json::json!({}),
    )
    .await?;
    Ok(Redirect::to(&format!("/students/{}?ok=saved", s.record.id)).into_response())
}
