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
fn student_work_is_read_by_owner_reviewers_and_programme_lecturers_only() {
    let work = |asked| WorkRef {
        owner_id: "s1",
        programme_id: Some("p1"),
        asked,
    };
    let owner = Actor {
        user_id: "s1".into(),
        ..actor(&[(Role::Student, Some("p1"))])
    };
    assert!(owner.may(Action::ViewWork(work(false))));
    assert!(
        !owner.may(Action::ReviewWork(work(false))),
        "no feedback on one's own work"
    );
    let peer = actor(&[(Role::Student, Some("p1"))]);
    assert!(!peer.may(Action::ViewWork(work(false))));
    assert!(peer.may(Action::ViewWork(work(true))) && peer.may(Action::ReviewWork(work(true))));
    let lecturer = actor(&[(Role::Lecturer, Some("p1"))]);
    assert!(lecturer.may(Action::ViewWork(work(false))));
    assert!(lecturer.may(Action::SignOff {
        programme_id: Some("p1")
    }));
    let other_lecturer = actor(&[(Role::Lecturer, Some("p2"))]);
    assert!(!other_lecturer.may(Action::ViewWork(work(false))));
    assert!(!other_lecturer.may(Action::SignOff {
        programme_id: Some("p1")
    }));
    for r in [
        Role::Administrator,
        Role::ProgrammeManager,
        Role::Counsellor,
        Role::HrAdviser,
    ] {
        assert!(
            !actor(&[(r, None)]).may(Action::ViewWork(work(false))),
            "{r:?}"
        );
    }
    assert!(!actor(&[(Role::PlacementMentor, None)]).may(Action::ViewCurriculum));
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

fn student<'a>(counsellor: Option<&'a str>, stand_in: bool) -> StudentRef<'a> {
    StudentRef {
        user_id: "s1",
        programme_id: "p1",
        counsellor_id: counsellor,
        stand_in,
    }
}

#[test]
fn guidance_content_only_for_student_and_counsellor() {
    let counsellor = actor(&[(Role::Counsellor, None)]);
    let mine = student(Some("u1"), false);
    let other = student(Some("u9"), false);
    assert!(counsellor.may(Action::ViewGuidance(mine)));
    assert!(counsellor.may(Action::Guide(mine)));
    assert!(!counsellor.may(Action::ViewGuidance(other)));
    assert!(!counsellor.may(Action::ViewStudent(other)));
    // A stand-in reaches another counsellor's student while the stand-in lasts.
    assert!(counsellor.may(Action::Guide(student(Some("u9"), true))));
    // The student reads and writes their own file, but does not guide themselves.
    let mut me = actor(&[(Role::Student, Some("p1"))]);
    me.user_id = "s1".into();
    assert!(me.may(Action::ViewGuidance(other)));
    assert!(me.may(Action::WriteCareerFile(other)));
    assert!(!me.may(Action::Guide(other)));
    assert!(!me.may(Action::ViewSupport(other)));
    assert!(!me.may(Action::ListStudents));
}

#[test]
fn managers_see_meta_and_coverage_never_content() {
    let m = actor(&[(Role::ProgrammeManager, Some("p1")), (Role::Employee, None)]);
    let s = student(Some("u9"), false);
    assert!(m.may(Action::ViewStudent(s)));
    assert!(m.may(Action::ViewGuidanceMeta(s)));
    assert!(m.may(Action::ViewSupport(s)));
    assert!(m.may(Action::ViewCoverage { programme_id: "p1" }));
    assert!(!m.may(Action::ViewCoverage { programme_id: "p2" }));
    assert!(!m.may(Action::ViewGuidance(s)));
    assert!(!m.may(Action::Guide(s)));
    let other_programme = StudentRef {
        programme_id: "p2",
        ..s
    };
    assert!(!m.may(Action::ViewStudent(other_programme)));
    assert_eq!(
        m.student_scope(),
        Some(StudentScope::Programmes(vec!["p1".into()]))
    );
}

#[test]
fn administrators_study_data_only() {
    let a = actor(&[(Role::Administrator, None)]);
    let s = student(Some("u9"), false);
    assert!(a.may(Action::ViewStudent(s)));
    assert!(a.may(Action::ImportStudents));
    assert!(a.may(Action::EditStudent { programme_id: "p1" }));
    assert!(!a.may(Action::ViewGuidanceMeta(s)));
    assert!(!a.may(Action::ViewGuidance(s)));
    assert!(!a.may(Action::ViewCoverage { programme_id: "p1" }));
}

