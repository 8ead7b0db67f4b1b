//! The indicators of the LOB vision as the pages, the API and the annual report read them: who
//! reads which scope and which indicators, the board of a year (value, target, status and
//! trend per indicator), the drill-down to programmes and cohorts, and progression outcomes.
//! Everything is read from the maintained values (`koers_store::indicators`).

use crate::auth::Authenticated;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use koers_domain::policy::{Action, Scope};
use koers_domain::vision::indicator::{Audience, Indicator, Outcome, Outcomes, Period, Status};
use koers_store::indicators::{self as store, Refreshed, Stored, Target, target_for};
use koers_store::platform::programmes::{self, Programme};
use std::collections::BTreeMap;

/// What the actor reads: the institution or one programme, and which indicators.
#[derive(Debug, Clone)]
pub struct View {
    pub programme: Option<Programme>,
    pub indicators: Vec<Indicator>,
    /// Sets targets and keeps the quality cycle in this scope.
    pub manages: bool,
}

impl View {
    pub fn has(&self, i: Indicator) -> bool {
        self.indicators.contains(&i)
    }

    pub fn scope_id(&self) -> &str {
        self.programme.as_ref().map_or("", |p| p.id.as_str())
    }
}

/// The scope asked for (`programme` code, or the institution) and what the actor may read of
/// it. Without a code, a programme manager of some programmes reads their first programme.
pub async fn view(state: &AppState, a: &Authenticated, code: Option<&str>) -> WebResult<View> {
    let t = a.tenant(state);
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    let programme = match code {
        Some(c) => Some(programmes::by_code(t, c).await?.ok_or(WebError::NotFound)?),
        None => None,
    };
    let read = |p: Option<&str>, staff_only| {
        a.actor.may(Action::ReadIndicators {
            programme_id: p,
            staff_only,
        })
    };
    let pid = programme.as_ref().map(|p| p.id.as_str());
    if read(pid, false) {
        let indicators = Indicator::ALL
            .iter()
            .copied()
            .filter(|i| programme.is_none() || i.per_programme())
            .collect();
        return Ok(View {
            manages: a
                .actor
                .may(Action::ManageQualityCycle { programme_id: pid }),
            programme,
            indicators,
        });
    }
    if programme.is_none() && read(None, true) {
        return Ok(View {
            programme: None,
            indicators: Indicator::ALL
                .iter()
                .copied()
                .filter(|i| i.audience() == Audience::Staff)
                .collect(),
            manages: false,
        });
    }
    if programme.is_none()
        && let Some(Scope::Programmes(ids)) =
            a.actor.scope_of(&[koers_domain::Role::ProgrammeManager])
        && let Some(first) = ids.first()
        && let Some(p) = programmes::get(t, first).await?
    {
        return Box::pin(view(state, a, Some(&p.code))).await;
    }
    Err(WebError::Forbidden)
}

/// The programmes whose scope the actor may switch to (for the scope menu).
pub async fn scopes(state: &AppState, a: &Authenticated) -> WebResult<Vec<Programme>> {
    let all = programmes::all(a.tenant(state)).await?;
    Ok(all
        .into_iter()
        .filter(|p| {
            a.actor.may(Action::ReadIndicators {
                programme_id: Some(&p.id),
                staff_only: false,
            })
        })
        .collect())
}

/// Whether the actor reads the institution as a whole.
pub fn reads_institution(a: &Authenticated) -> bool {
    a.actor.may(Action::ReadIndicators {
        programme_id: None,
        staff_only: true,
    })
}

/// One indicator on the board.
#[derive(Debug, Clone)]
pub struct Row {
    pub indicator: Indicator,
    pub value: Option<f64>,
    pub target: Option<f64>,
    /// The target as it applies on the day the value is as of (see `Indicator::target_by`).
    pub target_now: Option<f64>,
    pub status: Option<Status>,
    /// Oldest first: (year, value, target).
    pub trend: Vec<(i16, Option<f64>, Option<f64>)>,
}

/// The board of a year.
#[derive(Debug, Clone)]
pub struct Board {
    pub year: i16,
    pub refreshed: Option<Refreshed>,
    pub rows: Vec<Row>,
}

