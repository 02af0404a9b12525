"""Translations of stories (Wagtail i18n with simple_translation): locales, the language review
step of each language and its group, the page tree of each language, and syncing a translation
with its Vietnamese source.

A translation is a page of the same kind in another locale (same `translation_key`); it is
edited in the ordinary editor, with its own channel texts, and goes through the workflow of its
kind plus the review of its language. Home and section pages exist in every language as
aliases of the Vietnamese ones until a translator gives them their own titles.
"""

import logging

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupPagePermission, Locale, Page, Site, WorkflowTask

from hub.languages import BY_CODE, CONTENT_LANGUAGE_CODES, DEFAULT_LANGUAGE

logger = logging.getLogger(__name__)

SUBMIT_TRANSLATION = ("simple_translation", "submit_translation")
ADMIN_ACCESS = ("wagtailadmin", "access_admin")
LANGUAGE_PAGE_PERMISSIONS = ("add_page", "change_page")
LANGUAGE_REVIEW_PREFIX = "language-review-"
EDITORS = "Editors"

# Story fields a translation takes from its source: who it is for, where and when it goes.
SYNCED_FIELDS = ("regions", "channels", "alert", "message_valid_until", "hero_image")


def translator_group_name(code: str) -> str:
    return f"Translators/reviewers ({code})"


def review_languages() -> list[str]:
    """The languages whose translations pass a language review: all but the source."""
    return [code for code in CONTENT_LANGUAGE_CODES if code != DEFAULT_LANGUAGE]


def ensure_locales() -> dict[str, Locale]:
    """A Wagtail Locale for every content language (idempotent)."""
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in CONTENT_LANGUAGE_CODES}


def _permission(app_label: str, codename: str) -> Permission | None:
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def ensure_language_groups() -> dict[str, Group]:
    """One translators/reviewers group per non-source language; editors may start translations."""
    groups = {}
    permissions = [p for p in (_permission(*ADMIN_ACCESS), _permission(*SUBMIT_TRANSLATION)) if p]
    for code in review_languages():
        group, _created = Group.objects.get_or_create(name=translator_group_name(code))
        group.permissions.add(*permissions)
        groups[code] = group
    submit = _permission(*SUBMIT_TRANSLATION)
    editors = Group.objects.filter(name=EDITORS).first()
    if editors is not None and submit is not None:
        editors.permissions.add(submit)
    grant_language_trees(groups)
    return groups


def grant_language_trees(groups: dict[str, Group] | None = None) -> None:
    """Each language's group may add and edit pages in that language's trees (never publish)."""
    if groups is None:
        groups = {
            code: group
            for code in review_languages()
            if (group := Group.objects.filter(name=translator_group_name(code)).first())
        }
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=LANGUAGE_PAGE_PERMISSIONS
        )
    )
    roots = Page.objects.filter(depth=2, locale__language_code__in=list(groups)).select_related("locale")
    for root in roots:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group=groups[root.locale.language_code], page=root, permission=permission
            )


def ensure_language_reviews(workflow) -> None:
    """A language review step per non-source language, just before the final approval."""
    from hub.models import StoryReviewTask

    groups = ensure_language_groups()
    locales = ensure_locales()
    links = list(WorkflowTask.objects.filter(workflow=workflow).order_by("sort_order"))
    present = {link.task_id for link in links}
    final = links[-1] if links else None
    added = 0
    for code in review_languages():
        key = f"{LANGUAGE_REVIEW_PREFIX}{code}"
        task = StoryReviewTask.objects.filter(key=key).first()
        if task is None:
            task = StoryReviewTask.objects.create(
                key=key, name=f"Duyệt bản dịch tiếng {BY_CODE[code].name_local} ({code})"
            )
            task.groups.set([groups[code]])
        if not task.locales.exists():  # without its language the step would apply to every story
            task.locales.set([locales[code]])
        if task.pk in present:
            continue
        order = final.sort_order + added if final else added
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        added += 1
    if final is not None and added:
        final.sort_order += added
        final.save(update_fields=["sort_order"])


# --- The page tree of each language ------------------------------------------------------


def sync_structure(page: Page) -> list[Page]:
    """Home and section pages of the source language exist in every language (as aliases).

    Returns the aliases it created. Stories are never aliased: an untranslated story is served
    from the Vietnamese tree with a notice (see HomePage.route).
    """
    from hub.models import HomePage, StoryIndexPage

    page = page.specific
    if not isinstance(page, HomePage | StoryIndexPage) or page.alias_of_id is not None:
        return []
    locales = ensure_locales()
    if page.locale_id != locales[DEFAULT_LANGUAGE].pk:
        return []
    existing = set(page.get_translations(inclusive=True).values_list("locale_id", flat=True))
    created = []
    with transaction.atomic():
        for code in review_languages():
            if locales[code].pk in existing:
                continue
            created.append(page.copy_for_translation(locales[code], copy_parents=True, alias=True))
    if created and isinstance(page, HomePage):
        Site.clear_site_root_paths_cache()
        grant_language_trees()
    return created


