//! Single sign-on with OpenID Connect (SURFconext by default): the authorization code flow
//! with PKCE, state and nonce; the provider found by discovery from its issuer URL; the
//! person's claims (from the ID token and userinfo) mapped to a Koers account: the linked
//! one, an existing one found by verified email or student number, or a new one
//! (just in time) with roles from the affiliations.

use crate::auth::{ClientIp, RequestTr};
use crate::csrf::PreSessionToken;
use crate::error::{WebError, WebResult};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Ctx, local_path, render_status};
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::RoleAssignment;
use koers_domain::platform::sso::{self as claims, ClaimMap, Profile};
use koers_store::Tenant;
use koers_store::platform::audit::NewEvent;
use koers_store::platform::sessions::{self, Kind};
use koers_store::platform::sso;
use koers_store::platform::users::{self, NewUser, User};
use openidconnect::core::{CoreClient, CoreGenderClaim, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthenticationContextClass, AuthenticationFlow,
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    SignatureVerificationError, TokenResponse,
};
use serde_json::{Map, Value};
use std::time::{Duration, Instant};

/// How Koers reaches the OpenID provider.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Besides `openid`.
    pub scopes: Vec<String>,
    pub claims: ClaimMap,
    /// The provider's name on the login page, e.g. "SURFconext".
    pub label: String,
    /// When not empty, a login counts only with one of these `acr` values in the ID token
    /// (the provider's second factor, say); Koers asks for them with `acr_values`.
    pub require_acr: Vec<String>,
}

/// How long the discovered provider metadata (and its keys) are kept.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// How long Koers waits for the provider.
const TIMEOUT: Duration = Duration::from_secs(5);

/// The discovered provider, kept for an hour (and found again after a failure).
#[derive(Default)]
pub struct ProviderCache(tokio::sync::Mutex<Option<(Instant, CoreProviderMetadata)>>);

/// Whether the ID token's `acr` is one of the required ones (any, when none is required).
fn acr_satisfied(required: &[String], acr: Option<&str>) -> bool {
    required.is_empty() || acr.is_some_and(|a| required.iter().any(|r| r == a))
}

/// Every claim the provider sends, kept as JSON so the claim map can pick any.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct AllClaims {
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}
impl AdditionalClaims for AllClaims {}

/// Why a single sign-on login did not work; each has its own page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The provider cannot be reached (or answered nonsense).
    Unreachable,
    /// No login request with this state (expired, used, or never made).
    Expired,
    /// The person cancelled or the provider refused.
    Denied,
    /// The ID token's signature or contents do not check out.
    Untrusted,
    /// The ID token was made for another login (nonce).
    Replayed,
    /// The provider sent no subject or institution.
    Claims,
    /// The institution does not use Koers (or not this provider).
    UnknownInstitution,
    /// A new account needs an email address.
    NoEmail,
    /// A new account needs an affiliation Koers knows.
    NoRole,
    /// The account exists but is switched off, or belongs to another institution.
    Refused,
    /// The provider authenticated without the required context (`acr`), e.g. without its
    /// second factor.
    WeakAuthentication,
}

impl Failure {
    fn status(self) -> StatusCode {
        match self {
            Failure::Unreachable => StatusCode::SERVICE_UNAVAILABLE,
            Failure::Expired | Failure::Denied | Failure::Claims => StatusCode::BAD_REQUEST,
            Failure::Untrusted | Failure::Replayed => StatusCode::UNAUTHORIZED,
            Failure::UnknownInstitution
            | Failure::NoEmail
            | Failure::NoRole
            | Failure::Refused
            | Failure::WeakAuthentication => StatusCode::FORBIDDEN,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Failure::Unreachable => "sso-unreachable",
            Failure::Expired => "sso-expired",
            Failure::Denied => "sso-denied",
            Failure::Untrusted => "sso-untrusted",
            Failure::Replayed => "sso-replayed",
            Failure::Claims => "sso-claims",
            Failure::UnknownInstitution => "sso-unknown-institution",
            Failure::NoEmail => "sso-no-email",
            Failure::NoRole => "sso-no-role",
            Failure::Refused => "sso-refused",
            Failure::WeakAuthentication => "sso-acr",
        }
    }
}

