"""Yahoo and AOL (one mail platform): their published SMTP error codes.

Origin: Yahoo Sender Hub, "SMTP error codes" (senders.yahooinc.com/smtp-error-codes).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "Yahoo: SMTP error codes"

PROVIDER = Provider("yahoo", (
    # MX hosts: mta5.am0.yahoodns.net (Yahoo), mx-aol.mail.gm0.yahoodns.net (AOL, Verizon).
    "yahoodns.net",
    # Yahoo Mail's consumer domains (Yahoo Japan, yahoo.co.jp, is another company's and is not here;
    # Spam Resource, "MAGY email domains"; Return Path, "Verizon overview").
    "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de", "yahoo.it", "yahoo.es", "yahoo.ca", "yahoo.com.au",
    "yahoo.in", "yahoo.co.in", "yahoo.ie", "yahoo.gr", "yahoo.se", "yahoo.dk", "yahoo.no", "yahoo.fi", "yahoo.at",
    "yahoo.be", "yahoo.ch", "yahoo.nl", "yahoo.pl", "yahoo.ro", "yahoo.co.nz", "yahoo.co.id", "yahoo.co.th",
    "yahoo.co.za", "yahoo.com.ar", "yahoo.com.br", "yahoo.com.mx", "yahoo.com.co", "yahoo.com.pe", "yahoo.com.ve",
    "yahoo.com.hk", "yahoo.com.tw", "yahoo.com.sg", "yahoo.com.my", "yahoo.com.ph", "yahoo.com.vn", "yahoo.com.tr",
    "ymail.com", "rocketmail.com", "myyahoo.com",
    # AOL's and Verizon's, on the same platform.
    "aol.com", "aol.co.uk", "aol.fr", "aol.de", "aol.it", "aol.es", "aol.jp", "aim.com", "love.com", "ygm.com",
    "games.com", "wow.com", "netscape.net", "cs.com", "verizon.net",
), (
    rule("userunknown", "this user doesn't have a ... account",
        f"{_DOC} 554 ('delivery error: dd This user doesn't have an account')"),
    rule("userunknown", "mailbox not found", f"{_DOC} 552 1 ('Requested mail action aborted, mailbox not found')"),
    rule("suspend", "is no longer valid|this mailbox is disabled",
        f"{_DOC} 554 ('is no longer valid', 'mailbox is disabled')"),
    rule("mailboxfull", "mailbox is full|over quota", f"{_DOC} 552 (mailbox full)"),
    rule("blocked", "spamhaus|bl21|bl22|bl23", f"{_DOC} 553 5.7.1 [BL21]-[BL23] (IP on Spamhaus lists)"),
    rule("blocked", "ts01|ts02|ts03", f"{_DOC} 421 4.7.1 [TS01]-[TS03] (messages from the IP deferred or refused)"),
    rule("badreputation", "tss04|unexpected volume or user complaints",
         f"{_DOC} 421 4.7.0 [TSS04] (deferred for unexpected volume or user complaints)"),
    rule("rejected", "will be permanently deferred|tss09|tss11", f"{_DOC} 553 5.7.2 [TSS09]/[TSS11]"),
    rule("rejected", "unresolvable rfc.5321|unresolvable rfc5321", f"{_DOC} 451 (unresolvable RFC5321 from domain)"),
    rule("authfailure", "authenticate with either spf or dkim|dmarc|sender is unauthenticated",
        f"{_DOC} 550 5.7.9 / 554 5.7.9 (authentication, DMARC)"),
    rule("policyviolation", "not accepted for policy reasons|ph01", f"{_DOC} 554 [PH01] / 5.7.9 (policy reasons)"),
    rule("notcompliantrfc", "headers are not rfc compliant", f"{_DOC} 554 (headers are not RFC compliant)"),
    rule("norelaying", "relaying denied", f"{_DOC} 550 (relaying denied)"),
    rule("speeding", "receiving mail too quickly", f"{_DOC} 450 (user is receiving mail too quickly)"),
    rule("toomanyconn", "max message per connection", f"{_DOC} 421 (max message per connection reached)"),
    rule("syntaxerror", "syntax error in parameters", f"{_DOC} 501 (syntax error in parameters or arguments)"),
))
