//! The benchmark baseline: one query and one template render (TechEmpower "Fortunes" style),
//! so the bench can state every page's speed as a ratio to it.

use super::render;
use crate::error::WebResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "baseline.html")]
struct Baseline {
    rows: Vec<(String, String)>,
}

pub async fn page(State(state): State<AppState>) -> WebResult<Response> {
    let mut rows = state.db().all_state().await?;
    rows.push(("request".into(), "baseline".into()));
    Ok(render(&Baseline { rows }))
}
