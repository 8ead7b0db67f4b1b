//! The JSON API under `/api/v1`, described by the OpenAPI document at
//! `/api/v1/openapi.json`. Conventions: collections `{"items", "next"}` with `limit` and
//! `cursor`; string ids; creates answer 201 with the resource; authorization before
//! validation; errors `{"error": {"code", "message", "details"}}`.

mod credentials;
pub(crate) mod curriculum;
mod dto;
pub(crate) mod field;
pub(crate) mod guidance;
pub(crate) mod improvement;
mod indicators;
mod ooapi;
mod platform;
pub(crate) mod staff;
pub(crate) mod vision;

use crate::error::WebError;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

pub use dto::*;

#[derive(OpenApi)]
#[openapi(
    info(title = "Koers API", version = "1", description = "Koers: career guidance (LOB) in Dutch teacher education."),
    paths(
        platform::create_session,
        platform::delete_session,
        platform::me,
        crate::personal_data::api_export,
        crate::calendar_feed::api_url,
        credentials::my_credentials,
        credentials::get_credential,
        ooapi::import,
        platform::list_users,
        platform::create_user,
        platform::get_user,
        platform::patch_user,
        platform::list_programmes,
        platform::create_programme,
        guidance::list_students,
        guidance::get_student,
        guidance::import_students,
        guidance::import_study_progress,
        guidance::create_conversation,
        guidance::get_conversation,
        guidance::put_report,
        guidance::conversation_ics,
        guidance::instrument,
        guidance::create_self_assessment,
        guidance::programme_coverage,
        curriculum::list_frameworks,
        curriculum::export_framework,
        curriculum::import_framework,
        curriculum::create_practice,
        curriculum::get_practice,
        curriculum::create_activity,
        curriculum::learning_line,
        staff::create_scan,
        staff::open_scan,
        staff::close_scan,
        staff::questionnaire,
        staff::respond,
        staff::results,
        staff::export_instrument,
        staff::import_instrument,
        staff::get_plan,
        staff::put_plan,
        staff::create_self_assessment,
        field::list_partners,
        field::create_partner,
        field::create_invitation,
        field::list_placements,
        field::create_placement,
        field::get_placement,
        field::list_needs,
        field::create_need,
        field::list_offer,
        field::create_offer,
        field::alignment,
        vision::get_vision,
        vision::create_vision,
        vision::propose_vision,
        vision::adopt_vision,
        indicators::list_indicators,
        indicators::annual_report,
        improvement::list_actions,
        improvement::create_action,
        improvement::update_action,
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerAuth, &ErrorResponses),
    security(("bearer" = [])),
    tags((name = "platform", description = "Accounts, sessions, programmes"),
        (name = "guidance", description = "Students, conversations, the career file, coverage"),
        (name = "curriculum", description = "Frameworks, the learning line, evidence, practice conversations"),
        (name = "staff", description = "The HRM scan and staff career development"),
        (name = "field", description = "Partners, placements, field needs, the offer and their alignment"),
        (name = "vision", description = "The LOB vision, its versions and adoption"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every operation can meet a malformed request (400); those that take parameters or a body
/// can meet a well-formed one that does not hold (422). Both answer with [`ErrorBody`], so the
/// document says so once here rather than in every annotation.
struct ErrorResponses;

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |what: &str| {
            ResponseBuilder::new()
                .description(what)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let takes_input = op.request_body.is_some()
                    || op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let responses = &mut op.responses.responses;
                responses
                    .entry("400".into())
                    .or_insert_with(|| error("Malformed request").into());
                if takes_input {
                    responses
                        .entry("422".into())
                        .or_insert_with(|| error("Input that does not hold").into());
                }
            }
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi_json))
        .route(
            "/api/v1/sessions",
            axum::routing::post(platform::create_session),
        )
        .route(
            "/api/v1/sessions/current",
            axum::routing::delete(platform::delete_session),
        )
        .route("/api/v1/me", get(platform::me))
        .route("/api/v1/me/export", get(crate::personal_data::api_export))
        .route(
            "/api/v1/users",
            get(platform::list_users).post(platform::create_user),
        )
        .route(
            "/api/v1/users/{id}",
            get(platform::get_user).patch(platform::patch_user),
        )
        .route(
            "/api/v1/programmes",
            get(platform::list_programmes).post(platform::create_programme),
        )
        .route("/api/v1/students", get(guidance::list_students))
        .route(
            "/api/v1/frameworks",
            get(curriculum::list_frameworks).post(curriculum::import_framework),
        )
        .route(
            "/api/v1/frameworks/{key}/export",
            get(curriculum::export_framework),
        )
        .route("/api/v1/hrm-scans", axum::routing::post(staff::create_scan))
        .route(
            "/api/v1/hrm-scans/{id}/open",
            axum::routing::post(staff::open_scan),
        )
        .route(
            "/api/v1/hrm-scans/{id}/close",
            axum::routing::post(staff::close_scan),
        )
        .route(
            "/api/v1/hrm-scans/{id}/questionnaire",
            get(staff::questionnaire),
        )
        .route(
            "/api/v1/hrm-scans/{id}/responses",
            axum::routing::post(staff::respond),
        )
        .route("/api/v1/hrm-scans/{id}/results", get(staff::results))
        .route(
            "/api/v1/partners",
            get(field::list_partners).post(field::create_partner),
        )
        .route(
            "/api/v1/partners/{id}/invitations",
            axum::routing::post(field::create_invitation),
        )
        .route(
            "/api/v1/placements",
            get(field::list_placements).post(field::create_placement),
        )
        .route("/api/v1/placements/{id}", get(field::get_placement))
        .route(
            "/api/v1/field-needs",
            get(field::list_needs).post(field::create_need),
        )
        .route(
            "/api/v1/offer",
            get(field::list_offer).post(field::create_offer),
        )
        .route("/api/v1/alignment", get(field::alignment))
        .route(
            "/api/v1/vision",
            get(vision::get_vision).post(vision::create_vision),
        )
        .route(
            "/api/v1/vision/{version}/propose",
            axum::routing::post(vision::propose_vision),
        )
        .route(
            "/api/v1/vision/{version}/adopt",
            axum::routing::post(vision::adopt_vision),
        )
        .route("/api/v1/indicators", get(indicators::list_indicators))
        .route("/api/v1/me/credentials", get(credentials::my_credentials))
        .route("/api/v1/ooapi-imports", axum::routing::post(ooapi::import))
        .route("/api/v1/credentials/{id}", get(credentials::get_credential))
        .route(
            "/api/v1/me/calendar-feed",
            get(crate::calendar_feed::api_url),
        )
        .route("/api/v1/reports/annual", get(indicators::annual_report))
        .route("/api/v1/hrm-instrument", get(staff::export_instrument))
        .route(
            "/api/v1/hrm-instruments",
            axum::routing::post(staff::import_instrument),
        )
        .route(
            "/api/v1/improvement-actions",
            get(improvement::list_actions).post(improvement::create_action),
        )
        .route(
            "/api/v1/improvement-actions/{id}",
            axum::routing::put(improvement::update_action),
        )
        .route(
            "/api/v1/employees/{id}/development-plan",
            get(staff::get_plan).put(staff::put_plan),
        )
        .route(
            "/api/v1/employees/{id}/self-assessments",
            axum::routing::post(staff::create_self_assessment),
        )
        .route(
            "/api/v1/activities",
            axum::routing::post(curriculum::create_activity),
        )
        .route(
            "/api/v1/programmes/{code}/learning-line",
            get(curriculum::learning_line),
        )
        .route(
            "/api/v1/practice-conversations",
            axum::routing::post(curriculum::create_practice),
        )
        .route(
            "/api/v1/practice-conversations/{id}",
            get(curriculum::get_practice),
        )
        .route(
            "/api/v1/study-progress/import",
            axum::routing::post(guidance::import_study_progress)
                .layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route(
            "/api/v1/students/import",
            axum::routing::post(guidance::import_students)
                .layer(DefaultBodyLimit::max(IMPORT_LIMIT)),
        )
        .route("/api/v1/students/{id}", get(guidance::get_student))
        .route(
            "/api/v1/students/{id}/self-assessments",
            axum::routing::post(guidance::create_self_assessment),
        )
        .route(
            "/api/v1/conversations",
            axum::routing::post(guidance::create_conversation),
        )
        .route(
            "/api/v1/conversations/{id}",
            get(guidance::get_conversation),
        )
        .route(
            "/api/v1/conversations/{id}/report",
            axum::routing::put(guidance::put_report),
        )
        .route(
            "/api/v1/conversations/{id}/calendar.ics",
            get(guidance::conversation_ics),
        )
        .route(
            "/api/v1/instruments/career-competencies",
            get(guidance::instrument),
        )
        .route(
            "/api/v1/programmes/{code}/coverage",
            get(guidance::programme_coverage),
        )
        .fallback(|| async { WebError::NotFound })
}

