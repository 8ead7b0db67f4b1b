//! The quality cycle of a year (plan–do–check–act) and the programme teams' LOB self-scans.
//! Plan: targets per indicator; do and act: improvement actions on indicators and on
//! self-scan aspects (the one action model); check: the values against the targets.

use super::indicators::{ScopeMenu, ScopeQuery, fmt, indicator_actions, scope_menu, scope_query};
use super::{Ctx, FieldMsg, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::charts::Bars;
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::indicators::{self, Board, View};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::AppError;
use koers_domain::improvement::ActionDraft;
use koers_domain::improvement::{ActionStatus, Source, SourceKind};
use koers_domain::vision::indicator::{Indicator, Status, Unit, action_reference};
use koers_domain::vision::selfscan::{self, Answer, Aspect, ScanStatus};
use koers_store::improvement::{self, Action as ImprovementAction, Filter};
use koers_store::indicators::Target;
use koers_store::platform::programmes::Programme;
use koers_store::selfscans::{self, SelfScan};
use std::collections::BTreeMap;

/// A target as typed: percentages for shares (80 for 80%), else the number itself.
pub fn parse_target(i: Indicator, raw: &str) -> Result<Option<f64>, &'static str> {
    let raw = raw.trim().replace(',', ".");
    let raw = raw.trim_end_matches('%').trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let v: f64 = raw.parse().map_err(|_| "target-invalid")?;
    let v = if i.unit() == Unit::Share {
        v / 100.0
    } else {
        v
    };
    if i.valid_target(v) {
        Ok(Some(v))
    } else {
        Err("target-out-of-range")
    }
}

/// A target as it is typed back into the form.
pub fn target_input(i: Indicator, v: f64) -> String {
    let v = if i.unit() == Unit::Share {
        v * 100.0
    } else {
        v
    };
    let s = format!("{:.2}", v);
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[derive(Template)]
#[template(path = "quality.html")]
struct QualityPage {
    ctx: Ctx,
    view: View,
    board: Board,
    menu: ScopeMenu,
    q: String,
    year: i16,
    nl: bool,
    targets: Vec<Target>,
    /// What was typed, when the form came back with errors.
    typed: BTreeMap<String, String>,
    errors: Vec<FieldMsg>,
    actions: Vec<ImprovementAction>,
    scans: Vec<(Programme, Option<SelfScan>)>,
    scan_actions: Vec<ImprovementAction>,
    today: jiff::civil::Date,
    /// The add-action form as typed, and its problems, when it came back.
    action_form: BTreeMap<String, String>,
    action_errors: Vec<FieldMsg>,
}

impl QualityPage {
    fn typed_action(&self, field: &str) -> &str {
        self.action_form.get(field).map_or("", String::as_str)
    }
    fn action_error(&self, field: &str) -> Option<&str> {
        super::field_error(&self.action_errors, field)
    }
    fn input(&self, i: &Indicator) -> String {
        if let Some(v) = self.typed.get(i.key()) {
            return v.clone();
        }
        self.targets
            .iter()
            .find(|t| t.indicator == *i && t.scope == self.view.scope_id())
            .map(|t| target_input(*i, t.target))
            .unwrap_or_default()
    }
    fn inherited(&self, i: &Indicator) -> String {
        if self.view.programme.is_none() {
            return String::new();
        }
        self.targets
            .iter()
            .find(|t| t.indicator == *i && t.scope.is_empty())
            .map(|t| fmt(self.nl, *i, Some(t.target)))
            .unwrap_or_default()
    }
    fn unit_hint(&self, i: &Indicator) -> &'static str {
        match i.unit() {
            Unit::Share => "quality-unit-share",
            Unit::PerStudent => "quality-unit-per-student",
            Unit::Count => "quality-unit-count",
            Unit::PerProgramme => "quality-unit-per-programme",
            Unit::Score => "quality-unit-score",
        }
    }
    fn value(&self, r: &indicators::Row) -> String {
        fmt(self.nl, r.indicator, r.value)
    }
    fn error_of(&self, i: &Indicator) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == i.key())
            .map(|e| e.message.as_str())
    }
    fn count(&self, s: &Status) -> usize {
        self.board
            .rows
            .iter()
            .filter(|r| r.status == Some(*s))
            .count()
    }
    fn action_indicator(&self, x: &ImprovementAction) -> String {
        match &x.source {
            Source::Indicator { key } => {
                koers_domain::vision::indicator::parse_action_reference(key)
                    .map(|(_, _, i)| self.ctx.tr.tk("indicator", i.key()))
                    .unwrap_or_default()
            }
            Source::SelfScanAspect { key } => selfscan::parse_action_reference(key)
                .map(|(_, a)| self.ctx.tr.tk("selfscan-aspect", a.key()))
                .unwrap_or_default(),
            Source::ScanStage { .. } => String::new(),
        }
    }
    fn overdue(&self, x: &ImprovementAction) -> bool {
        koers_domain::improvement::is_overdue(
            x.status,
            x.due_on.as_deref().and_then(koers_domain::time::parse_date),
            self.today,
        )
    }
    fn done(&self) -> usize {
        self.actions
            .iter()
            .chain(&self.scan_actions)
            .filter(|x| x.status == ActionStatus::Done)
            .count()
    }
    fn open(&self) -> usize {
        self.actions
            .iter()
            .chain(&self.scan_actions)
            .filter(|x| x.status.is_open())
            .count()
    }
    fn mean(&self, s: &SelfScan, a: &Aspect) -> String {
        aspect_mean(s, *a, self.nl)
    }
    fn selected_programme(&self, p: &Programme) -> bool {
        self.view.programme.as_ref().is_some_and(|x| x.id == p.id)
    }
}

