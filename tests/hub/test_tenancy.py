"""The one scoping helper: who sees which organisation's rows."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import RequestFactory
from wagtail.models import Site

from hub import tenancy
from hub.models import Organisation
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_organisations():
    group_a, group_b = Group.objects.create(name="A — Editors"), Group.objects.create(name="B — Editors")
    return OrganisationFactory(groups=[group_a]), OrganisationFactory(groups=[group_b])


def test_a_member_sees_only_their_organisations(two_organisations):
    first, second = two_organisations
    user = UserFactory(groups=["A — Editors"])

    assert list(tenancy.organisations_for(user)) == [first]
    assert list(tenancy.scope(Organisation.objects.all(), user, field="pk")) == [first]
    assert not tenancy.scope(Organisation.objects.filter(pk=second.pk), user, field="pk").exists()


def test_someone_in_both_sees_both_and_a_superuser_sees_all(two_organisations):
    both = UserFactory(groups=["A — Editors", "B — Editors"])
    superuser = UserFactory(is_superuser=True)

    assert tenancy.organisations_for(both).count() == 2
    assert (
        tenancy.organisations_for(superuser).count() == Organisation.objects.count() == 3
    )  # and the tests' own


def test_nobody_outside_sees_anything(two_organisations):
    assert not tenancy.organisations_for(AnonymousUser()).exists()
    assert not tenancy.organisations_for(UserFactory()).exists()
    assert not tenancy.organisations_for(UserFactory(groups=["A — Editors"], is_active=False)).exists()


def test_user_may_see_follows_a_path_to_the_organisation(two_organisations):
    first, second = two_organisations
    child = OrganisationFactory(parent=first)
    user = UserFactory(groups=["A — Editors"])

    assert tenancy.user_may_see(user, child, field="parent")
    assert not tenancy.user_may_see(user, OrganisationFactory(parent=second), field="parent")


def test_the_request_finds_its_organisation_by_hostname(home, two_organisations):
    first, _second = two_organisations
    Organisation.objects.update(site=None)
    first.site = Site.objects.get()
    first.save()
    request = RequestFactory().get("/", HTTP_HOST="testserver")

    assert tenancy.organisation_for_request(request) == first
    # An unknown hostname falls back to the default site, as Wagtail's routing does.
    assert tenancy.organisation_for_request(RequestFactory().get("/", HTTP_HOST="localhost")) == first


def test_a_scoped_viewsets_history_opens_for_its_own_rows_only(client):
    from django.urls import reverse

    from tests.factories.led import ScreenFactory
    from tests.factories.organisations import default_organisation

    own = ScreenFactory()
    other = ScreenFactory(organisation=OrganisationFactory())
    default_organisation().groups.add(Group.objects.get_or_create(name="Channel managers")[0])
    client.force_login(UserFactory(groups=["Channel managers"]))

    assert client.get(reverse("led_screens:history", args=[own.pk])).status_code == 200
    assert client.get(reverse("led_screens:history", args=[other.pk])).status_code == 404
