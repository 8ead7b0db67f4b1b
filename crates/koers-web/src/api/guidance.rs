//! API of the guidance context: students, the import, conversations and reports, calendar
//! files, the self-assessment and programme coverage.

use super::dto::*;
use super::{Paging, parse_json};
use crate::auth::ApiUser;
use crate::commands::finish;
use crate::error::{WebError, WebResult};
use crate::i18n::Locale;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use koers_app::guidance::access::{self, Need};
use koers_app::guidance::conversations as conversation;
use koers_app::guidance::import;
use koers_app::guidance::self_assessments::{self, Answers, Saved, Whose};
use koers_domain::guidance::competency;
use koers_domain::guidance::conversation::RawAgreement;
use koers_domain::guidance::{ConversationInput, ConversationStatus, Phase};
use koers_domain::policy::Action;
use koers_store::guidance::conversations::{self, Conversation};
use koers_store::guidance::students::{self, StudentFilter, StudentRecord};
use koers_store::guidance::{coverage, rules};
use koers_store::platform::programmes;

pub(crate) fn student_dto(r: &StudentRecord, phases: Option<Vec<PhaseStatusDto>>) -> StudentDto {
    StudentDto {
        id: r.id.clone(),
        user_id: r.user_id.clone(),
        student_number: r.student_number.clone(),
        given_name: r.given_name.clone(),
        name_prefix: r.name_prefix.clone(),
        family_name: r.family_name.clone(),
        name: r.name.clone(),
        email: r.email.clone(),
        programme: r.programme_code.clone(),
        cohort: r.cohort_year,
        start_date: r.start_date.clone(),
        phase: r.phase.key().to_owned(),
        counsellor_id: r.counsellor_id.clone(),
        phases,
    }
}

fn phase_dtos(statuses: &[koers_domain::guidance::PhaseStatus; 4]) -> Vec<PhaseStatusDto> {
    Phase::ALL
        .iter()
        .zip(statuses)
        .map(|(p, s)| PhaseStatusDto {
            phase: p.key().to_owned(),
            status: s.key().to_owned(),
        })
        .collect()
}

pub(crate) fn query_pairs(query: Option<&str>) -> WebResult<Vec<(String, String)>> {
    serde_urlencoded::from_str(query.unwrap_or(""))
        .map_err(|_| WebError::BadRequest("malformed query string".into()))
}

