"""The decoders of Yandex.Mail, 1&1, Bigfoot and Deutsche Telekom (T-Online): each recognises its own
notice by its sender, header fields and markers (fixtures written in that system's layout), reads it
with the layout of the mail system it is built on (Postfix, GMX's family, Sendmail, Smail), names
itself, and claims no other system's message."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

import pytest
from conftest import in_tuning_half

from bouncectl.sources.messages import reader
from bouncectl.usecases.explaining import explain

MESSAGES = Path(__file__).parent / "fixtures" / "messages"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "sisimai"
NEW = {"yandex": "yandex", "einsundeins": "einsundeins", "bigfoot": "bigfoot", "deutschetelekom": "deutschetelekom"}


def findings(name: str):
    return reader.analyse(BytesParser(policy=compat32).parsebytes((MESSAGES / name).read_bytes())).findings


# (fixture, decoder, recipient, reply code, status, refused command, host, reason, hard or soft)
CASES = [
    ("yandex.eml", "yandex", "buyer@example.org", 550, "5.1.1", "RCPT", "mx.example.org", "userunknown", "hard"),
    ("einsundeins.eml", "einsundeins", "general@example.org", None, None, None, None, "mesgtoobig", "soft"),
    ("bigfoot.eml", "bigfoot", "member@bigfoot.com", 553, "5.0.0", "RCPT", None, "userunknown", "hard"),
    ("deutschetelekom.eml", "deutschetelekom", "neighbour@t-online.de", 550, "5.1.1", None, None, "userunknown",
     "hard"),
    ("smail-own.eml", "smail", "visitor@nowhere.example", None, None, None, None, "hostunknown", "hard"),
    ("gmx.eml", "gmx", "friend@example.org", None, "5.1.1", "RCPT", "mx.example.org", "userunknown", "hard"),
]


@pytest.mark.parametrize(("name", "decoder", "recipient", "code", "status", "command", "host", "reason", "kind"),
                         CASES, ids=[case[0] for case in CASES])
def test_each_notice_is_read_by_its_own_decoder(name, decoder, recipient, code, status, command, host, reason,
                                                kind):
    finding = findings(name)[0]
    assert (finding.decoder, finding.recipient) == (decoder, recipient)
    assert (finding.smtp_code, finding.enhanced_status, finding.command) == (code, status, command)
    if host:
        assert finding.host == host
    verdict = reader.classify_finding(finding)
    assert (verdict.reason, verdict.bounce_type) == (reason, kind), verdict.rule


def test_yandex_gives_the_whole_folded_reply_of_the_remote_server():
    (finding,) = findings("yandex.eml")
    assert finding.diagnostic.endswith("User unknown in local recipient table")


def test_one_and_one_states_its_own_size_text_and_reads_a_remote_refusal_of_the_message_as_data():
    general, partner = findings("einsundeins.eml")
    assert general.decoder_reason == "mesgtoobig" and "1&1" in general.reason_origin
    assert (partner.decoder, partner.command, partner.host, partner.smtp_code) == (
        "einsundeins", "DATA", "smtp-in.example.net", 550)
    assert partner.decoder_reason is None


def test_the_rule_names_the_decoder(tmp_path):
    (row, _) = explain([str(MESSAGES / "einsundeins.eml")])
    assert row["decoder"] == "einsundeins" and "1&1" in row["rule"]


@pytest.mark.parametrize("header", ["X-Yandex-Uniq: 1", "X-Yandex-Front: mxback1.mail.yandex.example"])
def test_a_postfix_notice_is_yandexs_only_from_yandexs_daemon_with_its_header(header):
    text = (MESSAGES / "yandex.eml").read_text()
    no_header = "\n".join(line for line in text.splitlines() if not line.startswith("X-Yandex-"))
    other_sender = text.replace("From: mailer-daemon@yandex.ru", "From: mailer-daemon@mail.example.org")
    own = no_header.replace("From: mailer-daemon@yandex.ru", f"{header}\nFrom: mailer-daemon@yandex.ru")
    read = [reader.analyse(BytesParser(policy=compat32).parsebytes(t.encode())).findings[0].decoder
            for t in (no_header, other_sender, own)]
    assert read == ["postfix", "postfix", "yandex"]


def test_a_smail_notice_without_t_onlines_marks_stays_smails():
    assert [f.decoder for f in findings("smail-own.eml")] == ["smail"]


OWN = {"yandex.eml", "einsundeins.eml", "bigfoot.eml", "deutschetelekom.eml", "smail.eml"}
OTHERS = sorted([p for p in MESSAGES.glob("*.eml") if p.name not in OWN]
                + list((Path(__file__).parent / "fixtures" / "decoders").glob("*.eml")))


@pytest.mark.parametrize("path", OTHERS, ids=[f"{p.parent.name}/{p.name}" for p in OTHERS])
def test_other_systems_fixtures_are_not_claimed(path):
    found = reader.analyse(BytesParser(policy=compat32).parsebytes(path.read_bytes())).findings
    assert not {f.decoder for f in found} & set(NEW)


@pytest.mark.skipif(not (CORPUS / "manifest.jsonl").exists(), reason="the shared corpus is absent")
def test_in_the_corpus_each_new_decoder_claims_only_its_own_family():
    claimed: dict[str, set[str]] = {}
    for path in sorted((CORPUS / "eml").glob("*.eml")):
        if not in_tuning_half(path.name):
            continue
        for finding in reader.analyse(BytesParser(policy=compat32).parsebytes(path.read_bytes())).findings:
            if finding.decoder in NEW:
                claimed.setdefault(finding.decoder, set()).add(path.name)
    for decoder, names in claimed.items():
        assert all(name.startswith(f"lhost-{NEW[decoder]}-") for name in names), (decoder, sorted(names))
    assert {"yandex", "einsundeins"} <= set(claimed)


# --------------------------------------------------------------------------
# Mail systems that do not name themselves: two more layouts.
# --------------------------------------------------------------------------

UNABLE = """\
From: MAILER-DAEMON@mail.example.net
To: news@example.net
Subject: Delivery failure
Date: Tue, 01 Dec 2026 09:00:00 +0000

