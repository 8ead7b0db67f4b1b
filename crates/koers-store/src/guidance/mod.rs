//! Storage of the guidance context: student records, counsellors and stand-ins, phase rules,
//! conversations and agreements, the career file, coverage and the student import.

pub mod career_file;
pub mod conversations;
pub mod coverage;
pub mod digests;
pub mod groups;
pub mod import;
pub mod records;
pub mod rules;
pub mod self_assessments;
pub mod slots;
pub mod stand_ins;
pub mod students;
pub mod summary;
pub mod support;
