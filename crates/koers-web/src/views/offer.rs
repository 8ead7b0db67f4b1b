//! The professional-development offer in the browser: courses, modules and joint training
//! events with their sessions, co-designers from partner schools and participants; staff and
//! partner people enrol and fill in the evaluation after the course; programme managers and
//! administrators add items and read enrolments and evaluations.

use super::{Ctx, FieldMsg, OkQuery, field_msgs, render_status};
use crate::auth::{Authenticated, WebUser};
use crate::commands::finish;
use crate::error::{WebError, WebResult};
use crate::forms::{FormData, SignedForm};
use crate::staff::CompetenceOption;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use koers_app::AppError;
use koers_domain::FieldError;
use koers_domain::field::OfferKind;
use koers_domain::field::input::{CodesignerDraft, OfferDraft, OfferPersonDraft, SessionDraft};
use koers_domain::policy::Action;
use koers_store::field::offer::{self, Item, Person, Session};

#[derive(Template)]
#[template(path = "offer.html")]
struct ListPage {
    ctx: Ctx,
    items: Vec<Item>,
    /// (item id, evaluated)
    mine: Vec<(String, bool)>,
    can_manage: bool,
    kinds: &'static [OfferKind],
    options: Vec<CompetenceOption>,
    errors: Vec<FieldMsg>,
    fields: FormData,
}

impl ListPage {
    fn enrolled(&self, id: &str) -> bool {
        self.mine.iter().any(|(i, _)| i == id)
    }
    fn full(&self, i: &Item) -> bool {
        i.capacity.is_some_and(|c| i.enrolled >= c)
    }
    fn chosen(&self, key: &str) -> bool {
        self.fields.all("competence").contains(&key)
    }
}

async fn list_page(
    state: &AppState,
    a: &Authenticated,
    flash: Option<&str>,
    errors: Vec<FieldMsg>,
    fields: FormData,
) -> WebResult<Response> {
    a.require(Action::UseOffer)?;
    let t = a.tenant(state);
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &ListPage {
            ctx: Ctx::user(a, "/offer", "field").with_flash(flash),
            items: offer::list(t).await?,
            mine: offer::enrolments_of(t, &a.user.id).await?,
            can_manage: a.actor.may(Action::ManageField),
            kinds: OfferKind::ALL,
            options: koers_app::competences::options(&a.cx(state)).await?,
            errors,
            fields,
        },
    ))
}

pub async fn list(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    list_page(&state, &a, q.ok.as_deref(), Vec::new(), FormData::default()).await
}

