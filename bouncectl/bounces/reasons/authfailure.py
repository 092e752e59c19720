"""authfailure: the sending domain's authentication (SPF, DKIM, DMARC) failed."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "authfailure"
STATUSES = {
    "X.7.20": "RFC 7372 X.7.20 (no passing DKIM signature found)",
    "X.7.21": "RFC 7372 X.7.21 (no acceptable DKIM signature found)",
    "X.7.22": "RFC 7372 X.7.22 (no valid author-matched DKIM signature found)",
    "X.7.23": "RFC 7372 X.7.23 (SPF validation failed)",
    "X.7.24": "RFC 7372 X.7.24 (SPF validation error)",
    "X.7.26": "RFC 7372 X.7.26 (multiple authentication checks failed)",
    "X.7.509": "Microsoft: Exchange Online NDR 5.7.509 (does not pass DMARC verification)",
    "X.7.515": "Microsoft: Exchange Online NDR 5.7.515 (required authentication level)",
}

AUTHENTICATION = PhraseList(REASON, "the sending domain's authentication", rules(
    REASON,
    ("RFC 7208 (SPF) 8.4: receivers name SPF in their refusal", "spf", "sender policy framework"),
    ("RFC 6376 (DKIM) 6.3: receivers name DKIM in their refusal", "dkim", "domainkeys"),
    ("RFC 7489 (DMARC) 6.6.2: receivers name DMARC in their refusal", "dmarc"),
    ("Google: SMTP error reference 5.7.26 (fails to pass authentication checks)",
     "authentication checks ... fail*", "fails to pass authentication", "does not have authentication information",
     "senders to authenticate", "sender is unauthenticated", "unauthenticated email"),
    ("Microsoft: Exchange Online NDR 5.7.515 (doesn't meet the required authentication level)",
     "required authentication level", "authentication requirements defined for the sender"),
    ("Symantec Email Security.cloud: 553 'domain authentication fail'", "domain authentication fail"),
    ("Tencent QQ Mail: error codes ('spf check failed', 'dmarc check failed')", "spf check failed"),
    ("Orange: error codes OFR/LPN 401 and 517 (SPF, DMARC)", "verification dmarc en echec",
     "spf/dns de votre nom de domaine"),
    ("postfix-policyd-spf-perl: default_authority_explanation ('Please see http://www.openspf.net/Why?s=...'), Haraka: plugins/spf.js (its openspf_text)",
     "openspf"),
))
