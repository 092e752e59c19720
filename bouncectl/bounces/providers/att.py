"""AT&T (att.net, bellsouth.net): the refusal texts its mail system writes.

Origin: AT&T Postmaster, "Error Message Summary" (rbl.att.net/block_enduser.html, and the
Worldnet and BellSouth copies of that page) and AT&T Postmaster Information, "E-mail Error List"
(postmaster.bellsouth.net/error.htm, its "net 001" to "net 009" notifications).
"""

from bouncectl.bounces.providers.base import Provider, rule

_DOC = "AT&T: postmaster error message summary"
_NET = "AT&T: postmaster e-mail error list"

PROVIDER = Provider("att", ("att.net", "bellsouth.net"), (
    # The numbered notifications first: each names its cause whatever the words after it.
    rule("blocked", "net 001", f"{_NET} net 001 (not allowed to send to the address: an abuse block)"),
    rule("systemerror", "net 003", f"{_NET} net 003 (the recipient's forwarding addresses are invalid)"),
    rule("mailboxfull", "net 004", f"{_NET} net 004 (the recipient's account is over quota)"),
    rule("contenterror", "net 005", f"{_NET} net 005 (8-bit or binary encoding the destination cannot take)"),
    rule("mesgtoobig", "net 006", f"{_NET} net 006 (larger than the destination accepts)"),
    rule("norelaying", "net 007", f"{_NET} net 007 (the sending IP may not relay to the domain)"),
    rule("requireptr", "net 008", f"{_NET} net 008 (no valid reverse DNS entry for the sending IP)"),
    rule("userunknown", "net 009", f"{_NET} net 009 (invalid recipient)"),
    rule("requireptr", "failure in dns look-up|blocked for status",
         f"{_DOC} 421 'failure in DNS look-up', 550 'Blocked for status' (no DNS records for the sending system)"),
    rule("toomanyconn", "busy please try again later", f"{_DOC} 450 'busy' (too many connections at once)"),
    rule("suspend", "mailbox currently suspended", f"{_DOC} 550 [suspend] (the customer's account is suspended)"),
    rule("rejected", "requires valid sender domain", f"{_DOC} 550 [permfail] (the sending system's identity unverified)"),
    rule("blocked", "is blocked|unauthorized interface for|blocked by ldap|rblmx|blocked for abuse",
         f"{_DOC} 521 'is blocked', 550 'unauthorized interface', 'blocked by ldap:ou=rblmx', 'Blocked for abuse'"),
))
