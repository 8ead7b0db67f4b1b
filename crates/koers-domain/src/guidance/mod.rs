//! Guidance context: students' career guidance in four phases, conversations, agreements and
//! the career file (self-assessments, reflections, goals).

pub mod career_file;
pub mod competency;
pub mod conversation;
pub mod ics;
pub mod import;
pub mod phase;
pub mod progress_import;

pub use competency::CareerCompetency;
pub use conversation::{
    AgreementOwner, AgreementStatus, ConversationInput, ConversationStatus, Origin, ReportInput,
};
pub use phase::{GuidanceFacts, MomentRule, Phase, PhaseStatus};
