//! The staff API: HRM-scan rounds (create, open, close), the questionnaire, anonymous
//! responses, and results.

use super::dto::*;
use super::parse_json;
use crate::auth::{ApiUser, Authenticated};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use koers_domain::policy::Action;
use koers_domain::staff::scan::{self, Group, ResponseDraft, Stage};
use koers_store::staff::scans::{self, Round};

fn round_dto(r: &Round) -> ScanRoundDto {
    ScanRoundDto {
        id: r.id.clone(),
        name: r.name.clone(),
        status: r.status.clone(),
        invited: r.invited,
        responded: r.responded,
    }
}

async fn load(state: &AppState, a: &Authenticated, id: &str) -> WebResult<Round> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    scans::round(a.tenant(state), id)
        .await?
        .ok_or(WebError::NotFound)
}

/// Start a scan round (a draft) with its respondents in groups (as HR adviser).
#[utoipa::path(post, path = "/api/v1/hrm-scans", tag = "staff",
    request_body = NewScanBody,
    responses((status = 201, body = ScanRoundDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_scan(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::RunHrmScan)?;
    let body: NewScanBody = parse_json(&body)?;
    let name = body.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > 200 {
        return Err(WebError::invalid("name", "required"));
    }
    if body.respondents.is_empty() {
        return Err(WebError::invalid("respondents", "required"));
    }
    let t = a.tenant(&state);
    let mut respondents: Vec<(String, Group)> = Vec::new();
    for r in &body.respondents {
        let group = Group::parse(&r.group)
            .ok_or_else(|| WebError::invalid("respondents", "group-invalid"))?;
        let (id, _) = koers_store::platform::users::active_by_email(t, &r.email)
            .await?
            .ok_or_else(|| WebError::invalid("respondents", "respondent-unknown"))?;
        if respondents.iter().any(|(x, _)| *x == id) {
            return Err(WebError::invalid("respondents", "respondent-twice"));
        }
        respondents.push((id, group));
    }
    let id = scans::create_round(t, &name, &a.user.id, &respondents).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "hrm_scan.create",
        &id,
        serde_json::json!({"respondents": respondents.len()}),
    )
    .await?;
    let r = load(&state, &a, &id).await?;
    Ok((StatusCode::CREATED, Json(round_dto(&r))).into_response())
}

async fn move_to(
    state: AppState,
    a: Authenticated,
    id: String,
    to: &str,
) -> WebResult<Json<ScanRoundDto>> {
    a.require(Action::RunHrmScan)?;
    let r = load(&state, &a, &id).await?;
    scans::set_status(a.tenant(&state), &r.id, to).await?;
    crate::commands::audit_change(
        &state,
        &a,
        &format!("hrm_scan.{to}"),
        &r.id,
        serde_json::json!({}),
    )
    .await?;
    Ok(Json(round_dto(&load(&state, &a, &id).await?)))
}

