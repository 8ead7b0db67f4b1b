//! Open Badges in the browser: a student's own credentials, the public verification page
//! (by a credential's address, or by pasting one), and the administrator's signing keys.

use super::{Ctx, render_status};
use crate::auth::{RequestTr, WebUser};
use crate::csrf::PreSessionToken;
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::i18n::Tr;
use crate::state::AppState;
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_credentials::Invalid;
use koers_domain::policy::Action;
use koers_store::credentials::{self, KeyInfo};
use serde_json::Value;

/// What a credential says, read from its JSON for people.
pub struct Shown {
    pub id: String,
    pub name: String,
    pub description: String,
    pub criteria: String,
    pub issuer_name: String,
    pub issuer_url: String,
    pub issuer_did: String,
    pub valid_from: String,
    pub alignments: Vec<(String, String)>,
    pub json: String,
}

impl Shown {
    pub fn read(id: &str, doc: &Value) -> Self {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let a = &doc["credentialSubject"]["achievement"];
        Shown {
            id: id.to_owned(),
            name: text(&a["name"]),
            description: text(&a["description"]),
            criteria: text(&a["criteria"]["narrative"]),
            issuer_name: text(&doc["issuer"]["name"]),
            issuer_url: text(&doc["issuer"]["url"]),
            issuer_did: text(&doc["issuer"]["id"]),
            valid_from: text(&doc["validFrom"]),
            alignments: a["alignment"]
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|al| (text(&al["targetName"]), text(&al["targetUrl"])))
                        .collect()
                })
                .unwrap_or_default(),
            json: serde_json::to_string_pretty(doc).unwrap_or_default(),
        }
    }

    /// The day it became valid, in the reader's language.
    pub fn valid_from_date(&self, tr: &Tr) -> String {
        self.valid_from
            .parse::<jiff::Timestamp>()
            .map(|ts| tr.date(&ts.as_millisecond()))
            .unwrap_or_else(|_| self.valid_from.clone())
    }
}

#[derive(Template)]
#[template(path = "credentials.html")]
struct ListPage {
    ctx: Ctx,
    items: Vec<Shown>,
}

/// The signed-in person's own credentials.
pub async fn list(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    let items = credentials::for_person(a.tenant(&state), &a.user.id)
        .await?
        .iter()
        .map(|c| {
            let doc: Value = serde_json::from_str(&c.document).unwrap_or_default();
            Shown::read(&c.id, &doc)
        })
        .collect();
    Ok(render_status(
        StatusCode::OK,
        &ListPage {
            ctx: Ctx::user(&a, "/credentials", "credentials"),
            items,
        },
    ))
}

/// The outcome of checking a credential.
pub enum Outcome {
    Valid,
    Invalid(String),
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    ctx: Ctx,
    outcome: Option<Outcome>,
    shown: Option<Shown>,
    /// What was pasted (kept on error).
    pasted: String,
}

impl VerifyPage {
    fn reason(&self, tr: &Tr) -> String {
        match &self.outcome {
            Some(Outcome::Invalid(key)) => tr.t(key),
            _ => String::new(),
        }
    }
}

fn invalid_key(e: &Invalid) -> &'static str {
    match e {
        Invalid::Shape(_) => "verify-invalid-shape",
        Invalid::Issuer => "verify-invalid-issuer",
        Invalid::Signature => "verify-invalid-signature",
        Invalid::Period(_) => "verify-invalid-period",
        Invalid::Proof(_) => "verify-invalid-proof",
    }
}

async fn check(doc: &Value) -> Outcome {
    match koers_credentials::verify(doc).await {
        Ok(_) => Outcome::Valid,
        Err(e) => Outcome::Invalid(invalid_key(&e).into()),
    }
}

/// The public page of an issued credential: what it says and whether it verifies.
pub async fn show(
    State(state): State<AppState>,
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    let stored = credentials::by_id(state.db(), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    let doc: Value =
        serde_json::from_str(&stored.document).map_err(|e| WebError::Internal(e.to_string()))?;
    let outcome = check(&doc).await;
    Ok(render_status(
        StatusCode::OK,
        &VerifyPage {
            ctx: Ctx::anonymous(tr, pre.0, &format!("/verify/{id}")),
            outcome: Some(outcome),
            shown: Some(Shown::read(&id, &doc)),
            pasted: String::new(),
        },
    ))
}

/// The form to check any credential by pasting its JSON.
pub async fn form(
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
) -> Response {
    render_status(
        StatusCode::OK,
        &VerifyPage {
            ctx: Ctx::anonymous(tr, pre.0, "/verify"),
            outcome: None,
            shown: None,
            pasted: String::new(),
        },
    )
}

/// Largest credential the paste form reads.
const MAX_PASTE: usize = 256 * 1024;

/// Check a pasted credential.
pub async fn check_pasted(
    RequestTr(tr): RequestTr,
    Extension(pre): Extension<PreSessionToken>,
    form: FormData,
) -> WebResult<Response> {
    crate::csrf::verify(&pre.0, form.get("_csrf"))?;
    let pasted = form.get("credential").trim().to_owned();
    let parsed = if pasted.len() > MAX_PASTE {
        Err("verify-too-large")
    } else {
        serde_json::from_str::<Value>(&pasted).map_err(|_| "verify-not-json")
    };
    let (status, outcome, shown) = match parsed {
        Err(key) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Outcome::Invalid(key.into()),
            None,
        ),
        Ok(doc) => {
            let id = doc["id"]
                .as_str()
                .and_then(|i| i.strip_prefix("urn:uuid:"))
                .unwrap_or_default()
                .to_owned();
            let outcome = check(&doc).await;
            (StatusCode::OK, outcome, Some(Shown::read(&id, &doc)))
        }
    };
    Ok(render_status(
        status,
        &VerifyPage {
            ctx: Ctx::anonymous(tr, pre.0, "/verify"),
            outcome: Some(outcome),
            shown,
            pasted,
        },
    ))
}

#[derive(Template)]
#[template(path = "credential_keys.html")]
struct KeysPage {
    ctx: Ctx,
    keys: Vec<KeyInfo>,
    issued: i64,
}

/// The institution's signing keys and how many credentials were issued (administrators).
pub async fn keys(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let t = a.tenant(&state);
    Ok(render_status(
        StatusCode::OK,
        &KeysPage {
            ctx: Ctx::user(&a, "/admin/credentials", "users"),
            keys: credentials::keys(t).await?,
            issued: credentials::count(t).await?,
        },
    ))
}

/// Replace the signing key: new credentials are signed with a new key; the ones issued
/// before stay valid.
pub async fn rotate(
    State(state): State<AppState>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let key = crate::badges::rotate_key(a.tenant(&state)).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "credentials.rotate_key",
        &a.user.id,
        serde_json::json!({"did": key.did}),
    )
    .await?;
    Ok(Redirect::to("/admin/credentials").into_response())
}
