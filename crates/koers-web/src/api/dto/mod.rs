//! The shapes of the API (request and response bodies), with their OpenAPI schemas, one
//! module per context.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine code, e.g. `forbidden`, `invalid`.
    pub code: String,
    /// A human-readable message in the request's language.
    pub message: String,
    /// For `invalid`: the fields and their codes.
    #[schema(nullable = false)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

mod curriculum;
mod field;
mod guidance;
mod platform;
mod staff;
mod vision;

pub use curriculum::*;
pub use field::*;
pub use guidance::*;
pub use platform::*;
pub use staff::*;
pub use vision::*;
