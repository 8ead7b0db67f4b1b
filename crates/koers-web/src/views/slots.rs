//! Booking: counsellors publish times; students book one or ask for a conversation with a
//! question; either side can move (counsellor) or cancel a planned conversation.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::{Date, Time};
use koers_app::guidance::access::{self, Need};
use koers_app::guidance::conversations::load as load_conversation;
use koers_domain::FieldError;
use koers_domain::guidance::conversation::{MAX_DURATION, MIN_DURATION, Origin};
use koers_domain::guidance::{ConversationStatus, Phase};
use koers_store::guidance::conversations::{self, NewConversation};
use koers_store::guidance::slots::{self, Slot};

/// A wall-clock time in Amsterdam from the form's `date` and `time` fields.
pub fn form_instant(form: &FormData) -> Option<i64> {
    let d = Date::strptime("%Y-%m-%d", form.get("date").trim()).ok()?;
    let t = Time::strptime("%H:%M", form.get("time").trim()).ok()?;
    Some(koers_domain::time::from_local(d.to_datetime(t)))
}

#[derive(Template)]
#[template(path = "slots.html")]
struct SlotsPage {
    ctx: Ctx,
    slots: Vec<Slot>,
    form: FormData,
    errors: Vec<FieldMsg>,
}

async fn slots_page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    form: FormData,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    access::require_counsellor(&a.actor)?;
    let slots = slots::of_guide(a.tenant(state), &a.user.id, koers_store::now_ms(), false).await?;
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &SlotsPage {
            ctx: Ctx::user(a, "/slots", "slots").with_flash(flash),
            slots,
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
    slots_page(
        &state,
        &a,
        q.ok.as_deref(),
        FormData(Vec::new()),
        Vec::new(),
    )
    .await
}

/// Publish one or more back-to-back times.
pub async fn create(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    access::require_counsellor(&a.actor)?;
    let mut errors = Vec::new();
    let start = form_instant(&form);
    match start {
        None => errors.push(FieldError::new("date", "datetime-invalid")),
        Some(s) if s < koers_store::now_ms() => {
            errors.push(FieldError::new("date", "slot-in-past"))
        }
        _ => {}
    }
    let duration: i64 = form.get("duration").trim().parse().unwrap_or(0);
    if !(MIN_DURATION..=MAX_DURATION).contains(&duration) {
        errors.push(FieldError::new("duration", "duration-invalid"));
    }
    let count: i64 = form.get("count").trim().parse().unwrap_or(0);
    if !(1..=16).contains(&count) {
        errors.push(FieldError::new("count", "slot-count-invalid"));
    }
    let location = form.get("location").trim();
    if location.chars().count() > 300 {
        errors.push(FieldError::new("location", "location-invalid"));
    }
    match start {
        Some(start) if errors.is_empty() => {
            for i in 0..count {
                slots::create(
                    a.tenant(&state),
                    &a.user.id,
                    start + i * duration * 60_000,
                    duration,
                    location,
                )
                .await?;
            }
            Ok(Redirect::to("/slots?ok=created").into_response())
        }
        _ => {
            let msgs = field_msgs(&a.tr, &errors);
            slots_page(&state, &a, None, form, msgs).await
        }
    }
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    access::require_counsellor(&a.actor)?;
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    slots::delete(a.tenant(&state), &id, &a.user.id).await?;
    Ok(Redirect::to("/slots?ok=deleted").into_response())
}

#[derive(Template)]
#[template(path = "book.html")]
struct BookPage {
    ctx: Ctx,
    slots: Vec<Slot>,
    counsellor: Option<String>,
    current: Phase,
    phases: [Phase; 4],
    form: FormData,
    errors: Vec<FieldMsg>,
}

async fn book_page(
    state: &AppState,
    a: &Authenticated,
    form: FormData,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(state)).await?;
    let slots = match &s.record.counsellor_id {
        Some(c) => slots::of_guide(a.tenant(state), c, koers_store::now_ms(), true).await?,
        None => Vec::new(),
    };
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &BookPage {
            ctx: Ctx::user(a, "/book", "book"),
            slots,
            counsellor: s.record.counsellor_name.clone(),
            current: s.record.phase,
            phases: Phase::ALL,
            form,
            errors,
        },
    ))
}

pub async fn book_form(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    book_page(&state, &a, FormData(Vec::new()), Vec::new()).await
}

