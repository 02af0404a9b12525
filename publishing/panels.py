"""A read-only panel listing a story's deliveries, for the story's edit form.

Add it with `from publishing.panels import DeliveriesPanel` and `DeliveriesPanel()` in a tab.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from publishing.models import Delivery
from publishing.permissions import can_view_deliveries


class DeliveriesPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Deliveries"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "deliveries"

    class BoundPanel(Panel.BoundPanel):
        template_name = "publishing/deliveries_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page_id = getattr(self.instance, "pk", None)
            deliveries = (
                Delivery.objects.filter(publication__page_id=page_id)
                .select_related("publication")
                .order_by("-publication__published_at", "channel", "target")[:30]
                if page_id
                else []
            )
            context["deliveries"] = deliveries
            context["story_title"] = getattr(self.instance, "title", "")
            context["can_view_all"] = self.request is not None and can_view_deliveries(self.request.user)
            return context
