//! Staff career development in the browser: an employee's page with the development plan
//! (ambition, goals linked to competences, professional development, progress), the yearly
//! career conversations with the line manager, the career-competency self-assessment and the
//! appraisal records. The employee, their line manager and HR advisers read it; the employee
//! and the manager write the plan; the manager agrees it, plans conversations and writes the
//! appraisal; the employee adds a comment.

use super::career_file::Kept;
use super::{Ctx, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::staff::{self as access, CompetenceOption, EmployeeAccess};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::FieldError;
use koers_domain::guidance::ConversationStatus;
use koers_domain::guidance::competency::INSTRUMENT_KEY;
use koers_domain::guidance::conversation::{Context, Origin, StaffConversationInput};
use koers_domain::staff::development::AppraisalStatus;
use koers_store::guidance::conversations::{self, Conversation, NewConversation};
use koers_store::guidance::self_assessments::{self, SelfAssessment};
use koers_store::staff::appraisals::{self, Appraisal, AppraisalInput};
use koers_store::staff::development::{self, Plan};
use koers_store::staff::teams::{self, Member};

#[derive(Template)]
#[template(path = "employee.html")]
struct EmployeePage {
    ctx: Ctx,
    e: EmployeeAccess,
    manager_name: Option<String>,
    is_self: bool,
    can_edit: bool,
    can_guide: bool,
    plan: Plan,
    up_to_date: bool,
    changed_since_agreed: bool,
    options: Vec<CompetenceOption>,
    conversations: Vec<Conversation>,
    assessments: Vec<SelfAssessment>,
    appraisals: Vec<Appraisal>,
    /// The employee's own team members, when they lead teams (on their own page).
    my_team: Vec<Member>,
    this_year: i16,
    kept: Kept,
}

impl EmployeePage {
    fn competence_label<'a>(&'a self, key: &'a str) -> &'a str {
        self.options
            .iter()
            .find(|o| o.key == key)
            .map_or(key, |o| o.label.as_str())
    }

    fn goal_title(&self, id: &Option<String>) -> &str {
        id.as_ref()
            .and_then(|g| self.plan.goals.iter().find(|x| &x.id == g))
            .map_or("", |g| g.title.as_str())
    }

    fn progress_of(&self, goal_id: &str) -> Vec<&development::Progress> {
        self.plan
            .progress
            .iter()
            .filter(|p| p.goal_id == goal_id)
            .collect()
    }

    fn chosen(&self, key: &str) -> bool {
        self.kept.has("competence", key)
    }
}

async fn page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    flash: Option<&str>,
    kept: Kept,
) -> WebResult<Response> {
    let e = access::load(state, a, id).await?;
    let t = a.tenant(state);
    access::audit_read(state, a, &e, "development_plan.read").await?;
    let plan = development::plan(t, &e.user.id).await?;
    let conversations: Vec<Conversation> = conversations::for_person(t, &e.user.id)
        .await?
        .into_iter()
        .filter(|c| c.context == Context::Staff)
        .collect();
    let up_to_date = access::up_to_date(&plan, access::last_held(&conversations));
    let manager_name = match e.team.as_ref().and_then(|x| x.2.as_deref()) {
        Some(m) => koers_store::platform::users::get(t, m)
            .await?
            .map(|u| u.name),
        None => None,
    };
    let mut my_team = Vec::new();
    if e.is_self(a) {
        for team in teams::managed_by(t, &a.user.id).await? {
            my_team.extend(teams::members(t, &team.id).await?);
        }
    }
    let status = super::form_status(kept.errors.is_empty());
    let page = EmployeePage {
        ctx: Ctx::user(a, &format!("/employees/{}", e.user.id), "development").with_flash(flash),
        manager_name,
        is_self: e.is_self(a),
        can_edit: e.may_edit(a),
        can_guide: e.may_guide(a),
        changed_since_agreed: plan
            .agreed_at
            .zip(plan.updated_at)
            .is_some_and(|(x, u)| u > x),
        up_to_date,
        options: koers_app::competences::options(&a.cx(state)).await?,
        assessments: self_assessments::for_person(t, &e.user.id, INSTRUMENT_KEY).await?,
        appraisals: appraisals::of_employee(t, &e.user.id).await?,
        my_team,
        this_year: koers_domain::time::today().year(),
        plan,
        conversations,
        kept,
        e,
    };
    Ok(render_status(status, &page))
}

