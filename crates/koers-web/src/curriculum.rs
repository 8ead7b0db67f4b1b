//! Shared steps of the curriculum pages and API: importing frameworks, storing practice
//! conversations, and checking who may read a student's work (with an audit record for
//! every read by someone else).

use crate::auth::Authenticated;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use koers_domain::curriculum::framework;
use koers_domain::curriculum::transcript::{self, Analysis, Format, TranscriptError, Utterance};
use koers_domain::policy::{Action, WorkRef};
use koers_store::curriculum::frameworks::{self, FrameworkSummary};
use koers_store::curriculum::practice::{self, Practice};
use koers_store::curriculum::reviews;

/// Parse and store a framework document (a new key, or a new version of an own one).
pub async fn import_framework(
    state: &AppState,
    a: &Authenticated,
    text: &str,
    origin: &str,
    based_on: Option<&str>,
) -> WebResult<FrameworkSummary> {
    let f = framework::parse(text).map_err(WebError::Framework)?;
    if frameworks::is_shipped_key(&f.key) {
        return Err(WebError::Conflict("shipped framework key"));
    }
    let t = a.tenant(state);
    frameworks::store(t, &f, origin, based_on, Some(&a.user.id)).await?;
    crate::commands::audit_change(
        state,
        a,
        "framework.import",
        &f.key,
        serde_json::json!({"key": f.key, "version": f.version, "origin": origin}),
    )
    .await?;
    frameworks::versions(t, &f.key)
        .await?
        .into_iter()
        .next()
        .ok_or(WebError::NotFound)
}

/// Read a transcript and check the counsellor's name against its speakers.
pub fn read_transcript(
    bytes: &[u8],
    format: Format,
    counsellor: &str,
) -> Result<(Vec<Utterance>, Analysis), TranscriptError> {
    let turns = transcript::parse(bytes, format)?;
    let speakers = transcript::speakers(&turns);
    let fail = |code, value: Option<String>| TranscriptError {
        code,
        line: None,
        value,
    };
    let counsellor = counsellor.trim();
    if counsellor.is_empty() {
        return Err(fail("counsellor-missing", None));
    }
    if !speakers.iter().any(|s| s == counsellor) {
        return Err(fail("counsellor-unknown", Some(counsellor.to_owned())));
    }
    if speakers.len() < 2 {
        return Err(fail("one-speaker", None));
    }
    let analysis = transcript::analyse(&turns, counsellor);
    Ok((turns, analysis))
}

/// Store a practice conversation of the actor, with its analysis.
pub async fn create_practice(
    state: &AppState,
    a: &Authenticated,
    title: &str,
    format: Format,
    bytes: &[u8],
    counsellor: &str,
) -> WebResult<(Practice, Analysis)> {
    let title = title.trim();
    if title.chars().count() > 200 {
        return Err(WebError::invalid("title", "name-too-long"));
    }
    let (_, analysis) = read_transcript(bytes, format, counsellor).map_err(WebError::Transcript)?;
    let text = std::str::from_utf8(bytes).unwrap_or_default();
    let t = a.tenant(state);
    let id = practice::create(
        t,
        &practice::NewPractice {
            person_id: &a.user.id,
            title,
            format: format.key(),
            transcript: text.trim_start_matches('\u{feff}'),
            counsellor_speaker: counsellor.trim(),
            analysis: &serde_json::to_string(&analysis).unwrap_or_default(),
        },
    )
    .await?;
    let p = practice::get(t, &id).await?.ok_or(WebError::NotFound)?;
    Ok((p, analysis))
}

/// What the policy needs about a piece of work of `owner_id`, for the actor.
pub async fn work_ref_parts(
    state: &AppState,
    a: &Authenticated,
    owner_id: &str,
    subject_id: &str,
) -> WebResult<(Option<String>, bool)> {
    let t = a.tenant(state);
    let programme = koers_store::guidance::students::by_user(t, owner_id)
        .await?
        .map(|s| s.programme_id);
    let asked = owner_id != a.user.id && reviews::was_asked(t, subject_id, &a.user.id).await?;
    Ok((programme, asked))
}

/// Load a practice conversation the actor may read (`review`: and give feedback on); the
/// read is audited when it is not the student's own.
pub async fn load_practice(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    review: bool,
) -> WebResult<(Practice, Analysis, Vec<Utterance>)> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let p = practice::get(a.tenant(state), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let (programme, asked) = work_ref_parts(state, a, &p.person_id, &p.id).await?;
    let w = WorkRef {
        owner_id: &p.person_id,
        programme_id: programme.as_deref(),
        asked,
    };
    let action = if review {
        Action::ReviewWork(w)
    } else {
        Action::ViewWork(w)
    };
    a.require(action)?;
    let format = Format::parse(&p.format).unwrap_or(Format::Text);
    let (turns, analysis) = read_transcript(p.transcript.as_bytes(), format, &p.counsellor_speaker)
        .map_err(|e| WebError::Internal(format!("stored transcript: {}", e.code)))?;
    if p.person_id != a.user.id {
        audit_work_read(state, a, "practice.read", &p.id, &p.person_id).await?;
    }
    Ok((p, analysis, turns))
}

