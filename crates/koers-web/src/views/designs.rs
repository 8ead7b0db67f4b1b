//! Activity designs: students design an LOB activity for mbo students, see it checked against
//! the three characteristics of a career-oriented learning environment, get feedback, and a
//! lecturer publishes good designs to the institution's library (which placement mentors
//! read too).

use super::{Ctx, FieldMsg, field_msgs, render, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::curriculum as access;
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::curriculum::design::{self, Check, DesignInput, RawDesign, Setting};
use koers_domain::guidance::CareerCompetency;
use koers_domain::policy::{Action, WorkRef};
use koers_store::curriculum::designs::{self, Design};
use koers_store::curriculum::reviews::{self, Feedback, ReviewRequest};

#[derive(Default, Clone)]
pub struct Form {
    pub title: String,
    pub mbo_level: String,
    pub mbo_programme: String,
    pub setting: String,
    pub goal: String,
    pub steps: String,
    pub competencies: Vec<String>,
    pub practice_based: String,
    pub dialogical: String,
    pub demand_driven: String,
}

impl Form {
    fn read(f: &FormData) -> Form {
        Form {
            title: f.get("title").to_owned(),
            mbo_level: f.get("mbo_level").to_owned(),
            mbo_programme: f.get("mbo_programme").to_owned(),
            setting: f.get("setting").to_owned(),
            goal: f.get("goal").to_owned(),
            steps: f.get("steps").to_owned(),
            competencies: f
                .all("competencies")
                .into_iter()
                .map(str::to_owned)
                .collect(),
            practice_based: f.get("practice_based").to_owned(),
            dialogical: f.get("dialogical").to_owned(),
            demand_driven: f.get("demand_driven").to_owned(),
        }
    }

    fn of(d: &Design) -> Form {
        Form {
            title: d.title.clone(),
            mbo_level: d.mbo_level.map(|l| l.to_string()).unwrap_or_default(),
            mbo_programme: d.mbo_programme.clone(),
            setting: d.setting.key().into(),
            goal: d.goal.clone(),
            steps: d.steps.clone(),
            competencies: d.competencies.iter().map(|c| c.key().to_owned()).collect(),
            practice_based: d.practice_based.clone(),
            dialogical: d.dialogical.clone(),
            demand_driven: d.demand_driven.clone(),
        }
    }

    fn has(&self, key: &str) -> bool {
        self.competencies.iter().any(|c| c == key)
    }

    fn check(&self) -> Result<DesignInput, Vec<koers_domain::FieldError>> {
        DesignInput::parse(&RawDesign {
            title: &self.title,
            mbo_level: &self.mbo_level,
            mbo_programme: &self.mbo_programme,
            setting: &self.setting,
            goal: &self.goal,
            steps: &self.steps,
            competencies: self.competencies.iter().map(String::as_str).collect(),
            practice_based: &self.practice_based,
            dialogical: &self.dialogical,
            demand_driven: &self.demand_driven,
        })
    }
}

#[derive(Template)]
#[template(path = "designs.html")]
struct ListPage {
    ctx: Ctx,
    mine: Vec<Design>,
    requests: Vec<ReviewRequest>,
    can_write: bool,
    form: Form,
    errors: Vec<FieldMsg>,
    settings: [Setting; 2],
    competencies: [CareerCompetency; 5],
}

async fn list_page(
    state: &AppState,
    a: &Authenticated,
    form: Form,
    errors: Vec<FieldMsg>,
) -> WebResult<ListPage> {
    a.require(Action::ViewLibrary)?;
    let t = a.tenant(state);
    let can_write = a.actor.may(Action::WriteOwnWork);
    Ok(ListPage {
        ctx: Ctx::user(a, "/designs", "designs"),
        mine: if can_write {
            designs::for_person(t, &a.user.id).await?
        } else {
            Vec::new()
        },
        requests: reviews::for_reviewer(t, &a.user.id)
            .await?
            .into_iter()
            .filter(|r| r.subject_kind == reviews::DESIGN)
            .collect(),
        can_write,
        form: Form {
            setting: if form.setting.is_empty() {
                "school".into()
            } else {
                form.setting.clone()
            },
            ..form
        },
        errors,
        settings: Setting::ALL,
        competencies: CareerCompetency::ALL,
    })
}

pub async fn list(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    Ok(render(
        &list_page(&state, &a, Form::default(), Vec::new()).await?,
    ))
}

pub async fn create(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::WriteOwnWork)?;
    let f = Form::read(&form);
    match f.check() {
        Ok(d) => {
            let id = designs::create(a.tenant(&state), &a.user.id, &d).await?;
            Ok(Redirect::to(&format!("/designs/{id}")).into_response())
        }
        Err(errors) => {
            let errors = field_msgs(&a.tr, &errors);
            Ok(render_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                &list_page(&state, &a, f, errors).await?,
            ))
        }
    }
}

#[derive(Template)]
#[template(path = "designs_library.html")]
struct LibraryPage {
    ctx: Ctx,
    items: Vec<Design>,
}

pub async fn library(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    a.require(Action::ViewLibrary)?;
    Ok(render(&LibraryPage {
        ctx: Ctx::user(&a, "/designs/library", "designs"),
        items: designs::library(a.tenant(&state)).await?,
    }))
}

/// What the actor may do with a design.
struct Rights {
    own: bool,
    review: bool,
    publish: bool,
}

