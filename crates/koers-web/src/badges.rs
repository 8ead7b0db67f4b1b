//! Open Badges: when every competence of a framework is signed off for a student, Koers
//! issues an Open Badges 3.0 credential, signed with the institution's key, in the
//! student's language, and tells the student (bell and mail).

use crate::error::{WebError, WebResult};
use crate::i18n::{Locale, Tr};
use koers_credentials::{Achievement, Alignment, IssuerKey, Unsigned};
use koers_store::platform::notifications::{self, Mail, NewNotification};
use koers_store::{Db, Tenant, credentials, curriculum::frameworks};
use sha2::{Digest, Sha256};

/// The key that signs for the institution, made on first use.
pub async fn signing_key(t: Tenant<'_>) -> WebResult<IssuerKey> {
    if let Some((did, jwk)) = credentials::active_key(t).await? {
        return Ok(IssuerKey { did, jwk });
    }
    rotate_key(t).await
}

/// A new signing key; credentials signed before stay valid (a did:key carries its key).
pub async fn rotate_key(t: Tenant<'_>) -> WebResult<IssuerKey> {
    let key = IssuerKey::generate().map_err(|e| WebError::Internal(e.to_string()))?;
    credentials::add_key(t, &key.did, &key.jwk).await?;
    Ok(key)
}

/// A stable pseudonym for the student in credentials: no name, email or internal id leaves
/// Koers, yet every credential of one student names the same subject.
pub fn subject_id(institution_id: &str, person_id: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"koers-credential-subject\0")
        .chain_update(institution_id.as_bytes())
        .chain_update(b"\0")
        .chain_update(person_id.as_bytes())
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format!(
        "urn:uuid:{}",
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    )
}

/// What a credential is issued for.
struct Due {
    kind: &'static str,
    source_id: String,
    achievement: Achievement,
}

/// Every framework completed and every designated activity done since the last time.
async fn due(t: Tenant<'_>, person_id: &str, tr: &Tr, base: &str) -> WebResult<Vec<Due>> {
    let lang = tr.lang();
    let mut out = Vec::new();
    for framework_id in credentials::completed_frameworks(t, person_id).await? {
        let Some(f) = frameworks::by_id(t, &framework_id).await? else {
            continue;
        };
        let name = f.framework.name.get(lang).to_owned();
        let description = match f.framework.description.get(lang) {
            "" => tr.t1("credential-description", "framework", &name),
            d => d.to_owned(),
        };
        out.push(Due {
            kind: credentials::FRAMEWORK,
            achievement: Achievement {
                id: format!("urn:uuid:{framework_id}"),
                criteria: tr.t1("credential-criteria-text", "framework", &name),
                name,
                description,
                alignments: f
                    .framework
                    .competences
                    .iter()
                    .map(|c| Alignment {
                        name: c.name.get(lang).to_owned(),
                        url: format!("{base}/frameworks/{}#c-{}", f.summary.key, c.key),
                        code: c.key.clone(),
                    })
                    .collect(),
            },
            source_id: framework_id,
        });
    }
    for activity_id in credentials::completed_activities(t, person_id).await? {
        let Some(a) = credentials::activity_info(t, &activity_id).await? else {
            continue;
        };
        let description = if a.description.trim().is_empty() {
            tr.ts(
                "credential-activity-description",
                &[("activity", &a.title), ("programme", &a.programme)],
            )
        } else {
            a.description.clone()
        };
        out.push(Due {
            kind: credentials::ACTIVITY,
            achievement: Achievement {
                id: format!("urn:uuid:{activity_id}"),
                criteria: tr.ts(
                    "credential-activity-criteria",
                    &[("activity", &a.title), ("programme", &a.programme)],
                ),
                name: a.title.clone(),
                description,
                alignments: a
                    .competences
                    .iter()
                    .map(|(framework, key, nl, en)| Alignment {
                        name: if lang == "en" && !en.is_empty() {
                            en
                        } else {
                            nl
                        }
                        .clone(),
                        url: format!("{base}/frameworks/{framework}#c-{key}"),
                        code: key.clone(),
                    })
                    .collect(),
            },
            source_id: activity_id,
        });
    }
    Ok(out)
}

