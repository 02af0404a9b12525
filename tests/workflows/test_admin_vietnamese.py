"""The admin screens our roles use speak Vietnamese: no msgid of Wagtail's catalogue that they
render stays in English, and the hub's groups are named in Vietnamese.

Wagtail's English catalogues (wagtail/**/locale/en/LC_MESSAGES/*.po) list every msgid Wagtail can
show; with the language set to Vietnamese, a msgid that gettext returns unchanged is untranslated
(unless it reads the same in Vietnamese). Each screen is rendered as the role sees it, and every
text node, label attribute and sidebar JSON string is checked against that set.
"""

import contextlib
import json
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
import wagtail
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from hub import permissions
from hub.workflows import ensure_workflow
from tests.factories import UserFactory, VaccinationPageFactory

# Words that read the same in Vietnamese (names, acronyms).
SAME_IN_VIETNAMESE = {"SMS", "X", "LED", "Facebook", "Email", "OK", "ID", "URL", "Wagtail", "Slug", "Logo"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-w-tooltip-content-value")


def _po_entries(path: Path):
    """(msgid, msgid_plural) pairs of a .po file; enough of the format for Wagtail's catalogues."""
    entries, current, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("msgid ", "msgid_plural ", "msgstr")):
            key = line.split(" ", 1)[0]
            if key == "msgid" and current:
                entries.append(current)
                current = {}
            current[key] = json.loads(line.split(" ", 1)[1])
        elif line.startswith('"') and key:
            current[key] = current.get(key, "") + json.loads(line)
    if current:
        entries.append(current)
    return [(entry.get("msgid", ""), entry.get("msgid_plural")) for entry in entries if entry.get("msgid")]


@cache
def untranslated() -> tuple[dict, tuple]:
    """Wagtail's msgids that stay English under Vietnamese: {text: msgid} and (pattern, msgid) pairs,
    where msgid is (singular, plural or None)."""
    exact, patterns = {}, []
    root = Path(wagtail.__file__).parent
    with translation.override("vi"):
        for po in root.glob("**/locale/en/LC_MESSAGES/django.po"):
            for msgid, plural in _po_entries(po):
                translated = ngettext(msgid, plural, 1) if plural else gettext(msgid)
                if translated != msgid or msgid in SAME_IN_VIETNAMESE or "\n" in msgid or "<" in msgid:
                    continue
                for candidate in filter(None, [msgid, plural]):
                    literal = PLACEHOLDER.sub(" ", candidate)
                    words = [
                        word
                        for word in re.findall(r"[A-Za-z]{2,}", literal)
                        if word not in SAME_IN_VIETNAMESE
                    ]
                    if not words:
                        continue
                    if literal != candidate:
                        pattern = PLACEHOLDER.sub("\x00", candidate)
                        pattern = re.escape(pattern).replace("\x00", ".+?")
                        patterns.append((re.compile(f"^{pattern}$"), (msgid, plural)))
                    else:
                        exact[candidate] = (msgid, plural)
    return exact, tuple(patterns)


class _Texts(HTMLParser):
    """Visible text nodes, label attributes and the strings of JSON props (the sidebar menu)."""

    def __init__(self):
        super().__init__()
        self.texts, self._skip, self._json = [], 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "template") or (tag == "script" and attrs.get("type") != "application/json"):
            self._skip += 1
        self._json = tag == "script" and attrs.get("type") == "application/json"
        self.texts += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]

    def handle_endtag(self, tag):
        if tag in ("style", "template", "script") and self._skip:
            self._skip -= 1
        self._json = False

    def handle_data(self, data):
        if self._json:
            with contextlib.suppress(ValueError):
                self.texts += list(_strings(json.loads(data)))
        elif not self._skip:
            self.texts.append(data)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def english_left(html: str) -> dict[str, tuple]:
    """The texts of a screen that are untranslated Wagtail msgids, with their msgid."""
    parser = _Texts()
    parser.feed(html)
    exact, patterns = untranslated()
    left = {}
    for text in parser.texts:
        text = " ".join(text.split())
        if not text or "<" in text:
            continue
        if text in exact:
            left[text] = exact[text]
            continue
        for pattern, msgid in patterns:
            if pattern.match(text):
                left[text] = msgid
                break
    return left


