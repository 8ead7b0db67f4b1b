//! The improvement plan: actions with a source (an HRM-scan stage; later an indicator or a
//! self-scan aspect), an owner, a deadline, a status and notes.

use super::dto::*;
use super::guidance::query_pairs;
use super::parse_json;
use crate::auth::ApiUser;
use crate::commands::finish;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use koers_app::vision::improvement;
use koers_domain::improvement::{ActionDraft, Source, SourceDraft, SourceKind};
use koers_domain::policy::Action as Do;
use koers_store::improvement::{self as actions, Action, Filter};

fn source_body(s: &Source) -> ActionSourceBody {
    match s {
        Source::ScanStage { round_id, stage } => ActionSourceBody {
            kind: s.kind().key().into(),
            round_id: Some(round_id.clone()),
            stage: Some(stage.key().into()),
            key: None,
        },
        Source::Indicator { key } | Source::SelfScanAspect { key } => ActionSourceBody {
            kind: s.kind().key().into(),
            round_id: None,
            stage: None,
            key: Some(key.clone()),
        },
    }
}

pub(crate) fn action_dto(x: &Action) -> ActionDto {
    let due = x.due_on.as_deref().and_then(koers_domain::time::parse_date);
    ActionDto {
        id: x.id.clone(),
        source: source_body(&x.source),
        title: x.title.clone(),
        items: x.item_keys.clone(),
        owner_id: x.owner_id.clone(),
        owner_name: x.owner_name.clone(),
        due_on: x.due_on.clone(),
        status: x.status.key().into(),
        overdue: koers_domain::improvement::is_overdue(x.status, due, koers_domain::time::today()),
        notes: x.notes.clone(),
    }
}

/// The improvement plan: every action (or, for an owner without access to the plan, their own).
#[utoipa::path(get, path = "/api/v1/improvement-actions", tag = "staff",
    params(("kind" = Option<String>, Query, description = "Source kind"),
        ("round" = Option<String>, Query, description = "Only actions of this HRM-scan round"),
        ("open" = Option<bool>, Query, description = "Only planned or under way")),
    responses((status = 200, body = Vec<ActionDto>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_actions(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    RawQuery(query): RawQuery,
) -> WebResult<Json<Vec<ActionDto>>> {
    if !a.actor.is_staff() {
        return Err(WebError::Forbidden);
    }
    let pairs = query_pairs(query.as_deref())?;
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let kind = match get("kind") {
        None => None,
        Some(k) => Some(SourceKind::parse(k).ok_or(WebError::invalid("kind", "source-invalid"))?),
    };
    let prefix = match get("round") {
        None => None,
        Some(r) if koers_domain::is_id(r) => Some(format!("{r}:")),
        Some(_) => return Err(WebError::invalid("round", "round-unknown")),
    };
    // An empty `open=` is not a boolean (unlike the text filters, where empty means "any").
    let open = pairs
        .iter()
        .find(|(n, _)| n == "open")
        .map(|(_, v)| v.as_str());
    let open_only = match open {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(WebError::invalid("open", "boolean-invalid")),
    };
    let f = Filter {
        kind: prefix.as_ref().map(|_| SourceKind::ScanStage).or(kind),
        reference_prefix: prefix.as_deref(),
        open_only,
        ..Default::default()
    };
    let list = improvement::visible(&a.cx(&state), f).await?;
    Ok(Json(list.iter().map(action_dto).collect()))
}

/// Add an action to the improvement plan (HR advisers for scan stages; programme managers
/// and administrators for indicators and self-scan aspects).
#[utoipa::path(post, path = "/api/v1/improvement-actions", tag = "staff",
    request_body = NewActionBody,
    responses((status = 201, body = ActionDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_action(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let cx = a.cx(&state);
    improvement::require_some_kind(&cx)?;
    let body: NewActionBody = parse_json(&body)?;
    // Who may not manage this kind of source is told so before anything about the input.
    let kind = SourceKind::parse(&body.source.kind)
        .ok_or(WebError::invalid("source", "source-invalid"))?;
    a.require(Do::ManageImprovementActions(kind))?;
    let source = improvement::check_source(&cx, &body.source.into()).await?;
    let draft = ActionDraft {
        title: body.title,
        items: body.items,
        owner_email: body.owner_email.unwrap_or_default(),
        due_on: body.due_on.unwrap_or_default(),
        status: body.status.unwrap_or_default(),
        notes: body.notes.unwrap_or_default(),
    };
    let done = improvement::create(&cx, &source, &draft).await?;
    let id = finish(&state, &a, &headers, done).await?;
    let x = actions::get(a.tenant(&state), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(action_dto(&x))).into_response())
}

/// Change an action (the whole action; an owner changes status and notes only).
#[utoipa::path(put, path = "/api/v1/improvement-actions/{id}", tag = "staff",
    params(("id" = String, Path)), request_body = ActionUpdateBody,
    responses((status = 200, body = ActionDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_action(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Json<ActionDto>> {
    let cx = a.cx(&state);
    let (x, manager) = improvement::load_for_change(&cx, &id).await?;
    let body: ActionUpdateBody = parse_json(&body)?;
    let draft = ActionDraft {
        title: body.title,
        items: body.items,
        owner_email: body.owner_email.unwrap_or_default(),
        due_on: body.due_on.unwrap_or_default(),
        status: body.status,
        notes: body.notes.unwrap_or_default(),
    };
    let done = improvement::update(&cx, &x, manager, &draft).await?;
    finish(&state, &a, &headers, done).await?;
    let x = actions::get(a.tenant(&state), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Json(action_dto(&x)))
}

impl From<ActionSourceBody> for SourceDraft {
    fn from(b: ActionSourceBody) -> Self {
        SourceDraft {
            kind: b.kind,
            round_id: b.round_id.unwrap_or_default(),
            stage: b.stage.unwrap_or_default(),
            key: b.key.unwrap_or_default(),
        }
    }
}