/// Students the caller may see: a counsellor their caseload, a programme manager their
/// programmes, an administrator all.
#[utoipa::path(get, path = "/api/v1/students", tag = "guidance",
    params(
        ("programme" = Option<String>, Query, description = "Programme code"),
        ("cohort" = Option<i64>, Query, description = "Cohort year (an unknown cohort gives an empty list)"),
        ("phase" = Option<String>, Query, description = "Current phase"),
        ("q" = Option<String>, Query, description = "Part of name, email or student number"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500),
        ("cursor" = Option<String>, Query),
    ),
    responses((status = 200, body = StudentList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_students(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    RawQuery(query): RawQuery,
) -> WebResult<Json<StudentList>> {
    a.require(Action::ListStudents)?;
    let reach = access::reach(&a.cx(&state))
        .await?
        .ok_or(WebError::Forbidden)?;
    let paging = Paging::parse(query.as_deref())?;
    let pairs = query_pairs(query.as_deref())?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let t = a.tenant(&state);
    let mut filter = StudentFilter {
        q: paging.q.clone(),
        ..Default::default()
    };
    if let Some(code) = get("programme").filter(|c| !c.is_empty()) {
        match programmes::by_code(t, &code.trim().to_uppercase()).await? {
            Some(p) => filter.programme_id = Some(p.id),
            None => return Err(WebError::invalid("programme", "programme-unknown")),
        }
    }
    if let Some(y) = get("cohort") {
        let y = koers_domain::CohortYear::parse(y)
            .map_err(|_| WebError::invalid("cohort", "year-invalid"))?;
        filter.cohort_year = Some(i64::from(y.get()));
    }
    if let Some(p) = get("phase").filter(|c| !c.is_empty()) {
        filter.phase = Some(Phase::parse(p).ok_or(WebError::invalid("phase", "phase-invalid"))?);
    }
    if paging
        .cursor
        .as_deref()
        .is_some_and(|c| !koers_domain::is_id(c))
    {
        return Err(WebError::invalid("cursor", "cursor-invalid"));
    }
    let page =
        match students::list(t, &reach, &filter, paging.limit, paging.cursor.as_deref()).await {
            Ok(p) => p,
            Err(koers_store::StoreError::NotFound) => {
                return Err(WebError::invalid("cursor", "cursor-invalid"));
            }
            Err(e) => return Err(e.into()),
        };
    let rules = students::rules_for(t, &page.items).await?;
    let today = koers_domain::time::today();
    let mut items = Vec::with_capacity(page.items.len());
    for r in &page.items {
        // Phase statuses are guidance metadata: for the counsellor (a caseload lists only
        // their own students) and the programme manager, not for administrators.
        let meta = matches!(
            &reach,
            koers_store::guidance::students::Reach::Counsellors(_)
        ) || a
            .actor
            .has_role_for(koers_domain::Role::ProgrammeManager, &r.programme_id);
        let phases = meta.then(|| phase_dtos(&r.statuses(&rules[&r.programme_id], today)));
        items.push(student_dto(r, phases));
    }
    Ok(Json(StudentList {
        items,
        next: page.next,
    }))
}

/// One student's record with the status of each phase.
#[utoipa::path(get, path = "/api/v1/students/{id}", tag = "guidance",
    params(("id" = String, Path)),
    responses((status = 200, body = StudentDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_student(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<StudentDto>> {
    let s = access::load(&a.cx(&state), &id).await?;
    let phases = if s.may(&a.actor, Need::Meta) {
        let rules = rules::for_programme(a.tenant(&state), &s.record.programme_id).await?;
        Some(phase_dtos(
            &s.record.statuses(&rules, koers_domain::time::today()),
        ))
    } else {
        None
    };
    Ok(Json(student_dto(&s.record, phases)))
}

/// Import students from CSV (all or nothing).
#[utoipa::path(post, path = "/api/v1/students/import", tag = "guidance",
    request_body(content = String, content_type = "text/csv",
        description = "Header line (Dutch or English names), `;` or `,` separated, UTF-8 or Windows-1252"),
    responses((status = 200, body = ImportResult),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "Errors with line numbers; nothing was written", body = ErrorBody)))]
pub async fn import_students(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Json<ImportResult>> {
    a.require(Action::ImportStudents)?;
    require_text_body(&headers)?;
    let cx = a.cx(&state);
    let plan = import::plan(&cx, &body).await?;
    let done = import::apply(&cx, &plan, None, &|_, _| {}).await?;
    let (created, updated) = finish(&state, &a, &headers, done).await?;
    Ok(Json(ImportResult {
        created: created as u64,
        updated: updated as u64,
    }))
}

/// Import first-year study-advice (BSA) signals from CSV (all or nothing): columns
/// `studentnummer`, `studiepunten`, optional `norm` (default 45) and `peildatum` (default today).
#[utoipa::path(post, path = "/api/v1/study-progress/import", tag = "guidance",
    request_body(content = String, content_type = "text/csv",
        description = "Header line (Dutch or English names), `;` or `,` separated, UTF-8 or Windows-1252"),
    responses((status = 200, body = ProgressImportResult),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, description = "Errors with line numbers; nothing was written", body = ErrorBody)))]
pub async fn import_study_progress(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Json<ProgressImportResult>> {
    a.require(Action::ImportStudents)?;
    require_text_body(&headers)?;
    let done = import::progress(&a.cx(&state), &body).await?;
    let created = finish(&state, &a, &headers, done).await?;
    Ok(Json(ProgressImportResult {
        created: created as u64,
    }))
}

/// A CSV upload is sent as text (or as bytes without a type); anything else is refused.
fn require_text_body(headers: &HeaderMap) -> WebResult<()> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/csv");
    if ct.starts_with("text/") || ct.starts_with("application/octet-stream") {
        Ok(())
    } else {
        Err(WebError::UnsupportedMediaType)
    }
}

fn conversation_dto(
    c: &Conversation,
    student_id: &str,
    content: bool,
    notes: bool,
    agreements: Option<Vec<AgreementDto>>,
) -> ConversationDto {
    ConversationDto {
        id: c.id.clone(),
        student_id: student_id.to_owned(),
        counsellor_id: c.guide_id.clone(),
        phase: c.phase.map(|p| p.key().to_owned()),
        status: c.status.key().to_owned(),
        origin: c.origin.clone(),
        starts_at: c.starts_at.map(koers_domain::time::rfc3339),
        duration_minutes: c.duration_minutes,
        location: c.location.clone(),
        sequence: c.sequence,
        summary: content.then(|| c.summary.clone()),
        private_notes: notes.then(|| c.private_notes.clone()),
        competencies: content.then(|| c.competencies.clone()),
        agreements,
    }
}

