//! Where Koers keeps data about a person, in one list: what a person downloads (AVG art. 15)
//! and what erasure removes or blanks (art. 17). A test checks that every column referring to
//! a user or a student is in the list, so a new table cannot be forgotten.
//!
//! Erasure anonymises rather than deletes the account and the student record: the facts that
//! aggregates count (a conversation was held in a phase, a scan invitation was answered, a
//! placement ran) stay, linked to an account without name, address or number, so coverage,
//! indicators and scan response rates are unchanged. Everything the person wrote or that was
//! written about them in words is removed or blanked.

use crate::{Result, Tenant, now_ms};
use sqlx::{Column, Row};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A user id.
    User,
    /// A student record id.
    Student,
}

/// What erasure does with the rows found through one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erase {
    /// Remove the rows.
    Delete,
    /// Blank these text columns (set to `''`, or NULL where marked with a leading `?`).
    Blank(&'static [&'static str]),
    /// Keep: facts that aggregates count, or references to the (anonymised) account.
    Keep,
}

/// One place where data about a person is kept.
#[derive(Debug, Clone, Copy)]
pub struct Holding {
    pub table: &'static str,
    pub column: &'static str,
    pub key: Key,
    /// Data about the person (exported); otherwise only a reference to them as the one who
    /// did something (recorded by, guide of), which stays, pointing to the anonymised account.
    pub about: bool,
    pub erase: Erase,
}

const fn about(table: &'static str, column: &'static str, key: Key, erase: Erase) -> Holding {
    Holding {
        table,
        column,
        key,
        about: true,
        erase,
    }
}

const fn actor(table: &'static str, column: &'static str) -> Holding {
    Holding {
        table,
        column,
        key: Key::User,
        about: false,
        erase: Erase::Keep,
    }
}

use Erase::{Blank, Delete, Keep};
use Key::{Student, User};

