"""One table per provider: what a known mailbox provider means by its own codes and wording.

A provider is chosen by the remote host that answered (``gmail-smtp-in.l.google.com``)
or, when that is unknown, by the recipient's domain (``gmail.com``). Its table is
tried before the general phrase lists, because a provider's documented code
("AUP#CXBL", "5.7.606", "[TSS04]") says more than the words around it.

Each table is a tuple of :class:`~bouncectl.bounces.rules.Rule`: a phrase (or
none), the statuses and refused commands it needs (or any), and the provider's
documentation as origin. The first rule that holds decides. In a provider's
rule, ``|`` separates whole phrases (``"mailbox full|over quota"``), each in the
phrase language of :mod:`bouncectl.bounces.rules`.
"""

from __future__ import annotations

from functools import lru_cache

from bouncectl.bounces.providers import (
    apple,
    att,
    cloudflare,
    comcast,
    cox,
    docomo,
    facebook,
    godaddy,
    google,
    iua,
    kddi,
    messagelabs,
    microsoft,
    mimecast,
    netease,
    orange,
    proofpoint,
    spectrum,
    tencent,
    yahoo,
    zoho,
)
from bouncectl.bounces.providers.base import Provider, rule, status_range
from bouncectl.bounces.rules import Rule

__all__ = ["BY_NAME", "PROVIDERS", "Provider", "all_rules", "provider_of", "rule", "status_range"]

PROVIDERS: tuple[Provider, ...] = (
    docomo.PROVIDER, kddi.PROVIDER, google.PROVIDER, microsoft.PROVIDER, yahoo.PROVIDER, apple.PROVIDER,
    orange.PROVIDER, godaddy.PROVIDER, tencent.PROVIDER, cox.PROVIDER, spectrum.PROVIDER, mimecast.PROVIDER,
    proofpoint.PROVIDER, messagelabs.PROVIDER, facebook.PROVIDER, zoho.PROVIDER, cloudflare.PROVIDER, iua.PROVIDER,
    comcast.PROVIDER, netease.PROVIDER, att.PROVIDER,
)
BY_NAME = {provider.name: provider for provider in PROVIDERS}


@lru_cache(maxsize=4096)
def provider_of(host: str | None) -> str | None:
    """The provider a host name (or a domain) belongs to, if known."""
    if not host:
        return None
    host = host.lower().rstrip(".")
    for provider in PROVIDERS:
        if provider.owns(host):
            return provider.name
    return None


def all_rules() -> tuple[Rule, ...]:
    return tuple(rule for provider in PROVIDERS for rule in provider.rules)
