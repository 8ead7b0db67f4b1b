//! What people type for the receiving field — a partner, an invitation, a placement, a field
//! need, an offer item — as drafts of plain text, and their one check. A page's form and an
//! API body fill the same draft, so the same input gives the same result through either.
//! Checks that need stored data (does the student exist, is the competence in a current
//! framework) are the application's.

use super::{OfferKind, PartnerKind, PartnerRole, TaskKind, Urgency};
use crate::guidance::conversation::{MAX_DURATION, MIN_DURATION};
use crate::platform::{Email, FieldError};
use crate::staff::development::CompetenceRef;

/// Longest free text (a description).
pub const MAX_DESCRIPTION: usize = 4000;

/// Collects the problems of one draft.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError::new(field, code));
    }

    /// A required one-line text of at most `max` characters, with its whitespace collapsed.
    fn line(&mut self, s: &str, field: &'static str, max: usize) -> String {
        let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if t.is_empty() || t.chars().count() > max {
            self.add(field, "required");
        }
        t
    }

    /// A free text of at most [`MAX_DESCRIPTION`] characters, trimmed.
    fn description(&mut self, s: &str, field: &'static str) -> String {
        if s.chars().count() > MAX_DESCRIPTION {
            self.add(field, "too-long");
        }
        s.trim().to_owned()
    }

    fn date(&mut self, s: &str, field: &'static str) -> String {
        match crate::time::parse_date(s.trim()) {
            Some(d) => d.to_string(),
            None => {
                self.add(field, "date-invalid");
                String::new()
            }
        }
    }

    /// Competence references (`FRAMEWORK/COMPETENCE`), each once.
    fn competences(&mut self, given: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for g in given {
            match CompetenceRef::parse(g) {
                Some(c) if !out.contains(&c.key()) => out.push(c.key()),
                Some(_) => {}
                None => {
                    self.add("competences", "competence-unknown");
                    return Vec::new();
                }
            }
        }
        out
    }

    fn done<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }
}

/// A partner organisation as typed.
#[derive(Debug, Clone, Default)]
pub struct PartnerDraft {
    pub name: String,
    pub kind: String,
    pub city: String,
    pub brin: String,
    pub contacts: Vec<ContactDraft>,
}

#[derive(Debug, Clone, Default)]
pub struct ContactDraft {
    pub name: String,
    pub role: String,
    pub email: String,
}

impl ContactDraft {
    /// A contact: a name, an optional role and an optional address.
    pub fn parse(&self) -> Result<Contact, Vec<FieldError>> {
        let mut p = Problems::default();
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            p.add("contact_name", "required");
        }
        let email = self.email.trim().to_lowercase();
        if !email.is_empty() && Email::parse(&email).is_err() {
            p.add("contact_email", "email-invalid");
        }
        p.done(Contact {
            name: name.to_owned(),
            role: self.role.trim().to_owned(),
            email,
        })
    }
}

/// A checked partner organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPartner {
    pub name: String,
    pub kind: PartnerKind,
    pub city: String,
    /// Upper case; empty when the organisation has no BRIN code.
    pub brin: String,
    pub contacts: Vec<Contact>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub name: String,
    pub role: String,
    /// Lower case; may be empty.
    pub email: String,
}

impl PartnerDraft {
    pub fn parse(&self) -> Result<NewPartner, Vec<FieldError>> {
        let mut p = Problems::default();
        let name = p.line(&self.name, "name", 200);
        let kind = PartnerKind::parse(&self.kind);
        if kind.is_none() {
            p.add("kind", "partner-kind-invalid");
        }
        let brin = self.brin.trim().to_uppercase();
        if !super::valid_brin(&brin) {
            p.add("brin", "brin-invalid");
        }
        if self.city.chars().count() > 100 {
            p.add("city", "too-long");
        }
        let mut contacts = Vec::new();
        for c in &self.contacts {
            match c.parse() {
                Ok(c) => contacts.push(c),
                Err(e) => {
                    p.0.extend(e.into_iter().map(|e| FieldError::new("contacts", e.code)))
                }
            }
        }
        p.done(NewPartner {
            name,
            kind: kind.unwrap_or(PartnerKind::MboSchool),
            city: self.city.trim().to_owned(),
            brin,
            contacts,
        })
    }
}

