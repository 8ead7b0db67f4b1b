//! The student's own career file: the career-competency self-assessment with its growth,
//! reflections, goals, the specialisation choice and the intake handover note. Per item the
//! student decides who may read it (private, counsellor, placement mentor).

use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::AppError;
use koers_app::guidance::access;
use koers_app::guidance::self_assessments::{self, Answers, Whose};
use koers_domain::guidance::Phase;
use koers_domain::guidance::career_file::{EXPERIENCES, GoalInput, ReflectionInput, parse_choice};
use koers_domain::guidance::competency::{INSTRUMENT_KEY, ITEMS};
use koers_store::guidance::career_file::{
    self, Choice, Goal, Intake, ItemKind, Reflection, Sharing,
};
use koers_store::guidance::self_assessments::SelfAssessment;
use std::collections::BTreeMap;

/// What was typed in a form that did not validate, kept for the next render.
#[derive(Default)]
pub struct Kept {
    pub section: &'static str,
    pub errors: Vec<FieldMsg>,
    pub fields: Vec<(String, String)>,
}

impl Kept {
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.fields.iter().any(|(k, v)| k == name && v == value)
    }
    pub fn errors_for(&self, section: &str) -> Vec<&FieldMsg> {
        if self.section == section {
            self.errors.iter().collect()
        } else {
            Vec::new()
        }
    }
}

#[derive(Template)]
#[template(path = "career_file.html")]
struct CareerFilePage {
    ctx: Ctx,
    assessments: Vec<SelfAssessment>,
    reflections: Vec<Reflection>,
    goals: Vec<Goal>,
    choice: Choice,
    intake: Intake,
    current_phase: Phase,
    student_id: String,
    outflow: Option<koers_store::guidance::records::Outflow>,
    phases: [Phase; 4],
    experiences: [&'static str; 6],
    kept: Kept,
}

async fn render_file(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    kept: Kept,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(state)).await?;
    let t = a.tenant(state);
    let uid = &s.record.user_id;
    let status = super::form_status(kept.errors.is_empty());
    Ok(render_status(
        status,
        &CareerFilePage {
            ctx: Ctx::user(a, "/career-file", "career-file").with_flash(flash),
            assessments: koers_store::guidance::self_assessments::for_person(
                t,
                uid,
                INSTRUMENT_KEY,
            )
            .await?,
            reflections: career_file::reflections(t, uid).await?,
            goals: career_file::goals(t, uid).await?,
            choice: career_file::choice(t, &s.record.id).await?,
            intake: career_file::intake(t, &s.record.id).await?,
            current_phase: s.record.phase,
            outflow: koers_store::guidance::records::outflow(t, &s.record.id).await?,
            student_id: s.record.id.clone(),
            phases: Phase::ALL,
            experiences: EXPERIENCES,
            kept,
        },
    ))
}

pub async fn page(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    render_file(&state, &a, q.ok.as_deref(), Kept::default()).await
}

fn saved(anchor: &str) -> Response {
    Redirect::to(&format!("/career-file?ok=saved#{anchor}")).into_response()
}

fn kept(
    section: &'static str,
    a: &Authenticated,
    errors: &[koers_domain::FieldError],
    form: FormData,
) -> Kept {
    Kept {
        section,
        errors: field_msgs(&a.tr, errors),
        fields: form.0,
    }
}

fn sharing_of(form: &FormData) -> Sharing {
    Sharing {
        counsellor: form.get("share_counsellor") == "1",
        mentor: form.get("share_mentor") == "1",
    }
}

