//! The router: every route of Koers, and the layers around it.

use crate::auth::request_locale;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::state::AppState;
use crate::{api, assets, csrf, health, metrics, views};
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Build the whole application.
pub fn make_app(state: AppState) -> Router {
    let _ = metrics::handle();
    let pages = Router::new()
        .route("/", get(views::home::root))
        .route("/login", get(views::login::form).post(views::login::submit))
        .route(
            "/login/second-factor",
            get(crate::second_factor::challenge_form).post(crate::second_factor::challenge_submit),
        )
        .route("/login/sso", get(crate::sso::start))
        .route("/login/sso/callback", get(crate::sso::callback))
        .route(
            "/admin/users/import",
            get(views::staff_import::form).post(views::staff_import::upload),
        )
        .route(
            "/admin/users/import/confirm",
            post(views::staff_import::confirm),
        )
        .route("/admin/ooapi", get(views::ooapi_import::page))
        .route("/admin/ooapi/preview", post(views::ooapi_import::preview))
        .route("/admin/ooapi/apply", post(views::ooapi_import::apply))
        .route(
            "/admin/sso",
            get(views::sso_settings::show).post(views::sso_settings::save),
        )
        .route("/logout", post(views::login::logout))
        .route("/language", post(views::account::switch_language))
        .route("/privacy", get(views::statements::privacy))
        .route(
            "/privacy/{slug}",
            get(views::statements::institution_privacy),
        )
        .route(
            "/admin/privacy",
            get(views::privacy_settings::show).post(views::privacy_settings::save),
        )
        .route("/accessibility", get(views::statements::accessibility))
        .route("/home", get(views::home::page))
        .route("/account", get(views::account::page))
        .route("/my-data", get(crate::personal_data::page))
        .route("/my-data/export", get(crate::personal_data::readable))
        .route(
            "/my-data/export.json",
            get(crate::personal_data::json_download),
        )
        .route("/admin/users/{id}/erase", post(crate::personal_data::erase))
        .route("/notifications", get(views::notifications::list))
        .route("/notifications/read", post(views::notifications::mark))
        .route("/admin/outbox", get(views::notifications::outbox))
        .route("/credentials", get(views::credentials::list))
        .route(
            "/verify",
            get(views::credentials::form).post(views::credentials::check_pasted),
        )
        .route("/verify/{id}", get(views::credentials::show))
        .route("/admin/credentials", get(views::credentials::keys))
        .route(
            "/admin/credentials/rotate",
            post(views::credentials::rotate),
        )
        .route("/account/password", post(views::account::change_password))
        .route(
            "/account/second-factor",
            get(crate::second_factor::account_form).post(crate::second_factor::account_confirm),
        )
        .route(
            "/account/second-factor/remove",
            post(crate::second_factor::account_remove),
        )
        .route(
            "/admin/users/{id}/second-factor/reset",
            post(crate::second_factor::admin_reset),
        )
        .route("/account/language", post(views::account::set_language))
        .route("/account/digest", post(views::account::set_digest))
        .route(
            "/account/calendar-feed",
            post(views::account::renew_calendar_feed),
        )
        .route(
            "/account/calendar-feed/revoke",
            post(views::account::revoke_calendar_feed),
        )
        .route(
            "/account/sessions",
            post(views::account::end_other_sessions),
        )
        .route(
            "/admin/users",
            get(views::users::list).post(views::users::create),
        )
        .route("/admin/users/new", get(views::users::new_form))
        .route(
            "/admin/users/{id}",
            get(views::users::show).post(views::users::update),
        )
        .route("/admin/users/{id}/active", post(views::users::set_active))
        .route(
            "/admin/users/{id}/password",
            post(views::users::reset_password),
        )
        .route(
            "/admin/programmes",
            get(views::programmes::list).post(views::programmes::create),
        )
        .route(
            "/admin/programmes/{id}",
            get(views::programmes::show).post(views::programmes::rename),
        )
        .route(
            "/admin/programmes/{id}/cohorts",
            post(views::programmes::add_cohort),
        )
        .route("/admin/audit", get(views::audit::list))
        .route("/students", get(views::students::list))
        .route("/coverage", get(views::coverage::page))
        .route("/slots", get(views::slots::list).post(views::slots::create))
        .route(
            "/groups",
            get(views::groups::list).post(views::groups::create),
        )
        .route("/groups/{id}", get(views::groups::show))
        .route("/groups/{id}/attendance", post(views::groups::attendance))
        .route("/groups/{id}/calendar.ics", get(views::groups::calendar))
        .route("/slots/{id}/delete", post(views::slots::delete))
        .route("/book", get(views::slots::book_form))
        .route("/book/{id}", post(views::slots::book))
        .route("/conversations/request", post(views::slots::request))
        .route(
            "/conversations/{id}/reschedule",
            post(views::slots::reschedule),
        )
        .route("/conversations/{id}/cancel", post(views::slots::cancel))
        .route("/counsellors", get(views::counsellors::page))
        .route(
            "/counsellors/stand-ins",
            post(views::counsellors::create_stand_in),
        )
        .route(
            "/counsellors/stand-ins/{id}/end",
            post(views::counsellors::end_stand_in),
        )
        .route("/counsellors/handover", post(views::counsellors::hand_over))
        .route(
            "/students/{id}/counsellor",
            post(views::counsellors::reassign),
        )
        .route("/career-file", get(views::career_file::page))
        .route(
            "/career-file/self-assessments",
            post(views::career_file::self_assessment),
        )
        .route(
            "/career-file/reflections",
            post(views::career_file::add_reflection),
        )
        .route("/career-file/goals", post(views::career_file::add_goal))
        .route(
            "/career-file/goals/{id}/status",
            post(views::career_file::goal_status),
        )
        .route("/career-file/choice", post(views::career_file::save_choice))
        .route(
            "/career-file/handover",
            post(views::career_file::save_handover),
        )
        .route(
            "/career-file/items/{id}/sharing",
            post(views::career_file::set_sharing),
        )
        .route(
            "/career-file/items/{id}/delete",
            post(views::career_file::delete_item),
        )
        .route("/coverage.csv", get(views::coverage::csv))
        .route(
            "/coverage/{code}/rules",
            get(views::rules::page).post(views::rules::save),
        )
        .route(
            "/students/import",
            get(views::import::form)
                .post(views::import::upload)
                .layer(axum::extract::DefaultBodyLimit::max(api::IMPORT_LIMIT)),
        )
        .route(
            "/students/import/progress",
            post(views::import::upload_progress)
                .layer(axum::extract::DefaultBodyLimit::max(api::IMPORT_LIMIT)),
        )
        .route(
            "/students/import/template.csv",
            get(views::import::template),
        )
        .route(
            "/students/import/{id}/confirm",
            post(views::import::confirm),
        )
        .route("/students/import/runs/{id}", get(views::import::run))
        .route(
            "/students/import/runs/{id}/progress",
            get(views::import::run_progress),
        )
        .route(
            "/frameworks",
            get(views::frameworks::list).post(views::frameworks::import),
        )
        .route("/frameworks/{key}", get(views::frameworks::show))
        .route(
            "/frameworks/{key}/export.json",
            get(views::frameworks::export),
        )
        .route("/frameworks/{key}/copy", post(views::frameworks::copy))
        .route(
            "/frameworks/{key}/edit",
            get(views::frameworks::edit).post(views::frameworks::save),
        )
        .route("/learning-line", get(views::learning_line::first))
        .route("/learning-line/{code}", get(views::learning_line::show))
        .route(
            "/learning-line/{code}/export.csv",
            get(views::learning_line::csv),
        )
        .route(
            "/learning-line/{code}/activities",
            post(views::activities::create),
        )
        .route(
            "/learning-line/{code}/activities/new",
            get(views::activities::new),
        )
        .route(
            "/activities/{id}",
            get(views::activities::edit).post(views::activities::update),
        )
        .route("/activities/{id}/delete", post(views::activities::delete))
        .route(
            "/activities/{id}/completions",
            get(views::activities::completions).post(views::activities::complete),
        )
        .route(
            "/activities/{id}/credential",
            post(views::activities::set_awards),
        )
        .route(
            "/learning-line/{code}/progress",
            get(views::evidence::group),
        )
        .route(
            "/evidence",
            get(views::evidence::list)
                .post(views::evidence::create)
                .layer(axum::extract::DefaultBodyLimit::max(
                    koers_domain::curriculum::evidence::MAX_FILE_BYTES + 64 * 1024,
                )),
        )
        .route(
            "/hrm-scan",
            get(views::hrm_scan::list).post(views::hrm_scan::create),
        )
        .route("/hrm-scan/instrument", get(views::hrm_instrument::show))
        .route(
            "/hrm-scan/instrument/export.json",
            get(views::hrm_instrument::export),
        )
        .route(
            "/hrm-scan/instrument/import",
            post(views::hrm_instrument::import),
        )
        .route(
            "/hrm-scan/instrument/edit",
            post(views::hrm_instrument::edit),
        )
        .route(
            "/hrm-scan/instrument/{id}/current",
            post(views::hrm_instrument::make_current),
        )
        .route("/hrm-scan/{id}", get(views::hrm_scan::show))
        .route("/hrm-scan/{id}/status", post(views::hrm_scan::set_status))
        .route(
            "/hrm-scan/{id}/answer",
            get(views::hrm_scan::answer).post(views::hrm_scan::submit),
        )
        .route(
            "/designs",
            get(views::designs::list).post(views::designs::create),
        )
        .route("/designs/library", get(views::designs::library))
        .route(
            "/designs/{id}",
            get(views::designs::show).post(views::designs::update),
        )
        .route("/designs/{id}/feedback", post(views::designs::add_feedback))
        .route("/designs/{id}/reviewers", post(views::designs::ask_review))
        .route("/designs/{id}/publish", post(views::designs::publish))
        .route("/designs/{id}/delete", post(views::designs::delete))
        .route("/evidence/{id}", get(views::evidence::show))
        .route("/evidence/{id}/file", get(views::evidence::file))
        .route("/evidence/{id}/assess", post(views::evidence::assess))
        .route("/evidence/{id}/sign-off", post(views::evidence::sign_off))
        .route(
            "/evidence/{id}/reviewers",
            post(views::evidence::ask_review),
        )
        .route("/evidence/{id}/delete", post(views::evidence::delete))
        .route(
            "/practice",
            get(views::practice::list).post(views::practice::upload),
        )
        .route("/practice/{id}", get(views::practice::show))
        .route(
            "/practice/{id}/feedback",
            post(views::practice::add_feedback),
        )
        .route(
            "/practice/{id}/reviewers",
            post(views::practice::ask_review),
        )
        .route("/practice/{id}/delete", post(views::practice::delete))
        .route("/students/{id}", get(views::students::show))
        .route("/students/{id}/intake", post(views::students::save_intake))
        .route("/students/{id}/phase", post(views::phases::set_phase))
        .route(
            "/students/{id}/edit",
            get(views::student_edit::form).post(views::student_edit::save),
        )
        .route("/students/{id}/support", post(views::students::add_support))
        .route(
            "/students/{id}/support/{flag}/close",
            post(views::students::close_support),
        )
        .route("/students/{id}/progress", post(views::phases::add_progress))
        .route("/students/{id}/outflow", post(views::phases::save_outflow))
        .route("/students/{id}/handover", get(views::phases::handover))
        .route(
            "/career-file/exit-reflection",
            post(views::phases::exit_reflection),
        )
        .route(
            "/students/{id}/conversations",
            post(views::students::plan_conversation),
        )
        .route("/conversations/{id}", get(views::conversations::show))
        .route(
            "/conversations/{id}/report",
            post(views::conversations::save_report),
        )
        .route(
            "/agreements/{id}/status",
            post(views::conversations::set_agreement_status),
        )
        .route(
            "/conversations/{id}/calendar.ics",
            get(views::conversations::calendar),
        )
        .route("/teams", get(views::teams::show).post(views::teams::create))
        .route("/teams.csv", get(views::teams::csv))
        .route("/teams/{id}/manager", post(views::teams::set_manager))
        .route("/teams/{id}/members", post(views::teams::add_member))
        .route(
            "/teams/{id}/members/{user}/remove",
            post(views::teams::remove_member),
        )
        .route(
            "/improvement-actions",
            get(views::improvement::list).post(views::improvement::create),
        )
        .route(
            "/improvement-actions/{id}",
            post(views::improvement::update),
        )
        .route(
            "/hr-records",
            get(views::hr_records::list).post(views::hr_records::create),
        )
        .route(
            "/partners",
            get(views::partners::list).post(views::partners::create),
        )
        .route("/partners/{id}", get(views::partners::show))
        .route(
            "/partners/{id}/contacts",
            post(views::partners::add_contact),
        )
        .route(
            "/partners/{id}/partnerships",
            post(views::partners::add_partnership),
        )
        .route(
            "/partners/{id}/invitations",
            post(views::partners::invite_person),
        )
        .route(
            "/invitations/{token}",
            get(views::partners::accept_form).post(views::partners::accept),
        )
        .route(
            "/placements",
            get(views::placements::list).post(views::placements::create),
        )
        .route("/placements/{id}", get(views::placements::show))
        .route("/placements/{id}/tasks", post(views::placements::add_task))
        .route(
            "/placements/{id}/tasks/{task}/submit",
            post(views::placements::submit_task),
        )
        .route(
            "/placements/{id}/tasks/{task}/assess",
            post(views::placements::assess_task),
        )
        .route(
            "/field-needs",
            get(views::needs::list).post(views::needs::create),
        )
        .route("/field-needs/{id}/triage", post(views::needs::triage))
        .route(
            "/field-needs/{id}/alignment",
            post(views::needs::set_alignment),
        )
        .route("/alignment", get(views::needs::alignment))
        .route(
            "/field-survey",
            get(views::needs::survey).post(views::needs::save_survey),
        )
        .route("/alignment.csv", get(views::needs::alignment_csv))
        .route("/offer", get(views::offer::list).post(views::offer::create))
        .route("/offer/{id}", get(views::offer::show))
        .route("/offer/{id}/enrol", post(views::offer::enrol))
        .route("/offer/{id}/calendar.ics", get(views::offer::calendar))
        .route("/offer/{id}/people", post(views::offer::add_person))
        .route("/offer/{id}/evaluation", post(views::offer::evaluate))
        .route(
            "/vision",
            get(views::vision::show).post(views::vision::create),
        )
        .route("/vision/new", get(views::vision::new_form))
        .route("/vision/{version}", get(views::vision::show_version))
        .route("/vision/{version}/status", post(views::vision::set_status))
        .route("/indicators", get(views::indicators::board))
        .route("/indicators/refresh", post(views::indicators::refresh))
        .route("/indicators/{indicator}", get(views::indicators::detail))
        .route("/progression", get(views::indicators::progression))
        .route("/reports/annual", get(views::report::annual))
        .route("/quality", get(views::quality::show))
        .route("/quality/targets", post(views::quality::save_targets))
        .route("/quality/actions", post(views::quality::add_action))
        .route(
            "/self-scans/{code}",
            get(views::quality::selfscan_show).post(views::quality::selfscan_save),
        )
        .route("/development", get(views::staff::mine))
        .route("/employees/{id}", get(views::staff::show))
        .route(
            "/employees/{id}/ambition",
            post(views::staff::save_ambition),
        )
        .route("/employees/{id}/goals", post(views::staff::add_goal))
        .route(
            "/employees/{id}/activities",
            post(views::staff::add_activity),
        )
        .route(
            "/employees/{id}/items/{item}/status",
            post(views::staff::set_item_status),
        )
        .route(
            "/employees/{id}/items/{item}/delete",
            post(views::staff::delete_item),
        )
        .route("/employees/{id}/progress", post(views::staff::add_progress))
        .route("/employees/{id}/agree", post(views::staff::agree))
        .route(
            "/employees/{id}/self-assessments",
            post(views::staff::self_assessment),
        )
        .route(
            "/employees/{id}/conversations",
            post(views::staff::plan_conversation),
        )
        .route(
            "/employees/{id}/appraisals",
            post(views::staff::save_appraisal),
        )
        .route(
            "/employees/{id}/appraisals/{appraisal}/comment",
            post(views::staff::comment_appraisal),
        )
        .route(
            "/staff-conversations/{id}",
            get(views::staff_conversations::show),
        )
        .route(
            "/staff-conversations/{id}/calendar.ics",
            get(views::staff_conversations::calendar),
        )
        .route(
            "/staff-conversations/{id}/report",
            post(views::staff_conversations::save_report),
        )
        .route(
            "/staff-conversations/{id}/cancel",
            post(views::staff_conversations::cancel),
        )
        .route("/baseline", get(views::baseline::page))
        .route("/calendar/{file}", get(crate::calendar_feed::feed));

    Router::new()
        .merge(pages.layer(middleware::from_fn(views::csv::export_layer)))
        .merge(api::router())
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/assets/style.css", get(assets::style))
        .route("/assets/htmx.min.js", get(assets::htmx))
        .route("/assets/app.js", get(assets::app_js))
        .fallback(|| async { WebError::NotFound })
        .layer(middleware::from_fn_with_state(state.clone(), crate::audit_trail::layer))
        .layer(middleware::from_fn_with_state(state.clone(), csrf::csrf_layer))
        .layer(middleware::from_fn_with_state(state.clone(), database_guard))
        .layer(middleware::from_fn(refuse_nul_in_uri))
        .layer(middleware::from_fn(render_errors))
        .layer(middleware::from_fn(metrics::track))
        .layer(RequestBodyLimitLayer::new(api::IMPORT_LIMIT + 64 * 1024))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CompressionLayer::new())
        .layer(security_header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // Personal data stay out of browser and proxy caches (ASVS 8.2.1: the back button and
        // the disk cache of a shared school computer); only the assets set their own caching.
        .layer(security_header(header::CACHE_CONTROL, "no-store"))
        .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(security_header(header::REFERRER_POLICY, "same-origin"))
        .layer(security_header(HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=()"))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Write the body of error responses: JSON under `/api/`, an HTML page elsewhere; an
/// unauthenticated page request is sent to the login page. Also turns axum's own rejections
/// (e.g. a malformed path) into the same shapes.
async fn render_errors(req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let path_and_query = req
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let tr = Tr(request_locale(req.headers()));
    let is_htmx = req.headers().contains_key("hx-request");
    let mut res = next.run(req).await;
    let err = match res.extensions_mut().remove::<WebError>() {
        Some(e) => e,
        // A page or JSON body of our own (e.g. a form with field errors) stays as it is.
        None if res.headers().get(header::CONTENT_TYPE).is_some_and(|v| {
            v.as_bytes().starts_with(b"text/html") || v.as_bytes().starts_with(b"application/json")
        }) =>
        {
            return res;
        }
        None => match res.status() {
            // axum's own rejections (unknown route, wrong method, bad path or query, body
            // too large, timeout) get the same error shapes as ours.
            StatusCode::NOT_FOUND => WebError::NotFound,
            s @ (StatusCode::METHOD_NOT_ALLOWED
            | StatusCode::PAYLOAD_TOO_LARGE
            | StatusCode::BAD_REQUEST
            | StatusCode::UNPROCESSABLE_ENTITY
            | StatusCode::UNSUPPORTED_MEDIA_TYPE) => {
                let e = WebError::BadRequest(s.canonical_reason().unwrap_or("bad request").into());
                return finish(e, s, is_api, &tr, res.headers().clone());
            }
            StatusCode::REQUEST_TIMEOUT => {
                let e = WebError::Internal("request timed out".into());
                tracing::error!("request timed out");
                return finish(
                    e,
                    StatusCode::REQUEST_TIMEOUT,
                    is_api,
                    &tr,
                    res.headers().clone(),
                );
            }
            _ => return res,
        },
    };
    if matches!(err, WebError::Unauthenticated) && !is_api {
        let next = urlencode(&path_and_query);
        let target = format!("/login?next={next}");
        if is_htmx {
            return (
                [(HeaderName::from_static("hx-redirect"), target)],
                StatusCode::UNAUTHORIZED,
            )
                .into_response();
        }
        return Redirect::to(&target).into_response();
    }
    let status = err.status();
    finish(err, status, is_api, &tr, res.headers().clone())
}

/// While the database is unreachable, answer 503 at once (a clear page, or JSON under
/// `/api/`), except for health checks and assets; a request that finds it unreachable starts
/// the probe that ends this (see [`AppState::mark_db_down`]).
async fn database_guard(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let exempt =
        matches!(path, "/healthz" | "/readyz" | "/metrics") || path.starts_with("/assets/");
    if state.db_is_down() && !exempt {
        return WebError::Unavailable("the database is unreachable".into()).into_response();
    }
    let res = next.run(req).await;
    if matches!(
        res.extensions().get::<WebError>(),
        Some(WebError::Unavailable(_))
    ) {
        state.mark_db_down();
    }
    res
}

/// A path or query with an encoded NUL character (`%00`) is refused before any handler: no
/// link of ours makes one, and PostgreSQL cannot store it.
async fn refuse_nul_in_uri(req: Request, next: Next) -> Response {
    let uri = req.uri().path_and_query().map_or("", |p| p.as_str());
    if uri
        .as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
    {
        return WebError::BadRequest("an encoded NUL character in the address".into())
            .into_response();
    }
    next.run(req).await
}

fn finish(
    err: WebError,
    status: StatusCode,
    is_api: bool,
    tr: &Tr,
    headers: axum::http::HeaderMap,
) -> Response {
    let mut res = if is_api {
        (status, axum::Json(err.json_body(tr))).into_response()
    } else {
        (status, views::error_page(tr, &err, status)).into_response()
    };
    if let Some(v) = headers.get(header::RETRY_AFTER) {
        res.headers_mut().insert(header::RETRY_AFTER, v.clone());
    }
    if let Some(v) = headers.get(header::ALLOW) {
        res.headers_mut().insert(header::ALLOW, v.clone());
    }
    res
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|v| v[1..].to_owned())
        .unwrap_or_default()
}
