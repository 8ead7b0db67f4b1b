//! HTML pages. Every page gets a [`Ctx`]: translator, CSRF token, navigation and flash.

pub mod account;
pub mod activities;
pub mod audit;
pub mod baseline;
pub mod career_file;
pub mod conversations;
pub mod counsellors;
pub mod coverage;
pub mod credentials;
pub(crate) mod csv;
pub mod designs;
pub mod evidence;
pub mod frameworks;
pub mod groups;
pub mod growth;
pub mod home;
pub mod hr_records;
pub mod hrm_instrument;
pub mod hrm_scan;
pub mod import;
pub mod improvement;
pub mod indicators;
pub mod learning_line;
pub mod login;
pub mod needs;
pub mod notifications;
pub mod offer;
pub mod ooapi_import;
pub mod partners;
pub mod phases;
pub mod placements;
pub mod practice;
pub mod privacy_settings;
pub mod programmes;
pub mod quality;
pub mod report;
pub mod rules;
pub mod slots;
pub mod sso_settings;
pub mod staff;
pub mod staff_conversations;
pub mod staff_import;
pub mod statements;
pub mod student_edit;
pub mod students;
pub mod teams;
pub mod users;
pub mod vision;

use crate::auth::Authenticated;
use crate::error::WebError;
use crate::i18n::Tr;
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use koers_domain::policy::Action;

/// What the layout needs.
pub struct Ctx {
    pub tr: Tr,
    pub csrf: String,
    pub nav: Option<Nav>,
    /// The current path and query (the language switch returns here).
    pub path: String,
    /// Which menu item is current.
    pub section: &'static str,
    /// The request's query string (kept in export links, so they export what is shown).
    pub query: String,
    pub flash: Option<String>,
}

pub struct Nav {
    pub name: String,
    pub can_list_users: bool,
    pub can_manage_programmes: bool,
    pub can_view_audit: bool,
    pub can_list_students: bool,
    pub can_view_coverage: bool,
    pub has_career_file: bool,
    pub can_manage_counsellors: bool,
    pub is_counsellor: bool,
    pub can_view_curriculum: bool,
    pub can_practise: bool,
    pub can_view_library: bool,
    pub is_staff: bool,
    /// HR advisers, administrators and programme managers find teams in the menu (line
    /// managers reach their teams from their development page).
    pub sees_teams: bool,
    /// Reads the institute's field overview (partners, needs, alignment).
    pub can_view_field: bool,
    /// Reaches the field pages: the institute's readers and partner people.
    pub sees_field: bool,
    /// Every member of the institution reads the adopted LOB vision.
    pub reads_vision: bool,
    /// Administrators, programme managers and HR advisers read indicators.
    pub reads_indicators: bool,
    /// Unread notifications (the bell).
    pub unread: i64,
    /// A school coordinator fills in the field survey.
    pub is_coordinator: bool,
    /// Placement mentors find the assessments they were asked for under evidence.
    pub is_mentor: bool,
}