/// An invitation of a partner person as typed.
#[derive(Debug, Clone, Default)]
pub struct InvitationDraft {
    pub email: String,
    pub name: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewInvitation {
    pub email: Email,
    pub name: String,
    pub role: PartnerRole,
}

impl InvitationDraft {
    pub fn parse(&self) -> Result<NewInvitation, Vec<FieldError>> {
        let mut p = Problems::default();
        let email = Email::parse(&self.email).map_err(|e| p.0.push(e)).ok();
        let name = p.line(&self.name, "name", 200);
        let role = PartnerRole::parse(&self.role);
        if role.is_none() {
            p.add("role", "role-invalid");
        }
        match (email, role) {
            (Some(email), Some(role)) => p.done(NewInvitation { email, name, role }),
            _ => Err(p.0),
        }
    }
}

/// A placement as typed: who, where, with which mentor, when, and its LOB tasks.
#[derive(Debug, Clone, Default)]
pub struct PlacementDraft {
    pub student_id: String,
    pub partner_id: String,
    /// Empty: no mentor yet.
    pub mentor_id: String,
    pub starts_on: String,
    pub ends_on: String,
    pub tasks: Vec<TaskDraft>,
}

#[derive(Debug, Clone, Default)]
pub struct TaskDraft {
    pub kind: String,
    pub title: String,
    /// Empty: no due date.
    pub due_on: String,
}

/// A placement whose own fields are right (the people and the partner are the application's
/// to check).
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlacement {
    pub student_id: String,
    pub partner_id: String,
    pub mentor_id: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub tasks: Vec<NewTask>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewTask {
    pub kind: TaskKind,
    pub title: String,
    pub due_on: Option<String>,
}

impl PlacementDraft {
    /// Check the fields; the problems are added to those the caller found (`known`, e.g. an
    /// unknown student), so a form shows them all at once.
    pub fn parse(&self, known: Vec<FieldError>) -> Result<NewPlacement, Vec<FieldError>> {
        let mut p = Problems(known);
        let starts_on = p.date(&self.starts_on, "starts_on");
        let ends_on = p.date(&self.ends_on, "ends_on");
        if !starts_on.is_empty() && !ends_on.is_empty() && ends_on < starts_on {
            p.add("ends_on", "period-invalid");
        }
        let mut tasks = Vec::new();
        for k in &self.tasks {
            let kind = TaskKind::parse(&k.kind).unwrap_or_else(|| {
                p.add("tasks", "task-kind-invalid");
                TaskKind::Other
            });
            let title = p.line(&k.title, "tasks", 200);
            let due_on = (!k.due_on.trim().is_empty()).then(|| p.date(&k.due_on, "tasks"));
            tasks.push(NewTask {
                kind,
                title,
                due_on,
            });
        }
        let mentor = self.mentor_id.trim();
        p.done(NewPlacement {
            student_id: self.student_id.trim().to_owned(),
            partner_id: self.partner_id.trim().to_owned(),
            mentor_id: (!mentor.is_empty()).then(|| mentor.to_owned()),
            starts_on,
            ends_on,
            tasks,
        })
    }
}

/// A field need as typed.
#[derive(Debug, Clone, Default)]
pub struct NeedDraft {
    /// Empty: the submitter's own organisation.
    pub partner_id: String,
    pub topic: String,
    pub description: String,
    pub competences: Vec<String>,
    pub urgency: String,
    pub teachers: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewNeed {
    pub partner_id: Option<String>,
    pub topic: String,
    pub description: String,
    pub competences: Vec<String>,
    pub urgency: Urgency,
    pub teachers: i64,
}

impl NeedDraft {
    pub fn parse(&self) -> Result<NewNeed, Vec<FieldError>> {
        let mut p = Problems::default();
        let topic = p.line(&self.topic, "topic", 200);
        let description = p.description(&self.description, "description");
        let urgency = Urgency::parse(self.urgency.trim()).unwrap_or_else(|| {
            p.add("urgency", "urgency-invalid");
            Urgency::Medium
        });
        let teachers = match self.teachers.trim() {
            "" => 0,
            t => t
                .parse::<i64>()
                .ok()
                .filter(|n| (0..=100_000).contains(n))
                .unwrap_or_else(|| {
                    p.add("teachers", "teachers-invalid");
                    0
                }),
        };
        let competences = p.competences(&self.competences);
        let partner = self.partner_id.trim();
        p.done(NewNeed {
            partner_id: (!partner.is_empty()).then(|| partner.to_owned()),
            topic,
            description,
            competences,
            urgency,
            teachers,
        })
    }
}

/// An item of the professional-development offer as typed.
#[derive(Debug, Clone, Default)]
pub struct OfferDraft {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub competences: Vec<String>,
    /// Empty: no limit.
    pub capacity: String,
    pub sessions: Vec<SessionDraft>,
    pub codesigners: Vec<CodesignerDraft>,
}

#[derive(Debug, Clone, Default)]
pub struct SessionDraft {
    /// RFC 3339, or what the person typed when it could not be read as a moment.
    pub starts_at: String,
    pub duration_minutes: String,
    pub location: String,
}

#[derive(Debug, Clone, Default)]
pub struct CodesignerDraft {
    pub name: String,
    pub organisation: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewOffer {
    pub kind: OfferKind,
    pub title: String,
    pub description: String,
    pub competences: Vec<String>,
    pub capacity: Option<i64>,
    pub sessions: Vec<OfferSession>,
    pub codesigners: Vec<Codesigner>,
}

/// Someone recorded with an offer item: a co-designer or a participant of a training event.
#[derive(Debug, Clone, Default)]
pub struct OfferPersonDraft {
    /// `codesigner`; anything else is a participant.
    pub kind: String,
    pub name: String,
    pub organisation: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfferPerson {
    /// `codesigner` or `participant`.
    pub kind: &'static str,
    pub name: String,
    pub organisation: String,
}

impl OfferPersonDraft {
    pub fn parse(&self) -> Result<OfferPerson, Vec<FieldError>> {
        let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let (name, organisation) = (collapse(&self.name), collapse(&self.organisation));
        if [&name, &organisation]
            .iter()
            .any(|x| x.is_empty() || x.chars().count() > 200)
        {
            return Err(vec![FieldError::new("name", "person-required")]);
        }
        Ok(OfferPerson {
            kind: if self.kind == "codesigner" {
                "codesigner"
            } else {
                "participant"
            },
            name,
            organisation,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfferSession {
    /// Epoch milliseconds.
    pub starts_at: i64,
    pub duration_minutes: i64,
    pub location: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Codesigner {
    pub name: String,
    pub organisation: String,
}

impl OfferDraft {
    pub fn parse(&self) -> Result<NewOffer, Vec<FieldError>> {
        let mut p = Problems::default();
        let kind = OfferKind::parse(self.kind.trim()).unwrap_or_else(|| {
            p.add("kind", "offer-kind-invalid");
            OfferKind::Course
        });
        let title = p.line(&self.title, "title", 200);
        let description = p.description(&self.description, "description");
        let capacity = match self.capacity.trim() {
            "" => None,
            c => match c.parse::<i64>() {
                Ok(n) if (1..=10_000).contains(&n) => Some(n),
                _ => {
                    p.add("capacity", "capacity-invalid");
                    None
                }
            },
        };
        let competences = p.competences(&self.competences);
        let mut sessions = Vec::new();
        let mut bad_session = false;
        for s in &self.sessions {
            let at = crate::time::parse_rfc3339(s.starts_at.trim());
            let minutes = s.duration_minutes.trim().parse::<i64>().ok();
            match (at, minutes) {
                (Some(starts_at), Some(m)) if (MIN_DURATION..=MAX_DURATION).contains(&m) => {
                    sessions.push(OfferSession {
                        starts_at,
                        duration_minutes: m,
                        location: s.location.trim().to_owned(),
                    })
                }
                _ => bad_session = true,
            }
        }
        if bad_session {
            p.add("sessions", "session-invalid");
        }
        let codesigners = self
            .codesigners
            .iter()
            .map(|c| Codesigner {
                name: p.line(&c.name, "codesigners", 200),
                organisation: p.line(&c.organisation, "codesigners", 200),
            })
            .collect();
        p.done(NewOffer {
            kind,
            title,
            description,
            competences,
            capacity,
            sessions,
            codesigners,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_needs_a_name_a_known_kind_and_a_valid_brin() {
        let err = PartnerDraft {
            name: "  ".into(),
            kind: "castle".into(),
            brin: "x".into(),
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let codes: Vec<_> = err.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                ("name", "required"),
                ("kind", "partner-kind-invalid"),
                ("brin", "brin-invalid")
            ]
        );
        let ok = PartnerDraft {
            name: " ROC  Rijnmond ".into(),
            kind: "mbo_school".into(),
            brin: "25lg".into(),
            contacts: vec![ContactDraft {
                name: "Els".into(),
                role: "".into(),
                email: "Els@Example.NL ".into(),
            }],
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.name, "ROC Rijnmond");
        assert_eq!(ok.brin, "25LG");
        assert_eq!(ok.contacts[0].email, "els@example.nl");
    }

    #[test]
    fn an_offer_refuses_what_it_cannot_keep_and_never_cuts() {
        let long = "x".repeat(MAX_DESCRIPTION + 1);
        let err = OfferDraft {
            kind: "course".into(),
            title: "Gesprekken".into(),
            description: long,
            capacity: "nul".into(),
            sessions: vec![SessionDraft {
                starts_at: "2026-13-01 10:00".into(),
                duration_minutes: "60".into(),
                location: String::new(),
            }],
            ..Default::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = err.iter().map(|e| e.code).collect();
        assert_eq!(fields, ["too-long", "capacity-invalid", "session-invalid"]);
        let ok = OfferDraft {
            kind: "module".into(),
            title: "LOB".into(),
            capacity: " 20 ".into(),
            competences: vec!["a/b".into(), "a/b".into()],
            sessions: vec![SessionDraft {
                starts_at: "2026-12-01T13:00:00Z".into(),
                duration_minutes: "90".into(),
                location: " C1 ".into(),
            }],
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.capacity, Some(20));
        assert_eq!(ok.competences, ["a/b"]);
        assert_eq!(ok.sessions[0].location, "C1");
    }

    #[test]
    fn a_need_counts_teachers_from_zero_to_a_hundred_thousand() {
        let need = |teachers: &str| NeedDraft {
            topic: "Stage".into(),
            urgency: "high".into(),
            teachers: teachers.into(),
            ..Default::default()
        };
        assert_eq!(need("").parse().unwrap().teachers, 0);
        assert_eq!(need("12").parse().unwrap().teachers, 12);
        for bad in ["-1", "100001", "veel"] {
            assert_eq!(need(bad).parse().unwrap_err()[0].code, "teachers-invalid");
        }
    }

    #[test]
    fn a_placement_period_runs_forward() {
        let err = PlacementDraft {
            starts_on: "2026-09-01".into(),
            ends_on: "2026-08-01".into(),
            tasks: vec![TaskDraft {
                kind: "conversations".into(),
                title: "Twee gesprekken".into(),
                due_on: "morgen".into(),
            }],
            ..Default::default()
        }
        .parse(vec![FieldError::new("student_id", "student-unknown")])
        .unwrap_err();
        let codes: Vec<_> = err.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["student-unknown", "period-invalid", "date-invalid"]);
    }
}
