//! The HRM scan in the browser: HR advisers start, open, close and publish rounds and read the
//! results (a heat map of stage × group with a table, the largest differences, comments);
//! invited staff answer the statements once, anonymously.

use super::{Ctx, render, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::improvement::SourceKind;
use koers_domain::policy::Action;
use koers_domain::staff::scan::{
    self, Aspect, Cell, Difference, Group, Hidden, Instrument, Item, ResponseDraft, Stage,
    StageResult,
};
use koers_store::staff::scans::{self, Round};

#[derive(Template)]
#[template(path = "hrm_scans.html")]
struct ListPage {
    ctx: Ctx,
    rounds: Vec<Round>,
    invitations: Vec<Round>,
    can_run: bool,
    error: Option<String>,
    /// Teams to choose respondents from (for HR).
    teams: Vec<koers_store::staff::teams::Team>,
    staff_count: usize,
}

async fn list_page(
    state: &AppState,
    a: &Authenticated,
    error: Option<String>,
) -> WebResult<ListPage> {
    if !a.actor.is_staff() {
        return Err(WebError::Forbidden);
    }
    let t = a.tenant(state);
    let can_run = a.actor.may(Action::RunHrmScan);
    let rounds = scans::rounds(t)
        .await?
        .into_iter()
        .filter(|r| {
            can_run
                || a.actor.may(Action::ViewScanResults {
                    published: r.published_at.is_some(),
                })
        })
        .collect();
    let (teams, staff_count) = if can_run {
        (
            koers_store::staff::teams::all(t).await?,
            scans::all_staff(t).await?.len(),
        )
    } else {
        (Vec::new(), 0)
    };
    Ok(ListPage {
        ctx: Ctx::user(a, "/hrm-scan", "hrm-scan"),
        rounds,
        invitations: scans::open_invitations(t, &a.user.id).await?,
        can_run,
        error,
        teams,
        staff_count,
    })
}

pub async fn list(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    Ok(render(&list_page(&state, &a, None).await?))
}

/// Start a round for all staff, one team, or a sample, in groups by their roles.
pub async fn create(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::RunHrmScan)?;
    let name = form
        .get("name")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() || name.chars().count() > 200 {
        let page = list_page(&state, &a, Some(a.tr.t("hrm-name-required"))).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let t = a.tenant(&state);
    let respondents = match form.get("respondents") {
        "team" => {
            let team = form.get("team");
            if !koers_domain::is_id(team)
                || koers_store::staff::teams::get(t, team).await?.is_none()
            {
                let page = list_page(&state, &a, Some(a.tr.t("hrm-team-required"))).await?;
                return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
            }
            scans::team_staff(t, team).await?
        }
        "sample" => match form.get("sample_size").trim().parse::<usize>() {
            Ok(n) if n >= scan::MIN_GROUP => {
                scan::sample(&scans::all_staff(t).await?, n, &mut rand::rng())
            }
            _ => {
                let page = list_page(&state, &a, Some(a.tr.t("hrm-sample-size"))).await?;
                return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
            }
        },
        _ => scans::all_staff(t).await?,
    };
    if respondents.is_empty() {
        let page = list_page(&state, &a, Some(a.tr.t("hrm-no-respondents"))).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let id = scans::create_round(t, &name, &a.user.id, &respondents).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "hrm_scan.create",
        &id,
        serde_json::json!({"respondents": respondents.len()}),
    )
    .await?;
    Ok(Redirect::to(&format!("/hrm-scan/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "hrm_scan.html")]
struct RoundPage {
    ctx: Ctx,
    r: Round,
    can_run: bool,
    results: Option<Vec<StageResult>>,
    differences: Vec<Difference>,
    comments: Vec<(String, String)>,
    /// Some comments were held back: their group has fewer than five responses.
    comments_withheld: bool,
    /// Cells are hidden: (for too few people, because they could be worked out).
    hidden: (bool, bool),
    /// The reader may see results, but the round has not closed yet.
    results_after_close: bool,
    groups: [Group; 3],
    aspects: [Aspect; 3],
    invited_open: bool,
    /// The previous closed round's name and results, for the trend.
    earlier: Option<(String, Vec<StageResult>)>,
    /// The improvement actions of this round and of the previous one.
    actions: Vec<koers_store::improvement::Action>,
    earlier_actions: Vec<koers_store::improvement::Action>,
    can_act: bool,
    /// What the recruitment and appointment records of the last year say about practice.
    practice: Option<koers_domain::staff::recruitment::Practice>,
}

impl RoundPage {
    fn score_text(&self, s: &Option<f64>) -> String {
        s.map_or_else(|| "–".to_owned(), |v| format!("{v:.0}"))
    }

    /// A cell in the table: its score, or why it is hidden.
    fn cell_text(&self, c: &Cell) -> String {
        match (c.score, c.hidden) {
            (Some(v), _) => format!("{v:.0}"),
            (None, Some(Hidden::TooFew)) => self.ctx.tr.t("hrm-hidden-too-few"),
            (None, Some(Hidden::Derivable)) => self.ctx.tr.t("hrm-hidden-derivable"),
            (None, None) => "–".to_owned(),
        }
    }

    /// A heat-map class per 20 points.
    fn heat(&self, s: &Option<f64>) -> String {
        s.map_or_else(
            || "heat-none".to_owned(),
            |v| format!("heat-{}", ((v / 20.0).floor() as i64).clamp(0, 4)),
        )
    }

    /// The previous round's overall score of a stage, and the change since (rounded).
    fn trend(&self, stage: &Stage, now: &Option<f64>) -> (String, String) {
        let before = self
            .earlier
            .as_ref()
            .and_then(|(_, res)| res.iter().find(|s| s.stage == *stage))
            .and_then(|s| s.all.score);
        let change = match (before, now) {
            (Some(b), Some(n)) => format!("{:+.0}", n - b),
            _ => "–".to_owned(),
        };
        (self.score_text(&before), change)
    }

    fn actions_of(&self, stage: &Stage) -> Vec<&koers_store::improvement::Action> {
        self.actions
            .iter()
            .filter(|x| x.source.stage() == Some(*stage))
            .collect()
    }

    /// The previous round's actions for a stage: "done / all", or "–".
    fn earlier_actions_text(&self, stage: &Stage) -> String {
        let of: Vec<_> = self
            .earlier_actions
            .iter()
            .filter(|x| x.source.stage() == Some(*stage))
            .collect();
        if of.is_empty() {
            return "–".to_owned();
        }
        let done = of
            .iter()
            .filter(|x| x.status == koers_domain::improvement::ActionStatus::Done)
            .count();
        format!("{done} / {}", of.len())
    }

    fn pct(&self, part: &usize, whole: &usize) -> String {
        koers_domain::staff::development::percent(*part, *whole)
            .map_or_else(|| "–".to_owned(), |p| format!("{p}%"))
    }

    fn comments_of(&self, stage: &str) -> Vec<&str> {
        self.comments
            .iter()
            .filter(|(s, _)| s == stage)
            .map(|(_, c)| c.as_str())
            .collect()
    }
}

/// The improvement actions of a round (all its stages), as far as the reader may see them.
async fn round_actions(
    state: &AppState,
    a: &Authenticated,
    round_id: &str,
) -> WebResult<Vec<koers_store::improvement::Action>> {
    let prefix = format!("{round_id}:");
    Ok(koers_app::vision::improvement::visible(
        &a.cx(state),
        koers_store::improvement::Filter {
            kind: Some(SourceKind::ScanStage),
            reference_prefix: Some(&prefix),
            ..Default::default()
        },
    )
    .await?)
}

async fn load(state: &AppState, a: &Authenticated, id: &str) -> WebResult<Round> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    scans::round(a.tenant(state), id)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let r = load(&state, &a, &id).await?;
    let t = a.tenant(&state);
    let can_run = a.actor.may(Action::RunHrmScan);
    let may_results = a.actor.may(Action::ViewScanResults {
        published: r.published_at.is_some(),
    });
    let invitation = scans::invitation(t, &r.id, &a.user.id).await?;
    if !can_run && !may_results && invitation.is_none() {
        return Err(WebError::Forbidden);
    }
    // The round before this one, for the trend per stage and its actions.
    let mut earlier_actions = Vec::new();
    let mut earlier = None;
    if may_results {
        let all = scans::rounds(t).await?;
        if let Some(prev) = all
            .iter()
            .filter(|x| x.status == "closed" && x.created_at < r.created_at && x.id != r.id)
            .max_by_key(|x| x.created_at)
            && let Some(results) = crate::scan_results::of_round(&state, t, prev).await?
        {
            earlier_actions = round_actions(&state, &a, &prev.id).await?;
            earlier = Some((prev.name.clone(), results.stages.clone()));
        }
    }
    let actions = if may_results {
        round_actions(&state, &a, &r.id).await?
    } else {
        Vec::new()
    };
    let practice = if may_results {
        Some(crate::views::hr_records::practice_of_last_year(&state, &a).await?)
    } else {
        None
    };
    let computed = if may_results {
        crate::scan_results::of_round(&state, t, &r).await?
    } else {
        None
    };
    let results_after_close = may_results && computed.is_none();
    let (results, differences, comments, comments_withheld, hidden) = match computed {
        Some(res) => (
            Some(res.stages.clone()),
            scan::largest_differences(&res.stages, 5),
            res.comments.clone(),
            res.comments_withheld,
            res.hidden(),
        ),
        None => (None, Vec::new(), Vec::new(), false, (false, false)),
    };
    Ok(render(&RoundPage {
        ctx: Ctx::user(&a, "/hrm-scan", "hrm-scan"),
        invited_open: r.status == "open" && invitation.is_some_and(|(_, done)| !done),
        r,
        can_run,
        results,
        differences,
        comments,
        comments_withheld,
        hidden,
        results_after_close,
        groups: Group::ALL,
        aspects: Aspect::ALL,
        earlier,
        actions,
        earlier_actions,
        can_act: a
            .actor
            .may(Action::ManageImprovementActions(SourceKind::ScanStage)),
        practice,
    }))
}

/// Open, close or publish a round.
pub async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::RunHrmScan)?;
    let r = load(&state, &a, &id).await?;
    let t = a.tenant(&state);
    let to = form.get("to");
    let result = match to {
        "open" | "closed" => scans::set_status(t, &r.id, to).await,
        "published" => scans::publish(t, &r.id).await,
        _ => return Err(WebError::invalid("to", "required")),
    };
    match result {
        Ok(()) => {}
        Err(koers_store::StoreError::Conflict(_)) => {
            return Err(WebError::Conflict("round status"));
        }
        Err(e) => return Err(e.into()),
    }
    crate::commands::audit_change(
        &state,
        &a,
        &format!("hrm_scan.{to}"),
        &r.id,
        serde_json::json!({}),
    )
    .await?;
    Ok(Redirect::to(&format!("/hrm-scan/{}", r.id)).into_response())
}

#[derive(Template)]
#[template(path = "hrm_answer.html")]
struct AnswerPage {
    ctx: Ctx,
    r: Round,
    stages: Vec<(Stage, Vec<Item>)>,
    lang: &'static str,
    kept: Vec<(String, String)>,
    error: Option<String>,
}

impl AnswerPage {
    fn kept_is(&self, name: &str, value: &str) -> bool {
        self.kept.iter().any(|(k, v)| k == name && v == value)
    }

    fn kept_text(&self, name: &str) -> &str {
        self.kept
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

async fn answer_page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    kept: Vec<(String, String)>,
    error: Option<String>,
) -> WebResult<(AnswerPage, Instrument)> {
    let inv = koers_app::staff::scan::invitation(&a.cx(state), id)
        .await
        .map_err(|e| match e {
            // The page has one word for a round that cannot be answered (any more).
            koers_app::AppError::Conflict(_) => WebError::Conflict("response"),
            e => e.into(),
        })?;
    let stages = Stage::ALL
        .into_iter()
        .map(|s| {
            (
                s,
                inv.instrument
                    .items
                    .iter()
                    .filter(|it| it.stage == s)
                    .cloned()
                    .collect(),
            )
        })
        .collect();
    Ok((
        AnswerPage {
            ctx: Ctx::user(a, "/hrm-scan", "hrm-scan"),
            r: inv.round,
            stages,
            lang: a.tr.lang(),
            kept,
            error,
        },
        inv.instrument,
    ))
}

pub async fn answer(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    Ok(render(
        &answer_page(&state, &a, &id, Vec::new(), None).await?.0,
    ))
}

/// Store the answers (every statement answered, "don't know" allowed) anonymously.
pub async fn submit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let draft = ResponseDraft {
        answers: form
            .all_with_prefix("i-")
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        comments: form
            .all_with_prefix("c-")
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
    };
    match koers_app::staff::scan::respond(&a.cx(&state), &id, &draft).await {
        Ok(done) => {
            crate::commands::finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to(&format!("/hrm-scan/{id}?answered=1")).into_response())
        }
        Err(koers_app::AppError::Invalid(errors)) => {
            let (_, instrument) = answer_page(&state, &a, &id, Vec::new(), None).await?;
            let missing = draft.missing(&instrument);
            let msg = errors
                .iter()
                .map(|e| {
                    // The API's message, and on the page how many are still open.
                    let message = a.tr.t(&format!("error-{}", e.code));
                    match e.code {
                        "answer-missing" => format!(
                            "{message} {}",
                            a.tr.tn("hrm-missing", "count", missing as i64)
                        ),
                        _ => message,
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            let (page, _) = answer_page(&state, &a, &id, form.0, Some(msg)).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(koers_app::AppError::Conflict(_)) => Err(WebError::Conflict("response")),
        Err(e) => Err(e.into()),
    }
}
