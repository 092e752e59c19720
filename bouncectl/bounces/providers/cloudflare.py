"""Cloudflare Email Routing: its postmaster page.

Origin: Cloudflare Docs, "Email Routing: Postmaster" (developers.cloudflare.com/email-routing/postmaster).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Cloudflare: Email Routing postmaster"

PROVIDER = Provider("cloudflare", ("mx.cloudflare.net",), (
    rule("blocked", "found on one or more dnsbls", f"{_DOC} (the sending IP found on DNSBLs)"),
    rule("systemerror", "upstream error", f"{_DOC} (upstream error)"),
))
