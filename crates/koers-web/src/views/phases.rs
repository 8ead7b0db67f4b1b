//! Phase records kept by the counsellor: moving a student to another phase, the first-year
//! study-advice (BSA) signal, the outflow; and the printable handover summary the student
//! takes along.

use super::{Ctx, render};
use crate::auth::WebUser;
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::guidance::access::{self, Need};
use koers_domain::guidance::career_file::{DESTINATIONS, OUTFLOW_REASONS};
use koers_domain::guidance::competency::INSTRUMENT_KEY;
use koers_domain::guidance::{ConversationStatus, Phase, PhaseStatus};
use koers_store::guidance::career_file::{self, Reflection};
use koers_store::guidance::conversations::{self, Agreement, Conversation};
use koers_store::guidance::records::{self, Outflow};
use koers_store::guidance::self_assessments::{self, SelfAssessment};
use koers_store::guidance::students::{self, StudentRecord};

fn back(id: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/students/{id}#{anchor}")).into_response()
}

pub async fn set_phase(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::load_for(&a.cx(&state), &id, Need::Guide).await?;
    let phase = Phase::parse(form.get("phase"))
        .ok_or_else(|| WebError::invalid("phase", "phase-invalid"))?;
    let on = koers_domain::time::parse_date(form.get("on"))
        .ok_or_else(|| WebError::invalid("on", "date-invalid"))?;
    students::set_phase(a.tenant(&state), &s.record.id, phase, on, &a.user.id).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "student.phase",
        &s.record.id,
        serde_json::json!({"phase": phase.key()}),
    )
    .await?;
    Ok(back(&s.record.id, "h-phases"))
}

pub async fn add_progress(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::load_for(&a.cx(&state), &id, Need::Guide).await?;
    let credits: i64 = form
        .get("credits")
        .trim()
        .parse()
        .map_err(|_| WebError::invalid("credits", "credits-invalid"))?;
    let norm: i64 = form
        .get("norm")
        .trim()
        .parse()
        .map_err(|_| WebError::invalid("norm", "credits-invalid"))?;
    if !(0..=240).contains(&credits) || !(1..=240).contains(&norm) {
        return Err(WebError::invalid("credits", "credits-invalid"));
    }
    let on = koers_domain::time::parse_date(form.get("on"))
        .ok_or_else(|| WebError::invalid("on", "date-invalid"))?;
    records::add_progress(a.tenant(&state), &s.record.id, on, credits, norm, "manual").await?;
    crate::commands::audit_change(
        &state,
        &a,
        "student.progress",
        &s.record.id,
        serde_json::json!({"credits": credits, "norm": norm}),
    )
    .await?;
    Ok(back(&s.record.id, "h-bsa"))
}

pub async fn save_outflow(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::load_for(&a.cx(&state), &id, Need::Guide).await?;
    let reason = OUTFLOW_REASONS
        .iter()
        .find(|r| **r == form.get("reason"))
        .ok_or_else(|| WebError::invalid("reason", "outflow-reason-invalid"))?;
    let destination = DESTINATIONS
        .iter()
        .find(|r| **r == form.get("destination"))
        .ok_or_else(|| WebError::invalid("destination", "destination-invalid"))?;
    let left_on = koers_domain::time::parse_date(form.get("left_on"))
        .ok_or_else(|| WebError::invalid("left_on", "date-invalid"))?;
    let detail = form.get("destination_detail").trim();
    if detail.chars().count() > 200 {
        return Err(WebError::invalid("destination_detail", "text-too-long"));
    }
    let t = a.tenant(&state);
    let existing = records::outflow(t, &s.record.id).await?.unwrap_or_default();
    records::save_outflow(
        t,
        &s.record.id,
        &Outflow {
            reason: (*reason).to_owned(),
            left_on: left_on.to_string(),
            destination: (*destination).to_owned(),
            destination_detail: detail.to_owned(),
            exit_reflection: existing.exit_reflection,
        },
        &a.user.id,
    )
    .await?;
    crate::commands::audit_change(
        &state,
        &a,
        "student.outflow",
        &s.record.id,
        serde_json::json!({"reason": reason}),
    )
    .await?;
    Ok(back(&s.record.id, "h-outflow"))
}

/// The student writes their exit reflection (once the outflow is recorded).
pub async fn exit_reflection(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    let text = form.get("exit_reflection").trim().replace("\r\n", "\n");
    if text.chars().count() > 10_000 {
        return Err(WebError::invalid("exit_reflection", "text-too-long"));
    }
    if !records::save_exit_reflection(a.tenant(&state), &s.record.id, &text).await? {
        return Err(WebError::invalid("exit_reflection", "no-outflow"));
    }
    Ok(Redirect::to("/career-file?ok=saved#h-exit").into_response())
}

#[derive(Template)]
#[template(path = "handover.html")]
struct HandoverPage {
    ctx: Ctx,
    s: StudentRecord,
    statuses: [PhaseStatus; 4],
    phases: [Phase; 4],
    held: Vec<Conversation>,
    agreements: Vec<Agreement>,
    assessments: Vec<SelfAssessment>,
    reflections: Vec<Reflection>,
    outflow: Option<Outflow>,
    transitions: Vec<(Phase, String)>,
    today: jiff::civil::Date,
}

/// A printable summary of the student's route, for the student to take along.
pub async fn handover(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let s = access::load_for(&a.cx(&state), &id, Need::Content).await?;
    access::audit_read(&a.cx(&state), &s, "student.read_file", &s.record.id).await?;
    let t = a.tenant(&state);
    let today = koers_domain::time::today();
    let rules = koers_store::guidance::rules::for_programme(t, &s.record.programme_id).await?;
    let own = s.is_self(&a.actor);
    let mut assessments =
        self_assessments::for_person(t, &s.record.user_id, INSTRUMENT_KEY).await?;
    let mut reflections = career_file::reflections(t, &s.record.user_id).await?;
    if !own {
        assessments.retain(|x| x.shared_counsellor);
        reflections.retain(|r| r.sharing.counsellor);
    }
    // The first and the latest self-assessment show the growth.
    if assessments.len() > 2 {
        let last = assessments.pop();
        assessments.truncate(1);
        assessments.extend(last);
    }
    Ok(render(&HandoverPage {
        ctx: Ctx::user(
            &a,
            &format!("/students/{}/handover", s.record.id),
            "students",
        ),
        statuses: s.record.statuses(&rules, today),
        phases: Phase::ALL,
        held: conversations::for_person(t, &s.record.user_id)
            .await?
            .into_iter()
            .filter(|c| c.status == ConversationStatus::Held)
            .collect(),
        agreements: conversations::agreements_of_person(t, &s.record.user_id).await?,
        assessments,
        reflections,
        outflow: records::outflow(t, &s.record.id).await?,
        transitions: students::transitions(t, &s.record.id).await?,
        today,
        s: s.record,
    }))
}
