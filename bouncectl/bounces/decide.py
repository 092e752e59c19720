"""Hard or soft, decided in one place: a bounce's final reason, type and rule.

Sources read facts (codes, diagnostic text, the provider's own verdict, and sometimes a reason the
source itself names, as "expired" for a message that was given up on). A source that names a
reason asks :func:`decide` for the verdict on it; the importer asks it for every other bounce and
deferral. No source sets a ``bounce_type`` of its own.
"""

from __future__ import annotations

from bouncectl.bounces.classify import Verdict, classify, combine, natural_type


def given(reason: str, rule: str, provider_type: str | None) -> Verdict:
    """The verdict of a reason a source names itself: hard or soft by the reason's nature,
    combined with the provider's verdict (see :func:`~bouncectl.bounces.combine`)."""
    return combine(Verdict(reason, natural_type(reason, None), rule), provider_type)


def decide(
    kind: str,
    *,
    reason: str | None,
    rule: str | None = None,
    provider_type: str | None = None,
    smtp_code: int | None = None,
    enhanced_status: str | None = None,
    diagnostic: str | None = None,
    recipient: str | None = None,
    host: str | None = None,
) -> Verdict:
    """The final verdict on a bounce or a deferral (``kind``).

    - With no reason from the source, the classifier reads the codes and the text, and its
      verdict is combined with the provider's. The remote ``host`` (where the source names it)
      or else the ``recipient``'s domain chooses the mailbox provider whose own codes are read
      first (:mod:`bouncectl.bounces.providers`).
    - With a reason from the source, :func:`given` decides.
    - A bounce is hard or soft even when its text reads like a non-bounce: then its reason is
      ``undefined`` (when the classifier read it) and its type the provider's, else soft.
    - A deferral has no type (it is not a bounce yet).
    """
    if reason is None:
        verdict = combine(classify(smtp_code, enhanced_status, diagnostic, host=host, recipient=recipient),
                          provider_type)
        if kind == "bounce" and verdict.bounce_type is None:
            # The source says it bounced, but the text reads like a non-bounce.
            verdict = Verdict("undefined", provider_type or "soft", f"{verdict.rule}; reported as a bounce")
    else:
        verdict = given(reason, rule or "", provider_type)
        if kind == "bounce" and verdict.bounce_type is None:
            verdict = Verdict(verdict.reason, provider_type or "soft", verdict.rule)
    if kind == "deferred":
        return Verdict(verdict.reason, None, verdict.rule)
    return verdict
