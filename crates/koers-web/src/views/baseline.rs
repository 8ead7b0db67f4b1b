//! The benchmark baseline: one query and one template render (TechEmpower "Fortunes" style),
//! so the bench can state every page's speed as a ratio to it. Served only when Koers is
//! started for benchmarking (`serve --benchmark`), and it shows nothing of what it reads: the
//! rows are counted and numbered, their keys and values stay inside.

use super::render;
use crate::error::WebResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::response::Response;

#[derive(Template)]
#[template(path = "baseline.html")]
struct Baseline {
    rows: Vec<(usize, usize)>,
}

pub async fn page(State(state): State<AppState>) -> WebResult<Response> {
    if !state.config().benchmark {
        return Err(crate::error::WebError::NotFound);
    }
    let rows = state
        .db()
        .all_state()
        .await?
        .iter()
        .enumerate()
        .map(|(i, (k, v))| (i + 1, k.len() + v.len()))
        .collect();
    Ok(render(&Baseline { rows }))
}
