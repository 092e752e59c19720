"""Yandex.Mail (``yandex.ru``, ``yandex.com``, ...): the Postfix notices of its mail servers, with a
Russian preamble.

Yandex's notices come from ``mailer-daemon@yandex.ru`` (or another Yandex domain) and carry its
own header fields (``X-Yandex-Uniq``, ``X-Yandex-Front``, ``X-Yandex-Spam``, ...); a Russian
paragraph (``Это письмо отправлено почтовым сервером yandex.ru.``) comes before Postfix's own
text (``This is the mail system at host yandex.ru.``), whose layout is Postfix's bounce(8): each
recipient ``<address>: text``, then an RFC 3464 report whose per-message fields include Yandex's
``X-Yandex-Queue-ID`` and ``X-Yandex-Sender`` (Sisimai's Lhost/Yandex source reads the same marks).
"""

from __future__ import annotations

from bouncectl.sources.messages import postfix
from bouncectl.sources.messages.base import Bounce, Finding

NAME = "yandex"

# The header fields only Yandex's mail servers write.
HEADERS = ("X-Yandex-Uniq", "X-Yandex-Front", "X-Yandex-Forward", "X-Yandex-TimeMark", "X-Yandex-Spam")


def recognise(bounce: Bounce) -> bool:
    domain = bounce.sender_domain
    return (bounce.sender_local == "mailer-daemon" and (domain.startswith("yandex.") or ".yandex." in domain)
            and any(bounce.header(name) for name in HEADERS) and postfix.recognise(bounce))


def decode(bounce: Bounce) -> list[Finding] | None:
    found = postfix.decode(bounce)
    for finding in found or []:
        finding.decoder = NAME
    return found
