import factory
from django.contrib.auth.models import Group
from wagtail.models import Site

from hub.models import Organisation, OrganisationKind
from hub.permissions import GROUP_NAMES

DEFAULT_SLUG = "to-chuc-mac-dinh"


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Ủy ban nhân dân thử nghiệm {n}")
    slug = factory.Sequence(lambda n: f"to-chuc-{n}")
    kind = OrganisationKind.PROVINCE

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """`OrganisationFactory(groups=[group, …])` makes the members of those groups its people."""
        if create and extracted:
            self.groups.add(*extracted)


def default_organisation() -> Organisation:
    """The organisation of tests that do not name one: it owns the default site and the hub-wide
    groups (Editors, Approvers, …), as an installation with one office does."""
    organisation, created = Organisation.objects.get_or_create(
        slug=DEFAULT_SLUG,
        defaults={"name": "Ủy ban nhân dân tỉnh thử nghiệm", "kind": OrganisationKind.PROVINCE},
    )
    if created:
        organisation.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in GROUP_NAMES])
    if organisation.region_id is None:
        from hub.models import Region

        top = Region.objects.filter(parent__isnull=True).order_by("pk").first()
        if top is not None:
            organisation.region = top
            organisation.save(update_fields=["region"])
    if organisation.site_id is None:
        site = Site.objects.filter(is_default_site=True).first()
        if site is not None and not Organisation.objects.filter(site=site).exists():
            organisation.site = site
            organisation.save(update_fields=["site"])
    return organisation
