//! Storage of the staff context: the HRM scan, teams, development plans, appraisal records and
//! recruitment/appointment records.

pub mod appraisals;
pub mod development;
pub mod hr_records;
pub mod import;
pub mod scans;
pub mod teams;
