"""Inbound SMS (an addition to the partner contract, see docs/sms.md): partners forward the keyword
messages citizens send (rumour reports, questions) and pull the replies owed to those citizens.

Same keys, rate limit and error shape as the feed; a separate API so that the feed's own
description stays exactly the contract's.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError, ValidationError
from pydantic import field_validator

from channels.sms import api as feed_api
from channels.sms.keys import AuthFailure, Identity
from channels.sms.models import Partner

MAX_MESSAGES = 100
MAX_REPLIES = 100


class InboundMessageIn(Schema):
    id: str = Field(..., min_length=1, max_length=64, description="The partner's own message id.")
    sender: str = Field(..., alias="from", min_length=3, max_length=20, description="The citizen's number.")
    text: str = Field(..., min_length=1, max_length=1600)
    received_at: datetime.datetime | None = None

    @field_validator("text")
    @classmethod
    def without_nul(cls, value: str) -> str:
        return value.replace("\x00", "")

    @field_validator("received_at")
    @classmethod
    def aware(cls, value):
        if value is None:
            return value
        return (value if timezone.is_aware(value) else timezone.make_aware(value)).astimezone(datetime.UTC)


class InboundIn(Schema):
    messages: list[InboundMessageIn] = Field(..., min_length=1, max_length=MAX_MESSAGES)


class InboundOut(Schema):
    accepted: int
    duplicates: list[str]
    rejected: list[str]


class ReplyOut(Schema):
    id: str
    to: str
    text: str


class RepliesOut(Schema):
    replies: list[ReplyOut]


api = NinjaAPI(
    title="SMS partner inbound messages",
    version="1",
    description="Citizens' keyword messages forwarded by partners, and the replies owed. See docs/sms.md.",
    openapi_url="/openapi.json",
    docs_url=None,
    urls_namespace="sms_inbound_api",
    auth=feed_api.PartnerBearer(),
)
api.add_exception_handler(AuthFailure, feed_api.on_auth_failure)
api.add_exception_handler(feed_api.RateLimited, feed_api.on_rate_limited)
api.add_exception_handler(ValidationError, feed_api.on_validation_error)
api.add_exception_handler(HttpError, feed_api.on_http_error)

ERRORS = {400: feed_api.ErrorBody, 401: feed_api.ErrorBody, 409: feed_api.ErrorBody, 429: feed_api.ErrorBody}


def organisation_for_partner(partner_id: int):
    """The organisation whose region the partner covers (the topmost one), or the only one there is."""
    from hub.models import Organisation

    partner = Partner.objects.get(pk=partner_id)
    paths = list(partner.coverage_paths)
    candidates = [
        organisation
        for organisation in Organisation.objects.select_related("region").exclude(region=None)
        if any(
            organisation.region.path.startswith(path) or path.startswith(organisation.region.path)
            for path in paths
        )
    ]
    if candidates:
        return min(candidates, key=lambda organisation: len(organisation.region.path))
    only = list(Organisation.objects.all()[:2])
    return only[0] if len(only) == 1 else None


def keyword_and_text(text: str) -> tuple[str, str]:
    """("question" or "rumour", the text without its keyword)."""
    from hub.intake.models import TipKind

    first, _sep, rest = text.strip().partition(" ")
    word = first.upper().strip(".,:;!?")
    if word in {keyword.upper() for keyword in settings.INTAKE_SMS_QUESTION_KEYWORDS}:
        return TipKind.QUESTION, rest.strip()
    if word in {keyword.upper() for keyword in settings.INTAKE_SMS_RUMOUR_KEYWORDS}:
        return TipKind.RUMOUR, rest.strip()
    return TipKind.RUMOUR, text.strip()


@api.post(
    "/messages",
    response={200: InboundOut, **ERRORS},
    summary="Forward citizens' keyword messages",
    operation_id="post_inbound_messages",
)
def post_messages(request, payload: InboundIn):
    """Each message becomes a report; a message id seen before is listed in `duplicates`."""
    from hub.intake import limits
    from hub.intake.models import Tip, TipSource
    from hub.intake.services import IncomingReport, tip_intake

    identity: Identity = request.auth
    organisation = organisation_for_partner(identity.partner_id)
    if organisation is None:
        return Status(
            409,
            {
                "error": {
                    "code": "no_organisation",
                    "message": _("No organisation covers this partner's regions; ask the office."),
                    "parameter": None,
                }
            },
        )
    accepted, duplicates, rejected = 0, [], []
    for message in payload.messages:
        if Tip.objects.filter(partner_id=identity.partner_id, external_id=message.id).exists():
            duplicates.append(message.id)
            continue
        kind, text = keyword_and_text(message.text)
        if len(text) < 2 or not limits.contact_allowed(message.sender):
            rejected.append(message.id)
            continue
        try:
            tip_intake(
                organisation=organisation,
                report=IncomingReport(
                    kind=kind,
                    source=TipSource.SMS,
                    text=text,
                    seen_where=_("SMS"),
                    contact=message.sender,
                    partner_id=identity.partner_id,
                    external_id=message.id,
                    received_at=message.received_at,
                ),
            )
        except IntegrityError:  # the same message forwarded twice at once
            duplicates.append(message.id)
            continue
        accepted += 1
    return {"accepted": accepted, "duplicates": duplicates, "rejected": rejected}


@api.get(
    "/replies",
    response={200: RepliesOut, **ERRORS},
    summary="Take the replies to send",
    operation_id="list_inbound_replies",
)
def list_replies(request, limit: int = Query(MAX_REPLIES, ge=1, le=MAX_REPLIES)):
    """Replies owed to citizens who left their number; each is handed to one partner, once."""
    from hub.intake.notifications import sms_replies_take

    identity: Identity = request.auth
    organisation = organisation_for_partner(identity.partner_id)
    if organisation is None:
        return {"replies": []}
    return {
        "replies": sms_replies_take(organisation=organisation, partner_id=identity.partner_id, limit=limit)
    }
