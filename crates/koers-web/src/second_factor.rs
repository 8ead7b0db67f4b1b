//! The second factor for password logins: TOTP codes from an authenticator app, and recovery
//! codes for when the phone is lost. A login whose password was right waits in a short-lived
//! challenge (a cookie with a random token) until the code is typed; holders of the roles in
//! `--require-second-factor` who have none yet set one up there, before they get a session.

use crate::auth::{ClientIp, RequestTr, WebUser, cookie_value, set_cookie};
use crate::csrf::{PreSessionToken, verify};
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::i18n::Tr;
use crate::state::AppState;
use crate::views::{Ctx, local_path, render, render_status};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::Role;
use koers_domain::platform::totp::{Secret, new_recovery_codes};
use koers_store::Tenant;
use koers_store::platform::audit::NewEvent;
use koers_store::platform::second_factor;
use koers_store::platform::sessions::{self, Kind};
use koers_store::platform::{login_challenges, login_failures, users};

/// The cookie that holds a login challenge's token (five minutes).
pub const CHALLENGE_COOKIE: &str = "koers_challenge";

/// Read `--require-second-factor`: role keys separated by commas, or `personal-data`.
pub fn parse_roles(spec: &str) -> Result<Vec<Role>, String> {
    let mut roles = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if part == "personal-data" {
            roles.extend(
                Role::ALL
                    .iter()
                    .copied()
                    .filter(|r| r.reads_personal_records()),
            );
        } else {
            roles.push(
                Role::parse(part).map_err(|_| {
                    format!("unknown role {part:?} (use role keys or personal-data)")
                })?,
            );
        }
    }
    roles.sort_by_key(|r| r.key());
    roles.dedup();
    Ok(roles)
}

/// Whether someone with these roles must log in with a second factor.
pub fn required(state: &AppState, roles: &[koers_store::platform::users::HeldRole]) -> bool {
    state.login_rules().second_factor_required(roles)
}

/// The QR code of an `otpauth://` address, as inline SVG (no script, allowed by the CSP).
fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

/// Setting up: the QR code, the secret to type, and where the code goes.
struct Enrolment {
    qr: String,
    /// The secret in groups of four, for typing.
    secret: String,
}

fn enrolment(secret: &Secret, institution: &str, email: &str) -> Enrolment {
    let b32 = secret.to_base32();
    let grouped = b32
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Enrolment {
        qr: qr_svg(&secret.otpauth_uri(&format!("Koers {institution}"), email)),
        secret: grouped,
    }
}

#[derive(Template)]
#[template(path = "second_factor.html")]
struct FactorPage {
    ctx: Ctx,
    /// Where the form posts: the login challenge or the account page.
    action: &'static str,
    next: String,
    /// Set while setting up; absent when only the code is asked.
    enrol: Option<Enrolment>,
    /// Required by the person's role (they cannot skip or turn it off).
    required: bool,
    /// Their earlier second factor was forgotten when the secret key was replaced.
    renewal: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "second_factor_codes.html")]
struct CodesPage {
    ctx: Ctx,
    codes: Vec<String>,
    next: String,
}

#[derive(serde::Deserialize, Default)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

async fn institution_name(t: Tenant<'_>) -> WebResult<String> {
    Ok(koers_store::platform::institutions::get(t).await?.name)
}

/// A login challenge from the cookie, or back to the login page.
async fn challenge(
    state: &AppState,
    headers: &HeaderMap,
) -> WebResult<Option<login_challenges::Challenge>> {
    match cookie_value(headers, CHALLENGE_COOKIE) {
        Some(token) => Ok(login_challenges::lookup(state.db(), &token).await?),
        None => Ok(None),
    }
}

fn back_to_login(next: &str) -> Response {
    let target = if next.is_empty() {
        "/login?expired=1".to_owned()
    } else {
        format!("/login?expired=1&next={}", crate::app::urlencode(next))
    };
    Redirect::to(&target).into_response()
}

/// After a right password: start the challenge and ask for the code.
pub async fn start_challenge(
    state: &AppState,
    t: Tenant<'_>,
    user_id: &str,
    next: &str,
) -> WebResult<Response> {
    let token = login_challenges::create(t, user_id).await?;
    let target = if next.is_empty() {
        "/login/second-factor".to_owned()
    } else {
        format!("/login/second-factor?next={}", crate::app::urlencode(next))
    };
    let mut res = Redirect::to(&target).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            state,
            CHALLENGE_COOKIE,
            &token,
            Some(login_challenges::TTL_MS / 1000),
        ),
    );
    Ok(res)
}

