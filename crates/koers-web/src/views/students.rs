//! Students: the counsellor's caseload (or a programme's students for managers and
//! administrators) and one student's page with everything the viewer may see.

use super::{Ctx, render};
use crate::auth::WebUser;
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use koers_app::guidance::access::{self, Need};
use koers_domain::guidance::career_file::STUDY_CHOICE_OUTCOMES;
use koers_domain::guidance::{ConversationInput, Phase, PhaseStatus};
use koers_domain::policy::Action;
use koers_store::guidance::career_file::{self, Choice, Goal, Intake, Reflection};
use koers_store::guidance::conversations::{self, Agreement, Conversation};
use koers_store::guidance::self_assessments::{self, SelfAssessment};
use koers_store::guidance::students::{self, CounsellorPeriod, StudentFilter, StudentRecord};
use koers_store::platform::programmes::{self, Programme};

/// One row of the list: the record with its phase statuses (when the viewer may see them).
pub struct Row {
    pub r: StudentRecord,
    pub statuses: Option<[PhaseStatus; 4]>,
    pub overdue_agreement: bool,
}

#[derive(Template)]
#[template(path = "students.html")]
struct ListPage {
    ctx: Ctx,
    rows: Vec<Row>,
    programmes: Vec<Programme>,
    q: ListQuery,
    next: Option<String>,
    caseload: bool,
    can_import: bool,
    phases: [Phase; 4],
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub programme: String,
    #[serde(default)]
    pub cohort: String,
    #[serde(default)]
    pub phase: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub cursor: String,
}

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<ListQuery>,
    export: Option<axum::Extension<super::csv::Export>>,
) -> WebResult<Response> {
    a.require(Action::ListStudents)?;
    let limit = if export.is_some() {
        super::csv::MAX_EXPORT_ROWS
    } else {
        100
    };
    let reach = access::reach(&a.cx(&state))
        .await?
        .ok_or(WebError::Forbidden)?;
    let t = a.tenant(&state);
    let all_programmes = programmes::all(t).await?;
    let mut filter = StudentFilter {
        q: Some(q.q.clone()).filter(|s| !s.trim().is_empty()),
        ..Default::default()
    };
    filter.programme_id = all_programmes
        .iter()
        .find(|p| p.code == q.programme)
        .map(|p| p.id.clone());
    filter.cohort_year = q.cohort.trim().parse().ok();
    filter.phase = Phase::parse(&q.phase);
    let today = koers_domain::time::today();
    // Filtering on a status reads the kept statuses (over every page, not just this one).
    let status_filter = PhaseStatus::ALL.into_iter().find(|s| s.key() == q.status);
    if status_filter.is_some() {
        for p in &all_programmes {
            koers_store::guidance::coverage::bring_up_to_date(t, &p.id, today).await?;
        }
        filter.status = status_filter;
    }
    let caseload = matches!(reach, students::Reach::Counsellors(_));
    let cursor = Some(q.cursor.as_str()).filter(|c| koers_domain::is_id(c));
    let page = students::list(t, &reach, &filter, limit, cursor)
        .await
        .or_else(|e| match e {
            koers_store::StoreError::NotFound => Ok(koers_store::platform::Page {
                items: Vec::new(),
                next: None,
            }),
            e => Err(e),
        })?;
    let rules = students::rules_for(t, &page.items).await?;
    let rows: Vec<Row> = page
        .items
        .into_iter()
        .map(|r| {
            let meta = caseload
                || a.actor
                    .has_role_for(koers_domain::Role::ProgrammeManager, &r.programme_id);
            Row {
                statuses: meta.then(|| r.statuses(&rules[&r.programme_id], today)),
                overdue_agreement: meta && r.has_overdue_agreement(today),
                r,
            }
        })
        .filter(|row| status_filter.is_none_or(|s| row.statuses.is_some_and(|st| st.contains(&s))))
        .collect();
    Ok(render(&ListPage {
        ctx: Ctx::user(&a, "/students", "students"),
        rows,
        programmes: all_programmes,
        q,
        next: page.next,
        caseload,
        can_import: a.actor.may(Action::ImportStudents),
        phases: Phase::ALL,
    }))
}

