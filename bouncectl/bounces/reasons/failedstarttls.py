"""failedstarttls: the delivery needed TLS and did not get it."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "failedstarttls"
STATUSES = {
    "X.7.10": "RFC 3463 X.7.10 / RFC 5248 (encryption needed)",
    "X.7.11": "RFC 4954 X.7.11 (encryption required for requested authentication mechanism)",
    "X.7.30": "RFC 8689 X.7.30 (REQUIRETLS support required)",
    "X.7.320": "Microsoft: EOP mail flow intelligence 450 4.7.320 (certificate validation failed)",
}

TLS = PhraseList(REASON, "TLS required", rules(
    REASON,
    ("OpenSMTPD: smtpd/mta_session.c ('TLS required but not supported by remote host')",
     "tls required but not supported"),
    ("RFC 3207 (STARTTLS) 4: '530 Must issue a STARTTLS command first'", "starttls", "must issue a starttls"),
    ("Google: SMTP error reference 421 4.7.0 ('TLS required for RCPT domain')", "tls required",
     "senders to use tls"),
    ("Mimecast: SMTP error codes 553 ('this route requires encryption (TLS)')", "requires encryption",
     "requires tls", "encryption required"),
    ("Symantec Email Security.cloud: 451 'TLS/SSLv3 Connection required'", "tls/sslv3 connection required"),
    ("Microsoft: Exchange Online NDR 4.4.317/5.7.321-325 (MTA-STS, DANE, TLS)", "mta-sts",
     "starttls-not-supported", "certificate-expired", "tlsa-invalid", "dnssec-invalid",
     "certificate-host-mismatch"),
    ("Microsoft: Exchange Online 421 4.7.66 ('TLS 1.0 and 1.1 are not supported')", "tls 1.0 and 1.1 are not supported",
     "update your client to support tls"),
    ("Postfix: src/smtp/smtp_proto.c ('TLS is required, but was not offered')", "tls is required",
     "does not support tls", "tls handshake failed"),
    ("Exim: src/transports/smtp.c ('a TLS session is required, but the server did not offer TLS support')",
     "tls session is required", "did not offer tls support"),
    ("Postfix: src/smtp/smtp_proto.c, src/tls/ ('Server certificate not trusted', 'Server certificate not verified')",
     "server certificate not trusted", "server certificate not verified"),
    (("Postfix: src/smtp/smtp_proto.c ('Cannot start TLS: handshake failure', 'TLS failure: Cannot verify server "
     "certificate', 'host ... refused to start TLS')"), "cannot start tls", "tls failure", "refused to start tls"),
    (("RFC 3207 (STARTTLS) 4: '454 TLS not available due to temporary reason', Postfix: src/smtpd/smtpd.c ('454 4.7.0 "
     "TLS not available due to local problem'), Sendmail: sendmail/srvrsmtp.c ('454 4.3.3 TLS not available')"),
     "tls not available"),
    ("Exim: src/smtp_in.c ('454 TLS currently unavailable'), src/transports/smtp.c ('an attempt to start TLS failed')",
     "tls currently unavailable", "attempt to start tls failed"),
    ("Sendmail: cf/m4/proto.m4 (the TLS rulesets: '403 4.7.0 TLS handshake.', 'encryption too weak ... less than')",
     "tls handshake", "encryption too weak"),
    ("Exim: src/tls-openssl.c, src/tls-gnu.c ('TLS error on connection to HOST [IP] (SSL_connect): ...')",
     "tls error on connection"),
    ("OpenSSL: ssl/ssl_err.c ('certificate verify failed', as the TLS errors of Postfix and Exim quote it)",
     "certificate verify failed"),
))