/// `GET /login/second-factor`: the code (or, the first time, setting it up).
pub async fn challenge_form(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> WebResult<Response> {
    let Some(c) = challenge(&state, &headers).await? else {
        return Ok(back_to_login(&q.next));
    };
    let page = challenge_page(&state, tr, pre.0, &c, q.next, None).await?;
    Ok(render(&page))
}

async fn challenge_page(
    state: &AppState,
    tr: Tr,
    csrf: String,
    c: &login_challenges::Challenge,
    next: String,
    error: Option<String>,
) -> WebResult<FactorPage> {
    let t = Tenant::new(state.db(), &c.institution_id);
    let user = users::get(t, &c.user_id).await?.ok_or(WebError::NotFound)?;
    let enrol = match second_factor::get(t, &c.user_id).await? {
        Some(f) if f.confirmed => None,
        _ => {
            let secret = second_factor::begin(t, &c.user_id).await?;
            Some(enrolment(&secret, &institution_name(t).await?, &user.email))
        }
    };
    Ok(FactorPage {
        ctx: Ctx::anonymous(tr, csrf, "/login/second-factor"),
        action: "/login/second-factor",
        next,
        enrol,
        required: required(state, &user.roles),
        renewal: second_factor::renewal_due(t, &c.user_id).await?,
        error,
    })
}

/// `POST /login/second-factor`: check the code; on success the session starts (and, after
/// setting up, the recovery codes are shown once).
pub async fn challenge_submit(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    ClientIp(ip): ClientIp,
    Extension(pre): Extension<PreSessionToken>,
    headers: HeaderMap,
    form: FormData,
) -> WebResult<Response> {
    verify(&pre.0, form.get("_csrf"))?;
    let next = form.get("next").to_owned();
    let Some(c) = challenge(&state, &headers).await? else {
        return Ok(back_to_login(&next));
    };
    let db = state.db();
    let t = Tenant::new(db, &c.institution_id);
    let user = users::get(t, &c.user_id).await?.ok_or(WebError::NotFound)?;
    if let Some(wait) = login_failures::retry_after(db, &user.email, &ip).await? {
        return Err(WebError::TooManyRequests { retry_after: wait });
    }
    let code = form.get("code").trim().to_owned();
    let factor = second_factor::get(t, &c.user_id).await?;
    let (proof, codes) = match &factor {
        Some(f) if f.confirmed => (
            koers_app::platform::second_factor::check(t, &c.user_id, f, &code).await?,
            None,
        ),
        Some(f) => match f
            .secret
            .verify(&code, koers_app::platform::second_factor::unix_secs(), 0)
        {
            Some(step) => {
                let codes = new_recovery_codes();
                second_factor::confirm(t, &c.user_id, step, &codes).await?;
                record(db, &user, "second-factor.enrol", &ip, serde_json::json!({})).await?;
                (Some("totp"), Some(codes))
            }
            None => (None, None),
        },
        None => (None, None),
    };
    let Some(proof) = proof else {
        login_failures::record(db, &user.email, &ip).await?;
        record(
            db,
            &user,
            "login.failure",
            &ip,
            serde_json::json!({"via": "web", "reason": "second-factor"}),
        )
        .await?;
        if !login_challenges::fail(db, &c.token_hash).await? {
            return Ok(back_to_login(&next));
        }
        let msg = tr.t(if code.is_empty() {
            "second-factor-missing"
        } else {
            "second-factor-wrong"
        });
        let page = challenge_page(&state, tr, pre.0, &c, next, Some(msg)).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    };
    login_challenges::delete(db, &c.token_hash).await?;
    login_failures::clear(db, &user.email).await?;
    let (token, _) = sessions::create(t, &user.id, Kind::Web).await?;
    record(
        db,
        &user,
        "login.success",
        &ip,
        serde_json::json!({"via": "web", "second_factor": proof}),
    )
    .await?;
    let mut res = match codes {
        Some(codes) => {
            let page = CodesPage {
                ctx: Ctx::anonymous(tr, String::new(), "/login/second-factor"),
                codes,
                next: local_path(&next, "/home"),
            };
            let mut res = render(&page);
            // The old session cookie, if any, is replaced like after any login.
            crate::views::login::rotate_session(&state, &headers, &mut res, &token, &user).await?;
            res
        }
        None => {
            crate::views::login::session_response(&state, &headers, &token, &user, &next).await?
        }
    };
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, CHALLENGE_COOKIE, "", Some(0)),
    );
    Ok(res)
}

async fn record(
    db: &koers_store::Db,
    user: &users::User,
    action: &str,
    ip: &str,
    details: serde_json::Value,
) -> WebResult<()> {
    crate::audit_trail::record(
        db,
        NewEvent {
            institution_id: Some(&user.institution_id),
            actor_id: Some(&user.id),
            actor_email: Some(&user.email),
            action,
            subject_type: Some("user"),
            subject_id: Some(&user.id),
            ip: Some(ip),
            details,
            person_id: None,
        },
    )
    .await?;
    Ok(())
}