/// Issue a credential for every framework the student completed, and every designated
/// activity they finished, since the last time. `base_url` is Koers's public address (for
/// links in the credential). Returns how many credentials were issued.
pub async fn award_completed(
    db: &Db,
    institution_id: &str,
    person_id: &str,
    base_url: &str,
) -> WebResult<usize> {
    let t = Tenant::new(db, institution_id);
    let Some(student) = koers_store::platform::users::get(t, person_id).await? else {
        return Ok(0);
    };
    let tr = Tr(student
        .locale
        .as_deref()
        .and_then(Locale::parse)
        .unwrap_or_default());
    let base = base_url.trim_end_matches('/');
    let due = due(t, person_id, &tr, base).await?;
    if due.is_empty() {
        return Ok(0);
    }
    let institution = koers_store::platform::institutions::get(t).await?;
    let key = signing_key(t).await?;
    let mut issued = 0;
    for d in due {
        let id = koers_domain::new_id();
        let now = jiff::Timestamp::now().as_second();
        let name = d.achievement.name.clone();
        let unsigned = Unsigned {
            id: id.clone(),
            issuer_name: institution.name.clone(),
            issuer_url: Some(base.to_owned()),
            subject_id: subject_id(institution_id, person_id),
            valid_from: jiff::Timestamp::from_second(now)
                .map_err(|e| WebError::Internal(e.to_string()))?
                .to_string(),
            achievement: d.achievement,
        };
        let document = koers_credentials::issue(&unsigned, &key)
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?;
        let inserted = credentials::insert(
            t,
            &credentials::NewCredential {
                id: &id,
                person_id,
                source_kind: d.kind,
                source_id: &d.source_id,
                name: &name,
                document: &document.to_string(),
            },
        )
        .await?;
        if !inserted {
            continue;
        }
        issued += 1;
        if student.active {
            let title = tr.t1("notify-credential-title", "name", &name);
            let body = tr.t("notify-credential-body");
            let mail_body = format!("{body}\n\n{base}/verify/{id}\n");
            notifications::create(
                t,
                &NewNotification {
                    user_id: person_id,
                    kind: "credential_issued",
                    title: &title,
                    body: &body,
                    link: "/credentials",
                    mail: Some(Mail {
                        to_email: &student.email,
                        to_name: &student.name,
                        subject: &title,
                        body: &mail_body,
                        ics: None,
                    }),
                },
            )
            .await?;
        }
    }
    Ok(issued)
}

/// After a sign-off or a recorded completion: issue what the people have earned. The change
/// that earned it stands even when issuing fails (that is logged, and tried again at the
/// next change); the mailer is woken for the badge mails.
pub async fn award_after_change(
    state: &crate::state::AppState,
    headers: &axum::http::HeaderMap,
    institution_id: &str,
    people: &[String],
) {
    let base = crate::calendar_feed::absolute(state, headers, "");
    let mut issued = 0;
    for p in people {
        match award_completed(state.db(), institution_id, p, &base).await {
            Ok(n) => issued += n,
            Err(e) => tracing::error!(error = %e, "issuing a credential failed"),
        }
    }
    if issued > 0 {
        state.wake_mailer();
    }
}

/// Issue what is due for everyone with a sign-off (the demo uses it after seeding; it reads
/// every sign-off, so it is not for large institutions' request paths).
pub async fn award_all_completed(db: &Db, base_url: &str) -> WebResult<usize> {
    let people: Vec<(String, String)> = credentials::people_with_signoffs(db).await?;
    let mut issued = 0;
    for (institution_id, person_id) in people {
        issued += award_completed(db, &institution_id, &person_id, base_url).await?;
    }
    Ok(issued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subject_is_a_stable_pseudonym() {
        let a = subject_id("inst", "person-1");
        assert_eq!(a, subject_id("inst", "person-1"));
        assert_ne!(a, subject_id("inst", "person-2"));
        assert_ne!(a, subject_id("other", "person-1"));
        assert!(a.starts_with("urn:uuid:") && !a.contains("person"));
        assert!(uuid::Uuid::parse_str(&a["urn:uuid:".len()..]).is_ok());
    }
}