/// Every column that refers to a person. The order is the export's order.
pub const HOLDINGS: &[Holding] = &[
    about("role_assignments", "user_id", User, Delete),
    about("students", "user_id", User, Keep),
    about("sessions", "user_id", User, Delete),
    about("login_challenges", "user_id", User, Delete),
    about("totp_factors", "user_id", User, Delete),
    about("totp_recovery_codes", "user_id", User, Delete),
    about("second_factor_renewals", "user_id", User, Delete),
    about("sso_identities", "user_id", User, Delete),
    about("calendar_feeds", "user_id", User, Delete),
    about("notifications", "user_id", User, Delete),
    about("pending_imports", "user_id", User, Delete),
    about("uploads", "user_id", User, Delete),
    about("files", "owner_id", User, Delete),
    about(
        "counsellor_history",
        "student_id",
        Student,
        Blank(&["reason"]),
    ),
    about("phase_transitions", "student_id", Student, Keep),
    about(
        "intake_records",
        "student_id",
        Student,
        Blank(&["study_choice_notes", "handover_note"]),
    ),
    about("study_progress", "student_id", Student, Keep),
    about(
        "specialisation_choices",
        "student_id",
        Student,
        Blank(&["options", "choice", "motivation"]),
    ),
    about(
        "outflow_records",
        "student_id",
        Student,
        Blank(&["destination_detail", "exit_reflection"]),
    ),
    about("support_flags", "student_id", Student, Blank(&["note"])),
    about("guidance_summary", "student_id", Student, Keep),
    about("placements", "student_id", Student, Keep),
    about(
        "conversations",
        "person_id",
        User,
        Blank(&["location", "question", "summary", "private_notes"]),
    ),
    about("agreements", "person_id", User, Blank(&["description"])),
    about("group_attendance", "person_id", User, Keep),
    about("self_assessments", "person_id", User, Keep),
    about("reflections", "person_id", User, Delete),
    about("goals", "person_id", User, Delete),
    about("evidence", "person_id", User, Delete),
    about("competence_signoffs", "person_id", User, Keep),
    about("practice_conversations", "person_id", User, Delete),
    about("activity_designs", "person_id", User, Delete),
    about("activity_completions", "person_id", User, Keep),
    about("credentials", "person_id", User, Delete),
    about("review_requests", "owner_id", User, Blank(&["message"])),
    about("scan_invitations", "user_id", User, Keep),
    about("team_members", "user_id", User, Delete),
    about("development_plans", "user_id", User, Blank(&["ambition"])),
    about("development_items", "user_id", User, Blank(&["title"])),
    about(
        "development_progress",
        "user_id",
        User,
        Blank(&["note", "link"]),
    ),
    about(
        "appraisals",
        "user_id",
        User,
        Blank(&["performance", "career_development", "employee_comment"]),
    ),
    about("hr_records", "user_id", User, Blank(&["notes"])),
    about("partner_members", "user_id", User, Delete),
    about(
        "partner_invitations",
        "user_id",
        User,
        Blank(&["email", "name"]),
    ),
    about("offer_enrolments", "user_id", User, Blank(&["comment"])),
    about("import_runs", "user_id", User, Keep),
    actor("students", "counsellor_id"),
    actor("counsellor_history", "counsellor_id"),
    actor("counsellor_history", "changed_by"),
    actor("stand_ins", "counsellor_id"),
    actor("stand_ins", "stand_in_id"),
    actor("stand_ins", "created_by"),
    actor("phase_transitions", "recorded_by"),
    actor("group_sessions", "guide_id"),
    actor("conversations", "guide_id"),
    actor("conversations", "created_by"),
    actor("slots", "guide_id"),
    actor("outflow_records", "recorded_by"),
    actor("support_flags", "counsellor_id"),
    actor("frameworks", "created_by"),
    actor("activities", "created_by"),
    actor("review_requests", "reviewer_id"),
    actor("feedback", "author_id"),
    actor("competence_signoffs", "signed_by"),
    actor("scan_rounds", "created_by"),
    actor("improvement_actions", "created_by"),
    actor("improvement_actions", "owner_id"),
    actor("teams", "manager_id"),
    actor("development_plans", "agreed_by"),
    actor("development_progress", "author_id"),
    actor("appraisals", "manager_id"),
    actor("hr_records", "created_by"),
    actor("partnerships", "institute_coordinator_id"),
    actor("partnerships", "school_coordinator_id"),
    actor("partner_invitations", "invited_by"),
    actor("placements", "mentor_id"),
    actor("placements", "created_by"),
    actor("placement_tasks", "assessed_by"),
    actor("field_needs", "submitted_by"),
    actor("vision_versions", "adopted_by"),
    actor("vision_versions", "created_by"),
    actor("indicator_targets", "set_by"),
    actor("lob_self_scans", "created_by"),
    actor("activity_completions", "completed_by"),
];

/// Columns never exported: secrets and stored files (their name and size are).
const NOT_EXPORTED: &[&str] = &[
    "password_hash",
    "token_hash",
    "csrf_token",
    "secret",
    "code_hash",
    "token",
    "data",
    "content",
    "payload",
    // A counsellor's own working notes are not part of the file (they are the counsellor's
    // memory aid); erasure blanks them all the same.
    "private_notes",
];

/// A row as JSON: each column as a number, text, or null.
fn row_json(r: &sqlx::any::AnyRow) -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    for (i, c) in r.columns().iter().enumerate() {
        if NOT_EXPORTED.contains(&c.name()) {
            continue;
        }
        let v = if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
            v.map_or(serde_json::Value::Null, Into::into)
        } else if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
            v.map_or(serde_json::Value::Null, Into::into)
        } else if let Ok(v) = r.try_get::<Option<String>, _>(i) {
            v.map_or(serde_json::Value::Null, Into::into)
        } else if let Ok(v) = r.try_get::<Option<bool>, _>(i) {
            v.map_or(serde_json::Value::Null, Into::into)
        } else {
            serde_json::Value::Null
        };
        m.insert(c.name().to_owned(), v);
    }
    m
}

/// The tenant condition for a table (`$1` the person's key, `$2` the institution). Recovery
/// codes have no institution column of their own: their user's is checked.
fn scope(table: &str) -> &'static str {
    if table == "totp_recovery_codes" {
        "EXISTS (SELECT 1 FROM users u WHERE u.id = $1 AND u.institution_id = $2)"
    } else {
        "institution_id = $2"
    }
}

