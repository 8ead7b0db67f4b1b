//! Calendar files (RFC 5545) for guidance conversations, in Europe/Amsterdam with its
//! VTIMEZONE, so Outlook, Google Calendar and Apple Calendar place them at the right time.
//! A rescheduled or cancelled conversation keeps its UID and gets a higher SEQUENCE.

use crate::time::{local, timestamp};

/// One event to put in a calendar file.
#[derive(Debug, Clone)]
pub struct CalendarEvent<'a> {
    /// Stable for the life of the conversation (e.g. `<id>@<host>`).
    pub uid: &'a str,
    pub sequence: i64,
    /// When the file was made (epoch ms).
    pub stamp_ms: i64,
    pub start_ms: i64,
    pub duration_minutes: i64,
    pub summary: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub organizer: Option<(&'a str, &'a str)>,
    pub attendees: Vec<(&'a str, &'a str)>,
    pub cancelled: bool,
}

const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Amsterdam\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19810329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19961027T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

/// Escape a TEXT value (RFC 5545 §3.3.11).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Escape a parameter value (a common name): quoted, without quotes or controls inside.
fn param(s: &str) -> String {
    let inner: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    format!("\"{inner}\"")
}

/// Write one content line, folded at 75 octets without splitting a character (§3.1).
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn local_stamp(ms: i64) -> String {
    local(ms).strftime("%Y%m%dT%H%M%S").to_string()
}

fn utc_stamp(ms: i64) -> String {
    timestamp(ms).strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The whole calendar file for one event.
pub fn calendar(ev: &CalendarEvent<'_>) -> String {
    calendar_of(std::slice::from_ref(ev))
}

/// One calendar file holding several events (e.g. the sessions of a course). It cancels only
/// when every event is cancelled.
pub fn calendar_of(events: &[CalendarEvent<'_>]) -> String {
    let mut out = String::with_capacity(500 + 1000 * events.len());
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Koers//Koers LOB//NL");
    line(&mut out, "CALSCALE:GREGORIAN");
    let cancelled = !events.is_empty() && events.iter().all(|e| e.cancelled);
    line(
        &mut out,
        if cancelled {
            "METHOD:CANCEL"
        } else {
            "METHOD:PUBLISH"
        },
    );
    out.push_str(VTIMEZONE);
    for ev in events {
        push_event(&mut out, ev);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn push_event(out: &mut String, ev: &CalendarEvent<'_>) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:{}", escape(ev.uid)));
    line(out, &format!("SEQUENCE:{}", ev.sequence.max(0)));
    line(out, &format!("DTSTAMP:{}", utc_stamp(ev.stamp_ms)));
    line(
        out,
        &format!("DTSTART;TZID=Europe/Amsterdam:{}", local_stamp(ev.start_ms)),
    );
    let end = ev.start_ms + ev.duration_minutes.max(1) * 60_000;
    line(
        out,
        &format!("DTEND;TZID=Europe/Amsterdam:{}", local_stamp(end)),
    );
    line(out, &format!("SUMMARY:{}", escape(ev.summary)));
    if !ev.description.is_empty() {
        line(out, &format!("DESCRIPTION:{}", escape(ev.description)));
    }
    if !ev.location.is_empty() {
        line(out, &format!("LOCATION:{}", escape(ev.location)));
        if ev.location.starts_with("https://") && !ev.location.contains(char::is_whitespace) {
            line(out, &format!("URL:{}", ev.location));
        }
    }
    if let Some((name, email)) = ev.organizer {
        line(
            out,
            &format!("ORGANIZER;CN={}:mailto:{}", param(name), email),
        );
    }
    for (name, email) in &ev.attendees {
        line(
            out,
            &format!(
                "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT:mailto:{}",
                param(name),
                email
            ),
        );
    }
    line(
        out,
        if ev.cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        },
    );
    line(out, "TRANSP:OPAQUE");
    line(out, "END:VEVENT");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::from_local;
    use jiff::civil::date;

    fn event(cancelled: bool) -> CalendarEvent<'static> {
        CalendarEvent {
            uid: "0192-abc@koers.test",
            sequence: 2,
            stamp_ms: 0,
            start_ms: from_local(date(2026, 12, 1).at(10, 0, 0, 0)),
            duration_minutes: 45,
            summary: "Loopbaangesprek: intake, Zoë van der Meer",
            description: "Neem je reflectie mee; we bespreken je keuzes.\nTot dan!",
            location: "Lokaal B1.12",
            organizer: Some(("Sevda Yılmaz", "slb@demo.koers.test")),
            attendees: vec![("Zoë \"Z\" van der Meer", "student@demo.koers.test")],
            cancelled,
        }
    }

    #[test]
    fn local_times_with_the_time_zone() {
        let ics = calendar(&event(false));
        assert!(ics.contains("DTSTART;TZID=Europe/Amsterdam:20261201T100000\r\n"));
        assert!(ics.contains("DTEND;TZID=Europe/Amsterdam:20261201T104500\r\n"));
        assert!(ics.contains("TZID:Europe/Amsterdam\r\n"));
        assert!(ics.contains("SEQUENCE:2\r\n"));
        assert!(ics.contains("METHOD:PUBLISH"));
        assert!(
            ics.contains("DESCRIPTION:Neem je reflectie mee\\; we bespreken je keuzes.\\nTot dan!")
        );
        assert!(ics.contains("CN=\"Zoë Z van der Meer\""));
    }

    #[test]
    fn lines_are_folded_at_75_octets_and_end_in_crlf() {
        let ics = calendar(&event(false));
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{l:?}");
            assert!(!l.contains('\n'));
        }
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        // Unfolding restores the text.
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(
            "ATTENDEE;CN=\"Zoë Z van der Meer\";ROLE=REQ-PARTICIPANT:mailto:student@demo.koers.test"
        ));
    }

    #[test]
    fn cancellation() {
        let ics = calendar(&event(true));
        assert!(ics.contains("METHOD:CANCEL\r\n"));
        assert!(ics.contains("STATUS:CANCELLED\r\n"));
    }
}
