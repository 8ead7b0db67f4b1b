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
use koers_domain::staff::scan::{self, Group, Stage};
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
    crate::guidance::audit_change(
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
    crate::guidance::audit_change(
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
    body: Bytes,
) -> WebResult<Response> {
    let r = load(&state, &a, &id).await?;
    let t = a.tenant(&state);
    let (group, answered) = scans::invitation(t, &r.id, &a.user.id)
        .await?
        .ok_or(WebError::Forbidden)?;
    if r.status != "open" {
        return Err(WebError::Conflict("round not open"));
    }
    if answered {
        return Err(WebError::Conflict("response"));
    }
    let body: ScanResponseBody = parse_json(&body)?;
    let i = scans::instrument(t, &r.instrument_id).await?;
    let mut answers = serde_json::Map::new();
    for (k, v) in &body.answers {
        if !i.items.iter().any(|it| it.key == *k) {
            return Err(WebError::invalid("answers", "item-unknown"));
        }
        match v {
            None => {
                answers.insert(k.clone(), serde_json::Value::Null);
            }
            Some(n) if (1..=5).contains(n) => {
                answers.insert(k.clone(), (*n).into());
            }
            Some(_) => return Err(WebError::invalid("answers", "answer-out-of-range")),
        }
    }
    let mut comments = serde_json::Map::new();
    for (stage, text) in &body.comments {
        if Stage::parse(stage).is_none() {
            return Err(WebError::invalid("comments", "stage-invalid"));
        }
        if text.chars().count() > 4000 {
            return Err(WebError::invalid("comments", "text-too-long"));
        }
        comments.insert(stage.clone(), text.trim().into());
    }
    scans::submit(
        t,
        &r.id,
        &a.user.id,
        group,
        &answers.into(),
        &comments.into(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({"received": true})),
    )
        .into_response())
}

/// The results of a round: a score 0–100 per stage, aspect and group (null below five
/// respondents), the largest differences between groups, and the open comments.
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
    let i = scans::instrument(t, &r.instrument_id).await?;
    let (responses, comments) = scans::responses(t, &r.id).await?;
    let res = scan::results(&i, &responses);
    let differences = scan::largest_differences(&res, 5);
    let mut by_stage: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    if responses.len() >= scan::MIN_GROUP {
        for (stage, text) in comments {
            by_stage.entry(stage).or_default().push(text);
        }
    }
    Ok(Json(ScanResultsDto {
        stages: res
            .iter()
            .map(|s| ScanStageDto {
                stage: s.stage.key().into(),
                score: s.all.score,
                respondents: s.all.respondents,
                by_aspect: s
                    .by_aspect
                    .iter()
                    .map(|(asp, c)| ScanAspectDto {
                        aspect: asp.key().into(),
                        score: c.score,
                    })
                    .collect(),
                by_group: s
                    .by_group
                    .iter()
                    .map(|(g, c)| ScanGroupDto {
                        group: g.key().into(),
                        respondents: c.respondents,
                        score: c.score,
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
    }))
}