@pytest.fixture
def screens(db, story_index):
    """Every admin screen our roles use, with the user who sees it."""
    ensure_workflow()
    people = {
        role: UserFactory(username=role, groups=[group])
        for role, group in {
            "editor": permissions.EDITORS,
            "health": permissions.HEALTH_REVIEWERS,
            "approver": permissions.APPROVERS,
            "channel_manager": permissions.CHANNEL_MANAGERS,
        }.items()
    }
    draft = VaccinationPageFactory(parent=story_index, live=False)
    draft.save_revision(user=people["editor"])
    in_review = VaccinationPageFactory(parent=story_index, live=False)
    in_review.save_revision(user=people["editor"])
    in_review.get_workflow().start(in_review, people["editor"])
    in_review.refresh_from_db()
    state = in_review.current_workflow_task_state
    health_approve = reverse("wagtailadmin_pages:workflow_action", args=[in_review.pk, "approve", state.pk])
    urls = {
        "editor": [
            reverse("wagtailadmin_home"),
            reverse("wagtailadmin_explore", args=[story_index.pk]),
            reverse("wagtailadmin_pages:add", args=["hub", "vaccinationpage", story_index.pk]),
            reverse("wagtailadmin_pages:edit", args=[draft.pk]),
            reverse("wagtailadmin_pages:history", args=[draft.pk]),
            reverse("wagtailimages:index"),
        ],
        "health": [
            reverse("wagtailadmin_home"),
            reverse("hub_pending_reviews"),
            reverse("wagtailadmin_pages:edit", args=[in_review.pk]),
            health_approve,
        ],
        "approver": [
            reverse("wagtailadmin_home"),
            reverse("wagtailadmin_pages:edit", args=[in_review.pk]),
            reverse("hub_pending_reviews"),
            reverse("wagtailadmin_reports:workflow"),
            reverse("wagtailadmin_reports:workflow_tasks"),
            reverse("wagtailadmin_reports:site_history"),
            reverse("wagtailadmin_reports:aging_pages"),
        ],
        "channel_manager": [reverse("wagtailadmin_home")],
    }
    return people, urls


def test_no_wagtail_msgid_stays_english_on_our_roles_screens(client, screens):
    people, urls = screens
    assert len(untranslated()[0]) > 100  # the catalogue was read
    found = {}
    for role, role_urls in urls.items():
        client.force_login(people[role])
        for url in role_urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
            assert response.status_code == 200, (role, url)
            content = response.content.decode()
            if response["Content-Type"].startswith("application/json"):
                content = json.loads(content).get("html", "")
            left = english_left(content)
            if left:
                found[f"{role} {url}"] = left
    assert {screen: sorted(texts) for screen, texts in found.items()} == {}


def test_the_groups_are_named_in_vietnamese(client, db):
    permissions.ensure_groups()
    admin = UserFactory(username="root", is_superuser=True)
    client.force_login(admin)
    response = client.get(reverse("wagtailusers_groups:index"), HTTP_ACCEPT_LANGUAGE="vi")
    content = response.content.decode()
    for english, vietnamese in [
        ("Editors", "Biên tập viên"),
        ("Approvers", "Lãnh đạo phê duyệt"),
        ("Health reviewers", "Thẩm định Sở Y tế"),
    ]:
        assert vietnamese in content
        assert f">{english}<" not in content
    with translation.override("vi"):
        assert str(Group.objects.get(name=permissions.CHANNEL_MANAGERS)) == "Quản lý kênh"
    with translation.override("en"):
        assert str(Group.objects.get(name=permissions.CHANNEL_MANAGERS)) == "Channel managers"
