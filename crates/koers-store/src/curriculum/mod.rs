//! Storage of the curriculum context: frameworks and competences, activities and the
//! learning line, evidence and assessment, practice conversations, activity designs.

pub mod activities;
pub mod designs;
pub mod evidence;
pub mod frameworks;
pub mod practice;
pub mod reviews;