async fn load(state: &AppState, a: &Authenticated, id: &str) -> WebResult<(Design, Rights)> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let d = designs::get(a.tenant(state), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let owner = d.person_id.clone().unwrap_or_default();
    let own = owner == a.user.id;
    let (programme, asked) = access::work_ref_parts(state, a, &owner, &d.id).await?;
    let w = WorkRef {
        owner_id: &owner,
        programme_id: programme.as_deref(),
        asked,
    };
    let may_read =
        a.actor.may(Action::ViewWork(w)) || (d.published() && a.actor.may(Action::ViewLibrary));
    if !may_read {
        return Err(WebError::Forbidden);
    }
    if !own && !d.published() {
        access::audit_work_read(state, a, "design.read", &d.id, &owner).await?;
    }
    let rights = Rights {
        own,
        review: !own && a.actor.may(Action::ReviewWork(w)),
        publish: !own
            && a.actor.may(Action::PublishDesign {
                programme_id: programme.as_deref(),
            }),
    };
    Ok((d, rights))
}

#[derive(Template)]
#[template(path = "design_show.html")]
struct ShowPage {
    ctx: Ctx,
    d: Design,
    checks: [Check; 3],
    own: bool,
    can_review: bool,
    can_publish: bool,
    feedback: Vec<Feedback>,
    requests: Vec<ReviewRequest>,
    form: Form,
    errors: Vec<FieldMsg>,
    message: Option<String>,
    settings: [Setting; 2],
    competencies: [CareerCompetency; 5],
}

impl ShowPage {
    /// The student's explanation of checklist line `i`.
    fn explanation(&self, i: &usize) -> &str {
        match *i {
            0 => &self.d.practice_based,
            1 => &self.d.dialogical,
            _ => &self.d.demand_driven,
        }
    }

    fn all_met(&self) -> bool {
        self.checks.iter().all(|c| c.met)
    }
}

async fn show_page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    form: Option<Form>,
    errors: Vec<FieldMsg>,
    message: Option<String>,
) -> WebResult<ShowPage> {
    let (d, r) = load(state, a, id).await?;
    let t = a.tenant(state);
    let checks = design::checklist(&d.practice_based, &d.dialogical, &d.demand_driven);
    Ok(ShowPage {
        ctx: Ctx::user(a, "/designs", "designs"),
        feedback: reviews::feedback_for(t, &d.id).await?,
        requests: if r.own {
            reviews::requests_for(t, &d.id).await?
        } else {
            Vec::new()
        },
        form: form.unwrap_or_else(|| Form::of(&d)),
        d,
        checks,
        own: r.own,
        can_review: r.review,
        can_publish: r.publish,
        errors,
        message,
        settings: Setting::ALL,
        competencies: CareerCompetency::ALL,
    })
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    Ok(render(
        &show_page(&state, &a, &id, None, Vec::new(), None).await?,
    ))
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (d, r) = load(&state, &a, &id).await?;
    if !r.own {
        return Err(WebError::Forbidden);
    }
    let f = Form::read(&form);
    match f.check() {
        Ok(input) => {
            designs::update(a.tenant(&state), &d.id, &input).await?;
            Ok(Redirect::to(&format!("/designs/{}", d.id)).into_response())
        }
        Err(errors) => {
            let errors = field_msgs(&a.tr, &errors);
            let page = show_page(&state, &a, &id, Some(f), errors, None).await?;
            Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

pub async fn add_feedback(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (d, r) = load(&state, &a, &id).await?;
    if !r.review {
        return Err(WebError::Forbidden);
    }
    let text = form.get("text").trim();
    if text.is_empty() || text.chars().count() > 4000 {
        let msg = a.tr.t("practice-feedback-empty");
        let page = show_page(&state, &a, &id, None, Vec::new(), Some(msg)).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    reviews::add_feedback(
        a.tenant(&state),
        reviews::DESIGN,
        &d.id,
        &a.user.id,
        None,
        None,
        text,
    )
    .await?;
    Ok(Redirect::to(&format!("/designs/{}#h-feedback", d.id)).into_response())
}

pub async fn ask_review(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (d, r) = load(&state, &a, &id).await?;
    if !r.own {
        return Err(WebError::Forbidden);
    }
    if let Some(problem) = access::ask_review(
        &state,
        &a,
        reviews::DESIGN,
        &d.id,
        form.get("email"),
        form.get("message"),
    )
    .await?
    {
        let page = show_page(&state, &a, &id, None, Vec::new(), Some(problem)).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    Ok(Redirect::to(&format!("/designs/{}#h-ask", d.id)).into_response())
}

/// A lecturer publishes a design that meets the three characteristics, or withdraws it.
pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (d, r) = load(&state, &a, &id).await?;
    if !r.publish {
        return Err(WebError::Forbidden);
    }
    let publish = form.get("publish") == "1";
    let met = design::checklist(&d.practice_based, &d.dialogical, &d.demand_driven)
        .iter()
        .all(|c| c.met);
    if publish && !met {
        let msg = a.tr.t("design-publish-not-ready");
        let page = show_page(&state, &a, &id, None, Vec::new(), Some(msg)).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    designs::set_published(a.tenant(&state), &d.id, publish).await?;
    crate::commands::audit_change(
        &state,
        &a,
        if publish {
            "design.publish"
        } else {
            "design.withdraw"
        },
        &d.id,
        serde_json::json!({"title": d.title}),
    )
    .await?;
    Ok(Redirect::to(&format!("/designs/{}", d.id)).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    let (d, r) = load(&state, &a, &id).await?;
    if !r.own {
        return Err(WebError::Forbidden);
    }
    designs::delete(a.tenant(&state), &d.id).await?;
    Ok(Redirect::to("/designs").into_response())
}
