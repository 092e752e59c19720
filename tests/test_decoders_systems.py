"""The decoders of Exchange 2000/2003, Lotus Notes, Amazon WorkMail, Google Workspace and Trend Micro: each
reads its own notice (fixtures and texts written in that system's layout), gives the reason its
own documented wording states, and claims no other system's message."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

import pytest
from conftest import in_tuning_half

from bouncectl.sources.messages import reader

MESSAGES = Path(__file__).parent / "fixtures" / "messages"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "sisimai"
NEW = {"exchange2003": "exchange2003", "notes": "notes", "amazonworkmail": "amazonworkmail",
       "googleworkspace": "googleworkspace", "trendmicro": "trendmicro"}


def parsed(data: bytes):
    return BytesParser(policy=compat32).parsebytes(data)


def findings(name: str):
    return reader.analyse(parsed((MESSAGES / name).read_bytes())).findings


def verdicts(name: str):
    return [(f, reader.classify_finding(f)) for f in findings(name)]


# --------------------------------------------------------------------------
# Exchange 2000/2003 (Internet Mail Service).
# --------------------------------------------------------------------------


def test_exchange_2003_gives_each_recipient_its_own_lines_and_the_reason_of_its_msexch_code():
    (first, v1), (second, v2) = verdicts("exchange2003.eml")
    assert (first.decoder, first.recipient, second.recipient) == ("exchange2003", "buyer@example.org",
                                                                 "clerk@example.org")
    # The MTS-ID line says which message, not why: it is not part of the diagnostic.
    assert first.diagnostic == ("The recipient name is not recognized "
                                "MSEXCH:IMS:EXAMPLE:SALES:GW1 0 (000C05A6) Unknown Recipient")
    assert second.diagnostic == "Too many hops MSEXCH:IMS:EXAMPLE:SALES:GW1 0 (00120270) Too Many Hops"
    assert (first.decoder_reason, v1.reason, v1.bounce_type) == ("userunknown", "userunknown", "hard")
    assert (second.decoder_reason, v2.reason) == ("networkerror", "networkerror")
    assert "MSEXCH:IMS" in first.reason_origin


EXCHANGE_2003 = """\
From: System Administrator <postmaster@example.org>
To: sales@example.com
Subject: Undeliverable: Order
X-Mailer: Internet Mail Service (5.5.2657.72)
Content-Type: text/plain

Your message

  To:      someone@example.org
  Subject: Order

did not reach the following recipient(s):

{heading} on 4/29/2026 9:19:59 AM
    {words}
    MSEXCH:IMS:EXAMPLE:SITE:GW1 0 ({code}) {name}
"""


@pytest.mark.parametrize(("code", "name", "reason"), [
    ("000C05A6", "Unknown Recipient", "userunknown"),
    ("000C0595", "Ambiguous Recipient", "filtered"),
    ("00010256", "Too many recipients", "systemerror"),
    ("000D06B5", "No proxy for recipient", "systemerror"),
    ("00120270", "Too Many Hops", "networkerror"),
    ("00050311", "Conversion to Internet format failed", "contenterror"),
    ("000502CC", "Conversion to Internet format failed", "contenterror"),
    ("000B0981", "Server does not support AUTH", "securityerror"),
    ("000B09AA", "Unable to relay", None),  # a code that covers several failures states no reason
])
def test_exchange_2003_codes_state_their_reasons(code, name, reason):
    text = EXCHANGE_2003.format(heading="someone@example.org", words="The message could not be delivered",
                                code=code, name=name)
    (finding,) = reader.analyse(parsed(text.encode())).findings
    assert (finding.decoder, finding.recipient, finding.decoder_reason) == ("exchange2003", "someone@example.org",
                                                                           reason)
    assert finding.diagnostic.endswith(f"({code}) {name}")


def test_exchange_2003_reads_the_smtp_form_of_a_heading():
    text = EXCHANGE_2003.format(heading="Some One (SMTP=someone@example.org)", words="Unknown recipient",
                                code="000C05A6", name="Unknown Recipient")
    (finding,) = reader.analyse(parsed(text.encode())).findings
    assert (finding.decoder, finding.recipient, finding.decoder_reason) == ("exchange2003", "someone@example.org",
                                                                           "userunknown")


def test_exchange_2003_without_its_header_marks_is_left_to_the_exchange_decoder():
    text = EXCHANGE_2003.format(heading="someone@example.org", words="The recipient name is not recognized",
                                code="000C05A6", name="Unknown Recipient").replace(
        "X-Mailer: Internet Mail Service (5.5.2657.72)\n", "")
    assert all(f.decoder != "exchange2003" for f in reader.analyse(parsed(text.encode())).findings)


# --------------------------------------------------------------------------
# Lotus Notes.
# --------------------------------------------------------------------------


def test_notes_gives_each_address_the_reason_written_above_it():
    (first, v1), (second, v2) = verdicts("notes.eml")
    assert (first.decoder, first.recipient, first.diagnostic) == (
        "notes", "former.staff@notes.example.org", "User not listed in public Name & Address Book")
    assert (second.recipient, second.diagnostic) == ("loop@notes.example.org", "Message has exceeded maximum hop count")
    assert (v1.reason, v1.bounce_type) == ("userunknown", "hard")
    assert (second.decoder_reason, v2.reason) == ("networkerror", "networkerror")
    assert "Lotus Notes" in second.reason_origin


NOTES = """\
From: postmaster@notes.example.org
To: news@example.com
Subject: Undeliverable message
Content-Type: text/plain

