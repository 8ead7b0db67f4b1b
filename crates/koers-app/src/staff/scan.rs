//! The HRM scan as a respondent sees it: the questionnaire of an open round and the one way
//! to answer it (anonymously: no audit line, no time, see `docs/privacy.md`).

use crate::{AppError, AppResult, Ctx, Done};
use koers_domain::staff::scan::{Group, Instrument, ResponseDraft};
use koers_store::staff::scans::{self, Round};

/// An open round the actor is invited to and has not answered yet, with its instrument and
/// the actor's respondent group.
pub struct Invitation {
    pub round: Round,
    pub instrument: Instrument,
    pub group: Group,
}

/// The round the actor is asked to answer: not found for an unknown round, forbidden for
/// someone not invited, a conflict when it is not open or already answered.
pub async fn invitation(cx: &Ctx<'_>, round_id: &str) -> AppResult<Invitation> {
    let t = cx.tenant();
    let round = scans::round(t, crate::id(round_id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let (group, answered) = scans::invitation(t, &round.id, &cx.user.id)
        .await?
        .ok_or(AppError::Forbidden)?;
    if round.status != "open" {
        return Err(AppError::Conflict("round not open"));
    }
    if answered {
        return Err(AppError::Conflict("response"));
    }
    let instrument = scans::instrument(t, &round.instrument_id).await?;
    Ok(Invitation {
        round,
        instrument,
        group,
    })
}

/// Answer a round: every statement (a score or "don't know"), comments per stage within the
/// limit. Once per person; the response carries the group, not the person.
pub async fn respond(cx: &Ctx<'_>, round_id: &str, draft: &ResponseDraft) -> AppResult<Done<()>> {
    let inv = invitation(cx, round_id).await?;
    let response = draft.parse(&inv.instrument)?;
    match scans::submit(
        cx.tenant(),
        &inv.round.id,
        &cx.user.id,
        inv.group,
        &response,
    )
    .await
    {
        Err(koers_store::StoreError::Conflict(_)) => Err(AppError::Conflict("response")),
        r => Ok(Done::new(r?, Vec::new())),
    }
}
