"""suppressed: the sending service did not try: the address is on its suppression list."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "suppressed"

SUPPRESSION = PhraseList(REASON, "a suppression list", rules(
    REASON,
    ("Amazon SES: bounce subtypes Suppressed / OnAccountSuppressionList (docs.aws.amazon.com/ses)",
     "on the suppression list", "on the account-level suppression list", "onaccountsuppressionlist",
     "suppression list", "has suppressed sending to this address"),
    ("Mailgun: events reasons ('Not delivering to previously bounced address')",
     "not delivering to previously bounced address", "not delivering to a previously bounced address"),
    ("Postmark: bounce type InactiveRecipient ('this recipient is inactive')", "inactiverecipient"),
))
