//! Access to one student's guidance data, shared by the pages and the API: load the record,
//! establish the actor's relation (own record, own caseload, stand-in), ask the policy, and
//! write sensitive reads to the audit log.

use crate::auth::Authenticated;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use koers_domain::Role;
use koers_domain::policy::{Action, StudentRef};
use koers_store::guidance::stand_ins;
use koers_store::guidance::students::{self, Reach, StudentRecord};
use koers_store::platform::audit::NewEvent;

/// What the actor wants with a student's data (the student-related [`Action`]s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    View,
    Meta,
    Content,
    Guide,
    OwnFile,
    Support,
}

/// A student record and how the actor relates to it.
pub struct StudentAccess {
    pub record: StudentRecord,
    pub stand_in: bool,
}

impl StudentAccess {
    pub fn sref(&self) -> StudentRef<'_> {
        self.record.as_ref(self.stand_in)
    }

    pub fn may(&self, a: &Authenticated, need: Need) -> bool {
        let s = self.sref();
        a.actor.may(match need {
            Need::View => Action::ViewStudent(s),
            Need::Meta => Action::ViewGuidanceMeta(s),
            Need::Content => Action::ViewGuidance(s),
            Need::Guide => Action::Guide(s),
            Need::OwnFile => Action::WriteCareerFile(s),
            Need::Support => Action::ViewSupport(s),
        })
    }

    pub fn require(&self, a: &Authenticated, need: Need) -> WebResult<()> {
        if self.may(a, need) {
            Ok(())
        } else {
            Err(WebError::Forbidden)
        }
    }

    /// Whether the actor is the student.
    pub fn is_self(&self, a: &Authenticated) -> bool {
        self.record.user_id == a.user.id
    }
}

/// Load a student and the actor's relation; 404 when there is no such student in the
/// institution, 403 when the actor may not see the record at all.
pub async fn load(state: &AppState, a: &Authenticated, id: &str) -> WebResult<StudentAccess> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(state);
    let record = students::get(t, id).await?.ok_or(WebError::NotFound)?;
    with_relation(state, a, record).await
}

/// Load a student and require `need` of the actor (403 otherwise).
pub async fn load_for(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    need: Need,
) -> WebResult<StudentAccess> {
    let s = load(state, a, id).await?;
    s.require(a, need)?;
    Ok(s)
}

/// The same for a student found otherwise (e.g. by the user id of a conversation).
pub async fn with_relation(
    state: &AppState,
    a: &Authenticated,
    record: StudentRecord,
) -> WebResult<StudentAccess> {
    let stand_in = match &record.counsellor_id {
        Some(c) if c != &a.user.id && a.actor.has_role(Role::Counsellor) => {
            stand_ins::is_standing_in(a.tenant(state), &a.user.id, c, koers_domain::time::today())
                .await?
        }
        _ => false,
    };
    let access = StudentAccess { record, stand_in };
    access.require(a, Need::View)?;
    crate::audit_trail::note_person(&access.record.user_id);
    Ok(access)
}

/// The student a person (user id) is, loaded with the actor's relation.
pub async fn load_by_user(
    state: &AppState,
    a: &Authenticated,
    user_id: &str,
) -> WebResult<StudentAccess> {
    let record = students::by_user(a.tenant(state), user_id)
        .await?
        .ok_or(WebError::NotFound)?;
    with_relation(state, a, record).await
}

/// The actor's own student record, for what only a student does to their own file (403 for
/// anyone who is not a student).
pub async fn own_record(state: &AppState, a: &Authenticated) -> WebResult<StudentAccess> {
    if !a.actor.has_role(Role::Student) {
        return Err(WebError::Forbidden);
    }
    let s = load_by_user(state, a, &a.user.id).await?;
    s.require(a, Need::OwnFile)?;
    Ok(s)
}

/// Pages of one's own guiding work (times, group sessions) are for counsellors.
pub fn require_counsellor(a: &Authenticated) -> WebResult<()> {
    if a.actor.has_role(Role::Counsellor) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

/// Which students the actor may list (`None`: none at all).
pub async fn reach(state: &AppState, a: &Authenticated) -> WebResult<Option<Reach>> {
    use koers_domain::policy::StudentScope;
    Ok(match a.actor.student_scope() {
        None => None,
        Some(StudentScope::Institution) => Some(Reach::Institution),
        Some(StudentScope::Programmes(p)) => Some(Reach::Programmes(p)),
        Some(StudentScope::Caseload) => Some(Reach::Counsellors(caseload_owners(state, a).await?)),
    })
}

/// The counsellors whose students the actor guides today: themselves and those they stand
/// in for.
pub async fn caseload_owners(state: &AppState, a: &Authenticated) -> WebResult<Vec<String>> {
    let mut ids = vec![a.user.id.clone()];
    ids.extend(
        stand_ins::covering(a.tenant(state), &a.user.id, koers_domain::time::today()).await?,
    );
    ids.dedup();
    Ok(ids)
}

/// Record that the actor read something sensitive about another person (`person_id`, a user
/// id): what (`action`), of which kind and id, with details. The shared form of every
/// audit-logged read; the person can read it back (who read my file).
pub async fn audit_sensitive_read(
    state: &AppState,
    a: &Authenticated,
    action: &str,
    subject: (&str, &str),
    person_id: &str,
    details: serde_json::Value,
) -> WebResult<()> {
    crate::audit_trail::record(
        state.db(),
        NewEvent {
            institution_id: Some(&a.user.institution_id),
            actor_id: Some(&a.user.id),
            actor_email: Some(&a.user.email),
            action,
            subject_type: Some(subject.0),
            subject_id: Some(subject.1),
            person_id: Some(person_id),
            details,
            ..Default::default()
        },
    )
    .await?;
    Ok(())
}

/// Record a read of guidance content about a student by someone other than the student.
pub async fn audit_read(
    state: &AppState,
    a: &Authenticated,
    access: &StudentAccess,
    action: &str,
    subject_id: &str,
) -> WebResult<()> {
    if access.is_self(a) {
        return Ok(());
    }
    audit_sensitive_read(
        state,
        a,
        action,
        ("student", subject_id),
        &access.record.user_id,
        serde_json::json!({
            "student_id": access.record.id,
            "stand_in": access.stand_in,
        }),
    )
    .await
}

/// Record a change made to a student's data.
pub async fn audit_change(
    state: &AppState,
    a: &Authenticated,
    action: &str,
    subject_id: &str,
    details: serde_json::Value,
) -> WebResult<()> {
    crate::views::users::audit_admin(state, a, action, subject_id, details).await
}
