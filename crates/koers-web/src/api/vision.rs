//! The LOB vision API: read the adopted vision, add a version, propose and adopt it.

use super::dto::*;
use super::guidance::query_pairs;
use super::parse_json;
use crate::auth::{ApiUser, Authenticated};
use crate::commands::finish;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use koers_app::vision::versions;
use koers_domain::policy::Action;
use koers_domain::vision::{Document, Status};
use koers_store::vision::{self as store, Version};

fn version_dto(v: &Version) -> VisionVersionDto {
    VisionVersionDto {
        version: v.version,
        status: v.status.key().into(),
        note: v.note.clone(),
        created_at: koers_domain::time::rfc3339(v.created_at),
        adopted_at: v.adopted_at.map(koers_domain::time::rfc3339),
    }
}

fn programme_param(query: Option<&str>) -> WebResult<Option<String>> {
    Ok(query_pairs(query)?
        .into_iter()
        .find(|(k, _)| k == "programme")
        .map(|(_, v)| v))
}

/// The adopted vision (of the institution, or of a programme), and for managers every version.
#[utoipa::path(get, path = "/api/v1/vision", tag = "vision",
    params(("programme" = Option<String>, Query, description = "Programme code (default: the institution)")),
    responses((status = 200, body = VisionDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn get_vision(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    RawQuery(query): RawQuery,
) -> WebResult<Json<VisionDto>> {
    a.require(Action::ReadVision)?;
    let code = programme_param(query.as_deref())?;
    let p = versions::scope_of(&a.cx(&state), code.as_deref()).await?;
    let pid = p.as_ref().map(|p| p.id.as_str());
    let all = store::versions(a.tenant(&state), pid).await?;
    let adopted = all.iter().find(|v| v.status == Status::Adopted);
    let manages = a.actor.may(Action::ManageVision { programme_id: pid });
    Ok(Json(VisionDto {
        programme: p.as_ref().map(|p| p.code.clone()),
        adopted_version: adopted.map(|v| v.version),
        adopted: adopted.map(|v| VisionBody {
            programme: None,
            mission: v.document.mission.clone(),
            principles: v.document.principles.clone(),
            ambitions: v.document.ambitions.clone(),
            note: v.note.clone(),
        }),
        versions: if manages {
            all.iter().map(version_dto).collect()
        } else {
            Vec::new()
        },
    }))
}

/// Add a version (a draft) of the vision.
#[utoipa::path(post, path = "/api/v1/vision", tag = "vision", request_body = VisionBody,
    responses((status = 201, body = VisionVersionDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_vision(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    if !a.actor.has_role(koers_domain::Role::Administrator)
        && !a.actor.has_role(koers_domain::Role::ProgrammeManager)
    {
        return Err(WebError::Forbidden);
    }
    let b: VisionBody = parse_json(&body)?;
    let p = versions::scope_of(&a.cx(&state), b.programme.as_deref()).await?;
    let pid = p.as_ref().map(|p| p.id.as_str());
    let doc = Document {
        mission: b.mission,
        principles: b.principles,
        ambitions: b.ambitions,
    };
    let done = versions::add(&a.cx(&state), pid, &doc, &b.note).await?;
    let n = finish(&state, &a, &headers, done).await?;
    let v = store::get(a.tenant(&state), pid, n)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(version_dto(&v))).into_response())
}

async fn step(
    state: AppState,
    a: Authenticated,
    headers: HeaderMap,
    version: i64,
    query: Option<String>,
    to: Status,
) -> WebResult<Json<VisionVersionDto>> {
    let code = programme_param(query.as_deref())?;
    let p = versions::scope_of(&a.cx(&state), code.as_deref()).await?;
    let pid = p.as_ref().map(|p| p.id.as_str());
    let done = versions::step(&a.cx(&state), pid, version, to.key()).await?;
    finish(&state, &a, &headers, done).await?;
    let v = store::get(a.tenant(&state), pid, version)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Json(version_dto(&v)))
}

/// Propose a draft for adoption.
#[utoipa::path(post, path = "/api/v1/vision/{version}/propose", tag = "vision",
    params(("version" = i64, Path), ("programme" = Option<String>, Query)),
    responses((status = 200, body = VisionVersionDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn propose_vision(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: HeaderMap,
    Path(version): Path<i64>,
    RawQuery(query): RawQuery,
) -> WebResult<Json<VisionVersionDto>> {
    step(state, a, headers, version, query, Status::Proposed).await
}

/// Adopt a proposed version; the version adopted before is archived.
#[utoipa::path(post, path = "/api/v1/vision/{version}/adopt", tag = "vision",
    params(("version" = i64, Path), ("programme" = Option<String>, Query)),
    responses((status = 200, body = VisionVersionDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn adopt_vision(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: HeaderMap,
    Path(version): Path<i64>,
    RawQuery(query): RawQuery,
) -> WebResult<Json<VisionVersionDto>> {
    step(state, a, headers, version, query, Status::Adopted).await
}
