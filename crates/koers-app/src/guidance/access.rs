//! Access to one student's guidance data: load the record, establish the actor's relation
//! (own record, own caseload, stand-in), ask the policy, and write sensitive reads to the
//! audit log.

use crate::{AppError, AppResult, Ctx};
use koers_domain::Role;
use koers_domain::policy::{Action, Actor, StudentRef};
use koers_store::guidance::stand_ins;
use koers_store::guidance::students::{self, Reach, StudentRecord};
use koers_store::platform::audit::{self, NewEvent};

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
#[derive(Debug, Clone)]
pub struct StudentAccess {
    pub record: StudentRecord,
    pub stand_in: bool,
}

impl StudentAccess {
    pub fn sref(&self) -> StudentRef<'_> {
        self.record.as_ref(self.stand_in)
    }

    pub fn may(&self, actor: &Actor, need: Need) -> bool {
        let s = self.sref();
        actor.may(match need {
            Need::View => Action::ViewStudent(s),
            Need::Meta => Action::ViewGuidanceMeta(s),
            Need::Content => Action::ViewGuidance(s),
            Need::Guide => Action::Guide(s),
            Need::OwnFile => Action::WriteCareerFile(s),
            Need::Support => Action::ViewSupport(s),
        })
    }

    pub fn require(&self, actor: &Actor, need: Need) -> AppResult<()> {
        if self.may(actor, need) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether the actor is the student.
    pub fn is_self(&self, actor: &Actor) -> bool {
        self.record.user_id == actor.user_id
    }
}

/// Load a student and the actor's relation: not found when there is no such student in the
/// institution, forbidden when the actor may not see the record at all.
pub async fn load(cx: &Ctx<'_>, id: &str) -> AppResult<StudentAccess> {
    let record = students::get(cx.tenant(), crate::id(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    with_relation(cx, record).await
}

/// Load a student and require `need` of the actor.
pub async fn load_for(cx: &Ctx<'_>, id: &str, need: Need) -> AppResult<StudentAccess> {
    let s = load(cx, id).await?;
    s.require(cx.actor, need)?;
    Ok(s)
}

/// The same for a student found otherwise (e.g. by the user id of a conversation).
pub async fn with_relation(cx: &Ctx<'_>, record: StudentRecord) -> AppResult<StudentAccess> {
    let stand_in = match &record.counsellor_id {
        Some(c) if c != &cx.user.id && cx.actor.has_role(Role::Counsellor) => {
            stand_ins::is_standing_in(cx.tenant(), &cx.user.id, c, koers_domain::time::today())
                .await?
        }
        _ => false,
    };
    let access = StudentAccess { record, stand_in };
    access.require(cx.actor, Need::View)?;
    (cx.note_person)(&access.record.user_id);
    Ok(access)
}

/// The student a person (user id) is, loaded with the actor's relation.
pub async fn load_by_user(cx: &Ctx<'_>, user_id: &str) -> AppResult<StudentAccess> {
    let record = students::by_user(cx.tenant(), user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    with_relation(cx, record).await
}

/// The actor's own student record, for what only a student does to their own file
/// (forbidden for anyone who is not a student).
pub async fn own_record(cx: &Ctx<'_>) -> AppResult<StudentAccess> {
    if !cx.actor.has_role(Role::Student) {
        return Err(AppError::Forbidden);
    }
    let s = load_by_user(cx, &cx.user.id).await?;
    s.require(cx.actor, Need::OwnFile)?;
    Ok(s)
}

/// Pages of one's own guiding work (times, group sessions) are for counsellors.
pub fn require_counsellor(actor: &Actor) -> AppResult<()> {
    if actor.has_role(Role::Counsellor) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Which students the actor may list (`None`: none at all).
pub async fn reach(cx: &Ctx<'_>) -> AppResult<Option<Reach>> {
    use koers_domain::policy::StudentScope;
    Ok(match cx.actor.student_scope() {
        None => None,
        Some(StudentScope::Institution) => Some(Reach::Institution),
        Some(StudentScope::Programmes(p)) => Some(Reach::Programmes(p)),
        Some(StudentScope::Caseload) => Some(Reach::Counsellors(caseload_owners(cx).await?)),
    })
}

/// The counsellors whose students the actor guides today: themselves and those they stand
/// in for.
pub async fn caseload_owners(cx: &Ctx<'_>) -> AppResult<Vec<String>> {
    let mut ids = vec![cx.user.id.clone()];
    ids.extend(stand_ins::covering(cx.tenant(), &cx.user.id, koers_domain::time::today()).await?);
    ids.dedup();
    Ok(ids)
}

/// Record that the actor read something sensitive about another person (`person_id`, a user
/// id): what (`action`), of which kind and id, with details. The shared form of every
/// audit-logged read; the person can read it back (who read my file).
pub async fn audit_sensitive_read(
    cx: &Ctx<'_>,
    action: &str,
    subject: (&str, &str),
    person_id: &str,
    details: serde_json::Value,
) -> AppResult<()> {
    audit::record(
        cx.db,
        NewEvent {
            subject_type: Some(subject.0),
            subject_id: Some(subject.1),
            person_id: Some(person_id),
            details,
            ..cx.event(action)
        },
    )
    .await?;
    Ok(())
}

/// Record a read of guidance content about a student by someone other than the student.
pub async fn audit_read(
    cx: &Ctx<'_>,
    access: &StudentAccess,
    action: &str,
    subject_id: &str,
) -> AppResult<()> {
    if access.is_self(cx.actor) {
        return Ok(());
    }
    audit_sensitive_read(
        cx,
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
