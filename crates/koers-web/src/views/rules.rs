//! The expected guidance moments of a programme, set by its programme manager: per phase how
//! many conversations, within which window, and whether group sessions count.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::guidance::{MomentRule, Phase};
use koers_domain::policy::Action;
use koers_store::guidance::rules;
use koers_store::platform::programmes::{self, Programme};

#[derive(Template)]
#[template(path = "rules.html")]
struct RulesPage {
    ctx: Ctx,
    programme: Programme,
    rules: [MomentRule; 4],
    defaults: [MomentRule; 4],
    errors: Vec<FieldMsg>,
}

async fn programme(state: &AppState, a: &Authenticated, code: &str) -> WebResult<Programme> {
    let p = programmes::by_code(a.tenant(state), &code.trim().to_uppercase())
        .await?
        .ok_or(WebError::NotFound)?;
    a.require(Action::ConfigureGuidance {
        programme_id: &p.id,
    })?;
    Ok(p)
}

pub async fn page(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(code): Path<String>,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    let p = programme(&state, &a, &code).await?;
    let rules = rules::for_programme(a.tenant(&state), &p.id).await?;
    Ok(super::render(&RulesPage {
        ctx: Ctx::user(&a, &format!("/coverage/{}/rules", p.code), "coverage")
            .with_flash(q.ok.as_deref()),
        programme: p,
        rules,
        defaults: MomentRule::defaults(),
        errors: Vec::new(),
    }))
}

pub async fn save(
    State(state): State<AppState>,
    Path(code): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let p = programme(&state, &a, &code).await?;
    let mut errors = Vec::new();
    let mut out = MomentRule::defaults();
    for phase in Phase::ALL {
        let k = phase.key();
        let required = form
            .get(&format!("{k}_required"))
            .trim()
            .parse()
            .unwrap_or(0);
        let days = form.get(&format!("{k}_days")).trim().parse().unwrap_or(365);
        let group = form.get(&format!("{k}_group")) == "1";
        match MomentRule::new(phase, required, days, group) {
            Ok(r) => out[phase.index()] = r,
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        let msgs = field_msgs(&a.tr, &errors);
        return Ok(render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &RulesPage {
                ctx: Ctx::user(&a, &format!("/coverage/{}/rules", p.code), "coverage"),
                programme: p,
                rules: out,
                defaults: MomentRule::defaults(),
                errors: msgs,
            },
        ));
    }
    rules::set(a.tenant(&state), &p.id, &out).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "programme.rules",
        &p.id,
        serde_json::to_value(out).unwrap_or_default(),
    )
    .await?;
    Ok(Redirect::to(&format!("/coverage/{}/rules?ok=saved", p.code)).into_response())
}