/// Record that someone other than the owner read a piece of a student's work.
pub async fn audit_work_read(
    state: &AppState,
    a: &Authenticated,
    action: &str,
    subject_id: &str,
    owner_id: &str,
) -> WebResult<()> {
    Ok(koers_app::guidance::access::audit_sensitive_read(
        &a.cx(state),
        action,
        ("work", subject_id),
        owner_id,
        serde_json::json!({ "owner_id": owner_id }),
    )
    .await?)
}

/// A programme's learning line, ready to show: the competences of the frameworks its
/// activities use (the career competencies when there are none yet), the activities, the
/// cells per competence and year, and the gaps.
pub struct LineView {
    pub programme: koers_store::platform::programmes::Programme,
    pub competences: Vec<frameworks::CompetenceRef>,
    pub activities: Vec<koers_store::curriculum::activities::Activity>,
    pub cells: Vec<koers_domain::curriculum::learning_line::Cell>,
    pub gaps: Vec<koers_domain::curriculum::learning_line::Gap>,
}

impl LineView {
    pub fn cell(
        &self,
        competence_id: &str,
        year: &u8,
    ) -> Option<&koers_domain::curriculum::learning_line::Cell> {
        self.cells
            .iter()
            .find(|c| c.competence_id == competence_id && c.year == *year)
    }

    pub fn competence(&self, id: &str) -> Option<&frameworks::CompetenceRef> {
        self.competences.iter().find(|c| c.id == id)
    }

    pub fn activity(&self, id: &str) -> Option<&koers_store::curriculum::activities::Activity> {
        self.activities.iter().find(|a| a.id == id)
    }
}

pub async fn learning_line(state: &AppState, a: &Authenticated, code: &str) -> WebResult<LineView> {
    a.require(Action::ViewCurriculum)?;
    let t = a.tenant(state);
    let programme = koers_store::platform::programmes::by_code(t, code)
        .await?
        .ok_or(WebError::NotFound)?;
    frameworks::ensure_shipped(t).await?;
    let koers_store::curriculum::Line {
        competences,
        activities,
        cells,
        gaps,
    } = koers_store::curriculum::line(t, &programme.id).await?;
    Ok(LineView {
        programme,
        competences,
        activities,
        cells,
        gaps,
    })
}

/// Load a piece of evidence the actor may read (`review`: and assess); reads by others than
/// the owner are audited.
pub async fn load_evidence(
    state: &AppState,
    a: &Authenticated,
    id: &str,
    review: bool,
) -> WebResult<koers_store::curriculum::evidence::Evidence> {
    if !koers_domain::is_id(id) {
        return Err(WebError::NotFound);
    }
    let e = koers_store::curriculum::evidence::get(a.tenant(state), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let (programme, asked) = work_ref_parts(state, a, &e.person_id, &e.id).await?;
    let w = WorkRef {
        owner_id: &e.person_id,
        programme_id: programme.as_deref(),
        asked,
    };
    a.require(if review {
        Action::ReviewWork(w)
    } else {
        Action::ViewWork(w)
    })?;
    if e.person_id != a.user.id {
        audit_work_read(state, a, "evidence.read", &e.id, &e.person_id).await?;
    }
    Ok(e)
}

/// The owner asks someone of the institution (by email) to review a piece of work; the
/// translated problem when there is no such person.
pub async fn ask_review(
    state: &AppState,
    a: &Authenticated,
    kind: &str,
    subject_id: &str,
    email: &str,
    message: &str,
) -> WebResult<Option<String>> {
    let t = a.tenant(state);
    let email = email.trim();
    let reviewer = koers_store::platform::users::active_by_email(t, email).await?;
    let Some((reviewer_id, _)) = reviewer.filter(|(rid, _)| *rid != a.user.id) else {
        return Ok(Some(a.tr.t1("practice-reviewer-unknown", "value", email)));
    };
    let message: String = message.trim().chars().take(500).collect();
    reviews::request_review(t, kind, subject_id, &a.user.id, &reviewer_id, &message).await?;
    Ok(None)
}

/// The explanation of one criterion, in the request's language.
pub(crate) fn explanation(
    tr: &crate::i18n::Tr,
    a: &koers_domain::curriculum::transcript::Analysis,
    key: &str,
    met: bool,
) -> String {
    let pct = |f: f64| (f * 100.0).round() as i64;
    match key {
        "student-talks-more" => tr.tns(
            "practice-explain-talk",
            &[
                ("student", pct(a.student_share)),
                ("counsellor", pct(a.counsellor_share)),
            ],
        ),
        "open-questions" => tr.tns(
            "practice-explain-questions",
            &[
                ("open", a.open_questions as i64),
                ("closed", a.closed_questions as i64),
            ],
        ),
        _ => tr.t(&format!(
            "practice-explain-{key}-{}",
            if met { "met" } else { "not" }
        )),
    }
}
