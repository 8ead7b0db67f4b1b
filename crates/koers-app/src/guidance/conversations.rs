//! Guidance conversations of students: who may see them, what of them, and planning one.

use super::access::{self, Need, StudentAccess};
use crate::{AppError, AppResult, Ctx, Done, Event};
use koers_domain::guidance::ReportInput;
use koers_domain::guidance::conversation::{
    ConversationInput, ConversationStatus, Origin, RawAgreement,
};
use koers_store::guidance::conversations::{self, Agreement, Conversation, NewConversation};

/// A conversation and the relation of the actor to its student (who may at least see that
/// it exists).
pub async fn load(cx: &Ctx<'_>, id: &str) -> AppResult<(Conversation, StudentAccess)> {
    let c = conversations::get(cx.tenant(), crate::id(id)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let s = access::load_by_user(cx, &c.person_id).await?;
    s.require(cx.actor, Need::Meta)?;
    Ok((c, s))
}

/// What of a conversation the actor reads.
#[derive(Debug, Default)]
pub struct Content {
    /// The report (summary, competencies) and the agreements.
    pub report: bool,
    /// The guide's private notes (the guide only).
    pub notes: bool,
    pub agreements: Vec<Agreement>,
}

/// What of a conversation the actor may read. Reading the content is audit-logged when the
/// reader is not the student.
pub async fn content(cx: &Ctx<'_>, s: &StudentAccess, c: &Conversation) -> AppResult<Content> {
    if !s.may(cx.actor, Need::Content) {
        return Ok(Content::default());
    }
    let notes = c.guide_id.as_deref() == Some(cx.user.id.as_str());
    let action = if notes {
        "conversation.read_notes"
    } else {
        "conversation.read_report"
    };
    access::audit_read(cx, s, action, &c.id).await?;
    let agreements = conversations::agreements_of_conversation(cx.tenant(), &c.id).await?;
    Ok(Content {
        report: true,
        notes,
        agreements,
    })
}

/// Create a conversation for a student the actor guides: planned, or held when its time has
/// passed. The student hears of a planned one ([`Event::ConversationPlanned`]).
pub async fn schedule(
    cx: &Ctx<'_>,
    s: &StudentAccess,
    input: &ConversationInput,
) -> AppResult<Done<Conversation>> {
    s.require(cx.actor, Need::Guide)?;
    let held = input.starts_at + input.duration_minutes * 60_000 <= koers_store::now_ms();
    let mut tx = cx.begin().await?;
    let id = conversations::create_in(
        &mut tx,
        NewConversation {
            context: koers_domain::guidance::conversation::Context::Student,
            person_id: &s.record.user_id,
            guide_id: Some(&cx.user.id),
            phase: Some(input.phase),
            status: if held {
                ConversationStatus::Held
            } else {
                ConversationStatus::Planned
            },
            origin: if held {
                Origin::Recorded
            } else {
                Origin::Scheduled
            },
            starts_at: Some(input.starts_at),
            duration_minutes: input.duration_minutes,
            location: &input.location,
            question: "",
            created_by: &cx.user.id,
        },
    )
    .await?;
    tx.audit(cx.change(
        "conversation.create",
        &id,
        serde_json::json!({"student_id": s.record.id, "phase": input.phase.key(), "held": held}),
    ))
    .await?;
    tx.commit().await?;
    let c = conversations::get(cx.tenant(), &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let events = if held {
        Vec::new()
    } else {
        vec![Event::ConversationPlanned {
            conversation_id: id,
        }]
    };
    Ok(Done::new(c, events))
}

/// What a guide writes after a conversation, as typed (a form or an API body).
#[derive(Debug, Default)]
pub struct ReportDraft<'a> {
    pub summary: &'a str,
    /// Kept only when the conversation is the actor's own; a stand-in keeps the guide's notes.
    pub private_notes: &'a str,
    pub competencies: Vec<&'a str>,
    pub agreements: Vec<RawAgreement<'a>>,
}

/// Write the report of a conversation (loaded by [`load`]): the conversation counts as held,
/// its agreements are kept or replaced. Not for a cancelled conversation, nor before it starts.
pub async fn report(
    cx: &Ctx<'_>,
    c: &Conversation,
    s: &StudentAccess,
    d: &ReportDraft<'_>,
) -> AppResult<Done<()>> {
    s.require(cx.actor, Need::Guide)?;
    if c.status == ConversationStatus::Cancelled {
        return Err(AppError::Conflict("cancelled conversation"));
    }
    // Private notes belong to the conversation's own counsellor; a stand-in keeps them.
    let own = c.guide_id.as_deref() == Some(cx.user.id.as_str());
    let notes = if own {
        d.private_notes
    } else {
        c.private_notes.as_str()
    };
    let report = c
        .check_report_time()
        .and_then(|()| ReportInput::parse(d.summary, notes, &d.competencies, &d.agreements))?;
    let mut tx = cx.begin().await?;
    conversations::save_report_in(&mut tx, &c.id, &report).await?;
    tx.audit(cx.change(
        "conversation.report",
        &c.id,
        serde_json::json!({"student_id": s.record.id}),
    ))
    .await?;
    tx.commit().await?;
    Ok(Done::new(
        (),
        vec![Event::ReportWritten {
            conversation_id: c.id.clone(),
            person_id: c.person_id.clone(),
        }],
    ))
}