#[derive(Template)]
#[template(path = "student.html")]
struct StudentPage {
    ctx: Ctx,
    s: StudentRecord,
    statuses: Option<[PhaseStatus; 4]>,
    conversations: Option<Vec<Conversation>>,
    content: bool,
    agreements: Vec<Agreement>,
    assessments: Vec<SelfAssessment>,
    history: Vec<CounsellorPeriod>,
    reflections: Vec<Reflection>,
    goals: Vec<Goal>,
    choice: Choice,
    intake: Intake,
    outcomes: [&'static str; 4],
    progress: Vec<koers_store::guidance::records::StudyProgress>,
    /// Extra support: `None` when the viewer may not see it at all.
    support: Option<Vec<koers_store::guidance::support::SupportFlag>>,
    support_categories: [&'static str; 5],
    outflow: Option<koers_store::guidance::records::Outflow>,
    reasons: [&'static str; 4],
    destinations: [&'static str; 4],
    /// Counsellors to choose from, for those who may reassign.
    counsellors: Vec<koers_store::guidance::stand_ins::Counsellor>,
    can_guide: bool,
    can_edit: bool,
    stand_in: bool,
    today: Date,
    phases: [Phase; 4],
    form: PlanForm,
    errors: Vec<super::FieldMsg>,
}

#[derive(Default)]
pub struct PlanForm {
    pub phase: String,
    pub date: String,
    pub time: String,
    pub duration: String,
    pub location: String,
}

async fn student_page(
    state: &AppState,
    a: &crate::auth::Authenticated,
    id: &str,
    form: PlanForm,
    errors: Vec<super::FieldMsg>,
) -> WebResult<Response> {
    let s = access::load(&a.cx(state), id).await?;
    let t = a.tenant(state);
    let today = koers_domain::time::today();
    let meta = s.may(&a.actor, Need::Meta);
    let content = s.may(&a.actor, Need::Content);
    let statuses = if meta {
        let rules = koers_store::guidance::rules::for_programme(t, &s.record.programme_id).await?;
        Some(s.record.statuses(&rules, today))
    } else {
        None
    };
    let conversations = if meta {
        Some(conversations::for_person(t, &s.record.user_id).await?)
    } else {
        None
    };
    let mut file = (Vec::new(), Vec::new(), Choice::default(), Intake::default());
    let (agreements, assessments) = if content {
        let own = s.is_self(&a.actor);
        let mut reflections = career_file::reflections(t, &s.record.user_id).await?;
        let mut goals = career_file::goals(t, &s.record.user_id).await?;
        if !own {
            reflections.retain(|r| r.sharing.counsellor);
            goals.retain(|g| g.sharing.counsellor);
        }
        let mut intake = career_file::intake(t, &s.record.id).await?;
        if !own && !intake.handover_shared {
            intake.handover_note.clear();
        }
        file = (
            reflections,
            goals,
            career_file::choice(t, &s.record.id).await?,
            intake,
        );
        access::audit_read(&a.cx(state), &s, "student.read_file", &s.record.id).await?;
        let mut sa = self_assessments::for_person(
            t,
            &s.record.user_id,
            koers_domain::guidance::competency::INSTRUMENT_KEY,
        )
        .await?;
        if !s.is_self(&a.actor) {
            sa.retain(|x| x.shared_counsellor);
        }
        (
            conversations::agreements_of_person(t, &s.record.user_id).await?,
            sa,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let may_assign = a.actor.may(Action::AssignCounsellor {
        programme_id: &s.record.programme_id,
    });
    let counsellors = if may_assign {
        koers_store::guidance::stand_ins::counsellors(t).await?
    } else {
        Vec::new()
    };
    let history = if may_assign || s.may(&a.actor, Need::Guide) {
        students::counsellor_history(t, &s.record.id).await?
    } else {
        Vec::new()
    };
    let form = if form.phase.is_empty() {
        PlanForm {
            phase: s.record.phase.key().to_owned(),
            duration: "45".into(),
            ..form
        }
    } else {
        form
    };
    let support = if s.may(&a.actor, Need::Support) {
        // A counsellor sees only the flags they set; the programme manager all.
        let manager = a
            .actor
            .has_role_for(koers_domain::Role::ProgrammeManager, &s.record.programme_id);
        let only_by = (!manager).then_some(a.user.id.as_str());
        access::audit_read(&a.cx(state), &s, "student.read_support", &s.record.id).await?;
        Some(koers_store::guidance::support::of_student(t, &s.record.id, only_by).await?)
    } else {
        None
    };
    let (progress, outflow) = if content {
        (
            koers_store::guidance::records::progress(t, &s.record.id).await?,
            koers_store::guidance::records::outflow(t, &s.record.id).await?,
        )
    } else {
        (Vec::new(), None)
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(super::render_status(
        status,
        &StudentPage {
            ctx: Ctx::user(a, &format!("/students/{}", s.record.id), "students"),
            can_guide: s.may(&a.actor, Need::Guide),
            can_edit: a.actor.may(Action::EditStudent {
                programme_id: &s.record.programme_id,
            }),
            stand_in: s.stand_in,
            s: s.record,
            statuses,
            conversations,
            content,
            agreements,
            assessments,
            history,
            reflections: file.0,
            goals: file.1,
            choice: file.2,
            intake: file.3,
            outcomes: STUDY_CHOICE_OUTCOMES,
            progress,
            support,
            support_categories: koers_domain::guidance::career_file::SUPPORT_CATEGORIES,
            outflow,
            reasons: koers_domain::guidance::career_file::OUTFLOW_REASONS,
            destinations: koers_domain::guidance::career_file::DESTINATIONS,
            counsellors,
            today,
            phases: Phase::ALL,
            form,
            errors,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    student_page(&state, &a, &id, PlanForm::default(), Vec::new()).await
}

/// The counsellor plans a conversation (or records one that was held).
pub async fn plan_conversation(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::load_for(&a.cx(&state), &id, Need::Guide).await?;
    let starts_at = match (
        Date::strptime("%Y-%m-%d", form.get("date").trim()),
        jiff::civil::Time::strptime("%H:%M", form.get("time").trim()),
    ) {
        (Ok(d), Ok(t)) => Some(koers_domain::time::from_local(d.to_datetime(t))),
        _ => None,
    };
    let duration = form.get("duration").trim().parse().unwrap_or(0);
    match ConversationInput::parse(form.get("phase"), starts_at, duration, form.get("location")) {
        Ok(input) => {
            let done =
                koers_app::guidance::conversations::schedule(&a.cx(&state), &s, &input).await?;
            let c = crate::commands::finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to(&format!("/conversations/{}?ok=created", c.id)).into_response())
        }
        Err(errors) => {
            let kept = PlanForm {
                phase: form.get("phase").to_owned(),
                date: form.get("date").to_owned(),
                time: form.get("time").to_owned(),
                duration: form.get("duration").to_owned(),
                location: form.get("location").to_owned(),
            };
            let msgs = super::field_msgs(&a.tr, &errors);
            student_page(&state, &a, &id, kept, msgs).await
        }
    }
}

/// The counsellor records the outcome of the study-choice check.
pub async fn save_intake(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::load_for(&a.cx(&state), &id, Need::Guide).await?;
    let outcome = match form.get("study_choice_outcome") {
        "" => None,
        o => Some(
            STUDY_CHOICE_OUTCOMES
                .iter()
                .find(|x| **x == o)
                .ok_or_else(|| WebError::invalid("study_choice_outcome", "outcome-invalid"))?
                .to_string(),
        ),
    };
    let notes = form.get("study_choice_notes").trim().replace("\r\n", "\n");
    if notes.chars().count() > 5_000 {
        return Err(WebError::invalid("study_choice_notes", "text-too-long"));
    }
    let t = a.tenant(&state);
    let mut intake = career_file::intake(t, &s.record.id).await?;
    intake.study_choice_outcome = outcome;
    intake.study_choice_notes = notes;
    career_file::save_intake(t, &s.record.id, &intake).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "student.intake",
        &s.record.id,
        serde_json::json!({}),
    )
    .await?;
    Ok(Redirect::to(&format!("/students/{}#h-intake", s.record.id)).into_response())
}

/// The counsellor flags "extra support" (kept apart from the universal path).
pub async fn add_support(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let s = access::load_for(&a.cx(&state), &id, Need::Guide).await?;
    let category = koers_domain::guidance::career_file::SUPPORT_CATEGORIES
        .iter()
        .find(|c| **c == form.get("category"))
        .ok_or_else(|| WebError::invalid("category", "support-category-invalid"))?;
    let note = form.get("note").trim();
    if note.chars().count() > 2_000 {
        return Err(WebError::invalid("note", "text-too-long"));
    }
    let fid = koers_store::guidance::support::add(
        a.tenant(&state),
        &s.record.id,
        &a.user.id,
        category,
        note,
    )
    .await?;
    crate::commands::audit_change(
        &state,
        &a,
        "student.support",
        &s.record.id,
        serde_json::json!({"flag": fid, "category": category}),
    )
    .await?;
    Ok(Redirect::to(&format!("/students/{}#h-support", s.record.id)).into_response())
}

/// Close a support flag: the counsellor who set it, or the programme manager.
pub async fn close_support(
    State(state): State<AppState>,
    Path((id, flag)): Path<(String, String)>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    let s = access::load_for(&a.cx(&state), &id, Need::Support).await?;
    if !koers_domain::is_id(&flag) {
        return Err(WebError::NotFound);
    }
    let manager = a
        .actor
        .has_role_for(koers_domain::Role::ProgrammeManager, &s.record.programme_id);
    let by = (!manager).then_some(a.user.id.as_str());
    koers_store::guidance::support::close(a.tenant(&state), &flag, &s.record.id, by).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "student.support_closed",
        &s.record.id,
        serde_json::json!({"flag": flag}),
    )
    .await?;
    Ok(Redirect::to(&format!("/students/{}#h-support", s.record.id)).into_response())
}
