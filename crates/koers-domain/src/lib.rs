//! Koers domain: the types, rules and decisions of the platform, free of IO.
//!
//! One module per bounded context (see `docs/architecture.md`). Later contexts
//! (`guidance`, `curriculum`, `field`, `staff`, `vision`) are added beside `platform`.

pub mod curriculum;
pub mod document;
pub mod field;
pub mod guidance;
pub mod improvement;
pub mod keyed;
pub mod platform;
pub mod policy;
pub mod rich_text;
pub mod staff;
pub mod time;
pub mod vision;

pub use platform::*;