/// A self-scan's mean score on an aspect, as read ("2,5"), or "–" when nothing was scored.
pub fn aspect_mean(s: &SelfScan, a: Aspect, nl: bool) -> String {
    selfscan::aspect_means(&s.answers)
        .get(&a)
        .map_or_else(|| "–".to_owned(), |m| indicators::one_decimal(*m, nl))
}

/// The self-scans of the programmes in view for a year.
async fn scans_of(
    state: &AppState,
    a: &Authenticated,
    v: &View,
    year: i16,
) -> WebResult<Vec<(Programme, Option<SelfScan>)>> {
    let programmes = indicators::programmes_in(state, a, v).await?;
    let mut scans = selfscans::of_year(a.tenant(state), year).await?;
    Ok(programmes
        .into_iter()
        .map(|p| {
            let s = scans
                .iter()
                .position(|s| s.programme_id == p.id)
                .map(|k| scans.remove(k));
            (p, s)
        })
        .collect())
}

/// The actions on the aspects of these self-scans.
pub async fn scan_actions(
    state: &AppState,
    a: &Authenticated,
    scans: &[&SelfScan],
) -> WebResult<Vec<ImprovementAction>> {
    let mut out = Vec::new();
    for s in scans {
        let prefix = format!("{}:", s.id);
        out.extend(
            improvement::list(
                a.tenant(state),
                &Filter {
                    kind: Some(SourceKind::SelfScanAspect),
                    reference_prefix: Some(&prefix),
                    owner_id: None,
                    open_only: false,
                    due_before: None,
                },
            )
            .await?,
        );
    }
    Ok(out)
}

async fn quality_page(
    state: &AppState,
    a: &Authenticated,
    q: &ScopeQuery,
    typed: BTreeMap<String, String>,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    quality_page_with(state, a, q, typed, errors, BTreeMap::new(), Vec::new()).await
}

