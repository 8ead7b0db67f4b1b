//! Every change leaves a trace in the audit log. Handlers that know what they changed record a
//! specific event through [`record`] (e.g. `student.phase`); for every other successful write
//! request [`layer`] records a generic `change.request` event with the actor, the route and its
//! parameters. So a route added without its own audit line is still covered, and no change is
//! logged twice. When the request's access check loaded exactly one person (a student or an
//! employee, see [`note_person`]), the generic event names them, so they see the change under
//! "who read or changed my data".
//!
//! Not logged by the layer, on purpose: anonymous requests (login and invitation pages log
//! their own events), the HRM-scan answers (the scan is anonymous: a timestamped line per
//! employee would let answers be linked to people), and requests that change nothing about
//! anyone's data (a preview, a check, marking notifications read, the interface language).

use crate::auth::{Authenticated, ClientIp};
use crate::state::AppState;
use axum::extract::{FromRequestParts, MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use koers_store::platform::audit::{self, Event, NewEvent};
use std::sync::{Arc, Mutex};

/// The action of the generic event.
pub const CHANGE: &str = "change.request";

/// Write routes the layer leaves alone (see the module documentation for why).
pub const NOT_LOGGED: [&str; 7] = [
    "/hrm-scan/{id}/answer",
    "/api/v1/hrm-scans/{id}/responses",
    "/verify",
    "/admin/ooapi/preview",
    "/notifications/read",
    "/language",
    "/account/language",
];

#[derive(Default)]
struct Trail {
    audited: bool,
    actor: Option<(String, String, String)>,
    person: Person,
}

/// Whom a request's data is about, as far as its access checks tell.
#[derive(Default, Debug, PartialEq)]
enum Person {
    #[default]
    Unknown,
    One(String),
    /// More than one person: the generic event names no one.
    Several,
}

impl Person {
    fn note(&mut self, user_id: &str) {
        *self = match std::mem::take(self) {
            Person::Unknown => Person::One(user_id.to_owned()),
            Person::One(p) if p == user_id => Person::One(p),
            _ => Person::Several,
        };
    }

    fn one(&self) -> Option<&str> {
        match self {
            Person::One(p) => Some(p),
            _ => None,
        }
    }
}

tokio::task_local! {
    static CURRENT: Arc<Mutex<Trail>>;
}

fn with_trail(f: impl FnOnce(&mut Trail)) {
    let _ = CURRENT.try_with(|t| {
        if let Ok(mut t) = t.lock() {
            f(&mut t);
        }
    });
}

/// Record an event, and note that this request's change is in the log.
pub async fn record(db: &koers_store::Db, e: NewEvent<'_>) -> koers_store::Result<()> {
    audit::record(db, e).await?;
    with_trail(|t| t.audited = true);
    Ok(())
}

/// Note that this request's change is in the log: a command of the application layer wrote
/// its own audit line in its transaction.
pub fn note_audited() {
    with_trail(|t| t.audited = true);
}

/// Note who is making this request (called by the session extractors).
pub fn note_actor(a: &Authenticated) {
    with_trail(|t| {
        t.actor = Some((
            a.user.institution_id.clone(),
            a.user.id.clone(),
            a.user.email.clone(),
        ));
    });
}

/// Note that this request is about a person (a user id): called by the access checks that
/// load one student or employee.
pub fn note_person(user_id: &str) {
    if !user_id.is_empty() {
        with_trail(|t| t.person.note(user_id));
    }
}

fn is_write(m: &Method) -> bool {
    matches!(
        *m,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    )
}

/// The parameters of a route (`/teams/{id}/members`) in a path (`/teams/abc/members`).
fn route_params(route: &str, path: &str) -> Vec<(String, String)> {
    route
        .split('/')
        .zip(path.split('/'))
        .filter_map(|(r, p)| {
            let name = r.strip_prefix('{')?.strip_suffix('}')?;
            let value = percent_encoding::percent_decode_str(p).decode_utf8_lossy();
            Some((name.to_owned(), value.chars().take(200).collect()))
        })
        .collect()
}

/// The kind of thing a route changes: its first fixed segment after `/api/v1` or `/admin`.
fn subject_type(route: &str) -> &str {
    route
        .split('/')
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .find(|s| !matches!(*s, "api" | "v1" | "admin"))
        .unwrap_or("")
}

/// The middleware: runs the request with a trail, and logs a successful write that no
/// handler logged.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let route = match route {
        Some(r) if is_write(req.method()) && !NOT_LOGGED.contains(&r.as_str()) => r,
        _ => return next.run(req).await,
    };
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let (mut parts, body) = req.into_parts();
    let Ok(ClientIp(ip)) = ClientIp::from_request_parts(&mut parts, &state).await;
    let trail = Arc::new(Mutex::new(Trail::default()));
    let res = CURRENT
        .scope(trail.clone(), next.run(Request::from_parts(parts, body)))
        .await;
    let status = res.status();
    if !(status.is_success() || status.is_redirection()) {
        return res;
    }
    let (audited, actor, person) = match trail.lock() {
        Ok(t) => (
            t.audited,
            t.actor.clone(),
            t.person.one().map(str::to_owned),
        ),
        Err(_) => return res,
    };
    let Some((institution, user, email)) = actor.filter(|_| !audited) else {
        return res;
    };
    let params = route_params(&route, &path);
    let details = serde_json::json!({
        "method": method,
        "route": route,
        "params": params.iter().map(|(k, v)| (k.clone(), v.as_str().into())).collect::<serde_json::Map<_, _>>(),
    });
    let event = NewEvent {
        institution_id: Some(&institution),
        actor_id: Some(&user),
        actor_email: Some(&email),
        action: CHANGE,
        subject_type: Some(subject_type(&route)),
        subject_id: params.first().map(|(_, v)| v.as_str()),
        details,
        ip: Some(&ip),
        person_id: person.as_deref(),
    };
    // The change is committed; a failed log line must not turn it into an error page.
    if let Err(e) = audit::record(state.db(), event).await {
        tracing::error!(error = %e, %route, "could not log a change in the audit log");
    }
    res
}

