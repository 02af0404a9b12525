"""The admin's page search lists the newest matching pages, counts them and their types among
themselves, says when it cut the search short, and keeps Wagtail's filters (its permissions:
tests/hub/test_isolation.py)."""

import pytest
from django.urls import reverse

from tests.factories import DirectivePageFactory, GoodExamplePageFactory, UserFactory


@pytest.fixture
def admin(client, db):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


@pytest.fixture
def matches(story_index, django_capture_on_commit_callbacks):
    """Five pages with "khánh thành" (three good examples, two directives, one of them a draft)
    and one without, in the order they were made."""
    with django_capture_on_commit_callbacks(execute=True):  # the search index is updated on commit
        pages = [
            GoodExamplePageFactory(parent=story_index, title=f"Khánh thành trạm y tế số {number}")
            for number in range(3)
        ]
        pages.append(DirectivePageFactory(parent=story_index, title="Chỉ thị khánh thành cầu treo"))
        pages.append(DirectivePageFactory(parent=story_index, title="Khánh thành nhà văn hoá", live=False))
        DirectivePageFactory(parent=story_index, title="Chỉ thị phòng dịch")
    return pages


def search(client, query, **params):
    return client.get(reverse("wagtailadmin_pages:search"), {"q": query, **params})


def listed(response):
    return [page.pk for page in response.context["pages"]]


# Windows of the newest ids searched first: the whole archive, or only its newest few pages.
WINDOWS = [1, 2, 3, 6, 4000]


@pytest.mark.parametrize("window", WINDOWS)
def test_it_lists_every_match_newest_first_with_its_page_types(admin, matches, settings, window):
    settings.ADMIN_SEARCH_WINDOW = window

    response = search(admin, "khánh thành")

    assert response.status_code == 200
    assert listed(response) == [page.pk for page in reversed(matches)]
    counts = {content_type.model: count for content_type, count in response.context["content_types"]}
    assert counts == {"goodexamplepage": 3, "directivepage": 2}
    assert "capped_message" not in response.context
    assert response.context["all_pages"].count() == 5


@pytest.mark.parametrize("window", WINDOWS)
def test_a_common_word_is_cut_to_the_newest_matches_and_the_page_says_so(admin, matches, settings, window):
    settings.ADMIN_SEARCH_CANDIDATES = 3
    settings.ADMIN_SEARCH_WINDOW = window

    response = search(admin, "khánh")

    assert listed(response) == [page.pk for page in matches[:-4:-1]]
    assert sum(count for _type, count in response.context["content_types"]) == 3
    assert response.context["capped_message"] in response.content.decode()
    assert "3" in response.context["capped_message"]


def test_a_page_type_picked_reaches_its_older_pages_beyond_the_newest_matches(admin, matches, settings):
    settings.ADMIN_SEARCH_CANDIDATES = 3  # the newest three matches: two directives, one good example

    response = search(admin, "khánh thành", content_type="hub.goodexamplepage")

    assert listed(response) == [page.pk for page in reversed(matches[:3])]
    counts = {content_type.model: count for content_type, count in response.context["content_types"]}
    assert counts == {"directivepage": 2, "goodexamplepage": 1}  # counted among the newest three
    assert "capped_message" not in response.context  # all three good examples are listed


def test_the_search_keeps_the_admin_door(client, matches):
    anonymous = search(client, "khánh thành")
    client.force_login(UserFactory(username="nobody"))  # no access to the admin
    outsider = search(client, "khánh thành")

    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert outsider.status_code == 302 and "Khánh thành" not in outsider.content.decode()
    assert "no-cache" in anonymous["Cache-Control"] or "max-age=0" in anonymous["Cache-Control"]


def test_wagtail_filters_types_and_orderings_still_apply(admin, matches):
    assert listed(search(admin, "khánh thành live:no")) == [matches[-1].pk]
    assert listed(search(admin, "khánh thành", content_type="hub.goodexamplepage")) == [
        page.pk for page in reversed(matches[:3])
    ]
    by_title = listed(search(admin, "khánh thành", ordering="title"))
    assert by_title == [page.pk for page in sorted(matches, key=lambda page: page.title)]


