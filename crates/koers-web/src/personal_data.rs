//! A person's own data (AVG): download everything Koers keeps about you (JSON, and a readable
//! page to print or save as PDF), see who read your file, and, for administrators, erase a
//! person on request.

use crate::auth::{ApiUser, Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::state::AppState;
use crate::views::{Ctx, render};
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::policy::Action;
use koers_store::platform::audit::{self, Event, NewEvent};
use koers_store::platform::{personal_data, users};

async fn record(
    state: &AppState,
    a: &Authenticated,
    action: &str,
    person: &str,
    details: serde_json::Value,
) -> WebResult<()> {
    crate::audit_trail::record(
        state.db(),
        NewEvent {
            institution_id: Some(&a.user.institution_id),
            actor_id: Some(&a.user.id),
            actor_email: Some(&a.user.email),
            action,
            subject_type: Some("user"),
            subject_id: Some(person),
            person_id: Some(person),
            details,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// Everything kept about the caller, and the audit line saying they took it (in `format`).
async fn exported(
    state: &AppState,
    a: &Authenticated,
    format: &str,
) -> WebResult<serde_json::Value> {
    let data = personal_data::export(a.tenant(state), &a.user.id).await?;
    record(
        state,
        a,
        "person.export",
        &a.user.id,
        serde_json::json!({ "format": format }),
    )
    .await?;
    Ok(data)
}

/// Everything Koers keeps about the caller, as JSON (AVG art. 15).
#[utoipa::path(get, path = "/api/v1/me/export", tag = "platform",
    responses((status = 200, description = "All data kept about the caller, by table", body = serde_json::Value),
        (status = 401, description = "Not logged in", body = crate::api::ErrorBody)))]
pub async fn api_export(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<Json<serde_json::Value>> {
    let data = exported(&state, &a, "json").await?;
    Ok(Json(data))
}

/// The same JSON as a download from the page.
pub async fn json_download(
    State(state): State<AppState>,
    WebUser(a): WebUser,
) -> WebResult<Response> {
    let data = exported(&state, &a, "json").await?;
    let body =
        serde_json::to_string_pretty(&data).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"mijn-gegevens-koers.json\"".to_owned(),
            ),
        ],
        body,
    )
        .into_response())
}

/// One table of the readable export.
struct Section {
    title: String,
    rows: Vec<Vec<(String, String)>>,
}

#[derive(Template)]
#[template(path = "my_data.html")]
struct MyDataPage {
    ctx: Ctx,
    readers: Vec<Event>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "my_data_export.html")]
struct ExportPage {
    ctx: Ctx,
    name: String,
    sections: Vec<Section>,
}

#[derive(serde::Deserialize, Default)]
pub struct CursorQuery {
    cursor: Option<String>,
}

/// `GET /my-data`: who read or changed my data, and the downloads.
pub async fn page(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    axum::extract::Query(q): axum::extract::Query<CursorQuery>,
) -> WebResult<Response> {
    let cursor = q.cursor.filter(|c| koers_domain::is_id(c));
    let page = audit::about_person(a.tenant(&state), &a.user.id, 50, cursor.as_deref()).await?;
    Ok(render(&MyDataPage {
        ctx: Ctx::user(&a, "/my-data", "account"),
        readers: page.items,
        next: page.next,
    }))
}

