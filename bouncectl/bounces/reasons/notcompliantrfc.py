"""notcompliantrfc: the message does not follow the Internet Message Format (RFC 5322)."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "notcompliantrfc"

# Before the words the message happens to contain ("dkim", "spam"): the form is the problem.
FORM = PhraseList(REASON, "the message's form", rules(
    REASON,
    ("Google: SMTP error reference 5.7.1 (RfcMessageNonCompliant)",
     "not rfc 5322 compliant", "missing a valid address in the from header", "multiple addresses in from header",
     "missing a valid message-id header", "encoded-word syntax is not permitted", "mail message is malformed"),
    ("Microsoft: Exchange Online NDR 5.7.512 (message must be RFC 5322 section 3.6.2 compliant)",
     "must be rfc 5322 section 3.6.2 compliant", "rfc 5322 section 3.6.2", "does not comply with required standards"),
    ("Yahoo: SMTP error codes (headers are not RFC compliant)", "headers are not rfc compliant"),
    ("Symantec Email Security.cloud: error codes (not RFC 5322 / RFC 2822)",
     "this message is not rfc 5322", "did not comply with rfc 2822"),
    ("RFC 5322 3.6 (header fields that may occur at most once)", "duplicate header", "multiple ... header|headers",
     "more than one ... header"),
    ("qmail, Postfix: bare LF refusals (RFC 5321 2.3.8)", "bare lf", "bare linefeed", "stray linefeeds"),
    ("RFC 5322 2.1.1 (line length limits): Postfix, Exim, Sendmail 'header line too long'",
     "header line too long", "header too long"),
    ("Cyrus IMAP: lmtpd ('554 5.6.0 Message contains bare newlines', 'Message contains invalid header', 'Message has no header/body separator')",
     "bare newlines", "message contains invalid header", "no header/body separator"),
    ("Haraka: plugins/data.headers.js ('Only one Subject header allowed. See RFC 5322, Section 3.6', 'Required header ... missing', 'The Date header is too far in the future', 'The Date header is too old')",
     "only one ... header allowed", "required header ... missing", "date header is too far in the future", "date header is too old"),
    ("chasquid: internal/smtpsrv/conn.go ('521 5.5.2 Error reading DATA: invalid line ending')",
     "invalid line ending"),
    ("maddy: internal/check/authorize_sender ('Missing From header', 'Malformed From header', 'Multiple From addresses are not allowed', 'Malformed Sender header')",
     "missing from header", "malformed from header", "multiple from addresses", "malformed sender header"),
    ("Zimbra: lmtpserver/LmtpReply.java ('500 Maximum line length exceeded')",
     "maximum line length exceeded"),
))
