//! Opleiden-in-de-School placements in the browser: the list of what the actor may see (their
//! trainees, their school's, their programmes'), placing a student, and one placement with its
//! LOB tasks: the student hands a task in, the mentor assesses it with a level of the
//! counsellor-profile rubric and feedback. The mentor also reads what the trainee shared with
//! the mentor in the career file, and nothing else of it.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::commands::finish;
use crate::error::{WebError, WebResult};
use crate::field::{self as access, PlacementAccess};
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::AppError;
use koers_domain::FieldError;
use koers_domain::curriculum::framework::Level;
use koers_domain::field::TaskKind;
use koers_domain::field::input::{PlacementDraft, TaskDraft};
use koers_domain::policy::Action;
use koers_store::field::partners::{self, Partner};
use koers_store::field::placements::{self, Placement, Task};
use koers_store::guidance::career_file::{self, Reflection};

#[derive(Template)]
#[template(path = "placements.html")]
struct ListPage {
    ctx: Ctx,
    placements: Vec<Placement>,
    can_place: bool,
    partners: Vec<Partner>,
    mentors: Vec<(String, String, String)>,
    kinds: &'static [TaskKind],
    errors: Vec<FieldMsg>,
    fields: FormData,
}

async fn list_page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    errors: Vec<FieldMsg>,
    fields: FormData,
) -> WebResult<Response> {
    let t = a.tenant(state);
    let can_place = a.actor.may(Action::ManageField);
    let placements = access::visible_placements(state, a).await?;
    if placements.is_empty()
        && !a.actor.may(Action::ViewField)
        && !a.actor.roles.iter().any(|r| r.role.is_partner())
        && !a.actor.has_role(koers_domain::Role::Student)
    {
        return Err(WebError::Forbidden);
    }
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &ListPage {
            ctx: Ctx::user(a, "/placements", "field").with_flash(flash),
            placements,
            can_place,
            partners: if can_place {
                partners::list(t).await?
            } else {
                Vec::new()
            },
            mentors: if can_place {
                placements::mentors(t).await?
            } else {
                Vec::new()
            },
            kinds: TaskKind::ALL,
            errors,
            fields,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    list_page(&state, &a, q.ok.as_deref(), Vec::new(), FormData::default()).await
}

/// Place a student (by student number) at a partner school with a mentor and tasks.
pub async fn create(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::ManageField)?;
    let t = a.tenant(&state);
    let student = placements::student_by_number(t, form.get("student_number")).await?;
    let Some(student_id) = student else {
        let msgs = field_msgs(
            &a.tr,
            &[FieldError::new("student_number", "student-unknown")],
        );
        return list_page(&state, &a, None, msgs, form).await;
    };
    let (kinds, titles, dues) = (
        form.all("task_kind"),
        form.all("task_title"),
        form.all("task_due"),
    );
    let tasks = titles
        .iter()
        .enumerate()
        .filter(|(_, title)| !title.trim().is_empty())
        .map(|(i, title)| TaskDraft {
            kind: kinds.get(i).copied().unwrap_or("other").to_owned(),
            title: (*title).to_owned(),
            due_on: dues.get(i).copied().unwrap_or_default().to_owned(),
        })
        .collect();
    let draft = PlacementDraft {
        student_id,
        partner_id: form.get("partner").to_owned(),
        mentor_id: form.get("mentor").to_owned(),
        starts_on: form.get("starts_on").to_owned(),
        ends_on: form.get("ends_on").to_owned(),
        tasks,
    };
    let cx = a.cx(&state);
    let done = match koers_app::field::placements::check(&cx, &draft).await {
        Ok(p) => koers_app::field::placements::create(&cx, &p).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(done) => {
            let id = finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to(&format!("/placements/{id}?ok=created")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let msgs = field_msgs(&a.tr, &errors);
            list_page(&state, &a, None, msgs, form).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "placement.html")]
struct PlacementPage {
    ctx: Ctx,
    x: PlacementAccess,
    tasks: Vec<Task>,
    levels: Vec<Level>,
    can_assess: bool,
    can_submit: bool,
    /// Who manages the student's programme adds tasks.
    can_add: bool,
    kinds: &'static [TaskKind],
    /// What the trainee shared with the mentor (for the mentor only).
    shared: Vec<Reflection>,
    assessments: Vec<koers_store::guidance::self_assessments::SelfAssessment>,
    errors: Vec<FieldMsg>,
}

impl PlacementPage {
    fn level_name(&self, level: &Option<i64>) -> String {
        let Some(l) = level else {
            return String::new();
        };
        self.levels
            .get((*l as usize).saturating_sub(1))
            .map(|x| x.name.get(self.ctx.tr.lang()).to_owned())
            .unwrap_or_else(|| l.to_string())
    }
    fn has_level(&self, level: &Option<i64>, index: &usize) -> bool {
        *level == Some(*index as i64)
    }
}

async fn page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    flash: Option<&str>,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    let x = access::load_placement(state, a, id).await?;
    let t = a.tenant(state);
    let can_assess = x.may_assess(a);
    let assessments = if can_assess {
        koers_store::guidance::self_assessments::for_person(
            t,
            &x.p.student_user_id,
            koers_domain::guidance::competency::INSTRUMENT_KEY,
        )
        .await?
        .into_iter()
        .filter(|s| s.shared_mentor)
        .collect()
    } else {
        Vec::new()
    };
    let shared = if can_assess {
        koers_app::guidance::access::audit_sensitive_read(
            &a.cx(state),
            "placement.read_shared",
            ("student", &x.p.student_id),
            &x.p.student_user_id,
            serde_json::json!({"placement_id": x.p.id}),
        )
        .await?;
        career_file::reflections(t, &x.p.student_user_id)
            .await?
            .into_iter()
            .filter(|r| r.sharing.mentor)
            .collect()
    } else {
        Vec::new()
    };
    let levels = koers_store::curriculum::frameworks::by_key(t, "counsellor-profile", None)
        .await?
        .map(|f| f.framework.levels)
        .unwrap_or_default();
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &PlacementPage {
            ctx: Ctx::user(a, &format!("/placements/{}", x.p.id), "field").with_flash(flash),
            tasks: placements::tasks(t, &x.p.id).await?,
            can_submit: x.may_submit(a),
            can_add: a.actor.may(Action::ManagePlacements {
                programme_id: &x.p.programme_id,
            }),
            kinds: TaskKind::ALL,
            can_assess,
            levels,
            shared,
            assessments,
            errors,
            x,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    page(&state, &a, &id, q.ok.as_deref(), Vec::new()).await
}

/// The student hands a task in.
pub async fn submit_task(
    State(state): State<AppState>,
    Path((id, task)): Path<(String, String)>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let x = access::load_placement(&state, &a, &id).await?;
    if !x.may_submit(&a) {
        return Err(WebError::Forbidden);
    }
    let note = form.get("note").trim().replace("\r\n", "\n");
    if note.is_empty() || note.chars().count() > 4000 {
        let msgs = field_msgs(&a.tr, &[FieldError::new("note", "required")]);
        return page(&state, &a, &id, None, msgs).await;
    }
    match placements::submit_task(a.tenant(&state), &x.p.id, &task, &note).await {
        Err(koers_store::StoreError::Conflict(_)) => Err(WebError::Conflict("task")),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(Redirect::to(&format!("/placements/{}?ok=saved", x.p.id)).into_response()),
    }
}

/// The mentor assesses a task with a rubric level and feedback.
pub async fn assess_task(
    State(state): State<AppState>,
    Path((id, task)): Path<(String, String)>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let x = access::load_placement(&state, &a, &id).await?;
    if !x.may_assess(&a) {
        return Err(WebError::Forbidden);
    }
    let mut errors = Vec::new();
    let level = match form.get("level").parse::<i64>() {
        Ok(l) if (1..=10).contains(&l) => l,
        _ => {
            errors.push(FieldError::new("level", "level-invalid"));
            0
        }
    };
    let feedback = form.get("feedback").trim().replace("\r\n", "\n");
    if feedback.is_empty() || feedback.chars().count() > 4000 {
        errors.push(FieldError::new("feedback", "required"));
    }
    if !errors.is_empty() {
        let msgs = field_msgs(&a.tr, &errors);
        return page(&state, &a, &id, None, msgs).await;
    }
    if !koers_domain::is_id(&task) {
        return Err(WebError::NotFound);
    }
    placements::assess_task(
        a.tenant(&state),
        &x.p.id,
        &task,
        level,
        &feedback,
        &a.user.id,
    )
    .await?;
    crate::commands::audit_change(
        &state,
        &a,
        "placement.assess",
        &x.p.id,
        serde_json::json!({"task_id": task, "level": level}),
    )
    .await?;
    Ok(Redirect::to(&format!("/placements/{}?ok=saved", x.p.id)).into_response())
}

/// Add a task to a placement (who manages placements of the student's programme).
pub async fn add_task(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let x = access::load_placement(&state, &a, &id).await?;
    a.require(Action::ManagePlacements {
        programme_id: &x.p.programme_id,
    })?;
    let mut errors = Vec::new();
    let kind = TaskKind::parse(form.get("kind"));
    if kind.is_none() {
        errors.push(FieldError::new("kind", "task-kind-invalid"));
    }
    let title = form
        .get("title")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(FieldError::new("title", "required"));
    }
    let due = match form.get("due_on").trim() {
        "" => None,
        d => match koers_domain::time::parse_date(d) {
            Some(d) => Some(d.to_string()),
            None => {
                errors.push(FieldError::new("due_on", "date-invalid"));
                None
            }
        },
    };
    let (Some(kind), true) = (kind, errors.is_empty()) else {
        let msgs = field_msgs(&a.tr, &errors);
        return page(&state, &a, &id, None, msgs).await;
    };
    placements::add_task(
        a.tenant(&state),
        &x.p.id,
        &placements::NewTask {
            kind,
            title: &title,
            due_on: due.as_deref(),
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/placements/{}?ok=saved", x.p.id)).into_response())
}