/// `GET /my-data/export`: everything, readable, to print or save as PDF.
pub async fn readable(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    let data = exported(&state, &a, "html").await?;
    let names = people_named_in(&state, &a, &data).await?;
    let fields = |table: &str, m: &serde_json::Map<String, serde_json::Value>| {
        readable_fields(&a.tr, &names, table, m)
    };
    let mut sections = Vec::new();
    if let Some(acc) = data["account"].as_object() {
        sections.push(Section {
            title: a.tr.t("my-data-account"),
            rows: vec![fields("users", acc)],
        });
    }
    if let Some(tables) = data["tables"].as_object() {
        for (table, rows) in tables {
            sections.push(Section {
                title: a.tr.tk("data-table", table),
                rows: rows
                    .as_array()
                    .map(|r| {
                        r.iter()
                            .filter_map(|x| x.as_object())
                            .map(|row| fields(table, row))
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
    }
    Ok(render(&ExportPage {
        ctx: Ctx::user(&a, "/my-data/export", "account"),
        name: a.user.name.clone(),
        sections,
    }))
}

/// Columns the readable export leaves out: record keys and the audit chain's internals (the
/// JSON download keeps the keys, for a machine to follow).
fn hidden_in_readable(key: &str) -> bool {
    key == "id"
        || key.ends_with("_id")
        || matches!(key, "seq" | "salt" | "hash" | "prev_hash" | "personal_hash")
}

/// Columns that hold yes or no (stored as 0 or 1).
const YES_NO: &[&str] = &[
    "active",
    "attended",
    "counsellor_speaker",
    "demand_driven",
    "dialogical",
    "digest_opt_out",
    "handover_shared",
    "in_interview",
    "in_onboarding",
    "in_text",
    "practice_based",
    "responded",
    "shared_counsellor",
    "shared_mentor",
];

/// A row as (label, value) pairs people can read: labels in plain language, moments as dates,
/// yes and no, people by name.
/// Where the names of a column's stored values are in the translations: the prefixes to try,
/// in order (`conversation-status` for `conversations.status` = `held`: "geweest").
fn value_prefixes(table: &str, column: &str) -> &'static [&'static str] {
    match (table, column) {
        (_, "phase") => &["phase"],
        (_, c) if c.starts_with("status_") => &["status"],
        ("conversations", "status") => &["conversation-status"],
        ("agreements", "status") => &["agreement-status"],
        ("import_runs", "status") => &["import-run-status"],
        ("goals", "status") => &["goal-status"],
        ("activity_designs", "status") => &["design-status"],
        ("development_plans", "status") => &["plan-status"],
        ("development_items", "status") => &["goal-status", "activity-status"],
        ("appraisals", "status") => &["appraisal-status"],
        ("hr_records", "kind") => &["hr-kind"],
        ("placement_tasks", "kind") => &["task-kind"],
        ("placement_tasks", "status") => &["task-status"],
        _ => &[],
    }
}

/// The name of a stored value (a status, a phase), or the value itself when it has none.
fn value_name(tr: &crate::i18n::Tr, table: &str, column: &str, value: &str) -> String {
    value_prefixes(table, column)
        .iter()
        .map(|p| format!("{p}-{value}"))
        .find_map(|key| Some(tr.t(&key)).filter(|t| *t != key))
        .unwrap_or_else(|| value.to_owned())
}

fn readable_fields(
    tr: &crate::i18n::Tr,
    names: &std::collections::HashMap<String, String>,
    table: &str,
    m: &serde_json::Map<String, serde_json::Value>,
) -> Vec<(String, String)> {
    m.iter()
        .filter(|(k, v)| !v.is_null() && !hidden_in_readable(k))
        .map(|(k, v)| {
            let key = format!("data-col-{k}");
            let label = match tr.t(&key) {
                l if l == key => k.replace('_', " "),
                l => l,
            };
            let moment =
                k == "at" || k.ends_with("_at") || matches!(k.as_str(), "created" | "updated");
            let value = match v {
                serde_json::Value::Number(n)
                    if moment && n.as_i64().is_some_and(|ms| ms > 100_000_000_000) =>
                {
                    tr.datetime(&n.as_i64().unwrap_or_default())
                }
                serde_json::Value::Number(n) if YES_NO.contains(&k.as_str()) => {
                    tr.t(if n.as_i64() == Some(0) { "no" } else { "yes" })
                }
                serde_json::Value::Bool(b) => tr.t(if *b { "yes" } else { "no" }),
                serde_json::Value::String(s) if k.ends_with("_by") => {
                    names.get(s).cloned().unwrap_or_else(|| s.clone())
                }
                serde_json::Value::String(s) if s.starts_with(['{', '[']) => {
                    serde_json::from_str(s).map_or_else(|_| s.clone(), |j| plain_json(&j))
                }
                serde_json::Value::String(s) => value_name(tr, table, k, s),
                other => plain_json(other),
            };
            (label, value)
        })
        .collect()
}

/// Structured data (answers, an analysis) as text: `key: value` pairs, list items on their
/// own, numbers rounded to two decimals.
fn plain_json(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => m
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), plain_json(v)))
            .collect::<Vec<_>>()
            .join("; "),
        serde_json::Value::Array(a) => a.iter().map(plain_json).collect::<Vec<_>>().join(" | "),
        serde_json::Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or_default();
            let s = format!("{f:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        }
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The names of the people an export refers to (recorded by, agreed by, …), by user id.
async fn people_named_in(
    state: &AppState,
    a: &Authenticated,
    data: &serde_json::Value,
) -> WebResult<std::collections::HashMap<String, String>> {
    let mut ids = std::collections::BTreeSet::new();
    for rows in data["tables"]
        .as_object()
        .into_iter()
        .flat_map(|t| t.values())
    {
        for row in rows
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_object())
        {
            for (k, v) in row {
                if let (true, Some(id)) = (k.ends_with("_by"), v.as_str()) {
                    ids.insert(id.to_owned());
                }
            }
        }
    }
    let mut names = std::collections::HashMap::new();
    for id in ids {
        if let Some(u) = users::get(a.tenant(state), &id).await? {
            names.insert(id, u.name);
        }
    }
    Ok(names)
}

/// `POST /admin/users/{id}/erase`: erase a person on their request (administrators; not
/// oneself). The form must confirm that the request was checked.
pub async fn erase(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageUsers)?;
    let t = a.tenant(&state);
    let user = users::get(t, &id).await?.ok_or(WebError::NotFound)?;
    if user.id == a.user.id {
        return Err(WebError::Forbidden);
    }
    if form.get("confirm") != "1" {
        return Err(WebError::invalid("confirm", "erase-confirm"));
    }
    let done = personal_data::erase(t, &user.id).await?;
    record(
        &state,
        &a,
        "person.erase",
        &user.id,
        serde_json::json!({"deleted": done.rows_deleted, "blanked": done.rows_blanked}),
    )
    .await?;
    Ok(Redirect::to(&format!("/admin/users/{}?ok=erased", user.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::{plain_json, value_name};
    use crate::i18n::{Locale, Tr};

    #[test]
    fn stored_values_get_their_names() {
        let nl = Tr(Locale::Nl);
        assert_eq!(
            value_name(&nl, "conversations", "status", "held"),
            "geweest"
        );
        assert_eq!(value_name(&nl, "students", "phase", "intake"), "Instroom");
        assert_eq!(
            value_name(&nl, "guidance_summary", "status_intake", "overdue"),
            "te laat"
        );
        assert_eq!(
            value_name(&Tr(Locale::En), "placement_tasks", "status", "submitted"),
            "handed in"
        );
        // Unknown values, or columns without names, stay as they are.
        assert_eq!(value_name(&nl, "conversations", "status", "zzz"), "zzz");
        assert_eq!(value_name(&nl, "goals", "title", "held"), "held");
    }

    #[test]
    fn structured_data_reads_as_text() {
        let v = serde_json::json!([
            {"name": "Zoë", "words": 49, "share": 0.3983739837398374},
            {"name": "Sem", "share": 0.5, "note": null}
        ]);
        assert_eq!(
            plain_json(&v),
            "name: Zoë; share: 0.4; words: 49 | name: Sem; share: 0.5"
        );
    }
}
