//! A personal calendar feed: every conversation a person takes part in (as the student or
//! employee, or as the guide), at an address with a secret token that calendar programs
//! (Outlook, Google Calendar, Apple Calendar) subscribe to. The token grants reading this
//! calendar only; the person renews or stops it on their account page. Also the calendar file
//! of one conversation (the same event as in the feed and in the mail).

use crate::auth::{ApiUser, Authenticated};
use crate::error::{WebError, WebResult};
use crate::i18n::{Locale, Tr};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use koers_domain::guidance::ConversationStatus;
use koers_store::Tenant;
use koers_store::guidance::conversations::Conversation;
use koers_store::platform::calendar_feeds;

/// How far back a feed reaches.
const DAYS_BACK: i64 = 365;

/// An absolute address: the configured public URL, or the request's host.
pub fn absolute(state: &AppState, headers: &HeaderMap, path: &str) -> String {
    if let Some(base) = state.config().public_url.as_deref() {
        return format!("{}{path}", base.trim_end_matches('/'));
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if state.config().secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}{path}")
}

pub fn feed_path(token: &str) -> String {
    format!("/calendar/{token}.ics")
}

/// The feed's address for the signed-in person (made on first use).
pub async fn url(state: &AppState, a: &Authenticated, headers: &HeaderMap) -> WebResult<String> {
    let token = calendar_feeds::token(a.tenant(state), &a.user.id).await?;
    Ok(absolute(state, headers, &feed_path(&token)))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct CalendarFeedDto {
    /// The absolute address to subscribe to (secret: whoever has it reads the calendar).
    pub url: String,
}

/// The caller's personal calendar feed (made on first use).
#[utoipa::path(get, path = "/api/v1/me/calendar-feed", tag = "guidance",
    responses((status = 200, body = CalendarFeedDto), (status = 401, body = crate::api::ErrorBody)))]
pub async fn api_url(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: HeaderMap,
) -> WebResult<Json<CalendarFeedDto>> {
    Ok(Json(CalendarFeedDto {
        url: url(&state, &a, &headers).await?,
    }))
}

/// The feed itself (no login: the token is the key).
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> WebResult<Response> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    if token.len() != 43
        || !token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(WebError::NotFound);
    }
    let (institution, user_id) = calendar_feeds::owner(state.db(), token)
        .await?
        .ok_or(WebError::NotFound)?;
    let t = Tenant::new(state.db(), &institution);
    let user = koers_store::platform::users::get(t, &user_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let tr = Tr(user
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or_default());
    let since = koers_store::now_ms() - DAYS_BACK * 86_400_000;
    let conversations =
        koers_store::guidance::conversations::calendar_of_user(t, &user_id, since).await?;
    let texts: Vec<_> = conversations.iter().map(|c| event_texts(c, &tr)).collect();
    let events: Vec<_> = conversations
        .iter()
        .zip(&texts)
        .filter_map(|(c, x)| c.starts_at.map(|s| event(c, s, x)))
        .collect();
    let ics = koers_domain::guidance::ics::calendar_of(&events);
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        ics,
    )
        .into_response())
}

/// The texts of a conversation's calendar event: (uid, summary, description).
pub(crate) fn event_texts(c: &Conversation, tr: &crate::i18n::Tr) -> (String, String, String) {
    let uid = format!("{}@koers", c.id);
    let phase = c
        .phase
        .map(|p| tr.t(&format!("phase-{}", p.key())))
        .unwrap_or_default();
    let summary = match c.context {
        koers_domain::guidance::conversation::Context::Staff => tr.t("ics-summary-staff"),
        koers_domain::guidance::conversation::Context::Student => {
            tr.t1("ics-summary", "phase", &phase)
        }
    };
    (
        uid,
        format!("{summary} ({})", c.person_name),
        tr.t("ics-description"),
    )
}

/// A conversation with a time as a calendar event (borrowing the texts).
pub(crate) fn event<'a>(
    c: &'a Conversation,
    start: i64,
    texts: &'a (String, String, String),
) -> koers_domain::guidance::ics::CalendarEvent<'a> {
    koers_domain::guidance::ics::CalendarEvent {
        uid: &texts.0,
        sequence: c.sequence,
        stamp_ms: c.updated_at,
        start_ms: start,
        duration_minutes: c.duration_minutes,
        summary: &texts.1,
        description: &texts.2,
        location: &c.location,
        organizer: c.guide_name.as_deref().zip(c.guide_email.as_deref()),
        attendees: vec![(c.person_name.as_str(), c.person_email.as_str())],
        cancelled: c.status == ConversationStatus::Cancelled,
    }
}

/// The calendar file of a conversation.
pub(crate) fn conversation_file(c: &Conversation, tr: &crate::i18n::Tr) -> WebResult<Response> {
    let Some(start) = c.starts_at else {
        return Err(WebError::NotFound);
    };
    let texts = event_texts(c, tr);
    let ics = koers_domain::guidance::ics::calendar(&event(c, start, &texts));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"loopbaangesprek-{}.ics\"",
                    &c.id[..8]
                ),
            ),
        ],
        ics,
    )
        .into_response())
}
