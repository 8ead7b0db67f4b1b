"""Find the mail to an address in a Maildir (written by aiosmtpd, a real SMTP server), check its
calendar attachment with the same independent parsers as check_ics.py, and print its subject.
Waits up to 40 s for the mail. Exit 1 with a reason."""
import mailbox
import os
import sys
import tempfile
import time
from email.header import decode_header, make_header

sys.path.insert(0, os.path.dirname(__file__))
import check_ics  # noqa: E402


def find(maildir: str, to: str, about: str):
    deadline = time.time() + 40
    while time.time() < deadline:
        if os.path.isdir(os.path.join(maildir, "new")):
            for msg in mailbox.Maildir(maildir, create=False):
                subject = str(make_header(decode_header(msg.get("Subject", ""))))
                if to in msg.get("To", "") and about in subject:
                    return msg
        time.sleep(0.3)
    raise SystemExit(f"no mail to {to} in {maildir}")


def main(maildir: str, to: str, about: str) -> None:
    msg = find(maildir, to, about)
    subject = str(make_header(decode_header(msg["Subject"])))
    assert msg.get("From"), "no From"
    ics = None
    text = None
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype == "text/calendar":
            ics = part.get_payload(decode=True)
        elif ctype == "text/plain" and text is None:
            text = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    assert text and text.strip(), "no text body"
    assert ics, "no calendar attachment"
    # A text part's line breaks are CRLF on the wire (RFC 2046); the Maildir stores them as LF.
    ics = ics.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    with tempfile.NamedTemporaryFile(suffix=".ics", delete=False) as f:
        f.write(ics)
    check_ics.main(f.name)
    print(f"ok: {subject}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
