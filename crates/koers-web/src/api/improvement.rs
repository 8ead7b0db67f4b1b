//! The improvement plan: actions with a source (an HRM-scan stage; later an indicator or a
//! self-scan aspect), an owner, a deadline, a status and notes.

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
use koers_domain::improvement::{self, ActionStatus, Source, SourceKind};
use koers_domain::policy::Action as Do;
use koers_domain::staff::scan::Stage;
use koers_store::improvement::{self as actions, Action, ActionInput, Filter};
use koers_store::staff::scans;

/// An action as typed (API body or form), before it is checked.
#[derive(Default, Clone)]
pub(crate) struct RawAction {
    pub title: String,
    pub items: Vec<String>,
    pub owner_email: String,
    pub due_on: String,
    pub status: String,
    pub notes: String,
}

/// A checked action.
pub(crate) struct CheckedAction {
    pub title: String,
    pub items: Vec<String>,
    pub owner_id: Option<String>,
    pub due_on: Option<String>,
    pub status: ActionStatus,
    pub notes: String,
}

impl CheckedAction {
    pub fn input(&self) -> ActionInput<'_> {
        ActionInput {
            title: &self.title,
            item_keys: &self.items,
            owner_id: self.owner_id.as_deref(),
            due_on: self.due_on.as_deref(),
            status: self.status,
            notes: &self.notes,
        }
    }
}

/// Check a source: the round must be one of the institution's.
pub(crate) async fn check_source(
    state: &AppState,
    a: &Authenticated,
    b: &ActionSourceBody,
) -> WebResult<Source> {
    let bad = || WebError::invalid("source", "source-invalid");
    let key = |k: &Option<String>| {
        k.as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.len() <= 100)
            .map(str::to_owned)
            .ok_or_else(bad)
    };
    match SourceKind::parse(&b.kind).ok_or_else(bad)? {
        SourceKind::ScanStage => {
            let round_id = b.round_id.as_deref().unwrap_or_default();
            let stage = b
                .stage
                .as_deref()
                .and_then(Stage::parse)
                .ok_or_else(|| WebError::invalid("source", "stage-invalid"))?;
            if !koers_domain::is_id(round_id)
                || scans::round(a.tenant(state), round_id).await?.is_none()
            {
                return Err(WebError::invalid("source", "round-unknown"));
            }
            Ok(Source::ScanStage {
                round_id: round_id.to_owned(),
                stage,
            })
        }
        // `YEAR:SCOPE:INDICATOR` (scope: a programme id or empty for the institution).
        SourceKind::Indicator => {
            let k = key(&b.key)?;
            let (_, scope, _) = koers_domain::vision::indicator::parse_action_reference(&k)
                .ok_or_else(|| WebError::invalid("source", "indicator-reference-invalid"))?;
            if !scope.is_empty()
                && koers_store::platform::programmes::get(a.tenant(state), scope)
                    .await?
                    .is_none()
            {
                return Err(WebError::invalid("source", "programme-unknown"));
            }
            Ok(Source::Indicator { key: k })
        }
        // `SCAN:ASPECT`.
        SourceKind::SelfScanAspect => {
            let k = key(&b.key)?;
            if koers_domain::vision::selfscan::parse_action_reference(&k).is_none() {
                return Err(WebError::invalid("source", "self-scan-reference-invalid"));
            }
            Ok(Source::SelfScanAspect { key: k })
        }
    }
}

/// Check what an action says; every problem is reported at once.
pub(crate) async fn check_action(
    state: &AppState,
    a: &Authenticated,
    source: &Source,
    raw: &RawAction,
) -> WebResult<CheckedAction> {
    let t = a.tenant(state);
    let mut errors = Vec::new();
    let title = raw.title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(koers_domain::FieldError::new("title", "required"));
    }
    let mut items: Vec<String> = raw
        .items
        .iter()
        .map(|i| i.trim().to_owned())
        .filter(|i| !i.is_empty())
        .collect();
    items.dedup();
    if !items.is_empty() {
        let known = match source {
            Source::ScanStage { round_id, stage } => {
                let round = scans::round(t, round_id).await?.ok_or(WebError::NotFound)?;
                let inst = scans::instrument(t, &round.instrument_id).await?;
                items.iter().all(|k| {
                    inst.items
                        .iter()
                        .any(|it| &it.key == k && it.stage == *stage)
                })
            }
            _ => items.iter().all(|k| k.len() <= 100),
        };
        if !known {
            errors.push(koers_domain::FieldError::new("items", "item-unknown"));
        }
    }
    let mut owner_id = None;
    if !raw.owner_email.trim().is_empty() {
        // Owners are staff members of the institution.
        let found = match koers_store::platform::users::active_by_email(t, &raw.owner_email).await?
        {
            Some((id, _)) => koers_store::platform::users::get(t, &id)
                .await?
                .filter(|u| u.roles.iter().any(|r| r.role.is_staff()))
                .map(|u| u.id),
            None => None,
        };
        match found {
            Some(id) => owner_id = Some(id),
            None => errors.push(koers_domain::FieldError::new("owner", "owner-unknown")),
        }
    }
    let due_on = match raw.due_on.trim() {
        "" => None,
        d => match koers_domain::time::parse_date(d) {
            Some(d) => Some(d.to_string()),
            None => {
                errors.push(koers_domain::FieldError::new("due_on", "date-invalid"));
                None
            }
        },
    };
    let status = match raw.status.trim() {
        "" => ActionStatus::Planned,
        s => ActionStatus::parse(s).unwrap_or_else(|| {
            errors.push(koers_domain::FieldError::new("status", "status-invalid"));
            ActionStatus::Planned
        }),
    };
    if raw.notes.chars().count() > 4000 {
        errors.push(koers_domain::FieldError::new("notes", "too-long"));
    }
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
    Ok(CheckedAction {
        title,
        items,
        owner_id,
        due_on,
        status,
        notes: raw.notes.trim().to_owned(),
    })
}

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
        overdue: improvement::is_overdue(x.status, due, koers_domain::time::today()),
        notes: x.notes.clone(),
    }
}