------- Failure Reasons  --------

{reason}
reader@notes.example.org

------- Returned Message --------
From: news@example.com
To: reader@notes.example.org
Subject: Digest

Digest.
"""


@pytest.mark.parametrize(("text", "reason"), [
    ("User not listed in public Name & Address Book", "userunknown"),
    ("Message has exceeded maximum hop count", "networkerror"),
    ("Maximum message size exceeded", "mesgtoobig"),  # the router text Notes shares with Domino
    ("No route found to domain example.net from server NOTES01", "hostunknown"),
    ("Unable to deliver the message", None),
])
def test_notes_texts_state_their_reasons(text, reason):
    (finding,) = reader.analyse(parsed(NOTES.format(reason=text).encode())).findings
    assert (finding.decoder, finding.recipient, finding.diagnostic, finding.decoder_reason) == (
        "notes", "reader@notes.example.org", text, reason)


# --------------------------------------------------------------------------
# Amazon WorkMail.
# --------------------------------------------------------------------------


def test_workmail_takes_the_remote_servers_status_where_its_own_is_only_an_address_error():
    ((finding, verdict),) = verdicts("amazonworkmail.eml")
    assert (finding.decoder, finding.recipient, finding.smtp_code, finding.enhanced_status) == (
        "amazonworkmail", "partner@example.org", 550, "5.1.1")
    assert finding.diagnostic.startswith("550 5.1.0 - Unknown address error 550-'5.1.1 <partner@example.org>")
    assert (verdict.reason, verdict.bounce_type) == ("userunknown", "hard")


def test_workmail_takes_the_bracketed_last_reply_of_the_remote_server_after_its_own_expiry():
    text = (MESSAGES / "amazonworkmail.eml").read_text().replace(
        "550 5.1.0 - Unknown address error 550-'5.1.1 <partner@example.org>: Recipient address rejected: "
        "User unknown in virtual mailbox table'",
        "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>").replace(
        "Status: 5.1.0", "Status: 4.4.7")
    (finding,) = reader.analyse(parsed(text.encode())).findings
    assert (finding.decoder, finding.smtp_code, finding.enhanced_status) == ("amazonworkmail", 421, "4.4.2")
    assert reader.classify_finding(finding).reason == "expired"


def test_ses_notices_without_workmails_mark_stay_with_the_ses_decoder():
    text = (MESSAGES / "amazonworkmail.eml").read_text().replace("X-Mailer: Amazon WorkMail\nX-SES", "X-SES", 1)
    assert {f.decoder for f in reader.analyse(parsed(text.encode())).findings} == {"amazonses"}


# --------------------------------------------------------------------------
# Google Workspace.
# --------------------------------------------------------------------------


def test_workspace_notice_without_a_dsn_gives_the_whole_text_the_reply_and_its_reason():
    ((finding, verdict),) = verdicts("googleworkspace.eml")
    assert (finding.decoder, finding.recipient, finding.smtp_code, finding.enhanced_status) == (
        "googleworkspace", "nobody@example.org", 550, "5.1.1")
    assert finding.diagnostic.startswith("** Address not found ** Your message wasn't delivered to nobody@")
    assert finding.diagnostic.endswith("Recipient address rejected: User unknown")
    assert (finding.decoder_reason, verdict.reason, verdict.bounce_type) == ("userunknown", "userunknown", "hard")


def test_workspace_notice_of_a_null_mx_domain_states_that_it_accepts_no_mail():
    text = (MESSAGES / "googleworkspace.eml").read_text().replace(
        "** Address not found **", "** Message not delivered **").replace(
        "because the address couldn't be found. Check for typos or unnecessary spaces and try again.",
        "because the domain example.org does not accept mail (Null MX).").replace(
        "The response from the remote server was:\n550 5.1.1 <nobody@example.org>: Recipient address rejected: "
        "User unknown\n", "")
    (finding,) = reader.analyse(parsed(text.encode())).findings
    assert (finding.decoder, finding.recipient, finding.smtp_code, finding.decoder_reason) == (
        "googleworkspace", "nobody@example.org", None, "notaccept")
    assert reader.classify_finding(finding).reason == "notaccept"


# --------------------------------------------------------------------------
# No new decoder claims another system's message.
# --------------------------------------------------------------------------

OWN_FIXTURES = {"exchange2003.eml", "notes.eml", "amazonworkmail.eml", "googleworkspace.eml", "trendmicro.eml",
                "trendmicro-ja.eml"}


OTHERS = sorted([p for p in MESSAGES.glob("*.eml") if p.name not in OWN_FIXTURES]
                + list((Path(__file__).parent / "fixtures" / "decoders").glob("*.eml")))


@pytest.mark.parametrize("path", OTHERS, ids=[f"{p.parent.name}/{p.name}" for p in OTHERS])
def test_other_systems_fixtures_are_not_claimed(path):
    assert not {f.decoder for f in reader.analyse(parsed(path.read_bytes())).findings} & set(NEW)


@pytest.mark.skipif(not (CORPUS / "manifest.jsonl").exists(), reason="the shared corpus is absent")
def test_in_the_corpus_each_new_decoder_claims_only_its_own_family():
    claimed: dict[str, set[str]] = {}
    for path in sorted((CORPUS / "eml").glob("*.eml")):
        if not in_tuning_half(path.name):
            continue
        for finding in reader.analyse(parsed(path.read_bytes())).findings:
            if finding.decoder in NEW:
                claimed.setdefault(finding.decoder, set()).add(path.name)
    for decoder, names in claimed.items():
        assert all(name.startswith(f"lhost-{NEW[decoder]}-") for name in names), (decoder, sorted(names))
    assert {"exchange2003", "notes", "amazonworkmail", "trendmicro"} <= set(claimed)


# --------------------------------------------------------------------------
# Trend Micro's notification.
# --------------------------------------------------------------------------


def test_trend_micro_notification_names_the_address_it_could_not_deliver_to():
    ((finding, verdict),) = verdicts("trendmicro.eml")
    assert (finding.decoder, finding.recipient) == ("trendmicro", "retired@example.co.jp")
    assert finding.diagnostic == ("Unable to deliver message to <retired@example.co.jp> (and other recipients in the "
                                  "same domain). Please check if address is correct.")
    assert (finding.decoder_reason, verdict.reason, verdict.bounce_type) == ("userunknown", "userunknown", "hard")
    assert "Trend Micro" in finding.reason_origin


def test_trend_micro_japanese_notice_reads_its_session_with_the_arrows_the_other_way():
    ((finding, verdict),) = verdicts("trendmicro-ja.eml")
    assert (finding.decoder, finding.recipient, finding.command) == ("trendmicro", "moved@example.co.jp", "RCPT")
    assert (finding.smtp_code, finding.enhanced_status, finding.diagnostic_type) == (550, "5.1.1", "SMTP")
    assert finding.diagnostic == "550 5.1.1 <moved@example.co.jp>... User unknown"
    assert verdict.reason == "userunknown"


def test_interscan_mss_notices_stay_with_the_interscan_decoder():
    found = reader.analyse(parsed((Path(__file__).parent / "fixtures" / "decoders" / "interscan.eml")
                                  .read_bytes())).findings
    assert [(f.decoder, f.recipient, f.command) for f in found] == [("interscan", "away@example.co.jp", "RCPT")]


# --------------------------------------------------------------------------
# Exchange 2007 and later: a component code's reason is one of the vocabulary's.
# --------------------------------------------------------------------------

EXCHANGE_2007 = """\
From: postmaster@example.org
To: sales@example.com
Subject: Undeliverable: Invitation
Content-Language: en-US
X-MS-Exchange-Message-Is-Ndr:
Content-Type: text/plain

Delivery has failed to these recipients or groups:

everyone@example.org

Diagnostic information for administrators:

Generating server: ex01.example.org

everyone@example.org
#550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients ##
"""


def test_exchange_recipient_limit_is_too_many_recipients_at_once():
    (finding,) = reader.analyse(parsed(EXCHANGE_2007.encode())).findings
    assert (finding.decoder, finding.recipient, finding.enhanced_status) == ("exchange", "everyone@example.org",
                                                                            "5.5.3")
    assert finding.decoder_reason == "toomanyconn"
    assert reader.classify_finding(finding).reason == "toomanyconn"
