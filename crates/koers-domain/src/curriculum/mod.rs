//! The curriculum context: competence frameworks, LOB activities and the learning line,
//! evidence and assessment, practice conversations and activity designs.

pub mod design;
pub mod evidence;
pub mod framework;
pub mod learning_line;
pub mod ooapi;
pub mod transcript;