async fn quality_page_with(
    state: &AppState,
    a: &Authenticated,
    q: &ScopeQuery,
    typed: BTreeMap<String, String>,
    errors: Vec<FieldMsg>,
    action_form: BTreeMap<String, String>,
    action_errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    let view = indicators::view(state, a, q.programme.as_deref()).await?;
    let year = q.year();
    let board = indicators::board(state, a, &view, year).await?;
    let scans = scans_of(state, a, &view, year).await?;
    let scan_refs: Vec<&SelfScan> = scans.iter().filter_map(|(_, s)| s.as_ref()).collect();
    let scan_actions = scan_actions(state, a, &scan_refs).await?;
    let status = super::form_status(errors.is_empty() && action_errors.is_empty());
    Ok(render_status(
        status,
        &QualityPage {
            ctx: Ctx::user(a, "/quality", "indicators").with_flash(q.ok.as_deref()),
            targets: koers_store::indicators::targets(a.tenant(state), year).await?,
            actions: indicator_actions(state, a, year, view.scope_id(), None).await?,
            menu: scope_menu(state, a).await?,
            q: scope_query(year, &view),
            nl: a.tr.lang() == "nl",
            today: koers_domain::time::today(),
            view,
            board,
            year,
            typed,
            errors,
            scans,
            scan_actions,
            action_form,
            action_errors,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<ScopeQuery>,
) -> WebResult<Response> {
    quality_page(&state, &a, &q, BTreeMap::new(), Vec::new()).await
}

/// Set the targets of a year in a scope (empty: no target of this scope); all or nothing.
pub async fn save_targets(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let view = indicators::view(&state, &a, Some(form.get("programme"))).await?;
    if !view.manages {
        return Err(WebError::Forbidden);
    }
    let year = indicators::parse_year(Some(form.get("year")))?;
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    let mut typed = BTreeMap::new();
    for i in &view.indicators {
        let raw = form.get(&format!("target.{}", i.key()));
        typed.insert(i.key().to_owned(), raw.to_owned());
        match parse_target(*i, raw) {
            Ok(v) => parsed.push((*i, v)),
            Err(code) => errors.push(FieldMsg {
                field: i.key(),
                message: a.tr.t(code),
            }),
        }
    }
    let q = ScopeQuery {
        year: Some(year.to_string()),
        programme: view.programme.as_ref().map(|p| p.code.clone()),
        ok: None,
    };
    if !errors.is_empty() {
        return quality_page(&state, &a, &q, typed, errors).await;
    }
    let t = a.tenant(&state);
    let existing = koers_store::indicators::targets(t, year).await?;
    for (i, v) in &parsed {
        let before = existing
            .iter()
            .find(|x| x.indicator == *i && x.scope == view.scope_id())
            .map(|x| x.target);
        if before != *v {
            koers_store::indicators::set_target(
                t,
                year,
                *i,
                view.scope_id(),
                v.map(|v| (v, "")),
                &a.user.id,
            )
            .await?;
        }
    }
    crate::commands::audit_change(
        &state,
        &a,
        "indicator_targets.save",
        view.scope_id(),
        serde_json::json!({"year": year}),
    )
    .await?;
    Ok(Redirect::to(&format!("/quality?{}&ok=saved", scope_query(year, &view))).into_response())
}

/// Add an action to the quality cycle: on an indicator of a year and scope, or on an aspect of
/// a self-scan.
pub async fn add_action(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let view = indicators::view(&state, &a, Some(form.get("programme"))).await?;
    if !view.manages {
        return Err(WebError::Forbidden);
    }
    let year = indicators::parse_year(Some(form.get("year")))?;
    let (source, back) = if let Some(aspect) = Aspect::parse(form.get("aspect")) {
        let p = view.programme.as_ref().ok_or(WebError::NotFound)?;
        let scan = selfscans::get(a.tenant(&state), &p.id, year)
            .await?
            .ok_or(WebError::NotFound)?;
        (
            Source::SelfScanAspect {
                key: selfscan::action_reference(&scan.id, aspect),
            },
            format!("/self-scans/{}?year={year}&ok=created", p.code),
        )
    } else {
        let i = Indicator::parse(form.get("indicator"))
            .filter(|i| view.indicators.contains(i))
            .ok_or_else(|| WebError::invalid("indicator", "indicator-unknown"))?;
        let back = if form.get("back") == "indicator" {
            format!(
                "/indicators/{}?{}&ok=created",
                i.key(),
                scope_query(year, &view)
            )
        } else {
            format!("/quality?{}&ok=created", scope_query(year, &view))
        };
        (
            Source::Indicator {
                key: action_reference(year, view.scope_id(), i),
            },
            back,
        )
    };
    let draft = ActionDraft {
        title: form.get("title").to_owned(),
        items: Vec::new(),
        owner_email: form.get("owner_email").to_owned(),
        due_on: form.get("due_on").to_owned(),
        status: ActionStatus::Planned.key().into(),
        notes: String::new(),
    };
    let done = match koers_app::vision::improvement::create(&a.cx(&state), &source, &draft).await {
        Ok(done) => done,
        Err(AppError::Invalid(errors)) => {
            // Back on the quality cycle's page, with what was typed and what is wrong.
            let typed = ["indicator", "title", "owner_email", "due_on"]
                .into_iter()
                .map(|f| (f.to_owned(), form.get(f).to_owned()))
                .collect();
            let q = ScopeQuery {
                year: Some(year.to_string()),
                programme: view.programme.as_ref().map(|p| p.code.clone()),
                ok: None,
            };
            let msgs = super::field_msgs(&a.tr, &errors);
            return quality_page_with(&state, &a, &q, BTreeMap::new(), Vec::new(), typed, msgs)
                .await;
        }
        Err(e) => return Err(e.into()),
    };
    crate::commands::finish(&state, &a, &headers, done).await?;
    Ok(Redirect::to(&back).into_response())
}

#[derive(Template)]
#[template(path = "selfscan.html")]
struct SelfScanPage {
    ctx: Ctx,
    programme: Programme,
    year: i16,
    scan: Option<SelfScan>,
    answers: BTreeMap<String, Answer>,
    participants: String,
    manages: bool,
    errors: Vec<FieldMsg>,
    chart: String,
    actions: Vec<ImprovementAction>,
    previous: Option<SelfScan>,
    nl: bool,
}

impl SelfScanPage {
    fn aspects(&self) -> &'static [Aspect] {
        Aspect::ALL
    }
    fn statements(&self, a: &Aspect) -> Vec<&'static str> {
        selfscan::statements(*a).collect()
    }
    fn text(&self, k: &str) -> String {
        self.ctx.tr.t(&selfscan::message_key(k))
    }
    fn anchor(&self, field: &str) -> String {
        if selfscan::aspect_of(field).is_some() {
            format!("#q-{}-1", self.id(field))
        } else {
            format!("#{field}")
        }
    }
    fn label(&self, field: &str) -> String {
        if selfscan::aspect_of(field).is_some() {
            self.text(field)
        } else {
            self.ctx.tr.t("selfscan-participants")
        }
    }
    fn id(&self, k: &str) -> String {
        k.replace('.', "-")
    }
    fn checked(&self, k: &str, score: &u8) -> bool {
        self.answers.get(k).is_some_and(|a| a.score == *score)
    }
    fn note(&self, k: &str) -> &str {
        self.answers.get(k).map_or("", |a| a.note.as_str())
    }
    fn final_(&self) -> bool {
        self.scan
            .as_ref()
            .is_some_and(|s| s.status == ScanStatus::Final)
    }
    fn error_of(&self, k: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == k)
            .map(|e| e.message.as_str())
    }
    fn mean_of(&self, s: &SelfScan, a: &Aspect) -> String {
        aspect_mean(s, *a, self.nl)
    }
    fn actions_of(&self, a: &Aspect) -> Vec<&ImprovementAction> {
        self.actions
            .iter()
            .filter(|x| match &x.source {
                Source::SelfScanAspect { key } => {
                    selfscan::parse_action_reference(key).is_some_and(|(_, asp)| asp == *a)
                }
                _ => false,
            })
            .collect()
    }
    fn scores(&self) -> [u8; 4] {
        [1, 2, 3, 4]
    }
}

