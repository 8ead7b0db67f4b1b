//! The improvement plan in the browser: every action with its source, owner, deadline and
//! status (overdue ones marked), a form to add one (for a stage of a scan round, optionally
//! naming its statements), and a form per action to follow it up. Owners who do not manage
//! the plan see and follow up their own actions.

use super::{Ctx, FieldMsg, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::commands::finish;
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::AppError;
use koers_app::vision::improvement::{self as plan, load_for_change};
use koers_domain::improvement::{self, ActionDraft, ActionStatus, Source, SourceDraft, SourceKind};
use koers_domain::policy::Action as Do;
use koers_domain::staff::scan::{Item, Stage};
use koers_store::improvement::{Action, Filter};
use koers_store::staff::scans::{self, Round};

#[derive(Template)]
#[template(path = "improvement_actions.html")]
struct Page {
    ctx: Ctx,
    actions: Vec<Action>,
    rounds: Vec<Round>,
    can_add: bool,
    /// The form's round and stage, and the statements of that stage.
    form_round: String,
    form_stage: String,
    items: Vec<Item>,
    fields: Vec<(String, String)>,
    errors: Vec<FieldMsg>,
    today: jiff::civil::Date,
    open_only: bool,
}

impl Page {
    fn round_name(&self, s: &Source) -> String {
        match s {
            Source::ScanStage { round_id, .. } => self
                .rounds
                .iter()
                .find(|r| &r.id == round_id)
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            Source::Indicator { key } | Source::SelfScanAspect { key } => key.clone(),
        }
    }
    fn stage_key(&self, s: &Source) -> &'static str {
        s.stage().map_or("", Stage::key)
    }
    fn overdue(&self, a: &Action) -> bool {
        improvement::is_overdue(
            a.status,
            a.due_on.as_deref().and_then(koers_domain::time::parse_date),
            self.today,
        )
    }
    fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
    fn item_chosen(&self, key: &str) -> bool {
        self.fields.iter().any(|(k, v)| k == "item" && v == key)
    }
    fn item_text(&self, i: &Item) -> String {
        i.text.get(self.ctx.tr.lang()).to_owned()
    }
}

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    ok: Option<String>,
    round: Option<String>,
    stage: Option<String>,
    open: Option<String>,
}

async fn render_page(
    state: &AppState,
    a: &Authenticated,
    q: &ListQuery,
    fields: Vec<(String, String)>,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    let can_add = a
        .actor
        .may(Do::ManageImprovementActions(SourceKind::ScanStage));
    let t = a.tenant(state);
    let open_only = q.open.as_deref() == Some("1");
    let actions = plan::visible(
        &a.cx(state),
        Filter {
            open_only,
            ..Default::default()
        },
    )
    .await?;
    if actions.is_empty() && !can_add && !a.actor.may(Do::ViewImprovementActions) {
        return Err(WebError::Forbidden);
    }
    let rounds = scans::rounds(t).await?;
    let pick = |k: &str, q: &Option<String>| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .or_else(|| q.clone())
            .unwrap_or_default()
    };
    let form_round = pick("round", &q.round);
    let form_stage = pick("stage", &q.stage);
    let items = match (
        rounds.iter().find(|r| r.id == form_round),
        Stage::parse(&form_stage),
    ) {
        (Some(r), Some(stage)) => scans::instrument(t, &r.instrument_id)
            .await?
            .items
            .into_iter()
            .filter(|i| i.stage == stage)
            .collect(),
        _ => Vec::new(),
    };
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &Page {
            ctx: Ctx::user(a, "/improvement-actions", "hrm-scan").with_flash(q.ok.as_deref()),
            actions,
            rounds,
            can_add,
            form_round,
            form_stage,
            items,
            fields,
            errors,
            today: koers_domain::time::today(),
            open_only,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<ListQuery>,
) -> WebResult<Response> {
    render_page(&state, &a, &q, Vec::new(), Vec::new()).await
}

fn draft(form: &FormData) -> ActionDraft {
    ActionDraft {
        title: form.get("title").to_owned(),
        items: form.all("item").into_iter().map(str::to_owned).collect(),
        owner_email: form.get("owner_email").to_owned(),
        due_on: form.get("due_on").to_owned(),
        status: form.get("status").to_owned(),
        notes: form.get("notes").to_owned(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Do::ManageImprovementActions(SourceKind::ScanStage))?;
    let source = SourceDraft {
        kind: SourceKind::ScanStage.key().into(),
        round_id: form.get("round").to_owned(),
        stage: form.get("stage").to_owned(),
        key: String::new(),
    };
    let cx = a.cx(&state);
    let done = match plan::check_source(&cx, &source).await {
        Ok(source) => plan::create(&cx, &source, &draft(&form)).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(done) => {
            finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to("/improvement-actions?ok=created").into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let msgs = field_msgs(&a.tr, &errors);
            render_page(&state, &a, &ListQuery::default(), form.0, msgs).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Follow an action up: status and notes (and, for who manages the plan, the rest).
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let cx = a.cx(&state);
    let (x, manager) = load_for_change(&cx, &id).await?;
    let status = ActionStatus::parse(form.get("status"))
        .ok_or(WebError::invalid("status", "status-invalid"))?;
    let owner_email = match &x.owner_id {
        Some(o) => koers_store::platform::users::get(a.tenant(&state), o)
            .await?
            .map(|u| u.email)
            .unwrap_or_default(),
        None => String::new(),
    };
    // The row form changes status and notes; everything else stays as it is.
    let draft = ActionDraft {
        title: x.title.clone(),
        items: x.item_keys.clone(),
        owner_email,
        due_on: x.due_on.clone().unwrap_or_default(),
        status: status.key().into(),
        notes: form.get("notes").to_owned(),
    };
    let done = plan::update(&cx, &x, manager, &draft).await?;
    finish(&state, &a, &headers, done).await?;
    // The quality cycle's page sends its own address back (a local path only).
    let back = super::local_path(form.get("back"), "");
    if back.starts_with("/quality?") {
        return Ok(Redirect::to(&format!("{back}&ok=saved")).into_response());
    }
    Ok(Redirect::to("/improvement-actions?ok=saved").into_response())
}
