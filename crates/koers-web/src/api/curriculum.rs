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
                explanation: crate::curriculum::explanation(tr, a, c.key, c.met),
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

/// Add an LOB activity to a programme, with the competences it addresses (by framework and
/// competence key) at I, R or M.
#[utoipa::path(post, path = "/api/v1/activities", tag = "curriculum",
    request_body = NewActivityBody,
    responses((status = 201, body = ActivityDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_activity(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Response> {
    use koers_domain::curriculum::learning_line::{ActivityInput, Depth, RawActivity};
    // Only those who manage some programme's activities get past this point.
    if !(a.actor.has_role(koers_domain::Role::Administrator)
        || a.actor.has_role(koers_domain::Role::ProgrammeManager)
        || a.actor.has_role(koers_domain::Role::Lecturer))
    {
        return Err(WebError::Forbidden);
    }
    let body: NewActivityBody = parse_json(&body)?;
    let t = a.tenant(&state);
    let programme = koers_store::platform::programmes::by_code(t, &body.programme)
        .await?
        .ok_or_else(|| WebError::invalid("programme", "programme-unknown"))?;
    a.require(Action::ManageActivities {
        programme_id: &programme.id,
    })?;
    let (year, period, hours) = (
        body.year.to_string(),
        body.period.to_string(),
        body.study_hours.to_string(),
    );
    let input = ActivityInput::parse(&RawActivity {
        kind: &body.kind,
        title: &body.title,
        description: &body.description,
        year: &year,
        period: &period,
        phase: body.phase.as_deref().unwrap_or(""),
        study_hours: &hours,
        goals: &body.goals,
        partners: body.partners.iter().map(String::as_str).collect(),
    })
    .map_err(WebError::Invalid)?;
    let mut links = Vec::new();
    for l in &body.competences {
        let depth = Depth::parse(&l.level)
            .ok_or_else(|| WebError::invalid("competences", "depth-invalid"))?;
        let f = frameworks::by_key(t, &l.framework, None)
            .await?
            .ok_or_else(|| WebError::invalid("competences", "competence-unknown"))?;
        let id = f
            .competence_id(&l.competence)
            .ok_or_else(|| WebError::invalid("competences", "competence-unknown"))?;
        links.push((id.to_owned(), depth));
    }
    let id =
        koers_store::curriculum::activities::create(t, &programme.id, &input, &links, &a.user.id)
            .await?;
    crate::commands::audit_change(
        &state,
        &a,
        "activity.create",
        &id,
        serde_json::json!({"title": input.title}),
    )
    .await?;
    let act = koers_store::curriculum::activities::get(t, &id)
        .await?
        .ok_or(WebError::NotFound)?;
    let ids: Vec<String> = act.competences.iter().map(|(c, _)| c.clone()).collect();
    let refs = frameworks::competences(t, &ids).await?;
    let dto = ActivityDto {
        id: act.id.clone(),
        programme: programme.code,
        kind: act.kind.key().into(),
        title: act.title.clone(),
        description: act.description.clone(),
        year: act.year,
        period: act.period,
        phase: act.phase.map(|p| p.key().to_owned()),
        study_hours: act.study_hours,
        goals: act.goals.clone(),
        partners: act.partners.clone(),
        competences: act
            .competences
            .iter()
            .filter_map(|(c, d)| {
                refs.iter().find(|r| r.id == *c).map(|r| CompetenceLinkDto {
                    competence_id: r.id.clone(),
                    framework: r.framework_key.clone(),
                    competence: r.key.clone(),
                    level: d.key().into(),
                })
            })
            .collect(),
    };
    Ok((StatusCode::CREATED, Json(dto)).into_response())
}

/// The learning line of a programme: competences × study years with the levels reached,
/// and the gaps.
#[utoipa::path(get, path = "/api/v1/programmes/{code}/learning-line", tag = "curriculum",
    params(("code" = String, Path, description = "Programme code")),
    responses((status = 200, body = LearningLineDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn learning_line(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(code): Path<String>,
) -> WebResult<Json<LearningLineDto>> {
    let line = access::learning_line(&state, &a, &code).await?;
    Ok(Json(LearningLineDto {
        competences: line
            .competences
            .iter()
            .map(|c| LineCompetenceDto {
                id: c.id.clone(),
                framework: c.framework_key.clone(),
                key: c.key.clone(),
                name: (&c.name).into(),
            })
            .collect(),
        years: koers_domain::curriculum::learning_line::YEARS.to_vec(),
        cells: line
            .cells
            .iter()
            .map(|c| LineCellDto {
                competence_id: c.competence_id.clone(),
                year: c.year,
                levels: c.depths.iter().map(|d| d.key().to_owned()).collect(),
                activities: c.activities,
            })
            .collect(),
        gaps: line
            .gaps
            .iter()
            .map(|g| serde_json::to_value(g).unwrap_or_default())
            .collect(),
    }))
}
