//! The institution's own part of its privacy statement (administrators): who is responsible,
//! the data-protection officer and their address, and a note. The public statement at
//! `/privacy/{slug}` shows it.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::WebResult;
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::policy::Action;
use koers_domain::{Email, FieldError};
use koers_store::platform::institutions::{self, PrivacyContact};

#[derive(Template)]
#[template(path = "privacy_settings.html")]
struct SettingsPage {
    ctx: Ctx,
    /// The public address of the statement.
    slug: String,
    controller: String,
    officer: String,
    email: String,
    note: String,
    updated_at: Option<i64>,
    errors: Vec<FieldMsg>,
}

impl SettingsPage {
    /// The one-line fields: (name, value, input type).
    fn lines(&self) -> [(&'static str, &str, &'static str); 3] {
        [
            ("controller", &self.controller, "text"),
            ("officer", &self.officer, "text"),
            ("email", &self.email, "email"),
        ]
    }
}

const SHORT: usize = 200;
const NOTE: usize = 2000;

/// The form's fields, trimmed, in the order they are checked.
struct Typed {
    controller: String,
    officer: String,
    email: String,
    note: String,
}

impl Typed {
    fn from(form: &FormData) -> Self {
        let get = |k| form.get(k).trim().replace("\r\n", "\n");
        Self {
            controller: get("controller"),
            officer: get("officer"),
            email: get("email"),
            note: get("note"),
        }
    }

    /// The contact to save, or the fields that are wrong (error codes).
    fn check(&self) -> Result<PrivacyContact, Vec<FieldError>> {
        let mut errors = Vec::new();
        for (field, value, max) in [
            ("controller", &self.controller, SHORT),
            ("officer", &self.officer, SHORT),
            ("note", &self.note, NOTE),
        ] {
            if value.chars().count() > max {
                errors.push(FieldError::new(field, "too-long"));
            }
        }
        let email = if self.email.is_empty() {
            None
        } else {
            match Email::parse(&self.email) {
                Ok(e) => Some(e.as_str().to_owned()),
                Err(e) => {
                    errors.push(e);
                    None
                }
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Ok(PrivacyContact {
            controller: some(&self.controller),
            officer: some(&self.officer),
            email,
            note: some(&self.note),
            updated_at: None,
        })
    }
}

async fn page(
    state: &AppState,
    a: &Authenticated,
    typed: Typed,
    updated_at: Option<i64>,
    errors: Vec<FieldMsg>,
    flash: Option<&str>,
) -> WebResult<SettingsPage> {
    let inst = institutions::get(a.tenant(state)).await?;
    Ok(SettingsPage {
        ctx: Ctx::user(a, "/admin/privacy", "users").with_flash(flash),
        slug: inst.slug,
        controller: typed.controller,
        officer: typed.officer,
        email: typed.email,
        note: typed.note,
        updated_at,
        errors,
    })
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let c = institutions::privacy_contact(a.tenant(&state)).await?;
    let typed = Typed {
        controller: c.controller.unwrap_or_default(),
        officer: c.officer.unwrap_or_default(),
        email: c.email.unwrap_or_default(),
        note: c.note.unwrap_or_default(),
    };
    let p = page(&state, &a, typed, c.updated_at, Vec::new(), q.ok.as_deref()).await?;
    Ok(render_status(StatusCode::OK, &p))
}

pub async fn save(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let typed = Typed::from(&form);
    let contact = match typed.check() {
        Ok(c) => c,
        Err(errors) => {
            let msgs = field_msgs(&a.tr, &errors);
            let before = institutions::privacy_contact(a.tenant(&state)).await?;
            let p = page(&state, &a, typed, before.updated_at, msgs, None).await?;
            return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    institutions::set_privacy_contact(a.tenant(&state), &contact).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "institution.privacy",
        &a.user.institution_id,
        serde_json::to_value(&contact).unwrap_or_default(),
    )
    .await?;
    Ok(Redirect::to("/admin/privacy?ok=saved").into_response())
}

#[cfg(test)]
mod tests {
    use super::Typed;
    use koers_domain::FieldError;

    fn typed(controller: &str, email: &str, note: &str) -> Typed {
        Typed {
            controller: controller.into(),
            officer: String::new(),
            email: email.into(),
            note: note.into(),
        }
    }

    #[test]
    fn empty_fields_are_allowed_and_stored_as_absent() {
        let c = typed("", "", "").check().unwrap();
        assert_eq!(c.controller, None);
        assert_eq!(c.email, None);
    }

    #[test]
    fn the_address_is_checked_and_normalised() {
        let c = typed("Stichting X", "Privacy@X.NL", "").check().unwrap();
        assert_eq!(c.email.as_deref(), Some("privacy@x.nl"));
        assert_eq!(
            typed("", "privacy at x", "").check().unwrap_err(),
            vec![FieldError::new("email", "email-invalid")]
        );
    }

    #[test]
    fn long_texts_are_refused_field_by_field() {
        let long = "x".repeat(201);
        let errors = typed(&long, "", &"y".repeat(2001)).check().unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::new("controller", "too-long"),
                FieldError::new("note", "too-long")
            ]
        );
    }
}
