"""NetEase (163.com, 126.com, yeah.net): its refusal codes.

Origin: NetEase mail help, "What do the error codes of returned mail mean"
(help.mail.163.com: DT:SPM content judged spam, MI:SPF SPF failure, user not found / suspended).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "NetEase: 163 Mail returned-mail error codes"

PROVIDER = Provider("netease", ("163.com", "126.com", "yeah.net", "netease.com"), (
    rule("spamdetected", "dt:spm", f"{_DOC} DT:SPM (the content judged spam)"),
    rule("authfailure", "mi:spf", f"{_DOC} MI:SPF (SPF check failed)"),
    rule("suspend", "user suspended", f"{_DOC} (user suspended)"),
    rule("userunknown", "user not found", f"{_DOC} (user not found)"),
))
