//! Teams and the "practice what you preach" report. HR advisers and administrators form teams
//! and name line managers; HR advisers, programme managers and line managers (for their own
//! teams) read, per team, the staff's own development beside the guidance they give students:
//! aggregates only, never a person's plan or appraisal.

use super::csv::Csv;
use super::{Ctx, OkQuery, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::error::{WebError, WebResult};
use crate::forms::SignedForm;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::guidance::competency::INSTRUMENT_KEY;
use koers_domain::policy::Action;
use koers_domain::staff::development::{TeamFigures, team_figures};
use koers_store::platform::users;
use koers_store::staff::development;
use koers_store::staff::teams::{self, Member, Team};

/// A team with its members and (when the reader may see them) its figures.
pub struct TeamRow {
    pub team: Team,
    pub members: Vec<Member>,
    pub figures: Option<TeamFigures>,
}

#[derive(Template)]
#[template(path = "teams.html")]
struct TeamsPage {
    ctx: Ctx,
    rows: Vec<TeamRow>,
    can_manage: bool,
    shows_figures: bool,
    error: Option<String>,
    /// Staff in no team, for those who manage teams or read all development records.
    unplaced: Vec<Member>,
    /// Whether names link to development pages (HR advisers read every employee's).
    links_people: bool,
    /// The reader's user id (line managers link to their own team's people).
    me: String,
}

impl TeamsPage {
    /// Bar length (0–300) for a percentage.
    fn bar(&self, pct: Option<u32>) -> u32 {
        pct.unwrap_or(0) * 3
    }
    fn pct(&self, pct: Option<u32>) -> String {
        pct.map_or_else(|| "–".to_owned(), |p| format!("{p}%"))
    }
}

/// The teams the actor sees: all for those who manage teams or read the whole report, else
/// the teams they lead. (can manage, shows figures, rows)
async fn load(state: &AppState, a: &Authenticated) -> WebResult<(bool, bool, Vec<TeamRow>)> {
    let t = a.tenant(state);
    let led = teams::managed_by(t, &a.user.id).await?;
    let can_manage = a.actor.may(Action::ManageTeams);
    let whole_report = a.actor.may(Action::ViewTeamReport {
        manages_team: false,
    });
    let may_report = a.actor.may(Action::ViewTeamReport {
        manages_team: !led.is_empty(),
    });
    if !can_manage && !may_report {
        return Err(WebError::Forbidden);
    }
    let list = if can_manage || whole_report {
        teams::all(t).await?
    } else {
        led
    };
    let since = koers_store::now_ms() - 365 * 86_400_000;
    let today = koers_domain::time::today();
    let mut rows = Vec::new();
    for team in list {
        let members = teams::members(t, &team.id).await?;
        let figures = if whole_report || team.manager_id.as_deref() == Some(a.user.id.as_str()) {
            let ids: Vec<String> = members.iter().map(|m| m.user_id.clone()).collect();
            let people: Vec<_> = development::figures(t, &ids, since, INSTRUMENT_KEY)
                .await?
                .into_iter()
                .map(|(_, f)| f)
                .collect();
            Some(team_figures(&people, today))
        } else {
            None
        };
        rows.push(TeamRow {
            team,
            members,
            figures,
        });
    }
    let shows = rows.iter().any(|r| r.figures.is_some());
    Ok((can_manage, shows, rows))
}

async fn page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    error: Option<String>,
) -> WebResult<Response> {
    let (can_manage, shows_figures, rows) = load(state, a).await?;
    let links_people = a.actor.has_role(koers_domain::Role::HrAdviser);
    let unplaced = if can_manage || links_people {
        teams::without_team(a.tenant(state)).await?
    } else {
        Vec::new()
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render_status(
        status,
        &TeamsPage {
            ctx: Ctx::user(a, "/teams", "teams").with_flash(flash),
            rows,
            can_manage,
            shows_figures,
            error,
            unplaced,
            links_people,
            me: a.user.id.clone(),
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    page(&state, &a, q.ok.as_deref(), None).await
}

/// The report as CSV for Dutch Excel.
pub async fn csv(State(state): State<AppState>, WebUser(a): WebUser) -> WebResult<Response> {
    let (_, _, rows) = load(&state, &a).await?;
    let tr = a.tr;
    let mut out = Csv::new();
    out.row([
        tr.t("team-name"),
        tr.t("team-members"),
        tr.t("team-plans-up-to-date"),
        tr.t("team-career-conversations"),
        tr.t("team-assessed-twice"),
        tr.t("team-grew"),
        tr.t("team-counsellors"),
        tr.t("team-caseload"),
        tr.t("team-on-time"),
        tr.t("team-student-conversations"),
    ]);
    for r in rows {
        let Some(f) = r.figures else { continue };
        out.row([
            r.team.name,
            f.members.to_string(),
            f.plans_up_to_date.to_string(),
            f.career_conversations.to_string(),
            f.assessed_twice.to_string(),
            f.grew.to_string(),
            f.counsellors.to_string(),
            f.caseload.to_string(),
            f.caseload_on_time.to_string(),
            f.student_conversations.to_string(),
        ]);
    }
    Ok(out.response("teams.csv"))
}

fn require_manage(a: &Authenticated) -> WebResult<()> {
    a.require(Action::ManageTeams)
}

/// A staff member of the institution by email (`None` for an empty field).
async fn staff_by_email(
    state: &AppState,
    a: &Authenticated,
    email: &str,
) -> WebResult<Result<Option<String>, String>> {
    if email.trim().is_empty() {
        return Ok(Ok(None));
    }
    let t = a.tenant(state);
    let Some((id, _)) = users::active_by_email(t, email).await? else {
        return Ok(Err(a.tr.t("error-owner-unknown")));
    };
    let staff = users::get(t, &id)
        .await?
        .is_some_and(|u| u.roles.iter().any(|r| r.role.is_staff()));
    Ok(if staff {
        Ok(Some(id))
    } else {
        Err(a.tr.t("error-owner-unknown"))
    })
}

pub async fn create(
    State(state): State<AppState>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    require_manage(&a)?;
    let name = form
        .get("name")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if name.is_empty() || name.chars().count() > 120 {
        return page(&state, &a, None, Some(a.tr.t("team-name-required"))).await;
    }
    let manager = match staff_by_email(&state, &a, form.get("manager_email")).await? {
        Ok(m) => m,
        Err(msg) => return page(&state, &a, None, Some(msg)).await,
    };
    match teams::create(a.tenant(&state), &name, manager.as_deref()).await {
        Err(koers_store::StoreError::Conflict(_)) => {
            page(&state, &a, None, Some(a.tr.t("team-name-taken"))).await
        }
        Err(e) => Err(e.into()),
        Ok(id) => {
            crate::commands::audit_change(
                &state,
                &a,
                "team.create",
                &id,
                serde_json::json!({"name": name}),
            )
            .await?;
            Ok(Redirect::to("/teams?ok=created").into_response())
        }
    }
}

async fn team_of(state: &AppState, a: &Authenticated, id: &str) -> WebResult<Team> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    teams::get(a.tenant(state), id)
        .await?
        .ok_or(WebError::NotFound)
}

pub async fn set_manager(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    require_manage(&a)?;
    let team = team_of(&state, &a, &id).await?;
    let manager = match staff_by_email(&state, &a, form.get("manager_email")).await? {
        Ok(m) => m,
        Err(msg) => return page(&state, &a, None, Some(msg)).await,
    };
    teams::set_manager(a.tenant(&state), &team.id, manager.as_deref()).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "team.manager",
        &team.id,
        serde_json::json!({"manager_id": manager}),
    )
    .await?;
    Ok(Redirect::to("/teams?ok=saved").into_response())
}

pub async fn add_member(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    require_manage(&a)?;
    let team = team_of(&state, &a, &id).await?;
    let member = match staff_by_email(&state, &a, form.get("email")).await? {
        Ok(Some(m)) => m,
        Ok(None) => return page(&state, &a, None, Some(a.tr.t("error-owner-unknown"))).await,
        Err(msg) => return page(&state, &a, None, Some(msg)).await,
    };
    teams::add_member(a.tenant(&state), &team.id, &member).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "team.member_add",
        &team.id,
        serde_json::json!({"user_id": member}),
    )
    .await?;
    Ok(Redirect::to("/teams?ok=saved").into_response())
}

pub async fn remove_member(
    State(state): State<AppState>,
    Path((id, user)): Path<(String, String)>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    require_manage(&a)?;
    let team = team_of(&state, &a, &id).await?;
    teams::remove_member(a.tenant(&state), &team.id, &user).await?;
    crate::commands::audit_change(
        &state,
        &a,
        "team.member_remove",
        &team.id,
        serde_json::json!({"user_id": user}),
    )
    .await?;
    Ok(Redirect::to("/teams?ok=saved").into_response())
}
