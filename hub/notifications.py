"""Overdue-review e-mails; Wagtail itself sends the submit, approve and reject e-mails."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from hub.deadlines import PendingReview
from hub.models import ReviewReminder
from hub.permissions import APPROVERS, role_q


def overdue_recipients(review: PendingReview):
    """The step's reviewers and the approvers, with an e-mail address."""
    task = review.task_state.task.specific
    groups = list(task.groups.values_list("pk", flat=True)) if hasattr(task, "groups") else []
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    from hub.tenancy import organisation_for_page

    organisation = organisation_for_page(review.page)
    approvers = Group.objects.filter(role_q(APPROVERS))
    if organisation is not None:
        approvers = approvers.filter(organisations=organisation)
    return users.filter(groups__pk__in=groups).union(users.filter(groups__in=approvers))


def notify_overdue(*, review: PendingReview) -> bool:
    """E-mail an overdue review once per task state; returns whether this call sent it."""
    try:
        with transaction.atomic():
            reminder = ReviewReminder.objects.create(task_state=review.task_state)
    except IntegrityError:
        return False
    edit_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "wagtailadmin_pages:edit", args=[review.page.pk]
    )
    context = {"review": review, "page": review.page, "task": review.task_state.task, "edit_url": edit_url}
    sent = 0
    for user in overdue_recipients(review):
        language = UserProfile.get_for_user(user).get_preferred_language()
        with translation.override(language):
            context["user"] = user
            subject = " ".join(render_to_string("hub/notifications/overdue_subject.txt", context).split())
            body = render_to_string("hub/notifications/overdue.txt", context)
        sent += send_mail(subject, body, settings.WAGTAILADMIN_NOTIFICATION_FROM_EMAIL, [user.email])
    reminder.recipients = sent
    reminder.save(update_fields=["recipients"])
    return True


def notify_overdue_reviews(*, reviews: list[PendingReview]) -> int:
    """Send the reminders not yet sent; returns how many task states were notified now."""
    already = set(
        ReviewReminder.objects.filter(task_state__in=[r.task_state for r in reviews]).values_list(
            "task_state_id", flat=True
        )
    )
    return sum(notify_overdue(review=review) for review in reviews if review.task_state.pk not in already)
