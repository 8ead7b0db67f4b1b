//! API of the platform context: sessions, the current user, users, programmes.

use super::dto::*;
use super::{Paging, parse_json};
use crate::auth::{ApiUser, ClientIp};
use crate::commands::audit_change;
use crate::commands::roles_json;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use koers_app::platform::login::{self, LoginFailure};
use koers_domain::policy::Action;
use koers_domain::{
    DisplayName, Email, FieldError, NewPassword, ProgrammeCode, ProgrammeName, Role,
    RoleAssignment, normalise_roles,
};
use koers_store::platform::sessions::{self, Kind};
use koers_store::platform::users::{self, User, UserFilter};
use koers_store::platform::{institutions, passwords, programmes};
use koers_store::{StoreError, Tenant};

pub(crate) fn user_dto(u: &User) -> UserDto {
    UserDto {
        id: u.id.clone(),
        email: u.email.clone(),
        name: u.name.clone(),
        active: u.active,
        locale: u.locale.clone(),
        roles: u
            .roles
            .iter()
            .map(|r| RoleDto {
                role: r.role.key().to_owned(),
                programme: r.programme_code.clone(),
            })
            .collect(),
    }
}

async fn me_dto(t: Tenant<'_>, u: &User) -> WebResult<MeDto> {
    let i = institutions::get(t).await?;
    Ok(MeDto {
        user: user_dto(u),
        institution: InstitutionDto {
            id: i.id,
            name: i.name,
        },
        student_id: koers_store::guidance::students::id_of_user(t, &u.id).await?,
    })
}

/// Log in: start an API session.
#[utoipa::path(post, path = "/api/v1/sessions", tag = "platform", security(()),
    request_body = LoginBody,
    responses(
        (status = 201, description = "Logged in", body = SessionCreated),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Wrong email, password or second-factor code; `second-factor-required` when the account has a second factor and `second_factor` was not sent", body = ErrorBody),
        (status = 403, description = "Password login is off for this account (`forbidden`), or the role requires a second factor that is not set up yet (`second-factor-setup`: set it up by logging in on the web)", body = ErrorBody),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorBody),
    ))]
pub async fn create_session(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> WebResult<Response> {
    let body: LoginBody = parse_json(&body)?;
    match login::attempt(
        state.db(),
        &state.login_rules(),
        &body.email,
        &body.password,
        &ip,
        Kind::Api,
        body.second_factor.as_deref(),
    )
    .await?
    {
        Ok((token, user)) => {
            let me = me_dto(Tenant::new(state.db(), &user.institution_id), &user).await?;
            Ok((
                StatusCode::CREATED,
                Json(SessionCreated { token, user: me }),
            )
                .into_response())
        }
        Err(LoginFailure::Wrong) => Err(WebError::Unauthenticated),
        Err(LoginFailure::Throttled(retry_after)) => Err(WebError::TooManyRequests { retry_after }),
        Err(LoginFailure::SsoOnly) => Err(WebError::Forbidden),
        Err(LoginFailure::SecondFactor { enrolled: true, .. }) => {
            Err(WebError::SecondFactorRequired)
        }
        Err(LoginFailure::SecondFactor {
            enrolled: false, ..
        }) => Err(WebError::SecondFactorSetup),
    }
}

/// Log out: end the current API session.
#[utoipa::path(delete, path = "/api/v1/sessions/current", tag = "platform",
    responses((status = 204, description = "Logged out"), (status = 401, description = "Not logged in", body = ErrorBody)))]
