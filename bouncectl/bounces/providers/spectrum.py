"""Spectrum / Charter (charter.net, spectrum.net, rr.com): its AUP#I/AUP#O codes.

Origin: Spectrum Business, "Understanding email error codes"
(spectrumbusiness.net/support/internet/understanding-email-error-codes).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Spectrum: email error codes"


def _aup(reason: str, first: int, last: int, what: str):
    # "AUP#In-1310", "AUP#I-1310", "AUP#O1000", "AUP#Out-1520", or the number alone ("AUP#1310": the reference
    # classifier, go-sisimai rhost/spectrum.go, reads the first four digits after "AUP#"): every code of the
    # documented range.
    numbers = "|".join(str(n) for n in range(first, last + 1))
    span = f"{first}" if first == last else f"{first}-{last}"
    return rule(reason, rf"re:\baup#(?:in|out|i|o)?-?(?:{numbers})\b", f"{_DOC} {span} ({what})")


# Charter's, Time Warner Cable's (Road Runner) and Bright House Networks' mail, all Spectrum's now.
PROVIDER = Provider("spectrum", ("charter.net", "spectrum.net", "rr.com", "twc.com", "roadrunner.com",
                                 "brighthouse.com"), (
    _aup("blocked", 1000, 1000, "IP blocked for suspicious activity"),
    _aup("rejected", 1010, 1080, "account blocked or limited for suspicious activity"),
    _aup("systemerror", 1090, 1090, "cannot be processed, try later"),
    _aup("requireptr", 1100, 1150, "no full-circle DNS"),
    _aup("policyviolation", 1160, 1190, "against the domain's security policies"),
    _aup("blocked", 1200, 1250, "IP on Cloudmark CSI or Spamhaus"),
    _aup("networkerror", 1260, 1260, "IPv6 not processed"),
    _aup("toomanyconn", 1300, 1340, "too many connections"),
    _aup("speeding", 1350, 1490, "message or recipient volume"),
    _aup("rejected", 1500, 1520, "sending as a different address"),
    _aup("mesgtoobig", 1530, 1530, "larger than 20MB"),
    _aup("speeding", 1540, 1550, "too many messages in a session or recipients"),
    _aup("policyviolation", 1560, 1560, "too many invalid recipients"),
    _aup("speeding", 1580, 1580, "too many recipients in a short time"),
))
