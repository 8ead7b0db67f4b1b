//! The field API: partners and invitations, placements, field needs, the offer, and the
//! alignment of needs with the curriculum and the offer.

use super::dto::*;
use super::parse_json;
use crate::auth::{ApiUser, Authenticated};
use crate::error::{WebError, WebResult};
use crate::field as access;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use koers_domain::FieldError;
use koers_domain::field::{OfferKind, PartnerKind, PartnerRole, TaskKind, Urgency};
use koers_domain::policy::Action;
use koers_store::field::{invitations, needs, offer, partners, placements};

fn text(s: &str, field: &'static str, max: usize, errors: &mut Vec<FieldError>) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() || t.chars().count() > max {
        errors.push(FieldError::new(field, "required"));
    }
    t
}

fn date(s: &str, field: &'static str, errors: &mut Vec<FieldError>) -> String {
    match koers_domain::time::parse_date(s) {
        Some(d) => d.to_string(),
        None => {
            errors.push(FieldError::new(field, "date-invalid"));
            String::new()
        }
    }
}

fn done(errors: Vec<FieldError>) -> WebResult<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(WebError::Invalid(errors))
    }
}

/// A partner as typed, checked.
pub(crate) fn check_partner(
    name: &str,
    kind: &str,
    city: &str,
    brin: &str,
) -> WebResult<(String, PartnerKind, String, String)> {
    let mut errors = Vec::new();
    let name = text(name, "name", 200, &mut errors);
    let kind = PartnerKind::parse(kind).unwrap_or_else(|| {
        errors.push(FieldError::new("kind", "partner-kind-invalid"));
        PartnerKind::MboSchool
    });
    let brin = brin.trim().to_uppercase();
    if !koers_domain::field::valid_brin(&brin) {
        errors.push(FieldError::new("brin", "brin-invalid"));
    }
    if city.chars().count() > 100 {
        errors.push(FieldError::new("city", "too-long"));
    }
    done(errors)?;
    Ok((name, kind, city.trim().to_owned(), brin))
}

pub(crate) async fn partner_dto(
    state: &AppState,
    a: &Authenticated,
    p: partners::Partner,
) -> WebResult<PartnerDto> {
    let contacts = partners::contacts(a.tenant(state), &p.id)
        .await?
        .into_iter()
        .map(|c| ContactBody {
            name: c.name,
            role: c.role,
            email: c.email,
        })
        .collect();
    Ok(PartnerDto {
        id: p.id,
        name: p.name,
        kind: p.kind.key().into(),
        city: p.city,
        brin: p.brin,
        contacts,
    })
}

