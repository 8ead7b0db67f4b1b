//! Opleiden-in-de-School placements with their LOB tasks.

use super::all_problems;
use crate::{AppResult, Ctx, Done, Event};
use koers_domain::FieldError;
use koers_domain::field::input::{NewPlacement, PlacementDraft};
use koers_domain::policy::Action;
use koers_store::field::{partners, placements};

/// Check a placement: the student (of a programme the actor manages), the partner, a mentor
/// who belongs to that partner, the period and the tasks.
pub async fn check(cx: &Ctx<'_>, draft: &PlacementDraft) -> AppResult<NewPlacement> {
    cx.require(Action::ManageField)?;
    let t = cx.tenant();
    let mut found = Vec::new();
    let student_id = draft.student_id.trim();
    let student = if koers_domain::is_id(student_id) {
        koers_store::guidance::students::get(t, student_id).await?
    } else {
        None
    };
    match &student {
        None => found.push(FieldError::new("student_id", "student-unknown")),
        Some(s) => cx.require(Action::ManagePlacements {
            programme_id: &s.programme_id,
        })?,
    }
    let partner_id = draft.partner_id.trim();
    let partner = if koers_domain::is_id(partner_id) {
        partners::get(t, partner_id).await?
    } else {
        None
    };
    if partner.is_none() {
        found.push(FieldError::new("partner_id", "partner-unknown"));
    }
    let mentor = draft.mentor_id.trim();
    if !mentor.is_empty() {
        let of = if koers_domain::is_id(mentor) {
            partners::of_member(t, mentor).await?
        } else {
            None
        };
        if of.is_none() || of.as_deref() != partner.as_ref().map(|p| p.id.as_str()) {
            found.push(FieldError::new("mentor_id", "mentor-not-of-partner"));
        }
    }
    all_problems(draft.parse(Vec::new()), found)
}

/// Place a student at a partner school with a mentor and LOB tasks (checked by [`check`]).
pub async fn create(cx: &Ctx<'_>, p: &NewPlacement) -> AppResult<Done<String>> {
    let tasks: Vec<placements::NewTask<'_>> = p
        .tasks
        .iter()
        .map(|k| placements::NewTask {
            kind: k.kind,
            title: &k.title,
            due_on: k.due_on.as_deref(),
        })
        .collect();
    let mut tx = cx.begin().await?;
    let id = placements::create(
        &mut tx,
        &placements::NewPlacement {
            student_id: &p.student_id,
            partner_id: &p.partner_id,
            mentor_id: p.mentor_id.as_deref(),
            starts_on: &p.starts_on,
            ends_on: &p.ends_on,
            created_by: &cx.user.id,
        },
        &tasks,
    )
    .await?;
    tx.audit(cx.change(
        "placement.create",
        &id,
        serde_json::json!({"student_id": p.student_id, "partner_id": p.partner_id}),
    ))
    .await?;
    tx.commit().await?;
    Ok(Done::new(
        id.clone(),
        vec![Event::PlacementCreated {
            placement_id: id,
            student_id: p.student_id.clone(),
            mentor_id: p.mentor_id.clone(),
        }],
    ))
}