pub async fn delete_session(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<StatusCode> {
    sessions::delete(state.db(), &a.session.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The current user, with roles and institution.
#[utoipa::path(get, path = "/api/v1/me", tag = "platform",
    responses((status = 200, body = MeDto), (status = 401, description = "Not logged in", body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, ApiUser(a): ApiUser) -> WebResult<Json<MeDto>> {
    Ok(Json(me_dto(a.tenant(&state), &a.user).await?))
}

/// Users of the institution, by name.
#[utoipa::path(get, path = "/api/v1/users", tag = "platform",
    params(
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size (default 50)"),
        ("cursor" = Option<String>, Query, description = "The `next` of the previous page"),
        ("q" = Option<String>, Query, description = "Case-insensitive part of name or email"),
        ("role" = Option<String>, Query, description = "Only users holding this role"),
    ),
    responses((status = 200, body = UserList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    RawQuery(query): RawQuery,
) -> WebResult<Json<UserList>> {
    a.require(Action::ListUsers)?;
    let paging = Paging::parse(query.as_deref())?;
    let role_q: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let role = match role_q.iter().find(|(k, _)| k == "role") {
        Some((_, v)) => {
            Some(Role::parse(v).map_err(|_| WebError::invalid("role", "role-unknown"))?)
        }
        None => None,
    };
    if paging
        .cursor
        .as_deref()
        .is_some_and(|c| !koers_domain::is_id(c))
    {
        return Err(WebError::invalid("cursor", "cursor-invalid"));
    }
    let filter = UserFilter {
        q: paging.q.as_deref(),
        role,
    };
    let page = match users::list(
        a.tenant(&state),
        &filter,
        paging.limit,
        paging.cursor.as_deref(),
    )
    .await
    {
        Err(StoreError::NotFound) => return Err(WebError::invalid("cursor", "cursor-invalid")),
        other => other?,
    };
    Ok(Json(UserList {
        items: page.items.iter().map(user_dto).collect(),
        next: page.next,
    }))
}

/// Resolve role DTOs (programme by code) within the tenant.
async fn resolve_roles(t: Tenant<'_>, dtos: &[RoleDto]) -> Result<Vec<RoleAssignment>, WebError> {
    let mut out = Vec::new();
    for d in dtos {
        let role = Role::parse(&d.role).map_err(|_| WebError::invalid("roles", "role-unknown"))?;
        let programme_id = match d.programme.as_deref().filter(|p| !p.trim().is_empty()) {
            None => None,
            Some(code) => {
                if !role.programme_scopable() {
                    return Err(WebError::invalid("roles", "scope-invalid"));
                }
                let p = programmes::by_code(t, code)
                    .await?
                    .ok_or_else(|| WebError::invalid("roles", "programme-unknown"))?;
                Some(p.id)
            }
        };
        out.push(RoleAssignment { role, programme_id });
    }
    Ok(normalise_roles(out))
}

/// Create a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "platform", request_body = NewUserBody,
    responses((status = 201, body = UserDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, description = "Email in use", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let body: NewUserBody = parse_json(&body)?;
    let t = a.tenant(&state);
    let mut errors: Vec<FieldError> = Vec::new();
    let email = Email::parse(&body.email).map_err(|e| errors.push(e)).ok();
    let name = DisplayName::parse(&body.name)
        .map_err(|e| errors.push(e))
        .ok();
    let password = body
        .password
        .as_deref()
        .map(|p| NewPassword::parse(p, Some(&body.email)))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if body.roles.is_empty() {
        errors.push(FieldError::new("roles", "roles-required"));
    }
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
    let roles = resolve_roles(t, &body.roles).await?;
    let hash = match password {
        Some(p) => Some(
            tokio::task::spawn_blocking(move || passwords::hash(p.expose()))
                .await
                .map_err(|e| WebError::Internal(e.to_string()))?,
        ),
        None => None,
    };
    let (email, name) = (email.expect("checked"), name.expect("checked"));
    let u = match users::create(
        t,
        users::NewUser {
            email: email.as_str(),
            name: name.as_str(),
            password_hash: hash,
            locale: None,
            roles: &roles,
        },
    )
    .await
    {
        Err(koers_store::StoreError::Conflict(what)) => {
            crate::commands::audit_refused_address(&state, &a, email.as_str()).await?;
            return Err(WebError::Conflict(what));
        }
        other => other?,
    };
    audit_change(
        &state,
        &a,
        "user.create",
        &u.id,
        serde_json::json!({"email": u.email, "roles": roles_json(&roles), "via": "api"}),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user_dto(&u))).into_response())
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "platform", params(("id" = String, Path)),
    responses((status = 200, body = UserDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<UserDto>> {
    a.require(Action::ViewUser { user_id: &id })?;
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    let u = users::get(a.tenant(&state), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(Json(user_dto(&u)))
}

/// Change a user: name, email, roles (replaces all), active, password.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "platform", params(("id" = String, Path)), request_body = UserPatch,
    responses((status = 200, body = UserDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn patch_user(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    body: Bytes,
) -> WebResult<Json<UserDto>> {
    a.require(Action::ManageUsers)?;
    let t = a.tenant(&state);
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    let existing = users::get(t, &id).await?.ok_or(WebError::NotFound)?;
    let patch: UserPatch = parse_json(&body)?;
    let mut errors: Vec<FieldError> = Vec::new();
    let email = patch
        .email
        .as_deref()
        .map(Email::parse)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let name = patch
        .name
        .as_deref()
        .map(DisplayName::parse)
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    let password = patch
        .password
        .as_deref()
        .map(|p| NewPassword::parse(p, Some(&existing.email)))
        .transpose()
        .map_err(|e| errors.push(e))
        .ok()
        .flatten();
    if patch.roles.as_ref().is_some_and(Vec::is_empty) {
        errors.push(FieldError::new("roles", "roles-required"));
    }
    if id == a.user.id && patch.active == Some(false) {
        errors.push(FieldError::new("active", "cannot-deactivate-self"));
    }
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
    let roles = match &patch.roles {
        Some(r) => Some(resolve_roles(t, r).await?),
        None => None,
    };
    if id == a.user.id
        && roles
            .as_ref()
            .is_some_and(|r| !r.iter().any(|x| x.role == Role::Administrator))
    {
        return Err(WebError::invalid("roles", "cannot-remove-own-admin"));
    }
    if name.is_some() || email.is_some() {
        users::update_profile(
            t,
            &id,
            name.as_ref().map(DisplayName::as_str),
            email.as_ref().map(Email::as_str),
        )
        .await?;
    }
    if let Some(r) = &roles {
        users::set_roles(t, &id, r).await?;
    }
    if let Some(active) = patch.active {
        users::set_active(t, &id, active).await?;
    }
    if let Some(p) = password {
        let hash = tokio::task::spawn_blocking(move || passwords::hash(p.expose()))
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?;
        let keep = (id == a.user.id).then_some(a.session.token_hash.as_str());
        users::set_password(t, &id, &hash, keep).await?;
    }
    audit_change(
        &state,
        &a,
        "user.update",
        &id,
        serde_json::json!({"via": "api", "name": name.as_ref().map(DisplayName::as_str), "email": email.as_ref().map(Email::as_str),
            "roles": roles.as_deref().map(roles_json), "active": patch.active, "password_changed": patch.password.is_some()}),
    )
    .await?;
    let u = users::get(t, &id).await?.ok_or(WebError::NotFound)?;
    Ok(Json(user_dto(&u)))
}

/// Programmes of the institution, by code.
#[utoipa::path(get, path = "/api/v1/programmes", tag = "platform",
    params(
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 500, description = "Page size (default 50)"),
        ("cursor" = Option<String>, Query, description = "The `next` of the previous page"),
    ),
    responses((status = 200, body = ProgrammeList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_programmes(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    RawQuery(query): RawQuery,
) -> WebResult<Json<ProgrammeList>> {
    a.require(Action::ListProgrammes)?;
    let paging = Paging::parse(query.as_deref())?;
    let page = programmes::list(a.tenant(&state), paging.limit, paging.cursor.as_deref()).await?;
    Ok(Json(ProgrammeList {
        items: page
            .items
            .into_iter()
            .map(|p| ProgrammeDto {
                id: p.id,
                code: p.code,
                name: p.name,
            })
            .collect(),
        next: page.next,
    }))
}

/// Create a programme.
#[utoipa::path(post, path = "/api/v1/programmes", tag = "platform", request_body = NewProgrammeBody,
    responses((status = 201, body = ProgrammeDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_programme(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::ManageProgrammes)?;
    let body: NewProgrammeBody = parse_json(&body)?;
    let mut errors = Vec::new();
    let code = ProgrammeCode::parse(&body.code)
        .map_err(|e| errors.push(e))
        .ok();
    let name = ProgrammeName::parse(&body.name)
        .map_err(|e| errors.push(e))
        .ok();
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
    let (code, name) = (code.expect("checked"), name.expect("checked"));
    let p = programmes::create(a.tenant(&state), code.as_str(), name.as_str()).await?;
    audit_change(
        &state,
        &a,
        "programme.create",
        &p.id,
        serde_json::json!({"code": p.code, "name": p.name, "via": "api"}),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ProgrammeDto {
            id: p.id,
            code: p.code,
            name: p.name,
        }),
    )
        .into_response())
}
