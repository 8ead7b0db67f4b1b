//! The API's shapes of institutions, users, sessions and programmes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct RoleDto {
    /// `administrator`, `programme_manager`, `counsellor`, `lecturer`, `student`, `hr_adviser`,
    /// `employee`, `placement_mentor` or `partner_coordinator`.
    pub role: String,
    /// The programme code when the role is limited to one programme.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub programme: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InstitutionDto {
    pub id: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: String,
    pub email: String,
    pub name: String,
    pub active: bool,
    /// `nl`, `en`, or null for the browser's choice.
    pub locale: Option<String>,
    pub roles: Vec<RoleDto>,
}

#[derive(Serialize, ToSchema)]
pub struct MeDto {
    #[serde(flatten)]
    pub user: UserDto,
    pub institution: InstitutionDto,
    /// The student record's id when the user is a student.
    pub student_id: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
    /// The 6-digit code of the authenticator app, or an unused recovery code; needed when the
    /// account has a second factor.
    #[serde(default)]
    pub second_factor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SessionCreated {
    /// The bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub user: MeDto,
}

#[derive(Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<UserDto>,
    pub next: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserBody {
    pub email: String,
    pub name: String,
    pub roles: Vec<RoleDto>,
    /// An initial password; without it the account cannot log in until a reset.
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub roles: Option<Vec<RoleDto>>,
    #[serde(default)]
    pub active: Option<bool>,
    #[serde(default)]
    pub password: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeDto {
    pub id: String,
    pub code: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProgrammeList {
    pub items: Vec<ProgrammeDto>,
    pub next: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProgrammeBody {
    pub code: String,
    pub name: String,
}