/// Open a draft round for responses.
#[utoipa::path(post, path = "/api/v1/hrm-scans/{id}/open", tag = "staff", params(("id" = String, Path)),
    responses((status = 200, body = ScanRoundDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn open_scan(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<ScanRoundDto>> {
    move_to(state, a, id, "open").await
}

/// Close an open round.
#[utoipa::path(post, path = "/api/v1/hrm-scans/{id}/close", tag = "staff", params(("id" = String, Path)),
    responses((status = 200, body = ScanRoundDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn close_scan(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<ScanRoundDto>> {
    move_to(state, a, id, "closed").await
}

/// The statements of a round, in the caller's language (for invited respondents and HR).
#[utoipa::path(get, path = "/api/v1/hrm-scans/{id}/questionnaire", tag = "staff", params(("id" = String, Path)),
    responses((status = 200, body = QuestionnaireDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn questionnaire(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<QuestionnaireDto>> {
    let r = load(&state, &a, &id).await?;
    let t = a.tenant(&state);
    let invited = scans::invitation(t, &r.id, &a.user.id).await?.is_some();
    if !invited && !a.actor.may(Action::RunHrmScan) {
        return Err(WebError::Forbidden);
    }
    let i = scans::instrument(t, &r.instrument_id).await?;
    let lang = a.tr.lang();
    Ok(Json(QuestionnaireDto {
        id: r.id,
        name: r.name,
        stages: Stage::ALL.iter().map(|s| s.key().to_owned()).collect(),
        items: i
            .items
            .iter()
            .map(|it| ScanItemDto {
                id: it.key.clone(),
                stage: it.stage.key().into(),
                aspect: it.aspect.key().into(),
                text: it.text.get(lang).to_owned(),
            })
            .collect(),
    }))
}

/// Answer a round, once, anonymously (as an invited respondent; a second response is 409).
#[utoipa::path(post, path = "/api/v1/hrm-scans/{id}/responses", tag = "staff", params(("id" = String, Path)),
    request_body = ScanResponseBody,
    responses((status = 201, description = "Received; stored without the respondent's identity"),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn respond(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    // Who may not answer hears so before anything about the body.
    koers_app::staff::scan::invitation(&a.cx(&state), &id).await?;
    let body: ScanResponseBody = parse_json(&body)?;
    let draft = ResponseDraft {
        answers: body
            .answers
            .into_iter()
            .map(|(k, v)| (k, v.map_or_else(|| "dk".to_owned(), |n| n.to_string())))
            .collect(),
        comments: body.comments,
    };
    let done = koers_app::staff::scan::respond(&a.cx(&state), &id, &draft).await?;
    crate::commands::finish(&state, &a, &headers, done).await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({"received": true})),
    )
        .into_response())
}

/// The results of a round once it has closed: a score 0–100 per stage, aspect and group (null
/// where it could show someone's answers, with the reason), the largest differences between
/// groups, and the open comments of groups with at least five responses. While the round is
/// open, only the number of responses.
#[utoipa::path(get, path = "/api/v1/hrm-scans/{id}/results", tag = "staff", params(("id" = String, Path)),
    responses((status = 200, body = ScanResultsDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn results(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<ScanResultsDto>> {
    let r = load(&state, &a, &id).await?;
    a.require(Action::ViewScanResults {
        published: r.published_at.is_some(),
    })?;
    let t = a.tenant(&state);
    let computed = crate::scan_results::of_round(&state, t, &r).await?;
    let open = scan::RoundResults::default();
    let computed = computed.as_deref().unwrap_or(&open);
    let res = &computed.stages;
    let differences = scan::largest_differences(res, 5);
    let mut by_stage: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (stage, text) in &computed.comments {
        by_stage
            .entry(stage.clone())
            .or_default()
            .push(text.clone());
    }
    let hidden = |c: &scan::Cell| c.hidden.map(|h| h.key().to_owned());
    Ok(Json(ScanResultsDto {
        status: r.status.clone(),
        invited: r.invited,
        responded: r.responded,
        stages: res
            .iter()
            .map(|s| ScanStageDto {
                stage: s.stage.key().into(),
                score: s.all.score,
                respondents: s.all.respondents,
                hidden: hidden(&s.all),
                by_aspect: s
                    .by_aspect
                    .iter()
                    .map(|(asp, c)| ScanAspectDto {
                        aspect: asp.key().into(),
                        score: c.score,
                        hidden: hidden(c),
                    })
                    .collect(),
                by_group: s
                    .by_group
                    .iter()
                    .map(|(g, c)| ScanGroupDto {
                        group: g.key().into(),
                        respondents: c.respondents,
                        score: c.score,
                        hidden: hidden(c),
                    })
                    .collect(),
            })
            .collect(),
        differences: differences
            .iter()
            .map(|d| ScanDifferenceDto {
                stage: d.stage.key().into(),
                higher: d.higher.key().into(),
                lower: d.lower.key().into(),
                points: d.points,
            })
            .collect(),
        comments: by_stage,
        comments_withheld: computed.comments_withheld,
    }))
}

/// The plan as the API shows it.
pub(crate) fn plan_dto(
    p: &koers_store::staff::development::Plan,
    up_to_date: bool,
) -> DevelopmentPlanDto {
    let goal_index = |id: &Option<String>| {
        id.as_ref()
            .and_then(|g| p.goals.iter().position(|x| &x.id == g))
    };
    DevelopmentPlanDto {
        employee_id: p.user_id.clone(),
        ambition: p.ambition.clone(),
        status: p.status.key().into(),
        agreed_by: p.agreed_by_name.clone(),
        agreed_at: p.agreed_at.map(koers_domain::time::rfc3339),
        up_to_date,
        changed_since_agreed: p.agreed_at.zip(p.updated_at).is_some_and(|(a, u)| u > a),
        goals: p
            .goals
            .iter()
            .map(|g| GoalBody {
                id: Some(g.id.clone()),
                title: g.title.clone(),
                competences: g.competences.clone(),
                due_on: g.due_on.clone(),
                status: Some(g.status.key().into()),
            })
            .collect(),
        activities: p
            .activities
            .iter()
            .map(|x| DevelopmentActivityBody {
                id: Some(x.id.clone()),
                title: x.title.clone(),
                goal_index: goal_index(&x.goal_id),
                due_on: x.due_on.clone(),
                hours: x.hours,
                status: Some(x.status.key().into()),
            })
            .collect(),
        progress: p
            .progress
            .iter()
            .map(|x| ProgressDto {
                goal_id: x.goal_id.clone(),
                note: x.note.clone(),
                link: x.link.clone(),
                author: x.author_name.clone(),
                created_at: koers_domain::time::rfc3339(x.created_at),
            })
            .collect(),
    }
}

fn title_of(s: &str, field: &'static str) -> WebResult<String> {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() || t.chars().count() > 200 {
        return Err(WebError::invalid(field, "required"));
    }
    Ok(t)
}

fn date_of(s: &Option<String>, field: &'static str) -> WebResult<Option<String>> {
    match s.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        None => Ok(None),
        Some(d) => koers_domain::time::parse_date(d)
            .map(|d| Some(d.to_string()))
            .ok_or(WebError::invalid(field, "date-invalid")),
    }
}

async fn read_plan(
    state: &AppState,
    a: &Authenticated,
    e: &crate::staff::EmployeeAccess,
) -> WebResult<DevelopmentPlanDto> {
    let t = a.tenant(state);
    let p = koers_store::staff::development::plan(t, &e.user.id).await?;
    let convs = koers_store::guidance::conversations::for_person(t, &e.user.id).await?;
    Ok(plan_dto(
        &p,
        crate::staff::up_to_date(&p, crate::staff::last_held(&convs)),
    ))
}

/// An employee's development plan (the employee, their line manager, HR advisers).
#[utoipa::path(get, path = "/api/v1/employees/{id}/development-plan", tag = "staff",
    params(("id" = String, Path, description = "The employee's user id")),
    responses((status = 200, body = DevelopmentPlanDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_plan(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<DevelopmentPlanDto>> {
    let e = crate::staff::load(&state, &a, &id).await?;
    crate::staff::audit_read(&state, &a, &e, "development_plan.read").await?;
    Ok(Json(read_plan(&state, &a, &e).await?))
}

/// Replace an employee's development plan (the employee or their line manager). Goals and
/// activities with an `id` are kept and updated; those left out are removed.
#[utoipa::path(put, path = "/api/v1/employees/{id}/development-plan", tag = "staff",
    params(("id" = String, Path, description = "The employee's user id")), request_body = DevelopmentPlanBody,
    responses((status = 200, body = DevelopmentPlanDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_plan(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    body: Bytes,
) -> WebResult<Json<DevelopmentPlanDto>> {
    use koers_domain::staff::development::{ActivityStatus, GoalStatus};
    use koers_store::staff::development::{ActivityInput, GoalInput, PlanInput};
    let e = crate::staff::load(&state, &a, &id).await?;
    e.require(e.may_edit(&a))?;
    let body: DevelopmentPlanBody = parse_json(&body)?;
    if body.ambition.chars().count() > 4000 {
        return Err(WebError::invalid("ambition", "too-long"));
    }
    if body.goals.len() > 50 || body.activities.len() > 100 {
        return Err(WebError::invalid("goals", "too-many"));
    }
    let options = koers_app::competences::options(&a.cx(&state)).await?;
    let mut goals = Vec::new();
    for g in &body.goals {
        goals.push(GoalInput {
            id: g.id.clone(),
            title: title_of(&g.title, "goals")?,
            competences: crate::staff::check_competences(&options, &g.competences)?,
            due_on: date_of(&g.due_on, "goals")?,
            status: match g.status.as_deref() {
                None | Some("") => GoalStatus::Planned,
                Some(s) => {
                    GoalStatus::parse(s).ok_or(WebError::invalid("goals", "status-invalid"))?
                }
            },
        });
    }
    let mut activities = Vec::new();
    for x in &body.activities {
        if x.goal_index.is_some_and(|i| i >= goals.len()) {
            return Err(WebError::invalid("activities", "goal-unknown"));
        }
        if x.hours.is_some_and(|h| !(0..=2000).contains(&h)) {
            return Err(WebError::invalid("activities", "hours-invalid"));
        }
        activities.push(ActivityInput {
            id: x.id.clone(),
            goal: x.goal_index,
            title: title_of(&x.title, "activities")?,
            due_on: date_of(&x.due_on, "activities")?,
            hours: x.hours,
            status: match x.status.as_deref() {
                None | Some("") => ActivityStatus::Planned,
                Some(s) => ActivityStatus::parse(s)
                    .ok_or(WebError::invalid("activities", "status-invalid"))?,
            },
        });
    }
    let input = PlanInput {
        ambition: body.ambition.trim().to_owned(),
        goals,
        activities,
    };
    koers_store::staff::development::save(a.tenant(&state), &e.user.id, &input).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "development_plan.save",
        &e.user.id,
        serde_json::json!({"goals": input.goals.len(), "activities": input.activities.len()}),
    )
    .await?;
    Ok(Json(read_plan(&state, &a, &e).await?))
}

/// An employee fills in the career-competency self-assessment (the same instrument, body and
/// answer as for students; employees have no phase).
#[utoipa::path(post, path = "/api/v1/employees/{id}/self-assessments", tag = "staff",
    params(("id" = String, Path, description = "The employee's user id")), request_body = SelfAssessmentBody,
    responses((status = 201, body = SelfAssessmentDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_self_assessment(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let e = crate::staff::load(&state, &a, &id).await?;
    e.require(a.actor.may(Action::SelfAssessAsEmployee(e.eref())))?;
    let body: SelfAssessmentBody = parse_json(&body)?;
    if body.phase.as_deref().is_some_and(|p| !p.is_empty()) {
        return Err(WebError::invalid("phase", "phase-not-for-staff"));
    }
    use koers_app::guidance::self_assessments::{Answers, Whose, save};
    let answers = Answers {
        answers: body.answers,
        ..Default::default()
    };
    let done = save(&a.cx(&state), Whose::Employee, &answers).await?;
    let saved = crate::commands::finish(&state, &a, &headers, done).await?;
    let (sid, scores) = (saved.id, saved.scores);
    Ok((
        StatusCode::CREATED,
        Json(SelfAssessmentDto {
            id: sid,
            phase: None,
            scores,
        }),
    )
        .into_response())
}

/// The current HRM-scan instrument as a JSON document (export).
#[utoipa::path(get, path = "/api/v1/hrm-instrument", tag = "staff",
    responses((status = 200, description = "The instrument document", content_type = "application/json", body = Object),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export_instrument(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<Response> {
    a.require(Action::ViewScanResults { published: false })?;
    let i = scans::current_instrument(a.tenant(&state))
        .await?
        .instrument;
    Ok(crate::staff::instrument_download(&i))
}

/// Import an instrument document as a new current version (as HR adviser). Rounds already
/// made keep their version; a version that exists gives 409.
#[utoipa::path(post, path = "/api/v1/hrm-instruments", tag = "staff",
    request_body(content = Object, description = "The instrument document", content_type = "application/json"),
    responses((status = 201, body = ScanInstrumentDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import_instrument(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::RunHrmScan)?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| WebError::BadRequest("the body is not UTF-8".into()))?;
    let i = scan::parse(text).map_err(WebError::Framework)?;
    let done = koers_app::staff::instrument::keep(&a.cx(&state), &i, "imported").await?;
    crate::commands::finish(&state, &a, &headers, done).await?;
    Ok((
        StatusCode::CREATED,
        Json(ScanInstrumentDto {
            key: i.key,
            version: i.version,
            items: i.items.len(),
        }),
    )
        .into_response())
}
