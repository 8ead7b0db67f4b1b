//! Telling people what happened: an in-app notification (the bell) and the same message as
//! mail in the outbox, in the recipient's own language.

use crate::error::WebResult;
use crate::i18n::{Locale, Tr};
use crate::state::AppState;

use koers_store::Tenant;
use koers_store::guidance::conversations::Conversation;
use koers_store::platform::notifications::{self, Mail, NewNotification};

/// The language a person reads in.
async fn tr_of(t: Tenant<'_>, user_id: &str) -> WebResult<Option<(Tr, String, String)>> {
    Ok(koers_store::platform::users::get(t, user_id)
        .await?
        .filter(|u| u.active)
        .map(|u| {
            let tr = Tr(u
                .locale
                .as_deref()
                .and_then(Locale::parse)
                .unwrap_or_default());
            (tr, u.email, u.name)
        }))
}

/// A conversation was planned for a person by someone else: they hear of it, with the
/// calendar file attached to the mail.
pub async fn conversation_planned(
    state: &AppState,
    institution_id: &str,
    c: &Conversation,
) -> WebResult<()> {
    about_conversation(state.db(), institution_id, c, Kind::Planned).await?;
    state.wake_mailer();
    Ok(())
}

/// The weekly digest of overdue agreements (each person at most once a week, whichever
/// instance; those who turned it off on their account page get none). Returns how many
/// digests went out.
pub async fn send_digests(db: &koers_store::Db, today: jiff::civil::Date) -> WebResult<usize> {
    use koers_store::guidance::digests;
    let today_s = today.to_string();
    let week_ago = today
        .checked_sub(jiff::Span::new().days(7))
        .map_err(|e| crate::error::WebError::Internal(e.to_string()))?
        .to_string();
    let mut sent = 0;
    for (institution, user_id) in digests::due(db, &today_s, &week_ago).await? {
        let t = Tenant::new(db, &institution);
        if !digests::claim(t, &user_id, &today_s, &week_ago).await? {
            continue;
        }
        let Some((tr, email, name)) = tr_of(t, &user_id).await? else {
            continue;
        };
        let items = digests::overdue_for(t, &user_id, &today_s).await?;
        if items.is_empty() {
            continue;
        }
        let title = tr.tn("notify-digest-title", "count", items.len() as i64);
        let body = tr.t("notify-digest-body");
        let lines: Vec<String> = items
            .iter()
            .map(|o| {
                let due = tr.day_str(&o.due_on);
                if o.person_name.is_empty() {
                    format!("- {} ({due})", o.description)
                } else {
                    format!("- {}: {} ({due})", o.person_name, o.description)
                }
            })
            .collect();
        let mail_body = format!(
            "{body}\n\n{}\n\n{}\n",
            lines.join("\n"),
            tr.t("notify-digest-opt-out")
        );
        notifications::create(
            t,
            &NewNotification {
                user_id: &user_id,
                kind: "agreements_digest",
                title: &title,
                body: &body,
                link: "/home",
                mail: Some(Mail {
                    to_email: &email,
                    to_name: &name,
                    subject: &title,
                    body: &mail_body,
                    ics: None,
                }),
            },
        )
        .await?;
        sent += 1;
    }
    Ok(sent)
}

/// Who is invited, to what.
pub struct Invited<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub partner: &'a str,
    pub inviter: &'a str,
    /// The absolute activation address.
    pub link: &'a str,
    pub days: i64,
}

/// Mail an invitation to someone without an account. Their language is not known yet, so
/// the mail is in Dutch with English below it.
pub async fn invitation(state: &AppState, t: Tenant<'_>, i: &Invited<'_>) -> WebResult<()> {
    let institution = koers_store::platform::institutions::get(t).await?;
    let text = |tr: Tr| {
        (
            tr.t1("mail-invitation-subject", "institution", &institution.name),
            format!(
                "{}\n\n{}\n\n{}\n",
                tr.ts(
                    "mail-invitation-body",
                    &[
                        ("institution", &institution.name),
                        ("partner", i.partner),
                        ("inviter", i.inviter),
                    ]
                ),
                i.link,
                tr.tn("mail-invitation-expires", "days", i.days)
            ),
        )
    };
    let (nl_subject, nl_body) = text(Tr(Locale::Nl));
    let (en_subject, en_body) = text(Tr(Locale::En));
    let subject = format!("{nl_subject} / {en_subject}");
    let body = format!("{nl_body}\n---\n\n{en_body}");
    notifications::queue_mail(
        t,
        "invitation",
        &Mail {
            to_email: i.email,
            to_name: i.name,
            subject: &subject,
            body: &body,
            ics: None,
        },
    )
    .await?;
    state.wake_mailer();
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Planned,
    Reminder,
}

/// Remind people of their planned conversations that start within a day (once each, also with
/// several instances). Returns how many reminders went out.
pub async fn send_reminders(db: &koers_store::Db, now_ms: i64) -> WebResult<usize> {
    let due =
        koers_store::guidance::conversations::due_for_reminder(db, now_ms, now_ms + 24 * 3_600_000)
            .await?;
    let mut sent = 0;
    for (institution, id) in due {
        let t = Tenant::new(db, &institution);
        if !koers_store::guidance::conversations::claim_reminder(t, &id).await? {
            continue;
        }
        if let Some(c) = koers_store::guidance::conversations::get(t, &id).await? {
            about_conversation(db, &institution, &c, Kind::Reminder).await?;
            sent += 1;
        }
    }
    Ok(sent)
}

async fn about_conversation(
    db: &koers_store::Db,
    institution_id: &str,
    c: &Conversation,
    kind: Kind,
) -> WebResult<()> {
    let t = Tenant::new(db, institution_id);
    let Some(start) = c.starts_at else {
        return Ok(());
    };
    let Some((tr, email, name)) = tr_of(t, &c.person_id).await? else {
        return Ok(());
    };
    let when = tr.datetime(&start);
    let guide = c.guide_name.clone().unwrap_or_default();
    let (key, title, body) = match kind {
        Kind::Planned => (
            "conversation_planned",
            tr.t1("notify-planned-title", "when", &when),
            tr.t1("notify-planned-body", "guide", &guide),
        ),
        Kind::Reminder => (
            "conversation_reminder",
            tr.t1("notify-reminder-title", "when", &when),
            tr.t1("notify-reminder-body", "guide", &guide),
        ),
    };
    let texts = crate::calendar_feed::event_texts(c, &tr);
    let ics = koers_domain::guidance::ics::calendar(&crate::calendar_feed::event(c, start, &texts));
    let link = match c.context {
        koers_domain::guidance::conversation::Context::Staff => {
            format!("/staff-conversations/{}", c.id)
        }
        koers_domain::guidance::conversation::Context::Student => {
            format!("/conversations/{}", c.id)
        }
    };
    let mail_body = format!(
        "{body}\n\n{}: {when}\n{}\n",
        tr.t("notify-when"),
        c.location
    );
    notifications::create(
        t,
        &NewNotification {
            user_id: &c.person_id,
            kind: key,
            title: &title,
            body: &body,
            link: &link,
            mail: Some(Mail {
                to_email: &email,
                to_name: &name,
                subject: &title,
                body: &mail_body,
                ics: Some(&ics),
            }),
        },
    )
    .await?;
    Ok(())
}
