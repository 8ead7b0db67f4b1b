//! Adding and changing LOB activities of a programme, with the competences they address at
//! I, R or M.

use super::{Ctx, FieldMsg, field_msgs, render, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::curriculum::learning_line::{
    ActivityInput, ActivityKind, Depth, PARTNERS, RawActivity,
};
use koers_domain::guidance::Phase;
use koers_domain::policy::Action;
use koers_store::curriculum::activities;
use koers_store::curriculum::frameworks::{self, CompetenceRef, FrameworkSummary};
use koers_store::platform::programmes::{self, Programme};

/// (competence id, depth) pairs of an activity.
type Links = Vec<(String, Depth)>;

/// What the form shows and keeps.
#[derive(Default, Clone)]
pub struct Form {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub year: String,
    pub period: String,
    pub phase: String,
    pub study_hours: String,
    pub goals: String,
    pub partners: Vec<String>,
    /// (competence id, depth key)
    pub depths: Vec<(String, String)>,
}

impl Form {
    fn depth(&self, competence_id: &str) -> &str {
        self.depths
            .iter()
            .find(|(c, _)| c == competence_id)
            .map_or("", |(_, d)| d.as_str())
    }

    fn has_partner(&self, p: &str) -> bool {
        self.partners.iter().any(|x| x == p)
    }
}

#[derive(Template)]
#[template(path = "activity_form.html")]
struct Page {
    ctx: Ctx,
    programme: Programme,
    id: Option<String>,
    form: Form,
    frameworks: Vec<(FrameworkSummary, Vec<CompetenceRef>)>,
    errors: Vec<FieldMsg>,
    kinds: [ActivityKind; 4],
    phases: [Phase; 4],
    partners: [&'static str; 3],
    depths: [Depth; 3],
    lang: &'static str,
}

impl Page {
    fn any_set(&self, comps: &[CompetenceRef]) -> bool {
        comps.iter().any(|c| !self.form.depth(&c.id).is_empty())
    }

    fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
}

async fn page(
    state: &AppState,
    a: &Authenticated,
    programme: Programme,
    id: Option<String>,
    form: Form,
) -> WebResult<Page> {
    let t = a.tenant(state);
    let mut fws = Vec::new();
    for f in frameworks::list(t).await? {
        let comps = frameworks::competences_of(t, std::slice::from_ref(&f.id)).await?;
        fws.push((f, comps));
    }
    Ok(Page {
        ctx: Ctx::user(a, "/learning-line", "curriculum"),
        programme,
        id,
        form,
        frameworks: fws,
        errors: Vec::new(),
        kinds: ActivityKind::ALL,
        phases: Phase::ALL,
        partners: PARTNERS,
        depths: Depth::ALL,
        lang: a.tr.lang(),
    })
}

async fn programme_for(state: &AppState, a: &Authenticated, code: &str) -> WebResult<Programme> {
    let p = programmes::by_code(a.tenant(state), code)
        .await?
        .ok_or(WebError::NotFound)?;
    a.require(Action::ManageActivities {
        programme_id: &p.id,
    })?;
    Ok(p)
}

pub async fn new(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(code): Path<String>,
) -> WebResult<Response> {
    a.require(Action::ViewCurriculum)?;
    let p = programme_for(&state, &a, &code).await?;
    let form = Form {
        kind: "workshop".into(),
        year: "1".into(),
        ..Default::default()
    };
    Ok(render(&page(&state, &a, p, None, form).await?))
}

fn read_form(f: &FormData) -> Form {
    let depths = f
        .all_with_prefix("c-")
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Form {
        kind: f.get("kind").to_owned(),
        title: f.get("title").to_owned(),
        description: f.get("description").to_owned(),
        year: f.get("year").to_owned(),
        period: f.get("period").to_owned(),
        phase: f.get("phase").to_owned(),
        study_hours: f.get("study_hours").to_owned(),
        goals: f.get("goals").to_owned(),
        partners: f.all("partners").into_iter().map(str::to_owned).collect(),
        depths,
    }
}

fn check(form: &Form) -> Result<(ActivityInput, Links), Vec<koers_domain::FieldError>> {
    let raw = RawActivity {
        kind: &form.kind,
        title: &form.title,
        description: &form.description,
        year: &form.year,
        period: &form.period,
        phase: &form.phase,
        study_hours: &form.study_hours,
        goals: &form.goals,
        partners: form.partners.iter().map(String::as_str).collect(),
    };
    let mut errors = Vec::new();
    let input = ActivityInput::parse(&raw)
        .map_err(|e| errors.extend(e))
        .ok();
    let mut links = Vec::new();
    for (c, d) in &form.depths {
        match Depth::parse(d) {
            Some(d) if koers_domain::is_id(c) => links.push((c.clone(), d)),
            _ => errors.push(koers_domain::FieldError::new(
                "competences",
                "depth-invalid",
            )),
        }
    }
    match input {
        Some(i) if errors.is_empty() => Ok((i, links)),
        _ => Err(errors),
    }
}

async fn save(
    state: &AppState,
    a: &Authenticated,
    programme: Programme,
    id: Option<String>,
    form: Form,
) -> WebResult<Response> {
    let t = a.tenant(state);
    match check(&form) {
        Ok((input, links)) => {
            let result = match &id {
                Some(id) => activities::update(t, id, &input, &links)
                    .await
                    .map(|_| id.clone()),
                None => activities::create(t, &programme.id, &input, &links, &a.user.id).await,
            };
            match result {
                Ok(_) => {
                    Ok(Redirect::to(&format!("/learning-line/{}", programme.code)).into_response())
                }
                Err(koers_store::StoreError::NotFound) if id.is_none() => {
                    let mut p = page(state, a, programme, id, form).await?;
                    p.errors = field_msgs(
                        &a.tr,
                        &[koers_domain::FieldError::new(
                            "competences",
                            "depth-invalid",
                        )],
                    );
                    Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(errors) => {
            let mut p = page(state, a, programme, id, form).await?;
            p.errors = field_msgs(&a.tr, &errors);
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}

pub async fn create(
    State(state): State<AppState>,
    Path(code): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let p = programme_for(&state, &a, &code).await?;
    save(&state, &a, p, None, read_form(&form)).await
}

async fn load(
    state: &AppState,
    a: &Authenticated,
    id: &str,
) -> WebResult<(activities::Activity, Programme)> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(state);
    let act = activities::get(t, id).await?.ok_or(WebError::NotFound)?;
    a.require(Action::ManageActivities {
        programme_id: &act.programme_id,
    })?;
    let p = programmes::all(t)
        .await?
        .into_iter()
        .find(|p| p.id == act.programme_id)
        .ok_or(WebError::NotFound)?;
    Ok((act, p))
}

pub async fn edit(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let (x, p) = load(&state, &a, &id).await?;
    let form = Form {
        kind: x.kind.key().into(),
        title: x.title.clone(),
        description: x.description.clone(),
        year: x.year.to_string(),
        period: if x.period == 0 {
            String::new()
        } else {
            x.period.to_string()
        },
        phase: x.phase.map(|p| p.key().to_owned()).unwrap_or_default(),
        study_hours: x.study_hours.to_string(),
        goals: x.goals.clone(),
        partners: x.partners.clone(),
        depths: x
            .competences
            .iter()
            .map(|(c, d)| (c.clone(), d.key().to_owned()))
            .collect(),
    };
    Ok(render(&page(&state, &a, p, Some(x.id), form).await?))
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (x, p) = load(&state, &a, &id).await?;
    save(&state, &a, p, Some(x.id), read_form(&form)).await
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    let (x, p) = load(&state, &a, &id).await?;
    activities::delete(a.tenant(&state), &x.id).await?;
    Ok(Redirect::to(&format!("/learning-line/{}", p.code)).into_response())
}

#[derive(Template)]
#[template(path = "activity_completions.html")]
struct CompletionsPage {
    ctx: Ctx,
    id: String,
    title: String,
    programme_code: String,
    awards: bool,
    completed: Vec<(String, String, i64)>,
    numbers: String,
    errors: Vec<String>,
}

async fn completions_page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    numbers: String,
    errors: Vec<String>,
) -> WebResult<CompletionsPage> {
    let (x, p) = load(state, a, id).await?;
    let t = a.tenant(state);
    Ok(CompletionsPage {
        ctx: Ctx::user(a, &format!("/activities/{id}/completions"), "learning-line"),
        awards: koers_store::credentials::activity_awards(t, &x.id).await?,
        completed: koers_store::credentials::completions(t, &x.id).await?,
        id: x.id,
        title: x.title,
        programme_code: p.code,
        numbers,
        errors,
    })
}

/// Who completed the activity, and whether it awards an Open Badge.
pub async fn completions(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    Ok(render(
        &completions_page(&state, &a, &id, String::new(), Vec::new()).await?,
    ))
}

/// Designate the activity (or not) to award an Open Badge.
pub async fn set_awards(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (x, _) = load(&state, &a, &id).await?;
    let awards = form.get("awards") == "1";
    koers_store::credentials::set_activity_awards(a.tenant(&state), &x.id, awards).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "activity.credential",
        &x.id,
        serde_json::json!({"awards": awards}),
    )
    .await?;
    Ok(Redirect::to(&format!("/activities/{}/completions", x.id)).into_response())
}

/// Record completions by student number (one per line, all or nothing); designated
/// activities then award their badge.
pub async fn complete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (x, _) = load(&state, &a, &id).await?;
    let t = a.tenant(&state);
    let typed = form.get("numbers").to_owned();
    let mut people = Vec::new();
    let mut errors = Vec::new();
    for (n, line) in typed.lines().enumerate() {
        let number = line.trim();
        if number.is_empty() {
            continue;
        }
        match koers_store::guidance::students::by_number(t, number).await? {
            Some(s) if s.programme_id == x.programme_id => people.push(s.user_id),
            Some(_) => errors.push(a.tr.ts(
                "completions-other-programme",
                &[("line", &(n + 1).to_string()), ("number", number)],
            )),
            None => errors.push(a.tr.ts(
                "completions-unknown",
                &[("line", &(n + 1).to_string()), ("number", number)],
            )),
        }
    }
    if people.is_empty() && errors.is_empty() {
        errors.push(a.tr.t("completions-none"));
    }
    if !errors.is_empty() {
        let page = completions_page(&state, &a, &id, typed, errors).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    koers_store::credentials::complete_activity(t, &x.id, &people, &a.user.id).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "activity.complete",
        &x.id,
        serde_json::json!({"students": people.len()}),
    )
    .await?;
    crate::badges::award_after_change(&state, &headers, &a.user.institution_id, &people).await;
    Ok(Redirect::to(&format!("/activities/{}/completions", x.id)).into_response())
}