async fn selfscan_page(
    state: &AppState,
    a: &Authenticated,
    code: &str,
    year: i16,
    typed: Option<(BTreeMap<String, Answer>, String)>,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    let view = indicators::view(state, a, Some(code)).await?;
    let programme = view.programme.clone().ok_or(WebError::NotFound)?;
    let t = a.tenant(state);
    let scan = selfscans::get(t, &programme.id, year).await?;
    let previous = selfscans::get(t, &programme.id, year - 1).await?;
    let (answers, participants) = match typed {
        Some(x) => x,
        None => scan
            .as_ref()
            .map(|s| (s.answers.clone(), s.participants.clone()))
            .unwrap_or_default(),
    };
    let nl = a.tr.lang() == "nl";
    let means = selfscan::aspect_means(&answers);
    let format = |v: f64| indicators::one_decimal(v, nl);
    let chart = if means.is_empty() {
        String::new()
    } else {
        Bars {
            title: &a.tr.t("selfscan-chart"),
            rows: means
                .iter()
                .map(|(k, m)| (a.tr.tk("selfscan-aspect", k.key()), *m))
                .collect(),
            max: f64::from(selfscan::MAX_SCORE),
            format: &format,
        }
        .svg()
    };
    let actions = match &scan {
        Some(s) => scan_actions(state, a, &[s]).await?,
        None => Vec::new(),
    };
    Ok(render_status(
        super::form_status(errors.is_empty()),
        &SelfScanPage {
            ctx: Ctx::user(a, "/quality", "indicators"),
            manages: view.manages,
            programme,
            year,
            scan,
            answers,
            participants,
            errors,
            chart,
            actions,
            previous,
            nl,
        },
    ))
}

