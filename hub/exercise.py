"""Exercise mode: an organisation rehearses an alert through every channel without alarming anyone.

While a period is open, `publication_values` freezes `is_exercise=True` on every Publication of
the organisation; each channel reads that flag (never the switch itself) to mark, sandbox or keep
the story out of public lists. Ending the period withdraws every exercise story (docs/exercise.md).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from hub.models import ExercisePeriod, Organisation
from hub.permissions import RUN_EXERCISE

START_ACTION = "hub.exercise_start"
END_ACTION = "hub.exercise_end"


class ExerciseError(Exception):
    """The switch cannot be moved that way (already on, already off)."""


def in_exercise(organisation: Organisation | None) -> bool:
    """Whether the organisation is running a drill now; what a new Publication freezes."""
    if organisation is None or organisation.pk is None:
        return False
    return ExercisePeriod.objects.open().filter(organisation=organisation).exists()


def may_run_exercise(user, organisation: Organisation) -> bool:
    """Superusers, and members of the organisation allowed to start and end drills (approvers)."""
    from hub.tenancy import organisations_for

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.has_perm(RUN_EXERCISE) and organisations_for(user).filter(pk=organisation.pk).exists()


def exercise_start(*, organisation: Organisation, user, note: str = "") -> ExercisePeriod:
    """Opens a drill for the organisation; logged in Wagtail's audit log (who, when)."""
    user = user if getattr(user, "pk", None) else None
    try:
        with transaction.atomic():
            period = ExercisePeriod.objects.create(
                organisation=organisation, started_at=timezone.now(), started_by=user, note=note[:255]
            )
    except IntegrityError as exc:
        raise ExerciseError(str(_("%(name)s is already in exercise mode.") % {"name": organisation})) from exc
    log(
        instance=organisation,
        action=START_ACTION,
        user=user,
        data={"period": period.pk, "note": period.note},
    )
    return period


def exercise_end(*, organisation: Organisation, user) -> ExercisePeriod:
    """Closes the drill and withdraws every exercise story of the organisation from every channel.

    Each story is unpublished, so the usual retraction runs (publication_retracted, a CAP Cancel,
    retraction entries in the pull feeds, sandbox posts taken down, the portal page gone).
    """
    user = user if getattr(user, "pk", None) else None
    with transaction.atomic():
        period = ExercisePeriod.objects.select_for_update().open().filter(organisation=organisation).first()
        if period is None:
            raise ExerciseError(str(_("%(name)s is not in exercise mode.") % {"name": organisation}))
        period.ended_at = timezone.now()
        period.ended_by = user
        period.save(update_fields=["ended_at", "ended_by"])
    period.retracted = exercise_withdraw(organisation=organisation, user=user)
    period.save(update_fields=["retracted"])
    log(
        instance=organisation,
        action=END_ACTION,
        user=user,
        data={"period": period.pk, "withdrawn": period.retracted},
    )
    return period


def exercise_withdraw(*, organisation: Organisation, user=None) -> int:
    """Unpublishes every story whose publication in force is an exercise; returns how many."""
    from wagtail.models import Page

    from publishing.models import Publication
    from publishing.services import publication_retract

    page_ids = (
        Publication.objects.filter(organisation=organisation, is_exercise=True, retracted_at__isnull=True)
        .exclude(page_id=None)
        .values_list("page_id", flat=True)
        .distinct()
    )
    withdrawn = 0
    for page in Page.objects.filter(pk__in=list(page_ids)).specific():
        with transaction.atomic():
            if page.live:
                page.unpublish(user=user, log_action=True)  # page_unpublished → publication_retract
            else:
                publication_retract(page=page, user=user)
        withdrawn += 1
    return withdrawn


def exercise_page_ids():
    """Pages whose publication in force is an exercise: kept out of feeds, search and the sitemap."""
    from publishing.models import Publication

    # Never a NULL in the list: `NOT IN (…, NULL)` would leave out every page.
    drills = Publication.objects.filter(is_exercise=True, retracted_at__isnull=True, page_id__isnull=False)
    return drills.values("page_id")
