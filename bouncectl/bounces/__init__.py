"""What a failed delivery means: its reason and whether it is hard or soft.

Pure functions over the facts a source read (reply code, enhanced status,
diagnostic text, refused command, remote host, diagnostic type, a decoder's
reason, the provider's own verdict); nothing here reads files or touches the
store. The rules are data, each with its origin:

- ``providers/``: one table per mailbox provider, with its published codes;
- ``reasons/``: one module per reason, with its phrase lists and statuses, tried
  in the order of ``reasons.ORDER``;
- ``status.py``: the RFC 3463 status table, reply codes and class defaults;
- ``rules.py``: the :class:`Rule` and the phrase language;
- ``classify.py``: the decision order (:func:`classify`), hard or soft
  (:func:`natural_type`) and the provider's verdict (:func:`combine`).
"""

from bouncectl.bounces.classify import (
    ABANDONED_INBOX_REASONS,
    HARD_REASONS,
    NOT_BOUNCES,
    RESOLVABLE_REASONS,
    RULES,
    WEAK_DECODER_REASONS,
    Verdict,
    classify,
    combine,
    natural_type,
    needs_resolution,
    provider_of,
    reply_code,
    rule_of,
    status_in,
)
from bouncectl.bounces.decide import decide, given
from bouncectl.bounces.rules import Rule

__all__ = [
    "ABANDONED_INBOX_REASONS",
    "HARD_REASONS",
    "NOT_BOUNCES",
    "RESOLVABLE_REASONS",
    "RULES",
    "WEAK_DECODER_REASONS",
    "Rule",
    "Verdict",
    "classify",
    "combine",
    "decide",
    "given",
    "natural_type",
    "needs_resolution",
    "provider_of",
    "reply_code",
    "rule_of",
    "status_in",
]