#[derive(Template)]
#[template(path = "sso_error.html")]
struct ErrorPage {
    ctx: Ctx,
    message: String,
    label: String,
}

fn error_page(tr: Tr, pre: &PreSessionToken, label: &str, failure: Failure) -> Response {
    render_status(
        failure.status(),
        &ErrorPage {
            ctx: Ctx::anonymous(tr, pre.0.clone(), "/login"),
            message: tr.t(failure.key()),
            label: label.to_owned(),
        },
    )
}

fn config(state: &AppState) -> WebResult<&OidcConfig> {
    state.config().oidc.as_ref().ok_or(WebError::NotFound)
}

fn http_client() -> Result<openidconnect::reqwest::Client, Failure> {
    openidconnect::reqwest::ClientBuilder::new()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .build()
        .map_err(|_| Failure::Unreachable)
}

/// The provider's metadata: from the cache, or discovered from the issuer URL.
async fn metadata(
    state: &AppState,
    cfg: &OidcConfig,
    http: &openidconnect::reqwest::Client,
    fresh: bool,
) -> Result<CoreProviderMetadata, Failure> {
    let mut cache = state.sso_cache().0.lock().await;
    if !fresh
        && let Some((at, meta)) = cache.as_ref()
        && at.elapsed() < METADATA_TTL
    {
        return Ok(meta.clone());
    }
    let issuer = IssuerUrl::new(cfg.issuer.clone()).map_err(|_| Failure::Unreachable)?;
    match CoreProviderMetadata::discover_async(issuer, http).await {
        Ok(meta) => {
            *cache = Some((Instant::now(), meta.clone()));
            Ok(meta)
        }
        Err(e) => {
            tracing::warn!(error = %e, "OpenID provider discovery failed");
            *cache = None;
            Err(Failure::Unreachable)
        }
    }
}

fn redirect_url(state: &AppState, headers: &HeaderMap) -> Result<RedirectUrl, Failure> {
    RedirectUrl::new(crate::calendar_feed::absolute(
        state,
        headers,
        "/login/sso/callback",
    ))
    .map_err(|_| Failure::Unreachable)
}

#[derive(serde::Deserialize, Default)]
pub struct StartQuery {
    #[serde(default)]
    next: String,
}

/// Start a login at the provider.
pub async fn start(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
    headers: HeaderMap,
    Query(q): Query<StartQuery>,
) -> WebResult<Response> {
    let cfg = config(&state)?;
    match authorization_url(&state, cfg, &headers, &q.next).await {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(f) => Ok(error_page(tr, &pre, &cfg.label, f)),
    }
}

async fn authorization_url(
    state: &AppState,
    cfg: &OidcConfig,
    headers: &HeaderMap,
    next: &str,
) -> Result<String, Failure> {
    let http = http_client()?;
    let meta = metadata(state, cfg, &http, false).await?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(cfg.client_id.clone()),
        cfg.client_secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(redirect_url(state, headers)?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for scope in &cfg.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    for acr in &cfg.require_acr {
        request = request.add_auth_context_value(AuthenticationContextClass::new(acr.clone()));
    }
    let (url, csrf, nonce) = request.url();
    sso::save_request(
        state.db(),
        csrf.secret(),
        nonce.secret(),
        verifier.secret(),
        &local_path(next, "/home"),
    )
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "saving a login request failed");
        Failure::Unreachable
    })?;
    Ok(url.to_string())
}

#[derive(serde::Deserialize, Default)]
pub struct CallbackQuery {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: String,
}

