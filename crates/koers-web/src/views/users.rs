//! Administration of users: list and search, create, edit roles, deactivate, reset password.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, is_htmx, render, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::commands::audit_change;
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::policy::Action;
use koers_domain::{DisplayName, Email, FieldError, Role, RoleAssignment, normalise_roles};
use koers_store::Tenant;
use koers_store::platform::programmes::{self, Programme};
use koers_store::platform::users::{self, User, UserFilter};
use koers_store::platform::{passwords, sessions};

const PAGE: u32 = 50;

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    ctx: Ctx,
    users: Vec<User>,
    q: String,
    role: String,
    next: Option<String>,
    can_manage: bool,
}

#[derive(Template)]
#[template(path = "users_table_partial.html")]
struct UsersTable {
    ctx: Ctx,
    users: Vec<User>,
    q: String,
    role: String,
    next: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    role: String,
    cursor: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
    export: Option<axum::Extension<super::csv::Export>>,
) -> WebResult<Response> {
    a.require(Action::ListUsers)?;
    let limit = if export.is_some() {
        super::csv::MAX_EXPORT_ROWS
    } else {
        PAGE
    };
    let filter = UserFilter {
        q: Some(q.q.as_str()),
        role: Role::parse(&q.role).ok(),
    };
    let page = match users::list(a.tenant(&state), &filter, limit, q.cursor.as_deref()).await {
        Err(koers_store::StoreError::NotFound) => {
            return Err(WebError::BadRequest("unknown cursor".into()));
        }
        other => other?,
    };
    let ctx = Ctx::user(&a, "/admin/users", "users");
    if is_htmx(&headers) {
        return Ok(render(&UsersTable {
            ctx,
            users: page.items,
            q: q.q,
            role: q.role,
            next: page.next,
        }));
    }
    Ok(render(&UsersPage {
        ctx,
        users: page.items,
        q: q.q,
        role: q.role,
        next: page.next,
        can_manage: a.actor.may(Action::ManageUsers),
    }))
}

