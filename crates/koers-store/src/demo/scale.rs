//! Generated data beyond the named demo people, in proportion to the generated students, so
//! the bench (issue "Scale") measures an institution of realistic shape: one employee per ten
//! students, with their anonymous answers to the closed HRM-scan round (seven in ten answered),
//! an invitation to the open round and a held career conversation each; two pieces of
//! evidence per generated student; and a placement at a partner school for every generated
//! student from the third study year on, at generated mbo schools.
//!
//! Written in blocks of multi-row inserts, and evidence and placements as one
//! `INSERT … SELECT` each, so 1,000,000 students stay minutes, not hours.

use super::{email_local, name_parts};
use crate::{Result, Tenant, now_ms};
use koers_domain::guidance::import::display_name;

/// Generated employees per generated student.
pub const STAFF_PER_STUDENT: u64 = 10;
/// Generated students have numbers from here (the named demo students are below).
const FIRST_GENERATED_NUMBER: i64 = 600_000;

pub(super) struct ScalePeople<'a> {
    /// The guide of the generated employees' career conversations.
    pub manager: &'a str,
    pub students: u64,
}

pub(super) async fn seed(t: Tenant<'_>, p: &ScalePeople<'_>) -> Result<()> {
    staff(t, p).await?;
    evidence(t).await?;
    placements(t, p.students).await?;
    Ok(())
}

struct Employee {
    id: String,
    email: String,
    name: String,
    role: &'static str,
    programme_id: Option<String>,
    answered: bool,
}

