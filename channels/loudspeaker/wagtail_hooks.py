"""Admin for Channel managers: loudspeaker stations (by region, offline list), tokens, bulletins, plays."""

from django.conf import settings
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from channels.devices.admin import DeviceFilterSet, LinkColumn, OfflineDevicesPanel, seen_label
from channels.loudspeaker.admin_views import StationTokensView, run_sheet_view
from channels.loudspeaker.models import Bulletin, Play, Reception, Station
from hub.tenancy import OrganisationScopedViewSet, organisations_for, scope


def offline_minutes() -> int:
    return getattr(settings, "LOUDSPEAKER_OFFLINE_MINUTES", 24 * 60)


class StationFilterSet(DeviceFilterSet):
    class Meta:
        model = Station
        fields = ["kind", "active"]

    def offline_minutes(self) -> int:
        return offline_minutes()


class StationCreateView(generic.CreateView):
    """A new station goes straight to its tokens page: it cannot poll without one."""

    def get_success_url(self):
        return reverse("loudspeaker_station_tokens", args=[self.object.pk])


class StationViewSet(OrganisationScopedViewSet):
    model = Station
    add_view_class = StationCreateView
    icon = "media"
    menu_label = _("Stations")
    url_prefix = "loudspeaker/stations"
    filterset_class = StationFilterSet
    search_fields = ["name", "code", "location"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "code",
        "kind",
        "organisation",
        "region",
        "location",
        "slots",
        "languages",
        "active",
        "last_seen_at",
    ]
    list_display = [
        TitleColumn("name", label=_("Name"), url_name="loudspeaker_stations:edit"),
        Column("code", label=_("Code")),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("region", label=_("Region")),
        Column("slots", label=_("Broadcast slots")),
        Column(
            "seen", label=_("Status"), accessor=lambda station: seen_label(station, minutes=offline_minutes())
        ),
        LinkColumn(
            "token_link", label=_("Tokens"), url_name="loudspeaker_station_tokens", text=_("Manage tokens")
        ),
        LinkColumn(
            "sheet_link", label=_("Run sheet"), url_name="loudspeaker_run_sheet", text=_("Today's run sheet")
        ),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=Station.objects.select_related("region"), **kwargs)


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Bulletins and plays are made by the pipeline and the stations; people only look at them."""

    def user_has_permission(self, user, action):
        return action not in {"add", "change", "delete"} and super().user_has_permission(user, action)


for _model in (Bulletin, Play, Reception):
    register_permission_policy(_model, ReadOnlyPolicy(_model))


class BulletinScopeMixin:
    """A bulletin is seen by its organisation's people; one for every station by everyone here."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        user = self.request.user
        if user.is_superuser:
            return queryset
        return queryset.filter(
            Q(organisation__isnull=True) | Q(organisation__in=organisations_for(user).values("pk"))
        )


class BulletinViewSet(ModelViewSet):
    model = Bulletin
    icon = "list-ul"
    menu_label = _("Bulletins")
    url_prefix = "loudspeaker/bulletins"
    list_filter = ["priority", "language", "audio_status"]
    search_fields = ["title", "script"]
    list_display = [
        "title",
        "language",
        "priority",
        "audio_status",
        "audio_duration_s",
        "valid_from",
        "valid_until",
        "retracted_at",
    ]
    inspect_view_enabled = True
    inspect_view_fields = [
        "title",
        "language",
        "script",
        "priority",
        "regions",
        "everywhere",
        "valid_from",
        "valid_until",
        "published_at",
        "audio_status",
        "audio_source",
        "audio_duration_s",
        "audio_bytes",
        "audio_sha256",
        "audio_error",
        "retracted_at",
        "publication",
    ]
    form_fields = ["title"]
    copy_view_enabled = False

    def construct_view(self, view_class, **kwargs):
        view_class = type(f"Scoped{view_class.__name__}", (BulletinScopeMixin, view_class), {})
        return super().construct_view(view_class, **kwargs)


class PlayViewSet(OrganisationScopedViewSet):
    model = Play
    organisation_field = "station__organisation"
    icon = "tick"
    menu_label = _("Proof of play")
    url_prefix = "loudspeaker/plays"
    list_filter = ["status"]
    list_display = ["station", "bulletin", "played_at", "status", "received_at"]
    form_fields = ["status"]
    copy_view_enabled = False


class ReceptionViewSet(OrganisationScopedViewSet):
    model = Reception
    organisation_field = "station__organisation"
    icon = "success"
    menu_label = _("Delivered to stations")
    url_prefix = "loudspeaker/receptions"
    list_display = ["bulletin", "station", "delivered_at"]
    form_fields = ["delivered_at"]
    copy_view_enabled = False


class LoudspeakerViewSetGroup(ViewSetGroup):
    items = (
        StationViewSet("loudspeaker_stations"),
        BulletinViewSet("loudspeaker_bulletins"),
        PlayViewSet("loudspeaker_plays"),
        ReceptionViewSet("loudspeaker_receptions"),
    )
    menu_icon = "media"
    menu_label = _("Loudspeakers")
    menu_order = 330


@hooks.register("register_admin_viewset")
def register_loudspeaker_viewsets():
    return LoudspeakerViewSetGroup()


@hooks.register("register_admin_urls")
def register_loudspeaker_urls():
    return [
        path(
            "loudspeaker/stations/<int:pk>/tokens/",
            StationTokensView.as_view(),
            name="loudspeaker_station_tokens",
        ),
        path("loudspeaker/stations/<int:pk>/run-sheet/", run_sheet_view, name="loudspeaker_run_sheet"),
    ]


@hooks.register("construct_homepage_panels")
def add_offline_stations_panel(request, panels):
    if not request.user.has_perm("loudspeaker.view_station"):
        return
    offline = scope(Station.objects.offline(minutes=offline_minutes()), request.user).select_related("region")
    total = offline.count()
    if total:
        hours = max(1, offline_minutes() // 60)
        message = ngettext(
            "%(count)d loudspeaker station has not polled for more than %(hours)d hours.",
            "%(count)d loudspeaker stations have not polled for more than %(hours)d hours.",
            total,
        ) % {"count": total, "hours": hours}
        panels.append(
            OfflineDevicesPanel(
                heading=_("Loudspeaker stations"),
                message=message,
                devices=list(offline[:10]),
                list_url=reverse("loudspeaker_stations:index") + "?status=offline",
                link_text=_("See the offline stations"),
            )
        )


@hooks.register("register_log_actions")
def register_loudspeaker_log_actions(actions):
    from channels.loudspeaker.views import ACTION_AUTH_FAILED

    actions.register_action(
        ACTION_AUTH_FAILED,
        _("Loudspeaker feed authentication failure"),
        _("Loudspeaker feed request refused"),
    )
