//! Liveness, readiness and metrics for operators.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn healthz() -> &'static str {
    "ok"
}

/// 200 only when migrations and seeding are done and the database answers (within two
/// seconds); otherwise 503 saying which.
pub async fn readyz(State(state): State<AppState>) -> Response {
    if !state.is_ready() {
        return (StatusCode::SERVICE_UNAVAILABLE, "not ready: starting").into_response();
    }
    if state.db_is_down()
        || !state
            .db()
            .ping_within(std::time::Duration::from_secs(2))
            .await
    {
        state.mark_db_down();
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "not ready: the database is unreachable",
        )
            .into_response();
    }
    (StatusCode::OK, "ready").into_response()
}

pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.config().metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|g| crate::csrf::tokens_match(g, token)) {
            return (StatusCode::UNAUTHORIZED, "metrics require a token").into_response();
        }
    }
    let (size, idle) = state.db().pool_stats();
    metrics::gauge!("db_pool_connections").set(f64::from(size));
    metrics::gauge!("db_pool_idle_connections").set(idle as f64);
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::handle().render(),
    )
        .into_response()
}
