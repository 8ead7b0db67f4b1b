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
use koers_domain::policy::{Action, Scope};
use koers_store::platform::audit::{self, Event};
use koers_store::platform::institutions;
use koers_store::platform::programmes::{self, ProgrammeOverview};
use koers_store::platform::sessions::{self, Kind};
use koers_store::platform::students::{self, CaseloadEntry, Enrolment};
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

pub struct Caseload {
    pub entries: Vec<CaseloadEntry>,
    pub total: i64,
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
    student: Option<Option<Enrolment>>,
    hr: Option<Vec<(Role, i64)>>,
    mentor: bool,
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
    let caseload = if actor.has_role(Role::Counsellor) {
        let (entries, total) = students::caseload(t, &a.user.id, 25).await?;
        Some(Caseload { entries, total })
    } else {
        None
    };
    let student = if actor.has_role(Role::Student) {
        Some(students::enrolment_of(t, &a.user.id).await?)
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
    let page = HomePage {
        ctx: Ctx::user(&a, "/home", "home").with_flash(q.ok.as_deref()),
        user: a.user.clone(),
        institution,
        admin,
        programmes,
        caseload,
        student,
        hr,
        mentor: actor.has_role(Role::PlacementMentor),
    };
    Ok(render(&page))
}
