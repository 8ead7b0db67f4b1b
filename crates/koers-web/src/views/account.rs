//! The user's own account: password, language, sessions.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, local_path, render, render_status};
use crate::auth::{LANG_COOKIE, SESSION_COOKIE, WebUser, cookie_value, set_cookie};
use crate::csrf::{PreSessionToken, verify};
use crate::error::WebResult;
use crate::forms::{FormData, SignedForm};
use crate::i18n::Locale;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::{FieldError, NewPassword};
use koers_store::platform::audit::NewEvent;
use koers_store::platform::sessions::{self, Kind};
use koers_store::platform::{passwords, users};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    ctx: Ctx,
    name: String,
    email: String,
    roles: Vec<String>,
    locale: String,
    sessions: i64,
    errors: Vec<FieldMsg>,
    /// The personal calendar feed's address, when the person has one.
    feed_url: Option<String>,
    /// Whether the weekly digest of overdue agreements is mailed.
    digest: bool,
    /// With the second factor on: the recovery codes left.
    second_factor: Option<i64>,
    /// The person's role requires the second factor.
    second_factor_required: bool,
}

async fn account_page(
    state: &AppState,
    a: &crate::auth::Authenticated,
    headers: &HeaderMap,
    errors: Vec<FieldMsg>,
) -> WebResult<AccountPage> {
    let t = a.tenant(state);
    let feed_url = if koers_store::platform::calendar_feeds::exists(t, &a.user.id).await? {
        Some(crate::calendar_feed::url(state, a, headers).await?)
    } else {
        None
    };
    Ok(AccountPage {
        ctx: Ctx::user(a, "/account", "account"),
        name: a.user.name.clone(),
        email: a.user.email.clone(),
        roles: a
            .user
            .roles
            .iter()
            .map(|r| match &r.programme_code {
                Some(c) => format!("{} ({c})", a.tr.role(&r.role)),
                None => a.tr.role(&r.role),
            })
            .collect(),
        locale: a.user.locale.clone().unwrap_or_default(),
        sessions: sessions::count_for_user(t, &a.user.id).await?,
        errors,
        feed_url,
        digest: koers_store::guidance::digests::wanted(t, &a.user.id).await?,
        second_factor: match koers_store::platform::second_factor::get(t, &a.user.id).await? {
            Some(f) if f.confirmed => Some(
                koers_store::platform::second_factor::recovery_codes_left(t, &a.user.id).await?,
            ),
            _ => None,
        },
        second_factor_required: crate::second_factor::required(state, &a.user.roles),
    })
}

/// Turn the weekly digest of overdue agreements on or off.
pub async fn set_digest(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let wanted = form.get("digest") == "1";
    koers_store::guidance::digests::set_wanted(a.tenant(&state), &a.user.id, wanted).await?;
    Ok(axum::response::Redirect::to("/account?ok=saved#h-mail").into_response())
}

pub async fn page(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    headers: HeaderMap,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    let mut p = account_page(&state, &a, &headers, Vec::new()).await?;
    p.ctx = p.ctx.with_flash(q.ok.as_deref());
    Ok(render(&p))
}

pub async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let t = a.tenant(&state);
    let current = form.get("current_password").to_owned();
    let hash = users::password_hash(t, &a.user.id)
        .await?
        .unwrap_or_default();
    let ok = tokio::task::spawn_blocking(move || passwords::verify(&current, &hash))
        .await
        .unwrap_or(false);
    let mut errors = Vec::new();
    if !ok {
        errors.push(FieldError::new(
            "current_password",
            "current-password-wrong",
        ));
    }
    let new = NewPassword::parse(form.get("new_password"), Some(&a.user.email));
    if let Err(e) = &new {
        errors.push(FieldError {
            field: "new_password",
            code: e.code,
        });
    }
    if new.is_ok() && form.get("new_password") != form.get("confirm_password") {
        errors.push(FieldError::new("confirm_password", "password-mismatch"));
    }
    if !errors.is_empty() {
        let p = account_page(&state, &a, &headers, field_msgs(&a.tr, &errors)).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let new = new.expect("checked above").expose().to_owned();
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&new))
        .await
        .unwrap_or_default();
    users::set_password(t, &a.user.id, &hash, Some(&a.session.token_hash)).await?;
    crate::audit_trail::record(
        state.db(),
        NewEvent {
            institution_id: Some(&a.user.institution_id),
            actor_id: Some(&a.user.id),
            actor_email: Some(&a.user.email),
            action: "account.password",
            subject_type: Some("user"),
            subject_id: Some(&a.user.id),
            ..Default::default()
        },
    )
    .await?;
    Ok(Redirect::to("/account?ok=password-changed").into_response())
}

pub async fn set_language(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let locale = Locale::parse(form.get("locale"));
    users::set_locale(a.tenant(&state), &a.user.id, locale.map(Locale::code)).await?;
    let mut res = Redirect::to("/account?ok=language-changed").into_response();
    let cookie = match locale {
        Some(l) => set_cookie(&state, LANG_COOKIE, l.code(), Some(365 * 86400)),
        None => set_cookie(&state, LANG_COOKIE, "", Some(0)),
    };
    res.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(res)
}

pub async fn end_other_sessions(
    State(state): State<AppState>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    let n =
        sessions::delete_all_for_user(a.tenant(&state), &a.user.id, Some(&a.session.token_hash))
            .await?;
    crate::audit_trail::record(
        state.db(),
        NewEvent {
            institution_id: Some(&a.user.institution_id),
            actor_id: Some(&a.user.id),
            actor_email: Some(&a.user.email),
            action: "account.sessions_ended",
            details: serde_json::json!({ "ended": n }),
            ..Default::default()
        },
    )
    .await?;
    Ok(Redirect::to("/account?ok=sessions-ended").into_response())
}

/// The language switch in the header: works logged in (saves the setting) and anonymous.
pub async fn switch_language(
    State(state): State<AppState>,
    Extension(pre): Extension<PreSessionToken>,
    headers: HeaderMap,
    form: FormData,
) -> WebResult<Response> {
    let locale = Locale::parse(form.get("locale")).unwrap_or_default();
    let session = match cookie_value(&headers, SESSION_COOKIE) {
        Some(t) => sessions::lookup(state.db(), &t, Kind::Web).await?,
        None => None,
    };
    match &session {
        Some(s) => {
            verify(&s.csrf_token, form.get("_csrf"))?;
            let t = koers_store::Tenant::new(state.db(), &s.institution_id);
            users::set_locale(t, &s.user_id, Some(locale.code())).await?;
        }
        None => verify(&pre.0, form.get("_csrf"))?,
    }
    let mut res = Redirect::to(&local_path(form.get("next"), "/")).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, LANG_COOKIE, locale.code(), Some(365 * 86400)),
    );
    Ok(res)
}

/// Make (or renew: the old address stops working) the personal calendar feed.
pub async fn renew_calendar_feed(
    State(state): State<AppState>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    koers_store::platform::calendar_feeds::renew(a.tenant(&state), &a.user.id).await?;
    Ok(Redirect::to("/account?ok=saved#h-calendar").into_response())
}

/// Stop the personal calendar feed.
pub async fn revoke_calendar_feed(
    State(state): State<AppState>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    koers_store::platform::calendar_feeds::revoke(a.tenant(&state), &a.user.id).await?;
    Ok(Redirect::to("/account?ok=saved#h-calendar").into_response())
}
