//! The access policy: the one place that answers "may ACTOR do ACTION".
//!
//! Decisions come from role, scope (institution or programme) and relation (own record).
//! Tenancy is not decided here: storage is scoped to the actor's institution by construction,
//! so a resource of another institution is never found at all.

use crate::platform::{Role, RoleAssignment};

/// The authenticated user on whose behalf a request runs.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: String,
    pub institution_id: String,
    pub roles: Vec<RoleAssignment>,
}

/// The reach of a role assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Institution,
    Programmes(Vec<String>),
}

/// What an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// List the institution's users.
    ListUsers,
    /// Read one user's account (name, email, roles).
    ViewUser { user_id: &'a str },
    /// Create, change, deactivate users and assign roles.
    ManageUsers,
    /// List programmes and cohorts (not private within the institution).
    ListProgrammes,
    /// Create and rename programmes.
    ManageProgrammes,
    /// Add cohorts to a programme.
    ManageCohorts { programme_id: &'a str },
    /// Read the audit log.
    ViewAuditLog,
    /// Change one's own password, language and sessions.
    ManageOwnAccount,
}

impl Actor {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|a| a.role == role)
    }

    /// Holds `role` for the whole institution or for the given programme.
    pub fn has_role_for(&self, role: Role, programme_id: &str) -> bool {
        self.roles
            .iter()
            .any(|a| a.role == role && a.programme_id.as_deref().is_none_or(|p| p == programme_id))
    }

    /// Where the actor holds any of `roles`: `None` when nowhere, else the whole institution or
    /// the listed programmes.
    pub fn scope_of(&self, roles: &[Role]) -> Option<Scope> {
        let held: Vec<&RoleAssignment> = self
            .roles
            .iter()
            .filter(|a| roles.contains(&a.role))
            .collect();
        if held.is_empty() {
            None
        } else if held.iter().any(|a| a.programme_id.is_none()) {
            Some(Scope::Institution)
        } else {
            Some(Scope::Programmes(
                held.iter().filter_map(|a| a.programme_id.clone()).collect(),
            ))
        }
    }

    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|a| a.role.is_staff())
    }

    pub fn may(&self, action: Action<'_>) -> bool {
        use Role::*;
        match action {
            Action::ListUsers => self.has_role(Administrator) || self.has_role(ProgrammeManager),
            Action::ViewUser { user_id } => {
                user_id == self.user_id
                    || self.has_role(Administrator)
                    || self.has_role(ProgrammeManager)
            }
            Action::ManageUsers | Action::ManageProgrammes | Action::ViewAuditLog => {
                self.has_role(Administrator)
            }
            Action::ListProgrammes => !self.roles.is_empty(),
            Action::ManageCohorts { programme_id } => {
                self.has_role(Administrator) || self.has_role_for(ProgrammeManager, programme_id)
            }
            Action::ManageOwnAccount => true,
        }
    }

    /// The actor's roles, sorted by importance for choosing a home page.
    pub fn primary_role(&self) -> Option<Role> {
        self.roles.iter().map(|a| a.role).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(roles: &[(Role, Option<&str>)]) -> Actor {
        Actor {
            user_id: "u1".into(),
            institution_id: "i1".into(),
            roles: roles
                .iter()
                .map(|(r, p)| RoleAssignment {
                    role: *r,
                    programme_id: p.map(str::to_owned),
                })
                .collect(),
        }
    }

    #[test]
    fn administrator_manages_everything_in_platform() {
        let a = actor(&[(Role::Administrator, None)]);
        assert!(a.may(Action::ManageUsers));
        assert!(a.may(Action::ViewAuditLog));
        assert!(a.may(Action::ManageCohorts { programme_id: "p" }));
    }

    #[test]
    fn programme_manager_scope() {
        let a = actor(&[(Role::ProgrammeManager, Some("p1")), (Role::Employee, None)]);
        assert!(a.may(Action::ManageCohorts { programme_id: "p1" }));
        assert!(!a.may(Action::ManageCohorts { programme_id: "p2" }));
        assert!(!a.may(Action::ManageUsers));
        assert!(a.may(Action::ListUsers));
        let whole = actor(&[(Role::ProgrammeManager, None)]);
        assert!(whole.may(Action::ManageCohorts { programme_id: "p2" }));
    }

    #[test]
    fn scope_counts_only_the_asked_roles() {
        let a = actor(&[
            (Role::Lecturer, Some("p1")),
            (Role::Student, Some("p2")),
            (Role::Employee, None),
        ]);
        assert_eq!(
            a.scope_of(&[Role::Lecturer, Role::ProgrammeManager]),
            Some(Scope::Programmes(vec!["p1".into()]))
        );
        assert_eq!(a.scope_of(&[Role::Employee]), Some(Scope::Institution));
        assert_eq!(a.scope_of(&[Role::Counsellor]), None);
    }

    #[test]
    fn students_see_only_themselves() {
        let a = actor(&[(Role::Student, Some("p1"))]);
        assert!(a.may(Action::ViewUser { user_id: "u1" }));
        assert!(!a.may(Action::ViewUser { user_id: "u2" }));
        assert!(!a.may(Action::ListUsers));
        assert!(!a.may(Action::ViewAuditLog));
        assert!(a.may(Action::ListProgrammes));
    }

    #[test]
    fn no_roles_no_lists() {
        let a = actor(&[]);
        assert!(!a.may(Action::ListProgrammes));
        assert!(a.may(Action::ManageOwnAccount));
    }
}