/// The student record ids of a user (none for staff).
async fn student_ids(t: Tenant<'_>, user_id: &str) -> Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM students WHERE user_id = $1 AND institution_id = $2")
            .bind(user_id)
            .bind(t.institution_id)
            .fetch_all(t.pool())
            .await?;
    Ok(rows.into_iter().map(|r| r.0).collect())
}

/// Everything kept about a person, by table (AVG art. 15): the account, then every place in
/// [`HOLDINGS`] that is about them, then the audit log's events by and about them.
pub async fn export(t: Tenant<'_>, user_id: &str) -> Result<serde_json::Value> {
    let account = sqlx::query(
        "SELECT id, email, name, locale, active, created_at FROM users WHERE id = $1 AND institution_id = $2",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .fetch_optional(t.pool())
    .await?
    .ok_or(crate::StoreError::NotFound)?;
    let students = student_ids(t, user_id).await?;
    let mut tables = serde_json::Map::new();
    for h in HOLDINGS.iter().filter(|h| h.about) {
        let keys: Vec<&str> = match h.key {
            User => vec![user_id],
            Student => students.iter().map(String::as_str).collect(),
        };
        let mut rows = Vec::new();
        for k in keys {
            let sql = format!(
                "SELECT * FROM {} WHERE {} = $1 AND {}",
                h.table,
                h.column,
                scope(h.table)
            );
            for r in sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(k)
                .bind(t.institution_id)
                .fetch_all(t.pool())
                .await?
            {
                rows.push(serde_json::Value::Object(row_json(&r)));
            }
        }
        if !rows.is_empty() {
            let entry = tables
                .entry(h.table.to_owned())
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let serde_json::Value::Array(a) = entry {
                a.extend(rows);
            }
        }
    }
    // Placement tasks hang off the student's placements.
    let tasks = sqlx::query(
        "SELECT pt.* FROM placement_tasks pt JOIN placements p ON p.id = pt.placement_id \
         JOIN students s ON s.id = p.student_id WHERE s.user_id = $1 AND pt.institution_id = $2",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    if !tasks.is_empty() {
        tables.insert(
            "placement_tasks".into(),
            tasks
                .iter()
                .map(|r| serde_json::Value::Object(row_json(r)))
                .collect(),
        );
    }
    let audit = sqlx::query(
        "SELECT at, actor_id, action, subject_type, subject_id, ip FROM audit_events \
         WHERE institution_id = $1 AND (actor_id = $2 OR person_id = $2) ORDER BY at",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .fetch_all(t.pool())
    .await?;
    if !audit.is_empty() {
        tables.insert(
            "audit_events".into(),
            audit
                .iter()
                .map(|r| serde_json::Value::Object(row_json(r)))
                .collect(),
        );
    }
    Ok(serde_json::json!({
        "exported_at": now_ms(),
        "account": serde_json::Value::Object(row_json(&account)),
        "tables": tables,
    }))
}

/// What erasure did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased {
    pub rows_deleted: u64,
    pub rows_blanked: u64,
}

/// Erase a person (AVG art. 17): the account and student record are anonymised and switched
/// off, what they wrote or what was written about them is removed or blanked, their sessions
/// and factors end, mail to them and failed logins with their address go, and the audit log's
/// personal fields about them are blanked (the chain still verifies). One transaction: all or
/// nothing.
pub async fn erase(t: Tenant<'_>, user_id: &str) -> Result<Erased> {
    let email: Option<(String,)> =
        sqlx::query_as("SELECT email FROM users WHERE id = $1 AND institution_id = $2")
            .bind(user_id)
            .bind(t.institution_id)
            .fetch_optional(t.pool())
            .await?;
    let Some((email,)) = email else {
        return Err(crate::StoreError::NotFound);
    };
    let students = student_ids(t, user_id).await?;
    let mut done = Erased::default();
    let mut tx = t.db.begin().await?;
    // Placement tasks: the student's own notes.
    let r = sqlx::query(
        "UPDATE placement_tasks SET student_note = '' WHERE institution_id = $1 AND placement_id IN \
         (SELECT p.id FROM placements p JOIN students s ON s.id = p.student_id WHERE s.user_id = $2)",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    done.rows_blanked += r.rows_affected();
    for h in HOLDINGS.iter().filter(|h| h.about) {
        let keys: Vec<&str> = match h.key {
            User => vec![user_id],
            Student => students.iter().map(String::as_str).collect(),
        };
        for k in keys {
            match h.erase {
                Delete => {
                    let sql = format!(
                        "DELETE FROM {} WHERE {} = $1 AND {}",
                        h.table,
                        h.column,
                        scope(h.table)
                    );
                    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(k)
                        .bind(t.institution_id)
                        .execute(&mut *tx)
                        .await?;
                    done.rows_deleted += r.rows_affected();
                }
                Blank(cols) => {
                    let set = cols
                        .iter()
                        .map(|c| format!("{c} = ''"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let sql = format!(
                        "UPDATE {} SET {set} WHERE {} = $1 AND institution_id = $2",
                        h.table, h.column
                    );
                    let r = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(k)
                        .bind(t.institution_id)
                        .execute(&mut *tx)
                        .await?;
                    done.rows_blanked += r.rows_affected();
                }
                Keep => {}
            }
        }
    }
    let short = &user_id[user_id.len().saturating_sub(8)..];
    sqlx::query(
        "UPDATE students SET given_name = '', name_prefix = '', family_name = $3, student_number = $4 \
         WHERE user_id = $1 AND institution_id = $2",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .bind(ERASED_NAME)
    .bind(format!("gewist-{short}"))
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE users SET name = $3, email = $4, password_hash = NULL, locale = NULL, active = 0, \
         deactivated_at = COALESCE(deactivated_at, $5), erased_at = $5 WHERE id = $1 AND institution_id = $2",
    )
    .bind(user_id)
    .bind(t.institution_id)
    .bind(ERASED_NAME)
    .bind(format!("gewist-{user_id}@erased.invalid"))
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    let r =
        sqlx::query("DELETE FROM outbox WHERE institution_id = $1 AND lower(to_email) = lower($2)")
            .bind(t.institution_id)
            .bind(&email)
            .execute(&mut *tx)
            .await?;
    done.rows_deleted += r.rows_affected();
    let r = sqlx::query("DELETE FROM login_failures WHERE email = $1")
        .bind(&email)
        .execute(&mut *tx)
        .await?;
    done.rows_deleted += r.rows_affected();
    let r = sqlx::query(
        "UPDATE audit_events SET actor_email = NULL, ip = NULL, details = '{\"erased\":true}', salt = NULL \
         WHERE institution_id = $1 AND (actor_id = $2 OR person_id = $2 OR subject_id = $2 OR subject_id IN \
         (SELECT id FROM students WHERE user_id = $2))",
    )
    .bind(t.institution_id)
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    done.rows_blanked += r.rows_affected();
    tx.commit().await?;
    Ok(done)
}

/// The name an erased person is shown with.
pub const ERASED_NAME: &str = "Gewiste persoon";

#[cfg(test)]
mod tests {
    use super::HOLDINGS;

    /// Every column that refers to a user or a student (found from the schema's foreign keys,
    /// after all migrations) is in [`HOLDINGS`], so export and erasure miss nothing.
    #[tokio::test]
    async fn every_reference_to_a_person_is_listed() {
        let dir = std::env::temp_dir().join(format!("koers-pd-{}", koers_domain::new_id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = crate::Db::connect(&format!("sqlite://{}", dir.join("t.db").display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let refs: Vec<(String, String)> = sqlx::query_as(
            "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table' AND f.\"table\" IN ('users', 'students') AND m.name <> 'audit_events'",
        )
        .fetch_all(db.pool())
        .await
        .unwrap();
        assert!(refs.len() > 60, "the schema was read: {}", refs.len());
        let missing: Vec<_> = refs
            .iter()
            .filter(|(t, c)| !HOLDINGS.iter().any(|h| h.table == t && h.column == c))
            .collect();
        assert!(
            missing.is_empty(),
            "not in personal_data::HOLDINGS: {missing:?}"
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