def test_the_results_fragment_and_an_empty_query_work(admin, matches):
    fragment = admin.get(reverse("wagtailadmin_pages:search_results"), {"q": "khánh thành"})
    empty = search(admin, "")

    assert fragment.status_code == 200 and "Khánh thành trạm y tế số 0" in fragment.content.decode()
    assert empty.status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_matches(
    admin, story_index, django_capture_on_commit_callbacks
):
    def queries_for_search():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        connection.queries_log.clear()  # full after many pages were made: it would capture nothing
        with CaptureQueriesContext(connection) as captured:
            search(admin, "báo cáo")
        return len(captured.captured_queries)

    def add(first, count):
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(first, first + count):
                (GoodExamplePageFactory if number % 2 else DirectivePageFactory)(
                    parent=story_index, title=f"Báo cáo số {number}"
                )

    add(0, 25)  # more than a page of results (20)
    search(admin, "báo cáo")  # warm
    few = queries_for_search()
    add(25, 40)

    assert few > 5 and queries_for_search() == few


def searches(client, query) -> list[str]:
    """The SQL of the search queries an admin search runs, and of the planner settings it makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # full after many pages were made: it would capture nothing
    with CaptureQueriesContext(connection) as captured:
        assert search(client, query).status_code == 200
    sql = [query["sql"] for query in captured.captured_queries]
    return [each for each in sql if "indexentry" in each.lower() or "set_config" in each]


def test_the_newest_window_is_searched_first_and_older_pages_only_when_it_holds_too_few(
    admin, matches, settings
):
    from django.db import connection

    settings.ADMIN_SEARCH_WINDOW = 4  # the newest four pages: three match "khánh thành"
    settings.ADMIN_SEARCH_CANDIDATES = 2
    enough = searches(admin, "khánh thành")  # three found for two places: the older are not read
    settings.ADMIN_SEARCH_CANDIDATES = 3
    too_few = searches(admin, "khánh thành")  # three found for three places and one more: they are

    def split(sql):  # searches, planner settings made, planner settings put back (in a test's transaction)
        return (
            [each for each in sql if "set_config" not in each],
            [each for each in sql if "current_setting" in each],
            [each for each in sql if "set_config" in each and "current_setting" not in each],
        )

    (enough_searches, enough_plans, enough_restored) = split(enough)
    (too_few_searches, too_few_plans, too_few_restored) = split(too_few)
    assert len(enough_searches) == 1 and len(too_few_searches) == 2
    if connection.vendor == "postgresql":  # the window is looked up page by page, the rest through the index
        assert len(enough_plans) == len(enough_restored) == 1
        assert "'enable_hashjoin', 'off'" in enough_plans[0]
        assert len(too_few_plans) == len(too_few_restored) == 2
        assert "'enable_nestloop', 'off'" in too_few_plans[1]
        assert too_few.index(too_few_plans[1]) == too_few.index(too_few_searches[1]) - 1  # just before it
    else:
        assert enough_plans == too_few_plans == []


@pytest.mark.django_db
def test_planner_settings_end_with_the_block_even_inside_a_transaction():
    from django.db import connection, transaction

    from hub.selectors import postgres_plan

    if connection.vendor != "postgresql":
        pytest.skip("planner settings are PostgreSQL's")

    def setting(name):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s)", [name])
            return cursor.fetchone()[0]

    with transaction.atomic():  # an outer transaction, as a test's or a request's
        with postgres_plan(enable_hashjoin="off", max_parallel_workers_per_gather=0):
            assert setting("enable_hashjoin") == "off" and setting("max_parallel_workers_per_gather") == "0"
        assert setting("enable_hashjoin") == "on" and setting("max_parallel_workers_per_gather") != "0"