/// Plan a conversation, or record one that was held (a `starts_at` in the past).
#[utoipa::path(post, path = "/api/v1/conversations", tag = "guidance",
    request_body = NewConversationBody,
    responses((status = 201, body = ConversationDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_conversation(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    // Only counsellors guide; everyone else is refused before the body is read.
    if !a.actor.has_role(koers_domain::Role::Counsellor) {
        return Err(WebError::Forbidden);
    }
    let value: serde_json::Value = parse_json(&body)?;
    let student_id = value
        .get("student_id")
        .and_then(|v| v.as_str())
        .ok_or_else(|| WebError::invalid("student_id", "required"))?
        .to_owned();
    let s = access::load_for(&a.cx(&state), &student_id, Need::Guide).await?;
    let body: NewConversationBody = parse_json(&body)?;
    let input = ConversationInput::parse(
        &body.phase,
        koers_domain::time::parse_rfc3339(&body.starts_at),
        body.duration_minutes,
        body.location.as_deref().unwrap_or(""),
    )
    .map_err(WebError::Invalid)?;
    let done = conversation::schedule(&a.cx(&state), &s, &input).await?;
    let c = finish(&state, &a, &headers, done).await?;
    Ok((
        StatusCode::CREATED,
        Json(conversation_dto(
            &c,
            &s.record.id,
            true,
            true,
            Some(Vec::new()),
        )),
    )
        .into_response())
}

fn agreement_dtos(list: &[conversations::Agreement]) -> Vec<AgreementDto> {
    list.iter()
        .map(|g| AgreementDto {
            id: Some(g.id.clone()),
            description: g.description.clone(),
            owner: g.owner.key().to_owned(),
            due_on: g.due_on.clone(),
            status: Some(g.status.key().to_owned()),
        })
        .collect()
}

/// One conversation. The summary and agreements are for the student and the counsellor;
/// private notes only for the counsellor who holds the conversation; a programme manager
/// sees that it took place, its date and phase.
#[utoipa::path(get, path = "/api/v1/conversations/{id}", tag = "guidance",
    params(("id" = String, Path)),
    responses((status = 200, body = ConversationDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_conversation(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<ConversationDto>> {
    let (c, s) = conversation::load(&a.cx(&state), &id).await?;
    let content = conversation::content(&a.cx(&state), &s, &c).await?;
    let (content, notes, agreements) = (content.report, content.notes, content.agreements);
    let agreements = if content {
        Some(agreement_dtos(&agreements))
    } else {
        None
    };
    Ok(Json(conversation_dto(
        &c,
        &s.record.id,
        content,
        notes,
        agreements,
    )))
}

/// Write (or rewrite) the report of a conversation; the conversation counts as held.
#[utoipa::path(put, path = "/api/v1/conversations/{id}/report", tag = "guidance",
    params(("id" = String, Path)), request_body = ReportBody,
    responses((status = 200, body = ConversationDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_report(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Json<ConversationDto>> {
    let cx = a.cx(&state);
    let (c, s) = conversation::load(&cx, &id).await?;
    s.require(&a.actor, Need::Guide)?;
    if c.status == ConversationStatus::Cancelled {
        return Err(WebError::Conflict("cancelled conversation"));
    }
    let body: ReportBody = parse_json(&body)?;
    let draft = conversation::ReportDraft {
        summary: &body.summary,
        private_notes: &body.private_notes,
        competencies: body.competencies.iter().map(String::as_str).collect(),
        agreements: body
            .agreements
            .iter()
            .map(|g| RawAgreement {
                description: &g.description,
                owner: &g.owner,
                due_on: g.due_on.as_deref().unwrap_or(""),
            })
            .collect(),
    };
    let done = conversation::report(&cx, &c, &s, &draft).await?;
    finish(&state, &a, &headers, done).await?;
    let c = conversations::get(a.tenant(&state), &c.id)
        .await?
        .ok_or(WebError::NotFound)?;
    let agreements =
        agreement_dtos(&conversations::agreements_of_conversation(a.tenant(&state), &c.id).await?);
    let notes = c.guide_id.as_deref() == Some(a.user.id.as_str());
    Ok(Json(conversation_dto(
        &c,
        &s.record.id,
        true,
        notes,
        Some(agreements),
    )))
}

/// The conversation as an iCalendar file (RFC 5545) for Outlook, Google or Apple Calendar.
#[utoipa::path(get, path = "/api/v1/conversations/{id}/calendar.ics", tag = "guidance",
    params(("id" = String, Path)),
    responses((status = 200, description = "text/calendar", content_type = "text/calendar", body = String),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn conversation_ics(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let (c, s) = conversation::load(&a.cx(&state), &id).await?;
    s.require(&a.actor, Need::Content)?;
    crate::calendar_feed::conversation_file(&c, &a.tr)
}

/// The items of the career-competency self-assessment, in the request's language.
#[utoipa::path(get, path = "/api/v1/instruments/career-competencies", tag = "guidance",
    responses((status = 200, body = InstrumentDto), (status = 401, body = ErrorBody)))]
pub async fn instrument(ApiUser(a): ApiUser) -> WebResult<Json<InstrumentDto>> {
    Ok(Json(instrument_dto(a.tr.0)))
}

pub(crate) fn instrument_dto(locale: Locale) -> InstrumentDto {
    InstrumentDto {
        items: competency::ITEMS
            .iter()
            .map(|i| InstrumentItemDto {
                id: i.id.to_owned(),
                competency: i.competency.key().to_owned(),
                text: match locale {
                    Locale::En => i.en,
                    Locale::Nl => i.nl,
                }
                .to_owned(),
            })
            .collect(),
    }
}

/// A student fills in the career-competency self-assessment.
#[utoipa::path(post, path = "/api/v1/students/{id}/self-assessments", tag = "guidance",
    params(("id" = String, Path)), request_body = SelfAssessmentBody,
    responses((status = 201, body = SelfAssessmentDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_self_assessment(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let s = access::load_for(&a.cx(&state), &id, Need::OwnFile).await?;
    let body: SelfAssessmentBody = parse_json(&body)?;
    let answers = Answers {
        answers: body.answers,
        share_with_counsellor: body.share_with_counsellor.unwrap_or(true),
        share_with_mentor: body.share_with_mentor.unwrap_or(false),
    };
    let phase = body.phase.clone().unwrap_or_default();
    let done = self_assessments::save(&a.cx(&state), Whose::Student(&s, &phase), &answers).await?;
    let Saved {
        id: sid, scores, ..
    } = finish(&state, &a, &headers, done).await?;
    Ok((
        StatusCode::CREATED,
        Json(SelfAssessmentDto {
            id: sid,
            phase: body.phase.filter(|p| !p.is_empty()),
            scores,
        }),
    )
        .into_response())
}

/// Coverage of guidance in a programme: per phase, students expected / done / overdue, and
/// who is missed.
#[utoipa::path(get, path = "/api/v1/programmes/{code}/coverage", tag = "guidance",
    params(("code" = String, Path, description = "Programme code"),
        ("cohort" = Option<i64>, Query, description = "Cohort year")),
    responses((status = 200, body = CoverageDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn programme_coverage(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
) -> WebResult<Json<CoverageDto>> {
    let t = a.tenant(&state);
    let p = programmes::by_code(t, &code.trim().to_uppercase())
        .await?
        .ok_or(WebError::NotFound)?;
    a.require(Action::ViewCoverage {
        programme_id: &p.id,
    })?;
    let pairs = query_pairs(query.as_deref())?;
    let cohort = match pairs
        .iter()
        .find(|(k, _)| k == "cohort")
        .map(|(_, v)| v.as_str())
    {
        None => None,
        Some(y) => Some(i64::from(
            koers_domain::CohortYear::parse(y)
                .map_err(|_| WebError::invalid("cohort", "year-invalid"))?
                .get(),
        )),
    };
    let cov =
        coverage::of_programme(t, &p.id, cohort, koers_domain::time::today(), 0, None).await?;
    let students = cov.cohorts.iter().map(|c| c.students).sum();
    Ok(Json(CoverageDto {
        programme: p.code,
        cohort,
        students,
        phases: cov
            .total
            .iter()
            .map(|pc| PhaseCoverageDto {
                phase: pc.phase.key().to_owned(),
                expected: pc.expected,
                done: pc.done,
                due: pc.due,
                overdue: pc.overdue,
                missed_student_ids: cov
                    .missed
                    .iter()
                    .filter(|m| m.phases.contains(&pc.phase))
                    .map(|m| m.student_id.clone())
                    .collect(),
            })
            .collect(),
    }))
}
