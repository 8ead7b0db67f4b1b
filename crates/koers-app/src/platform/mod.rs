//! The platform: logging in, second factors, and (later) institutions, users and roles.

pub mod login;
pub mod second_factor;
