"""What a failed delivery means: its reason and whether it is hard or soft.

Pure functions over the facts a source read (reply code, enhanced status,
diagnostic text, refused command, remote host, the provider's own verdict);
nothing here reads files or touches the store.
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
from bouncectl.bounces.rules import Rule

__all__ = [
    "ABANDONED_INBOX_REASONS",
    "HARD_REASONS",
    "NOT_BOUNCES",
    "RESOLVABLE_REASONS",
    "RULES",
    "Rule",
    "WEAK_DECODER_REASONS",
    "Verdict",
    "classify",
    "combine",
    "natural_type",
    "needs_resolution",
    "provider_of",
    "reply_code",
    "rule_of",
    "status_in",
]
