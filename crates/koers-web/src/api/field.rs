//! The field API: partners and invitations, placements, field needs, the offer, and the
//! alignment of needs with the curriculum and the offer.

use super::dto::*;
use super::parse_json;
use crate::auth::{ApiUser, Authenticated};
use crate::commands::finish;
use crate::error::{WebError, WebResult};
use crate::field as access;
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use koers_domain::policy::Action;
use koers_store::field::{needs, offer, partners, placements};

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
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::ManageField)?;
    let b: NewPartnerBody = parse_json(&body)?;
    let done = koers_app::field::partners::register(&a.cx(&state), &b.into()).await?;
    let id = finish(&state, &a, &headers, done).await?;
    let p = partners::get(a.tenant(&state), &id)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok((StatusCode::CREATED, Json(partner_dto(&state, &a, p).await?)).into_response())
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
    let done = koers_app::field::partners::invite(&a.cx(&state), &id, &b.into()).await?;
    let i = finish(&state, &a, &headers, done).await?;
    let dto = InvitationDto {
        id: i.id,
        email: i.email,
        role: i.role.key().into(),
        expires_at: koers_domain::time::rfc3339(i.expires_at),
        link: format!("/invitations/{}", i.token),
    };
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

/// Place a student at a partner school with a mentor and LOB tasks.
#[utoipa::path(post, path = "/api/v1/placements", tag = "field", request_body = NewPlacementBody,
    responses((status = 201, body = PlacementDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_placement(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    if !a.actor.may(Action::ManageField) {
        return Err(WebError::Forbidden);
    }
    let b: NewPlacementBody = parse_json(&body)?;
    let cx = a.cx(&state);
    let checked = koers_app::field::placements::check(&cx, &b.into()).await?;
    let done = koers_app::field::placements::create(&cx, &checked).await?;
    let id = finish(&state, &a, &headers, done).await?;
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

/// Field needs: all for the institute; a partner's own for its people.
#[utoipa::path(get, path = "/api/v1/field-needs", tag = "field",
    responses((status = 200, body = Vec<NeedDto>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_needs(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
) -> WebResult<Json<Vec<NeedDto>>> {
    Ok(Json(
        koers_app::field::needs::visible(&a.cx(&state))
            .await?
            .into_iter()
            .map(need_dto)
            .collect(),
    ))
}

/// Submit a field need.
#[utoipa::path(post, path = "/api/v1/field-needs", tag = "field", request_body = NewNeedBody,
    responses((status = 201, body = NeedDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_need(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::SubmitNeed { own: true })?;
    let b: NewNeedBody = parse_json(&body)?;
    let done = koers_app::field::needs::submit(&a.cx(&state), &b.into()).await?;
    let id = finish(&state, &a, &headers, done).await?;
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

/// Add a course, module or training event to the offer.
#[utoipa::path(post, path = "/api/v1/offer", tag = "field", request_body = NewOfferBody,
    responses((status = 201, body = OfferDto), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_offer(
    State(state): State<AppState>,
    ApiUser(a): ApiUser,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    a.require(Action::ManageField)?;
    let b: NewOfferBody = parse_json(&body)?;
    let done = koers_app::field::offer::publish(&a.cx(&state), &b.into()).await?;
    let id = finish(&state, &a, &headers, done).await?;
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