/// `GET /account/second-factor`: set up the second factor from the account page.
pub async fn account_form(
    State(state): State<AppState>,
    WebUser(a): WebUser,
) -> WebResult<Response> {
    let t = a.tenant(&state);
    if second_factor::get(t, &a.user.id)
        .await?
        .is_some_and(|f| f.confirmed)
    {
        return Ok(Redirect::to("/account#h-second-factor").into_response());
    }
    let secret = second_factor::begin(t, &a.user.id).await?;
    Ok(render(&FactorPage {
        ctx: Ctx::user(&a, "/account/second-factor", "account"),
        action: "/account/second-factor",
        next: String::new(),
        enrol: Some(enrolment(
            &secret,
            &institution_name(t).await?,
            &a.user.email,
        )),
        required: required(&state, &a.user.roles),
        renewal: false,
        error: None,
    }))
}

/// `POST /account/second-factor`: confirm the setup with the first code.
pub async fn account_confirm(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let t = a.tenant(&state);
    let factor = second_factor::get(t, &a.user.id).await?;
    let pending = match factor {
        Some(f) if !f.confirmed => f,
        _ => return Ok(Redirect::to("/account#h-second-factor").into_response()),
    };
    let code = form.get("code").trim();
    let Some(step) =
        pending
            .secret
            .verify(code, koers_app::platform::second_factor::unix_secs(), 0)
    else {
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &FactorPage {
                ctx: Ctx::user(&a, "/account/second-factor", "account"),
                action: "/account/second-factor",
                next: String::new(),
                enrol: Some(enrolment(
                    &pending.secret,
                    &institution_name(t).await?,
                    &a.user.email,
                )),
                required: required(&state, &a.user.roles),
                renewal: false,
                error: Some(a.tr.t(if code.is_empty() {
                    "second-factor-missing"
                } else {
                    "second-factor-wrong"
                })),
            },
        ));
    };
    let codes = new_recovery_codes();
    second_factor::confirm(t, &a.user.id, step, &codes).await?;
    record(
        state.db(),
        &a.user,
        "second-factor.enrol",
        &ip,
        serde_json::json!({}),
    )
    .await?;
    Ok(render(&CodesPage {
        ctx: Ctx::user(&a, "/account/second-factor", "account"),
        codes,
        next: "/account?ok=second-factor-on#h-second-factor".into(),
    }))
}

/// `POST /account/second-factor/remove`: turn it off, proven with a current code; not for
/// roles that require it.
pub async fn account_remove(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    if required(&state, &a.user.roles) {
        return Err(WebError::Forbidden);
    }
    let t = a.tenant(&state);
    let Some(factor) = second_factor::get(t, &a.user.id).await? else {
        return Ok(Redirect::to("/account#h-second-factor").into_response());
    };
    if factor.confirmed
        && koers_app::platform::second_factor::check(t, &a.user.id, &factor, form.get("code"))
            .await?
            .is_none()
    {
        return Ok(Redirect::to("/account?ok=second-factor-wrong#h-second-factor").into_response());
    }
    second_factor::remove(t, &a.user.id).await?;
    record(
        state.db(),
        &a.user,
        "second-factor.remove",
        &ip,
        serde_json::json!({}),
    )
    .await?;
    Ok(Redirect::to("/account?ok=second-factor-off#h-second-factor").into_response())
}

/// `POST /admin/users/{id}/second-factor/reset`: for someone who lost their phone and their
/// recovery codes; they set it up again at their next login.
pub async fn admin_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    a.require(koers_domain::policy::Action::ManageUsers)?;
    let t = a.tenant(&state);
    let user = users::get(t, &id).await?.ok_or(WebError::NotFound)?;
    crate::audit_trail::note_person(&user.id);
    if second_factor::remove(t, &user.id).await? {
        crate::audit_trail::record(
            state.db(),
            NewEvent {
                institution_id: Some(&a.user.institution_id),
                actor_id: Some(&a.user.id),
                actor_email: Some(&a.user.email),
                action: "user.second-factor-reset",
                subject_type: Some("user"),
                subject_id: Some(&user.id),
                ip: Some(&ip),
                details: serde_json::json!({}),
                person_id: Some(&user.id),
            },
        )
        .await?;
    }
    Ok(Redirect::to(&format!("/admin/users/{}?ok=second-factor-reset", user.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_roles;
    use koers_domain::Role;

    #[test]
    fn roles_from_the_command_line() {
        assert_eq!(parse_roles("").unwrap(), vec![]);
        assert_eq!(
            parse_roles("counsellor, hr_adviser").unwrap(),
            vec![Role::Counsellor, Role::HrAdviser]
        );
        let p = parse_roles("personal-data,counsellor").unwrap();
        assert!(p.contains(&Role::Administrator) && p.contains(&Role::PlacementMentor));
        assert!(!p.contains(&Role::Student));
        assert!(parse_roles("decaan").is_err());
    }
}
