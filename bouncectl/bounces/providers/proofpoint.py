"""Proofpoint (pphosted.com, Proofpoint Essentials): its refusal texts.

Origin: Proofpoint Support, "Proofpoint dynamic reputation: IP blocks"
(support.proofpoint.com/dnsbl-lookup.cgi) and Proofpoint Essentials' bounce texts.
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Proofpoint: dynamic reputation and Essentials bounce texts"

PROVIDER = Provider("proofpoint", ("pphosted.com", "ppe-hosted.com", "proofpoint.com"), (
    rule("blocked", "blocked - see|dnsbl-lookup|rbl", f"{_DOC} 550/554 5.7.1 (IP blocked by reputation)"),
    rule("blocked", "connection rejected|too many invalid recipients", f"{_DOC} (connection refused for reputation)"),
    rule("authfailure", "dmarc|spf|dkim", f"{_DOC} 550 5.7.1 (sender authentication policy)"),
    rule("spamdetected", "spam|message rejected due to content", f"{_DOC} 554 5.7.1 (message rejected as spam)"),
    rule("userunknown", "user unknown|no such user|invalid recipient", f"{_DOC} 550 5.1.1 (recipient validation)"),
))