/// How many years a trend shows.
pub const TREND_YEARS: i16 = 5;

fn value_at(values: &[(i16, Stored)], year: i16, i: Indicator, scope: &str) -> Option<f64> {
    values
        .iter()
        .find(|(y, s)| {
            *y == year
                && s.period == Period::Year
                && s.grain.indicator == i
                && s.grain.programme == scope
                && s.grain.cohort == 0
        })
        .and_then(|(_, s)| store::value_of(s))
}

pub async fn board(state: &AppState, a: &Authenticated, v: &View, year: i16) -> WebResult<Board> {
    board_with_trend(state, a, v, year, TREND_YEARS).await
}

/// The board with a trend of `trend_years` years (1: the year alone, for a summary).
pub async fn board_with_trend(
    state: &AppState,
    a: &Authenticated,
    v: &View,
    year: i16,
    trend_years: i16,
) -> WebResult<Board> {
    let t = a.tenant(state);
    let years: Vec<i16> = ((year - trend_years.max(1) + 1)..=year).collect();
    let values = store::years_values(t, &years).await?;
    let mut targets: BTreeMap<i16, Vec<Target>> = years.iter().map(|y| (*y, Vec::new())).collect();
    for (y, x) in store::targets_of(t, &years).await? {
        targets.entry(y).or_default().push(x);
    }
    let refreshed = store::refreshed(t, year).await?;
    let scope = v.scope_id();
    let rows = v
        .indicators
        .iter()
        .map(|&i| {
            let target_of = |y: i16| target_for(&targets[&y], i, scope).map(|x| x.target);
            let value = value_at(&values, year, i, scope);
            let target = target_of(year);
            let target_now = match (&refreshed, target) {
                (Some(r), Some(x)) => Some(i.target_by(x, year, r.as_of)),
                (_, x) => x,
            };
            Row {
                indicator: i,
                value,
                target,
                target_now,
                status: value.zip(target_now).map(|(v, x)| i.status(v, x)),
                trend: years
                    .iter()
                    .map(|&y| (y, value_at(&values, y, i, scope), target_of(y)))
                    .collect(),
            }
        })
        .collect();
    Ok(Board {
        year,
        refreshed,
        rows,
    })
}

/// A line of the drill-down: a programme (cohort 0) or a cohort of it.
#[derive(Debug, Clone)]
pub struct Line {
    pub programme: Programme,
    pub cohort: i64,
    pub value: Option<f64>,
    pub denominator: f64,
    pub target: Option<f64>,
    pub status: Option<Status>,
}

/// The drill-down of one indicator in a year: every programme in the view, and its cohorts.
pub async fn drill_down(
    state: &AppState,
    a: &Authenticated,
    v: &View,
    i: Indicator,
    year: i16,
) -> WebResult<Vec<Line>> {
    if !i.per_programme() {
        return Ok(Vec::new());
    }
    let t = a.tenant(state);
    let values = store::values(t, year).await?;
    let targets = store::targets(t, year).await?;
    let as_of = store::refreshed(t, year).await?.map(|r| r.as_of);
    let programmes: Vec<Programme> = match &v.programme {
        Some(p) => vec![p.clone()],
        None => scopes(state, a).await?,
    };
    let mut out = Vec::new();
    for p in programmes {
        let target = target_for(&targets, i, &p.id).map(|x| x.target);
        let target_now = match (as_of, target) {
            (Some(d), Some(x)) => Some(i.target_by(x, year, d)),
            (_, x) => x,
        };
        for s in values.iter().filter(|s| {
            s.period == Period::Year && s.grain.indicator == i && s.grain.programme == p.id
        }) {
            let value = store::value_of(s);
            out.push(Line {
                programme: p.clone(),
                cohort: s.grain.cohort,
                value,
                denominator: s.fraction.denominator,
                target,
                status: value.zip(target_now).map(|(v, x)| i.status(v, x)),
            });
        }
    }
    Ok(out)
}

