//! The home page: one section per role the user holds, each with real data.

use super::{Ctx, render};
use crate::auth::{SESSION_COOKIE, WebUser, cookie_value};
use crate::error::WebResult;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::Role;
use koers_domain::guidance::competency::INSTRUMENT_KEY;
use koers_domain::guidance::{AgreementStatus, ConversationStatus, Phase, PhaseStatus};
use koers_domain::policy::{Action, Scope};
use koers_store::guidance::conversations::{self, Agreement, Conversation};
use koers_store::guidance::self_assessments::{self, SelfAssessment};
use koers_store::guidance::students::{self as gstudents, Reach, StudentRecord};
use koers_store::platform::audit::{self, Event};
use koers_store::platform::institutions;
use koers_store::platform::programmes::{self, ProgrammeOverview};
use koers_store::platform::sessions::{self, Kind};
use koers_store::platform::students;
use koers_store::platform::users::{self, User};

/// `/`: home when logged in, else the login page.
pub async fn root(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match cookie_value(&headers, SESSION_COOKIE) {
        Some(t)
            if matches!(
                sessions::lookup(state.db(), &t, Kind::Web).await,
                Ok(Some(_))
            ) =>
        {
            Redirect::to("/home").into_response()
        }
        _ => Redirect::to("/login").into_response(),
    }
}

pub struct AdminSection {
    pub users: i64,
    pub programmes: i64,
    pub students: i64,
    pub by_role: Vec<(Role, i64)>,
    pub max_role: i64,
    pub events: Vec<Event>,
}

/// The counsellor's overview: their caseload in numbers and the conversations ahead.
pub struct Caseload {
    pub total: usize,
    pub overdue_students: usize,
    pub overdue_agreements: usize,
    pub upcoming: Vec<Conversation>,
}

/// The student's own overview.
pub struct StudentHome {
    pub record: Option<StudentRecord>,
    pub statuses: Option<[PhaseStatus; 4]>,
    pub next: Option<Conversation>,
    pub agreements: Vec<Agreement>,
    /// Group sessions the student is invited to.
    pub groups: Vec<koers_store::guidance::groups::GroupSession>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    user: User,
    institution: String,
    admin: Option<AdminSection>,
    programmes: Option<Vec<ProgrammeOverview>>,
    caseload: Option<Caseload>,
    student: Option<StudentHome>,
    assessments: Vec<SelfAssessment>,
    phases: [Phase; 4],
    today: jiff::civil::Date,
    hr: Option<Vec<(Role, i64)>>,
    /// Overdue improvement actions: all of them for HR advisers, one's own for other owners.
    overdue_actions: Vec<koers_store::improvement::Action>,
    /// Open HRM-scan rounds the person is invited to and has not answered.
    scan_invitations: Vec<koers_store::staff::scans::Round>,
    /// The person's own development plan is not up to date (staff only).
    plan_stale: bool,
    /// Partner people and students: their placements (trainees, school, own).
    placements: Option<Vec<koers_store::field::placements::Placement>>,
    /// Readers of indicators: the running year's statuses (on track, at risk, off track) in
    /// their scope, and the scope's query.
    indicators: Option<([usize; 3], String)>,
}

impl HomePage {
    /// Where an action is followed up: the HRM improvement plan or the quality cycle.
    fn action_href(&self, x: &koers_store::improvement::Action) -> &'static str {
        match x.source.kind() {
            koers_domain::improvement::SourceKind::ScanStage => "/improvement-actions",
            _ => "/quality",
        }
    }
}

