"""Provider tables: which hosts and domains choose a provider, and what its published codes mean.

Each case is a short text written in the provider's documented wording (not a copied bounce),
given with the remote host or the recipient's domain that chooses the provider; the verdict must
name the provider and give the reason its documentation gives.
"""

from __future__ import annotations

import pytest

from bouncectl.bounces import classify, provider_of


@pytest.mark.parametrize(
    ("host", "provider"),
    [
        # Google: its MX hosts and consumer domains.
        ("aspmx.l.google.com", "google"), ("alt3.aspmx.l.google.com", "google"),
        ("aspmx2.googlemail.com", "google"), ("gmail-smtp-in.l.google.com", "google"), ("gmail.com", "google"),
        # Microsoft: Exchange Online and Outlook.com's consumer domains.
        ("contoso-com.mail.protection.outlook.com", "microsoft"), ("hotmail.co.uk", "microsoft"),
        ("live.fr", "microsoft"), ("windowslive.com", "microsoft"), ("outlook.jp", "microsoft"),
        ("mail.messaging.microsoft.com", "microsoft"), ("hotmail.com.br", "microsoft"),
        # Yahoo, AOL and Verizon: one platform; Yahoo Japan is another company's.
        ("mta6.am0.yahoodns.net", "yahoo"), ("yahoo.com.br", "yahoo"), ("yahoo.co.in", "yahoo"),
        ("aol.co.uk", "yahoo"), ("netscape.net", "yahoo"), ("verizon.net", "yahoo"), ("yahoo.co.jp", None),
        # The others, by host and by domain.
        ("mx01.mail.icloud.com", "apple"), ("smtp-in.orange.fr", "orange"), ("mx.laposte.net", "orange"),
        ("smtp.secureserver.net", "godaddy"), ("mx1.qq.com", "tencent"), ("msmx.au.com", "au"),
        ("mfsmax.docomo.ne.jp", "docomo"), ("cxr.mx.a.cloudfilter.net", "cox"), ("charter.net", "spectrum"),
        ("us-smtp-inbound-1.mimecast.com", "mimecast"), ("cluster1.eu.messagelabs.com", "messagelabs"),
        ("mx.email.ua", "iua"), ("smtpin.vvv.facebook.com", "facebook"), ("route1.mx.cloudflare.net", "cloudflare"),
        ("mx.zoho.com", "zoho"), ("mx0a-001.pphosted.com", "proofpoint"), ("163mx01.mxmail.netease.com", "netease"),
        ("mx1.comcast.net", "comcast"), ("roadrunner.com", "spectrum"), ("mx.zoho.com.au", "zoho"),
        ("188.com", "netease"),
        ("att.net", "att"), ("mx1.bellsouth.net", "att"),
        # A suffix is matched on a whole label only.
        ("notgmail.com", None), ("hotmail.co.uk.example", None),
    ],
)
def test_the_remote_host_or_domain_chooses_the_provider(host, provider):
    assert provider_of(host) == provider


