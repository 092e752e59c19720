"""spamdetected: a spam filter refused the message."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "spamdetected"
STATUSES = {"X.7.28": "RFC 6710/IANA SMTP enhanced status X.7.28 (mail flood detected)"}

# A filter's verdict: checked before the sender's authentication and the sending host, whose
# words ("dkim", "blocked") a spam verdict often mentions in passing.
VERDICTS = PhraseList(REASON, "a spam filter's verdict", rules(
    REASON,
    ("SpamAssassin: spamd reports ('scored as spam', 'spam score')",
     "scored as spam", "spam score", "spamassassin score", "blocked by spamassassin"),
    ("Exim (cPanel): 'detected your message as spam'", "detected your message as spam",
     "message as spam and has prevented delivery"),
    ("Google: SMTP error reference 5.7.1 (likely unsolicited mail)", "likely unsolicited mail",
     "due to the nature of the content or the links"),
    ("Mail.ru, Yandex: 'message rejected as spam' refusals", "rejected as spam", "message detected as spam",
     "detected as spam", "classified as spam", "considered spam", "identified as spam", "flagged as spam",
     "looks like spam", "appears to be spam", "probable spam", "high probability of spam"),
    ("Barracuda Email Security: 'spam classification' / 'blocked - bulk email'", "spam classification",
     "rejected due to spam", "rejected - bulk email"),
    ("Spamhaus DBL / SURBL: 'blacklisted URL in message'", "blacklisted url", "url ... is blacklisted",
     "uribl", "surbl"),
    ("Tencent QQ Mail: error codes ('spam is embedded in the email', 'mail content denied')",
     "spam is embedded in the email", "mail content denied"),
    ("GoDaddy: bounce error IB212 (content judged to be spam)", "content judged to be spam"),
    ("Yandex: mail help ('Message rejected under suspicion of SPAM')", "under suspicion of spam"),
    ("MailMarshal, Trustwave SEG, Cyberoam, SpamBouncer: spam verdicts", "spamprofiler", "spambouncer",
     "identified this email as a bulk email", "recurrent pattern detection", "antispam checks",
     "spam-like characteristics", "spam-like", "triggered a spam block", "may contain the spam contents",
     "similar to spam", "spam points", "percent probability of being spam", "spam content matched",
     "spam not accepted", "spam refused", "spam rejection", "spam blocked", "spam check", "spamming not allowed",
     "too much spam", "too many spam complaints", "we dont accept spam", "we don't accept spam",
     "spam message rejected", "spam email", "reject bulk.advertising", "rejecting banned content",
     "rejecting mail content", "message rejected because of unacceptable content",
     "rejected for possible spam/virus content", "contains spam or virus", "considered as spam or virus",
     "classification as bulk mail", "content filter rejection"),
))

# The bare words, after the sending host's block lists and the mailbox's own state.
WORDS = PhraseList(REASON, "spam named in the text", rules(
    REASON,
    ("Postfix: header_checks/body_checks REJECT texts (e.g. amavisd-new 'SPAM', 'UBE')", "spam", "ube"),
    ("RFC 2505 (anti-spam recommendations): 'unsolicited'", "unsolicited", "junk mail", "bulk mail"),
    ("Postfix: src/cleanup/cleanup_message.c ('message content rejected')", "message content rejected",
     "content rejected"),
    ("Trend Micro, Proofpoint: 'suspicious message' / 'suspicious content'", "suspicious message",
     "suspicious content"),
    (("Google: SMTP error reference 550 5.7.1 ('Our system has detected that this message is likely unsolicited "
     "mail', its first line), filters ('your message has been temporarily blocked by our filter', 'mail score "
     "(...) over'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/SpamDetected.pm"),
     "our system has detected that this message is", "temporarily blocked by our filter", "mail score ... over"),
), content=True)
