//! Indicators of the LOB vision in the browser: the board of a year per theme, one indicator's
//! trend and drill-down to programmes and cohorts with its actions, refreshing the values, and
//! progression outcomes by whether intake guidance was in time.

use super::{Ctx, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::indicators::{self, Board, Line, ProgressionRow, View, year_label};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::improvement::{Source, SourceKind};
use koers_domain::vision::Theme;
use koers_domain::vision::indicator::{Indicator, Outcome, Outcomes, Period, Status};
use koers_store::improvement::{self, Action as ImprovementAction, Filter};
use koers_store::platform::programmes::Programme;

#[derive(Debug, Default, serde::Deserialize)]
pub struct ScopeQuery {
    pub year: Option<String>,
    pub programme: Option<String>,
    pub ok: Option<String>,
}

impl ScopeQuery {
    /// The year asked for; an unreadable one falls back to the running year.
    pub fn year(&self) -> i16 {
        indicators::parse_year(self.year.as_deref()).unwrap_or_else(|_| indicators::current_year())
    }
}

/// The query string that keeps year and scope: `year=2026&programme=LO-ECO`.
pub fn scope_query(year: i16, v: &View) -> String {
    match &v.programme {
        Some(p) => format!("year={year}&programme={}", p.code),
        None => format!("year={year}"),
    }
}

/// How a value reads in the reader's language ("–" without one).
pub fn fmt(a_nl: bool, i: Indicator, v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| i.format(v, a_nl))
}

/// Years offered in the year menu: five back from the running year.
fn year_options() -> Vec<(i16, String)> {
    let now = indicators::current_year();
    ((now - 4)..=now)
        .rev()
        .map(|y| (y, year_label(y)))
        .collect()
}

/// The menu of scopes: the institution (when the reader may read it) and their programmes.
pub struct ScopeMenu {
    pub institution: bool,
    pub programmes: Vec<Programme>,
    pub years: Vec<(i16, String)>,
}