/// Add an item with up to two sessions and two co-designers from the form.
pub async fn create(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let (dates, times, durations, places) = (
        form.all("session_date"),
        form.all("session_time"),
        form.all("session_duration"),
        form.all("session_location"),
    );
    let sessions = dates
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.trim().is_empty())
        .map(|(i, d)| {
            let time = times.get(i).copied().unwrap_or_default().trim();
            SessionDraft {
                starts_at: local_moment(d.trim(), time)
                    .unwrap_or_else(|| format!("{} {time}", d.trim())),
                duration_minutes: durations.get(i).copied().unwrap_or_default().to_owned(),
                location: places.get(i).copied().unwrap_or_default().to_owned(),
            }
        })
        .collect();
    let (names, orgs) = (form.all("codesigner_name"), form.all("codesigner_org"));
    let codesigners = names
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.trim().is_empty())
        .map(|(i, n)| CodesignerDraft {
            name: (*n).to_owned(),
            organisation: orgs.get(i).copied().unwrap_or_default().to_owned(),
        })
        .collect();
    let draft = OfferDraft {
        kind: form.get("kind").to_owned(),
        title: form.get("title").to_owned(),
        description: form.get("description").to_owned(),
        competences: form
            .all("competence")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        capacity: form.get("capacity").to_owned(),
        sessions,
        codesigners,
    };
    match koers_app::field::offer::publish(&a.cx(&state), &draft).await {
        Ok(done) => {
            let id = finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to(&format!("/offer/{id}?ok=created")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let msgs = field_msgs(&a.tr, &errors);
            list_page(&state, &a, None, msgs, form).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A date and a time of day typed in a form, in Dutch local time, as RFC 3339.
fn local_moment(date: &str, time: &str) -> Option<String> {
    let d = jiff::civil::Date::strptime("%Y-%m-%d", date).ok()?;
    let t = jiff::civil::Time::strptime("%H:%M", time).ok()?;
    Some(koers_domain::time::rfc3339(koers_domain::time::from_local(
        d.to_datetime(t),
    )))
}

#[derive(Template)]
#[template(path = "offer_item.html")]
struct ItemPage {
    ctx: Ctx,
    i: Item,
    sessions: Vec<Session>,
    people: Vec<Person>,
    can_manage: bool,
    enrolled: bool,
    evaluated: bool,
    /// The first session has begun: the evaluation form opens.
    started: bool,
    /// For managers: enrolled people and the evaluations' comments.
    enrolments: Vec<(String, String, String)>,
    comments: Vec<String>,
    options: Vec<CompetenceOption>,
    errors: Vec<FieldMsg>,
}

impl ItemPage {
    fn label<'a>(&'a self, key: &'a str) -> &'a str {
        self.options
            .iter()
            .find(|o| o.key == key)
            .map_or(key, |o| o.label.as_str())
    }
    fn rating_text(&self) -> String {
        self.i
            .rating
            .map_or_else(|| "–".into(), |r| format!("{r:.1}"))
    }
}

async fn item_page(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    flash: Option<&str>,
    errors: Vec<FieldMsg>,
) -> WebResult<Response> {
    a.require(Action::UseOffer)?;
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(state);
    let i = offer::get(t, id).await?.ok_or(WebError::NotFound)?;
    let sessions = offer::sessions(t, &i.id).await?;
    let mine = offer::enrolments_of(t, &a.user.id).await?;
    let me = mine.iter().find(|(x, _)| *x == i.id);
    let can_manage = a.actor.may(Action::ManageField);
    let status = super::form_status(errors.is_empty());
    Ok(render_status(
        status,
        &ItemPage {
            ctx: Ctx::user(a, &format!("/offer/{}", i.id), "field").with_flash(flash),
            people: offer::people(t, &i.id).await?,
            enrolled: me.is_some(),
            evaluated: me.is_some_and(|(_, e)| *e),
            started: sessions
                .first()
                .is_some_and(|s| s.starts_at <= koers_store::now_ms()),
            enrolments: if can_manage {
                offer::enrolled(t, &i.id).await?
            } else {
                Vec::new()
            },
            comments: if can_manage {
                offer::comments(t, &i.id).await?
            } else {
                Vec::new()
            },
            options: koers_app::competences::options(&a.cx(state)).await?,
            can_manage,
            sessions,
            errors,
            i,
        },
    ))
}

pub async fn show(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
    Query(q): Query<OkQuery>,
) -> WebResult<Response> {
    item_page(&state, &a, &id, q.ok.as_deref(), Vec::new()).await
}

pub async fn enrol(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, _form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::UseOffer)?;
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    match offer::enrol(a.tenant(&state), &id, &a.user.id).await {
        Err(koers_store::StoreError::Conflict(what)) => {
            let code = if what == "full" {
                "offer-full"
            } else {
                "offer-enrolled"
            };
            let msgs = field_msgs(&a.tr, &[FieldError::new("enrol", code)]);
            item_page(&state, &a, &id, None, msgs).await
        }
        Err(e) => Err(e.into()),
        Ok(()) => Ok(Redirect::to(&format!("/offer/{id}?ok=saved")).into_response()),
    }
}

/// The evaluation after the course (once, by an enrolled person).
pub async fn evaluate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    a.require(Action::UseOffer)?;
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    let rating = match form.get("rating").parse::<i64>() {
        Ok(r) if (1..=5).contains(&r) => r,
        _ => {
            let msgs = field_msgs(&a.tr, &[FieldError::new("rating", "rating-invalid")]);
            return item_page(&state, &a, &id, None, msgs).await;
        }
    };
    let comment = form.get("comment").trim();
    if comment.chars().count() > 2000 {
        let msgs = field_msgs(&a.tr, &[FieldError::new("comment", "too-long")]);
        return item_page(&state, &a, &id, None, msgs).await;
    }
    match offer::evaluate(a.tenant(&state), &id, &a.user.id, rating, comment).await {
        Err(koers_store::StoreError::NotFound) => Err(WebError::Forbidden),
        Err(koers_store::StoreError::Conflict(_)) => Err(WebError::Conflict("evaluation")),
        Err(e) => Err(e.into()),
        Ok(()) => Ok(Redirect::to(&format!("/offer/{id}?ok=saved")).into_response()),
    }
}

/// Record a participant of a training event (or a co-designer), by name and organisation.
pub async fn add_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    SignedForm(a, form): SignedForm,
) -> WebResult<Response> {
    let draft = OfferPersonDraft {
        kind: form.get("kind").to_owned(),
        name: form.get("name").to_owned(),
        organisation: form.get("organisation").to_owned(),
    };
    match koers_app::field::offer::add_person(&a.cx(&state), &id, &draft).await {
        Ok(done) => {
            finish(&state, &a, &headers, done).await?;
            Ok(Redirect::to(&format!("/offer/{id}?ok=saved#h-people")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let msgs = field_msgs(&a.tr, &errors);
            item_page(&state, &a, &id, None, msgs).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Every session of an item as one calendar file (Outlook, Google or Apple Calendar).
pub async fn calendar(
    State(state): State<AppState>,
    WebUser(a): WebUser,
    Path(id): Path<String>,
) -> WebResult<Response> {
    use koers_domain::guidance::ics::{CalendarEvent, calendar_of};
    a.require(Action::UseOffer)?;
    if !koers_domain::is_id(&id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(&state);
    let i = offer::get(t, &id).await?.ok_or(WebError::NotFound)?;
    let sessions = offer::sessions(t, &i.id).await?;
    if sessions.is_empty() {
        return Err(WebError::NotFound);
    }
    let uids: Vec<String> = (1..=sessions.len())
        .map(|n| format!("{}-{n}@koers", i.id))
        .collect();
    let now = koers_store::now_ms();
    let events: Vec<CalendarEvent<'_>> = sessions
        .iter()
        .zip(&uids)
        .map(|(s, uid)| CalendarEvent {
            uid,
            sequence: 0,
            stamp_ms: now,
            start_ms: s.starts_at,
            duration_minutes: s.duration_minutes,
            summary: &i.title,
            description: &i.description,
            location: &s.location,
            organizer: None,
            attendees: Vec::new(),
            cancelled: false,
        })
        .collect();
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                "attachment; filename=\"bijeenkomsten.ics\"".to_owned(),
            ),
        ],
        calendar_of(&events),
    )
        .into_response())
}
