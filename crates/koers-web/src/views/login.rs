//! Logging in and out. The check itself is the application's (`koers_app::platform::login`).

use super::{Ctx, local_path, render, render_status};
use crate::auth::{ClientIp, LANG_COOKIE, RequestTr, SESSION_COOKIE, cookie_value, set_cookie};
use crate::csrf::{PreSessionToken, verify};
use crate::error::WebResult;
use crate::forms::{FormData, SignedForm};
use crate::i18n::Tr;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::platform::login::{self, LoginFailure};
use koers_store::Tenant;
use koers_store::platform::audit::NewEvent;
use koers_store::platform::sessions::{self, Kind};
use koers_store::platform::users::User;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    email: String,
    next: String,
    error: Option<String>,
    /// The single sign-on provider's name, when there is one.
    sso: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct LoginQuery {
    #[serde(default)]
    next: String,
    /// Back from a second-factor challenge that expired or failed too often.
    #[serde(default)]
    expired: Option<String>,
}

fn sso_label(state: &AppState) -> Option<String> {
    state.config().oidc.as_ref().map(|o| o.label.clone())
}

pub async fn form(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    if let Some(token) = cookie_value(&headers, SESSION_COOKIE)
        && let Ok(Some(_)) = sessions::lookup(state.db(), &token, Kind::Web).await
    {
        return Redirect::to(&local_path(&q.next, "/home")).into_response();
    }
    render(&LoginPage {
        ctx: Ctx::anonymous(tr, pre.0, "/login"),
        email: String::new(),
        error: q.expired.is_some().then(|| tr.t("login-expired")),
        next: q.next,
        sso: sso_label(&state),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    ClientIp(ip): ClientIp,
    Extension(pre): Extension<PreSessionToken>,
    headers: HeaderMap,
    form: FormData,
) -> WebResult<Response> {
    verify(&pre.0, form.get("_csrf"))?;
    let email = form.get("email").trim().to_owned();
    let next = form.get("next").to_owned();
    let page = |tr: Tr, error: String| LoginPage {
        ctx: Ctx::anonymous(tr, pre.0.clone(), "/login"),
        email: email.clone(),
        next: next.clone(),
        error: Some(error),
        sso: sso_label(&state),
    };
    if email.is_empty() || form.get("password").is_empty() {
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page(tr, tr.t("login-missing")),
        ));
    }
    match login::attempt(
        state.db(),
        &state.login_rules(),
        &email,
        form.get("password"),
        &ip,
        Kind::Web,
        None,
    )
    .await?
    {
        Err(LoginFailure::Wrong) => Ok(render_status(
            StatusCode::UNAUTHORIZED,
            &page(tr, tr.t("login-wrong")),
        )),
        Err(LoginFailure::Throttled(wait)) => {
            let mut res = render_status(
                StatusCode::TOO_MANY_REQUESTS,
                &page(
                    tr,
                    tr.tn("login-throttled", "minutes", (wait as i64 + 59) / 60),
                ),
            );
            res.headers_mut().insert(header::RETRY_AFTER, wait.into());
            Ok(res)
        }
        Err(LoginFailure::SsoOnly) => {
            let label = state
                .config()
                .oidc
                .as_ref()
                .map_or_else(|| "SSO".to_owned(), |o| o.label.clone());
            Ok(render_status(
                StatusCode::FORBIDDEN,
                &page(tr, tr.t1("login-sso-only", "provider", &label)),
            ))
        }
        Err(LoginFailure::SecondFactor {
            user_id,
            institution_id,
            ..
        }) => {
            let t = Tenant::new(state.db(), &institution_id);
            crate::second_factor::start_challenge(&state, t, &user_id, &next).await
        }
        Ok((token, user)) => session_response(&state, &headers, &token, &user, &next).await,
    }
}

/// After a login: the session cookie (the browser's earlier session ended: session
/// rotation), the person's language, and on to where they were going.
pub async fn session_response(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    user: &User,
    next: &str,
) -> WebResult<Response> {
    let mut res = Redirect::to(&local_path(next, "/home")).into_response();
    rotate_session(state, headers, &mut res, token, user).await?;
    Ok(res)
}

/// End the browser's earlier session, if any, and set the new session's cookie (and the
/// person's language) on `res`.
pub async fn rotate_session(
    state: &AppState,
    headers: &HeaderMap,
    res: &mut Response,
    token: &str,
    user: &User,
) -> WebResult<()> {
    if let Some(old) = cookie_value(headers, SESSION_COOKIE) {
        sessions::delete(state.db(), &sessions::hash_token(&old)).await?;
    }
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, SESSION_COOKIE, token, None),
    );
    if let Some(l) = &user.locale {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(state, LANG_COOKIE, l, Some(365 * 86400)),
        );
    }
    Ok(())
}

pub async fn logout(
    State(state): State<AppState>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    sessions::delete(state.db(), &a.session.token_hash).await?;
    crate::audit_trail::record(
        state.db(),
        NewEvent {
            institution_id: Some(&a.user.institution_id),
            actor_id: Some(&a.user.id),
            actor_email: Some(&a.user.email),
            action: "login.logout",
            ..Default::default()
        },
    )
    .await?;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", Some(0)),
    );
    Ok(res)
}