async fn staff(t: Tenant<'_>, p: &ScalePeople<'_>) -> Result<()> {
    let n = p.students / STAFF_PER_STUDENT;
    if n == 0 {
        return Ok(());
    }
    let slug = crate::platform::institutions::get(t).await?.slug;
    let programmes: Vec<String> =
        sqlx::query_scalar("SELECT id FROM programmes WHERE institution_id = $1 ORDER BY code")
            .bind(t.institution_id)
            .fetch_all(t.pool())
            .await?;
    let rounds: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, status FROM scan_rounds WHERE institution_id = $1 ORDER BY created_at",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    let closed = rounds.iter().find(|(_, s)| s == "closed").map(|(id, _)| id);
    let open = rounds.iter().find(|(_, s)| s == "open").map(|(id, _)| id);
    let items: Vec<String> = crate::staff::scans::current_instrument(t)
        .await?
        .instrument
        .items
        .into_iter()
        .map(|i| i.key)
        .collect();
    let now = now_ms();
    let held = now - 120 * 24 * 3600 * 1000;
    let mut tx = t.db.begin().await?;
    const BLOCK: u64 = 1000;
    let mut done = 0;
    let mut answered_total = 0u64;
    while done < n {
        let first = done;
        let people: Vec<Employee> = (done..(done + BLOCK).min(n))
            .map(|i| {
                let (given, prefix, family) = name_parts(i + 3);
                let lecturer = i % 3 != 2;
                Employee {
                    id: koers_domain::new_id(),
                    email: format!("{}.{i}@personeel.{slug}.koers.test", email_local(i + 3)),
                    name: display_name(given, prefix, family),
                    role: if lecturer { "lecturer" } else { "employee" },
                    programme_id: (lecturer && !programmes.is_empty())
                        .then(|| programmes[(i as usize) % programmes.len()].clone()),
                    answered: i % 10 < 7,
                }
            })
            .collect();
        done += people.len() as u64;
        answered_total += people.iter().filter(|e| e.answered).count() as u64;
        let inst = t.institution_id;
        insert_rows!(
            &mut *tx,
            "INSERT INTO users (id, institution_id, email, name, password_hash, locale, active, created_at, updated_at)",
            "(?, ?, ?, ?, NULL, NULL, 1, ?, ?)",
            people,
            |q, e| q
                .bind(&e.id)
                .bind(inst)
                .bind(&e.email)
                .bind(&e.name)
                .bind(now)
                .bind(now)
        );
        insert_rows!(
            &mut *tx,
            "INSERT INTO role_assignments (id, institution_id, user_id, role, programme_id, created_at)",
            "(?, ?, ?, ?, ?, ?)",
            people,
            |q, e| q
                .bind(koers_domain::new_id())
                .bind(inst)
                .bind(&e.id)
                .bind(e.role)
                .bind(e.programme_id.as_deref())
                .bind(now)
        );
        insert_rows!(
            &mut *tx,
            "INSERT INTO conversations (id, institution_id, context, person_id, guide_id, phase, status, origin, starts_at, \
             duration_minutes, location, summary, private_notes, competencies, reported_at, created_by, created_at, updated_at)",
            "(?, ?, 'staff', ?, ?, NULL, 'held', 'scheduled', ?, 45, '', 'Jaarlijks loopbaangesprek.', '', '', ?, ?, ?, ?)",
            people,
            |q, e| q
                .bind(koers_domain::new_id())
                .bind(inst)
                .bind(&e.id)
                .bind(p.manager)
                .bind(held)
                .bind(held)
                .bind(p.manager)
                .bind(now)
                .bind(now)
        );
        for (round, answered) in [(closed, true), (open, false)] {
            let Some(round) = round else { continue };
            insert_rows!(
                &mut *tx,
                "INSERT INTO scan_invitations (round_id, user_id, institution_id, respondent_group, responded)",
                "(?, ?, ?, 'staff', ?)",
                people,
                |q, e| q
                    .bind(round.as_str())
                    .bind(&e.id)
                    .bind(inst)
                    .bind(i64::from(answered && e.answered))
            );
        }
        if let Some(round) = closed {
            let answers: Vec<(String, String)> = people
                .iter()
                .enumerate()
                .filter(|(_, e)| e.answered)
                .map(|(k, _)| {
                    let k = k as u64 + first;
                    let mut a = serde_json::Map::new();
                    for (j, item) in items.iter().enumerate() {
                        let v = ((k + j as u64) % 4 + 1) as i64;
                        a.insert(item.clone(), v.into());
                    }
                    let comments = if k.is_multiple_of(25) {
                        serde_json::json!({"guidance": "Meer tijd voor loopbaangesprekken, graag."})
                    } else {
                        serde_json::json!({})
                    };
                    (
                        serde_json::Value::Object(a).to_string(),
                        comments.to_string(),
                    )
                })
                .collect();
            insert_rows!(
                &mut *tx,
                "INSERT INTO scan_responses (id, round_id, institution_id, respondent_group, answers, comments)",
                "(?, ?, ?, 'staff', ?, ?)",
                answers,
                |q, a| q
                    .bind(koers_domain::random_id())
                    .bind(round.as_str())
                    .bind(inst)
                    .bind(&a.0)
                    .bind(&a.1)
            );
        }
    }
    for (round, answered) in [(closed, true), (open, false)] {
        let Some(round) = round else { continue };
        let answers = if answered { answered_total } else { 0 };
        sqlx::query(
            "UPDATE scan_rounds SET invited = invited + $2, responded = responded + $3 WHERE id = $1",
        )
        .bind(round.as_str())
        .bind(n as i64)
        .bind(answers as i64)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Two pieces of evidence per generated student, on the first two competences of the
/// institution's first framework.
async fn evidence(t: Tenant<'_>) -> Result<()> {
    let competences: Vec<String> = sqlx::query_scalar(
        "SELECT c.id FROM competences c JOIN frameworks f ON f.id = c.framework_id \
         WHERE c.institution_id = $1 ORDER BY f.key, c.position LIMIT 2",
    )
    .bind(t.institution_id)
    .fetch_all(t.pool())
    .await?;
    let now = now_ms();
    for (k, competence) in competences.iter().enumerate() {
        sqlx::query(
            "INSERT INTO evidence (id, institution_id, person_id, competence_id, title, body, created_at, updated_at) \
             SELECT $2 || s.id, s.institution_id, s.user_id, $3, $4, '', $5, $5 FROM students s \
             WHERE s.institution_id = $1 AND CAST(s.student_number AS BIGINT) >= $6",
        )
        .bind(t.institution_id)
        .bind(format!("ev{k}-"))
        .bind(competence)
        .bind(if k == 0 {
            "Verslag van een oefengesprek"
        } else {
            "Ontwerp van een LOB-activiteit"
        })
        .bind(now - (k as i64 + 1) * 30 * 24 * 3600 * 1000)
        .bind(FIRST_GENERATED_NUMBER)
        .execute(t.pool())
        .await?;
    }
    Ok(())
}

/// A placement for each generated student from the third study year, spread by student
/// number over generated mbo schools (one per 2,000 students, none below that; the named
/// demo schools keep their own few placements).
async fn placements(t: Tenant<'_>, students: u64) -> Result<()> {
    let now = now_ms();
    let partners = (students / 2000).min(500);
    if partners == 0 {
        return Ok(());
    }
    for k in 0..partners {
        let id = koers_domain::new_id();
        sqlx::query(
            "INSERT INTO partners (id, institution_id, name, kind, city, brin, created_at) \
             VALUES ($1, $2, $3, 'mbo_school', 'Utrecht', '', $4)",
        )
        .bind(&id)
        .bind(t.institution_id)
        .bind(format!("Mbo-school {}", k + 1))
        .bind(now)
        .execute(t.pool())
        .await?;
    }
    let year = i64::from(koers_domain::vision::academic_year(
        koers_domain::time::today(),
    ));
    // One statement: each student's school by number (a loop per school would read every
    // student once per school).
    sqlx::query(
        "INSERT INTO placements (id, institution_id, student_id, partner_id, mentor_id, starts_on, ends_on, created_by, created_at) \
         SELECT 'pl-' || s.id, s.institution_id, s.id, p.id, NULL, $2, $3, NULL, $4 FROM students s \
         JOIN cohorts c ON c.id = s.cohort_id \
         JOIN partners p ON p.institution_id = s.institution_id \
           AND p.name = 'Mbo-school ' || (CAST(s.student_number AS BIGINT) % $7 + 1) \
         WHERE s.institution_id = $1 AND c.year <= $5 AND CAST(s.student_number AS BIGINT) >= $6",
    )
    .bind(t.institution_id)
    .bind(format!("{year}-09-01"))
    .bind(format!("{}-06-30", year + 1))
    .bind(now)
    .bind(year - 2)
    .bind(FIRST_GENERATED_NUMBER)
    .bind(partners as i64)
    .execute(t.pool())
    .await?;
    Ok(())
}
