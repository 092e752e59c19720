"""Orange, Wanadoo and La Poste (France): their numbered error codes (OFR_nnn, LPN_nnn).

Origin: Orange postmaster, "Codes d'erreur SMTP" (postmaster.orange.fr), and La Poste's
equivalent list for laposte.net.
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Orange: postmaster SMTP error codes"


def _code(reason: str, number: str, what: str):
    # "OFR_416", "OFR004_405", "LPN007_420", "LPNAAA_101", "LPN416", "[416]": the code is the last number.
    return rule(reason, rf"re:\b(?:ofr|lpn|lpnaaa|ouk)(?:\w*[_-])?{number}\b|\[{number}\]",
        f"{_DOC} {number} ({what})")


PROVIDER = Provider("orange", ("orange.fr", "wanadoo.fr", "laposte.net", "francetelecom.fr"), (
    _code("blocked", "101", "IP blocked, Spamhaus"),
    _code("blocked", "102", "IP blocked for spam"),
    _code("blocked", "103", "service refused"),
    _code("toomanyconn", "104", "too many connections"),
    _code("securityerror", "305", "invalid authentication"),
    _code("authfailure", "401", "SPF"),
    _code("securityerror", "402", "authentication required"),
    _code("rejected", "403", "invalid sender"),
    _code("rejected", "405", "invalid sender"),
    _code("rejected", "415", "invalid sender"),
    _code("userunknown", "416", "invalid recipient"),
    _code("mailboxfull", "417", "recipient over quota"),
    # "Adresse d au moins un destinataire invalide" under 418, as 416's.
    rule("userunknown", r"re:\b(?:ofr|lpn|lpnaaa|ouk)(?:\w*[_-])?418\b|\[418\]",
         "Orange / La Poste 418 (invalid recipient), as the reference classifier reads it: "
         "p5-sisimai lib/Sisimai/Rhost/FrancePTT.pm"),
    _code("suspend", "420", "archived recipient"),
    _code("rejected", "421", "mail from not owned by user"),
    _code("suspend", "426", "recipient account blocked"),
    _code("systemerror", "505", "service refused, try later"),
    _code("spamdetected", "506", "mail rejected"),
    _code("blocked", "510", "service refused"),
    _code("mesgtoobig", "514", "message size limit"),
    _code("authfailure", "517", "DMARC"),
    _code("policyviolation", "630", "client host rejected"),
    _code("blocked", "999", "service refused"),
    rule("blocked", "adresse ip source bloquee", f"{_DOC} (adresse IP source bloquee)"),
    rule("authfailure", "spf/dns de votre nom de domaine", f"{_DOC} (SPF check failed)"),
))