#[derive(serde::Deserialize)]
pub struct HomeQuery {
    ok: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<HomeQuery>,
) -> WebResult<Response> {
    let t = a.tenant(&state);
    let actor = &a.actor;
    let institution = institutions::get(t).await?.name;
    let admin = if actor.may(Action::ViewAuditLog) {
        let by_role = users::count_by_role(t).await?;
        Some(AdminSection {
            users: users::count(t).await?,
            programmes: programmes::count(t).await?,
            students: students::count(t).await?,
            max_role: by_role.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1),
            by_role,
            events: audit::list(t, None, 8, None).await?.items,
        })
    } else {
        None
    };
    let programmes = match actor.scope_of(&[Role::ProgrammeManager, Role::Lecturer]) {
        None => None,
        Some(Scope::Institution) => Some(programmes::overview(t, None).await?),
        Some(Scope::Programmes(ids)) => Some(programmes::overview(t, Some(&ids)).await?),
    };
    let today = koers_domain::time::today();
    let caseload = if actor.has_role(Role::Counsellor) {
        let owners = koers_app::guidance::access::caseload_owners(&a.cx(&state)).await?;
        let list = gstudents::list(
            t,
            &Reach::Counsellors(owners),
            &Default::default(),
            5000,
            None,
        )
        .await?
        .items;
        let rules = gstudents::rules_for(t, &list).await?;
        Some(Caseload {
            total: list.len(),
            overdue_students: list
                .iter()
                .filter(|r| {
                    r.statuses(&rules[&r.programme_id], today)
                        .contains(&PhaseStatus::Overdue)
                })
                .count(),
            overdue_agreements: list
                .iter()
                .filter(|r| r.has_overdue_agreement(today))
                .count(),
            upcoming: conversations::upcoming_for_guide(t, &a.user.id, koers_store::now_ms(), 5)
                .await?,
        })
    } else {
        None
    };
    let mut assessments = Vec::new();
    let student = if actor.has_role(Role::Student) {
        let record = gstudents::by_user(t, &a.user.id).await?;
        let mut home = StudentHome {
            record: None,
            statuses: None,
            next: None,
            agreements: Vec::new(),
            groups: Vec::new(),
        };
        if let Some(r) = record {
            let rules = koers_store::guidance::rules::for_programme(t, &r.programme_id).await?;
            home.statuses = Some(r.statuses(&rules, today));
            let now = koers_store::now_ms();
            home.next = conversations::for_person(t, &r.user_id)
                .await?
                .into_iter()
                .filter(|c| {
                    c.status == ConversationStatus::Planned && c.starts_at.is_some_and(|s| s >= now)
                })
                .min_by_key(|c| c.starts_at);
            home.agreements = conversations::agreements_of_person(t, &r.user_id)
                .await?
                .into_iter()
                .filter(|g| g.status == AgreementStatus::Open)
                .collect();
            assessments = self_assessments::for_person(t, &r.user_id, INSTRUMENT_KEY).await?;
            home.groups =
                koers_store::guidance::groups::upcoming_for_person(t, &r.user_id, now).await?;
            home.record = Some(r);
        }
        Some(home)
    } else {
        None
    };
    let hr = if actor.has_role(Role::HrAdviser) {
        Some(
            users::count_by_role(t)
                .await?
                .into_iter()
                .filter(|(r, _)| r.is_staff())
                .collect(),
        )
    } else {
        None
    };
    let indicators = match crate::indicators::view(&state, &a, None).await {
        Ok(view) => {
            let year = crate::indicators::current_year();
            let board = crate::indicators::board_with_trend(&state, &a, &view, year, 1).await?;
            let count = |s| board.rows.iter().filter(|r| r.status == Some(s)).count();
            use koers_domain::vision::indicator::Status;
            Some((
                [
                    count(Status::OnTrack),
                    count(Status::AtRisk),
                    count(Status::OffTrack),
                ],
                crate::views::indicators::scope_query(year, &view),
            ))
        }
        Err(crate::error::WebError::Forbidden) => None,
        Err(e) => return Err(e),
    };
    let overdue_actions = if actor.is_staff() {
        let today_text = today.to_string();
        koers_app::vision::improvement::visible(
            &a.cx(&state),
            koers_store::improvement::Filter {
                due_before: Some(&today_text),
                owner_id: (!actor.has_role(Role::HrAdviser)).then_some(a.user.id.as_str()),
                ..Default::default()
            },
        )
        .await?
    } else {
        Vec::new()
    };
    let (scan_invitations, plan_stale) = if actor.is_staff() {
        let plan = koers_store::staff::development::plan(t, &a.user.id).await?;
        let convs = conversations::for_person(t, &a.user.id).await?;
        (
            koers_store::staff::scans::open_invitations(t, &a.user.id).await?,
            !crate::staff::up_to_date(&plan, crate::staff::last_held(&convs)),
        )
    } else {
        (Vec::new(), false)
    };
    let placements =
        if actor.roles.iter().any(|r| r.role.is_partner()) || actor.has_role(Role::Student) {
            Some(crate::field::visible_placements(&state, &a).await?)
        } else {
            None
        };
    let page = HomePage {
        ctx: Ctx::user(&a, "/home", "home").with_flash(q.ok.as_deref()),
        user: a.user.clone(),
        institution,
        admin,
        programmes,
        caseload,
        student,
        assessments,
        phases: Phase::ALL,
        today,
        hr,
        overdue_actions,
        scan_invitations,
        plan_stale,
        placements,
        indicators,
    };
    Ok(render(&page))
}
