"""Citizens subscribe on the portal: a form, a confirmation e-mail (double opt-in), and unsubscribing
in one click from any message (RFC 8058). Plain HTML forms: nothing needs JavaScript."""

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from channels.email.forms import SubscribeForm
from channels.email.models import ListKind, Recipient, RecipientList
from channels.email.sending import recipient_from_token
from hub.models import Region
from hub.tenancy import organisation_for_request

CONFIRM_SALT = "channels.email.confirm"


def public_list(request) -> RecipientList:
    """The citizens' list of the organisation whose portal this is (the only one, on a single-office site)."""
    lists = RecipientList.objects.filter(kind=ListKind.PUBLIC, active=True).select_related("organisation")
    organisation = organisation_for_request(request)
    if organisation is not None:
        lists = lists.filter(organisation=organisation)
    found = list(lists.order_by("pk")[:2])
    if len(found) != 1 and not (organisation is not None and found):
        raise Http404
    return found[0]


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _throttled(request) -> bool:
    """At most EMAIL_SUBSCRIBE_RATE sign-ups an hour from one address."""
    key = f"email:subscribe:{_client_address(request)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > settings.EMAIL_SUBSCRIBE_RATE


def _regions(recipient_list: RecipientList):
    top = recipient_list.organisation.region
    regions = Region.objects.within(top) if top is not None else Region.objects.all()
    return regions.order_by("path")


def confirm_token(recipient: Recipient) -> str:
    return signing.dumps({"r": recipient.pk, "e": recipient.email}, salt=CONFIRM_SALT, compress=True)


@require_http_methods(["GET", "POST"])
def subscribe(request):
    recipient_list = public_list(request)
    form = SubscribeForm(request.POST or None, regions=_regions(recipient_list))
    if request.method == "POST":
        if _throttled(request):
            return render(request, "email/subscribe.html", {"form": form, "throttled": True}, status=429)
        if form.is_valid():
            if not form.cleaned_data["website"]:
                _subscribe(request, recipient_list, form.cleaned_data)
            return redirect("email_subscribe_sent")
    return render(request, "email/subscribe.html", {"form": form, "recipient_list": recipient_list})


def _subscribe(request, recipient_list: RecipientList, data: dict) -> None:
    recipient, _created = Recipient.objects.get_or_create(
        recipient_list=recipient_list,
        email=data["email"].strip().lower(),
        defaults={
            "organisation": recipient_list.organisation,
            "region": data["region"],
            "language": data["language"],
        },
    )
    if recipient.confirmed_at and not recipient.unsubscribed_at:
        return  # already subscribed: say nothing more (the page is the same either way)
    recipient.region, recipient.language = data["region"], data["language"]
    recipient.save(update_fields=["region", "language"])
    url = request.build_absolute_uri(reverse("email_confirm", args=[confirm_token(recipient)]))
    with translation.override(recipient.language):
        context = {"url": url, "recipient_list": recipient_list, "days": settings.EMAIL_CONFIRM_DAYS}
        subject = " ".join(render_to_string("email/confirm_subject.txt", context).split())
        body = render_to_string("email/confirm.txt", context)
    send_mail(subject, body, settings.EMAIL_CHANNEL_FROM, [recipient.email])


def subscribe_sent(request):
    return render(request, "email/subscribe_sent.html")


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.EMAIL_CONFIRM_DAYS * 86400)
    except signing.BadSignature:
        return render(request, "email/confirm.html", {"invalid": True}, status=400)
    recipient = Recipient.objects.filter(pk=data.get("r"), email=data.get("e")).first()
    if recipient is None:
        return render(request, "email/confirm.html", {"invalid": True}, status=400)
    if request.method == "POST":
        Recipient.objects.filter(pk=recipient.pk).update(
            confirmed_at=timezone.now(), unsubscribed_at=None, bounced_at=None, bounce_reason=""
        )
        return render(request, "email/confirm.html", {"done": True, "recipient": recipient})
    return render(request, "email/confirm.html", {"recipient": recipient})


@csrf_exempt  # mail providers POST the one-click unsubscribe without a form; the signed token guards it
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    recipient = recipient_from_token(token)
    if recipient is None:
        return render(request, "email/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        Recipient.objects.filter(pk=recipient.pk, unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(status=200)
        return render(request, "email/unsubscribe.html", {"done": True, "recipient": recipient})
    return render(request, "email/unsubscribe.html", {"recipient": recipient})
