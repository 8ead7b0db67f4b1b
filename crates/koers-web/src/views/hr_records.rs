//! Recruitment and appointment records of the HR adviser: per vacancy whether career
//! development was in the text and the interview; per new appointment whether it was in the
//! onboarding plan and when a first development plan is due. They feed the scan's practice view.

use super::{Ctx, OkQuery, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::WebResult;
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::policy::Action;
use koers_domain::staff::recruitment::{self, Practice, Record};
use koers_store::staff::hr_records::{self, HrRecord, NewHrRecord};

/// Days after the start of an appointment by which the first development plan is due.
pub const FIRST_PLAN_DAYS: i64 = 90;

#[derive(Template)]
#[template(path = "hr_records.html")]
struct Page {
    ctx: Ctx,
    records: Vec<HrRecord>,
    practice: Practice,
    error: Option<String>,
    fields: Vec<(String, String)>,
    first_plan_days: i64,
}

impl Page {
    fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
    fn checked(&self, name: &str) -> bool {
        self.field(name) == "1"
    }
    fn plan_in_time(&self, r: &HrRecord) -> Option<bool> {
        let due = r
            .plan_due_on
            .as_deref()
            .and_then(koers_domain::time::parse_date)?;
        Some(
            r.plan_started_at
                .is_some_and(|s| koers_domain::time::local_date(s) <= due),
        )
    }
}

fn year_ago() -> String {
    let today = koers_domain::time::today();
    today
        .checked_sub(jiff::Span::new().days(365))
        .unwrap_or(today)
        .to_string()
}

fn practice_of(records: &[HrRecord]) -> Practice {
    let list: Vec<Record> = records
        .iter()
        .map(|r| match r.kind.as_str() {
            "vacancy" => Record::Vacancy {
                in_text: r.in_text,
                in_interview: r.in_interview,
            },
            _ => Record::Appointment {
                in_onboarding: r.in_onboarding,
                plan_due_on: r
                    .plan_due_on
                    .as_deref()
                    .and_then(koers_domain::time::parse_date),
                plan_started_on: r.plan_started_at.map(koers_domain::time::local_date),
            },
        })
        .collect();
    recruitment::practice(&list, koers_domain::time::today())
}

/// The practice figures over the records of the last twelve months (aggregates only).
pub async fn practice_of_last_year(state: &AppState, a: &Authenticated) -> WebResult<Practice> {
    let records = hr_records::list(a.tenant(state), &year_ago()).await?;
    Ok(practice_of(&records))
}

async fn page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    error: Option<String>,
    fields: Vec<(String, String)>,
) -> WebResult<Response> {
    a.require(Action::RecordRecruitment)?;
    let records = hr_records::list(a.tenant(state), "0000-01-01").await?;
    let year = year_ago();
    let last_year: Vec<HrRecord> = records
        .iter()
        .filter(|r| r.on_date >= year)
        .cloned()
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render_status(
        status,
        &Page {
            ctx: Ctx::user(a, "/hr-records", "hrm-scan").with_flash(flash),
            practice: practice_of(&last_year),
            records,
            error,
            fields,
            first_plan_days: FIRST_PLAN_DAYS,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    page(&state, &a, q.ok.as_deref(), None, Vec::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::RecordRecruitment)?;
    let t = a.tenant(&state);
    let kind = form.get("kind");
    let title = form
        .get("title")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let on = koers_domain::time::parse_date(form.get("on_date"));
    let mut error = None;
    if !matches!(kind, "vacancy" | "appointment") {
        error = Some(a.tr.t("hr-kind-required"));
    } else if title.is_empty() || title.chars().count() > 200 {
        error = Some(a.tr.t("hr-title-required"));
    } else if on.is_none() {
        error = Some(a.tr.t("error-date-invalid"));
    }
    let mut user_id = None;
    if error.is_none() && kind == "appointment" && !form.get("email").trim().is_empty() {
        match koers_store::platform::users::active_by_email(t, form.get("email")).await? {
            Some((id, _)) => user_id = Some(id),
            None => error = Some(a.tr.t("error-owner-unknown")),
        }
    }
    let notes = form.get("notes").trim();
    if notes.chars().count() > 4000 {
        error = Some(a.tr.t("error-too-long"));
    }
    let (Some(on), None) = (on, &error) else {
        return page(&state, &a, None, error, form.0).await;
    };
    let due = (kind == "appointment")
        .then(|| koers_domain::staff::development::first_plan_due(on, FIRST_PLAN_DAYS).to_string());
    let on_date = on.to_string();
    let id = hr_records::create(
        t,
        &NewHrRecord {
            kind,
            title: &title,
            user_id: user_id.as_deref(),
            on_date: &on_date,
            in_text: form.get("in_text") == "1",
            in_interview: form.get("in_interview") == "1",
            in_onboarding: form.get("in_onboarding") == "1",
            plan_due_on: due.as_deref(),
            notes,
            created_by: &a.user.id,
        },
    )
    .await?;
    crate::commands::audit_change(
        &state,
        &a,
        "hr_record.create",
        &id,
        serde_json::json!({"kind": kind}),
    )
    .await?;
    Ok(Redirect::to("/hr-records?ok=created").into_response())
}
