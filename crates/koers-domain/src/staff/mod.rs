//! The staff context: the HRM scan, development plans and staff career conversations.

pub mod development;
pub mod import;
pub mod recruitment;
pub mod scan;
