"""One way to scope anything by organisation: querysets, admin viewsets and requests.

Every model an office owns has an `organisation` foreign key (or a path to one, named by
`organisation_field`). Admin listings, edit/delete/inspect URLs and choosers go through
`OrganisationScopedViewSet`; code elsewhere calls `scope()`. A superuser sees everything.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Site
from wagtail.permission_policies.sites import SitePermissionPolicy

from hub.models.organisations import Organisation


def organisations_for(user) -> QuerySet:
    """The organisations a user works for (all of them for a superuser)."""
    return Organisation.objects.for_user(user)


def scope(queryset: QuerySet, user, *, field: str = "organisation") -> QuerySet:
    """`queryset` limited to the rows of the user's organisations."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return queryset
    return queryset.filter(**{f"{field}__in": organisations_for(user).values("pk")})


def user_may_see(user, instance, *, field: str = "organisation") -> bool:
    """Whether one object belongs to an organisation of the user."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return True
    organisation_id = _follow(instance, field)
    return organisation_id is not None and organisations_for(user).filter(pk=organisation_id).exists()


def _follow(instance, field: str):
    """The organisation id at the end of a `a__b__organisation` path from one object."""
    *hops, last = field.split("__")
    for hop in hops:
        instance = getattr(instance, hop, None)
        if instance is None:
            return None
    return getattr(instance, f"{last}_id", None)


def is_superuser(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def regions_q(organisations) -> Q:
    """Regions within the region trees of these organisations (none when they have none)."""
    condition = Q(pk__in=[])
    for path in {organisation.region.path for organisation in organisations if organisation.region_id}:
        condition |= Q(path__startswith=path)
    return condition


def regions_for(user) -> QuerySet:
    """The regions a user may choose: their organisations' region subtrees (all for a superuser)."""
    from hub.models import Region

    if is_superuser(user):
        return Region.objects.all()
    return Region.objects.filter(regions_q(organisations_for(user).select_related("region")))


def regions_of(organisation: Organisation | None) -> QuerySet:
    """An organisation's own regions: its region and everything below it."""
    from hub.models import Region

    if organisation is None or organisation.region_id is None:
        return Region.objects.none()
    return Region.objects.within(organisation.region)


def pages_q(organisations, *, field: str = "path") -> Q:
    """Pages (or rows with a page path under `field`) inside these organisations' portals."""
    condition = Q(pk__in=[])
    for organisation in organisations:
        if organisation.site_id:
            condition |= Q(**{f"{field}__startswith": organisation.site.root_page.path})
    return condition


def pages_for(user) -> QuerySet:
    """Pages in the portals of the user's organisations (every page for a superuser)."""
    from wagtail.models import Page

    if is_superuser(user):
        return Page.objects.all()
    organisations = organisations_for(user).select_related("site__root_page")
    return Page.objects.filter(pages_q(organisations))


def organisation_for_page(page) -> Organisation | None:
    """The organisation whose portal holds a page (the deepest site root above it)."""
    best = None
    for organisation in Organisation.objects.filter(site__isnull=False).select_related("site__root_page"):
        root = organisation.site.root_page
        if page.path.startswith(root.path) and (best is None or root.depth > best.site.root_page.depth):
            best = organisation
    return best


def organisation_for_site(site: Site | None) -> Organisation | None:
    if site is None:
        return None
    return Organisation.objects.filter(site=site).first()


def organisation_for_request(request) -> Organisation | None:
    """The organisation whose portal answers this request (by hostname), remembered on the request."""
    if not hasattr(request, "_hub_organisation"):
        request._hub_organisation = organisation_for_site(Site.find_for_request(request))
    return request._hub_organisation


def limit_region_fields(form, user) -> None:
    """Region choices in an admin form: the user's organisations' regions only."""
    from hub.models import Region

    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model is Region:
            field.queryset = regions_for(user)


class OrganisationScopedViewMixin:
    """For Wagtail's generic model views: listings show, and URLs open, only the user's rows."""

    organisation_field = "organisation"

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if queryset.model is not self.model:
            return queryset  # a history or usage listing of one object: get_object() guards it
        return scope(queryset, self.request.user, field=self.organisation_field)

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not user_may_see(self.request.user, instance, field=self.organisation_field):
            raise Http404
        return instance

    def get_form(self, *args, **kwargs):
        """The organisation field offers only the user's organisations (the only one preselected);
        region fields only the regions of those organisations."""
        form = super().get_form(*args, **kwargs)
        limit_region_fields(form, self.request.user)
        field = form.fields.get("organisation") if self.organisation_field == "organisation" else None
        if field is not None:
            choices = organisations_for(self.request.user)
            field.queryset = choices
            only = list(choices[:2])
            if len(only) == 1 and not is_superuser(self.request.user):
                # Someone working for one organisation never chooses it: their rows are its rows.
                if not form.instance.pk:
                    form.instance.organisation = only[0]
                del form.fields["organisation"]
            elif not form.instance.pk and len(only) == 1:
                field.initial = only[0].pk
        return form


class OrganisationSitePermissionPolicy(SitePermissionPolicy):
    """Site settings (the campaign phase) editable only on the user's own organisations' sites."""

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        if is_superuser(user):
            return True
        site_id = instance.pk if isinstance(instance, Site) else instance.site_id
        return organisations_for(user).filter(site_id=site_id).exists()

    def sites_user_has_any_permission_for(self, user, actions):
        sites = super().sites_user_has_any_permission_for(user, actions)
        if is_superuser(user):
            return sites
        return sites.filter(organisation__in=organisations_for(user))


class OrganisationScopedViewSet(ModelViewSet):
    """A ModelViewSet whose every view is scoped by organisation (see the mixin above)."""

    organisation_field = "organisation"

    def construct_view(self, view_class, **kwargs):
        if not issubclass(view_class, OrganisationScopedViewMixin):
            view_class = type(
                f"OrganisationScoped{view_class.__name__}",
                (OrganisationScopedViewMixin, view_class),
                {"organisation_field": self.organisation_field},
            )
        return super().construct_view(view_class, **kwargs)
