//! Coverage of guidance for programme managers: per cohort and phase, students expected,
//! done, due and overdue, as a chart and a table; the students who are missed; a CSV export
//! that opens in Dutch Excel.

use super::csv::Csv;
use super::{Ctx, render};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use koers_domain::Role;
use koers_domain::policy::{Action, Scope};
use koers_store::guidance::coverage::{self, Coverage, PhaseCoverage};
use koers_store::platform::programmes::{self, Programme};

#[derive(serde::Deserialize, Default)]
pub struct CoverageQuery {
    #[serde(default)]
    programme: String,
    #[serde(default)]
    cohort: String,
}

#[derive(Template)]
#[template(path = "coverage.html")]
struct CoveragePage {
    ctx: Ctx,
    programmes: Vec<Programme>,
    programme: Programme,
    cohort_text: String,
    cov: Coverage,
    missed_total: usize,
    /// Students with open "extra support" flags, per category: counted apart.
    support: Vec<(String, i64)>,
}

impl CoveragePage {
    /// Width in the chart (0–400) of `n` out of `expected`.
    fn bar(&self, n: &u64, pc: &PhaseCoverage) -> u64 {
        (n * 400).checked_div(pc.expected).unwrap_or(0)
    }
    fn pct(&self, n: &u64, pc: &PhaseCoverage) -> u64 {
        (n * 100 + pc.expected / 2)
            .checked_div(pc.expected)
            .unwrap_or(0)
    }
}

/// The programmes whose coverage the actor may see.
async fn visible(state: &AppState, a: &Authenticated) -> WebResult<Vec<Programme>> {
    let all = programmes::all(a.tenant(state)).await?;
    Ok(match a.actor.scope_of(&[Role::ProgrammeManager]) {
        None => Vec::new(),
        Some(Scope::Institution) => all,
        Some(Scope::Programmes(ids)) => all.into_iter().filter(|p| ids.contains(&p.id)).collect(),
    })
}

/// How many missed students the page names (the CSV names all).
const PAGE_NAMES: usize = 200;

async fn load(
    state: &AppState,
    a: &Authenticated,
    q: &CoverageQuery,
    names_for: usize,
    missed_limit: Option<usize>,
) -> WebResult<(Vec<Programme>, Programme, Option<i64>, Coverage)> {
    let list = visible(state, a).await?;
    let programme = if q.programme.is_empty() {
        list.first().cloned().ok_or(WebError::Forbidden)?
    } else {
        programmes::by_code(a.tenant(state), &q.programme.trim().to_uppercase())
            .await?
            .ok_or(WebError::NotFound)?
    };
    a.require(Action::ViewCoverage {
        programme_id: &programme.id,
    })?;
    let cohort = match q.cohort.trim() {
        "" => None,
        y => Some(i64::from(
            koers_domain::CohortYear::parse(y)
                .map_err(|_| WebError::invalid("cohort", "year-invalid"))?
                .get(),
        )),
    };
    let cov = coverage::of_programme(
        a.tenant(state),
        &programme.id,
        cohort,
        koers_domain::time::today(),
        names_for,
        missed_limit,
    )
    .await?;
    Ok((list, programme, cohort, cov))
}

pub async fn page(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<CoverageQuery>,
) -> WebResult<Response> {
    let (programmes, programme, cohort, cov) =
        load(&state, &a, &q, PAGE_NAMES, Some(PAGE_NAMES)).await?;
    let missed_total = cov.missed_total as usize;
    let support =
        koers_store::guidance::support::counts(a.tenant(&state), &programme.id, cohort).await?;
    Ok(render(&CoveragePage {
        ctx: Ctx::user(&a, "/coverage", "coverage"),
        programmes,
        cohort_text: cohort.map(|c| c.to_string()).unwrap_or_default(),
        programme,
        cov,
        missed_total,
        support,
    }))
}

/// A CSV cell for Dutch Excel: quoted when it holds the separator, quotes or line breaks;
/// a leading `=`, `+`, `-` or `@` is neutralised so a name never runs as a formula.
/// The coverage per cohort and phase, and the missed students, as CSV (`;`, UTF-8 with BOM).
pub async fn csv(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<CoverageQuery>,
) -> WebResult<Response> {
    let (_, programme, _, cov) = load(&state, &a, &q, usize::MAX, None).await?;
    let tr = a.tr;
    let mut out = Csv::new();
    out.row([
        tr.t("field-cohort"),
        tr.t("students-phase"),
        tr.t("coverage-students"),
        tr.t("coverage-expected"),
        tr.t("status-done"),
        tr.t("status-due"),
        tr.t("status-overdue"),
    ]);
    for c in &cov.cohorts {
        for pc in &c.phases {
            out.row([
                c.cohort_year.to_string(),
                tr.tk("phase", pc.phase.key()),
                c.students.to_string(),
                pc.expected.to_string(),
                pc.done.to_string(),
                pc.due.to_string(),
                pc.overdue.to_string(),
            ]);
        }
    }
    out.blank();
    out.row([
        tr.t("field-student-number"),
        tr.t("field-name"),
        tr.t("field-cohort"),
        tr.t("field-counsellor"),
        tr.t("coverage-missed-phases"),
    ]);
    for m in &cov.missed {
        let phases: Vec<String> = m.phases.iter().map(|p| tr.tk("phase", p.key())).collect();
        out.row([
            m.student_number.clone(),
            m.name.clone(),
            m.cohort_year.to_string(),
            m.counsellor_name.clone().unwrap_or_default(),
            phases.join(", "),
        ]);
    }
    Ok(out.response(&format!("dekking-{}.csv", programme.code)))
}