pub async fn selfscan_show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(code): Path<String>,
    Query(q): Query<ScopeQuery>,
) -> WebResult<Response> {
    selfscan_page(&state, &a, &code, q.year(), None, Vec::new()).await
}

pub async fn selfscan_save(
    State(state): State<AppState>,
    Path(code): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let view = indicators::view(&state, &a, Some(&code)).await?;
    let programme = view.programme.clone().ok_or(WebError::NotFound)?;
    if !view.manages {
        return Err(WebError::Forbidden);
    }
    let year = indicators::parse_year(Some(form.get("year")))?;
    let t = a.tenant(&state);
    if form.get("action") == "reopen" {
        let scan = selfscans::get(t, &programme.id, year)
            .await?
            .ok_or(WebError::NotFound)?;
        selfscans::reopen(t, &scan.id).await?;
        return Ok(Redirect::to(&format!(
            "/self-scans/{}?year={year}&ok=saved",
            programme.code
        ))
        .into_response());
    }
    if selfscans::get(t, &programme.id, year)
        .await?
        .is_some_and(|s| s.status == ScanStatus::Final)
    {
        let errors = vec![FieldMsg {
            field: "participants",
            message: a.tr.t("error-self-scan-final"),
        }];
        return selfscan_page(&state, &a, &code, year, None, errors).await;
    }
    let finished = form.get("action") == "final";
    let mut answers = BTreeMap::new();
    let mut errors = Vec::new();
    for (_, k) in selfscan::STATEMENTS {
        let raw = form.get(&format!("score.{k}")).trim();
        let note = form.get(&format!("note.{k}")).trim().to_owned();
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<u8>() {
            Ok(score) => {
                answers.insert((*k).to_owned(), Answer { score, note });
            }
            Err(_) => errors.push(FieldMsg {
                field: k,
                message: a.tr.t("selfscan-out-of-range"),
            }),
        }
    }
    for (k, code) in selfscan::check(&answers, finished) {
        if let Some((_, key)) = selfscan::STATEMENTS.iter().find(|(_, s)| *s == k) {
            errors.push(FieldMsg {
                field: key,
                message: a.tr.t(&format!("selfscan-{code}")),
            });
        }
    }
    let participants = form.get("participants").trim().to_owned();
    if !errors.is_empty() {
        return selfscan_page(
            &state,
            &a,
            &code,
            year,
            Some((answers, participants)),
            errors,
        )
        .await;
    }
    let status = if finished {
        ScanStatus::Final
    } else {
        ScanStatus::Draft
    };
    match selfscans::save(
        t,
        &programme.id,
        year,
        &answers,
        &participants,
        status,
        &a.user.id,
    )
    .await
    {
        Ok(id) => {
            crate::commands::audit_change(
                &state,
                &a,
                "self_scan.save",
                &id,
                serde_json::json!({"status": status.key(), "year": year}),
            )
            .await?;
            Ok(Redirect::to(&format!(
                "/self-scans/{}?year={year}&ok=saved",
                programme.code
            ))
            .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
