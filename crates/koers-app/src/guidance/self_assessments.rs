//! The career-competency self-assessment, of a student (with a phase, in their career file)
//! or of an employee (their own).

use super::access::{Need, StudentAccess};
use crate::{AppError, AppResult, Ctx, Done};
use koers_domain::guidance::Phase;
use koers_domain::guidance::competency::{self, INSTRUMENT_KEY};
use koers_store::guidance::self_assessments::{self, NewSelfAssessment};
use std::collections::BTreeMap;

/// Whose self-assessment it is.
pub enum Whose<'a> {
    /// A student's own, in a phase (empty: the student's current phase).
    Student(&'a StudentAccess, &'a str),
    /// The actor's own as an employee.
    Employee,
}

/// What one self-assessment says: the answers per item, and with whom it is shared.
#[derive(Debug, Clone, Default)]
pub struct Answers {
    pub answers: BTreeMap<String, i64>,
    pub share_with_counsellor: bool,
    pub share_with_mentor: bool,
}

/// A kept self-assessment: its id, phase and scores per competency.
#[derive(Debug, Clone)]
pub struct Saved {
    pub id: String,
    pub phase: Option<Phase>,
    pub scores: BTreeMap<String, f64>,
}

/// Score and keep a self-assessment (every item answered, each in range).
pub async fn save(cx: &Ctx<'_>, whose: Whose<'_>, a: &Answers) -> AppResult<Done<Saved>> {
    let (person_id, phase, shared) = match whose {
        Whose::Student(s, phase) => {
            s.require(cx.actor, Need::OwnFile)?;
            let phase = match phase.trim() {
                "" => s.record.phase,
                p => Phase::parse(p).ok_or(AppError::invalid("phase", "phase-invalid"))?,
            };
            (
                s.record.user_id.as_str(),
                Some(phase),
                (a.share_with_counsellor, a.share_with_mentor),
            )
        }
        // An employee's own is for their own development: shared with no one.
        Whose::Employee => {
            if !cx.actor.is_staff() {
                return Err(AppError::Forbidden);
            }
            (cx.user.id.as_str(), None, (false, false))
        }
    };
    let scores = competency::score(&a.answers).map_err(|e| {
        let code = match e {
            competency::AnswerError::UnknownItem(_) => "item-unknown",
            competency::AnswerError::OutOfRange(_) => "answer-out-of-range",
            competency::AnswerError::Missing(_) => "answer-missing",
        };
        AppError::invalid("answers", code)
    })?;
    let scores: BTreeMap<String, f64> = scores
        .into_iter()
        .map(|(c, v)| (c.key().to_owned(), v))
        .collect();
    let mut tx = cx.begin().await?;
    let id = self_assessments::create(
        &mut tx,
        NewSelfAssessment {
            person_id,
            instrument: INSTRUMENT_KEY,
            phase,
            answers: &a.answers,
            scores: &scores,
            shared_counsellor: shared.0,
            shared_mentor: shared.1,
            created_at: None,
        },
    )
    .await?;
    let mut line = cx.change(
        "self_assessment.create",
        &id,
        serde_json::json!({"phase": phase.map(Phase::key)}),
    );
    line.person_id = Some(person_id).filter(|p| *p != cx.user.id);
    tx.audit(line).await?;
    tx.commit().await?;
    Ok(Done::new(Saved { id, phase, scores }, Vec::new()))
}
