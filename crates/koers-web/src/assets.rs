//! Static assets embedded in the binary: one stylesheet and htmx 2 (vendored from npm
//! `htmx.org`, BSD-0 licence).

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("../assets/style.css");
const HTMX: &str = include_str!("../assets/htmx.min.js");
const APP_JS: &str = include_str!("../assets/app.js");
const CACHE: &str = "public, max-age=3600";

pub async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        CSS,
    )
}

pub async fn htmx() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        HTMX,
    )
}

pub async fn app_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        APP_JS,
    )
}