#[test]
fn other_roles_nothing_of_guidance() {
    for r in [
        Role::Lecturer,
        Role::HrAdviser,
        Role::Employee,
        Role::PlacementMentor,
    ] {
        let a = actor(&[(r, None)]);
        let s = student(Some("u9"), false);
        assert!(!a.may(Action::ListStudents));
        assert!(!a.may(Action::ViewStudent(s)));
        assert!(!a.may(Action::ViewGuidanceMeta(s)));
        assert_eq!(a.student_scope(), None);
    }
}

#[test]
fn staff_development_is_read_by_the_employee_the_line_manager_and_hr() {
    let e = EmployeeRef {
        user_id: "e1",
        manager_id: Some("u1"),
    };
    let manager = actor(&[(Role::Employee, None)]);
    assert!(manager.may(Action::ViewStaffDevelopment(e)));
    assert!(manager.may(Action::GuideEmployee(e)));
    assert!(manager.may(Action::EditDevelopmentPlan(e)));
    assert!(!manager.may(Action::SelfAssessAsEmployee(e)));
    let own = Actor {
        user_id: "e1".into(),
        ..actor(&[(Role::Employee, None)])
    };
    assert!(own.may(Action::ViewStaffDevelopment(e)));
    assert!(own.may(Action::EditDevelopmentPlan(e)));
    assert!(own.may(Action::SelfAssessAsEmployee(e)));
    assert!(
        !own.may(Action::GuideEmployee(e)),
        "no one guides themselves"
    );
    let hr = actor(&[(Role::HrAdviser, None), (Role::Employee, None)]);
    let not_mine = EmployeeRef {
        manager_id: Some("u9"),
        ..e
    };
    assert!(hr.may(Action::ViewStaffDevelopment(not_mine)));
    assert!(!hr.may(Action::EditDevelopmentPlan(not_mine)));
    assert!(!hr.may(Action::GuideEmployee(not_mine)));
    // Education roles without an HR or manager relation see nothing.
    for r in [
        Role::Administrator,
        Role::ProgrammeManager,
        Role::Counsellor,
        Role::Lecturer,
        Role::Student,
        Role::PlacementMentor,
    ] {
        let a = actor(&[(r, None)]);
        assert!(!a.may(Action::ViewStaffDevelopment(not_mine)), "{r:?}");
        assert!(!a.may(Action::EditDevelopmentPlan(not_mine)), "{r:?}");
    }
    // A student named as "manager" by mistake still is not one.
    let student = actor(&[(Role::Student, Some("p1"))]);
    assert!(!student.may(Action::ViewStaffDevelopment(e)));
}

#[test]
fn improvement_actions_by_source() {
    let hr = actor(&[(Role::HrAdviser, None)]);
    assert!(hr.may(Action::ManageImprovementActions(SourceKind::ScanStage)));
    assert!(!hr.may(Action::ManageImprovementActions(SourceKind::Indicator)));
    let pm = actor(&[(Role::ProgrammeManager, None)]);
    assert!(pm.may(Action::ManageImprovementActions(SourceKind::Indicator)));
    assert!(!pm.may(Action::ManageImprovementActions(SourceKind::ScanStage)));
    assert!(pm.may(Action::ViewImprovementActions));
    assert!(!actor(&[(Role::Employee, None)]).may(Action::ViewImprovementActions));
    assert!(
        !actor(&[(Role::Counsellor, None)]).may(Action::ViewTeamReport {
            manages_team: false
        })
    );
    assert!(actor(&[(Role::Employee, None)]).may(Action::ViewTeamReport { manages_team: true }));
}

