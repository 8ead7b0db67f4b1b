//! The access policy: the one place that answers "may ACTOR do ACTION".
//!
//! Decisions come from role, scope (institution or programme) and relation (own record).
//! Tenancy is not decided here: storage is scoped to the actor's institution by construction,
//! so a resource of another institution is never found at all.

use crate::improvement::SourceKind;
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
    /// List student records (what is listed is scoped by [`Actor::student_scope`]).
    ListStudents,
    /// Read a student's record (study data: name, number, programme, cohort, counsellor).
    ViewStudent(StudentRef<'a>),
    /// Change a student's study data in a programme.
    EditStudent { programme_id: &'a str },
    /// Import student records (each line is checked against [`Action::EditStudent`]).
    ImportStudents,
    /// Assign or reassign a student's counsellor.
    AssignCounsellor { programme_id: &'a str },
    /// Give a stand-in temporary access to a counsellor's caseload.
    ManageStandIns,
    /// Read that conversations took place (date, phase, status) and phase statuses.
    ViewGuidanceMeta(StudentRef<'a>),
    /// Read guidance content: reports, agreements, the parts of the career file shared with
    /// the counsellor.
    ViewGuidance(StudentRef<'a>),
    /// Plan, record and report conversations with the student; record phases and signals.
    Guide(StudentRef<'a>),
    /// Write one's own career file (self-assessments, reflections, goals, choices).
    WriteCareerFile(StudentRef<'a>),
    /// Read and set "extra support" flags.
    ViewSupport(StudentRef<'a>),
    /// Coverage of guidance in a programme (aggregates and the list of missed students).
    ViewCoverage { programme_id: &'a str },
    /// Configure the expected guidance moments of a programme.
    ConfigureGuidance { programme_id: &'a str },
    /// Read the institution's competence frameworks and learning lines.
    ViewCurriculum,
    /// Import, copy and version competence frameworks.
    ManageFrameworks,
    /// Add and change the LOB activities of a programme.
    ManageActivities { programme_id: &'a str },
    /// Keep one's own evidence, practice conversations and activity designs.
    WriteOwnWork,
    /// Read a student's evidence, practice conversation or activity design.
    ViewWork(WorkRef<'a>),
    /// Give feedback on it (with a rubric level).
    ReviewWork(WorkRef<'a>),
    /// Sign off a student's competence.
    SignOff { programme_id: Option<&'a str> },
    /// Read the shared library of published activity designs (placement mentors too).
    ViewLibrary,
    /// Publish a student's activity design to the library (or withdraw it).
    PublishDesign { programme_id: Option<&'a str> },
    /// Run HRM-scan rounds: choose respondents, open, close, publish.
    RunHrmScan,
    /// Read a round's results (HR and administrators; all staff once published).
    ViewScanResults { published: bool },
    /// Read an employee's development plan, career conversations, self-assessments and
    /// appraisal records: the employee, their line manager, HR advisers.
    ViewStaffDevelopment(EmployeeRef<'a>),
    /// Write the development plan (goals, professional development, progress): the employee
    /// and their line manager.
    EditDevelopmentPlan(EmployeeRef<'a>),
    /// Agree a plan, plan and report career conversations, write the appraisal record: the
    /// line manager (never for oneself).
    GuideEmployee(EmployeeRef<'a>),
    /// Fill in one's own self-assessment as an employee.
    SelfAssessAsEmployee(EmployeeRef<'a>),
    /// Form teams and name their line managers.
    ManageTeams,
    /// Keep recruitment and appointment records.
    RecordRecruitment,
    /// The "practice what you preach" report per team (aggregates only); line managers read
    /// their own teams' rows.
    ViewTeamReport { manages_team: bool },
    /// Read the improvement plan (owners read their own actions regardless).
    ViewImprovementActions,
    /// Add and follow up improvement actions from a source of this kind.
    ManageImprovementActions(SourceKind),
    /// Manage partners, invitations, placements, the triage of needs and the offer.
    ManageField,
    /// Read partners, placements, needs, the offer and the alignment matrix (institute side).
    ViewField,
    /// Read a partner organisation (`own`: the actor belongs to it).
    ViewPartner { own: bool },
    /// Submit a need for a partner organisation.
    SubmitNeed { own: bool },
    /// Create or change placements of students of a programme.
    ManagePlacements { programme_id: &'a str },
    /// Read a placement, its tasks and progress.
    ViewPlacement(PlacementRef<'a>),
    /// Assess a placement's LOB tasks with a rubric level and feedback: its mentor.
    AssessPlacementTask(PlacementRef<'a>),
    /// Hand in a placement task: the student.
    SubmitPlacementTask(PlacementRef<'a>),
    /// Read the professional-development offer and enrol (staff and partner people).
    UseOffer,
    /// Read the adopted LOB vision: every staff member and student of the institution.
    ReadVision,
    /// Write, propose and adopt versions of the LOB vision (of the institution, or of a
    /// programme): administrators and programme managers.
    ManageVision { programme_id: Option<&'a str> },
    /// Read the indicators, the quality cycle, the self-scans and the annual report of the
    /// institution (`None`) or a programme: administrators and programme managers (their
    /// programmes; the institution's with institution scope). HR advisers read the staff
    /// indicators of the institution (`staff_only`).
    ReadIndicators {
        programme_id: Option<&'a str>,
        staff_only: bool,
    },
    /// Set targets, keep a programme team's self-scan and the quality cycle's actions:
    /// administrators and programme managers (in their scope).
    ManageQualityCycle { programme_id: Option<&'a str> },
}

/// What the policy needs to know of a placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacementRef<'a> {
    pub student_user_id: &'a str,
    pub programme_id: &'a str,
    pub mentor_id: Option<&'a str>,
    /// The actor belongs to the placement's partner organisation.
    pub same_partner: bool,
    /// The actor is the institute coordinator of the partnership.
    pub institute_coordinator: bool,
}

/// What the policy needs to know of an employee to decide about their development records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EmployeeRef<'a> {
    pub user_id: &'a str,
    /// The line manager of the employee's team.
    pub manager_id: Option<&'a str>,
}

/// What the policy needs to know about a piece of a student's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkRef<'a> {
    /// The owner's user id.
    pub owner_id: &'a str,
    /// The owner's programme, when the owner is a student.
    pub programme_id: Option<&'a str>,
    /// The actor was asked to review it (an open or finished request).
    pub asked: bool,
}

/// What the policy needs to know of a student to decide about their data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StudentRef<'a> {
    /// The student's user id.
    pub user_id: &'a str,
    pub programme_id: &'a str,
    pub counsellor_id: Option<&'a str>,
    /// The actor stands in for the student's counsellor today.
    pub stand_in: bool,
}

/// Which students an actor may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StudentScope {
    /// Every student of the institution.
    Institution,
    /// Students of these programmes.
    Programmes(Vec<String>),
    /// The actor's own caseload (and caseloads they stand in for).
    Caseload,
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
            Action::ListStudents => {
                self.has_role(Administrator)
                    || self.has_role(ProgrammeManager)
                    || self.has_role(Counsellor)
            }
            Action::ViewStudent(s) => {
                self.is_the_student(&s)
                    || self.guides(&s)
                    || self.has_role(Administrator)
                    || self.has_role_for(ProgrammeManager, s.programme_id)
            }
            Action::EditStudent { programme_id } | Action::AssignCounsellor { programme_id } => {
                self.has_role(Administrator) || self.has_role_for(ProgrammeManager, programme_id)
            }
            Action::ImportStudents | Action::ManageStandIns => {
                self.has_role(Administrator) || self.has_role(ProgrammeManager)
            }
            Action::ViewGuidanceMeta(s) => {
                self.is_the_student(&s)
                    || self.guides(&s)
                    || self.has_role_for(ProgrammeManager, s.programme_id)
            }
            Action::ViewGuidance(s) => self.is_the_student(&s) || self.guides(&s),
            Action::Guide(s) => self.guides(&s),
            Action::WriteCareerFile(s) => self.is_the_student(&s),
            Action::ViewSupport(s) => {
                self.guides(&s) || self.has_role_for(ProgrammeManager, s.programme_id)
            }
            Action::ViewCoverage { programme_id } | Action::ConfigureGuidance { programme_id } => {
                self.has_role_for(ProgrammeManager, programme_id)
            }
            Action::ViewCurriculum => self.roles.iter().any(|r| !r.role.is_partner()),
            Action::ManageFrameworks => {
                self.has_role(Administrator)
                    || self.has_role(ProgrammeManager)
                    || self.has_role(Lecturer)
            }
            Action::ManageActivities { programme_id } => {
                self.has_role(Administrator)
                    || self.has_role_for(ProgrammeManager, programme_id)
                    || self.has_role_for(Lecturer, programme_id)
            }
            Action::WriteOwnWork => self.has_role(Student),
            // The owner, whoever they asked, and the lecturers of the owner's programme.
            Action::ViewWork(w) | Action::ReviewWork(w) => {
                (w.owner_id == self.user_id && matches!(action, Action::ViewWork(_)))
                    || w.asked
                    || w.programme_id
                        .is_some_and(|p| self.has_role_for(Lecturer, p))
            }
            Action::SignOff { programme_id } | Action::PublishDesign { programme_id } => {
                programme_id.is_some_and(|p| self.has_role_for(Lecturer, p))
            }
            Action::ViewLibrary => !self.roles.is_empty(),
            Action::RunHrmScan => self.has_role(HrAdviser),
            Action::ViewScanResults { published } => {
                self.has_role(HrAdviser)
                    || self.has_role(Administrator)
                    || (published && self.roles.iter().any(|r| r.role.is_staff()))
            }
            Action::ViewStaffDevelopment(e) => {
                e.user_id == self.user_id || self.manages(&e) || self.has_role(HrAdviser)
            }
            Action::EditDevelopmentPlan(e) => e.user_id == self.user_id || self.manages(&e),
            Action::GuideEmployee(e) => e.user_id != self.user_id && self.manages(&e),
            Action::SelfAssessAsEmployee(e) => e.user_id == self.user_id && self.is_staff(),
            Action::ManageTeams => self.has_role(HrAdviser) || self.has_role(Administrator),
            Action::RecordRecruitment => self.has_role(HrAdviser),
            Action::ViewTeamReport { manages_team } => {
                manages_team || self.has_role(HrAdviser) || self.has_role(ProgrammeManager)
            }
            Action::ViewImprovementActions => {
                self.has_role(HrAdviser)
                    || self.has_role(Administrator)
                    || self.has_role(ProgrammeManager)
            }
            Action::ManageField => self.has_role(Administrator) || self.has_role(ProgrammeManager),
            Action::ViewField => {
                self.has_role(Administrator)
                    || self.has_role(ProgrammeManager)
                    || self.has_role(Lecturer)
            }
            Action::ViewPartner { own } => {
                self.may(Action::ViewField)
                    || (own && self.roles.iter().any(|r| r.role.is_partner()))
            }
            Action::SubmitNeed { own } => {
                self.may(Action::ManageField) || (own && self.has_role(PartnerCoordinator))
            }
            Action::ManagePlacements { programme_id } => {
                self.has_role(Administrator) || self.has_role_for(ProgrammeManager, programme_id)
            }
            Action::ViewPlacement(p) => self.placement_reader(&p),
            Action::AssessPlacementTask(p) => {
                self.has_role(PlacementMentor) && p.mentor_id == Some(self.user_id.as_str())
            }
            Action::SubmitPlacementTask(p) => p.student_user_id == self.user_id,
            Action::UseOffer => self.roles.iter().any(|r| r.role != Student),
            Action::ReadVision => self.roles.iter().any(|r| !r.role.is_partner()),
            Action::ManageVision { programme_id } | Action::ManageQualityCycle { programme_id } => {
                self.manages_scope(programme_id)
            }
            Action::ReadIndicators {
                programme_id,
                staff_only,
            } => {
                self.manages_scope(programme_id)
                    || (staff_only && programme_id.is_none() && self.has_role(HrAdviser))
            }
            Action::ManageImprovementActions(kind) => match kind {
                SourceKind::ScanStage => self.has_role(HrAdviser),
                SourceKind::Indicator | SourceKind::SelfScanAspect => {
                    self.has_role(ProgrammeManager) || self.has_role(Administrator)
                }
            },
        }
    }

    fn placement_reader(&self, p: &PlacementRef<'_>) -> bool {
        use Role::*;
        p.student_user_id == self.user_id
            || (self.has_role(PlacementMentor) && p.mentor_id == Some(self.user_id.as_str()))
            || (self.has_role(PartnerCoordinator) && p.same_partner)
            || (p.institute_coordinator && self.is_staff())
            || self.has_role(Administrator)
            || self.has_role_for(ProgrammeManager, p.programme_id)
            || self.has_role_for(Lecturer, p.programme_id)
    }

    /// The actor is the employee's line manager (a relation, not a role).
    /// An administrator, or a programme manager of the programme (of the institution: with
    /// institution scope).
    fn manages_scope(&self, programme_id: Option<&str>) -> bool {
        use Role::*;
        self.has_role(Administrator)
            || match programme_id {
                None => self.scope_of(&[ProgrammeManager]) == Some(Scope::Institution),
                Some(p) => self.has_role_for(ProgrammeManager, p),
            }
    }

    fn manages(&self, e: &EmployeeRef<'_>) -> bool {
        e.manager_id == Some(self.user_id.as_str()) && self.is_staff()
    }

    fn is_the_student(&self, s: &StudentRef<'_>) -> bool {
        s.user_id == self.user_id
    }

    /// The actor is the student's counsellor, or stands in for them.
    fn guides(&self, s: &StudentRef<'_>) -> bool {
        self.has_role(Role::Counsellor)
            && (s.counsellor_id == Some(self.user_id.as_str()) || s.stand_in)
    }

    /// Which students [`Action::ListStudents`] shows: administrators all, programme managers
    /// their programmes, counsellors their caseload.
    pub fn student_scope(&self) -> Option<StudentScope> {
        if self.has_role(Role::Administrator) {
            return Some(StudentScope::Institution);
        }
        match self.scope_of(&[Role::ProgrammeManager]) {
            Some(Scope::Institution) => Some(StudentScope::Institution),
            Some(Scope::Programmes(p)) => Some(StudentScope::Programmes(p)),
            None if self.has_role(Role::Counsellor) => Some(StudentScope::Caseload),
            None => None,
        }
    }

    /// The actor's roles, sorted by importance for choosing a home page.
    pub fn primary_role(&self) -> Option<Role> {
        self.roles.iter().map(|a| a.role).min()
    }
}

#[cfg(test)]
mod tests;
