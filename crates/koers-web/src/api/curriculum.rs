//! The curriculum API: competence frameworks (list, export, import) and practice
//! conversations with their analysis.

use super::dto::*;
use super::parse_json;
use crate::auth::ApiUser;
use crate::curriculum as access;
use crate::error::{WebError, WebResult};
use crate::i18n::Tr;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use koers_domain::curriculum::framework;
use koers_domain::curriculum::transcript::{self, Analysis, Format};
use koers_domain::guidance::CareerCompetency;
use koers_domain::policy::Action;
use koers_store::curriculum::frameworks::{self, FrameworkSummary};
use koers_store::curriculum::practice::Practice;

fn framework_dto(f: &FrameworkSummary) -> FrameworkDto {
    FrameworkDto {
        id: f.id.clone(),
        key: f.key.clone(),
        version: f.version.clone(),
        name: (&f.name).into(),
        origin: f.origin.clone(),
        competences: f.competences,
    }
}

/// The institution's frameworks (the current version of each).
#[utoipa::path(get, path = "/api/v1/frameworks", tag = "curriculum",
    responses((status = 200, body = FrameworkList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_frameworks(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<Json<FrameworkList>> {
    a.require(Action::ViewCurriculum)?;
    let items = frameworks::list(a.tenant(&state)).await?;
    Ok(Json(FrameworkList {
        items: items.iter().map(framework_dto).collect(),
        next: None,
    }))
}

/// A framework as a JSON document (the schema in `docs/schemas/framework.schema.json`);
/// `?version=` picks an earlier version.
#[utoipa::path(get, path = "/api/v1/frameworks/{key}/export", tag = "curriculum",
    params(("key" = String, Path), ("version" = Option<String>, Query)),
    responses((status = 200, description = "The framework document", body = Object),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn export_framework(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(key): Path<String>,
    RawQuery(query): RawQuery,
) -> WebResult<Json<serde_json::Value>> {
    a.require(Action::ViewCurriculum)?;
    let version = super::guidance::query_pairs(query.as_deref())?
        .into_iter()
        .find(|(k, _)| k == "version")
        .map(|(_, v)| v);
    let f = frameworks::by_key(a.tenant(&state), &key, version.as_deref())
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Json(framework::to_json(&f.framework)))
}

/// Import a framework document: a new key, or a new version of an own framework. 422 with
/// every problem (and its JSON pointer) when the document is not valid; nothing is stored.
#[utoipa::path(post, path = "/api/v1/frameworks", tag = "curriculum",
    request_body(content = Object, content_type = "application/json",
        description = "A framework document (docs/schemas/framework.schema.json)"),
    responses((status = 201, body = FrameworkDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_framework(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::ManageFrameworks)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| WebError::BadRequest("the body is not UTF-8".into()))?;
    let summary = access::import_framework(&state, &a, text, frameworks::IMPORTED, None).await?;
    Ok((StatusCode::CREATED, Json(framework_dto(&summary))).into_response())
}

/// The explanation of one criterion, in the request's language.
pub(crate) fn explanation(tr: &Tr, a: &Analysis, key: &str, met: bool) -> String {
    let pct = |f: f64| (f * 100.0).round() as i64;
    match key {
        "student-talks-more" => tr.tns(
            "practice-explain-talk",
            &[
                ("student", pct(a.student_share)),
                ("counsellor", pct(a.counsellor_share)),
            ],
        ),
        "open-questions" => tr.tns(
            "practice-explain-questions",
            &[
                ("open", a.open_questions as i64),
                ("closed", a.closed_questions as i64),
            ],
        ),
        _ => tr.t(&format!(
            "practice-explain-{key}-{}",
            if met { "met" } else { "not" }
        )),
    }
}

pub(crate) fn practice_dto(tr: &Tr, p: &Practice, a: &Analysis) -> PracticeDto {
    PracticeDto {
        id: p.id.clone(),
        owner_id: p.person_id.clone(),
        title: p.title.clone(),
        format: p.format.clone(),
        created_at: koers_domain::time::rfc3339(p.created_at),
        speakers: a
            .speakers
            .iter()
            .map(|s| SpeakerDto {
                name: s.name.clone(),
                role: match s.role {
                    transcript::Role::Counsellor => "counsellor".into(),
                    transcript::Role::Student => "student".into(),
                },
                words: s.words,
                share: (s.share * 1000.0).round() / 1000.0,
                time_share: s.time_share.map(|t| (t * 1000.0).round() / 1000.0),
            })
            .collect(),
        turns: a.turns,
        questions: QuestionsDto {
            open: a.open_questions,
            closed: a.closed_questions,
        },
        summaries: a.summaries,
        competencies: CareerCompetency::ALL
            .iter()
            .zip(a.competencies)
            .map(|(c, n)| (c.key().to_owned(), n.into()))
            .collect(),
        criteria: a
            .criteria
            .iter()
            .map(|c| CriterionDto {
                key: c.key.to_owned(),
                met: c.met,
                explanation: explanation(tr, a, c.key, c.met),
            })
            .collect(),
    }
}

/// Upload a practice conversation: analysed at once, stored with its analysis.
#[utoipa::path(post, path = "/api/v1/practice-conversations", tag = "curriculum",
    request_body = NewPracticeBody,
    responses((status = 201, body = PracticeDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_practice(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::WriteOwnWork)?;
    let body: NewPracticeBody = parse_json(&body)?;
    let format =
        Format::parse(&body.format).ok_or_else(|| WebError::invalid("format", "format-invalid"))?;
    let (p, analysis) = access::create_practice(
        &state,
        &a,
        body.title.as_deref().unwrap_or(""),
        format,
        body.transcript.as_bytes(),
        &body.counsellor_speaker,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(practice_dto(&a.tr, &p, &analysis)),
    )
        .into_response())
}

/// A practice conversation with its analysis: for the student, whoever they asked for
/// feedback, and the lecturers of their programme.
#[utoipa::path(get, path = "/api/v1/practice-conversations/{id}", tag = "curriculum",
    params(("id" = String, Path)),
    responses((status = 200, body = PracticeDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_practice(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<PracticeDto>> {
    let (p, analysis, _) = access::load_practice(&state, &a, &id, false).await?;
    Ok(Json(practice_dto(&a.tr, &p, &analysis)))
}