/// Partner organisations: all for the institute; partner people their own.
#[utoipa::path(get, path = "/api/v1/partners", tag = "field",
    responses((status = 200, body = Vec<PartnerDto>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_partners(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<Json<Vec<PartnerDto>>> {
    let t = a.tenant(&state);
    let list = if a.actor.may(Action::ViewField) {
        partners::list(t).await?
    } else {
        let own = access::own_partner(&state, &a)
            .await?
            .ok_or(WebError::Forbidden)?;
        partners::get(t, &own).await?.into_iter().collect()
    };
    let mut out = Vec::new();
    for p in list {
        out.push(partner_dto(&state, &a, p).await?);
    }
    Ok(Json(out))
}

/// Register a partner organisation with its contacts.
#[utoipa::path(post, path = "/api/v1/partners", tag = "field", request_body = NewPartnerBody,
    responses((status = 201, body = PartnerDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_partner(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::ManageField)?;
    let b: NewPartnerBody = parse_json(&body)?;
    let (name, kind, city, brin) = check_partner(&b.name, &b.kind, &b.city, &b.brin)?;
    let mut errors = Vec::new();
    let contacts: Vec<partners::Contact> = b
        .contacts
        .iter()
        .map(|c| partners::Contact {
            name: text(&c.name, "contacts", 200, &mut errors),
            role: c.role.trim().to_owned(),
            email: c.email.trim().to_lowercase(),
        })
        .collect();
    for c in &contacts {
        if !c.email.is_empty() && koers_domain::Email::parse(&c.email).is_err() {
            errors.push(FieldError::new("contacts", "email-invalid"));
        }
    }
    done(errors)?;
    let t = a.tenant(&state);
    let id = match partners::create(
        t,
        &partners::NewPartner {
            name: &name,
            kind,
            city: &city,
            brin: &brin,
        },
    )
    .await
    {
        Err(koers_store::StoreError::Conflict(_)) => return Err(WebError::Conflict("partner")),
        r => r?,
    };
    for c in &contacts {
        partners::add_contact(t, &id, c).await?;
    }
    crate::guidance::audit_change(&state, &a, "partner.create", &id, serde_json::json!({})).await?;
    let p = partners::get(t, &id).await?.ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(partner_dto(&state, &a, p).await?)).into_response())
}

/// Invite a partner person; the answer holds the activation link.
pub(crate) async fn invite(
    state: &AppState,
    a: &Authenticated,
    headers: &axum::http::HeaderMap,
    partner_id: &str,
    email: &str,
    name: &str,
    role: &str,
) -> WebResult<InvitationDto> {
    a.require(Action::ManageField)?;
    if !koers_domain::is_id(partner_id) {
        return Err(WebError::NotFound);
    }
    let t = a.tenant(state);
    let p = partners::get(t, partner_id)
        .await?
        .ok_or(WebError::NotFound)?;
    let mut errors = Vec::new();
    let email = match koers_domain::Email::parse(email) {
        Ok(e) => Some(e),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let name = text(name, "name", 200, &mut errors);
    let role = PartnerRole::parse(role);
    if role.is_none() {
        errors.push(FieldError::new("role", "role-invalid"));
    }
    done(errors)?;
    let (Some(email), Some(role)) = (email, role) else {
        return Err(WebError::invalid("email", "email-invalid"));
    };
    if koers_store::platform::users::active_by_email(t, email.as_str())
        .await?
        .is_some()
    {
        return Err(WebError::invalid("email", "email-taken"));
    }
    let (id, token) =
        invitations::create(t, &p.id, email.as_str(), &name, role, &a.user.id).await?;
    crate::notify::invitation(
        state,
        t,
        &crate::notify::Invited {
            email: email.as_str(),
            name: &name,
            partner: &p.name,
            inviter: &a.user.name,
            link: &crate::calendar_feed::absolute(state, headers, &format!("/invitations/{token}")),
            days: koers_domain::field::INVITATION_DAYS,
        },
    )
    .await?;
    crate::guidance::audit_change(
        state,
        a,
        "partner.invite",
        &id,
        serde_json::json!({"partner_id": p.id, "role": role.key()}),
    )
    .await?;
    Ok(InvitationDto {
        id,
        email: email.as_str().to_owned(),
        role: role.key().into(),
        expires_at: koers_domain::time::rfc3339(
            koers_store::now_ms() + koers_domain::field::INVITATION_DAYS * 86_400_000,
        ),
        link: format!("/invitations/{token}"),
    })
}

/// Invite someone of a partner organisation as placement mentor or school coordinator.
#[utoipa::path(post, path = "/api/v1/partners/{id}/invitations", tag = "field",
    params(("id" = String, Path)), request_body = NewInvitationBody,
    responses((status = 201, body = InvitationDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_invitation(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::ManageField)?;
    if !koers_domain::is_id(&id) || partners::get(a.tenant(&state), &id).await?.is_none() {
        return Err(WebError::NotFound);
    }
    let b: NewInvitationBody = parse_json(&body)?;
    let dto = invite(&state, &a, &headers, &id, &b.email, &b.name, &b.role).await?;
    Ok((StatusCode::CREATED, Json(dto)).into_response())
}

pub(crate) async fn placement_dto(
    state: &AppState,
    a: &Authenticated,
    p: &placements::Placement,
) -> WebResult<PlacementDto> {
    let tasks = placements::tasks(a.tenant(state), &p.id)
        .await?
        .into_iter()
        .map(|k| PlacementTaskDto {
            id: k.id,
            kind: k.kind.key().into(),
            title: k.title,
            due_on: k.due_on,
            status: k.status.key().into(),
            level: k.level,
            feedback: k.feedback,
        })
        .collect();
    Ok(PlacementDto {
        id: p.id.clone(),
        student_id: p.student_id.clone(),
        partner_id: p.partner_id.clone(),
        mentor_id: p.mentor_id.clone(),
        starts_on: p.starts_on.clone(),
        ends_on: p.ends_on.clone(),
        tasks,
        tasks_assessed: p.tasks_assessed,
    })
}

/// Placements the caller may see (their trainees, their organisation's, their programmes').
#[utoipa::path(get, path = "/api/v1/placements", tag = "field",
    responses((status = 200, body = Vec<PlacementDto>), (status = 401, body = ErrorBody)))]
pub async fn list_placements(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<Json<Vec<PlacementDto>>> {
    let mut out = Vec::new();
    for p in access::visible_placements(&state, &a).await? {
        out.push(placement_dto(&state, &a, &p).await?);
    }
    Ok(Json(out))
}

/// A checked new placement.
pub(crate) struct CheckedPlacement {
    pub student_id: String,
    pub partner_id: String,
    pub mentor_id: Option<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub tasks: Vec<(TaskKind, String, Option<String>)>,
}

/// Check a placement: the student (of a programme the actor manages), the partner, a mentor
/// who belongs to that partner, the period, and the tasks.
pub(crate) async fn check_placement(
    state: &AppState,
    a: &Authenticated,
    b: &NewPlacementBody,
) -> WebResult<CheckedPlacement> {
    let t = a.tenant(state);
    let mut errors = Vec::new();
    let student = if koers_domain::is_id(&b.student_id) {
        koers_store::guidance::students::get(t, &b.student_id).await?
    } else {
        None
    };
    match &student {
        None => errors.push(FieldError::new("student_id", "student-unknown")),
        Some(s) => a.require(Action::ManagePlacements {
            programme_id: &s.programme_id,
        })?,
    }
    let partner = if koers_domain::is_id(&b.partner_id) {
        partners::get(t, &b.partner_id).await?
    } else {
        None
    };
    if partner.is_none() {
        errors.push(FieldError::new("partner_id", "partner-unknown"));
    }
    let mentor = match b.mentor_id.as_deref().filter(|m| !m.is_empty()) {
        None => None,
        Some(m) => {
            let of = if koers_domain::is_id(m) {
                partners::of_member(t, m).await?
            } else {
                None
            };
            if of.is_none() || of.as_deref() != partner.as_ref().map(|p| p.id.as_str()) {
                errors.push(FieldError::new("mentor_id", "mentor-not-of-partner"));
            }
            Some(m.to_owned())
        }
    };
    let starts_on = date(&b.starts_on, "starts_on", &mut errors);
    let ends_on = date(&b.ends_on, "ends_on", &mut errors);
    if !starts_on.is_empty() && !ends_on.is_empty() && ends_on < starts_on {
        errors.push(FieldError::new("ends_on", "period-invalid"));
    }
    let mut tasks = Vec::new();
    for k in &b.tasks {
        let kind = TaskKind::parse(&k.kind).unwrap_or_else(|| {
            errors.push(FieldError::new("tasks", "task-kind-invalid"));
            TaskKind::Other
        });
        let title = text(&k.title, "tasks", 200, &mut errors);
        let due = k
            .due_on
            .as_deref()
            .filter(|d| !d.is_empty())
            .map(|d| date(d, "tasks", &mut errors));
        tasks.push((kind, title, due));
    }
    done(errors)?;
    Ok(CheckedPlacement {
        student_id: b.student_id.clone(),
        partner_id: b.partner_id.clone(),
        mentor_id: mentor,
        starts_on,
        ends_on,
        tasks,
    })
}

pub(crate) async fn store_placement(
    state: &AppState,
    a: &Authenticated,
    c: &CheckedPlacement,
) -> WebResult<String> {
    let tasks: Vec<placements::NewTask<'_>> = c
        .tasks
        .iter()
        .map(|(kind, title, due)| placements::NewTask {
            kind: *kind,
            title,
            due_on: due.as_deref(),
        })
        .collect();
    let id = placements::create(
        a.tenant(state),
        &placements::NewPlacement {
            student_id: &c.student_id,
            partner_id: &c.partner_id,
            mentor_id: c.mentor_id.as_deref(),
            starts_on: &c.starts_on,
            ends_on: &c.ends_on,
            created_by: &a.user.id,
        },
        &tasks,
    )
    .await?;
    crate::guidance::audit_change(
        state,
        a,
        "placement.create",
        &id,
        serde_json::json!({"student_id": c.student_id, "partner_id": c.partner_id}),
    )
    .await?;
    Ok(id)
}

/// Place a student at a partner school with a mentor and LOB tasks.
#[utoipa::path(post, path = "/api/v1/placements", tag = "field", request_body = NewPlacementBody,
    responses((status = 201, body = PlacementDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_placement(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Response> {
    if !a.actor.may(Action::ManageField) {
        return Err(WebError::Forbidden);
    }
    let b: NewPlacementBody = parse_json(&body)?;
    let c = check_placement(&state, &a, &b).await?;
    let id = store_placement(&state, &a, &c).await?;
    let p = placements::get(a.tenant(&state), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(placement_dto(&state, &a, &p).await?),
    )
        .into_response())
}

/// One placement with its tasks and progress.
#[utoipa::path(get, path = "/api/v1/placements/{id}", tag = "field", params(("id" = String, Path)),
    responses((status = 200, body = PlacementDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_placement(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    Path(id): Path<String>,
) -> WebResult<Json<PlacementDto>> {
    let p = access::load_placement(&state, &a, &id).await?;
    Ok(Json(placement_dto(&state, &a, &p.p).await?))
}

fn need_dto(n: needs::Need) -> NeedDto {
    NeedDto {
        id: n.id,
        partner_id: n.partner_id,
        topic: n.topic,
        description: n.description,
        competences: n.competences,
        urgency: n.urgency.key().into(),
        teachers: n.teachers,
        status: n.status.key().into(),
        rationale: n.rationale,
    }
}

/// The needs the caller reads: all for the institute, their own organisation's for partners.
pub(crate) async fn visible_needs(
    state: &AppState,
    a: &Authenticated,
) -> WebResult<Vec<needs::Need>> {
    let t = a.tenant(state);
    if a.actor.may(Action::ViewField) {
        return Ok(needs::list(t, None).await?);
    }
    let own = access::own_partner(state, a)
        .await?
        .ok_or(WebError::Forbidden)?;
    Ok(needs::list(t, Some(&own)).await?)
}

/// Field needs: all for the institute; a partner's own for its people.
#[utoipa::path(get, path = "/api/v1/field-needs", tag = "field",
    responses((status = 200, body = Vec<NeedDto>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_needs(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<Json<Vec<NeedDto>>> {
    Ok(Json(
        visible_needs(&state, &a)
            .await?
            .into_iter()
            .map(need_dto)
            .collect(),
    ))
}

/// Check and keep a need (for the actor's own organisation, or any for the institute).
pub(crate) async fn submit_need(
    state: &AppState,
    a: &Authenticated,
    b: &NewNeedBody,
) -> WebResult<String> {
    let t = a.tenant(state);
    let own = access::own_partner(state, a).await?;
    let partner_id = match (b.partner_id.as_deref().filter(|p| !p.is_empty()), &own) {
        (Some(p), _) => p.to_owned(),
        (None, Some(o)) => o.clone(),
        (None, None) => return Err(WebError::invalid("partner_id", "partner-unknown")),
    };
    a.require(Action::SubmitNeed {
        own: own.as_deref() == Some(partner_id.as_str()),
    })?;
    if !koers_domain::is_id(&partner_id) || partners::get(t, &partner_id).await?.is_none() {
        return Err(WebError::invalid("partner_id", "partner-unknown"));
    }
    let mut errors = Vec::new();
    let topic = text(&b.topic, "topic", 200, &mut errors);
    if b.description.chars().count() > 4000 {
        errors.push(FieldError::new("description", "too-long"));
    }
    let urgency = Urgency::parse(&b.urgency).unwrap_or_else(|| {
        errors.push(FieldError::new("urgency", "urgency-invalid"));
        Urgency::Medium
    });
    if !(0..=100_000).contains(&b.teachers) {
        errors.push(FieldError::new("teachers", "teachers-invalid"));
    }
    let options = crate::staff::competence_options(state, a).await?;
    let competences = match crate::staff::check_competences(&options, &b.competences) {
        Ok(c) => c,
        Err(_) => {
            errors.push(FieldError::new("competences", "competence-unknown"));
            Vec::new()
        }
    };
    done(errors)?;
    let id = needs::create(
        t,
        &needs::NewNeed {
            partner_id: &partner_id,
            topic: &topic,
            description: b.description.trim(),
            competences: &competences,
            urgency,
            teachers: b.teachers,
            submitted_by: &a.user.id,
        },
    )
    .await?;
    crate::guidance::audit_change(
        state,
        a,
        "field_need.create",
        &id,
        serde_json::json!({"partner_id": partner_id}),
    )
    .await?;
    Ok(id)
}

/// Submit a field need.
#[utoipa::path(post, path = "/api/v1/field-needs", tag = "field", request_body = NewNeedBody,
    responses((status = 201, body = NeedDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_need(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Response> {
    if !a.actor.may(Action::ManageField)
        && !a.actor.has_role(koers_domain::Role::PartnerCoordinator)
    {
        return Err(WebError::Forbidden);
    }
    let b: NewNeedBody = parse_json(&body)?;
    let id = submit_need(&state, &a, &b).await?;
    let n = needs::get(a.tenant(&state), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(need_dto(n))).into_response())
}

fn offer_dto(o: offer::Item) -> OfferDto {
    OfferDto {
        id: o.id,
        kind: o.kind.key().into(),
        title: o.title,
        description: o.description,
        competences: o.competences,
        capacity: o.capacity,
        enrolled: o.enrolled,
    }
}

/// The professional-development offer.
#[utoipa::path(get, path = "/api/v1/offer", tag = "field",
    responses((status = 200, body = Vec<OfferDto>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_offer(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<Json<Vec<OfferDto>>> {
    a.require(Action::UseOffer)?;
    Ok(Json(
        offer::list(a.tenant(&state))
            .await?
            .into_iter()
            .map(offer_dto)
            .collect(),
    ))
}

/// Check and keep an offer item with its sessions and co-designers.
pub(crate) async fn store_offer(
    state: &AppState,
    a: &Authenticated,
    b: &NewOfferBody,
) -> WebResult<String> {
    a.require(Action::ManageField)?;
    let mut errors = Vec::new();
    let kind = OfferKind::parse(&b.kind).unwrap_or_else(|| {
        errors.push(FieldError::new("kind", "offer-kind-invalid"));
        OfferKind::Course
    });
    let title = text(&b.title, "title", 200, &mut errors);
    if b.description.chars().count() > 4000 {
        errors.push(FieldError::new("description", "too-long"));
    }
    if b.capacity.is_some_and(|c| !(1..=10_000).contains(&c)) {
        errors.push(FieldError::new("capacity", "capacity-invalid"));
    }
    let options = crate::staff::competence_options(state, a).await?;
    let competences = match crate::staff::check_competences(&options, &b.competences) {
        Ok(c) => c,
        Err(_) => {
            errors.push(FieldError::new("competences", "competence-unknown"));
            Vec::new()
        }
    };
    let mut sessions = Vec::new();
    for s in &b.sessions {
        match koers_domain::time::parse_rfc3339(&s.starts_at) {
            Some(at)
                if (koers_domain::guidance::conversation::MIN_DURATION
                    ..=koers_domain::guidance::conversation::MAX_DURATION)
                    .contains(&s.duration_minutes) =>
            {
                sessions.push(offer::Session {
                    starts_at: at,
                    duration_minutes: s.duration_minutes,
                    location: s.location.trim().to_owned(),
                })
            }
            _ => errors.push(FieldError::new("sessions", "session-invalid")),
        }
    }
    let mut people = Vec::new();
    for p in &b.codesigners {
        let name = text(&p.name, "codesigners", 200, &mut errors);
        let organisation = text(&p.organisation, "codesigners", 200, &mut errors);
        people.push(offer::Person {
            kind: "codesigner".into(),
            name,
            organisation,
        });
    }
    done(errors)?;
    let t = a.tenant(state);
    let id = offer::create(
        t,
        &offer::NewItem {
            kind,
            title: &title,
            description: b.description.trim(),
            competences: &competences,
            capacity: b.capacity,
        },
    )
    .await?;
    for s in &sessions {
        offer::add_session(t, &id, s).await?;
    }
    for p in &people {
        offer::add_person(t, &id, p).await?;
    }
    crate::guidance::audit_change(state, a, "offer.create", &id, serde_json::json!({})).await?;
    Ok(id)
}

/// Add a course, module or training event to the offer.
#[utoipa::path(post, path = "/api/v1/offer", tag = "field", request_body = NewOfferBody,
    responses((status = 201, body = OfferDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_offer(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::ManageField)?;
    let b: NewOfferBody = parse_json(&body)?;
    let id = store_offer(&state, &a, &b).await?;
    let o = offer::get(a.tenant(&state), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(offer_dto(o))).into_response())
}

/// The alignment of every field need with the curriculum and the offer.
#[utoipa::path(get, path = "/api/v1/alignment", tag = "field",
    responses((status = 200, body = AlignmentDto), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn alignment(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<Json<AlignmentDto>> {
    a.require(Action::ViewField)?;
    let m = access::matrix(&state, &a).await?;
    Ok(Json(AlignmentDto {
        needs: m
            .needs
            .iter()
            .map(|(n, r)| AlignedNeedDto {
                id: n.id.clone(),
                status: r.status.key().into(),
                derived: r.derived.key().into(),
                covered_by: r
                    .covered_by
                    .iter()
                    .map(|i| CoveredByDto {
                        kind: m.sources[*i].kind.into(),
                        id: m.sources[*i].id.clone(),
                        title: m.sources[*i].title.clone(),
                    })
                    .collect(),
            })
            .collect(),
    }))
}