/// The provider sends the person back here with a code (or an error).
pub async fn callback(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    ClientIp(ip): ClientIp,
    Extension(pre): Extension<PreSessionToken>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> WebResult<Response> {
    let cfg = config(&state)?;
    let outcome = finish(&state, cfg, &headers, &q).await?;
    let (user, next) = match outcome {
        Ok(found) => found,
        Err(failure) => {
            crate::audit_trail::record(
                state.db(),
                NewEvent {
                    action: "login.failure",
                    ip: Some(&ip),
                    details: serde_json::json!({"via": "sso", "reason": failure.key()}),
                    ..Default::default()
                },
            )
            .await?;
            return Ok(error_page(tr, &pre, &cfg.label, failure));
        }
    };
    let t = Tenant::new(state.db(), &user.institution_id);
    let (token, _) = sessions::create(t, &user.id, Kind::Web).await?;
    crate::audit_trail::record(
        state.db(),
        NewEvent {
            institution_id: Some(&user.institution_id),
            actor_id: Some(&user.id),
            actor_email: Some(&user.email),
            action: "login.success",
            ip: Some(&ip),
            details: serde_json::json!({ "via": "sso" }),
            ..Default::default()
        },
    )
    .await?;
    crate::views::login::session_response(&state, &headers, &token, &user, &next).await
}

/// The whole callback: a store error is an error; everything the provider or the person
/// did is a [`Failure`].
async fn finish(
    state: &AppState,
    cfg: &OidcConfig,
    headers: &HeaderMap,
    q: &CallbackQuery,
) -> WebResult<Result<(User, String), Failure>> {
    if !q.error.is_empty() {
        return Ok(Err(Failure::Denied));
    }
    let Some(request) = sso::take_request(state.db(), &q.state).await? else {
        return Ok(Err(Failure::Expired));
    };
    if q.code.is_empty() {
        return Ok(Err(Failure::Denied));
    }
    let profile = match verified_claims(state, cfg, headers, q, &request).await {
        Ok(p) => p,
        Err(f) => return Ok(Err(f)),
    };
    Ok(account_for(state, cfg, &profile)
        .await?
        .map(|u| (u, request.next)))
}

async fn verified_claims(
    state: &AppState,
    cfg: &OidcConfig,
    headers: &HeaderMap,
    q: &CallbackQuery,
    request: &sso::Request,
) -> Result<Profile, Failure> {
    let http = http_client()?;
    let meta = metadata(state, cfg, &http, false).await?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(cfg.client_id.clone()),
        cfg.client_secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(redirect_url(state, headers)?);
    let token = client
        .exchange_code(AuthorizationCode::new(q.code.clone()))
        .map_err(|_| Failure::Unreachable)?
        .set_pkce_verifier(PkceCodeVerifier::new(request.pkce_verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "the token request failed");
            match e {
                openidconnect::RequestTokenError::ServerResponse(_) => Failure::Denied,
                _ => Failure::Unreachable,
            }
        })?;
    let id_token = token.id_token().ok_or(Failure::Untrusted)?;
    let nonce = Nonce::new(request.nonce.clone());
    let verifier = client.id_token_verifier();
    let id_claims = match id_token.claims(&verifier, &nonce) {
        Ok(c) => c.clone(),
        Err(ClaimsVerificationError::InvalidNonce(_)) => return Err(Failure::Replayed),
        Err(ClaimsVerificationError::SignatureVerification(
            SignatureVerificationError::NoMatchingKey,
        )) => {
            // The provider may have rotated its keys: look again once.
            let meta = metadata(state, cfg, &http, true).await?;
            let client = CoreClient::from_provider_metadata(
                meta,
                ClientId::new(cfg.client_id.clone()),
                cfg.client_secret.clone().map(ClientSecret::new),
            );
            id_token
                .claims(&client.id_token_verifier(), &nonce)
                .map_err(|_| Failure::Untrusted)?
                .clone()
        }
        Err(e) => {
            tracing::warn!(error = %e, "an ID token was refused");
            return Err(Failure::Untrusted);
        }
    };
    // With a required authentication context, the provider must say it used one of them
    // (asking with `acr_values` is a wish; the claim in the signed token is the proof).
    if !acr_satisfied(
        &cfg.require_acr,
        id_claims.auth_context_ref().map(|a| a.as_str()),
    ) {
        tracing::warn!(acr = ?id_claims.auth_context_ref(), "an ID token without the required acr");
        return Err(Failure::WeakAuthentication);
    }
    // The access token belongs to this ID token.
    if let Some(expected) = id_claims.access_token_hash() {
        let alg = id_token.signing_alg().map_err(|_| Failure::Untrusted)?;
        let key = id_token
            .signing_key(&verifier)
            .map_err(|_| Failure::Untrusted)?;
        let actual = AccessTokenHash::from_token(token.access_token(), alg, key)
            .map_err(|_| Failure::Untrusted)?;
        if actual != *expected {
            return Err(Failure::Untrusted);
        }
    }
    let mut all = match serde_json::to_value(&id_claims) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    if let Ok(request) = client.user_info(
        token.access_token().clone(),
        Some(id_claims.subject().clone()),
    ) {
        match request
            .request_async::<AllClaims, _, CoreGenderClaim>(&http)
            .await
        {
            Ok(info) => {
                if let Ok(Value::Object(m)) = serde_json::to_value(&info) {
                    all.extend(m);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "the userinfo request failed");
                return Err(Failure::Unreachable);
            }
        }
    }
    claims::read_claims(&all, &cfg.claims).map_err(|_| Failure::Claims)
}

