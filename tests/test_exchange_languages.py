"""Exchange and Office 365 notices in the languages whose headings are documented: the Exchange
decoder recognises each, gives its recipient the remote reply (the ``#550 ... ##`` form, or a quoted
reply in the language's own sentence), the server its heading names, and the reason of Exchange's
component code; the addresses of the returned message's header are not recipients. The notices are
synthetic ones in Exchange's layout, with the headings of each language."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import compat32

import pytest

from bouncectl.sources.messages import reader

# (Content-Language, Subject, the administrators' heading, the server heading, the original header's heading)
LANGUAGES = [
    ("en-US", "Undeliverable: news", "Diagnostic information for administrators:", "Generating server:",
     "Original message headers:"),
    ("fr-FR", "Non remis : news", "Informations de diagnostic pour les administrateurs :", "Serveur de génération :",
     "En-têtes de message d'origine :"),
    ("it-CH", "Non recapitabile: news", "Informazioni di diagnostica per gli amministratori:",
     "Server di generazione:", "Intestazioni originali del messaggio:"),
    ("sv-SE", "Olevererbart: news", "Diagnostisk information för administratörer:", "Genererande server:",
     "Ursprungshuvuden:"),
    ("nl-NL", "Onbestelbaar: news", "Diagnostische gegevens voor beheerders:", "Bronserver:",
     "Oorspronkelijke berichtkoppen:"),
    ("pt-BR", "Não_entregue: news", "Informações de diagnóstico para administradores:", "Servidor de origem:",
     "Cabeçalhos originais da mensagem:"),
    ("de-DE", "Unzustellbar: news", "Diagnoseinformationen für Administratoren:", "Generating server:",
     "Original message headers:"),
    ("ja-JP", "配信不能: news", "管理者向けの診断情報:", "Generating server:", "Original message headers:"),
    ("es-ES", "No se puede entregar: news", "Información de diagnóstico para administradores:",
     "Servidor de generación:", "Encabezados del mensaje original:"),
]


def notice(language: str, subject: str, diagnostic: str, server: str, original: str, reply_line: str) -> bytes:
    text = (f"From: postmaster@example.org\nTo: news@example.net\nSubject: {subject}\n"
            f"Content-Language: {language}\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: 8bit\n\n"
            "gone@example.org\n\n"
            f"{diagnostic}\n\n"
            f"{server} ex01.example.org\n\n"
            "gone@example.org\n"
            f"{reply_line}\n\n"
            f"{original}\n\n"
            "From: news@example.net\nTo: gone@example.org, other@example.org\nSubject: news\n")
    return text.replace("\n", "\r\n").encode("utf-8")


def _findings(data: bytes):
    return reader.analyse(BytesParser(policy=compat32).parsebytes(data)).findings


REPLIES = [
    "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##",
    "Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'",
]


@pytest.mark.parametrize("reply_line", REPLIES, ids=["hash-form", "quoted"])
@pytest.mark.parametrize(("language", "subject", "diagnostic", "server", "original"), LANGUAGES,
                         ids=[row[0] for row in LANGUAGES])
def test_each_language_is_read_by_the_exchange_decoder(language, subject, diagnostic, server, original, reply_line):
    (finding,) = _findings(notice(language, subject, diagnostic, server, original, reply_line))
    assert (finding.decoder, finding.recipient) == ("exchange", "gone@example.org")
    assert (finding.smtp_code, finding.enhanced_status, finding.decoder_reason) == (550, "5.1.1", "userunknown")
    assert finding.diagnostic == "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"
    assert reader.classify_finding(finding).bounce_type == "hard"


@pytest.mark.parametrize(("language", "subject", "diagnostic", "server", "original"),
                         [row for row in LANGUAGES if row[3] != "Generating server:"],
                         ids=[row[0] for row in LANGUAGES if row[3] != "Generating server:"])
def test_the_server_heading_of_each_language_names_the_host(language, subject, diagnostic, server, original):
    (finding,) = _findings(notice(language, subject, diagnostic, server, original, REPLIES[0]))
    assert finding.host == "ex01.example.org"


@pytest.mark.parametrize("sentence", [
    "Le serveur distant a retourné '552 5.2.2 STOREDRV.Deliver.Exception:QuotaExceededException'",
    "Il server remoto ha restituito '552 5.2.2 STOREDRV.Deliver.Exception:QuotaExceededException'",
])
def test_a_quoted_reply_is_read_in_the_languages_own_sentence(sentence):
    (finding,) = _findings(notice(*LANGUAGES[1], sentence))
    assert (finding.decoder, finding.smtp_code, finding.enhanced_status) == ("exchange", 552, "5.2.2")
    assert reader.classify_finding(finding).reason == "mailboxfull"


def test_exchange_online_error_details_give_the_reported_error_and_the_remote_server():
    text = ("From: postmaster@example.org\nTo: news@example.net\nSubject: Undeliverable: news\n"
            "Content-Type: text/plain; charset=utf-8\n\n"
            "Delivery has failed to these recipients or groups:\n\n"
            "gone@example.org\n\n"
            "Error Details\n"
            "Reported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n"
            "DSN generated by: dm6pr01mb0001.namprd01.prod.outlook.com\n"
            "Remote server: mx.example.org\n\n"
            "Original Message Headers\n\n"
            "To: gone@example.org\nFrom: news@example.net\nSubject: news\n")
    (finding,) = _findings(text.replace("\n", "\r\n").encode())
    assert (finding.decoder, finding.recipient, finding.smtp_code, finding.enhanced_status) == (
        "exchange", "gone@example.org", 550, "5.1.10")
    assert finding.host == "mx.example.org"
    assert reader.classify_finding(finding).reason == "userunknown"


def test_exchange_online_original_message_details_name_the_recipient():
    text = ("From: Microsoft Outlook <postmaster@example.onmicrosoft.com>\nTo: news@example.net\n"
            "Subject: Undeliverable: news\nX-MS-Exchange-Message-Is-Ndr:\nContent-Type: text/plain; charset=utf-8\n\n"
            "Your message to gone@example.org couldn't be delivered.\n\n"
            "Original Message Details\n"
            "Created Date:   12/1/2026 9:00:00 AM\n"
            "Sender Address: news@example.net\n"
            "Recipient Address:      gone@example.org\n"
            "Subject:        news\n\n"
            "Error Details\n"
            "Reported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n"
            "DSN generated by:       dm6pr01mb0001.namprd01.prod.outlook.com\n\n"
            "Original Message Headers\n\n"
            "To: gone@example.org\nFrom: news@example.net\n")
    (finding,) = _findings(text.replace("\n", "\r\n").encode())
    assert (finding.decoder, finding.recipient, finding.smtp_code, finding.enhanced_status) == (
        "exchange", "gone@example.org", 550, "5.1.10")
    assert finding.diagnostic == ("550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address "
                                  "lookup")
    assert finding.host == "dm6pr01mb0001.namprd01.prod.outlook.com"


def test_exchange_2007_bracketed_reply_form_gives_the_reply_and_the_status_exchange_wrote():
    text = ("From: postmaster@example.org\nTo: news@example.net\nSubject: Undeliverable: news\n"
            "Content-Type: text/plain; charset=utf-8\n\n"
            "Delivery has failed to these recipients or distribution lists:\n\n"
            "gone@example.org\n"
            "A communication failure occurred during the delivery of this message.\n\n"
            "Diagnostic information for administrators:\n\n"
            "Generating server: ex01.example.org\n\n"
            "gone@example.org\n"
            "#< #5.1.1 smtp;550 Requested action not taken: mailbox unavailable> #SMTP#\n\n"
            "Original message headers:\n\n"
            "To: gone@example.org\nFrom: news@example.net\n")
    (finding,) = _findings(text.replace("\n", "\r\n").encode())
    assert (finding.decoder, finding.recipient, finding.smtp_code, finding.enhanced_status) == (
        "exchange", "gone@example.org", 550, "5.1.1")
    assert finding.diagnostic == "550 5.1.1 Requested action not taken: mailbox unavailable"
    assert reader.classify_finding(finding).bounce_type == "hard"


def test_a_subject_of_another_wording_is_read_by_the_language_and_its_administrators_heading():
    data = notice("de-DE", "Nachricht nicht zugestellt: news", "Diagnoseinformationen für Administratoren:",
                  "Generating server:", "Original message headers:", REPLIES[0])
    (finding,) = _findings(data)
    assert (finding.decoder, finding.recipient, finding.enhanced_status) == ("exchange", "gone@example.org", "5.1.1")


def test_a_content_language_alone_with_english_headings_is_not_taken_for_exchange():
    data = notice("en-US", "Delivery problem: news", "Error Details", "Generating server:",
                  "Original message headers:", "Reported error: 550 5.1.1 no such user")
    assert all(f.decoder != "exchange" for f in _findings(data))
