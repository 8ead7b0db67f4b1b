//! An institution's single sign-on settings (administrators): the home organisation the
//! provider names it by, and whether passwords still work.

use super::{Ctx, FieldMsg, render_status};
use crate::auth::WebUser;
use crate::error::WebResult;
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::policy::Action;
use koers_store::platform::sso::{self, Settings};

#[derive(Template)]
#[template(path = "sso_settings.html")]
struct SettingsPage {
    ctx: Ctx,
    /// The provider (issuer) Koers is set up with, if any.
    issuer: Option<String>,
    label: String,
    /// The address to register at the provider.
    redirect_uri: String,
    home_organization: String,
    password_login: bool,
    errors: Vec<FieldMsg>,
}

fn page(
    state: &AppState,
    a: &crate::auth::Authenticated,
    headers: &HeaderMap,
    home_organization: String,
    password_login: bool,
    errors: Vec<FieldMsg>,
) -> SettingsPage {
    let oidc = state.config().oidc.as_ref();
    SettingsPage {
        ctx: Ctx::user(a, "/admin/sso", "users"),
        issuer: oidc.map(|o| o.issuer.clone()),
        label: oidc.map_or_else(String::new, |o| o.label.clone()),
        redirect_uri: crate::calendar_feed::absolute(state, headers, "/login/sso/callback"),
        home_organization,
        password_login,
        errors,
    }
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    headers: HeaderMap,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let s = sso::settings(a.tenant(&state)).await?;
    Ok(render_status(
        StatusCode::OK,
        &page(
            &state,
            &a,
            &headers,
            s.home_organization.unwrap_or_default(),
            s.password_login,
            Vec::new(),
        ),
    ))
}

/// A home organisation is a domain name (`hogeschool.nl`).
fn home_organization(input: &str) -> Result<Option<String>, &'static str> {
    let v = input.trim().to_lowercase();
    if v.is_empty() {
        return Ok(None);
    }
    let ok = v.len() <= 253
        && v.contains('.')
        && v.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if ok {
        Ok(Some(v))
    } else {
        Err("home-organization-invalid")
    }
}

pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let typed = form.get("home_organization").to_owned();
    let password_login = form.get("password_login") == "1";
    let error = |code: &str| {
        vec![FieldMsg {
            field: "home_organization",
            message: a.tr.t(&format!("error-{code}")),
        }]
    };
    let home = match home_organization(&typed) {
        Ok(h) => h,
        Err(code) => {
            return Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(&state, &a, &headers, typed, password_login, error(code)),
            ));
        }
    };
    let settings = Settings {
        home_organization: home,
        password_login,
    };
    match sso::set_settings(a.tenant(&state), &settings).await {
        Ok(()) => {}
        Err(koers_store::StoreError::Conflict(_)) => {
            return Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page(
                    &state,
                    &a,
                    &headers,
                    typed,
                    password_login,
                    error("home-organization-taken"),
                ),
            ));
        }
        Err(e) => return Err(e.into()),
    }
    crate::commands::audit_change(
        &state,
        &a,
        "institution.sso",
        &a.user.institution_id,
        serde_json::json!({
            "home_organization": settings.home_organization,
            "password_login": settings.password_login,
        }),
    )
    .await?;
    Ok(Redirect::to("/admin/sso").into_response())
}

#[cfg(test)]
mod tests {
    use super::home_organization;

    #[test]
    fn a_home_organisation_is_a_domain_name() {
        assert_eq!(
            home_organization(" Hogeschool.NL "),
            Ok(Some("hogeschool.nl".into()))
        );
        assert_eq!(home_organization(""), Ok(None));
        for bad in ["hogeschool", "-x.nl", "a..nl", "hoge school.nl", "x.nl/"] {
            assert!(home_organization(bad).is_err(), "{bad}");
        }
    }
}
