/// The roles a user can hold. A user may hold several; each assignment is scoped to the
/// whole institution or to one programme.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Administrator,
    ProgrammeManager,
    Counsellor,
    Lecturer,
    Student,
    HrAdviser,
    Employee,
    PlacementMentor,
    /// The school coordinator of a partner organisation: sees the organisation's placements,
    /// needs and enrolments.
    PartnerCoordinator,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(pub String);

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Administrator,
        Role::ProgrammeManager,
        Role::Counsellor,
        Role::Lecturer,
        Role::Student,
        Role::HrAdviser,
        Role::Employee,
        Role::PlacementMentor,
        Role::PartnerCoordinator,
    ];

    /// Roles that read guidance notes, HR records or placement students' files: with
    /// `--require-second-factor personal-data`, they log in with a second factor.
    pub const fn reads_personal_records(self) -> bool {
        matches!(
            self,
            Role::Administrator
                | Role::ProgrammeManager
                | Role::Counsellor
                | Role::HrAdviser
                | Role::PlacementMentor
        )
    }

    /// The key used in the API, the database and translation keys.
    pub const fn key(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::ProgrammeManager => "programme_manager",
            Role::Counsellor => "counsellor",
            Role::Lecturer => "lecturer",
            Role::Student => "student",
            Role::HrAdviser => "hr_adviser",
            Role::Employee => "employee",
            Role::PlacementMentor => "placement_mentor",
            Role::PartnerCoordinator => "partner_coordinator",
        }
    }

    pub fn parse(key: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|r| r.key() == key.trim())
            .ok_or_else(|| UnknownRole(key.to_owned()))
    }

    /// Whether an assignment of this role may be limited to one programme.
    pub const fn programme_scopable(self) -> bool {
        matches!(
            self,
            Role::ProgrammeManager | Role::Counsellor | Role::Lecturer | Role::Student
        )
    }

    /// Staff roles (every staff member also holds `employee`).
    pub const fn is_staff(self) -> bool {
        !matches!(
            self,
            Role::Student | Role::PlacementMentor | Role::PartnerCoordinator
        )
    }

    /// Roles of people of a partner organisation (accounts by invitation).
    pub const fn is_partner(self) -> bool {
        matches!(self, Role::PlacementMentor | Role::PartnerCoordinator)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// One role held by a user, for the whole institution (`programme_id: None`) or one programme.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoleAssignment {
    pub role: Role,
    pub programme_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.key()).unwrap(), r);
            assert_eq!(
                serde_json::to_string(&r).unwrap(),
                format!("\"{}\"", r.key())
            );
        }
        assert!(Role::parse("root").is_err());
    }
}

/// Complete a set of roles by the rules: every staff member also holds `employee`;
/// duplicates are removed; the order is stable.
pub fn normalise_roles(mut roles: Vec<RoleAssignment>) -> Vec<RoleAssignment> {
    if roles.iter().any(|r| r.role.is_staff()) && !roles.iter().any(|r| r.role == Role::Employee) {
        roles.push(RoleAssignment {
            role: Role::Employee,
            programme_id: None,
        });
    }
    let mut out: Vec<RoleAssignment> = Vec::with_capacity(roles.len());
    for r in roles {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out.sort_by(|a, b| (a.role, &a.programme_id).cmp(&(b.role, &b.programme_id)));
    out
}

#[cfg(test)]
mod normalise_tests {
    use super::*;

    #[test]
    fn staff_are_employees() {
        let r = normalise_roles(vec![RoleAssignment {
            role: Role::Counsellor,
            programme_id: None,
        }]);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].role, Role::Employee);
        let s = normalise_roles(vec![RoleAssignment {
            role: Role::Student,
            programme_id: Some("p".into()),
        }]);
        assert_eq!(s.len(), 1);
    }
}
