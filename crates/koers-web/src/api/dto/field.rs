//! The API's shapes of partners, invitations, placements, needs, the offer and the alignment.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub email: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPartnerBody {
    pub name: String,
    /// `mbo_school`, `feeder_school` or `business`.
    pub kind: String,
    #[serde(default)]
    pub city: String,
    /// Optional BRIN code (e.g. `25LG`).
    #[serde(default)]
    pub brin: String,
    #[serde(default)]
    pub contacts: Vec<ContactBody>,
}

#[derive(Serialize, ToSchema)]
pub struct PartnerDto {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub city: String,
    pub brin: String,
    pub contacts: Vec<ContactBody>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInvitationBody {
    pub email: String,
    pub name: String,
    /// `placement_mentor` or `partner_coordinator`.
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationDto {
    pub id: String,
    pub email: String,
    pub role: String,
    pub expires_at: String,
    /// The activation link (shown to the inviting user while no mail server is configured).
    pub link: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskBody {
    /// `conversations`, `activity`, `bpv` or `other`.
    pub kind: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPlacementBody {
    /// The student record's id.
    pub student_id: String,
    pub partner_id: String,
    /// The mentor's user id (a placement mentor of the partner).
    #[serde(default)]
    pub mentor_id: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    pub tasks: Vec<TaskBody>,
}

#[derive(Serialize, ToSchema)]
pub struct PlacementTaskDto {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub due_on: Option<String>,
    /// `open`, `submitted` or `assessed`.
    pub status: String,
    pub level: Option<i64>,
    pub feedback: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlacementDto {
    pub id: String,
    pub student_id: String,
    pub partner_id: String,
    pub mentor_id: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub tasks: Vec<PlacementTaskDto>,
    /// Tasks assessed, of all tasks.
    pub tasks_assessed: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNeedBody {
    /// Required for the institute; a school coordinator submits for their own organisation.
    #[serde(default)]
    pub partner_id: Option<String>,
    pub topic: String,
    #[serde(default)]
    pub description: String,
    /// `FRAMEWORK/COMPETENCE` keys.
    #[serde(default)]
    pub competences: Vec<String>,
    /// `low`, `medium` or `high`.
    pub urgency: String,
    #[serde(default)]
    pub teachers: i64,
}

#[derive(Serialize, ToSchema)]
pub struct NeedDto {
    pub id: String,
    pub partner_id: String,
    pub topic: String,
    pub description: String,
    pub competences: Vec<String>,
    pub urgency: String,
    pub teachers: i64,
    pub status: String,
    pub rationale: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionBody {
    /// RFC 3339.
    pub starts_at: String,
    pub duration_minutes: i64,
    #[serde(default)]
    pub location: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonBody {
    pub name: String,
    pub organisation: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOfferBody {
    /// `course`, `module` or `training_event`.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub competences: Vec<String>,
    #[serde(default)]
    pub capacity: Option<i64>,
    #[serde(default)]
    pub sessions: Vec<SessionBody>,
    /// Co-designers from partner schools.
    #[serde(default)]
    pub codesigners: Vec<PersonBody>,
}

#[derive(Serialize, ToSchema)]
pub struct OfferDto {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub competences: Vec<String>,
    pub capacity: Option<i64>,
    pub enrolled: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CoveredByDto {
    /// `activity` or `offer`.
    pub kind: String,
    pub id: String,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct AlignedNeedDto {
    pub id: String,
    /// `covered`, `partial` or `gap`.
    pub status: String,
    /// What the competences alone say (the status may be set by hand, with a reason).
    pub derived: String,
    pub covered_by: Vec<CoveredByDto>,
}

#[derive(Serialize, ToSchema)]
pub struct AlignmentDto {
    pub needs: Vec<AlignedNeedDto>,
}

// The API's bodies fill the same drafts as the pages' forms (`koers_domain::field::input`).
mod field_drafts {
    use super::*;
    use koers_domain::field::input as d;

    impl From<NewPartnerBody> for d::PartnerDraft {
        fn from(b: NewPartnerBody) -> Self {
            d::PartnerDraft {
                name: b.name,
                kind: b.kind,
                city: b.city,
                brin: b.brin,
                contacts: b
                    .contacts
                    .into_iter()
                    .map(|c| d::ContactDraft {
                        name: c.name,
                        role: c.role,
                        email: c.email,
                    })
                    .collect(),
            }
        }
    }

    impl From<NewInvitationBody> for d::InvitationDraft {
        fn from(b: NewInvitationBody) -> Self {
            d::InvitationDraft {
                email: b.email,
                name: b.name,
                role: b.role,
            }
        }
    }

    impl From<NewPlacementBody> for d::PlacementDraft {
        fn from(b: NewPlacementBody) -> Self {
            d::PlacementDraft {
                student_id: b.student_id,
                partner_id: b.partner_id,
                mentor_id: b.mentor_id.unwrap_or_default(),
                starts_on: b.starts_on,
                ends_on: b.ends_on,
                tasks: b
                    .tasks
                    .into_iter()
                    .map(|t| d::TaskDraft {
                        kind: t.kind,
                        title: t.title,
                        due_on: t.due_on.unwrap_or_default(),
                    })
                    .collect(),
            }
        }
    }

    impl From<NewNeedBody> for d::NeedDraft {
        fn from(b: NewNeedBody) -> Self {
            d::NeedDraft {
                partner_id: b.partner_id.unwrap_or_default(),
                topic: b.topic,
                description: b.description,
                competences: b.competences,
                urgency: b.urgency,
                teachers: b.teachers.to_string(),
            }
        }
    }

    impl From<NewOfferBody> for d::OfferDraft {
        fn from(b: NewOfferBody) -> Self {
            d::OfferDraft {
                kind: b.kind,
                title: b.title,
                description: b.description,
                competences: b.competences,
                capacity: b.capacity.map(|c| c.to_string()).unwrap_or_default(),
                sessions: b
                    .sessions
                    .into_iter()
                    .map(|s| d::SessionDraft {
                        starts_at: s.starts_at,
                        duration_minutes: s.duration_minutes.to_string(),
                        location: s.location,
                    })
                    .collect(),
                codesigners: b
                    .codesigners
                    .into_iter()
                    .map(|p| d::CodesignerDraft {
                        name: p.name,
                        organisation: p.organisation,
                    })
                    .collect(),
            }
        }
    }
}
