"""Google (Gmail, Google Workspace): its SMTP error reference.

Origin: Google Workspace Admin Help, "SMTP error reference" (support.google.com/a/answer/3221692),
and Gmail Help, "Email sender guidelines" (support.google.com/mail/answer/81126).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Google: SMTP error reference"

PROVIDER = Provider("google", ("gmail.com", "googlemail.com", "google.com"), (
    rule("userunknown", "account that you tried to reach does not exist|address couldn't be found",
        f"{_DOC} 550 5.1.1"),
    rule("hostunknown", "responded with code nxdomain|domain name not found",
         f"{_DOC} 550 5.1.2 (DNS: the domain does not exist)",
         statuses=("5.1.2", "5.0.0", "5.4.4", "5.1.1")),
    rule("networkerror", "responded with code nxdomain|domain name not found|had no relevant answers",
         f"{_DOC} 4.x (DNS error: a temporary lookup failure)", statuses=("4.0.0", "4.4.3", "4.4.4", "4.1.2", "4.3.0")),
    rule("notaccept", "null mx", f"{_DOC} 550 5.1.10 (the domain has a null MX)"),
    rule("suspend", "account that you tried to reach is disabled|account that you tried to reach is inactive",
        f"{_DOC} 550 5.2.1"),
    rule("mailboxfull", "out of storage space|over quota", f"{_DOC} 452 4.2.2 / 552 5.2.2"),
    rule("authfailure", "senders to authenticate|sender is unauthenticated|because it is unauthenticated"
         "|not accepted due to domain's dmarc policy|fails to pass spf|has an spf record with a hard fail"
         "|spf record of the sending domain|fails to pass authentication checks|dkim does not pass|add a dmarc record",
         f"{_DOC} 4.7.23-4.7.40 / 5.7.23-5.7.30 (SPF, DKIM, DMARC: sender authentication)"),
    rule("speeding", "receiving mail at a rate|too quickly", f"{_DOC} 450 4.2.1 / 550 5.2.1"),
    rule("speeding", "relay limit exceeded|sending quota exceeded|sending limit exceeded|rate limited",
         f"{_DOC} 550 5.4.5 / 550 5.7.1 (sending limits)"),
    rule("exceedlimit", "exceeded google's message size limits", f"{_DOC} 552 5.2.3", statuses=("5.2.3",)),
    rule("mesgtoobig", "message size limit*", f"{_DOC} 552 5.3.4"),
    rule("authfailure", "dmarc|spf|dkim|authenticat*", f"{_DOC} 4.7.23-4.7.40 / 5.7.23-5.7.30 (sender authentication)",
         statuses=("4.7.24", "5.7.24", "4.7.26", "5.7.26", "4.7.27", "5.7.27", "4.7.30", "5.7.30", "4.7.32",
                   "5.7.32", "4.7.40")),
    rule("requireptr", "ptr", f"{_DOC} 421 4.7.23 / 550 5.7.25 (PTR records)"),
    rule("badreputation", "very low reputation", f"{_DOC} 421 4.7.0 / 550 5.7.1 (reputation)"),
    rule("blocked", "unusual rate of unsolicited mail|unusual rate of mail",
         f"{_DOC} 421 4.7.28 / 550 5.7.28 (unusual rate)"),
    rule("blocked", "ip not in whitelist|try again later, closing connection|helo ehlo argument",
         f"{_DOC} 421 4.7.0 (allowlists, DoS at HELO) / 501 5.5.4"),
    rule("spamdetected", "likely unsolicited mail|nature of the content", f"{_DOC} 550 5.7.1 (unsolicited mail)"),
    rule("notcompliantrfc",
         "not rfc 5322 compliant|not a valid rfc 5321 address|message is malformed|rfc 5322 specifications",
         f"{_DOC} 550 5.7.1 / 553 5.1.7 / 554 5.6.0 (RfcMessageNonCompliant)"),
    rule("policyviolation", "illegal attachment|potential security issue|policy that prohibited",
         f"{_DOC} 552 5.7.0 / 550 5.7.1 (policy)"),
    rule("norelaying", "relay denied|invalid credentials for relay|not authorized to send email directly",
         f"{_DOC} 550 5.7.0 / 5.7.1 (SMTP relay service)"),
    rule("failedstarttls", "must issue a starttls command|tls required for rcpt domain|senders to use tls/ssl",
         f"{_DOC} 530 5.7.0 / 421 4.7.0 / 421 4.7.29 (TLS)"),
    rule("securityerror", "authentication required|username and password not accepted|application-specific password"
         "|log in with your web browser|log in through your web browser|too many login attempts",
         f"{_DOC} 530 5.5.1 / 534 5.7.9 / 535 5.7.8 (client authentication)"),
    rule("networkerror", "exceeded 50 hops", f"{_DOC} 554 5.4.6 (mail loop)"),
    rule("expired", "connection expired|timeout - closing connection", f"{_DOC} 421 4.7.0 / 451 4.4.2"),
    rule("toomanyconn", "too many recipients", f"{_DOC} 452 4.5.3 / 550 5.5.3"),
    rule("systemerror", "temporary system problem|server busy|multiple destination domains",
         f"{_DOC} 421 4.3.0 / 421 4.4.5 / 451 4.3.0"),
    rule("syntaxerror", "bad sequence of commands|unrecognized command|smtp protocol violation",
         f"{_DOC} 502/503 5.5.1 / 451 4.5.0"),
))
