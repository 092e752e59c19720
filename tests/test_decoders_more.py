"""More mail systems' decoders: each reads its own notice (a fixture written in that system's
documented layout) and names itself."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

from bouncectl.sources.messages import reader

MESSAGES = Path(__file__).parent / "fixtures" / "messages"


def findings(name: str):
    msg = BytesParser(policy=compat32).parsebytes((MESSAGES / name).read_bytes())
    return reader.analyse(msg).findings


def test_apache_james_reads_the_error_below_and_the_rcpt_to_of_its_details():
    (finding,) = findings("apachejames.eml")
    assert (finding.decoder, finding.recipient, finding.smtp_code) == ("apachejames", "gone-away@example.org", 550)
    assert finding.diagnostic == "550 - Requested action not taken: no such user here"  # not the whole notice


def test_fml_names_the_address_it_refused_and_its_own_reason_not_the_lists_help_address():
    found = findings("fml.eml")
    assert [(f.decoder, f.recipient) for f in found] == [("fml", "announce@lists.example.org")]
    assert found[0].decoder_reason == "rejected" and "fml" in found[0].reason_origin
    assert "not a member of this mailing list" in found[0].diagnostic


def test_mailmarshal_gives_every_affected_recipient_the_reply_and_the_remote_mta():
    found = findings("mailmarshal.eml")
    assert [(f.decoder, f.recipient) for f in found] == [
        ("mailmarshal", "buyer@example.org"), ("mailmarshal", "buyer2@example.org")]
    for finding in found:
        assert (finding.smtp_code, finding.enhanced_status, finding.host) == (550, "5.1.1", "mx2.example.org")
        assert finding.diagnostic.endswith("User unknown in local recipient table")  # the folded reply, joined


def test_mcafee_gives_the_text_of_its_delivery_problems_line_not_the_line_itself():
    (finding,) = findings("mcafee.eml")
    assert (finding.decoder, finding.recipient, finding.action) == ("mcafee", "reader@example.org", "failed")
    assert finding.diagnostic == "User unknown reader@example.org"


def test_surfcontrol_reads_the_attempt_line_of_its_transcript_and_the_host_it_tried():
    (finding,) = findings("surfcontrol.eml")
    assert (finding.decoder, finding.recipient, finding.smtp_code) == ("surfcontrol", "buyer@example.org", 550)
    assert finding.diagnostic == "550 buyer@example.org... No such user"
    assert finding.diagnostic_type == "SMTP"


def test_verizon_picture_gateway_names_the_number_and_its_own_reason():
    (finding,) = findings("verizon.eml")
    assert (finding.decoder, finding.recipient) == ("verizon", "5550100123@vzwpix.com")
    assert finding.diagnostic == "No valid recipients for this MM"
    assert finding.decoder_reason == "userunknown" and "Verizon" in finding.reason_origin


def test_outlook_com_names_itself_and_its_unreachable_domain_text():
    (finding,) = findings("outlook.eml")
    assert (finding.decoder, finding.recipient, finding.enhanced_status) == (
        "outlook", "client@mail.example.org", "5.4.0")
    assert finding.decoder_reason == "hostunknown" and "Outlook.com" in finding.reason_origin


def test_receiving_ses_gives_the_reason_of_its_bounce_action_template():
    (finding,) = findings("receivingses.eml")
    assert (finding.decoder, finding.recipient, finding.smtp_code, finding.enhanced_status) == (
        "receivingses", "orders@inbound.example.org", 552, "5.3.4")
    assert finding.decoder_reason == "mesgtoobig" and "Bounce action" in finding.reason_origin


def test_messagelabs_names_its_own_server_as_the_host_and_its_relay_refusal():
    (finding,) = findings("messagelabs.eml")
    assert (finding.decoder, finding.recipient, finding.smtp_code) == ("messagelabs", "partner@example.org", 553)
    assert finding.host == "server-11.tower-143.messagelabs.com"
    assert finding.decoder_reason == "securityerror" and "MessageLabs" in finding.reason_origin
    assert finding.diagnostic.endswith("Please turn on SMTP Authentication in your mail client.")


def test_barracuda_states_spam_from_its_bulk_email_filter_notice():
    (finding,) = findings("barracuda.eml")
    assert (finding.decoder, finding.recipient, finding.enhanced_status) == (
        "barracuda", "customer@example.org", "5.7.1")
    assert finding.decoder_reason == "spamdetected" and "Barracuda" in finding.reason_origin


def test_amavis_states_the_content_category_its_subject_names():
    (finding,) = findings("amavis.eml")
    assert (finding.decoder, finding.recipient, finding.smtp_code) == ("amavis", "member@example.org", 554)
    assert finding.decoder_reason == "virusdetected" and "amavis" in finding.reason_origin


def test_active_hunter_gives_the_listed_recipient_the_reply_of_its_transcript():
    (finding,) = findings("activehunter.eml")
    assert (finding.decoder, finding.recipient, finding.smtp_code, finding.enhanced_status) == (
        "activehunter", "colleague@example.org", 550, "5.1.1")
    assert finding.diagnostic == "550 sorry, no mailbox here by that name (#5.1.1 - chkusr)"


def test_gmx_reads_its_own_layout_the_command_the_host_and_its_retry_text():
    friend, other = findings("gmx.eml")
    assert (friend.decoder, friend.recipient, friend.command, friend.host, friend.enhanced_status) == (
        "gmx", "friend@example.org", "RCPT", "mx.example.org", "5.1.1")
    assert friend.diagnostic == "5.1.1 <friend@example.org>... User Unknown" and friend.decoder_reason is None
    assert (other.recipient, other.diagnostic, other.decoder_reason) == (
        "other@example.net", "delivery retry timeout exceeded", "expired")


def test_one_and_one_notices_give_its_own_size_text_and_the_text_command_as_data():
    general, partner = findings("einsundeins.eml")
    assert (general.decoder, general.recipient, general.decoder_reason) == (
        "einsundeins", "general@example.org", "mesgtoobig")
    assert general.diagnostic.startswith("Mail size limit exceeded.")
    assert (partner.recipient, partner.command, partner.host, partner.smtp_code, partner.enhanced_status) == (
        "partner@example.net", "DATA", "smtp-in.example.net", 550, "5.2.0")
    assert partner.decoder_reason is None  # the remote server's reply: the reason half reads it


def test_mx_logic_reads_its_one_line_entries_without_the_address_in_front():
    (finding,) = findings("mxlogic.eml")
    assert (finding.decoder, finding.recipient, finding.smtp_code, finding.enhanced_status) == (
        "mxlogic", "accounts@example.org", 550, "5.1.1")
    assert finding.diagnostic == "550 5.1.1 <accounts@example.org>... User unknown"


def test_facebook_names_its_own_server_so_its_response_codes_apply():
    (finding,) = findings("facebook.eml")
    assert (finding.decoder, finding.recipient, finding.host) == (
        "facebook", "someone.there@facebook.com", "mx.facebook.com")
    assert "RCP-P2" in finding.diagnostic


def test_powermta_gives_the_reason_of_its_bounce_category():
    (finding,) = findings("powermta.eml")
    assert (finding.decoder, finding.recipient, finding.smtp_code) == ("powermta", "reader@example.org", 552)
    assert finding.decoder_reason == "mailboxfull" and "bounce categories" in finding.reason_origin


def test_sendgrid_reads_the_command_and_the_host_of_its_recipient_line():
    (finding,) = findings("sendgrid.eml")
    assert (finding.decoder, finding.recipient, finding.command, finding.host) == (
        "sendgrid", "watcher@example.org", "RCPT", "mx.example.org")
    assert (finding.smtp_code, finding.enhanced_status) == (550, "5.1.1")


def test_aol_names_itself_and_its_relays_unknown_domain_text_but_not_a_lookup_to_try_again():
    (finding,) = findings("aol.eml")
    assert (finding.decoder, finding.recipient) == ("aol", "pal@no-such-domain.example")
    assert finding.decoder_reason == "hostunknown" and "AOL" in finding.reason_origin
    from bouncectl.sources.messages import aol

    assert aol.first_reason(finding.diagnostic + ", try again", aol.REASONS) is None


def test_aol_relays_malformed_mx_reply_is_a_domain_that_takes_no_mail():
    data = (MESSAGES / "aol.eml").read_bytes().replace(
        b"type=MX: Host not found", b"type=MX: Malformed or unexpected name server reply")
    (finding,) = reader.analyse(BytesParser(policy=compat32).parsebytes(data)).findings
    assert (finding.decoder, finding.decoder_reason) == ("aol", "notaccept")
    verdict = reader.classify_finding(finding)
    assert (verdict.reason, verdict.bounce_type) == ("notaccept", "hard")


def test_smail_reads_both_the_t_online_entries_and_smails_own_failed_lines():
    # T-Online's notice (X-TOI-MSGID): Deutsche Telekom's decoder, which reads Smail's layout.
    quota, nowhere = findings("smail.eml")
    assert (quota.decoder, quota.recipient, quota.smtp_code, quota.enhanced_status) == (
        "deutschetelekom", "colleague@t-online.example", 552, "5.2.2")
    assert quota.decoder_reason is None  # the remote reply: the reason half reads it
    assert (nowhere.recipient, nowhere.diagnostic, nowhere.decoder_reason) == (
        "visitor@nowhere.example", "unknown host", "hostunknown")


def test_mail_ru_reads_exims_layout_after_its_russian_preamble_and_its_own_text():
    (finding,) = findings("mailru.eml")
    assert (finding.decoder, finding.recipient, finding.diagnostic) == ("mailru", "buyer@mail.ru", "user not found")
    assert finding.decoder_reason == "userunknown" and "Mail.Ru" in finding.reason_origin
