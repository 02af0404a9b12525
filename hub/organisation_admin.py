"""Admin of tenancy: organisations (superusers), syndication subscriptions and syndicated stories,
regions scoped to the user's organisations, and the read-only view of child organisations' stories."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from hub.models import Organisation, Region, RegionLevel, Subscription, SyndicatedCopy
from hub.selectors import KINDS
from hub.tenancy import (
    OrganisationScopedViewSet,
    is_superuser,
    organisations_for,
    pages_for,
    regions_for,
    user_may_see,
)

# --- Organisations (site administrators only) ---------------------------------------------


class OrganisationCreateForm(WagtailAdminModelForm):
    """A new organisation with its portal address and region; the rest is built for it."""

    hostname = forms.CharField(label=_("portal host name"), max_length=255, help_text=_("e.g. baoloc.gov.vn"))
    port = forms.IntegerField(label=_("port"), initial=80, min_value=1, max_value=65535)
    region_code = forms.SlugField(
        label=_("region code"), max_length=20, required=False, help_text=_("e.g. 672 for Bảo Lộc city.")
    )
    region_name = forms.CharField(label=_("region name"), max_length=120, required=False)
    region_level = forms.ChoiceField(
        label=_("region level"), choices=RegionLevel.choices, initial=RegionLevel.PROVINCE
    )

    class Meta:
        model = Organisation
        fields = ["name", "slug", "kind", "parent"]

    def clean(self):
        data = super().clean()
        code = data.get("region_code")
        if code and not data.get("region_name") and not Region.objects.filter(code=code).exists():
            self.add_error("region_name", _("Name the new region."))
        return data


class OrganisationCreateView(generic.CreateView):
    def save_instance(self):
        from hub.organisations import RegionSpec, organisation_create

        data = self.form.cleaned_data
        region = None
        if data.get("region_code"):
            region = Region.objects.filter(code=data["region_code"]).first() or RegionSpec(
                data["region_code"], data["region_name"], data["region_level"]
            )
        try:
            return organisation_create(
                name=data["name"],
                slug=data["slug"],
                kind=data["kind"],
                parent=data.get("parent"),
                hostname=data["hostname"],
                port=data["port"],
                region=region,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                self.form.add_error(field if field in self.form.fields else None, problems)
            raise

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError:
            return self.form_invalid(form)


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 260
    add_to_settings_menu = True
    add_view_class = OrganisationCreateView
    list_display = [
        "name",
        "slug",
        "kind",
        "parent",
        "site",
        "region",
        BooleanColumn("in_exercise", label=_("Exercise mode")),  # switched at /admin/exercise/
    ]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    form_fields = ["name", "kind", "parent", "site", "region", "logo", "groups"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        if not for_update:
            return OrganisationCreateForm
        return super().get_form_class(for_update=for_update)


# --- Syndication ---------------------------------------------------------------------------


class SubscriptionForm(WagtailAdminModelForm):
    kinds = forms.MultipleChoiceField(
        label=_("story kinds"),
        required=False,
        choices=[(key, model._meta.verbose_name) for key, model in KINDS.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )

    class Meta:
        model = Subscription
        fields = ["subscriber", "source", "kinds", "regions", "tags", "active"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        mine = organisations_for(for_user)
        self.fields["subscriber"].queryset = mine
        if not self.instance.pk and len(mine[:2]) == 1:
            self.fields["subscriber"].initial = mine[0].pk
        self.fields["regions"].queryset = Region.objects.all()

    def clean(self):
        data = super().clean()
        if data.get("subscriber") and data.get("subscriber") == data.get("source"):
            self.add_error("source", _("An organisation cannot subscribe to itself."))
        return data


class SubscriptionViewSet(OrganisationScopedViewSet):
    model = Subscription
    organisation_field = "subscriber"
    icon = "rss"
    menu_label = _("Subscriptions")
    url_prefix = "syndication/subscriptions"
    list_display = ["source", "subscriber", "tags", "active"]
    list_filter = ["active"]
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return SubscriptionForm


class RepublishColumn(Column):
    cell_template_name = "hub/admin/republish_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = reverse("hub_syndicated_republish", args=[instance.pk])
        context["own"] = (
            reverse("wagtailadmin_pages:edit", args=[instance.republished_as_id])
            if instance.republished_as_id
            else ""
        )
        context["withdrawn"] = instance.withdrawn_at is not None
        return context


class SyndicatedCopyViewSet(OrganisationScopedViewSet):
    model = SyndicatedCopy
    icon = "doc-full"
    menu_label = _("Syndicated stories")
    url_prefix = "syndication/stories"
    search_fields = ["title", "summary"]
    list_display = [
        TitleColumn("title", label=_("Title"), url_name="hub_syndicated:inspect"),
        Column("source_organisation", label=_("Source organisation")),
        DateColumn("published_at", label=_("Published at the source")),
        DateColumn("withdrawn_at", label=_("Withdrawn")),
        RepublishColumn("republish", label=""),
    ]
    list_filter = ["source_organisation"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "summary",
        "source_organisation",
        "canonical_url",
        "approved_by_name",
        "published_at",
        "valid_until",
        "withdrawn_at",
    ]
    copy_view_enabled = False
    form_fields = ["title"]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Syndicated stories follow their source; people look at them and re-publish them."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return is_superuser(user) or (user.is_active and organisations_for(user).exists())

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(SyndicatedCopy, ReadOnlyPolicy(SyndicatedCopy))


class SyndicationViewSetGroup(ViewSetGroup):
    items = (SubscriptionViewSet("hub_subscriptions"), SyndicatedCopyViewSet("hub_syndicated"))
    menu_icon = "rss"
    menu_label = _("Syndication")
    menu_order = 270


def republish_view(request, pk: int):
    """Starts the organisation's own story from a syndicated one; it goes through its own sign-off."""
    from hub.syndication import syndicated_copy_republish

    if request.method != "POST":
        raise Http404
    copy = get_object_or_404(SyndicatedCopy, pk=pk)
    if not user_may_see(request.user, copy):
        raise Http404
    try:
        page = syndicated_copy_republish(copy=copy, user=request.user)
    except PermissionDenied:
        messages.error(request, _("You may not add stories to this organisation's portal."))
        return redirect("hub_syndicated:index")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("hub_syndicated:index")
    messages.success(
        request, _("A draft of your own story was made from it. Edit it and submit it for sign-off.")
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


# --- Regions: each organisation sees its own region tree ---------------------------------


class RegionScopedViewMixin:
    def get_base_queryset(self):
        # A list, not a subquery: search backends filter on plain values only.
        return (
            super()
            .get_base_queryset()
            .filter(pk__in=list(regions_for(self.request.user).values_list("pk", flat=True)))
        )

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not regions_for(self.request.user).filter(pk=instance.pk).exists():
            raise Http404
        return instance

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "parent" in form.fields and not is_superuser(self.request.user):
            form.fields["parent"].queryset = regions_for(self.request.user)
            form.fields["parent"].required = True
        return form


class RegionChooserMixin:
    def get_object_list(self):
        return (
            super()
            .get_object_list()
            .filter(pk__in=list(regions_for(self.request.user).values_list("pk", flat=True)))
        )


class RegionChosenMixin:
    def get_object(self, pk):
        return regions_for(self.request.user).get(pk=pk)


class RegionChooserViewSet(SnippetChooserViewSet):
    def construct_view(self, view_class, **kwargs):
        if view_class is self.chosen_view_class:
            view_class = type(f"Scoped{view_class.__name__}", (RegionChosenMixin, view_class), {})
        elif issubclass(view_class, generic.chooser.BaseChooseView):
            view_class = type(f"Scoped{view_class.__name__}", (RegionChooserMixin, view_class), {})
        return super().construct_view(view_class, **kwargs)


class ScopedRegionViewSet(SnippetViewSet):
    chooser_viewset_class = RegionChooserViewSet

    def construct_view(self, view_class, **kwargs):
        if hasattr(view_class, "get_base_queryset") or hasattr(view_class, "get_object"):
            view_class = type(f"RegionScoped{view_class.__name__}", (RegionScopedViewMixin, view_class), {})
        return super().construct_view(view_class, **kwargs)


# --- A parent's approvers see (read-only) what its children publish ---------------------


def children_stories_view(request):
    from hub.languages import DEFAULT_LANGUAGE  # the source stories, whatever the admin's language
    from hub.permissions import APPROVERS, role_q
    from hub.selectors import as_specific, live_stories

    mine = organisations_for(request.user)
    if not is_superuser(request.user):
        mine = mine.filter(groups__in=request.user.groups.filter(role_q(APPROVERS)))
    children = list(Organisation.objects.filter(parent__in=mine).select_related("site__root_page"))
    rows = []
    for child in children:
        if child.site_id:
            stories = as_specific(
                list(live_stories(root=child.site.root_page, language=DEFAULT_LANGUAGE)[:50])
            )
            rows.append((child, stories))
    return render(
        request,
        "hub/admin/children_stories.html",
        {"rows": rows, "page_title": _("Stories of our departments and districts")},
    )


class ChildrenStoriesMenuItem(MenuItem):
    def is_shown(self, request):
        from hub.permissions import APPROVERS, role_q

        user = request.user
        if is_superuser(user):
            return Organisation.objects.filter(parent__isnull=False).exists()
        approver_of = organisations_for(user).filter(groups__in=user.groups.filter(role_q(APPROVERS)))
        return Organisation.objects.filter(parent__in=approver_of).exists()


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    return [OrganisationViewSet("hub_organisations"), SyndicationViewSetGroup()]


@hooks.register("register_admin_urls")
def register_organisation_urls():
    return [
        path("syndication/stories/<int:pk>/republish/", republish_view, name="hub_syndicated_republish"),
        path("organisations/children/", children_stories_view, name="hub_children_stories"),
    ]


@hooks.register("register_admin_menu_item")
def register_children_stories_menu_item():
    return ChildrenStoriesMenuItem(
        _("Departments' stories"), reverse("hub_children_stories"), icon_name="doc-full-inverse", order=160
    )


@hooks.register("construct_page_chooser_queryset")
def page_chooser_within_organisations(pages, request):
    """The page chooser offers the pages of the user's own portals only."""
    if is_superuser(request.user):
        return pages
    return pages.filter(pk__in=pages_for(request.user).values("pk"))