pub async fn self_assessment(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    let mut answers = BTreeMap::new();
    for i in &ITEMS {
        if let Ok(v) = form.get(i.id).parse::<i64>() {
            answers.insert(i.id.to_owned(), v);
        }
    }
    let answers = Answers {
        answers,
        share_with_counsellor: form.get("share_counsellor") == "1",
        share_with_mentor: form.get("share_mentor") == "1",
    };
    let saved_assessment = self_assessments::save(
        &a.cx(&state),
        Whose::Student(&s, form.get("phase")),
        &answers,
    )
    .await;
    match saved_assessment {
        Ok(done) => {
            crate::commands::finish(&state, &a, &headers, done).await?;
            Ok(saved("h-assessment"))
        }
        Err(AppError::Invalid(errors)) => {
            render_file(&state, &a, None, kept("assessment", &a, &errors, form)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_reflection(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    match ReflectionInput::parse(form.get("experience"), form.get("title"), form.get("body")) {
        Ok(r) => {
            career_file::add_reflection(
                a.tenant(&state),
                &s.record.user_id,
                r.experience,
                &r.title,
                &r.body,
                sharing_of(&form),
            )
            .await?;
            Ok(saved("h-reflections"))
        }
        Err(errors) => render_file(&state, &a, None, kept("reflection", &a, &errors, form)).await,
    }
}

pub async fn add_goal(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    match GoalInput::parse(
        form.get("title"),
        form.get("description"),
        form.get("target_on"),
    ) {
        Ok(g) => {
            let target = g.target_on.map(|d| d.to_string());
            career_file::add_goal(
                a.tenant(&state),
                &s.record.user_id,
                &g.title,
                &g.description,
                target.as_deref(),
                sharing_of(&form),
            )
            .await?;
            Ok(saved("h-goals"))
        }
        Err(errors) => render_file(&state, &a, None, kept("goal", &a, &errors, form)).await,
    }
}

pub async fn save_choice(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    match parse_choice(
        form.get("options"),
        form.get("choice"),
        form.get("motivation"),
    ) {
        Ok((options, choice, motivation)) => {
            career_file::save_choice(
                a.tenant(&state),
                &s.record.id,
                &Choice {
                    options,
                    choice,
                    motivation,
                    updated_at: None,
                },
            )
            .await?;
            Ok(saved("h-choice"))
        }
        Err(errors) => render_file(&state, &a, None, kept("choice", &a, &errors, form)).await,
    }
}

pub async fn save_handover(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    let note = form.get("handover_note").trim().replace("\r\n", "\n");
    if note.chars().count() > 10_000 {
        let errors = [koers_domain::FieldError::new(
            "handover_note",
            "text-too-long",
        )];
        return render_file(&state, &a, None, kept("handover", &a, &errors, form)).await;
    }
    let t = a.tenant(&state);
    let mut intake = career_file::intake(t, &s.record.id).await?;
    intake.handover_note = note;
    intake.handover_shared = form.get("share_counsellor") == "1";
    career_file::save_intake(t, &s.record.id, &intake).await?;
    Ok(saved("h-handover"))
}

fn kind_of(form: &FormData) -> WebResult<ItemKind> {
    match form.get("kind") {
        "reflection" => Ok(ItemKind::Reflection),
        "goal" => Ok(ItemKind::Goal),
        "self_assessment" => Ok(ItemKind::SelfAssessment),
        _ => Err(WebError::invalid("kind", "item-unknown")),
    }
}

/// Change who may read an item.
pub async fn set_sharing(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    let kind = kind_of(&form)?;
    career_file::set_sharing(
        a.tenant(&state),
        kind,
        &id,
        &s.record.user_id,
        sharing_of(&form),
    )
    .await?;
    Ok(saved("h-reflections"))
}

/// Delete a reflection or goal (after the confirmation in the page).
pub async fn delete_item(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    let kind = kind_of(&form)?;
    if kind == ItemKind::SelfAssessment {
        return Err(WebError::invalid("kind", "item-unknown"));
    }
    career_file::delete_item(a.tenant(&state), kind, &id, &s.record.user_id).await?;
    Ok(Redirect::to("/career-file?ok=deleted").into_response())
}

/// Mark a goal reached (or open again).
pub async fn goal_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    let status = match form.get("status") {
        "reached" => "reached",
        "open" => "open",
        _ => return Err(WebError::invalid("status", "goal-status-invalid")),
    };
    career_file::set_goal_status(a.tenant(&state), &id, &s.record.user_id, status).await?;
    Ok(saved("h-goals"))
}
