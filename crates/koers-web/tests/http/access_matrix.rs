//! Every route × every role (plus anonymous and the other institution's administrator), with
//! the expected outcome. A route of the router that is missing from the table fails the test.

use crate::support::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};

/// Who asks.
const WHO: [&str; 10] = [
    "anonymous",
    "beheerder@demo.koers.test",
    "manager@demo.koers.test",
    "slb@demo.koers.test",
    "docent@demo.koers.test",
    "student@demo.koers.test",
    "hr@demo.koers.test",
    "medewerker@demo.koers.test",
    "mentor@demo.koers.test",
    "beheerder@tweede.koers.test",
];

/// Expected outcome.
#[derive(Clone, Copy, Debug, PartialEq)]
enum E {
    /// Allowed: 2xx, 3xx (not to /login) or 422 (the matrix sends empty forms).
    Ok,
    /// 403.
    No,
    /// 404 (existence is private: another institution's record).
    Nf,
    /// Anonymous page request: redirect to the login page.
    Login,
    /// Anonymous API request: 401.
    Auth,
}
use E::*;

const A: E = Ok;

/// (method, path, expectations in the order of WHO). `{user}` is a generated student of
/// Hogeschool Demo, `{programme}` its LO-ECO programme. Logout comes last.
const MATRIX: &[(&str, &str, [E; 10])] = &[
    ("GET", "/", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/login", [A, A, A, A, A, A, A, A, A, A]),
    ("POST", "/login", [A, A, A, A, A, A, A, A, A, A]),
    // Without a login waiting for its second factor, back to the login page.
    (
        "GET",
        "/login/second-factor",
        [
            Login, Login, Login, Login, Login, Login, Login, Login, Login, Login,
        ],
    ),
    (
        "POST",
        "/login/second-factor",
        [
            Login, Login, Login, Login, Login, Login, Login, Login, Login, Login,
        ],
    ),
    ("POST", "/language", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/privacy", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/accessibility", [A, A, A, A, A, A, A, A, A, A]),
    // Each institution's statement is public (its own site links to it).
    ("GET", "/privacy/{slug}", [A, A, A, A, A, A, A, A, A, A]),
    (
        "GET",
        "/admin/privacy",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/admin/privacy",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/admin/ooapi",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/admin/ooapi/preview",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    // The matrix sends no pending import: not found for those who may apply.
    (
        "POST",
        "/admin/ooapi/apply",
        [Login, Nf, No, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/api/v1/ooapi-imports",
        [Auth, A, No, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/admin/users/import",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    // The matrix sends no file (400) and no pending import (404).
    (
        "POST",
        "/admin/users/import",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/admin/users/import/confirm",
        [Login, Nf, No, No, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/activities/{activity}/completions",
        [Login, A, A, No, A, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/activities/{activity}/completions",
        [Login, A, A, No, A, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/activities/{activity}/credential",
        [Login, A, A, No, A, No, No, No, No, Nf],
    ),
    // Without a provider configured (as here), single sign-on does not exist.
    (
        "GET",
        "/login/sso",
        [Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf],
    ),
    (
        "GET",
        "/login/sso/callback",
        [Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf],
    ),
    (
        "GET",
        "/admin/sso",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/admin/sso",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    ("GET", "/home", [Login, A, A, A, A, A, A, A, A, A]),
    ("GET", "/account", [Login, A, A, A, A, A, A, A, A, A]),
    ("GET", "/my-data", [Login, A, A, A, A, A, A, A, A, A]),
    ("GET", "/my-data/export", [Login, A, A, A, A, A, A, A, A, A]),
    (
        "GET",
        "/my-data/export.json",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    (
        "GET",
        "/account/second-factor",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    (
        "POST",
        "/account/second-factor",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    (
        "POST",
        "/account/second-factor/remove",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    (
        "POST",
        "/account/password",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    (
        "POST",
        "/account/language",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    (
        "POST",
        "/account/digest",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    ("GET", "/notifications", [Login, A, A, A, A, A, A, A, A, A]),
    (
        "POST",
        "/notifications/read",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    (
        "GET",
        "/admin/outbox",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/account/calendar-feed",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    (
        "POST",
        "/account/calendar-feed/revoke",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    // A feed address answers only to its secret token; {file} is none.
    (
        "GET",
        "/calendar/{file}",
        [Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf],
    ),
    (
        "GET",
        "/api/v1/me/calendar-feed",
        [Auth, A, A, A, A, A, A, A, A, A],
    ),
    ("GET", "/credentials", [Login, A, A, A, A, A, A, A, A, A]),
    // Verifying a credential is public, also by pasting one.
    ("GET", "/verify", [A, A, A, A, A, A, A, A, A, A]),
    ("POST", "/verify", [A, A, A, A, A, A, A, A, A, A]),
    (
        "GET",
        "/verify/{credential}",
        [A, A, A, A, A, A, A, A, A, A],
    ),
    (
        "GET",
        "/admin/credentials",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/admin/credentials/rotate",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/api/v1/me/credentials",
        [Auth, A, A, A, A, A, A, A, A, A],
    ),
    (
        "GET",
        "/api/v1/credentials/{credential}",
        [A, A, A, A, A, A, A, A, A, A],
    ),
    (
        "GET",
        "/admin/users",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/admin/users",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/admin/users/new",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/admin/users/{user}",
        [Login, A, No, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/admin/users/{user}",
        [Login, A, No, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/admin/users/{user}/active",
        [Login, A, No, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/admin/users/{user}/second-factor/reset",
        [Login, A, No, No, No, No, No, No, No, Nf],
    ),
    // Without the confirmation (the matrix sends none): refused as invalid.
    (
        "POST",
        "/admin/users/{user}/erase",
        [Login, A, No, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/admin/users/{user}/password",
        [Login, A, No, No, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/admin/programmes",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/admin/programmes",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/admin/programmes/{programme}",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/admin/programmes/{programme}",
        [Login, A, No, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/admin/programmes/{programme}/cohorts",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/admin/audit",
        [Login, A, No, No, No, No, No, No, No, A],
    ),
    // The bench's route: only when Koers is started for benchmarking (tests/http/security.rs).
    ("GET", "/baseline", [Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf]),
    ("GET", "/healthz", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/readyz", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/metrics", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/assets/style.css", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/assets/htmx.min.js", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/assets/app.js", [A, A, A, A, A, A, A, A, A, A]),
    (
        "GET",
        "/api/v1/openapi.json",
        [A, A, A, A, A, A, A, A, A, A],
    ),
    ("POST", "/api/v1/sessions", [A, A, A, A, A, A, A, A, A, A]),
    ("GET", "/api/v1/me", [Auth, A, A, A, A, A, A, A, A, A]),
    (
        "GET",
        "/api/v1/me/export",
        [Auth, A, A, A, A, A, A, A, A, A],
    ),
    (
        "GET",
        "/api/v1/users",
        [Auth, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/api/v1/users",
        [Auth, A, No, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/api/v1/users/{user}",
        [Auth, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "PATCH",
        "/api/v1/users/{user}",
        [Auth, A, No, No, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/api/v1/programmes",
        [Auth, A, A, A, A, A, A, A, A, A],
    ),
    (
        "POST",
        "/api/v1/programmes",
        [Auth, A, No, No, No, No, No, No, No, A],
    ),
    // The career file is only ever the student's own.
    (
        "GET",
        "/career-file",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/career-file/self-assessments",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/career-file/reflections",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/career-file/goals",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/career-file/goals/{user}/status",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/career-file/choice",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/career-file/handover",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/career-file/items/{user}/sharing",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/career-file/items/{user}/delete",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/students/{student}/intake",
        [Login, No, No, A, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/counsellors",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/counsellors/stand-ins",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/counsellors/stand-ins/{user}/end",
        [Login, Nf, Nf, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/counsellors/handover",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/students/{student}/counsellor",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    ("GET", "/slots", [Login, No, No, A, No, No, No, No, No, No]),
    ("POST", "/slots", [Login, No, No, A, No, No, No, No, No, No]),
    (
        "POST",
        "/slots/{user}/delete",
        [Login, No, No, Nf, No, No, No, No, No, No],
    ),
    ("GET", "/book", [Login, No, No, No, No, A, No, No, No, No]),
    (
        "POST",
        "/book/{user}",
        [Login, No, No, No, No, Nf, No, No, No, No],
    ),
    (
        "POST",
        "/conversations/request",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/conversations/{conversation}/reschedule",
        [Login, No, No, A, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/conversations/{conversation}/cancel",
        [Login, No, No, A, No, A, No, No, No, Nf],
    ),
    ("GET", "/groups", [Login, No, No, A, No, No, No, No, No, No]),
    (
        "POST",
        "/groups",
        [Login, No, No, A, No, No, No, No, No, No],
    ),
    (
        "GET",
        "/groups/{user}",
        [Login, No, No, Nf, No, No, No, No, No, No],
    ),
    (
        "POST",
        "/groups/{user}/attendance",
        [Login, No, No, Nf, No, No, No, No, No, No],
    ),
    (
        "GET",
        "/coverage/{code}/rules",
        [Login, No, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/coverage/{code}/rules",
        [Login, No, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/students/{student}/phase",
        [Login, No, No, A, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/students/{student}/progress",
        [Login, No, No, A, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/students/{student}/outflow",
        [Login, No, No, A, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/students/{student}/handover",
        [Login, No, No, A, No, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/career-file/exit-reflection",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "POST",
        "/students/{student}/support",
        [Login, No, No, A, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/students/{student}/support/{flag}/close",
        [Login, No, Nf, Nf, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/students/{student}/edit",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/students/{student}/edit",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/groups/{user}/calendar.ics",
        [Login, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf],
    ),
    // Guidance. {student} is the demo student Zoë (counsellor slb), {conversation} one of her
    // held conversations, {code} the LO-ECO programme code.
    ("GET", "/students", [Login, A, A, A, No, No, No, No, No, A]),
    (
        "GET",
        "/coverage",
        [Login, No, A, No, No, No, No, No, No, No],
    ),
    (
        "GET",
        "/coverage.csv",
        [Login, No, A, No, No, No, No, No, No, No],
    ),
    (
        "GET",
        "/students/import",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/students/import",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/students/import/template.csv",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/students/import/progress",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    // An upload is only ever found by the one who made it.
    (
        "POST",
        "/students/import/{student}/confirm",
        [Login, Nf, Nf, No, No, No, No, No, No, Nf],
    ),
    // Likewise a run (here an id that is no run).
    (
        "GET",
        "/students/import/runs/{student}",
        [Login, Nf, Nf, No, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/students/import/runs/{student}/progress",
        [Login, Nf, Nf, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/agreements/{agreement}/status",
        [Login, No, No, A, No, A, No, No, No, Nf],
    ),
    (
        "GET",
        "/students/{student}",
        [Login, A, A, A, No, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/students/{student}/conversations",
        [Login, No, No, A, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/conversations/{conversation}",
        [Login, No, A, A, No, A, No, No, No, Nf],
    ),
    (
        "GET",
        "/conversations/{conversation}/calendar.ics",
        [Login, No, No, A, No, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/conversations/{conversation}/report",
        [Login, No, No, A, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/api/v1/students",
        [Auth, A, A, A, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/api/v1/students/{student}",
        [Auth, A, A, A, No, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/api/v1/students/import",
        [Auth, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/api/v1/study-progress/import",
        [Auth, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/api/v1/students/{student}/self-assessments",
        [Auth, No, No, No, No, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/api/v1/conversations",
        [Auth, No, No, A, No, No, No, No, No, No],
    ),
    (
        "GET",
        "/api/v1/conversations/{conversation}",
        [Auth, No, A, A, No, A, No, No, No, Nf],
    ),
    (
        "GET",
        "/api/v1/conversations/{conversation}/calendar.ics",
        [Auth, No, No, A, No, A, No, No, No, Nf],
    ),
    (
        "PUT",
        "/api/v1/conversations/{conversation}/report",
        [Auth, No, No, A, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/api/v1/instruments/career-competencies",
        [Auth, A, A, A, A, A, A, A, A, A],
    ),
    (
        "GET",
        "/api/v1/programmes/{code}/coverage",
        [Auth, No, A, No, No, No, No, No, No, Nf],
    ),
    // The HRM scan. {scan} is a draft round with medewerker@ invited as staff; the rows run
    // in the order of its life (open, answer, results, close).
    (
        "POST",
        "/api/v1/hrm-scans",
        [Auth, No, No, No, No, No, A, No, No, No],
    ),
    (
        "POST",
        "/api/v1/hrm-scans/{scan}/open",
        [Auth, No, No, No, No, No, A, No, No, No],
    ),
    (
        "GET",
        "/hrm-scan/{scan}/answer",
        [Login, No, No, No, No, No, No, A, No, Nf],
    ),
    (
        "POST",
        "/hrm-scan/{scan}/answer",
        [Login, No, No, No, No, No, No, A, No, Nf],
    ),
    (
        "GET",
        "/hrm-scan/{scan}",
        [Login, A, No, No, No, No, A, A, No, Nf],
    ),
    (
        "POST",
        "/hrm-scan/{scan}/status",
        [Login, No, No, No, No, No, A, No, No, No],
    ),
    ("GET", "/hrm-scan", [Login, A, A, A, A, No, A, A, No, A]),
    (
        "GET",
        "/hrm-scan/instrument",
        [Login, A, No, No, No, No, A, No, No, A],
    ),
    (
        "GET",
        "/hrm-scan/instrument/export.json",
        [Login, A, No, No, No, No, A, No, No, A],
    ),
    (
        "POST",
        "/hrm-scan/instrument/import",
        [Login, No, No, No, No, No, A, No, No, No],
    ),
    (
        "POST",
        "/hrm-scan/instrument/edit",
        [Login, No, No, No, No, No, A, No, No, No],
    ),
    (
        "POST",
        "/hrm-scan/instrument/{instrument}/current",
        [Login, No, No, No, No, No, A, No, No, No],
    ),
    (
        "GET",
        "/api/v1/hrm-instrument",
        [Auth, A, No, No, No, No, A, No, No, A],
    ),
    (
        "POST",
        "/api/v1/hrm-instruments",
        [Auth, No, No, No, No, No, A, No, No, No],
    ),
    (
        "POST",
        "/hrm-scan",
        [Login, No, No, No, No, No, A, No, No, No],
    ),
    (
        "GET",
        "/api/v1/hrm-scans/{scan}/questionnaire",
        [Auth, No, No, No, No, No, A, A, No, Nf],
    ),
    (
        "POST",
        "/api/v1/hrm-scans/{scan}/responses",
        [Auth, No, No, No, No, No, No, A, No, Nf],
    ),
    (
        "GET",
        "/api/v1/hrm-scans/{scan}/results",
        [Auth, A, No, No, No, No, A, No, No, Nf],
    ),
    (
        "POST",
        "/api/v1/hrm-scans/{scan}/close",
        [Auth, No, No, No, No, No, A, No, No, No],
    ),
    // Staff career development. {employee} is medewerker@ (team Economie, line manager
    // manager@), {item} a goal of their plan, {appraisal} their appraisal record,
    // {staffconv} their planned career conversation. The item is deleted by manager@ (later
    // callers find nothing); the API's PUT replaces the plan, so it comes after the pages.
    ("GET", "/development", [Login, A, A, A, A, No, A, A, No, A]),
    (
        "GET",
        "/employees/{employee}",
        [Login, No, A, No, No, No, A, A, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/ambition",
        [Login, No, A, No, No, No, No, A, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/goals",
        [Login, No, A, No, No, No, No, A, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/activities",
        [Login, No, A, No, No, No, No, A, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/items/{item}/status",
        [Login, No, A, No, No, No, No, A, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/progress",
        [Login, No, A, No, No, No, No, A, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/agree",
        [Login, No, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/items/{item}/delete",
        [Login, No, A, No, No, No, No, Nf, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/self-assessments",
        [Login, No, No, No, No, No, No, A, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/conversations",
        [Login, No, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/appraisals",
        [Login, No, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/employees/{employee}/appraisals/{appraisal}/comment",
        [Login, No, No, No, No, No, No, A, No, Nf],
    ),
    (
        "GET",
        "/staff-conversations/{staffconv}",
        [Login, No, A, No, No, No, A, A, No, Nf],
    ),
    (
        "GET",
        "/staff-conversations/{staffconv}/calendar.ics",
        [Login, No, A, No, No, No, A, A, No, Nf],
    ),
    (
        "POST",
        "/staff-conversations/{staffconv}/cancel",
        [Login, No, A, No, No, No, No, A, No, Nf],
    ),
    (
        "POST",
        "/staff-conversations/{staffconv}/report",
        [Login, No, A, No, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/api/v1/employees/{employee}/development-plan",
        [Auth, No, A, No, No, No, A, A, No, Nf],
    ),
    (
        "PUT",
        "/api/v1/employees/{employee}/development-plan",
        [Auth, No, A, No, No, No, No, A, No, Nf],
    ),
    (
        "POST",
        "/api/v1/employees/{employee}/self-assessments",
        [Auth, No, No, No, No, No, No, A, No, Nf],
    ),
    // The improvement plan. {action} is an action of the published round, owned by hr@.
    // docent@ owns an action of the quality cycle, so reaches the list of own actions.
    (
        "GET",
        "/improvement-actions",
        [Login, A, A, No, A, No, A, No, No, A],
    ),
    (
        "POST",
        "/improvement-actions",
        [Login, No, No, No, No, No, A, No, No, No],
    ),
    (
        "POST",
        "/improvement-actions/{action}",
        [Login, No, No, Nf, Nf, Nf, A, Nf, Nf, Nf],
    ),
    (
        "GET",
        "/api/v1/improvement-actions",
        [Auth, A, A, A, A, No, A, A, No, A],
    ),
    (
        "POST",
        "/api/v1/improvement-actions",
        [Auth, A, A, No, No, No, A, No, No, A],
    ),
    (
        "PUT",
        "/api/v1/improvement-actions/{action}",
        [Auth, No, No, Nf, Nf, Nf, A, Nf, Nf, Nf],
    ),
    (
        "GET",
        "/hr-records",
        [Login, No, No, No, No, No, A, No, No, No],
    ),
    (
        "POST",
        "/hr-records",
        [Login, No, No, No, No, No, A, No, No, No],
    ),
    // The receiving field. {partner} is ROC Rijnmond (mentor@'s school), {placement} Zoë's
    // placement there with {task} one of its tasks, {placement_b} a trainee's placement at
    // another school (mentor@ must not see it), {need} a field need, {offer} a course,
    // {token} an open invitation.
    ("GET", "/partners", [Login, A, A, No, A, No, No, No, A, A]),
    (
        "POST",
        "/partners",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/partners/{partner}",
        [Login, A, A, No, A, No, No, No, A, Nf],
    ),
    (
        "POST",
        "/partners/{partner}/contacts",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/partners/{partner}/invitations",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/partners/{partner}/partnerships",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/placements/{placement}/tasks",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/offer/{offer}/people",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/field-survey",
        [Login, No, No, No, No, No, No, No, No, No],
    ),
    (
        "POST",
        "/field-survey",
        [Login, No, No, No, No, No, No, No, No, No],
    ),
    (
        "GET",
        "/invitations/{token}",
        [A, A, A, A, A, A, A, A, A, A],
    ),
    (
        "POST",
        "/invitations/{token}",
        [A, A, A, A, A, A, A, A, A, A],
    ),
    ("GET", "/placements", [Login, A, A, No, A, A, No, No, A, A]),
    (
        "POST",
        "/placements",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/placements/{placement}",
        [Login, A, A, No, A, A, No, No, A, Nf],
    ),
    (
        "GET",
        "/placements/{placement_b}",
        [Login, A, A, No, A, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/placements/{placement}/tasks/{task}/submit",
        [Login, No, No, No, No, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/placements/{placement}/tasks/{task}/assess",
        [Login, No, No, No, No, No, No, No, A, Nf],
    ),
    (
        "GET",
        "/field-needs",
        [Login, A, A, No, A, No, No, No, A, A],
    ),
    (
        "POST",
        "/field-needs",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/field-needs/{need}/triage",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/field-needs/{need}/alignment",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    ("GET", "/alignment", [Login, A, A, No, A, No, No, No, No, A]),
    (
        "GET",
        "/alignment.csv",
        [Login, A, A, No, A, No, No, No, No, A],
    ),
    ("GET", "/offer", [Login, A, A, A, A, No, A, A, A, A]),
    ("POST", "/offer", [Login, A, A, No, No, No, No, No, No, A]),
    (
        "GET",
        "/offer/{offer}",
        [Login, A, A, A, A, No, A, A, A, Nf],
    ),
    (
        "GET",
        "/offer/{offer}/calendar.ics",
        [Login, A, A, A, A, No, A, A, A, Nf],
    ),
    (
        "POST",
        "/offer/{offer}/enrol",
        [Login, A, A, A, A, No, A, A, A, Nf],
    ),
    (
        "POST",
        "/offer/{offer}/evaluation",
        [Login, A, A, A, A, No, A, A, A, Nf],
    ),
    (
        "GET",
        "/api/v1/partners",
        [Auth, A, A, No, A, No, No, No, A, A],
    ),
    (
        "POST",
        "/api/v1/partners",
        [Auth, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/api/v1/partners/{partner}/invitations",
        [Auth, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/api/v1/placements",
        [Auth, A, A, A, A, A, A, A, A, A],
    ),
    (
        "POST",
        "/api/v1/placements",
        [Auth, A, A, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/api/v1/placements/{placement}",
        [Auth, A, A, No, A, A, No, No, A, Nf],
    ),
    (
        "GET",
        "/api/v1/placements/{placement_b}",
        [Auth, A, A, No, A, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/api/v1/field-needs",
        [Auth, A, A, No, A, No, No, No, A, A],
    ),
    (
        "POST",
        "/api/v1/field-needs",
        [Auth, A, A, No, No, No, No, No, No, A],
    ),
    ("GET", "/api/v1/offer", [Auth, A, A, A, A, No, A, A, A, A]),
    (
        "POST",
        "/api/v1/offer",
        [Auth, A, A, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/api/v1/alignment",
        [Auth, A, A, No, A, No, No, No, No, A],
    ),
    // The LOB vision: {vversion} is a draft that the rows propose and adopt (a repeated step
    // changes nothing).
    ("GET", "/vision", [Login, A, A, A, A, A, A, A, No, A]),
    ("POST", "/vision", [Login, A, A, No, No, No, No, No, No, A]),
    (
        "GET",
        "/vision/new",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/vision/{vversion}",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/vision/{vversion}/status",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    ("GET", "/api/v1/vision", [Auth, A, A, A, A, A, A, A, No, A]),
    (
        "POST",
        "/api/v1/vision",
        [Auth, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/api/v1/vision/{vversion}/propose",
        [Auth, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/api/v1/vision/{vversion}/adopt",
        [Auth, A, A, No, No, No, No, No, No, Nf],
    ),
    // Indicators, the quality cycle, self-scans and the annual report. HR advisers read the
    // staff indicators of the institution only.
    (
        "GET",
        "/indicators",
        [Login, A, A, No, No, No, A, No, No, A],
    ),
    (
        "POST",
        "/indicators/refresh",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/indicators/{indicator}",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/progression",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    ("GET", "/quality", [Login, A, A, No, No, No, A, No, No, A]),
    (
        "POST",
        "/quality/targets",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "POST",
        "/quality/actions",
        [Login, A, A, No, No, No, No, No, No, A],
    ),
    (
        "GET",
        "/self-scans/{code}",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/self-scans/{code}",
        [Login, A, A, No, No, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/reports/annual",
        [Login, A, A, No, No, No, A, No, No, A],
    ),
    (
        "GET",
        "/api/v1/indicators",
        [Auth, A, A, No, No, No, A, No, No, A],
    ),
    (
        "GET",
        "/api/v1/reports/annual",
        [Auth, A, A, No, No, No, A, No, No, A],
    ),
    // Teams last: the rows take the line manager off {team} and medewerker@ out of it.
    ("GET", "/teams", [Login, A, A, No, No, No, A, No, No, A]),
    ("GET", "/teams.csv", [Login, A, A, No, No, No, A, No, No, A]),
    ("POST", "/teams", [Login, A, No, No, No, No, A, No, No, A]),
    (
        "POST",
        "/teams/{team}/members",
        [Login, A, No, No, No, No, A, No, No, Nf],
    ),
    (
        "POST",
        "/teams/{team}/manager",
        [Login, A, No, No, No, No, A, No, No, Nf],
    ),
    (
        "POST",
        "/teams/{team}/members/{employee}/remove",
        [Login, A, No, No, No, No, A, No, No, Nf],
    ),
    // Curriculum. {practice} is a practice conversation of the demo student.
    ("GET", "/frameworks", [Login, A, A, A, A, A, A, A, No, A]),
    (
        "POST",
        "/frameworks",
        [Login, A, A, No, A, No, No, No, No, A],
    ),
    (
        "GET",
        "/frameworks/{key}",
        [Login, A, A, A, A, A, A, A, No, A],
    ),
    (
        "GET",
        "/frameworks/{key}/export.json",
        [Login, A, A, A, A, A, A, A, No, A],
    ),
    (
        "POST",
        "/frameworks/{key}/copy",
        [Login, A, A, No, A, No, No, No, No, A],
    ),
    ("GET", "/practice", [Login, A, A, A, A, A, A, A, A, A]),
    // Shipped frameworks are not edited in place ({key} is a shipped one).
    (
        "GET",
        "/frameworks/{key}/edit",
        [Login, No, No, No, No, No, No, No, No, No],
    ),
    (
        "POST",
        "/frameworks/{key}/edit",
        [Login, No, No, No, No, No, No, No, No, No],
    ),
    ("GET", "/designs", [Login, A, A, A, A, A, A, A, A, A]),
    (
        "POST",
        "/designs",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "GET",
        "/designs/library",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    (
        "GET",
        "/designs/{design}",
        [Login, No, No, No, A, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/designs/{design}",
        [Login, No, No, No, No, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/designs/{design}/feedback",
        [Login, No, No, No, A, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/designs/{design}/reviewers",
        [Login, No, No, No, No, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/designs/{design}/publish",
        [Login, No, No, No, A, No, No, No, No, Nf],
    ),
    ("GET", "/evidence", [Login, A, A, A, A, A, A, A, A, A]),
    (
        "POST",
        "/evidence",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "GET",
        "/evidence/{evidence}",
        [Login, No, No, No, A, A, No, No, No, Nf],
    ),
    (
        "GET",
        "/evidence/{evidence}/file",
        [Login, No, No, No, Nf, Nf, No, No, No, Nf],
    ),
    (
        "POST",
        "/evidence/{evidence}/assess",
        [Login, No, No, No, A, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/evidence/{evidence}/sign-off",
        [Login, No, No, No, A, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/evidence/{evidence}/reviewers",
        [Login, No, No, No, No, A, No, No, No, Nf],
    ),
    (
        "GET",
        "/learning-line/{code}/progress",
        [Login, No, A, No, A, No, No, No, No, Nf],
    ),
    ("GET", "/learning-line", [Login, A, A, A, A, A, A, A, No, A]),
    (
        "GET",
        "/learning-line/{code}",
        [Login, A, A, A, A, A, A, A, No, Nf],
    ),
    (
        "GET",
        "/learning-line/{code}/export.csv",
        [Login, A, A, A, A, A, A, A, No, Nf],
    ),
    (
        "GET",
        "/learning-line/{code}/activities/new",
        [Login, A, A, No, A, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/learning-line/{code}/activities",
        [Login, A, A, No, A, No, No, No, No, Nf],
    ),
    (
        "GET",
        "/activities/{activity}",
        [Login, A, A, No, A, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/activities/{activity}",
        [Login, A, A, No, A, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/practice",
        [Login, No, No, No, No, A, No, No, No, No],
    ),
    (
        "GET",
        "/practice/{practice}",
        [Login, No, No, No, A, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/practice/{practice}/feedback",
        [Login, No, No, No, A, No, No, No, No, Nf],
    ),
    (
        "POST",
        "/practice/{practice}/reviewers",
        [Login, No, No, No, No, A, No, No, No, Nf],
    ),
    (
        "GET",
        "/api/v1/frameworks",
        [Auth, A, A, A, A, A, A, A, No, A],
    ),
    (
        "POST",
        "/api/v1/frameworks",
        [Auth, A, A, No, A, No, No, No, No, A],
    ),
    (
        "GET",
        "/api/v1/frameworks/{key}/export",
        [Auth, A, A, A, A, A, A, A, No, A],
    ),
    (
        "POST",
        "/api/v1/practice-conversations",
        [Auth, No, No, No, No, A, No, No, No, No],
    ),
    (
        "GET",
        "/api/v1/practice-conversations/{practice}",
        [Auth, No, No, No, A, A, No, No, No, Nf],
    ),
    (
        "POST",
        "/api/v1/activities",
        [Auth, A, A, No, A, No, No, No, No, A],
    ),
    (
        "GET",
        "/api/v1/programmes/{code}/learning-line",
        [Auth, A, A, A, A, A, A, A, No, Nf],
    ),
    // The administrator removes {activity}, so the callers after her find nothing (they are
    // refused on the rows above).
    (
        "POST",
        "/activities/{activity}/delete",
        [Login, A, Nf, Nf, Nf, Nf, Nf, Nf, Nf, Nf],
    ),
    (
        "POST",
        "/evidence/{evidence}/delete",
        [Login, No, No, No, No, A, Nf, Nf, Nf, Nf],
    ),
    (
        "POST",
        "/designs/{design}/delete",
        [Login, No, No, No, No, A, Nf, Nf, Nf, Nf],
    ),
    // Last of the curriculum rows: the student removes {practice}, so the callers after her
    // find nothing (they are refused on every row above).
    (
        "POST",
        "/practice/{practice}/delete",
        [Login, No, No, No, No, A, Nf, Nf, Nf, Nf],
    ),
    (
        "DELETE",
        "/api/v1/sessions/current",
        [Auth, A, A, A, A, A, A, A, A, A],
    ),
    (
        "POST",
        "/account/sessions",
        [Login, A, A, A, A, A, A, A, A, A],
    ),
    ("POST", "/logout", [Login, A, A, A, A, A, A, A, A, A]),
];

#[test]
fn every_route_is_in_the_matrix() {
    let declared = declared_routes();
    assert!(declared.len() >= 30, "route parsing broke: {declared:?}");
    let mut missing = Vec::new();
    for (m, p) in &declared {
        let placeholder = if p.contains("vision") {
            "{vversion}"
        } else if p.contains("partners") {
            "{partner}"
        } else if p.contains("credentials") || p.starts_with("/verify") {
            "{credential}"
        } else if p.contains("placements") {
            "{placement}"
        } else if p.contains("field-needs") {
            "{need}"
        } else if p.starts_with("/offer") {
            "{offer}"
        } else if p.contains("instrument") {
            "{instrument}"
        } else if p.starts_with("/employees") || p.contains("/employees/") {
            "{employee}"
        } else if p.contains("staff-conversations") {
            "{staffconv}"
        } else if p.contains("teams") {
            "{team}"
        } else if p.contains("improvement-actions") {
            "{action}"
        } else if p.contains("programmes") {
            "{programme}"
        } else if p.contains("students") {
            "{student}"
        } else if p.contains("hrm-scan") {
            "{scan}"
        } else if p.contains("designs") {
            "{design}"
        } else if p.contains("evidence") {
            "{evidence}"
        } else if p.contains("activities") {
            "{activity}"
        } else if p.contains("practice") {
            "{practice}"
        } else if p.contains("conversations") {
            "{conversation}"
        } else if p.contains("agreements") {
            "{agreement}"
        } else {
            "{user}"
        };
        let p = p
            .replace("{id}", placeholder)
            .replace("{user}/remove", "{employee}/remove")
            .replace("{version}", "{vversion}");
        if !MATRIX.iter().any(|(mm, pp, _)| *mm == m && *pp == p) {
            missing.push(format!("{m} {p}"));
        }
    }
    assert!(
        missing.is_empty(),
        "routes missing from the access matrix: {missing:?}"
    );
    for (m, p, _) in MATRIX {
        let declared_form = p
            .replace("{programme}", "{id}")
            .replace("{user}", "{id}")
            .replace("{student}", "{id}")
            .replace("{conversation}", "{id}")
            .replace("{practice}", "{id}")
            .replace("{activity}", "{id}")
            .replace("{evidence}", "{id}")
            .replace("{design}", "{id}")
            .replace("{scan}", "{id}")
            .replace("{employee}/remove", "{user}/remove")
            .replace("{employee}", "{id}")
            .replace("{staffconv}", "{id}")
            .replace("{instrument}", "{id}")
            .replace("{vversion}", "{version}")
            .replace("{partner}", "{id}")
            .replace("{placement_b}", "{id}")
            .replace("{placement}", "{id}")
            .replace("{need}", "{id}")
            .replace("{offer}", "{id}")
            .replace("{team}", "{id}")
            .replace("{action}", "{id}")
            .replace("{credential}", "{id}")
            .replace("{agreement}", "{id}");
        assert!(
            declared
                .iter()
                .any(|(dm, dp)| dm == m && *dp == declared_form),
            "matrix row {m} {p} is not a route"
        );
    }
}

fn body_for(path: &str) -> String {
    match path {
        // Harmless bodies for routes that would otherwise change what later rows need.
        "/admin/users/{user}/active" => "active=1".into(),
        "/language" => "locale=nl".into(),
        _ => String::new(),
    }
}

#[tokio::test]
async fn access_matrix() {
    let app = spawn().await;
    let user = user_id(&app.db, "anouk.jansen.0@student.demo.koers.test").await;
    let inst = demo_institution(&app.db).await;
    let t = koers_store::Tenant::new(&app.db, &inst);
    let programme = koers_store::platform::programmes::by_code(t, "LO-ECO")
        .await
        .unwrap()
        .unwrap()
        .id;

    let student = koers_store::guidance::students::id_of_user(
        t,
        &user_id(&app.db, "student@demo.koers.test").await,
    )
    .await
    .unwrap()
    .unwrap();
    let conversation: String = sqlx::query_scalar(
        "SELECT c.id FROM conversations c JOIN users u ON u.id = c.person_id \
         WHERE u.email = 'student@demo.koers.test' AND c.status = 'held' ORDER BY c.starts_at LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();

    let agreement: String = sqlx::query_scalar(
        "SELECT g.id FROM agreements g JOIN users u ON u.id = g.person_id \
         WHERE u.email = 'student@demo.koers.test' AND g.status = 'open' LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();

    let zoe_user = user_id(&app.db, "student@demo.koers.test").await;
    let practice = koers_store::curriculum::practice::create(
        t,
        &koers_store::curriculum::practice::NewPractice {
            person_id: &zoe_user,
            title: "Oefening",
            format: "text",
            transcript: "Zoë: Hoe gaat het?\nDaan: Goed.",
            counsellor_speaker: "Zoë",
            analysis: "{}",
        },
    )
    .await
    .unwrap();

    let activity = koers_store::curriculum::activities::create(
        t,
        &programme,
        &koers_domain::curriculum::learning_line::ActivityInput::parse(
            &koers_domain::curriculum::learning_line::RawActivity {
                kind: "workshop",
                title: "Matrix",
                year: "1",
                ..Default::default()
            },
        )
        .unwrap(),
        &[],
        &zoe_user,
    )
    .await
    .unwrap();

    let competence = koers_store::curriculum::frameworks::by_key(t, "career-competencies", None)
        .await
        .unwrap()
        .unwrap()
        .competence_ids[0]
        .1
        .clone();
    let evidence_id = koers_store::curriculum::evidence::create(
        t,
        &koers_store::curriculum::evidence::NewEvidence {
            person_id: &zoe_user,
            competence_id: &competence,
            title: "Matrix",
            body: "Tekst",
            link: None,
            file: None,
        },
    )
    .await
    .unwrap();

    // Zoë's signed-off 21st-century skills earn her a credential.
    assert_eq!(
        koers_web::badges::award_completed(&app.db, &inst, &zoe_user, "http://localhost")
            .await
            .unwrap(),
        1
    );
    let credential: String = sqlx::query_scalar("SELECT id FROM credentials LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap();

    let design_id = koers_store::curriculum::designs::create(
        t,
        &zoe_user,
        &koers_domain::curriculum::design::DesignInput::parse(
            &koers_domain::curriculum::design::RawDesign {
                title: "Matrix",
                setting: "school",
                goal: "Doel",
                steps: "Stappen",
                competencies: vec!["networking"],
                ..Default::default()
            },
        )
        .unwrap(),
    )
    .await
    .unwrap();

    let scan_id = koers_store::staff::scans::create_round(
        t,
        "Matrix",
        &user_id(&app.db, "hr@demo.koers.test").await,
        &[(
            user_id(&app.db, "medewerker@demo.koers.test").await,
            koers_domain::staff::scan::Group::Staff,
        )],
    )
    .await
    .unwrap();

    let employee = user_id(&app.db, "medewerker@demo.koers.test").await;
    let item: String = sqlx::query_scalar(
        "SELECT id FROM development_items WHERE user_id = $1 AND kind = 'goal' ORDER BY position LIMIT 1",
    )
    .bind(&employee)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    koers_store::staff::appraisals::save(
        t,
        &employee,
        &koers_store::staff::appraisals::AppraisalInput {
            year: 2025,
            manager_id: &user_id(&app.db, "manager@demo.koers.test").await,
            conversation_id: None,
            performance: "",
            career_development: "Volgende stap: SLB.",
            status: koers_domain::staff::development::AppraisalStatus::Final,
        },
    )
    .await
    .unwrap();
    let appraisal: String = sqlx::query_scalar("SELECT id FROM appraisals WHERE user_id = $1")
        .bind(&employee)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let staffconv: String = sqlx::query_scalar(
        "SELECT id FROM conversations WHERE person_id = $1 AND context = 'staff' AND status = 'planned'",
    )
    .bind(&employee)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let team: String = sqlx::query_scalar("SELECT team_id FROM team_members WHERE user_id = $1")
        .bind(&employee)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let action: String = sqlx::query_scalar(
        "SELECT a.id FROM improvement_actions a JOIN users u ON u.id = a.owner_id \
         WHERE u.email = 'hr@demo.koers.test' ORDER BY a.title LIMIT 1",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();

    let instrument = koers_store::staff::scans::current_instrument(t)
        .await
        .unwrap()
        .id;

    let partner: String = sqlx::query_scalar("SELECT id FROM partners WHERE name = 'ROC Rijnmond'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let placement: String = sqlx::query_scalar("SELECT id FROM placements WHERE partner_id = $1")
        .bind(&partner)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let placement_b: String =
        sqlx::query_scalar("SELECT id FROM placements WHERE partner_id <> $1 LIMIT 1")
            .bind(&partner)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let task: String = sqlx::query_scalar(
        "SELECT id FROM placement_tasks WHERE placement_id = $1 ORDER BY position DESC LIMIT 1",
    )
    .bind(&placement)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let need: String = sqlx::query_scalar("SELECT id FROM field_needs LIMIT 1")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let offer: String =
        sqlx::query_scalar("SELECT id FROM offer_items WHERE kind = 'course' LIMIT 1")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
    let mut w = t.begin().await.unwrap();
    let (_, token) = koers_store::field::invitations::create(
        &mut w,
        &partner,
        "nieuw@rocrijnmond.example",
        "Nieuwe Mentor",
        koers_domain::field::PartnerRole::PlacementMentor,
        &user_id(&app.db, "manager@demo.koers.test").await,
    )
    .await
    .unwrap();
    w.commit().await.unwrap();

    let mut w = t.begin().await.unwrap();
    let vversion = koers_store::vision::create(
        &mut w,
        None,
        &koers_domain::vision::Document {
            mission: "Matrix".into(),
            ..Default::default()
        },
        "",
        &user_id(&app.db, "manager@demo.koers.test").await,
    )
    .await
    .unwrap();
    w.commit().await.unwrap();

    // Each caller: a browser session (cookie + CSRF token) and an API token.
    let mut browsers = Vec::new();
    let mut tokens = Vec::new();
    for who in WHO {
        let mut b = app.browser().await;
        if who != "anonymous" {
            let r = b.login(who, PASSWORD).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "login {who}");
            tokens.push(Some(app.api_login(who).await));
        } else {
            tokens.push(None);
        }
        browsers.push(b);
    }

    let mut failures = Vec::new();
    for (method, path, expected) in MATRIX {
        let real = path
            .replace("{user}", &user)
            .replace("{programme}", &programme)
            .replace("{student}", &student)
            .replace("{conversation}", &conversation)
            .replace("{agreement}", &agreement)
            .replace("{flag}", &programme)
            .replace("{code}", "LO-ECO")
            .replace("{slug}", "demo")
            .replace("{indicator}", "intake_in_time")
            .replace("{key}", "career-competencies")
            .replace("{practice}", &practice)
            .replace("{activity}", &activity)
            .replace("{evidence}", &evidence_id)
            .replace("{credential}", &credential)
            .replace("{design}", &design_id)
            .replace("{scan}", &scan_id)
            .replace("{employee}", &employee)
            .replace("{item}", &item)
            .replace("{appraisal}", &appraisal)
            .replace("{staffconv}", &staffconv)
            .replace("{team}", &team)
            .replace("{action}", &action)
            .replace("{instrument}", &instrument)
            .replace("{partner}", &partner)
            .replace("{placement_b}", &placement_b)
            .replace("{placement}", &placement)
            .replace("{task}", &task)
            .replace("{need}", &need)
            .replace("{offer}", &offer)
            .replace("{token}", &token)
            .replace("{vversion}", &vversion.to_string());
        for (i, who) in WHO.iter().enumerate() {
            let is_api = path.starts_with("/api/");
            let b = &mut browsers[i];
            let mut req = Request::builder()
                .method(Method::from_bytes(method.as_bytes()).unwrap())
                .uri(&real);
            if is_api {
                if let Some(t) = &tokens[i] {
                    req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
                }
            } else {
                req = req.header(header::COOKIE, b.cookie_string());
            }
            let body = if *method == "GET" {
                Body::empty()
            } else if is_api {
                req = req.header(header::CONTENT_TYPE, "application/json");
                Body::from("{}")
            } else {
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                let extra = body_for(path);
                // The login form carries the pre-session token (from its cookie).
                let csrf = if *path == "/login"
                    || *path == "/login/second-factor"
                    || *path == "/verify"
                    || path.starts_with("/invitations/")
                {
                    b.cookie("koers_csrf")
                } else {
                    b.csrf.clone()
                };
                Body::from(format!(
                    "_csrf={csrf}{}{extra}",
                    if extra.is_empty() { "" } else { "&" }
                ))
            };
            let logged_before = audit_events(&app).await;
            let res = app.send(req.body(body).unwrap()).await;
            let s = res.status;
            let to_login = s == StatusCode::SEE_OTHER && res.location().starts_with("/login?");
            // Every change is in the audit log: a successful write by a logged-in caller
            // leaves at least one event (its own or the generic `change.request`).
            let changed = *method != "GET"
                && (s.is_success() || (s.is_redirection() && !to_login))
                && *who != "anonymous"
                && !koers_web::audit_trail::NOT_LOGGED.contains(path)
                && !matches!(*path, "/login" | "/login/second-factor")
                && !path.starts_with("/invitations/");
            if changed && audit_events(&app).await == logged_before {
                failures.push(format!(
                    "{method} {path} as {who}: answered {s} but left nothing in the audit log"
                ));
            }
            // Allowed means the handler ran: empty forms and bodies may be refused as invalid,
            // and the login routes answer 401 to missing credentials.
            let login_route = matches!(*path, "/login" | "/api/v1/sessions");
            let got_ok = s.is_success()
                || (s.is_redirection() && !to_login)
                || s == StatusCode::UNPROCESSABLE_ENTITY
                || s == StatusCode::BAD_REQUEST
                || s == StatusCode::UNSUPPORTED_MEDIA_TYPE
                || (s == StatusCode::UNAUTHORIZED && login_route);
            let ok = match expected[i] {
                Ok => got_ok,
                No => s == StatusCode::FORBIDDEN,
                Nf => s == StatusCode::NOT_FOUND,
                Login => to_login,
                Auth => s == StatusCode::UNAUTHORIZED,
            };
            if !ok {
                failures.push(format!(
                    "{method} {path} as {who}: expected {:?}, got {s} {}",
                    expected[i],
                    res.body.chars().take(120).collect::<String>()
                ));
            }
            assert!(
                s != StatusCode::INTERNAL_SERVER_ERROR,
                "500 on {method} {path} as {who}: {}",
                res.body
            );
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix failures:\n{}",
        failures.join("\n")
    );
}

async fn audit_events(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_events")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}
