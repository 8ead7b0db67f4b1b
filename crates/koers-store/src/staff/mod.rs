//! Storage of the staff context: the HRM scan and improvement actions.

pub mod scans;
