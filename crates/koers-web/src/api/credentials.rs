//! Open Badges credentials in the API: the caller's own, and any one by its id (public, so
//! whoever receives a credential can fetch and verify it).

use crate::auth::ApiUser;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use koers_store::credentials;
use serde_json::Value;

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CredentialList {
    /// Each item is a full signed credential: a W3C Verifiable Credential of type
    /// `OpenBadgeCredential` with an `eddsa-rdfc-2022` Data Integrity proof.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<Value>,
}

fn parse(document: &str) -> WebResult<Value> {
    serde_json::from_str(document).map_err(|e| WebError::Internal(e.to_string()))
}

/// The caller's Open Badges credentials, newest first.
#[utoipa::path(get, path = "/api/v1/me/credentials", tag = "curriculum",
    responses((status = 200, body = CredentialList), (status = 401, body = crate::api::ErrorBody)))]
pub async fn my_credentials(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<Json<CredentialList>> {
    let items = credentials::for_person(a.tenant(&state), &a.user.id)
        .await?
        .iter()
        .map(|c| parse(&c.document))
        .collect::<WebResult<_>>()?;
    Ok(Json(CredentialList { items }))
}

/// One credential by its id, as signed (public: for verification).
#[utoipa::path(get, path = "/api/v1/credentials/{id}", tag = "curriculum", security(()),
    params(("id" = String, Path, description = "The credential's id (the UUID in its `urn:uuid:` id)")),
    responses((status = 200, description = "The signed credential", body = Object),
        (status = 404, body = crate::api::ErrorBody)))]
pub async fn get_credential(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    let stored = credentials::by_id(state.db(), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Json(parse(&stored.document)?))
}