#[test]
fn placements_are_read_by_their_people_only() {
    let p = PlacementRef {
        student_user_id: "s1",
        programme_id: "p1",
        mentor_id: Some("m1"),
        same_partner: false,
        institute_coordinator: false,
    };
    let mentor = Actor {
        user_id: "m1".into(),
        ..actor(&[(Role::PlacementMentor, None)])
    };
    assert!(mentor.may(Action::ViewPlacement(p)));
    assert!(mentor.may(Action::AssessPlacementTask(p)));
    assert!(!mentor.may(Action::SubmitPlacementTask(p)));
    // A mentor of another school (or another trainee) sees nothing of it.
    let other_mentor = actor(&[(Role::PlacementMentor, None)]);
    assert!(!other_mentor.may(Action::ViewPlacement(p)));
    assert!(!other_mentor.may(Action::AssessPlacementTask(p)));
    // The school coordinator of the placement's school, not of another school.
    let coordinator = actor(&[(Role::PartnerCoordinator, None)]);
    assert!(!coordinator.may(Action::ViewPlacement(p)));
    assert!(coordinator.may(Action::ViewPlacement(PlacementRef {
        same_partner: true,
        ..p
    })));
    assert!(!coordinator.may(Action::AssessPlacementTask(PlacementRef {
        same_partner: true,
        ..p
    })));
    let student = Actor {
        user_id: "s1".into(),
        ..actor(&[(Role::Student, Some("p1"))])
    };
    assert!(student.may(Action::ViewPlacement(p)) && student.may(Action::SubmitPlacementTask(p)));
    assert!(!actor(&[(Role::Student, Some("p1"))]).may(Action::ViewPlacement(p)));
    // The institute coordinator named on the partnership; lecturers of the programme.
    let staff = actor(&[(Role::Employee, None)]);
    assert!(!staff.may(Action::ViewPlacement(p)));
    assert!(staff.may(Action::ViewPlacement(PlacementRef {
        institute_coordinator: true,
        ..p
    })));
    assert!(actor(&[(Role::Lecturer, Some("p1"))]).may(Action::ViewPlacement(p)));
    assert!(!actor(&[(Role::Lecturer, Some("p2"))]).may(Action::ViewPlacement(p)));
    // Partner people never manage or read the institute's field overview.
    for r in [Role::PlacementMentor, Role::PartnerCoordinator] {
        let a = actor(&[(r, None)]);
        assert!(!a.may(Action::ManageField) && !a.may(Action::ViewField));
        assert!(!a.may(Action::ViewPartner { own: false }));
        assert!(a.may(Action::ViewPartner { own: true }));
        assert!(a.may(Action::UseOffer));
        assert!(!a.may(Action::ViewCurriculum));
    }
    assert!(actor(&[(Role::PartnerCoordinator, None)]).may(Action::SubmitNeed { own: true }));
    assert!(!actor(&[(Role::PlacementMentor, None)]).may(Action::SubmitNeed { own: true }));
    assert!(!actor(&[(Role::Student, None)]).may(Action::UseOffer));
}

#[test]
fn the_vision_is_read_by_members_and_managed_by_managers() {
    assert!(actor(&[(Role::Student, Some("p1"))]).may(Action::ReadVision));
    assert!(actor(&[(Role::Employee, None)]).may(Action::ReadVision));
    assert!(!actor(&[(Role::PlacementMentor, None)]).may(Action::ReadVision));
    let pm = actor(&[(Role::ProgrammeManager, Some("p1"))]);
    assert!(pm.may(Action::ManageVision {
        programme_id: Some("p1")
    }));
    assert!(!pm.may(Action::ManageVision {
        programme_id: Some("p2")
    }));
    assert!(
        !pm.may(Action::ManageVision { programme_id: None }),
        "the institution's vision needs institution scope"
    );
    assert!(
        actor(&[(Role::ProgrammeManager, None)]).may(Action::ManageVision { programme_id: None })
    );
    assert!(actor(&[(Role::Administrator, None)]).may(Action::ManageVision { programme_id: None }));
    assert!(!actor(&[(Role::Lecturer, None)]).may(Action::ManageVision { programme_id: None }));
}

#[test]
fn indicators_are_read_by_managers_in_scope_and_hr_for_staff() {
    let read = |p, staff_only| Action::ReadIndicators {
        programme_id: p,
        staff_only,
    };
    let pm = actor(&[(Role::ProgrammeManager, Some("p1"))]);
    assert!(pm.may(read(Some("p1"), false)));
    assert!(!pm.may(read(Some("p2"), false)));
    assert!(!pm.may(read(None, false)));
    let institution_pm = actor(&[(Role::ProgrammeManager, None)]);
    assert!(institution_pm.may(read(None, false)));
    assert!(institution_pm.may(read(Some("p2"), false)));
    let hr = actor(&[(Role::HrAdviser, None)]);
    assert!(hr.may(read(None, true)));
    assert!(!hr.may(read(None, false)));
    assert!(!hr.may(read(Some("p1"), true)));
    assert!(!hr.may(Action::ManageQualityCycle { programme_id: None }));
    for role in [
        Role::Student,
        Role::Lecturer,
        Role::Counsellor,
        Role::Employee,
    ] {
        assert!(!actor(&[(role, None)]).may(read(None, true)), "{role:?}");
    }
    assert!(actor(&[(Role::Administrator, None)]).may(read(None, false)));
    assert!(pm.may(Action::ManageQualityCycle {
        programme_id: Some("p1")
    }));
}

#[test]
fn no_roles_no_lists() {
    let a = actor(&[]);
    assert!(!a.may(Action::ListProgrammes));
    assert!(a.may(Action::ManageOwnAccount));
}
