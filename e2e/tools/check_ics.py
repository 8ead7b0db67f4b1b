"""Check a calendar file with two independent parsers (vobject, strict; icalendar) and the
RFC 5545 rule they do not check: every TZID used has a VTIMEZONE. Exit 1 with a reason."""
import sys

import icalendar
import vobject


def main(path: str) -> None:
    raw = open(path, "rb").read()
    text = raw.decode("utf-8")
    assert text.endswith("\r\n"), "lines must end in CRLF"
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"

    cal = vobject.readOne(text)
    cal.validate()
    event = cal.vevent
    assert event.dtstart.value.tzinfo is not None, "DTSTART without time zone"
    assert event.dtend.value > event.dtstart.value, "DTEND not after DTSTART"
    assert int(event.sequence.value) >= 0

    ical = icalendar.Calendar.from_ical(raw)
    tzids = {c.get("TZID") for c in ical.walk("VTIMEZONE")}
    for ev in ical.walk("VEVENT"):
        for prop in ("DTSTART", "DTEND"):
            tzid = ev[prop].params.get("TZID")
            assert tzid in tzids, f"{prop} uses TZID {tzid} without a VTIMEZONE"
        assert ev.get("UID"), "no UID"
    print(f"ok: {event.summary.value} at {event.dtstart.value.isoformat()}")


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except Exception as e:  # noqa: BLE001 - report any failure as a check failure
        print(f"invalid calendar file: {e}", file=sys.stderr)
        sys.exit(1)
