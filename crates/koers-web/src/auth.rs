//! Who is asking: the web session (cookie), the API session (bearer token), the locale and the
//! client address, as axum extractors.

use crate::error::WebError;
use crate::i18n::{Locale, Tr};
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::{HeaderMap, HeaderValue, header, request::Parts};
use cookie::{Cookie, SameSite};
use koers_domain::policy::Actor;
use koers_store::Tenant;
use koers_store::platform::sessions::{self, Kind, Session};
use koers_store::platform::users::{self, User};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "koers_session";
pub const LANG_COOKIE: &str = "koers_lang";
pub const CSRF_COOKIE: &str = "koers_csrf";

pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, path `/`, Secure when configured.
/// `max_age_secs: None` makes a browser-session cookie; `Some(0)` deletes the cookie.
pub fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age_secs: Option<i64>,
) -> HeaderValue {
    let mut c = Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config().secure_cookies);
    if let Some(s) = max_age_secs {
        c = c.max_age(cookie::time::Duration::seconds(s));
    }
    HeaderValue::from_str(&c.build().to_string()).expect("cookie values are ASCII")
}

/// The locale of a request without a logged-in user: cookie, then `Accept-Language`, then nl.
pub fn request_locale(headers: &HeaderMap) -> Locale {
    cookie_value(headers, LANG_COOKIE)
        .and_then(|v| Locale::parse(&v))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default()
}

/// The translator for a request (anonymous or not; a user's own setting is applied by
/// [`WebUser`]).
pub struct RequestTr(pub Tr);

impl<S: Send + Sync> FromRequestParts<S> for RequestTr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestTr(Tr(request_locale(&parts.headers))))
    }
}

/// The client's address, for throttling and the audit log.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config().trust_proxy
            && let Some(first) = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
        {
            return Ok(ClientIp(first.trim().to_owned()));
        }
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "local".to_owned(), |ci| ci.0.ip().to_string());
        Ok(ClientIp(ip))
    }
}

/// A logged-in user with a live session.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub actor: Actor,
    pub user: User,
    pub session: Session,
    pub tr: Tr,
    /// Unread notifications (web requests; 0 for the API).
    pub unread: i64,
    /// The query string of the web request (for links to the same list as CSV).
    pub query: String,
}

impl Authenticated {
    /// Ask the access policy; 403 when the actor may not.
    pub fn require(&self, action: koers_domain::policy::Action<'_>) -> Result<(), WebError> {
        if self.actor.may(action) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// The actor as the application layer knows them.
    pub fn cx<'a>(&'a self, state: &'a AppState) -> koers_app::Ctx<'a> {
        koers_app::Ctx {
            db: state.db(),
            actor: &self.actor,
            user: &self.user,
            lang: self.tr.lang(),
            note_person: crate::audit_trail::note_person,
        }
    }

    pub fn tenant<'a>(&'a self, state: &'a AppState) -> Tenant<'a> {
        Tenant::new(state.db(), &self.user.institution_id)
    }
}

async fn authenticate(
    state: &AppState,
    token: &str,
    kind: Kind,
    headers: &HeaderMap,
) -> Result<Authenticated, WebError> {
    let session = sessions::lookup(state.db(), token, kind)
        .await?
        .ok_or(WebError::Unauthenticated)?;
    let t = Tenant::new(state.db(), &session.institution_id);
    let user = users::get(t, &session.user_id)
        .await?
        .ok_or(WebError::Unauthenticated)?;
    if !user.active {
        return Err(WebError::Unauthenticated);
    }
    let actor = Actor {
        user_id: user.id.clone(),
        institution_id: user.institution_id.clone(),
        roles: user.roles.iter().map(Into::into).collect(),
    };
    let locale = user
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or_else(|| request_locale(headers));
    Ok(Authenticated {
        actor,
        user,
        session,
        tr: Tr(locale),
        unread: 0,
        query: String::new(),
    })
}

/// A user logged in through the web (session cookie).
pub struct WebUser(pub Authenticated);

impl FromRequestParts<AppState> for WebUser {
    type Rejection = WebError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(a) = parts.extensions.get::<Authenticated>() {
            crate::audit_trail::note_actor(a);
            return Ok(WebUser(a.clone()));
        }
        let token =
            cookie_value(&parts.headers, SESSION_COOKIE).ok_or(WebError::Unauthenticated)?;
        let mut a = authenticate(state, &token, Kind::Web, &parts.headers).await?;
        a.unread =
            koers_store::platform::notifications::unread_count(a.tenant(state), &a.user.id).await?;
        a.query = parts.uri.query().unwrap_or_default().to_owned();
        parts.extensions.insert(a.clone());
        crate::audit_trail::note_actor(&a);
        Ok(WebUser(a))
    }
}

/// A user of the JSON API (`Authorization: Bearer <token>`).
pub struct ApiUser(pub Authenticated);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = WebError;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(WebError::Unauthenticated)?;
        let a = authenticate(state, token, Kind::Api, &parts.headers).await?;
        crate::audit_trail::note_actor(&a);
        Ok(ApiUser(a))
    }
}