# (host, reply code, status, text) -> reason, from each provider's published codes.
CASES = [
    # Google: SMTP error reference.
    ("gmail.com", 553, "5.1.2", "553 5.1.2 We weren't able to find the recipient domain.", "hostunknown"),
    ("gmail.com", 552, "5.3.4", "552 5.3.4 The number of attachments (120) exceeds Google's limit of 100 attachments.",
     "exceedlimit"),
    ("gmail.com", 550, "5.7.1", "550 5.7.1 Messages missing a valid Message-ID: header are not accepted.",
     "notcompliantrfc"),
    ("gmail.com", 550, "5.7.1", "550 5.7.1 Encoded-word syntax is not permitted in message header Subject.",
     "notcompliantrfc"),
    ("gmail.com", 421, "4.7.28", ("421 4.7.28 Gmail has detected this message exceeded its quota for sending "
     "messages with the same Message-ID:."), "policyviolation"),
    ("gmail.com", 421, "4.7.27", ("421 4.7.27 Your email has been rate limited because SPF authentication didn't pass "
     "for this message."), "authfailure"),
    ("gmail.com", 421, "4.7.29", ("421 4.7.29 Your email has been rate limited because this message wasn't sent over "
     "a TLS connection. Gmail requires all bulk email senders to use TLS/SSL for SMTP connections."), "failedstarttls"),
    ("gmail.com", 421, "4.7.0", ("421 4.7.0 The IP address sending this message does not have a PTR record, or the "
     "corresponding forward DNS entry does not point to the sending IP. Mail has been temporarily rate limited."),
     "requireptr"),
    ("gmail.com", 421, "4.7.0", ("421 4.7.0 This message is suspicious due to the very low reputation of the sending "
     "domain. Mail sent from your IP address has been temporarily rate limited."), "badreputation"),
    ("gmail.com", 550, "5.7.1", "550 5.7.1 This mail has been rate limited.", "speeding"),
    ("gmail.com", 454, "4.7.0", "454 4.7.0 Cannot authenticate due to a temporary system problem.", "systemerror"),
    ("gmail.com", 503, "5.7.0", "503 5.7.0 No identity changes permitted.", "securityerror"),
    ("gmail.com", 503, "5.5.1", "503 5.5.1 No DATA after BDAT.", "syntaxerror"),
    ("gmail.com", 550, "5.7.0", "550 5.7.0 Mail Sending denied.", "rejected"),
    ("gmail.com", 553, "5.1.7", "553 5.1.7 The sender address is not a valid RFC 5321 address.", "notcompliantrfc"),
    ("gmail.com", 553, "5.1.3", "553 5.1.3 The recipient address is not a valid RFC 5321 address.", "userunknown"),
    ("gmail.com", 550, "5.7.1", "550 5.7.1 This message violates example.com email policy. - gcdp sessionid - gsmtp",
     "policyviolation"),
    ("gmail.com", 450, "4.2.1", ("450 4.2.1 The user you are trying to contact is receiving email at a rate that "
     "prevents additional messages from being delivered."), "speeding"),
    # NetEase: its two-part codes.
    ("163.com", 421, None, "421 HL:ICC connection limit exceeded", "toomanyconn"),
    ("126.com", 450, None, "450 DT:RBL sender on a block list", "blocked"),
    ("188.com", 451, None, "451 MI:SFQ sender over quota", "speeding"),
    # Microsoft: Exchange Online NDR codes.
    ("outlook.com", 451, "4.7.652", "451 4.7.652 The mail server has exceeded the maximum number of connections.",
     "toomanyconn"),
    ("hotmail.co.uk", 550, "5.7.1", ("550 5.7.1 Unfortunately, messages weren't sent. Part of their network is on our "
     "block list (S3150)."), "blocked"),
    ("live.fr", 550, "5.1.1", "550 5.1.1 RESOLVER.ADR.ExRecipNotFound, not found", "userunknown"),
    ("outlook.com", 550, "5.7.750", ("550 5.7.750 Service unavailable. Client blocked from sending from unregistered "
     "domains."), "rejected"),
    ("outlook.com", 450, "4.4.8", "450 4.4.8 MX hosts of example.com failed MTA-STS validation.", "failedstarttls"),
    ("outlook.com", 550, "5.0.350", "550 5.0.350 Requested action not taken: policy violation detected (AS345)",
     "policyviolation"),
    ("outlook.com", 432, "4.3.2", "432 4.3.2 STOREDRV.Deliver, recipient thread limit exceeded", "speeding"),
    ("outlook.com", 550, "5.2.1", "550 5.2.1 Content Filter agent quarantined this message", "spamdetected"),
    ("outlook.com", 451, "4.3.1", "451 4.3.1 Insufficient system resources", "systemfull"),
    # Facebook: postmaster response codes.
    ("smtpin.vvv.facebook.com", 550, None, ("550 5.7.1 POL-P8 The message does not comply with Facebook's abuse "
     "policies"), "policyviolation"),
    ("smtpin.vvv.facebook.com", 451, None, "451 4.3.0 INT-T2 temporary issue internal to Facebook", "systemerror"),
    ("smtpin.vvv.facebook.com", 552, None, "552 5.2.2 INT-P7 The attempted recipient has exceeded their quota",
     "mailboxfull"),
    # Apple iCloud Mail: one status, 5.1.1, for an address that does not exist and for one its owner deactivated.
    ("mx01.mail.icloud.com", 550, "5.1.1", "550 5.1.1 <x@icloud.com>: user does not exist", "userunknown"),
    ("mx01.mail.icloud.com", 550, "5.1.1", "550 5.1.1 <x@icloud.com>: inactive email address", "suspend"),
    # Yahoo / AOL.
    ("aol.co.uk", 550, "5.7.9", "550 5.7.9 This mail has been blocked because the sender is unauthenticated.",
     "authfailure"),
    ("yahoo.com.br", 554, None, "554 delivery error: dd This user doesn't have a yahoo.com.br account", "userunknown"),
    # Orange: a code written without a separator.
    ("orange.fr", 550, "5.1.1", "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. LPN416",
     "userunknown"),
    ("orange.fr", 550, "5.5.0", "550 5.5.0 Le compte du destinataire est bloque. LPN007_426", "suspend"),
    ("orange.fr", 550, "5.0.0", "550 5.0.0 Adresse d au moins un destinataire invalide. OFR_418 [418]", "userunknown"),
    # Spectrum: every code of a documented range.
    ("charter.net", 550, "5.1.0", "550 5.1.0 sender rejected. AUP#O-1015", "rejected"),
    ("charter.net", 421, "4.7.0", "421 4.7.0 too many connections AUP#I-1335", "toomanyconn"),
    ("charter.net", 550, None, "550 AUP#1530 Your email was rejected because it's larger than 20MB", "mesgtoobig"),
    # Cox, GoDaddy, Mimecast: their published texts.
    ("cox.net", 554, None, "554 cox.net ESMTP no data before greeting", "policyviolation"),
    ("cox.net", 421, None, "421 cox.net Requested action aborted: try again later", "toomanyconn"),
    ("secureserver.net", 451, None, "451 Sorry, this message has been in the queue too long.", "expired"),
    ("secureserver.net", 552, None, "552 Message rejected for spam or virus content", "spamdetected"),
    ("mimecast.com", 451, None, "451 Internal resources are temporarily unavailable", "badreputation"),
    ("mimecast.com", 554, None, "554 Configuration is invalid for this certificate", "failedstarttls"),
    # AT&T: its error message summary and its numbered notifications.
    ("att.net", 521, None, "521 <192.0.2.1> is blocked", "blocked"),
    ("att.net", 421, None, "421-failure in DNS look-up.", "requireptr"),
    ("att.net", 450, None, "450 busy--Please try again later", "toomanyconn"),
    ("bellsouth.net", 550, None, "550 [permfail] bellsouth.net requires valid sender domain", "rejected"),
    ("bellsouth.net", 550, None, "550 [suspend] Mailbox currently suspended--Please contact correspondent directly.",
     "suspend"),
    ("bellsouth.net", 550, None, "550 unauthorized interface for <192.0.2.1>", "blocked"),
    ("att.net", 550, None, "550 Error. Blocked for status: <unknown sender>", "requireptr"),
    ("bellsouth.net", 550, None, "net 003: The recipient has one or more forwarding addresses which are invalid.",
     "systemerror"),
    ("bellsouth.net", 552, None, ("net 006: Your e-mail message is larger than the destination mail system is able "
     "to accept."), "mesgtoobig"),
    ("bellsouth.net", 550, None, "net 009: Invalid recipient.", "userunknown"),
    # Mimecast: the sending customer's own account, not the recipient's.
    ("eu-smtp-inbound-1.mimecast.com", 451, None, "451 Account outbounds disabled - https://community.mimecast.com",
     "onhold"),
    ("eu-smtp-inbound-1.mimecast.com", 451, None, "451 Hostname is not authorized", "onhold"),
    # Microsoft: busy front ends within the refused-host codes, and older Exchange Server's wording.
    ("contoso-com.mail.protection.outlook.com", 451, "4.7.500",
     "451 4.7.500 Server busy. Please try again later from [192.0.2.2]. (AS761)", "systemerror"),
    ("apc.olc.protection.outlook.com", 451, "4.7.700", "451 4.7.700 PFA agent busy, please try again.", "systemerror"),
    ("contoso-com.mail.protection.outlook.com", 550, "5.1.4", "550 5.1.4 Destination mailbox address ambiguous",
     "systemerror"),
    ("contoso-com.mail.protection.outlook.com", 550, "5.2.4", "550 5.2.4 Mailing list expansion problem",
     "systemerror"),
    ("contoso-com.mail.protection.outlook.com", 550, "5.4.11", "550 5.4.11 Agent generated message depth exceeded",
     "contenterror"),
    ("contoso-com.mail.protection.outlook.com", 550, "5.1.2", "550 5.1.2 Invalid X.400 address", "userunknown"),
    ("contoso-com.mail.protection.outlook.com", 451, "4.7.550",
     "451 4.7.550 Access denied, please try again later.", "blocked"),
]


@pytest.mark.parametrize(("host", "code", "status", "text", "reason"), CASES)
def test_a_providers_published_code_means_its_documented_reason(host, code, status, text, reason):
    verdict = classify(code, status, text, host=host)
    assert verdict.reason == reason, verdict.rule
    assert f"provider {provider_of(host)}" in verdict.rule


def test_the_recipients_domain_chooses_the_provider_when_the_host_is_unknown():
    text = "550 5.7.1 Messages missing a valid Message-ID: header are not accepted."
    by_domain = classify(550, "5.7.1", text, host="relay.example.net", recipient="someone@googlemail.com")
    assert by_domain.reason == "notcompliantrfc" and "provider google" in by_domain.rule
