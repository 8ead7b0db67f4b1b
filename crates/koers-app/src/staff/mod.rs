//! Staff: the HRM scan, development plans and career conversations of employees.

pub mod instrument;
pub mod scan;