fn no_kept() -> Kept {
    Kept {
        section: "",
        errors: Vec::new(),
        fields: Vec::new(),
    }
}

/// "My development": the signed-in employee's own page.
pub async fn mine(WebUser(a): WebUser) -> WebResult<Response> {
    if !a.actor.is_staff() {
        return Err(WebError::Forbidden);
    }
    Ok(Redirect::to(&format!("/employees/{}", a.user.id)).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    page(&state, &a, &id, q.ok.as_deref(), no_kept()).await
}

fn back(e: &EmployeeAccess, anchor: &str) -> Response {
    Redirect::to(&format!("/employees/{}?ok=saved#{anchor}", e.user.id)).into_response()
}

/// Show the page again with what was typed and the errors of one section.
async fn again(
    state: &AppState,
    a: &Authenticated,
    e: &EmployeeAccess,
    section: &'static str,
    errors: &[FieldError],
    form: FormData,
) -> WebResult<Response> {
    let kept = Kept {
        section,
        errors: field_msgs(&a.tr, errors),
        fields: form.0,
    };
    page(state, a, &e.user.id, None, kept).await
}

/// Load the employee for a change the actor must be allowed.
async fn for_change(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    allowed: fn(&EmployeeAccess, &Authenticated) -> bool,
) -> WebResult<EmployeeAccess> {
    let e = access::load(state, a, id).await?;
    e.require(allowed(&e, a))?;
    Ok(e)
}

fn may_edit(e: &EmployeeAccess, a: &Authenticated) -> bool {
    e.may_edit(a)
}

fn may_guide(e: &EmployeeAccess, a: &Authenticated) -> bool {
    e.may_guide(a)
}

fn is_self(e: &EmployeeAccess, a: &Authenticated) -> bool {
    e.is_self(a)
}

async fn audit(
    state: &AppState,
    a: &Authenticated,
    action: &str,
    e: &EmployeeAccess,
) -> WebResult<()> {
    crate::commands::audit_change(
        state,
        a,
        action,
        &e.user.id,
        serde_json::json!({"employee_id": e.user.id}),
    )
    .await
}

fn title(form: &FormData, errors: &mut Vec<FieldError>) -> String {
    let t = form
        .get("title")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if t.is_empty() || t.chars().count() > 200 {
        errors.push(FieldError::new("title", "required"));
    }
    t
}

fn date(form: &FormData, field: &'static str, errors: &mut Vec<FieldError>) -> Option<String> {
    match form.get(field).trim() {
        "" => None,
        d => match koers_domain::time::parse_date(d) {
            Some(d) => Some(d.to_string()),
            None => {
                errors.push(FieldError::new(field, "date-invalid"));
                None
            }
        },
    }
}

pub async fn save_ambition(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, may_edit).await?;
    let ambition = form.get("ambition").trim().replace("\r\n", "\n");
    if ambition.chars().count() > 4000 {
        return again(
            &state,
            &a,
            &e,
            "ambition",
            &[FieldError::new("ambition", "too-long")],
            form,
        )
        .await;
    }
    development::set_ambition(a.tenant(&state), &e.user.id, &ambition).await?;
    audit(&state, &a, "development_plan.ambition", &e).await?;
    Ok(back(&e, "h-plan"))
}

pub async fn add_goal(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, may_edit).await?;
    let mut errors = Vec::new();
    let title = title(&form, &mut errors);
    let due = date(&form, "due_on", &mut errors);
    let options = koers_app::competences::options(&a.cx(&state)).await?;
    let given: Vec<String> = form
        .all("competence")
        .into_iter()
        .map(str::to_owned)
        .collect();
    let competences = match access::check_competences(&options, &given) {
        Ok(c) => c,
        Err(_) => {
            errors.push(FieldError::new("competence", "competence-unknown"));
            Vec::new()
        }
    };
    if !errors.is_empty() {
        return again(&state, &a, &e, "goal", &errors, form).await;
    }
    development::add_goal(
        a.tenant(&state),
        &e.user.id,
        &title,
        &competences,
        due.as_deref(),
    )
    .await?;
    audit(&state, &a, "development_plan.goal", &e).await?;
    Ok(back(&e, "h-goals"))
}

