//! Guidance: students, their phases and conversations, and the career file.

pub mod access;
pub mod conversations;
pub mod import;
pub mod self_assessments;
