//! The LOB vision API: read the adopted vision, add a version, propose and adopt it.

use super::dto::*;
use super::guidance::query_pairs;
use super::parse_json;
use crate::auth::{ApiUser, Authenticated};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use koers_domain::policy::Action;
use koers_domain::vision::{self, Document, Status};
use koers_store::vision::{self as store, Version};

/// The programme of a `programme` code (none: the institution).
pub(crate) async fn scope_of(
    state: &AppState,
    a: &Authenticated,
    code: Option<&str>,
) -> WebResult<Option<koers_store::platform::programmes::Programme>> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(None),
        Some(c) => Ok(Some(
            koers_store::platform::programmes::by_code(a.tenant(state), &c.to_uppercase())
                .await?
                .ok_or_else(|| WebError::invalid("programme", "programme-unknown"))?,
        )),
    }
}

fn version_dto(v: &Version) -> VisionVersionDto {
    VisionVersionDto {
        version: v.version,
        status: v.status.key().into(),
        note: v.note.clone(),
        created_at: koers_domain::time::rfc3339(v.created_at),
        adopted_at: v.adopted_at.map(koers_domain::time::rfc3339),
    }
}

/// Check and keep a new draft version.
pub(crate) async fn add_version(
    state: &AppState,
    a: &Authenticated,
    programme_id: Option<&str>,
    doc: &Document,
    note: &str,
) -> WebResult<i64> {
    a.require(Action::ManageVision { programme_id })?;
    let problems = vision::check(doc);
    if let Some((_, code)) = problems.first() {
        let field = if problems[0].0.starts_with("ambitions") {
            "ambitions"
        } else if problems[0].0 == "principles" {
            "principles"
        } else {
            "mission"
        };
        return Err(WebError::invalid(field, code));
    }
    if note.chars().count() > 1000 {
        return Err(WebError::invalid("note", "too-long"));
    }
    let n = store::create(a.tenant(state), programme_id, doc, note.trim(), &a.user.id).await?;
    crate::commands::audit_change(
        state,
        a,
        "vision.create",
        &n.to_string(),
        serde_json::json!({"programme_id": programme_id}),
    )
    .await?;
    Ok(n)
}

/// Move a version along the workflow (409 when the step is not allowed).
pub(crate) async fn move_version(
    state: &AppState,
    a: &Authenticated,
    programme_id: Option<&str>,
    version: i64,
    to: Status,
) -> WebResult<()> {
    a.require(Action::ManageVision { programme_id })?;
    match store::set_status(a.tenant(state), programme_id, version, to, &a.user.id).await {
        Err(koers_store::StoreError::Conflict(_)) => Err(WebError::Conflict("vision status")),
        Err(e) => Err(e.into()),
        Ok(()) => {
            crate::commands::audit_change(
                state,
                a,
                &format!("vision.{}", to.key()),
                &version.to_string(),
                serde_json::json!({"programme_id": programme_id}),
            )
            .await
        }
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
    let p = scope_of(&state, &a, code.as_deref()).await?;
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
    body: Bytes,
) -> WebResult<Response> {
    if !a.actor.has_role(koers_domain::Role::Administrator)
        && !a.actor.has_role(koers_domain::Role::ProgrammeManager)
    {
        return Err(WebError::Forbidden);
    }
    let b: VisionBody = parse_json(&body)?;
    let p = scope_of(&state, &a, b.programme.as_deref()).await?;
    let pid = p.as_ref().map(|p| p.id.as_str());
    let doc = Document {
        mission: b.mission,
        principles: b.principles,
        ambitions: b.ambitions,
    };
    let n = add_version(&state, &a, pid, &doc, &b.note).await?;
    let v = store::get(a.tenant(&state), pid, n)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(version_dto(&v))).into_response())
}

async fn step(
    state: AppState,
    a: Authenticated,
    version: i64,
    query: Option<String>,
    to: Status,
) -> WebResult<Json<VisionVersionDto>> {
    let code = programme_param(query.as_deref())?;
    let p = scope_of(&state, &a, code.as_deref()).await?;
    let pid = p.as_ref().map(|p| p.id.as_str());
    a.require(Action::ManageVision { programme_id: pid })?;
    if store::get(a.tenant(&state), pid, version).await?.is_none() {
        return Err(WebError::NotFound);
    }
    move_version(&state, &a, pid, version, to).await?;
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
    Path(version): Path<i64>,
    RawQuery(query): RawQuery,
) -> WebResult<Json<VisionVersionDto>> {
    step(state, a, version, query, Status::Proposed).await
}

/// Adopt a proposed version; the version adopted before is archived.
#[utoipa::path(post, path = "/api/v1/vision/{version}/adopt", tag = "vision",
    params(("version" = i64, Path), ("programme" = Option<String>, Query)),
    responses((status = 200, body = VisionVersionDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn adopt_vision(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(version): Path<i64>,
    RawQuery(query): RawQuery,
) -> WebResult<Json<VisionVersionDto>> {
    step(state, a, version, query, Status::Adopted).await
}