/// The actions the caller may read under a filter: all for those who read the plan, else only
/// the caller's own.
pub(crate) async fn visible(
    state: &AppState,
    a: &Authenticated,
    mut f: Filter<'_>,
) -> WebResult<Vec<Action>> {
    if !a.actor.may(Do::ViewImprovementActions) {
        f.owner_id = Some(&a.user.id);
        return Ok(actions::list(a.tenant(state), &f).await?);
    }
    Ok(actions::list(a.tenant(state), &f).await?)
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
    let list = visible(&state, &a, f).await?;
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
    body: Bytes,
) -> WebResult<Response> {
    if !SourceKind::ALL
        .iter()
        .any(|k| a.actor.may(Do::ManageImprovementActions(*k)))
    {
        return Err(WebError::Forbidden);
    }
    let body: NewActionBody = parse_json(&body)?;
    let kind = SourceKind::parse(&body.source.kind)
        .ok_or(WebError::invalid("source", "source-invalid"))?;
    a.require(Do::ManageImprovementActions(kind))?;
    let source = check_source(&state, &a, &body.source).await?;
    let raw = RawAction {
        title: body.title,
        items: body.items,
        owner_email: body.owner_email.unwrap_or_default(),
        due_on: body.due_on.unwrap_or_default(),
        status: body.status.unwrap_or_default(),
        notes: body.notes.unwrap_or_default(),
    };
    let checked = check_action(&state, &a, &source, &raw).await?;
    let id = actions::create(a.tenant(&state), &source, &checked.input(), &a.user.id).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "improvement_action.create",
        &id,
        serde_json::json!({"source": source.reference()}),
    )
    .await?;
    let x = actions::get(a.tenant(&state), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(action_dto(&x))).into_response())
}

/// Load an action the caller may change: who manages its source kind, or its owner (who may
/// change only its status and notes).
pub(crate) async fn load_for_change(
    state: &AppState,
    a: &Authenticated,
    id: &str,
) -> WebResult<(Action, bool)> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let x = actions::get(a.tenant(state), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let manager = a.actor.may(Do::ManageImprovementActions(x.source.kind()));
    let owner = x.owner_id.as_deref() == Some(a.user.id.as_str());
    if !manager && !owner {
        return Err(if a.actor.may(Do::ViewImprovementActions) {
            WebError::Forbidden
        } else {
            WebError::NotFound
        });
    }
    Ok((x, manager))
}

/// Apply a checked change; an owner who does not manage the plan changes status and notes only.
pub(crate) async fn apply_change(
    state: &AppState,
    a: &Authenticated,
    x: &Action,
    manager: bool,
    checked: &CheckedAction,
) -> WebResult<()> {
    if !manager
        && (checked.title != x.title
            || checked.items != x.item_keys
            || checked.owner_id != x.owner_id
            || checked.due_on != x.due_on)
    {
        return Err(WebError::Forbidden);
    }
    actions::update(a.tenant(state), &x.id, &checked.input()).await?;
    crate::commands::audit_change(
        state,
        a,
        "improvement_action.update",
        &x.id,
        serde_json::json!({"status": checked.status.key()}),
    )
    .await
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
    body: Bytes,
) -> WebResult<Json<ActionDto>> {
    let (x, manager) = load_for_change(&state, &a, &id).await?;
    let body: ActionUpdateBody = parse_json(&body)?;
    let raw = RawAction {
        title: body.title,
        items: body.items,
        owner_email: body.owner_email.unwrap_or_default(),
        due_on: body.due_on.unwrap_or_default(),
        status: body.status,
        notes: body.notes.unwrap_or_default(),
    };
    let checked = check_action(&state, &a, &x.source, &raw).await?;
    apply_change(&state, &a, &x, manager, &checked).await?;
    let x = actions::get(a.tenant(&state), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Json(action_dto(&x)))
}