impl Ctx {
    pub fn user(a: &Authenticated, path: &str, section: &'static str) -> Ctx {
        Ctx {
            tr: a.tr,
            csrf: a.session.csrf_token.clone(),
            nav: Some(Nav {
                name: a.user.name.clone(),
                can_list_users: a.actor.may(Action::ListUsers),
                can_manage_programmes: a.actor.may(Action::ListUsers)
                    || a.actor.may(Action::ManageProgrammes),
                can_view_audit: a.actor.may(Action::ViewAuditLog),
                can_list_students: a.actor.may(Action::ListStudents),
                can_view_coverage: a.actor.has_role(koers_domain::Role::ProgrammeManager),
                has_career_file: a.actor.has_role(koers_domain::Role::Student),
                can_manage_counsellors: a.actor.may(Action::ManageStandIns),
                is_counsellor: a.actor.has_role(koers_domain::Role::Counsellor),
                can_view_curriculum: a.actor.may(Action::ViewCurriculum),
                can_view_library: a.actor.may(Action::ViewLibrary),
                is_staff: a.actor.is_staff(),
                can_view_field: a.actor.may(Action::ViewField),
                sees_field: a.actor.may(Action::ViewField)
                    || a.actor.roles.iter().any(|r| r.role.is_partner()),
                reads_vision: a.actor.may(Action::ReadVision),
                unread: a.unread,
                reads_indicators: [
                    koers_domain::Role::Administrator,
                    koers_domain::Role::ProgrammeManager,
                    koers_domain::Role::HrAdviser,
                ]
                .iter()
                .any(|r| a.actor.has_role(*r)),
                is_coordinator: a.actor.has_role(koers_domain::Role::PartnerCoordinator),
                sees_teams: a.actor.may(Action::ManageTeams)
                    || a.actor.may(Action::ViewTeamReport {
                        manages_team: false,
                    }),
                is_mentor: a.actor.has_role(koers_domain::Role::PlacementMentor),
                can_practise: a.actor.may(Action::WriteOwnWork)
                    || a.actor.has_role(koers_domain::Role::Lecturer),
            }),
            path: path.to_owned(),
            query: a.query.clone(),
            section,
            flash: None,
        }
    }

    pub fn anonymous(tr: Tr, csrf: String, path: &str) -> Ctx {
        Ctx {
            tr,
            csrf,
            nav: None,
            path: path.to_owned(),
            query: String::new(),
            section: "",
            flash: None,
        }
    }

    /// This page as CSV (its list table): for Excel (`;`), or with commas.
    pub fn csv_href(&self, comma: bool) -> String {
        let kept: Vec<&str> = self
            .query
            .split('&')
            .filter(|p| {
                !p.is_empty()
                    && !p.starts_with("format=")
                    && !p.starts_with("sep=")
                    && !p.starts_with("cursor=")
                    && !p.starts_with("ok=")
            })
            .collect();
        let path = self.path.split('?').next().unwrap_or_default();
        let mut q = kept.join("&");
        if !q.is_empty() {
            q.push('&');
        }
        format!(
            "{path}?{q}format=csv{}",
            if comma { "&sep=comma" } else { "" }
        )
    }

    /// Whether the menu holds the institute's field overview (for the field sub-menu).
    pub fn can_view_field(&self) -> bool {
        self.nav.as_ref().is_some_and(|n| n.can_view_field)
    }

    pub fn is_coordinator(&self) -> bool {
        self.nav.as_ref().is_some_and(|n| n.is_coordinator)
    }

    /// Whether the menu holds the field pages (partner people and the institute's readers).
    pub fn sees_field(&self) -> bool {
        self.nav.as_ref().is_some_and(|n| n.sees_field)
    }

    /// Show the translated flash message `flash-<key>` given in the `ok` query parameter.
    pub fn with_flash(mut self, key: Option<&str>) -> Ctx {
        const KNOWN: &[&str] = &[
            "saved",
            "created",
            "password-changed",
            "sessions-ended",
            "deactivated",
            "activated",
            "password-reset",
            "cohort-added",
            "language-changed",
            "deleted",
            "refreshed",
            "second-factor-on",
            "second-factor-off",
            "second-factor-wrong",
            "second-factor-reset",
            "erased",
        ];
        self.flash = key
            .filter(|k| KNOWN.contains(k))
            .map(|k| self.tr.t(&format!("flash-{k}")));
        self
    }
}

/// The query of a page that can show a flash message after a redirect (`?ok=saved`).
#[derive(serde::Deserialize)]
pub struct OkQuery {
    pub ok: Option<String>,
}

/// The status of a page with a form: 422 when it shows errors, else 200.
pub fn form_status(valid: bool) -> StatusCode {
    if valid {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// Render a template as a response (200), or a 500 if rendering fails.
pub fn render<T: Template>(t: &T) -> Response {
    render_status(StatusCode::OK, t)
}

pub fn render_status<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => WebError::Internal(format!("template: {e}")).into_response(),
    }
}