/// The largest student import (a CSV of some 200,000 lines).
pub const IMPORT_LIMIT: usize = 32 * 1024 * 1024;

async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// Parse a JSON body (after authorization), with a specific 400 on malformed input.
/// Every body is a JSON object: serde would otherwise read a struct from an array too.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, WebError> {
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(WebError::BadRequest(
            "invalid JSON body: expected an object".into(),
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| WebError::BadRequest(format!("invalid JSON body: {e}")))?;
    if has_nul(&value) {
        return Err(WebError::BadRequest(
            "invalid JSON body: text with a NUL character".into(),
        ));
    }
    serde_json::from_value(value)
        .map_err(|e| WebError::BadRequest(format!("invalid JSON body: {e}")))
}

/// Whether any key or string in a JSON value holds a NUL character (which no database column
/// of ours accepts: PostgreSQL refuses it in text).
fn has_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(a) => a.iter().any(has_nul),
        serde_json::Value::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// `limit` and `cursor` of a collection request.
pub(crate) struct Paging {
    pub limit: u32,
    pub cursor: Option<String>,
    pub q: Option<String>,
}

impl Paging {
    pub fn parse(query: Option<&str>) -> Result<Self, WebError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|_| WebError::BadRequest("malformed query string".into()))?;
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let limit = match get("limit") {
            None => 50,
            Some(v) => match v.parse::<u32>() {
                Ok(n) if (1..=500).contains(&n) => n,
                _ => return Err(WebError::invalid("limit", "limit-invalid")),
            },
        };
        Ok(Paging {
            limit,
            cursor: get("cursor").filter(|c| !c.is_empty()),
            q: get("q"),
        })
    }
}
