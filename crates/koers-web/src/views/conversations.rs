//! One guidance conversation: details, the calendar file, and the report (written by the
//! counsellor; the student reads the summary and agreements, never the private notes).

use super::{Ctx, OkQuery, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::calendar_feed::conversation_file;
use crate::error::WebResult;
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::guidance::access::{self, Need};
use koers_app::guidance::conversations::{self as conversation, load as load_conversation};
use koers_domain::guidance::conversation::RawAgreement;
use koers_domain::guidance::{CareerCompetency, ConversationStatus};
use koers_store::guidance::conversations::{self, Agreement, Conversation};
use koers_store::guidance::students::StudentRecord;

#[derive(Template)]
#[template(path = "conversation.html")]
struct ConversationPage {
    ctx: Ctx,
    c: Conversation,
    s: StudentRecord,
    content: bool,
    notes: bool,
    can_report: bool,
    /// Planned in the future: the report can be written once it has started.
    report_later: bool,
    /// Planned or requested: it can still be moved or cancelled.
    open: bool,
    can_cancel: bool,
    agreements: Vec<Agreement>,
    competencies: [CareerCompetency; 5],
    errors: Vec<super::FieldMsg>,
    /// Rows of the agreement form: the existing agreements plus two empty ones.
    rows: Vec<AgreementRow>,
}

/// An agreement as typed in the form: (description, owner, due date).
pub(crate) type AgreementRow = (String, String, String);

impl ConversationPage {
    fn has_competency(&self, key: &str) -> bool {
        self.c.competencies.iter().any(|k| k == key)
    }
}

async fn page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    flash: Option<&str>,
    errors: Vec<super::FieldMsg>,
    kept: Option<(Conversation, Vec<AgreementRow>)>,
) -> WebResult<Response> {
    let (c, s) = load_conversation(&a.cx(state), id).await?;
    let conversation::Content {
        report: content,
        notes,
        agreements,
    } = conversation::content(&a.cx(state), &s, &c).await?;
    let can_report = s.may(&a.actor, Need::Guide) && c.status != ConversationStatus::Cancelled;
    let report_later = c.check_report_time().is_err();
    let open = matches!(
        c.status,
        ConversationStatus::Planned | ConversationStatus::Requested
    );
    let can_cancel = s.is_self(&a.actor) || s.may(&a.actor, Need::Guide);
    let (c, rows) = match kept {
        Some((k, rows)) => (k, form_rows(&[], Some(rows))),
        None => (c, form_rows(&agreements, None)),
    };
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &ConversationPage {
            ctx: Ctx::user(a, &format!("/conversations/{}", c.id), "students").with_flash(flash),
            content,
            notes,
            can_report,
            report_later,
            open,
            can_cancel,
            agreements,
            competencies: CareerCompetency::ALL,
            errors,
            rows,
            c,
            s: s.record,
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
    let (c, s) = load_conversation(&a.cx(&state), &id).await?;
    s.require(&a.actor, Need::Content)?;
    conversation_file(&c, &a.tr)
}

/// The competencies and agreement rows of a report form (fields `competency`, and per row
/// `agreement`, `owner`, `due_on`).
pub(crate) fn report_form(form: &FormData) -> (Vec<&str>, Vec<RawAgreement<'_>>) {
    let all = |k: &str| -> Vec<&str> {
        form.0
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let (descs, owners, dues) = (all("agreement"), all("owner"), all("due_on"));
    let raw = descs
        .iter()
        .enumerate()
        .map(|(i, d)| RawAgreement {
            description: d,
            owner: owners.get(i).copied().unwrap_or("student"),
            due_on: dues.get(i).copied().unwrap_or(""),
        })
        .collect();
    (all("competency"), raw)
}

/// The rows of the agreement form: what was typed (after an error) or the saved agreements,
/// plus two empty rows.
pub(crate) fn form_rows(
    agreements: &[Agreement],
    typed: Option<Vec<AgreementRow>>,
) -> Vec<AgreementRow> {
    let mut rows = typed.unwrap_or_else(|| {
        agreements
            .iter()
            .map(|g| {
                (
                    g.description.clone(),
                    g.owner.key().to_owned(),
                    g.due_on.clone().unwrap_or_default(),
                )
            })
            .collect()
    });
    rows.push((String::new(), "student".into(), String::new()));
    rows.push((String::new(), "student".into(), String::new()));
    rows
}

/// Agreement rows as typed, for showing a form again.
pub(crate) fn typed_rows(raw: &[RawAgreement<'_>]) -> Vec<AgreementRow> {
    raw.iter()
        .filter(|r| !r.description.trim().is_empty() || !r.due_on.trim().is_empty())
        .map(|r| {
            (
                r.description.to_owned(),
                r.owner.to_owned(),
                r.due_on.to_owned(),
            )
        })
        .collect()
}

pub async fn save_report(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let cx = a.cx(&state);
    let (c, s) = load_conversation(&cx, &id).await?;
    let (comps, raw) = report_form(&form);
    let draft = conversation::ReportDraft {
        summary: form.get("summary"),
        private_notes: form.get("private_notes"),
        competencies: comps.clone(),
        agreements: raw.clone(),
    };
    match conversation::report(&cx, &c, &s, &draft).await {
        Ok(done) => {
            crate::commands::finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to(&format!("/conversations/{}?ok=saved", c.id)).into_response())
        }
        Err(koers_app::AppError::Invalid(errors)) => {
            let mut kept = c.clone();
            kept.summary = form.get("summary").to_owned();
            kept.private_notes = form.get("private_notes").to_owned();
            kept.competencies = comps.iter().map(|s| (*s).to_owned()).collect();
            let rows = typed_rows(&raw);
            let msgs = super::field_msgs(&a.tr, &errors);
            page(&state, &a, &id, None, msgs, Some((kept, rows))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Mark an agreement done (or open again, or cancelled): the student or their counsellor.
pub async fn set_agreement_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    if !koers_domain::is_id(&id) {
        return Err(crate::error::WebError::NotFound);
    }
    let t = a.tenant(&state);
    let g = conversations::get_agreement(t, &id)
        .await?
        .ok_or(crate::error::WebError::NotFound)?;
    let s = access::load_by_user(&a.cx(&state), &g.person_id).await?;
    if !(s.is_self(&a.actor) || s.may(&a.actor, Need::Guide)) {
        return Err(crate::error::WebError::Forbidden);
    }
    let status = koers_domain::guidance::AgreementStatus::parse(form.get("status"))
        .ok_or_else(|| crate::error::WebError::invalid("status", "agreement-status-invalid"))?;
    conversations::set_agreement_status(t, &id, status).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "agreement.status",
        &id,
        serde_json::json!({"status": status.key(), "student_id": s.record.id}),
    )
    .await?;
    let back = super::local_path(form.get("next"), "/home");
    Ok(Redirect::to(&back).into_response())
}
