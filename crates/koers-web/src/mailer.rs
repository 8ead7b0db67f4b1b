//! Sending the outbox by SMTP (STARTTLS, with credentials when configured). Mail is made in the
//! outbox first, in the same transaction as what it is about; this sender takes it from there,
//! so a mail server that is down delays mail but loses none (five tries, the error kept).

use crate::state::{AppState, SmtpConfig};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

const MAX_ATTEMPTS: i64 = 5;

fn transport(c: &SmtpConfig) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let builder = if c.starttls {
        AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&c.host).map_err(|e| e.to_string())?
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&c.host)
    };
    let builder = builder.port(c.port).timeout(Some(Duration::from_secs(20)));
    let builder = match (&c.username, &c.password) {
        (Some(u), Some(p)) => builder.credentials(Credentials::new(u.clone(), p.clone())),
        _ => builder,
    };
    Ok(builder.build())
}

fn message(
    from: &Mailbox,
    m: &koers_store::platform::notifications::Pending,
) -> Result<Message, String> {
    let to = Mailbox::new(
        (!m.to_name.is_empty()).then(|| m.to_name.clone()),
        m.to_email.parse().map_err(|e| format!("address: {e}"))?,
    );
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject.clone());
    let text = SinglePart::plain(m.body.clone());
    let built = match &m.ics {
        Some(ics) => builder.multipart(
            MultiPart::mixed().singlepart(text).singlepart(
                Attachment::new("loopbaangesprek.ics".to_owned()).body(
                    ics.clone(),
                    ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                        .map_err(|e| e.to_string())?,
                ),
            ),
        ),
        None => builder.singlepart(text),
    };
    built.map_err(|e| e.to_string())
}

/// Send what waits in the outbox; returns how many went out.
pub async fn send_pending(state: &AppState) -> usize {
    let Some(c) = state.config().smtp.clone() else {
        return 0;
    };
    let from: Mailbox = match c.from.parse() {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(error = %e, "the configured sender address is not valid");
            return 0;
        }
    };
    let pending =
        match koers_store::platform::notifications::claim_pending(state.db(), 100, MAX_ATTEMPTS)
            .await
        {
            Ok(p) => p,
            Err(e) => {
                tracing::warn!(error = %e, "reading the outbox failed");
                return 0;
            }
        };
    if pending.is_empty() {
        return 0;
    }
    let mailer = match transport(&c) {
        Ok(t) => t,
        Err(e) => {
            tracing::warn!(error = %e, "the mail server setting is not valid");
            return 0;
        }
    };
    let mut sent = 0;
    for m in pending {
        let result = match message(&from, &m) {
            Ok(msg) => mailer
                .send(msg)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        let error = result.err();
        if let Some(e) = &error {
            tracing::warn!(mail = %m.id, error = %e, "sending a mail failed");
        } else {
            sent += 1;
        }
        if let Err(e) =
            koers_store::platform::notifications::mark_sent(state.db(), &m.id, error.as_deref())
                .await
        {
            tracing::warn!(error = %e, "recording a sent mail failed");
        }
    }
    sent
}

/// Run the sender: when woken by new mail, and every 30 seconds for retries.
pub async fn run(state: AppState) {
    loop {
        let _ = tokio::time::timeout(Duration::from_secs(30), state.mail_queued()).await;
        let n = send_pending(&state).await;
        if n > 0 {
            tracing::info!(mails = n, "mail sent");
        }
    }
}
