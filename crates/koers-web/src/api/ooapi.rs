//! Importing programmes and the learning line from an OOAPI v5 endpoint through the API:
//! a dry run (the default) says what would change; `dry_run: false` applies it.

use super::dto::ErrorBody;
use super::parse_json;
use crate::auth::ApiUser;
use crate::error::{WebError, WebResult};
use crate::ooapi::{Counts, counts, dry_run};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use koers_domain::FieldError;
use koers_domain::policy::Action;
use koers_store::curriculum::ooapi as store;

fn yes() -> bool {
    true
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct OoapiImportBody {
    /// The API's base address, e.g. `https://api.hogeschool.nl/ooapi/v5`.
    pub url: String,
    /// The bearer token (not stored).
    #[serde(default)]
    pub token: String,
    /// Only say what would change (default).
    #[serde(default = "yes")]
    pub dry_run: bool,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SkippedDto {
    pub id: String,
    /// Why: `ooapi-no-id`, `ooapi-bad-code` or `ooapi-bad-name`.
    pub reason: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct OoapiImportResult {
    pub dry_run: bool,
    pub programmes: Counts,
    pub activities: Counts,
    pub skipped: Vec<SkippedDto>,
    /// Records made and changed (0 in a dry run).
    pub created: i64,
    pub updated: i64,
}

/// Import programmes (programs) and learning-line activities (courses, with the period of
/// their first offering) from an Open Education API v5 endpoint (administrators).
#[utoipa::path(post, path = "/api/v1/ooapi-imports", tag = "curriculum",
    request_body = OoapiImportBody,
    responses((status = 200, body = OoapiImportResult), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Json<OoapiImportResult>> {
    a.require(Action::ManageProgrammes)?;
    let body: OoapiImportBody = parse_json(&body)?;
    let t = a.tenant(&state);
    let (fetched, plans) = match dry_run(
        t,
        &body.url,
        &body.token,
        state.config().ooapi_allow_internal,
    )
    .await
    {
        Ok(result) => result?,
        Err(e) => return Err(WebError::Invalid(vec![FieldError::new("url", e.key())])),
    };
    let (programmes, activities) = counts(&plans);
    let (mut created, mut updated) = (0, 0);
    if !body.dry_run {
        let done = store::apply(t, &plans, &a.user.id, body.url.trim(), None).await?;
        (created, updated) = (done.created, done.updated);
        crate::commands::audit_change(
            &state,
            &a,
            "ooapi.import",
            &a.user.institution_id,
            serde_json::json!({"source": body.url.trim(), "created": created, "updated": updated}),
        )
        .await?;
    }
    Ok(Json(OoapiImportResult {
        dry_run: body.dry_run,
        programmes,
        activities,
        skipped: fetched
            .skipped
            .into_iter()
            .map(|s| SkippedDto {
                id: s.id,
                reason: s.reason.to_owned(),
            })
            .collect(),
        created,
        updated,
    }))
}
