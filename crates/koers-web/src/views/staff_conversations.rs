//! A staff career conversation: details, the calendar file, cancelling, and the report with
//! agreements. The same conversation model as student guidance (context `staff`); the line
//! manager is the guide and writes the report; the employee and HR advisers read it; private
//! notes stay with the manager who wrote them.

use super::conversations::{AgreementRow, form_rows, report_form, typed_rows};
use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::calendar_feed::conversation_file;
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::staff::{self as access, EmployeeAccess};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::guidance::conversation::Context;
use koers_domain::guidance::{ConversationStatus, ReportInput};
use koers_store::guidance::conversations::{self, Agreement, Conversation};

#[derive(Template)]
#[template(path = "staff_conversation.html")]
struct Page {
    ctx: Ctx,
    c: Conversation,
    e: EmployeeAccess,
    can_report: bool,
    /// Planned in the future: the report can be written once it has started.
    report_later: bool,
    notes: bool,
    /// Planned, and the actor is the manager or the employee.
    can_cancel: bool,
    agreements: Vec<Agreement>,
    errors: Vec<FieldMsg>,
    rows: Vec<AgreementRow>,
}

/// A staff conversation and its employee; reading needs a relation to the employee.
async fn load(
    state: &AppState,
    a: &Authenticated,
    id: &str,
) -> WebResult<(Conversation, EmployeeAccess)> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let c = conversations::get(a.tenant(state), id)
        .await?
        .ok_or(WebError::NotFound)?;
    if c.context != Context::Staff {
        return Err(WebError::NotFound);
    }
    let e = access::load(state, a, &c.person_id).await?;
    Ok((c, e))
}

/// The guide of the conversation, while they are still the line manager.
fn may_report(c: &Conversation, e: &EmployeeAccess, a: &Authenticated) -> bool {
    e.may_guide(a) && c.status != ConversationStatus::Cancelled
}

async fn page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    flash: Option<&str>,
    errors: Vec<FieldMsg>,
    kept: Option<(Conversation, Vec<AgreementRow>)>,
) -> WebResult<Response> {
    let (c, e) = load(state, a, id).await?;
    access::audit_read(state, a, &e, "staff_conversation.read").await?;
    let agreements = conversations::agreements_of_conversation(a.tenant(state), &c.id).await?;
    let can_report = may_report(&c, &e, a);
    let report_later = c.check_report_time().is_err();
    let notes = c.guide_id.as_deref() == Some(a.user.id.as_str());
    let can_cancel = c.status == ConversationStatus::Planned && (e.may_guide(a) || e.is_self(a));
    let (c, rows) = match kept {
        Some((k, rows)) => (k, form_rows(&[], Some(rows))),
        None => (c, form_rows(&agreements, None)),
    };
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &Page {
            ctx: Ctx::user(a, &format!("/staff-conversations/{}", c.id), "development")
                .with_flash(flash),
            can_report,
            report_later,
            notes,
            can_cancel,
            agreements,
            errors,
            rows,
            c,
            e,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    page(&state, &a, &id, q.ok.as_deref(), Vec::new(), None).await
}

pub async fn calendar(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let (c, _) = load(&state, &a, &id).await?;
    conversation_file(&c, &a.tr)
}

pub async fn save_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (c, e) = load(&state, &a, &id).await?;
    e.require(may_report(&c, &e, &a))?;
    let (_, raw) = report_form(&form);
    let own = c.guide_id.as_deref() == Some(a.user.id.as_str());
    let notes = if own {
        form.get("private_notes")
    } else {
        c.private_notes.as_str()
    };
    let parsed = c
        .check_report_time()
        .and_then(|()| ReportInput::parse(form.get("summary"), notes, &[], &raw));
    match parsed {
        Ok(report) => {
            conversations::save_report(a.tenant(&state), &c.id, &report).await?;
            crate::commands::audit_change(
                &state,
                &a,
                "staff_conversation.report",
                &c.id,
                serde_json::json!({"employee_id": e.user.id}),
            )
            .await?;
            Ok(Redirect::to(&format!("/staff-conversations/{}?ok=saved", c.id)).into_response())
        }
        Err(errors) => {
            let mut kept = c.clone();
            kept.summary = form.get("summary").to_owned();
            kept.private_notes = form.get("private_notes").to_owned();
            let rows = typed_rows(&raw);
            let msgs = field_msgs(&a.tr, &errors);
            page(&state, &a, &id, None, msgs, Some((kept, rows))).await
        }
    }
}

/// The line manager or the employee cancels a planned conversation.
pub async fn cancel(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (c, e) = load(&state, &a, &id).await?;
    e.require(e.may_guide(&a) || e.is_self(&a))?;
    if form.get("confirm") != "1" {
        return Err(WebError::invalid("confirm", "confirm-required"));
    }
    if c.status != ConversationStatus::Planned {
        return Err(WebError::Conflict("conversation"));
    }
    conversations::cancel(a.tenant(&state), &c.id).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "staff_conversation.cancel",
        &c.id,
        serde_json::json!({"employee_id": e.user.id}),
    )
    .await?;
    Ok(Redirect::to(&format!("/staff-conversations/{}?ok=saved", c.id)).into_response())
}
