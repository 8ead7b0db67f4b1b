//! The learning line of a programme: competences × study years with I/R/M per cell as an
//! accessible heat map (SVG plus table), the gaps, the activities, and a CSV export.

use super::{Ctx, render};
use crate::auth::WebUser;
use crate::curriculum::{self as access, LineView};
use crate::error::WebResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::curriculum::learning_line::{Depth, Gap, YEARS};
use koers_domain::policy::Action;
use koers_store::platform::programmes::{self, Programme};

#[derive(serde::Deserialize, Default)]
pub struct LineQuery {
    #[serde(default)]
    programme: String,
}

#[derive(Template)]
#[template(path = "learning_line.html")]
struct Page {
    ctx: Ctx,
    programmes: Vec<Programme>,
    line: Option<LineView>,
    can_manage: bool,
    /// Lecturers and managers of the programme see the group's progress.
    can_see_progress: bool,
    years: [u8; 4],
    lang: &'static str,
}

impl Page {
    fn depth_class(&self, d: Option<Depth>) -> &'static str {
        match d {
            None => "depth-none",
            Some(Depth::Introduced) => "depth-i",
            Some(Depth::Reinforced) => "depth-r",
            Some(Depth::Mastered) => "depth-m",
        }
    }

    fn gap_text(&self, line: &LineView, g: &Gap) -> String {
        let tr = &self.ctx.tr;
        let name = |id: &str| {
            line.competence(id)
                .map(|c| c.name.get(self.lang).to_owned())
                .unwrap_or_default()
        };
        match g {
            Gap::NeverIntroduced { competence_id } => {
                tr.t1("line-gap-never-introduced", "name", name(competence_id))
            }
            Gap::NeverMastered { competence_id } => {
                tr.t1("line-gap-never-mastered", "name", name(competence_id))
            }
            Gap::YearWithoutActivity { year } => tr.t1("line-gap-year", "year", year),
            Gap::PhaseWithoutActivity { phase } => {
                tr.t1("line-gap-phase", "phase", tr.tk("phase", phase.key()))
            }
            Gap::ActivityWithoutCompetence { activity_id } => tr.t1(
                "line-gap-activity",
                "title",
                line.activity(activity_id)
                    .map(|a| a.title.clone())
                    .unwrap_or_default(),
            ),
        }
    }
}

/// The learning line of the first programme (or the one chosen in the form).
pub async fn first(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<LineQuery>,
) -> WebResult<Response> {
    a.require(Action::ViewCurriculum)?;
    let all = programmes::all(a.tenant(&state)).await?;
    let code = match all.iter().find(|p| p.code == q.programme).or(all.first()) {
        Some(p) => p.code.clone(),
        None => {
            return Ok(render(&Page {
                ctx: Ctx::user(&a, "/learning-line", "curriculum"),
                programmes: all,
                line: None,
                can_manage: false,
                can_see_progress: false,
                years: YEARS,
                lang: a.tr.lang(),
            }));
        }
    };
    Ok(Redirect::to(&format!("/learning-line/{code}")).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(code): Path<String>,
) -> WebResult<Response> {
    a.require(Action::ViewCurriculum)?;
    let all = programmes::all(a.tenant(&state)).await?;
    let line = access::learning_line(&state, &a, &code).await?;
    let can_manage = a.actor.may(Action::ManageActivities {
        programme_id: &line.programme.id,
    });
    let can_see_progress = a.actor.may(Action::SignOff {
        programme_id: Some(&line.programme.id),
    }) || a
        .actor
        .has_role_for(koers_domain::Role::ProgrammeManager, &line.programme.id);
    Ok(render(&Page {
        ctx: Ctx::user(&a, "/learning-line", "curriculum"),
        programmes: all,
        line: Some(line),
        can_manage,
        can_see_progress,
        years: YEARS,
        lang: a.tr.lang(),
    }))
}

/// The learning line as CSV for Dutch Excel: `;`, UTF-8 with BOM, one row per competence.
pub async fn csv(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(code): Path<String>,
) -> WebResult<Response> {
    let line = access::learning_line(&state, &a, &code).await?;
    let lang = a.tr.lang();
    let mut out = super::csv::Csv::new();
    let mut header = vec![a.tr.t("line-framework"), a.tr.t("line-competence")];
    header.extend(YEARS.iter().map(|y| a.tr.t1("line-year", "year", y)));
    out.row(header);
    for c in &line.competences {
        let mut row = vec![
            c.framework_name.get(lang).to_owned(),
            c.name.get(lang).to_owned(),
        ];
        for y in YEARS {
            row.push(line.cell(&c.id, &y).map(|x| x.label()).unwrap_or_default());
        }
        out.row(row);
    }
    Ok(out.response(&format!("leerlijn-{}.csv", line.programme.code)))
}
