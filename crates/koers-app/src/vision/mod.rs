//! The LOB vision and its quality cycle: vision versions, indicators, improvement actions.

pub mod improvement;
pub mod versions;