/// What a generic event changed, for the audit page: `POST /teams/{id}/members`.
pub fn request_of(e: &Event) -> String {
    let d: serde_json::Value = serde_json::from_str(&e.details).unwrap_or_default();
    format!(
        "{} {}",
        d["method"].as_str().unwrap_or_default(),
        d["route"].as_str().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_follow_the_route() {
        assert_eq!(
            route_params(
                "/employees/{id}/items/{item}/status",
                "/employees/a1/items/b%202/status"
            ),
            vec![("id".into(), "a1".into()), ("item".into(), "b 2".into())]
        );
        assert!(route_params("/teams", "/teams").is_empty());
    }

    #[test]
    fn the_subject_is_the_first_fixed_segment() {
        assert_eq!(subject_type("/teams/{id}/members"), "teams");
        assert_eq!(
            subject_type("/api/v1/improvement-actions/{id}"),
            "improvement-actions"
        );
        assert_eq!(subject_type("/admin/users/{id}/active"), "users");
        assert_eq!(subject_type("/"), "");
    }

    #[test]
    fn a_change_names_a_person_only_when_it_is_about_one() {
        let mut p = Person::default();
        assert_eq!(p.one(), None);
        p.note("a");
        p.note("a");
        assert_eq!(p.one(), Some("a"));
        p.note("b");
        assert_eq!(p, Person::Several);
        p.note("a");
        assert_eq!(p.one(), None);
    }

    #[test]
    fn only_writes_are_logged() {
        assert!(is_write(&Method::POST) && is_write(&Method::DELETE));
        assert!(!is_write(&Method::GET) && !is_write(&Method::HEAD));
    }
}
