"""The CAP feed: an Atom index of the organisation's current alerts, and each alert's document."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from channels.cap.document import build_index
from channels.cap.models import CapMessage
from hub.tenancy import organisation_for_request

ATOM_TYPE = "application/atom+xml; charset=utf-8"
CAP_TYPE = "application/cap+xml; charset=utf-8"
MAX_AGE = 60


def _conditional(request, content: bytes, content_type: str, etag: str) -> HttpResponse:
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        content, content_type=content_type
    )
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def cap_index(request):
    organisation = organisation_for_request(request)
    messages = list(CapMessage.objects.for_organisation(organisation).current(timezone.now())[:200])
    name = organisation.name if organisation else request.get_host()
    content = build_index(
        title=_("Alerts of %(name)s") % {"name": name},
        feed_url=request.build_absolute_uri(reverse("cap_index")),
        site_url=request.build_absolute_uri("/"),
        messages=messages,
        alert_url=lambda message: request.build_absolute_uri(reverse("cap_alert", args=[message.identifier])),
    )
    etag = '"' + "-".join(message.etag.strip('"')[:8] for message in messages)[:60] + f'-{len(messages)}"'
    return _conditional(request, content, ATOM_TYPE, etag)


@require_safe
def cap_alert(request, identifier: str):
    organisation = organisation_for_request(request)
    message = CapMessage.objects.for_organisation(organisation).filter(identifier=identifier).first()
    if message is None:
        raise Http404
    return _conditional(request, bytes(message.xml), CAP_TYPE, message.etag)
