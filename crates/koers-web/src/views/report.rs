//! The annual LOB report in the browser (printable), as a PDF and as CSV of every indicator
//! value: `/reports/annual?year=YYYY&programme=CODE&format=pdf|csv`.

use super::indicators::{ScopeMenu, ScopeQuery, scope_menu, scope_query};
use super::{Ctx, render_status};
use crate::auth::WebUser;
use crate::error::WebResult;
use crate::indicators;
use crate::report::{self, Report};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Debug, Default, serde::Deserialize)]
pub struct ReportQuery {
    pub year: Option<String>,
    pub programme: Option<String>,
    pub format: Option<String>,
}

#[derive(Template)]
#[template(path = "annual_report.html")]
struct ReportPage {
    ctx: Ctx,
    r: Report,
    title: String,
    sections: Vec<(String, String)>,
    menu: ScopeMenu,
    q: String,
    year: i16,
}

impl ReportPage {
    fn selected_programme(&self, p: &koers_store::platform::programmes::Programme) -> bool {
        self.r.view.programme.as_ref().is_some_and(|x| x.id == p.id)
    }
}

pub async fn annual(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<ReportQuery>,
) -> WebResult<Response> {
    let view = indicators::view(&state, &a, q.programme.as_deref()).await?;
    let year = ScopeQuery {
        year: q.year.clone(),
        ..Default::default()
    }
    .year();
    match q.format.as_deref() {
        Some("csv") => {
            let name = format!(
                "indicatoren{}.csv",
                view.programme
                    .as_ref()
                    .map_or_else(String::new, |p| format!("-{}", p.code))
            );
            Ok(report::csv(&state, &a, &view).await?.response(&name))
        }
        Some("pdf") => {
            let r = report::build(&state, &a, view, year).await?;
            let bytes = report::pdf(&r, &a.tr).await?;
            Ok(crate::report::pdf_response(
                bytes,
                &crate::report::filename(&r, "pdf"),
            ))
        }
        _ => {
            let r = report::build(&state, &a, view, year).await?;
            let sections = r
                .vision
                .as_ref()
                .map(|v| {
                    v.document
                        .sections()
                        .into_iter()
                        .filter(|(_, t)| !t.trim().is_empty())
                        .map(|(k, t)| (k, koers_domain::rich_text::render(&t)))
                        .collect()
                })
                .unwrap_or_default();
            Ok(render_status(
                StatusCode::OK,
                &ReportPage {
                    ctx: Ctx::user(&a, "/reports/annual", "indicators"),
                    title: r.title(&a.tr),
                    q: scope_query(year, &r.view),
                    menu: scope_menu(&state, &a).await?,
                    sections,
                    year,
                    r,
                },
            ))
        }
    }
}
