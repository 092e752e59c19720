"""contenterror: the message's media or headers cannot be handled."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "contenterror"

MEDIA = PhraseList(REASON, "the message's media", rules(
    REASON,
    ("RFC 3463 X.6.x (media errors)", "media error", "media not supported", "conversion required",
     "conversion failed", "content error"),
    ("Postfix: src/cleanup/ ('improper use of 8-bit data in message header')", "8-bit data", "8bit data",
     "non-ascii"),
    ("Exchange Server: 'header size exceeds maximum permitted'", "headers too large", "header too large",
     "header size exceeds"),
    ("Exchange Online: 'invalid MIME' / 'MIME complexity' texts", "invalid mime", "mime error", "mime format",
     "mime complexity", "message content invalid", "message body invalid", "message content malformed",
     "message is malformed"),
    ("Microsoft: Exchange Online NDR 5.6.11 ('invalid characters')", "invalid characters"),
    ("Exim: src/transports/smtp.c ('message has lines too long for transport')", "lines too long"),
    ("Exim: src/deliver.c ('Too many \"Received\" headers - suspected mail loop': the header count)",
     "too many received headers", "too many received: headers"),
    (("Receivers' refusals of the message's encoding ('this message contains improperly-formatted binary content', "
     "'text that uses unnecessary base64 encoding'), "
     "as the reference classifier lists it: p5-sisimai lib/Sisimai/Reason/ContentError.pm"),
     "improperly-formatted binary content", "unnecessary base64 encoding"),
))
