"""Google (Gmail, Google Workspace): its SMTP error reference.

Origin: Google Workspace Admin Help, "SMTP error reference" (support.google.com/a/answer/3221692),
Gmail Help, "Email sender guidelines" (support.google.com/mail/answer/81126), and Google Workspace
Admin Help, "SMTP relay service error messages" (support.google.com/a/answer/6140680).

Chosen by the remote host (``gmail-smtp-in.l.google.com``, ``aspmx.l.google.com``,
``alt1.aspmx.l.google.com``, ``aspmx2.googlemail.com``, ``smtp-relay.gmail.com``) or by the
recipient's domain (``gmail.com``, ``googlemail.com``). A Google Workspace customer's own domain
is known only by its MX host.
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Google: SMTP error reference"
_RELAY = "Google: SMTP relay service error messages"

PROVIDER = Provider("google", ("gmail.com", "googlemail.com", "google.com"), (
    # The recipient and its domain.
    rule("userunknown", "account that you tried to reach does not exist|address couldn't be found",
        f"{_DOC} 550 5.1.1"),
    rule("hostunknown", "weren't able to find the recipient domain", f"{_DOC} 553 5.1.2 (BadRcptDomain)"),
    rule("userunknown", "is not a valid rfc 5321 address", f"{_DOC} 553 5.1.3 (the recipient address)",
         statuses=("5.1.3",)),
    rule("hostunknown", "responded with code nxdomain|domain name not found",
         f"{_DOC} 550 5.1.2 (DNS: the domain does not exist)",
         statuses=("5.1.2", "5.0.0", "5.4.4", "5.1.1")),
    rule("networkerror", "responded with code nxdomain|domain name not found|had no relevant answers",
         f"{_DOC} 4.x (DNS error: a temporary lookup failure)", statuses=("4.0.0", "4.4.3", "4.4.4", "4.1.2", "4.3.0")),
    rule("notaccept", "null mx", f"{_DOC} 550 5.1.10 (the domain has a null MX)"),
    rule("suspend", "account that you tried to reach is disabled|account that you tried to reach is inactive",
        f"{_DOC} 550 5.2.1 (DisabledUser)"),
    rule("mailboxfull", "out of storage space|over quota|email quota exceeded",
         f"{_DOC} 452 4.2.2 / 552 5.2.2 (OverQuotaTemp, OverQuotaPerm)"),
    # The sending domain's authentication.
    rule("authfailure", "senders to authenticate|sender is unauthenticated|because it is unauthenticated"
         "|not accepted due to domain's dmarc policy|fails to pass spf|has an spf record with a hard fail"
         "|spf record of the sending domain|fails to pass authentication checks|dkim does not pass|add a dmarc record"
         "|aligned with either the authenticated spf or dkim|spf authentication didn't pass"
         "|dkim authentication didn't pass",
         f"{_DOC} 4.7.23-4.7.40 / 5.7.23-5.7.32 (SPF, DKIM, DMARC: sender authentication)"),
    # Volume.
    rule("speeding", "receiving mail at a rate|receiving email at a rate|too quickly",
         f"{_DOC} 450 4.2.1 / 550 5.2.1 (ReceivingRate)"),
    rule("speeding", "relay limit exceeded|sending quota exceeded|sending limit exceeded"
         "|relay sending limit exceeded",
         f"{_RELAY} 450 4.2.1 / 550 5.4.5 / 550 5.7.1 (peak and daily sending limits)"),
    rule("policyviolation", "sending messages with the same message-id",
         f"{_DOC} 421 4.7.28 (over the quota for messages with one Message-ID)"),
    # The message's size.
    rule("exceedlimit", "exceeded google's message size limits", f"{_DOC} 552 5.2.3", statuses=("5.2.3",)),
    rule("exceedlimit", "exceeds google's limit of ... attachments|exceeded google's message header size limits"
         "|bytes per individual header size|exceeds google's header name limit|exceeds google's message header size",
         f"{_DOC} 552 5.3.4 (number of attachments, header size limits)"),
    rule("mesgtoobig", "message size limit*|exceeds google's message size limit", f"{_DOC} 552 5.3.4 (MaxSizeError)"),
    rule("authfailure", "dmarc|spf|dkim|authenticat*", f"{_DOC} 4.7.23-4.7.40 / 5.7.23-5.7.30 (sender authentication)",
         statuses=("4.7.24", "5.7.24", "4.7.26", "5.7.26", "4.7.27", "5.7.27", "4.7.30", "5.7.30", "4.7.32",
                   "5.7.32", "4.7.40")),
    # The sending host.
    rule("requireptr", "ptr", f"{_DOC} 421 4.7.23 / 550 5.7.25 / 550 5.7.1 (PTR records, IPv6AuthError)"),
    rule("requireptr", "does not match the ip address of the hostname", f"{_DOC} 550 5.7.25 (PTR mismatch)"),
    rule("badreputation", "very low reputation", f"{_DOC} 421 4.7.0 / 550 5.7.1 (reputation)"),
    rule("blocked", "unusual rate of unsolicited mail|unusual rate of mail",
         f"{_DOC} 421 4.7.28 / 550 5.7.28 (UnsolicitedRateLimitError)"),
    rule("blocked", "ip not in whitelist|try again later, closing connection|helo/ehlo argument"
         "|helo ehlo argument",
         f"{_DOC} 421 4.7.0 (allowlists, DoS at HELO) / 501 5.5.4 (HELO/EHLO argument)"),
    # The content and the form of the message.
    rule("spamdetected", "likely unsolicited mail|nature of the content", f"{_DOC} 550 5.7.1 / 421 4.7.0 (unsolicited mail)"),
    rule("notcompliantrfc",
         "not rfc 5322 compliant|message is malformed|rfc 5322 specifications"
         "|missing a valid address in the from: header|multiple addresses in from: header"
         "|missing a valid message-id|unicode character in a disallowed header|encoded-word syntax is not permitted",
         f"{_DOC} 550 5.7.1 / 554 5.6.0 (RfcMessageNonCompliant)"),
    rule("notcompliantrfc", "is not a valid rfc 5321 address", f"{_DOC} 553 5.1.7 (the sender address)"),
    rule("policyviolation", "illegal attachment|potential security issue|policy that prohibited",
         f"{_DOC} 552 5.7.0 / 550 5.7.1 (BlockedMessage, the domain's policy)"),
    rule("policyviolation", "violates ... email policy|gcdp",
         f"{_DOC} 550 5.7.1 (gcdp: a Google Workspace administrator's custom rule)"),
    # Google Workspace's SMTP relay and client submission.
    rule("norelaying", "relay denied|invalid credentials for relay|not authorized to send email directly",
         f"{_RELAY} 550 5.7.0 / 5.7.1 (maildenied, invalidcred, NotAuthorizedError)"),
    rule("rejected", "mail sending denied", f"{_RELAY} 550 5.7.0 (the sender's account disabled or not registered)"),
    rule("failedstarttls", "must issue a starttls command|tls required for rcpt domain|senders to use tls/ssl"
         "|starttls may not be repeated",
         f"{_DOC} 530 5.7.0 / 421 4.7.0 / 421 4.7.29 / 454 5.5.1 (TLS)"),
    rule("systemerror", "cannot authenticate due to ... temporary system problem",
         f"{_DOC} 454 4.7.0 (cannot authenticate: a temporary system problem)"),
    rule("securityerror", "authentication required|username and password not accepted|application-specific password"
         "|log in with your web browser|log in through your web browser|too many login attempts"
         "|no identity changes permitted",
         f"{_DOC} 530 5.5.1 / 534 5.7.9 / 535 5.7.8 / 454 4.7.0 / 503 5.7.0 (client authentication)"),
    # The way there and the receiving system.
    rule("networkerror", "exceeded 50 hops", f"{_DOC} 554 5.4.6 (MailLoop)"),
    rule("expired", "connection expired|timeout - closing connection", f"{_DOC} 421 4.7.0 / 451 4.4.2"),
    rule("toomanyconn", "too many recipients", f"{_DOC} 452 4.5.3 / 550 5.5.3 (TooManyRecipientsError)"),
    rule("systemerror", "temporary system problem|server busy|multiple destination domains"
         "|temporarily rejected this message|temporarily rejected message|domain policy size per transaction",
         f"{_DOC} 421 4.3.0 / 421 4.4.5 / 451 4.3.0 / 452 4.5.3"),
    # "Rate limited" with no other cause named (the causes above come first: authentication, PTR,
    # reputation, TLS).
    rule("speeding", "rate limited", f"{_DOC} 550 5.7.1 / 4.7.x (this mail has been rate limited)"),
    rule("syntaxerror", "bad sequence of commands|unrecognized command|smtp protocol violation"
         "|unimplemented command|no data after bdat|ehlo/helo first|unrecognized authentication type"
         "|xoauth is no longer supported|too many unauthenticated commands|optional argument not permitted",
         f"{_DOC} 502/503 5.5.1 / 504 5.7.4 / 554 5.7.0 / 451 4.5.0 / 523 5.7.10"),
    rule("syntaxerror", "syntax error", f"{_DOC} 501 5.5.2 / 501 5.7.11 / 555 5.5.2 (syntax error)",
         statuses=("5.5.2", "5.7.11")),
))