pub async fn scope_menu(state: &AppState, a: &Authenticated) -> WebResult<ScopeMenu> {
    Ok(ScopeMenu {
        institution: indicators::reads_institution(a),
        programmes: indicators::scopes(state, a).await?,
        years: year_options(),
    })
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct BoardPage {
    ctx: Ctx,
    view: View,
    board: Board,
    menu: ScopeMenu,
    themes: Vec<(Theme, String)>,
    q: String,
    nl: bool,
}

impl BoardPage {
    fn rows_of(&self, t: &Theme) -> Vec<&indicators::Row> {
        self.board
            .rows
            .iter()
            .filter(|r| r.indicator.theme() == *t)
            .collect()
    }
    fn value(&self, r: &indicators::Row) -> String {
        fmt(self.nl, r.indicator, r.value)
    }
    fn target(&self, r: &indicators::Row) -> String {
        fmt(self.nl, r.indicator, r.target)
    }
    fn previous(&self, r: &indicators::Row) -> String {
        let prev = r.trend.iter().rev().nth(1).and_then(|(_, v, _)| *v);
        fmt(self.nl, r.indicator, prev)
    }
    fn count(&self, s: &Status) -> usize {
        self.board
            .rows
            .iter()
            .filter(|r| r.status == Some(*s))
            .count()
    }
    fn without_target(&self) -> usize {
        self.board
            .rows
            .iter()
            .filter(|r| r.target.is_none())
            .count()
    }
    fn selected_programme(&self, p: &Programme) -> bool {
        self.view.programme.as_ref().is_some_and(|x| x.id == p.id)
    }
}

/// The ambition of each theme in the adopted vision (of the programme, else the
/// institution), as plain text.
async fn ambitions(
    state: &AppState,
    a: &Authenticated,
    v: &View,
) -> WebResult<Vec<(Theme, String)>> {
    let t = a.tenant(state);
    let mut doc = None;
    if let Some(p) = &v.programme {
        doc = koers_store::vision::adopted(t, Some(&p.id)).await?;
    }
    if doc.is_none() {
        doc = koers_store::vision::adopted(t, None).await?;
    }
    Ok(Theme::ALL
        .iter()
        .filter(|th| v.indicators.iter().any(|i| i.theme() == **th))
        .map(|th| {
            let text = doc
                .as_ref()
                .and_then(|d| d.document.ambitions.get(th.key()).cloned())
                .unwrap_or_default();
            (*th, text)
        })
        .collect())
}

pub async fn board(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<ScopeQuery>,
) -> WebResult<Response> {
    let view = indicators::view(&state, &a, q.programme.as_deref()).await?;
    let year = q.year();
    let board = indicators::board(&state, &a, &view, year).await?;
    Ok(render_status(
        StatusCode::OK,
        &BoardPage {
            ctx: Ctx::user(&a, "/indicators", "indicators").with_flash(q.ok.as_deref()),
            themes: ambitions(&state, &a, &view).await?,
            menu: scope_menu(&state, &a).await?,
            q: scope_query(year, &view),
            nl: a.tr.lang() == "nl",
            view,
            board,
        },
    ))
}

/// Recompute the values of a year now (they are otherwise refreshed every ten minutes).
pub async fn refresh(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let view = indicators::view(&state, &a, Some(form.get("programme"))).await?;
    if !view.manages {
        return Err(WebError::Forbidden);
    }
    let year = indicators::parse_year(Some(form.get("year")))?;
    koers_store::indicators::refresh(a.tenant(&state), year, koers_domain::time::today()).await?;
    Ok(Redirect::to(&format!(
        "/indicators?{}&ok=refreshed",
        scope_query(year, &view)
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct DetailPage {
    ctx: Ctx,
    view: View,
    row: indicators::Row,
    chart: String,
    lines: Vec<Line>,
    semesters: Vec<(Period, Option<f64>)>,
    actions: Vec<ImprovementAction>,
    q: String,
    year: i16,
    nl: bool,
}

impl DetailPage {
    fn f(&self, v: &Option<f64>) -> String {
        fmt(self.nl, self.row.indicator, *v)
    }
    fn key(&self) -> &'static str {
        self.row.indicator.key()
    }
    fn year_label(&self, y: &i16) -> String {
        year_label(*y)
    }
}

/// The actions on an indicator (or every indicator, `None`) in a year and scope.
pub async fn indicator_actions(
    state: &AppState,
    a: &Authenticated,
    year: i16,
    scope: &str,
    i: Option<Indicator>,
) -> WebResult<Vec<ImprovementAction>> {
    let prefix = format!("{year}:");
    let all = improvement::list(
        a.tenant(state),
        &Filter {
            kind: Some(SourceKind::Indicator),
            reference_prefix: Some(&prefix),
            owner_id: None,
            open_only: false,
            due_before: None,
        },
    )
    .await?;
    Ok(all
        .into_iter()
        .filter(|x| match &x.source {
            Source::Indicator { key } => koers_domain::vision::indicator::parse_action_reference(
                key,
            )
            .is_some_and(|(y, s, ind)| y == year && s == scope && i.is_none_or(|i| i == ind)),
            _ => false,
        })
        .collect())
}

pub async fn detail(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(key): Path<String>,
    Query(q): Query<ScopeQuery>,
) -> WebResult<Response> {
    let i = Indicator::parse(&key).ok_or(WebError::NotFound)?;
    let view = indicators::view(&state, &a, q.programme.as_deref()).await?;
    if !view.indicators.contains(&i) {
        // A staff-only reader asking for a student indicator, or a programme scope asking for
        // an institution-wide one.
        return Err(WebError::Forbidden);
    }
    let year = q.year();
    let mut board = indicators::board(
        &state,
        &a,
        &View {
            indicators: vec![i],
            ..view.clone()
        },
        year,
    )
    .await?;
    let row = board.rows.remove(0);
    let nl = a.tr.lang() == "nl";
    let chart = indicators::trend_chart(&a.tr, &row);
    Ok(render_status(
        StatusCode::OK,
        &DetailPage {
            ctx: Ctx::user(&a, "/indicators", "indicators").with_flash(q.ok.as_deref()),
            lines: indicators::drill_down(&state, &a, &view, i, year).await?,
            semesters: if i == Indicator::ConversationsPerStudent {
                indicators::semesters(&state, &a, &view, i, year).await?
            } else {
                Vec::new()
            },
            actions: indicator_actions(&state, &a, year, view.scope_id(), Some(i)).await?,
            q: scope_query(year, &view),
            view,
            row,
            chart,
            year,
            nl,
        },
    ))
}

#[derive(Template)]
#[template(path = "progression.html")]
struct ProgressionPage {
    ctx: Ctx,
    view: View,
    rows: Vec<ProgressionRow>,
    menu: ScopeMenu,
    outcomes: [Outcome; 4],
    year: i16,
}

impl ProgressionPage {
    fn groups(&self, r: &ProgressionRow) -> Vec<(&'static str, Outcomes)> {
        vec![("in_time", r.in_time), ("late", r.late)]
    }
    fn pct(&self, o: &Outcomes, k: &Outcome) -> String {
        o.percent(*k)
            .map_or_else(|| "–".into(), |p| format!("{p}%"))
    }
    fn selected_programme(&self, p: &Programme) -> bool {
        self.view.programme.as_ref().is_some_and(|x| x.id == p.id)
    }
}

pub async fn progression(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(s): Query<ScopeQuery>,
) -> WebResult<Response> {
    let view = indicators::view(&state, &a, s.programme.as_deref()).await?;
    if !view.indicators.contains(&Indicator::IntakeInTime) {
        return Err(WebError::Forbidden);
    }
    Ok(render_status(
        StatusCode::OK,
        &ProgressionPage {
            ctx: Ctx::user(&a, "/progression", "indicators"),
            rows: indicators::progression(&state, &a, &view).await?,
            menu: scope_menu(&state, &a).await?,
            outcomes: indicators::OUTCOMES,
            year: indicators::current_year(),
            view,
        },
    ))
}