/// The Koers account of a verified profile: linked, found, or made.
async fn account_for(
    state: &AppState,
    cfg: &OidcConfig,
    p: &Profile,
) -> WebResult<Result<User, Failure>> {
    let db = state.db();
    let Some(institution_id) = sso::institution_by_home(db, &p.institution).await? else {
        return Ok(Err(Failure::UnknownInstitution));
    };
    let t = Tenant::new(db, &institution_id);
    // Already linked.
    if let Some((linked_institution, user_id)) = sso::identity(db, &cfg.issuer, &p.subject).await? {
        if linked_institution != institution_id {
            return Ok(Err(Failure::Refused));
        }
        return active(t, &cfg.issuer, &p.subject, &user_id).await;
    }
    // An existing account, by verified email or by student number.
    if let Some(email) = p.email.as_ref().filter(|_| p.email_verified)
        && let Some(account) = users::find_for_login(db, email.as_str()).await?
    {
        if account.institution_id != institution_id {
            return Ok(Err(Failure::Refused));
        }
        return active(t, &cfg.issuer, &p.subject, &account.id).await;
    }
    if let Some(number) = &p.student_number
        && let Some(user_id) = sso::user_by_student_number(t, number).await?
    {
        return active(t, &cfg.issuer, &p.subject, &user_id).await;
    }
    // A new account, just in time.
    let Some(email) = p.email.as_ref() else {
        return Ok(Err(Failure::NoEmail));
    };
    let roles: Vec<RoleAssignment> = claims::default_roles(&p.affiliations)
        .into_iter()
        .map(|role| RoleAssignment {
            role,
            programme_id: None,
        })
        .collect();
    if roles.is_empty() {
        return Ok(Err(Failure::NoRole));
    }
    let user = match users::create(
        t,
        NewUser {
            email: email.as_str(),
            name: &p.name,
            password_hash: None,
            locale: None,
            roles: &roles,
        },
    )
    .await
    {
        Ok(u) => u,
        // The address is taken (a race with another login, or not verified): refuse.
        Err(koers_store::StoreError::Conflict(_)) => return Ok(Err(Failure::Refused)),
        Err(e) => return Err(e.into()),
    };
    sso::link(t, &cfg.issuer, &p.subject, &user.id).await?;
    crate::audit_trail::record(
        db,
        NewEvent {
            institution_id: Some(&institution_id),
            actor_id: Some(&user.id),
            actor_email: Some(&user.email),
            action: "user.create",
            subject_type: Some("user"),
            subject_id: Some(&user.id),
            details: serde_json::json!({
                "via": "sso",
                "roles": roles.iter().map(|r| r.role.key()).collect::<Vec<_>>(),
            }),
            ..Default::default()
        },
    )
    .await?;
    Ok(Ok(user))
}

/// Link and return an account when it is active.
async fn active(
    t: Tenant<'_>,
    issuer: &str,
    subject: &str,
    user_id: &str,
) -> WebResult<Result<User, Failure>> {
    match users::get(t, user_id).await? {
        Some(u) if u.active => {
            sso::link(t, issuer, subject, &u.id).await?;
            Ok(Ok(u))
        }
        _ => Ok(Err(Failure::Refused)),
    }
}

#[cfg(test)]
mod tests {
    use super::acr_satisfied;

    #[test]
    fn a_required_authentication_context_must_be_in_the_token() {
        let mfa = vec!["http://schemas.microsoft.com/claims/multipleauthn".to_owned()];
        assert!(acr_satisfied(&[], None));
        assert!(acr_satisfied(&[], Some("urn:x:password")));
        assert!(acr_satisfied(&mfa, Some(mfa[0].as_str())));
        assert!(!acr_satisfied(&mfa, None));
        assert!(!acr_satisfied(&mfa, Some("urn:x:password")));
    }
}