def sync_site_structure(home: Page) -> int:
    """The home page and every section under it, in every language; returns how many were made."""
    from hub.models import StoryIndexPage

    count = len(sync_structure(home))
    for section in StoryIndexPage.objects.child_of(home).filter(alias_of__isnull=True):
        count += len(sync_structure(section))
    return count


def _structure_published(sender, instance, **kwargs) -> None:
    sync_structure(instance)


# --- Syncing translations with their source ----------------------------------------------


def source_of(page: Page) -> Page | None:
    """The Vietnamese page a translation was made from (None for a source page)."""
    locale = Locale.objects.filter(language_code=DEFAULT_LANGUAGE).first()
    if locale is None or page.locale_id == locale.pk:
        return None
    return page.get_translations().filter(locale=locale).specific().first()


def sync_translations(source: Page, *, user=None) -> list[Page]:
    """Copies who, where and when (SYNCED_FIELDS) from a source story into its translations.

    Each translation whose values differ gets a new draft revision; what it says stays the
    translator's, and the change goes through the translation's own workflow before it is live.
    Returns the translations changed.
    """
    from hub.models import StoryPage

    source = source.specific
    if not isinstance(source, StoryPage) or source_of(source) is not None:
        return []
    changed = []
    for translation in source.get_translations().filter(alias_of__isnull=True).specific():
        draft = translation.get_latest_revision_as_object()
        differs = False
        for name in SYNCED_FIELDS:
            if name == "regions":
                wanted = sorted(region.pk for region in source.regions.all())
                if sorted(region.pk for region in draft.regions.all()) != wanted:
                    draft.regions = list(source.regions.all())
                    differs = True
            elif getattr(draft, name) != getattr(source, name):
                setattr(draft, name, getattr(source, name))
                differs = True
        if differs:
            draft.save_revision(user=user, log_action=True)
            changed.append(translation)
    return changed


def _story_published(sender, instance, revision=None, **kwargs) -> None:
    from hub.models import StoryPage

    if isinstance(instance, StoryPage) and instance.alias_of_id is None:
        sync_translations(instance)


def _translation_copied(sender, source_obj=None, target_obj=None, **kwargs) -> None:
    """A new translation starts without the source's loudspeaker recording: that voice speaks
    Vietnamese, and a recording is not text a translator would notice and replace."""
    from hub.models import StoryPage

    if (
        not isinstance(target_obj, StoryPage)
        or target_obj.alias_of_id
        or not target_obj.loudspeaker_recording_id
    ):
        return
    target_obj.loudspeaker_recording = None
    type(target_obj).objects.filter(pk=target_obj.pk).update(loudspeaker_recording=None)
    revision = target_obj.latest_revision
    if revision is not None and revision.content.get("loudspeaker_recording"):
        revision.content["loudspeaker_recording"] = None
        revision.save(update_fields=["content"])


def connect_translation_signals() -> None:
    from wagtail.signals import copy_for_translation_done, page_published

    page_published.connect(_structure_published, dispatch_uid="hub.translations.structure")
    page_published.connect(_story_published, dispatch_uid="hub.translations.sync")
    copy_for_translation_done.connect(_translation_copied, dispatch_uid="hub.translations.copied")


def page_language(page: Page) -> str:
    """The language code of a page's locale (one query at most; cached on the locale)."""
    return page.locale.language_code if getattr(page, "locale_id", None) else DEFAULT_LANGUAGE


def language_scope(page: Page) -> tuple[str, list | None]:
    """A story's language and its target regions (all top regions if none) that receive it.

    None instead of the list when there are no regions at all (nothing to restrict).
    """
    from hub.models import Region
    from hub.models.regions import regions_for_language

    language = page_language(page)
    regions = list(page.regions.all()) or list(Region.objects.filter(parent__isnull=True))
    if not regions:
        return language, None
    return language, regions_for_language(regions, language)


def side_by_side(story) -> dict:
    """What the approver of a translation compares: each text of the source beside the translation."""
    from channels import textlimits
    from hub.languages import language_name_local
    from hub.variants import sms_max_segments

    source = source_of(story)
    rows = []
    if source is not None:
        for label, attribute in (
            (_("Title"), "title"),
            (_("Summary"), "summary"),
            (_("SMS"), "sms_variant"),
            (_("Social post"), "social_variant"),
            (_("LED"), "led_variant"),
            (_("Loudspeaker script"), "loudspeaker_variant"),
            (_("Zalo text"), "zalo_variant"),
        ):
            rows.append(
                {
                    "field": attribute,
                    "label": label,
                    "source": getattr(source, attribute),
                    "translation": getattr(story, attribute),
                }
            )
    sms = textlimits.measure_sms(story.sms_variant)
    return {
        "source": source,
        "rows": rows,
        "source_body": source.body if source is not None else None,
        "language_name": language_name_local(page_language(story)),
        "source_language_name": language_name_local(DEFAULT_LANGUAGE),
        "source_changed": bool(
            source is not None
            and source.last_published_at
            and story.latest_revision_created_at
            and source.last_published_at > story.latest_revision_created_at
        ),
        "sms": sms,
        "sms_over": sms.segments > sms_max_segments(),
    }