pub async fn add_activity(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, may_edit).await?;
    let mut errors = Vec::new();
    let title = title(&form, &mut errors);
    let due = date(&form, "due_on", &mut errors);
    let hours = match form.get("hours").trim() {
        "" => None,
        h => match h.parse::<i64>() {
            Ok(h) if (0..=2000).contains(&h) => Some(h),
            _ => {
                errors.push(FieldError::new("hours", "hours-invalid"));
                None
            }
        },
    };
    let goal = match form.get("goal") {
        "" => None,
        g if koers_domain::is_id(g) => Some(g.to_owned()),
        _ => {
            errors.push(FieldError::new("goal", "goal-unknown"));
            None
        }
    };
    if !errors.is_empty() {
        return again(&state, &a, &e, "activity", &errors, form).await;
    }
    match development::add_activity(
        a.tenant(&state),
        &e.user.id,
        goal.as_deref(),
        &title,
        due.as_deref(),
        hours,
    )
    .await
    {
        Err(koers_store::StoreError::NotFound) => {
            again(
                &state,
                &a,
                &e,
                "activity",
                &[FieldError::new("goal", "goal-unknown")],
                form,
            )
            .await
        }
        Err(x) => Err(x.into()),
        Ok(_) => {
            audit(&state, &a, "development_plan.activity", &e).await?;
            Ok(back(&e, "h-activities"))
        }
    }
}

pub async fn set_item_status(
    State(state): State<AppState>,
    Path((id, item)): Path<(String, String)>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, may_edit).await?;
    if !koers_domain::is_id(&item) {
        return Err(WebError::NotFound);
    }
    match development::set_item_status(a.tenant(&state), &e.user.id, &item, form.get("status"))
        .await
    {
        Err(koers_store::StoreError::Conflict(_)) => {
            Err(WebError::invalid("status", "status-invalid"))
        }
        Err(x) => Err(x.into()),
        Ok(()) => {
            audit(&state, &a, "development_plan.status", &e).await?;
            Ok(back(&e, "h-goals"))
        }
    }
}

pub async fn delete_item(
    State(state): State<AppState>,
    Path((id, item)): Path<(String, String)>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, may_edit).await?;
    if !koers_domain::is_id(&item) {
        return Err(WebError::NotFound);
    }
    development::delete_item(a.tenant(&state), &e.user.id, &item).await?;
    audit(&state, &a, "development_plan.delete", &e).await?;
    Ok(Redirect::to(&format!("/employees/{}?ok=deleted#h-goals", e.user.id)).into_response())
}

pub async fn add_progress(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, may_edit).await?;
    let mut errors = Vec::new();
    let note = form.get("note").trim().replace("\r\n", "\n");
    if note.is_empty() || note.chars().count() > 4000 {
        errors.push(FieldError::new("note", "required"));
    }
    let link = form.get("link").trim();
    if !link.is_empty()
        && (link.len() > 500 || !(link.starts_with("https://") || link.starts_with("http://")))
    {
        errors.push(FieldError::new("link", "link-invalid"));
    }
    let goal = form.get("goal");
    if !koers_domain::is_id(goal) {
        errors.push(FieldError::new("goal", "goal-unknown"));
    }
    if errors.is_empty() {
        match development::add_progress(a.tenant(&state), &e.user.id, goal, &a.user.id, &note, link)
            .await
        {
            Err(koers_store::StoreError::NotFound) => {
                errors.push(FieldError::new("goal", "goal-unknown"))
            }
            Err(x) => return Err(x.into()),
            Ok(()) => {
                audit(&state, &a, "development_plan.progress", &e).await?;
                return Ok(back(&e, "h-goals"));
            }
        }
    }
    again(&state, &a, &e, "progress", &errors, form).await
}

/// The line manager agrees the plan as it stands.
pub async fn agree(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, may_guide).await?;
    let plan = development::plan(a.tenant(&state), &e.user.id).await?;
    if plan.goals.is_empty() {
        return again(
            &state,
            &a,
            &e,
            "agree",
            &[FieldError::new("goals", "plan-without-goals")],
            form,
        )
        .await;
    }
    development::agree(a.tenant(&state), &e.user.id, &a.user.id).await?;
    audit(&state, &a, "development_plan.agree", &e).await?;
    Ok(back(&e, "h-plan"))
}