/// The values of one indicator per semester in the view's scope: (period, value).
pub async fn semesters(
    state: &AppState,
    a: &Authenticated,
    v: &View,
    i: Indicator,
    year: i16,
) -> WebResult<Vec<(Period, Option<f64>)>> {
    let values = store::values(a.tenant(state), year).await?;
    Ok([Period::Semester1, Period::Semester2]
        .into_iter()
        .map(|p| {
            let value = values
                .iter()
                .find(|s| {
                    s.period == p
                        && s.grain.indicator == i
                        && s.grain.programme == v.scope_id()
                        && s.grain.cohort == 0
                })
                .and_then(store::value_of);
            (p, value)
        })
        .collect())
}

/// Progression outcomes of a programme's cohort, by whether the intake guidance was in time.
#[derive(Debug, Clone)]
pub struct ProgressionRow {
    pub programme: Programme,
    pub cohort: i64,
    pub in_time: Outcomes,
    pub late: Outcomes,
}

pub async fn progression(
    state: &AppState,
    a: &Authenticated,
    v: &View,
) -> WebResult<Vec<ProgressionRow>> {
    let t = a.tenant(state);
    let counts = store::progression(t).await?;
    let programmes: Vec<Programme> = match &v.programme {
        Some(p) => vec![p.clone()],
        None => scopes(state, a).await?,
    };
    let mut rows: BTreeMap<(String, i64), ProgressionRow> = BTreeMap::new();
    for ((pid, cohort, in_time, outcome), n) in counts {
        let Some(p) = programmes.iter().find(|p| p.id == pid) else {
            continue;
        };
        // Each cohort, and all cohorts of the programme together (cohort 0, shown first).
        for c in [cohort, 0] {
            let row = rows
                .entry((p.code.clone(), c))
                .or_insert_with(|| ProgressionRow {
                    programme: p.clone(),
                    cohort: c,
                    in_time: Outcomes::default(),
                    late: Outcomes::default(),
                });
            let group = if in_time {
                &mut row.in_time
            } else {
                &mut row.late
            };
            group.add(outcome, n.max(0) as u64);
        }
    }
    Ok(rows.into_values().collect())
}

/// The outcomes in the order they are shown.
pub const OUTCOMES: [Outcome; 4] = [
    Outcome::Enrolled,
    Outcome::Graduated,
    Outcome::Switched,
    Outcome::DroppedOut,
];

/// An indicator's trend over the years as a chart (SVG), in the reader's language.
pub fn trend_chart(tr: &crate::i18n::Tr, row: &Row) -> String {
    let i = row.indicator;
    let nl = tr.lang() == "nl";
    let format = |v: f64| i.format(v, nl);
    let title = tr.tk("indicator", i.key());
    crate::charts::Trend {
        title: &title,
        points: row
            .trend
            .iter()
            .map(|(y, v, t)| (year_label(*y), *v, *t))
            .collect(),
        format: &format,
        legend: (&tr.t("indicator-value"), &tr.t("indicator-target")),
    }
    .svg()
}

/// The programmes a view covers: its programme, or (for the institution, when it has
/// programme indicators) every programme the reader may read.
pub async fn programmes_in(
    state: &AppState,
    a: &Authenticated,
    v: &View,
) -> WebResult<Vec<Programme>> {
    Ok(match &v.programme {
        Some(p) => vec![p.clone()],
        None if v.indicators.iter().any(|i| i.per_programme()) => scopes(state, a).await?,
        None => Vec::new(),
    })
}

/// The academic year asked for (`year=YYYY`), or the running one; an unreadable year is a
/// clear 400 (the API) or the running year (pages, via `year_or_current`).
pub fn parse_year(raw: Option<&str>) -> WebResult<i16> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(current_year()),
        Some(s) => s
            .parse::<i16>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| WebError::invalid("year", "year-invalid")),
    }
}

pub fn current_year() -> i16 {
    koers_domain::vision::academic_year(koers_domain::time::today())
}

/// A mean with one decimal, with a decimal comma in Dutch ("2,5").
pub fn one_decimal(v: f64, nl: bool) -> String {
    let s = format!("{v:.1}");
    if nl { s.replace('.', ",") } else { s }
}

/// "2026–2027".
pub fn year_label(year: impl std::borrow::Borrow<i16>) -> String {
    let year = *year.borrow();
    format!("{year}–{}", year + 1)
}
