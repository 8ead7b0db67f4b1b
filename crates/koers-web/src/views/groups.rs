//! Group sessions for counsellors: plan a session with a topic and phase for students of
//! the caseload, then record who attended (which counts for coverage where configured).

use super::slots::form_instant;
use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::guidance::access;
use koers_domain::FieldError;
use koers_domain::guidance::{ConversationInput, Phase};
use koers_store::guidance::groups::{self, GroupSession, NewGroupSession, Participant};
use koers_store::guidance::students::{self, Reach, StudentRecord};

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage {
    ctx: Ctx,
    sessions: Vec<GroupSession>,
    caseload: Vec<StudentRecord>,
    phases: [Phase; 4],
    form: FormData,
    errors: Vec<FieldMsg>,
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    ctx: Ctx,
    g: GroupSession,
    people: Vec<Participant>,
}

async fn caseload(state: &AppState, a: &Authenticated) -> WebResult<Vec<StudentRecord>> {
    let owners = access::caseload_owners(&a.cx(state)).await?;
    Ok(students::list(
        a.tenant(state),
        &Reach::Counsellors(owners),
        &Default::default(),
        5000,
        None,
    )
    .await?
    .items)
}

async fn list_page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    form: FormData,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    access::require_counsellor(&a.actor)?;
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &GroupsPage {
            ctx: Ctx::user(a, "/groups", "groups").with_flash(flash),
            sessions: groups::of_guide(a.tenant(state), &a.user.id).await?,
            caseload: caseload(state, a).await?,
            phases: Phase::ALL,
            form,
            errors,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    list_page(
        &state,
        &a,
        q.ok.as_deref(),
        FormData(Vec::new()),
        Vec::new(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    access::require_counsellor(&a.actor)?;
    let duration: i64 = form.get("duration").trim().parse().unwrap_or(0);
    let mut errors = match ConversationInput::parse(
        form.get("phase"),
        form_instant(&form),
        duration,
        form.get("location"),
    ) {
        Ok(_) => Vec::new(),
        Err(e) => e,
    };
    let topic = form.get("topic").trim();
    if topic.is_empty() || topic.chars().count() > 200 {
        errors.push(FieldError::new("topic", "topic-invalid"));
    }
    // Only students of one's own caseload can be invited.
    let mine: Vec<String> = caseload(&state, &a)
        .await?
        .into_iter()
        .map(|s| s.user_id)
        .collect();
    let chosen: Vec<String> = form
        .0
        .iter()
        .filter(|(k, v)| k == "person" && mine.contains(v))
        .map(|(_, v)| v.clone())
        .collect();
    if chosen.is_empty() {
        errors.push(FieldError::new("person", "group-empty"));
    }
    if !errors.is_empty() {
        let msgs = field_msgs(&a.tr, &errors);
        return list_page(&state, &a, None, form, msgs).await;
    }
    let input = ConversationInput::parse(
        form.get("phase"),
        form_instant(&form),
        duration,
        form.get("location"),
    )
    .map_err(WebError::Invalid)?;
    let id = groups::create(
        a.tenant(&state),
        NewGroupSession {
            guide_id: &a.user.id,
            topic,
            phase: input.phase,
            starts_at: input.starts_at,
            duration_minutes: input.duration_minutes,
            location: &input.location,
            person_ids: &chosen,
        },
    )
    .await?;
    crate::commands::audit_change(
        &state,
        &a,
        "group.create",
        &id,
        serde_json::json!({"students": chosen.len()}),
    )
    .await?;
    Ok(Redirect::to(&format!("/groups/{id}?ok=created")).into_response())
}

async fn own_session(state: &AppState, a: &Authenticated, id: &str) -> WebResult<GroupSession> {
    access::require_counsellor(&a.actor)?;
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let g = groups::get(a.tenant(state), id)
        .await?
        .ok_or(WebError::NotFound)?;
    if g.guide_id != a.user.id {
        return Err(WebError::Forbidden);
    }
    Ok(g)
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    let g = own_session(&state, &a, &id).await?;
    let people = groups::participants(a.tenant(&state), &g.id).await?;
    Ok(super::render(&GroupPage {
        ctx: Ctx::user(&a, &format!("/groups/{id}"), "groups").with_flash(q.ok.as_deref()),
        g,
        people,
    }))
}

pub async fn attendance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let g = own_session(&state, &a, &id).await?;
    let attended: Vec<String> = form
        .0
        .iter()
        .filter(|(k, _)| k == "attended")
        .map(|(_, v)| v.clone())
        .collect();
    groups::record_attendance(a.tenant(&state), &g.id, &attended).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "group.attendance",
        &g.id,
        serde_json::json!({"attended": attended.len()}),
    )
    .await?;
    Ok(Redirect::to(&format!("/groups/{}?ok=saved", g.id)).into_response())
}

/// The session as a calendar file, for its counsellor and the invited students (without the
/// other participants' names: a student's calendar does not list the group).
pub async fn calendar(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(&state);
    let g = groups::get(t, &id).await?.ok_or(WebError::NotFound)?;
    if g.guide_id != a.user.id && !groups::is_participant(t, &g.id, &a.user.id).await? {
        return Err(WebError::Forbidden);
    }
    let organizer = groups::guide_contact(t, &g.guide_id).await?;
    let uid = format!("{}@koers", g.id);
    let summary = format!("{} ({})", g.topic, a.tr.tk("phase", g.phase.key()));
    let ics = koers_domain::guidance::ics::calendar(&koers_domain::guidance::ics::CalendarEvent {
        uid: &uid,
        sequence: 0,
        stamp_ms: koers_store::now_ms(),
        start_ms: g.starts_at,
        duration_minutes: g.duration_minutes,
        summary: &summary,
        description: &a.tr.t("ics-group-description"),
        location: &g.location,
        organizer: organizer.as_ref().map(|(n, e)| (n.as_str(), e.as_str())),
        attendees: Vec::new(),
        cancelled: g.status == "cancelled",
    });
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"groepsbijeenkomst-{}.ics\"",
                    &g.id[..8]
                ),
            ),
        ],
        ics,
    )
        .into_response())
}