/// One role row in the form: checked and scope.
pub struct RoleRow {
    pub role: Role,
    pub label: String,
    pub checked: bool,
    pub scopable: bool,
    pub scope: String,
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct UserForm {
    ctx: Ctx,
    /// None when creating.
    id: Option<String>,
    name: String,
    email: String,
    active: bool,
    roles: Vec<RoleRow>,
    programmes: Vec<Programme>,
    errors: Vec<FieldMsg>,
    temp_password: Option<String>,
    is_self: bool,
    /// The person has a second factor set up (shown with a reset for a lost phone).
    second_factor: bool,
}

fn role_rows(a: &Authenticated, held: &[RoleAssignment]) -> Vec<RoleRow> {
    Role::ALL
        .iter()
        .map(|r| {
            let h = held.iter().find(|h| h.role == *r);
            RoleRow {
                role: *r,
                label: a.tr.role(r),
                checked: h.is_some(),
                scopable: r.programme_scopable(),
                scope: h.and_then(|h| h.programme_id.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The checked roles of the user form and their scopes, as typed (unknown role keys dropped).
fn typed_roles(form: &FormData) -> Vec<RoleAssignment> {
    form.0
        .iter()
        .filter(|(k, _)| k == "role")
        .filter_map(|(_, v)| Role::parse(v).ok())
        .map(|role| RoleAssignment {
            role,
            programme_id: Some(form.get(&format!("scope_{}", role.key())).to_owned())
                .filter(|s| !s.is_empty()),
        })
        .collect()
}

/// Validate the typed roles: known keys, at least one, scopes only on scopable roles and
/// only to the institution's own programmes.
fn valid_roles(
    form: &FormData,
    typed: &[RoleAssignment],
    programmes: &[Programme],
) -> Result<Vec<RoleAssignment>, FieldError> {
    if form.0.iter().filter(|(k, _)| k == "role").count() != typed.len() {
        return Err(FieldError::new("roles", "role-unknown"));
    }
    if typed.is_empty() {
        return Err(FieldError::new("roles", "roles-required"));
    }
    for r in typed {
        if let Some(p) = &r.programme_id
            && !(r.role.programme_scopable() && programmes.iter().any(|x| &x.id == p))
        {
            return Err(FieldError::new("roles", "scope-invalid"));
        }
    }
    Ok(normalise_roles(typed.to_vec()))
}

pub async fn new_form(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let programmes = programmes::all(a.tenant(&state)).await?;
    Ok(render(&UserForm {
        ctx: Ctx::user(&a, "/admin/users/new", "users"),
        id: None,
        name: String::new(),
        email: String::new(),
        active: true,
        roles: role_rows(&a, &[]),
        programmes,
        errors: Vec::new(),
        temp_password: None,
        is_self: false,
        second_factor: false,
    }))
}

pub async fn create(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let t = a.tenant(&state);
    let programmes = programmes::all(t).await?;
    let mut errors = Vec::new();
    let name = DisplayName::parse(form.get("name"))
        .map_err(|e| errors.push(e))
        .ok();
    let email = Email::parse(form.get("email"))
        .map_err(|e| errors.push(e))
        .ok();
    let typed = typed_roles(&form);
    let roles = valid_roles(&form, &typed, &programmes)
        .map_err(|e| errors.push(e))
        .ok();
    if let (Some(name), Some(email), Some(roles)) = (&name, &email, &roles) {
        let temp = generate_password();
        let t2 = temp.clone();
        let hash = tokio::task::spawn_blocking(move || passwords::hash(&t2))
            .await
            .unwrap_or_default();
        let new = users::NewUser {
            email: email.as_str(),
            name: name.as_str(),
            password_hash: Some(hash),
            locale: None,
            roles,
        };
        match users::create(t, new).await {
            Ok(u) => {
                audit_change(
                    &state,
                    &a,
                    "user.create",
                    &u.id,
                    serde_json::json!({"email": u.email, "roles": crate::commands::roles_json(roles)}),
                )
                .await?;
                return user_page(
                    &state,
                    &a,
                    &u.id,
                    Vec::new(),
                    Some(temp),
                    StatusCode::CREATED,
                    Some("created"),
                )
                .await;
            }
            Err(koers_store::StoreError::Conflict(_)) => {
                crate::commands::audit_refused_address(&state, &a, email.as_str()).await?;
                errors.push(FieldError::new("email", "email-taken"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let held = roles.unwrap_or(typed);
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &UserForm {
            ctx: Ctx::user(&a, "/admin/users/new", "users"),
            id: None,
            name: form.get("name").to_owned(),
            email: form.get("email").to_owned(),
            active: true,
            roles: role_rows(&a, &held),
            programmes,
            errors: field_msgs(&a.tr, &errors),
            temp_password: None,
            is_self: false,
            second_factor: false,
        },
    ))
}

/// A random temporary password that satisfies the policy (shown once to the administrator).
pub(crate) fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let bytes: [u8; 14] = rand::random();
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

async fn user_page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    errors: Vec<FieldMsg>,
    temp_password: Option<String>,
    status: StatusCode,
    flash: Option<&str>,
) -> WebResult<Response> {
    let t = a.tenant(state);
    let u = users::get(t, id).await?.ok_or(WebError::NotFound)?;
    let held: Vec<RoleAssignment> = u.roles.iter().map(Into::into).collect();
    Ok(render_status(
        status,
        &UserForm {
            ctx: Ctx::user(a, &format!("/admin/users/{id}"), "users").with_flash(flash),
            id: Some(u.id.clone()),
            name: u.name.clone(),
            email: u.email.clone(),
            active: u.active,
            roles: role_rows(a, &held),
            programmes: programmes::all(t).await?,
            errors,
            temp_password,
            is_self: u.id == a.user.id,
            second_factor: koers_store::platform::second_factor::get(t, &u.id)
                .await?
                .is_some_and(|f| f.confirmed),
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    load(a.tenant(&state), &id).await?;
    user_page(
        &state,
        &a,
        &id,
        Vec::new(),
        None,
        StatusCode::OK,
        q.ok.as_deref(),
    )
    .await
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let t = a.tenant(&state);
    let existing = load(t, &id).await?;
    let programmes = programmes::all(t).await?;
    let mut errors = Vec::new();
    let name = DisplayName::parse(form.get("name"))
        .map_err(|e| errors.push(e))
        .ok();
    let email = Email::parse(form.get("email"))
        .map_err(|e| errors.push(e))
        .ok();
    let typed = typed_roles(&form);
    let roles = valid_roles(&form, &typed, &programmes)
        .map_err(|e| errors.push(e))
        .ok();
    if let Some(roles) = &roles
        && existing.id == a.user.id
        && !roles.iter().any(|r| r.role == Role::Administrator)
    {
        errors.push(FieldError::new("roles", "cannot-remove-own-admin"));
    }
    if errors.is_empty() {
        let (name, email, roles) = (
            name.expect("valid"),
            email.expect("valid"),
            roles.clone().expect("valid"),
        );
        match users::update_profile(t, &id, Some(name.as_str()), Some(email.as_str())).await {
            Err(koers_store::StoreError::Conflict(_)) => {
                errors.push(FieldError::new("email", "email-taken"))
            }
            other => other?,
        }
        if errors.is_empty() {
            let before: Vec<RoleAssignment> = existing.roles.iter().map(Into::into).collect();
            users::set_roles(t, &id, &roles).await?;
            audit_change(
                &state,
                &a,
                "user.update",
                &id,
                serde_json::json!({"name": name.as_str(), "email": email.as_str(), "roles_before": crate::commands::roles_json(&before), "roles": crate::commands::roles_json(&roles)}),
            )
            .await?;
            return Ok(Redirect::to(&format!("/admin/users/{id}?ok=saved")).into_response());
        }
    }
    let held = roles.unwrap_or(typed);
    Ok(render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &UserForm {
            ctx: Ctx::user(&a, &format!("/admin/users/{id}"), "users"),
            id: Some(id.clone()),
            name: form.get("name").to_owned(),
            email: form.get("email").to_owned(),
            active: existing.active,
            roles: role_rows(&a, &held),
            programmes,
            errors: field_msgs(&a.tr, &errors),
            temp_password: None,
            is_self: existing.id == a.user.id,
            second_factor: false,
        },
    ))
}

async fn load(t: Tenant<'_>, id: &str) -> WebResult<User> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let user = users::get(t, id).await?.ok_or(WebError::NotFound)?;
    crate::audit_trail::note_person(&user.id);
    Ok(user)
}

pub async fn set_active(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let t = a.tenant(&state);
    let u = load(t, &id).await?;
    let active = form.get("active") == "1";
    if u.id == a.user.id && !active {
        return user_page(
            &state,
            &a,
            &id,
            field_msgs(
                &a.tr,
                &[FieldError::new("active", "cannot-deactivate-self")],
            ),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
        )
        .await;
    }
    users::set_active(t, &id, active).await?;
    audit_change(
        &state,
        &a,
        if active {
            "user.activate"
        } else {
            "user.deactivate"
        },
        &id,
        serde_json::json!({}),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/admin/users/{id}?ok={}",
        if active { "activated" } else { "deactivated" }
    ))
    .into_response())
}

pub async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let t = a.tenant(&state);
    let u = load(t, &id).await?;
    let temp = generate_password();
    let t2 = temp.clone();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&t2))
        .await
        .unwrap_or_default();
    let keep = (u.id == a.user.id).then_some(a.session.token_hash.as_str());
    users::set_password(t, &id, &hash, keep).await?;
    if keep.is_none() {
        sessions::delete_all_for_user(t, &id, None).await?;
    }
    audit_change(
        &state,
        &a,
        "user.password_reset",
        &id,
        serde_json::json!({}),
    )
    .await?;
    user_page(
        &state,
        &a,
        &id,
        Vec::new(),
        Some(temp),
        StatusCode::OK,
        Some("password-reset"),
    )
    .await
}
