"""requireptr: the sending host has no (or a mismatching) reverse DNS name."""

from bouncectl.bounces.reasons.base import PhraseList
from bouncectl.bounces.rules import rules

REASON = "requireptr"
STATUSES = {"X.7.25": "RFC 7372 X.7.25 (reverse DNS validation failed)"}

REVERSE_DNS = PhraseList(REASON, "the sending host's reverse DNS", rules(
    REASON,
    ("Google: SMTP error reference 4.7.23/5.7.25 (no PTR record)", "ptr", "ptr record", "ptr-record"),
    ("Google: SMTP error reference 550 5.7.25 ('the corresponding forward DNS entry does not point to the sending IP')",
     "forward dns entry does not point to the sending ip"),
    ("Postfix: src/smtpd/smtpd_check.c (reject_unknown_client_hostname)", "cannot find your hostname",
     "cannot find your reverse hostname", "client host rejected: cannot find your hostname"),
    ("Sendmail: sendmail/srvrsmtp.c (require_rdns / 'IP name lookup failed')", "ip name lookup failed",
     "ip name possibly forged"),
    ("RFC 1912 2.1 (every host should have a PTR record): receivers' 'reverse DNS' refusals",
     "reverse dns", "reverse lookup", "rdns", "reverse-dns"),
    ("Exim: ACL 'verify = reverse_host_lookup'", "reverse_host_lookup", "hostname lookup failed",
     "host name lookup failed for", "unresolvable host", "unresolvable ip", "unresolvable relay host name"),
    ("Postfix: src/smtpd/smtpd_check.c ('domain ... mismatches client ip')", "mismatches client ip"),
    (("Receivers' reverse DNS refusals ('Cannot resolve your address'), as the reference classifier lists it: "
      "go-sisimai reason/why-requireptr.go"), "cannot resolve your address"),
    ("Cox: postmaster error codes ('rejected - no rdns', CXDNS)", "no rdns", "aup#cxdns"),
    ("GoDaddy: bounce error IB108 ('Reverse DNS for this IP failed')", "ib108"),
    ("Apple iCloud Mail: postmaster ('unverifiable sending IP')", "unverifiable|unverifyable sending ip|ips"),
    ("Haraka: plugins/connect.fcrdns.js ('Sorry, no FCrDNS match found': no forward-confirmed reverse DNS)",
     "fcrdns"),
))