/// The employee fills in the career-competency self-assessment.
pub async fn self_assessment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, is_self).await?;
    let mut answers = std::collections::BTreeMap::new();
    for i in &koers_domain::guidance::competency::ITEMS {
        if let Ok(v) = form.get(i.id).parse::<i64>() {
            answers.insert(i.id.to_owned(), v);
        }
    }
    let answers = koers_app::guidance::self_assessments::Answers {
        answers,
        ..Default::default()
    };
    use koers_app::guidance::self_assessments::{Whose, save};
    match save(&a.cx(&state), Whose::Employee, &answers).await {
        Ok(done) => {
            crate::commands::finish(&state, &a, &headers, done).await?;
            Ok(back(&e, "h-assessment"))
        }
        Err(koers_app::AppError::Invalid(errors)) => {
            again(&state, &a, &e, "assessment", &errors, form).await
        }
        Err(x) => Err(x.into()),
    }
}

/// The line manager plans a career conversation (or records one that was held).
pub async fn plan_conversation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, may_guide).await?;
    let starts_at = super::slots::form_instant(&form);
    let duration = form.get("duration").trim().parse().unwrap_or(0);
    match StaffConversationInput::parse(starts_at, duration, form.get("location")) {
        Err(errors) => again(&state, &a, &e, "conversation", &errors, form).await,
        Ok(input) => {
            let held = input.starts_at < koers_store::now_ms();
            let c = conversations::create(
                a.tenant(&state),
                NewConversation {
                    context: Context::Staff,
                    person_id: &e.user.id,
                    guide_id: Some(&a.user.id),
                    phase: None,
                    status: if held {
                        ConversationStatus::Held
                    } else {
                        ConversationStatus::Planned
                    },
                    origin: if held {
                        Origin::Recorded
                    } else {
                        Origin::Scheduled
                    },
                    starts_at: Some(input.starts_at),
                    duration_minutes: input.duration_minutes,
                    location: &input.location,
                    question: "",
                    created_by: &a.user.id,
                },
            )
            .await?;
            audit(&state, &a, "staff_conversation.plan", &e).await?;
            if !held {
                crate::notify::conversation_planned(&state, &a.user.institution_id, &c).await?;
            }
            Ok(Redirect::to(&format!("/staff-conversations/{}?ok=created", c.id)).into_response())
        }
    }
}

/// The line manager writes the appraisal record of a year (with its career-development part).
pub async fn save_appraisal(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, may_guide).await?;
    let mut errors = Vec::new();
    let this_year = i64::from(koers_domain::time::today().year());
    let year = match form.get("year").trim().parse::<i64>() {
        Ok(y) if (this_year - 5..=this_year + 1).contains(&y) => y,
        _ => {
            errors.push(FieldError::new("year", "year-invalid"));
            this_year
        }
    };
    let performance = form.get("performance").trim().replace("\r\n", "\n");
    let career = form.get("career_development").trim().replace("\r\n", "\n");
    if career.is_empty() {
        errors.push(FieldError::new(
            "career_development",
            "career-section-required",
        ));
    }
    if performance.chars().count() > 20_000 || career.chars().count() > 20_000 {
        errors.push(FieldError::new("performance", "too-long"));
    }
    if !errors.is_empty() {
        return again(&state, &a, &e, "appraisal", &errors, form).await;
    }
    let status = if form.get("final") == "1" {
        AppraisalStatus::Final
    } else {
        AppraisalStatus::Draft
    };
    let saved = appraisals::save(
        a.tenant(&state),
        &e.user.id,
        &AppraisalInput {
            year,
            manager_id: &a.user.id,
            conversation_id: None,
            performance: &performance,
            career_development: &career,
            status,
        },
    )
    .await?;
    if !saved {
        return again(
            &state,
            &a,
            &e,
            "appraisal",
            &[FieldError::new("year", "appraisal-final")],
            form,
        )
        .await;
    }
    audit(&state, &a, "appraisal.save", &e).await?;
    Ok(back(&e, "h-appraisals"))
}

/// The employee adds their comment to an appraisal record.
pub async fn comment_appraisal(
    State(state): State<AppState>,
    Path((id, appraisal)): Path<(String, String)>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let e = for_change(&state, &a, &id, is_self).await?;
    if !koers_domain::is_id(&appraisal) {
        return Err(WebError::NotFound);
    }
    let text = form.get("comment").trim().replace("\r\n", "\n");
    if text.chars().count() > 4000 {
        return again(
            &state,
            &a,
            &e,
            "comment",
            &[FieldError::new("comment", "too-long")],
            form,
        )
        .await;
    }
    if !appraisals::comment(a.tenant(&state), &e.user.id, &appraisal, &text).await? {
        return Err(WebError::NotFound);
    }
    audit(&state, &a, "appraisal.comment", &e).await?;
    Ok(back(&e, "h-appraisals"))
}
