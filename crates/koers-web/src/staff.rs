//! Access to one employee's development records, shared by the pages and the API: load the
//! employee and their team, establish the actor's relation (self, line manager, HR), ask the
//! policy, and write reads by others to the audit log.

use crate::auth::Authenticated;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use koers_domain::policy::{Action, EmployeeRef};
use koers_store::platform::users::{self, User};
use koers_store::staff::teams;

/// An employee and their team.
pub struct EmployeeAccess {
    pub user: User,
    /// (team id, team name, line manager id)
    pub team: Option<(String, String, Option<String>)>,
}

impl EmployeeAccess {
    pub fn eref(&self) -> EmployeeRef<'_> {
        EmployeeRef {
            user_id: &self.user.id,
            manager_id: self.team.as_ref().and_then(|t| t.2.as_deref()),
        }
    }

    pub fn is_self(&self, a: &Authenticated) -> bool {
        self.user.id == a.user.id
    }

    pub fn may_edit(&self, a: &Authenticated) -> bool {
        a.actor.may(Action::EditDevelopmentPlan(self.eref()))
    }

    pub fn may_guide(&self, a: &Authenticated) -> bool {
        a.actor.may(Action::GuideEmployee(self.eref()))
    }

    pub fn require(&self, allowed: bool) -> WebResult<()> {
        if allowed {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }
}

/// Load an employee (a user with a staff role) and require that the actor may read their
/// development records: 404 when there is no such employee, 403 without a relation.
pub async fn load(state: &AppState, a: &Authenticated, id: &str) -> WebResult<EmployeeAccess> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(state);
    let user = users::get(t, id).await?.ok_or(WebError::NotFound)?;
    if !user.roles.iter().any(|r| r.role.is_staff()) {
        return Err(WebError::NotFound);
    }
    let team = teams::of_member(t, &user.id).await?;
    let e = EmployeeAccess { user, team };
    e.require(a.actor.may(Action::ViewStaffDevelopment(e.eref())))?;
    crate::audit_trail::note_person(&e.user.id);
    Ok(e)
}

/// Record a read of an employee's development records by someone else.
pub async fn audit_read(
    state: &AppState,
    a: &Authenticated,
    e: &EmployeeAccess,
    action: &str,
) -> WebResult<()> {
    if e.is_self(a) {
        return Ok(());
    }
    let relation = if e.eref().manager_id == Some(a.user.id.as_str()) {
        "line_manager"
    } else {
        "hr"
    };
    Ok(koers_app::guidance::access::audit_sensitive_read(
        &a.cx(state),
        action,
        ("employee", &e.user.id),
        &e.user.id,
        serde_json::json!({ "relation": relation }),
    )
    .await?)
}

pub use koers_app::competences::CompetenceOption;

/// Check competence references against the options (422 `competence-unknown`).
pub fn check_competences(options: &[CompetenceOption], given: &[String]) -> WebResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for g in given {
        let key = koers_domain::staff::development::CompetenceRef::parse(g)
            .map(|c| c.key())
            .filter(|k| options.iter().any(|o| &o.key == k))
            .ok_or(WebError::invalid("competences", "competence-unknown"))?;
        if !out.contains(&key) {
            out.push(key);
        }
    }
    Ok(out)
}

/// A plan is up to date: agreed, and agreed or discussed within a year (see the domain rule).
pub fn up_to_date(
    plan: &koers_store::staff::development::Plan,
    last_conversation_at: Option<i64>,
) -> bool {
    koers_domain::staff::development::plan_up_to_date(
        plan.status,
        plan.agreed_at.map(koers_domain::time::local_date),
        last_conversation_at.map(koers_domain::time::local_date),
        koers_domain::time::today(),
    )
}

/// The last held career conversation about an employee.
pub fn last_held(convs: &[koers_store::guidance::conversations::Conversation]) -> Option<i64> {
    convs
        .iter()
        .filter(|c| {
            c.context == koers_domain::guidance::conversation::Context::Staff
                && c.status == koers_domain::guidance::ConversationStatus::Held
        })
        .filter_map(|c| c.starts_at)
        .max()
}

/// The HRM-scan instrument as a JSON file to download.
pub(crate) fn instrument_download(
    i: &koers_domain::staff::scan::Instrument,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}-{}.json\"", i.key, i.version),
            ),
        ],
        koers_domain::staff::scan::to_json(i),
    )
        .into_response()
}