fn phase_and_question(form: &FormData) -> Result<(Phase, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let phase = Phase::parse(form.get("phase"));
    if phase.is_none() {
        errors.push(FieldError::new("phase", "phase-invalid"));
    }
    let q = form.get("question").trim().replace("\r\n", "\n");
    if q.chars().count() > 2_000 {
        errors.push(FieldError::new("question", "text-too-long"));
    }
    match phase {
        Some(p) if errors.is_empty() => Ok((p, q)),
        _ => Err(errors),
    }
}

/// The student books one of their counsellor's times.
pub async fn book(
    State(state): State<AppState>,
    Path(slot_id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    if !koers_domain::is_id(&slot_id) {
        return Err(WebError::NotFound);
    }
    let slot = slots::get(a.tenant(&state), &slot_id)
        .await?
        .ok_or(WebError::NotFound)?;
    if s.record.counsellor_id.as_deref() != Some(slot.guide_id.as_str()) {
        return Err(WebError::Forbidden);
    }
    let (phase, question) = match phase_and_question(&form) {
        Ok(v) => v,
        Err(errors) => {
            let msgs = field_msgs(&a.tr, &errors);
            return book_page(&state, &a, form, msgs).await;
        }
    };
    let c = slots::book(
        a.tenant(&state),
        &slot_id,
        &s.record.user_id,
        phase,
        &question,
    )
    .await?;
    Ok(Redirect::to(&format!("/conversations/{}?ok=created", c.id)).into_response())
}

/// The student asks for a conversation with a question; the counsellor plans it.
pub async fn request(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::own_record(&a.cx(&state)).await?;
    let (phase, question) = match phase_and_question(&form) {
        Ok(v) if !v.1.is_empty() => v,
        Ok(_) => {
            let msgs = field_msgs(&a.tr, &[FieldError::new("question", "question-required")]);
            return book_page(&state, &a, form, msgs).await;
        }
        Err(errors) => {
            let msgs = field_msgs(&a.tr, &errors);
            return book_page(&state, &a, form, msgs).await;
        }
    };
    let c = conversations::create(
        a.tenant(&state),
        NewConversation {
            context: koers_domain::guidance::conversation::Context::Student,
            person_id: &s.record.user_id,
            guide_id: s.record.counsellor_id.as_deref(),
            phase: Some(phase),
            status: ConversationStatus::Requested,
            origin: Origin::Requested,
            starts_at: None,
            duration_minutes: 45,
            location: "",
            question: &question,
            created_by: &a.user.id,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/conversations/{}?ok=created", c.id)).into_response())
}

/// The counsellor moves (or plans a requested) conversation; the calendar file's SEQUENCE
/// goes up so calendars update it.
pub async fn reschedule(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (c, s) = load_conversation(&a.cx(&state), &id).await?;
    s.require(&a.actor, Need::Guide)?;
    if !matches!(
        c.status,
        ConversationStatus::Planned | ConversationStatus::Requested
    ) {
        return Err(WebError::invalid("status", "conversation-closed"));
    }
    let duration: i64 = form.get("duration").trim().parse().unwrap_or(0);
    let input = koers_domain::guidance::ConversationInput::parse(
        c.phase.map_or("progress", Phase::key),
        form_instant(&form),
        duration,
        form.get("location"),
    )
    .map_err(WebError::Invalid)?;
    conversations::reschedule(
        a.tenant(&state),
        &c.id,
        input.starts_at,
        input.duration_minutes,
        &input.location,
    )
    .await?;
    slots::release(a.tenant(&state), &c.id).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "conversation.reschedule",
        &c.id,
        serde_json::json!({}),
    )
    .await?;
    Ok(Redirect::to(&format!("/conversations/{}?ok=saved", c.id)).into_response())
}

/// Cancel a planned or requested conversation: the counsellor, or the student themself.
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    let (c, s) = load_conversation(&a.cx(&state), &id).await?;
    if !(s.is_self(&a.actor) || s.may(&a.actor, Need::Guide)) {
        return Err(WebError::Forbidden);
    }
    if !matches!(
        c.status,
        ConversationStatus::Planned | ConversationStatus::Requested
    ) {
        return Err(WebError::invalid("status", "conversation-closed"));
    }
    conversations::cancel(a.tenant(&state), &c.id).await?;
    slots::release(a.tenant(&state), &c.id).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "conversation.cancel",
        &c.id,
        serde_json::json!({}),
    )
    .await?;
    Ok(Redirect::to(&format!("/conversations/{}?ok=saved", c.id)).into_response())
}