/// Whether the request comes from htmx (then a partial is enough).
pub fn is_htmx(headers: &HeaderMap) -> bool {
    headers.contains_key("hx-request") && !headers.contains_key("hx-boosted")
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: Ctx,
    title: String,
    message: String,
    details: Vec<String>,
}

/// The HTML page for an error.
pub fn error_page(tr: &Tr, err: &WebError, status: StatusCode) -> Html<String> {
    let details = match err {
        WebError::Invalid(fields) => fields
            .iter()
            .map(|f| tr.t(&format!("error-{}", f.code)))
            .collect(),
        _ => Vec::new(),
    };
    let page = ErrorPage {
        ctx: Ctx::anonymous(*tr, String::new(), "/"),
        title: tr.t(&format!("error-title-{}", status.as_u16())),
        message: err.message(tr),
        details,
    };
    Html(page.render().unwrap_or_else(|_| "Koers: error".to_owned()))
}

/// A field error for forms: which field and the translated message.
pub struct FieldMsg {
    pub field: &'static str,
    pub message: String,
}

pub fn field_msgs(tr: &Tr, errors: &[koers_domain::FieldError]) -> Vec<FieldMsg> {
    errors
        .iter()
        .map(|e| FieldMsg {
            field: e.field,
            message: tr.t(&format!("error-{}", e.code)),
        })
        .collect()
}

/// The message for one field, for templates: `{% if let Some(m) = err(errors, "email") %}`.
pub fn field_error<'a>(errors: &'a [FieldMsg], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| e.message.as_str())
}

/// A safe local redirect target from a caller-supplied value (`next`, `back`, a notification's
/// link), or `default`. The one place that decides: every route that redirects to a target a
/// client sent uses it. Accepted is only a path that starts with a single `/`, holds no control
/// character, whitespace or backslash (browsers drop tabs and newlines and read `\` as `/`,
/// so `/\t/evil.example` would leave the site), and parses back to this origin. What comes out
/// is the parsed path and query, percent-encoded, so it is always a valid `Location` value.
pub fn local_path(next: &str, default: &str) -> String {
    local_target(next).unwrap_or_else(|| default.to_owned())
}

fn local_target(next: &str) -> Option<String> {
    let mut chars = next.chars();
    if chars.next() != Some('/') || matches!(chars.next(), Some('/') | Some('\\')) {
        return None;
    }
    if next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return None;
    }
    const ORIGIN: &str = "http://koers.invalid";
    let base = url::Url::parse(ORIGIN).ok()?;
    let url = base.join(next).ok()?;
    if url.origin() != base.origin() || url.username() != "" || url.password().is_some() {
        return None;
    }
    Some(url[url::Position::BeforePath..].to_owned())
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Locale, Tr};

    /// Every status an error page can have, and every error and field code, has its text.
    #[test]
    fn error_texts_exist() {
        let nl = crate::i18n::message_ids(include_str!("../../locales/nl/main.ftl"));
        for status in [400, 401, 403, 404, 405, 408, 409, 413, 415, 422, 429, 500] {
            assert!(
                nl.contains(&format!("error-title-{status}")),
                "error-title-{status}"
            );
        }
        let en = Tr(Locale::En);
        for code in [
            "bad-request",
            "unauthenticated",
            "forbidden",
            "not-found",
            "invalid",
            "too-many-requests",
            "internal",
        ] {
            assert_ne!(en.t(&format!("error-{code}")), format!("error-{code}"));
        }
    }

    #[test]
    fn local_paths_only() {
        assert_eq!(super::local_path("/home?x=1", "/"), "/home?x=1");
        assert_eq!(
            super::local_path("/students/ab12?tab=notes#top", "/"),
            "/students/ab12?tab=notes#top"
        );
        assert_eq!(super::local_path("/zoë", "/"), "/zo%C3%AB");
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=y",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "/\u{7f}",
            "https://evil.example",
            "http:/evil.example",
            "/\\evil",
            "\\\\evil.example",
            "javascript:alert(1)",
            "evil.example",
            "",
        ] {
            assert_eq!(super::local_path(bad, "/home"), "/home", "{bad:?}");
        }
    }
}