Message from example.net.
Unable to deliver message to the following address(es).

<first@example.org>:
This user doesn't have an example.org account (first@example.org) [0]

<second@example.org>:
192.0.2.5 failed after I sent the message.
Remote host said: 552 5.2.2 Mailbox over quota

--- Original message follows.

From: news@example.net
To: first@example.org, second@example.org
Subject: news
"""

PERMANENT = """\
From: postmaster@mail.example.net
To: news@example.net
Subject: There was an error sending your mail
Date: Tue, 01 Dec 2026 09:00:00 +0000

We had trouble delivering your message. Full details follow:

Subject: 'news'
Date: 'Tue, 01 Dec 2026 08:59:00 +0000'

1 error(s):

The following recipients returned permanent errors: gone@example.org.

The attachment contains the original mail headers.
"""


def _text_findings(text: str):
    return reader.analyse(BytesParser(policy=compat32).parsebytes(text.replace("\n", "\r\n").encode())).findings


def test_unable_to_deliver_gives_each_angled_address_its_own_lines():
    first, second = _text_findings(UNABLE)
    assert [(f.decoder, f.recipient) for f in (first, second)] == [
        ("x-mailer", "first@example.org"), ("x-mailer", "second@example.org")]
    assert first.diagnostic == "This user doesn't have an example.org account (first@example.org) [0]"
    assert (second.smtp_code, second.enhanced_status) == (552, "5.2.2")
    assert reader.classify_finding(second).reason == "mailboxfull"


def test_permanent_errors_line_names_the_recipients():
    (finding,) = _text_findings(PERMANENT)
    assert (finding.decoder, finding.recipient) == ("x-mailer", "gone@example.org")
    assert finding.diagnostic == "The following recipients returned permanent errors: gone@example.org."
