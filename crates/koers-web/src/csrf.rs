//! CSRF protection: a synchronizer token per session (hidden form field `_csrf`, or the
//! `X-CSRF-Token` header for htmx), a double-submit cookie before login, and an Origin check
//! on every state-changing request.

use crate::auth::{CSRF_COOKIE, cookie_value, set_cookie};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use koers_store::platform::sessions::random_token;

/// The pre-session token of this request (from its cookie, or freshly made and set by
/// [`csrf_layer`]).
#[derive(Clone, Debug)]
pub struct PreSessionToken(pub String);

/// Constant-time comparison of two tokens.
pub fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Reject cross-origin state-changing requests; make sure every browser has a pre-session
/// token cookie.
pub async fn csrf_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !req.uri().path().starts_with("/api/") {
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok());
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok());
        if let (Some(origin), Some(host)) = (origin, host) {
            let origin_host = origin.split("://").nth(1).unwrap_or("");
            if origin == "null" || origin_host != host {
                return WebError::Forbidden.into_response();
            }
        }
    }
    let existing = cookie_value(req.headers(), CSRF_COOKIE).filter(|v| v.len() >= 32);
    let token = existing.clone().unwrap_or_else(random_token);
    req.extensions_mut().insert(PreSessionToken(token.clone()));
    let mut res = next.run(req).await;
    if existing.is_none() {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, CSRF_COOKIE, &token, None),
        );
    }
    res
}

/// Check a submitted token against the expected one.
pub fn verify(expected: &str, submitted: &str) -> Result<(), WebError> {
    if tokens_match(expected, submitted) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn matching() {
        assert!(super::tokens_match("abc", "abc"));
        assert!(!super::tokens_match("abc", "abd"));
        assert!(!super::tokens_match("", ""));
        assert!(!super::tokens_match("abc", "abcd"));
    }
}
