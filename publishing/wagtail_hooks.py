"""Admin wiring: the deliveries report, retry actions, a dashboard panel and a button on stories."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from publishing import views
from publishing.permissions import can_view_deliveries


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("publishing/deliveries/", views.DeliveryReportView.as_view(), name="publishing_deliveries"),
        path(
            "publishing/deliveries/results/",
            views.DeliveryReportView.as_view(results_only=True),
            name="publishing_deliveries_results",
        ),
        path(
            "publishing/deliveries/<int:pk>/retry/",
            views.delivery_retry_view,
            name="publishing_delivery_retry",
        ),
        path(
            "publishing/deliveries/retry-failed/",
            views.deliveries_retry_channel_view,
            name="publishing_deliveries_retry_channel",
        ),
    ]


class DeliveriesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_deliveries(request.user)


@hooks.register("register_reports_menu_item")
def register_deliveries_report():
    return DeliveriesMenuItem(_("Deliveries"), reverse("publishing_deliveries"), icon_name="mail", order=50)


class DeliveriesDashboardPanel(Component):
    name = "publishing_deliveries"
    order = 120
    template_name = "publishing/dashboard_panel.html"

    def get_context_data(self, parent_context):
        from django.conf import settings

        from publishing.selectors import deliveries_for, delivery_counts

        deliveries = deliveries_for(parent_context["request"].user)
        return {
            "counts": delivery_counts(deliveries=deliveries),
            "minutes": settings.PUBLISHING_STUCK_MINUTES,
        }


@hooks.register("construct_homepage_panels")
def add_deliveries_panel(request, panels):
    if can_view_deliveries(request.user):
        panels.append(DeliveriesDashboardPanel())


@hooks.register("register_page_header_buttons")
def deliveries_button(page, user, view_name, next_url=None):
    from hub.models import StoryPage

    if issubclass(page.specific_class or object, StoryPage) and can_view_deliveries(user):
        yield Button(
            _("Deliveries"),
            reverse("publishing_deliveries") + f"?page={page.pk}",
            icon_name="mail",
            priority=80,
        )
