//! Indicators of the LOB vision and the annual report through the API.

use super::dto::*;
use super::guidance::query_pairs;
use crate::auth::ApiUser;
use crate::error::{WebError, WebResult};
use crate::indicators;
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::http::header::ACCEPT;
use axum::response::{IntoResponse, Response};
use koers_domain::vision::indicator::Period;
use koers_store::indicators::{target_for, value_of};

fn param(query: Option<&str>, name: &str) -> WebResult<Option<String>> {
    Ok(query_pairs(query)?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v))
}

/// `year` as the API documents it: an integer when present (the pages take an empty one as the
/// running year; the API does not).
fn api_year(query: Option<&str>) -> WebResult<i16> {
    match param(query, "year")? {
        Some(y) if y.trim().is_empty() => Err(WebError::invalid("year", "year-invalid")),
        y => indicators::parse_year(y.as_deref()),
    }
}

/// The indicator values of an academic year with their targets and status: the institution's
/// (no `programme`) and each programme's the caller may read; with `programme`, that
/// programme's only.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "vision",
    params(("year" = Option<i32>, Query, description = "The academic year that starts in this year (2026 = 2026–2027); default the running year"),
        ("programme" = Option<String>, Query, description = "Programme code (default: the institution and every programme the caller reads)")),
    responses((status = 200, body = IndicatorList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_indicators(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    RawQuery(query): RawQuery,
) -> WebResult<Json<IndicatorList>> {
    let year = api_year(query.as_deref())?;
    let code = param(query.as_deref(), "programme")?;
    let view = match indicators::view(&state, &a, code.as_deref()).await {
        Err(WebError::NotFound) => return Err(WebError::invalid("programme", "programme-unknown")),
        other => other?,
    };
    let t = a.tenant(&state);
    let values = koers_store::indicators::values(t, year).await?;
    let targets = koers_store::indicators::targets(t, year).await?;
    let as_of = koers_store::indicators::refreshed(t, year)
        .await?
        .map(|r| r.as_of);
    let programmes: Vec<_> = match (&view.programme, code.is_some()) {
        (Some(p), _) => vec![p.clone()],
        (None, _) if view.indicators.iter().any(|i| i.per_programme()) => {
            indicators::scopes(&state, &a).await?
        }
        _ => Vec::new(),
    };
    let mut items = Vec::new();
    for s in values
        .iter()
        .filter(|s| s.period == Period::Year && s.grain.cohort == 0)
    {
        let i = s.grain.indicator;
        if !view.indicators.contains(&i) {
            continue;
        }
        let programme = if s.grain.programme.is_empty() {
            if view.programme.is_some() {
                continue;
            }
            None
        } else {
            match programmes.iter().find(|p| p.id == s.grain.programme) {
                Some(p) => Some(p.code.clone()),
                None => continue,
            }
        };
        let Some(value) = value_of(s) else { continue };
        let target = target_for(&targets, i, &s.grain.programme).map(|x| x.target);
        let target_now = match (as_of, target) {
            (Some(d), Some(x)) => Some(i.target_by(x, year, d)),
            (_, x) => x,
        };
        items.push(IndicatorDto {
            key: i.key().into(),
            value,
            target,
            status: target_now.map(|x| i.status(value, x).key().into()),
            programme,
        });
    }
    Ok(Json(IndicatorList {
        year: i32::from(year),
        as_of: as_of.map(|d| d.to_string()),
        items,
    }))
}

/// The annual LOB report of a year: `Accept: application/pdf` gives the PDF, `text/csv` every
/// indicator value; otherwise a JSON summary.
#[utoipa::path(get, path = "/api/v1/reports/annual", tag = "vision",
    params(("year" = Option<i32>, Query, description = "The academic year (2026 = 2026–2027); default the running year"),
        ("programme" = Option<String>, Query, description = "Programme code (default: the institution)")),
    responses((status = 200, description = "The report", body = AnnualReportDto,
            content((AnnualReportDto = "application/json"), (String = "application/pdf"), (String = "text/csv"))),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn annual_report(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> WebResult<Response> {
    let year = api_year(query.as_deref())?;
    let code = param(query.as_deref(), "programme")?;
    let view = match indicators::view(&state, &a, code.as_deref()).await {
        Err(WebError::NotFound) => return Err(WebError::invalid("programme", "programme-unknown")),
        other => other?,
    };
    let accept = headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if accept.contains("text/csv") {
        return Ok(crate::report::csv(&state, &a, &view)
            .await?
            .response("indicatoren.csv"));
    }
    let r = crate::report::build(&state, &a, view, year).await?;
    if accept.contains("application/pdf") {
        let bytes = crate::report::pdf(&r, &a.tr).await?;
        return Ok(crate::report::pdf_response(
            bytes,
            &crate::report::filename(&r, "pdf"),
        ));
    }
    Ok(Json(AnnualReportDto {
        year: i32::from(year),
        programme: r.view.programme.as_ref().map(|p| p.code.clone()),
        vision_version: r.vision.as_ref().map(|v| v.version),
        indicators: r
            .board
            .rows
            .iter()
            .map(|row| ReportIndicatorDto {
                key: row.indicator.key().into(),
                value: row.value,
                target: row.target,
                status: row.status.map(|s| s.key().into()),
                trend: row
                    .trend
                    .iter()
                    .map(|(y, v, _)| TrendPointDto {
                        year: i32::from(*y),
                        value: *v,
                    })
                    .collect(),
            })
            .collect(),
        actions: r.actions.len() as i64,
        self_scans: r.scans.iter().filter(|(_, s)| s.is_some()).count() as i64,
    })
    .into_response())
}
