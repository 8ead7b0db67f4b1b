//! The receiving field: partner organisations, Opleiden-in-de-School placements with LOB tasks,
//! field needs, the professional-development offer, and the alignment of needs with the
//! curriculum and the offer.

pub mod alignment;
pub mod input;

crate::keyed_enum! {
    pub enum PartnerKind {
        MboSchool = "mbo_school",
        FeederSchool = "feeder_school",
        Business = "business",
    }
}

crate::keyed_enum! {
    /// What an LOB task of a placement asks.
    pub enum TaskKind {
        /// Hold career conversations with mbo students.
        Conversations = "conversations",
        /// Run an LOB activity (designed in the learning line).
        Activity = "activity",
        /// Take part in the school's BPV guidance.
        Bpv = "bpv",
        Other = "other",
    }
}

crate::keyed_enum! {
    pub enum TaskStatus {
        Open = "open",
        Submitted = "submitted",
        Assessed = "assessed",
    }
}

crate::keyed_enum! {
    pub enum Urgency {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
}

impl Urgency {
    /// For sorting: high first.
    pub fn rank(self) -> u8 {
        match self {
            Urgency::High => 0,
            Urgency::Medium => 1,
            Urgency::Low => 2,
        }
    }
}

crate::keyed_enum! {
    /// The institute's triage of a need; the partner reads it with the rationale.
    pub enum NeedStatus {
        Submitted = "submitted",
        Accepted = "accepted",
        Planned = "planned",
        Declined = "declined",
        Done = "done",
    }
}

crate::keyed_enum! {
    pub enum OfferKind {
        Course = "course",
        Module = "module",
        /// A joint LOB-conversation training with feeder and receiving schools and businesses.
        TrainingEvent = "training_event",
    }
}

crate::keyed_enum! {
    /// The role a partner person is invited for.
    pub enum PartnerRole {
        PlacementMentor = "placement_mentor",
        PartnerCoordinator = "partner_coordinator",
    }
}

impl PartnerRole {
    /// The message id of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            PartnerRole::PlacementMentor => "role-placement-mentor",
            PartnerRole::PartnerCoordinator => "role-partner-coordinator",
        }
    }

    pub fn role(self) -> crate::Role {
        match self {
            PartnerRole::PlacementMentor => crate::Role::PlacementMentor,
            PartnerRole::PartnerCoordinator => crate::Role::PartnerCoordinator,
        }
    }
}

/// How long an invitation link stays valid.
pub const INVITATION_DAYS: i64 = 14;

/// A placement's progress: tasks assessed out of all tasks.
pub fn progress(statuses: &[TaskStatus]) -> (usize, usize) {
    (
        statuses
            .iter()
            .filter(|s| **s == TaskStatus::Assessed)
            .count(),
        statuses.len(),
    )
}

/// A valid BRIN code: four characters, two digits then two letters or digits (e.g. `25LG`),
/// or empty.
pub fn valid_brin(s: &str) -> bool {
    let s = s.trim();
    s.is_empty()
        || (s.len() == 4
            && s[..2].chars().all(|c| c.is_ascii_digit())
            && s[2..].chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brin_codes() {
        for ok in ["", "25LG", "00AA", "31FR"] {
            assert!(valid_brin(ok), "{ok}");
        }
        for bad in ["25L", "AB12", "25LG1", "2 LG"] {
            assert!(!valid_brin(bad), "{bad}");
        }
    }

    #[test]
    fn progress_counts_assessed_tasks() {
        use TaskStatus::*;
        assert_eq!(progress(&[Open, Submitted, Assessed, Assessed]), (2, 4));
        assert_eq!(progress(&[]), (0, 0));
        assert!(Urgency::High.rank() < Urgency::Low.rank());
    }
}
