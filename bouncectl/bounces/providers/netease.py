"""NetEase (163.com, 126.com, yeah.net, 188.com): its returned-mail codes.

Origin: NetEase mail help, "What do the error codes of returned mail mean" (help.mail.163.com):
each refusal carries a two-part code, the part of the system that refused and why (``DT:SPM``
the content judged spam, ``HL:ICC`` too many concurrent connections, ``MI:SPF`` SPF failure ...).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "NetEase: 163 Mail returned-mail error codes"


def _codes(reason: str, codes: str, what: str):
    return rule(reason, "|".join(code.lower() for code in codes.split()), f"{_DOC} {codes.replace(' ', '/')} ({what})")


PROVIDER = Provider("netease", ("163.com", "126.com", "yeah.net", "188.com", "netease.com"), (
    _codes("spamdetected", "DT:SPM", "the content judged spam"),
    _codes("authfailure", "MI:SPF", "SPF check failed"),
    _codes("blocked", "DT:RBL", "the sending IP on one or more RBLs"),
    _codes("blocked", "HL:REP HL:MEP", "the sending IP's behaviour: many unknown recipients, forged sender domains"),
    _codes("blocked", "WM:BLI", "the sending IP not on NetEase's list of allowed senders"),
    _codes("rejected", "WM:BLU", "the sender not on NetEase's list of allowed senders"),
    _codes("toomanyconn", "HL:ICC MI:DMC RP:DRC", "too many connections, messages or recipients on one connection"),
    _codes("speeding", "HL:IFC MI:SFQ", "too many messages in a short time"),
    rule("securityerror", "too much fail authentication", f"{_DOC} 451 (too many failed logins)"),
    rule("suspend", "user suspended", f"{_DOC} (user suspended)"),
    rule("userunknown", "user not found", f"{_DOC} (user not found)"),
))
