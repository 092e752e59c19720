"""i.ua (Ukraine): its numbered error pages (mail.i.ua/err/N).

Origin: i.ua, mail error pages (mail.i.ua/err/1 ... /err/10).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "i.ua: mail error pages"


def _err(reason: str, number: int, what: str):
    return rule(reason, rf"re:i\.ua/err/{number}\b", f"{_DOC} /err/{number} ({what})")


PROVIDER = Provider("iua", ("i.ua", "email.ua"), (
    _err("norelaying", 1, "SMTP as a mail gate is forbidden"),
    _err("userunknown", 2, "user is not found"),
    _err("suspend", 3, "mailbox unused for more than 3 months"),
    _err("mailboxfull", 4, "mailbox is full"),
    _err("toomanyconn", 5, "sending limit exceeded"),
    _err("norelaying", 6, "use your provider's SMTP"),
    _err("blocked", 7, "wrong HELO/EHLO"),
    _err("rejected", 8, "could not check the sender address"),
    _err("blocked", 9, "the sender's IP is blacklisted"),
    _err("filtered", 10, "not in the recipient's address list"),
))
