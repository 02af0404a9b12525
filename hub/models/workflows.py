"""Workflow steps scoped by story kind, and the record of overdue-review reminders."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState


def _signoff_errors(obj) -> list[str]:
    """What stops this story's latest revision from being approved (hub/limits.py)."""
    from hub.limits import signoff_errors
    from hub.models import StoryPage

    specific = getattr(obj, "specific", obj)
    if not isinstance(specific, StoryPage):
        return []
    return signoff_errors(specific.get_latest_revision_as_object())


def _story_content_types():
    return {"app_label": "hub", "model__endswith": "page"}


class StoryReviewTask(AbstractGroupApprovalTask):
    """A group approval step that applies to some story kinds only; the others skip it.

    Nobody acts on a story they submitted themselves: the submitter gets no approve action.
    """

    key = models.SlugField(
        _("key"), max_length=40, blank=True, help_text=_("Stable name used by the hub's setup.")
    )
    page_types = models.ManyToManyField(
        ContentType,
        verbose_name=_("story kinds"),
        blank=True,
        limit_choices_to=_story_content_types,
        related_name="+",
        help_text=_("The step applies to these kinds only. Empty: every page."),
    )
    only_if_routed_to_police = models.BooleanField(
        _("only when routed to the police"),
        default=False,
        help_text=_("Applies only to stories whose editor or reviewer routed them to police review."),
    )

    locales = models.ManyToManyField(
        "wagtailcore.Locale",
        verbose_name=_("languages"),
        blank=True,
        related_name="+",
        help_text=_(
            "The step applies to stories in these languages only (e.g. a language review). Empty: all."
        ),
    )

    admin_form_fields = [
        *AbstractGroupApprovalTask.admin_form_fields,
        "page_types",
        "only_if_routed_to_police",
        "locales",
    ]
    admin_form_widgets = {
        **AbstractGroupApprovalTask.admin_form_widgets,
        "page_types": AbstractGroupApprovalTask.admin_form_widgets["groups"],
        "locales": AbstractGroupApprovalTask.admin_form_widgets["groups"],
    }

    class Meta:
        verbose_name = _("story review step")
        verbose_name_plural = _("story review steps")

    def applies_to(self, obj) -> bool:
        """Whether a page (the revision under review) must pass this step."""
        allowed = set(self.page_types.values_list("pk", flat=True))
        if allowed and ContentType.objects.get_for_model(obj).pk not in allowed:
            return False
        locales = set(self.locales.values_list("pk", flat=True))
        if locales and getattr(obj, "locale_id", None) not in locales:
            return False
        return getattr(obj, "route_to_police", False) or not self.only_if_routed_to_police

    def start(self, workflow_state, user=None):
        revision = workflow_state.content_object.get_latest_revision()
        if self.applies_to(revision.as_object()):
            return super().start(workflow_state, user=user)
        task_state = self.get_task_state_class()(workflow_state=workflow_state)
        task_state.status = TaskState.STATUS_SKIPPED
        task_state.revision = revision
        task_state.task = self
        task_state.comment = str(_("Not required for this kind of story."))
        task_state.save()
        return task_state

    @staticmethod
    def _submitted_by(obj, user) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        return bool(state and user.pk and state.requested_by_id == user.pk)

    def get_actions(self, obj, user):
        if self._submitted_by(obj, user):
            return []
        actions = super().get_actions(obj, user)
        self._acting_on = obj
        if actions and _signoff_errors(obj):
            # An approval that would be refused opens the form that says why (see get_form_for_action).
            actions = [(name, label, True if name == "approve" else modal) for name, label, modal in actions]
        return actions

    def get_form_for_action(self, action):
        form_class = super().get_form_for_action(action)
        if action != "approve":
            return form_class
        task = self

        class SignOffForm(form_class or forms.Form):
            """Approval is refused while a channel's text does not fit it, naming channel and excess."""

            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                obj = getattr(task, "_acting_on", None)
                self.signoff_errors = _signoff_errors(obj) if obj is not None else []
                if self.signoff_errors and not self.is_bound:
                    # Shown as soon as the dialog opens, before anyone presses the button.
                    self._errors = ErrorDict(
                        {NON_FIELD_ERRORS: self.error_class(self.signoff_errors, error_class="nonfield")}
                    )

            def clean(self):
                cleaned_data = super().clean()
                for message in self.signoff_errors:
                    self.add_error(None, message)
                return cleaned_data

        return SignOffForm

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            errors = _signoff_errors(task_state.workflow_state.content_object)
            if errors:
                raise ValidationError(errors)
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return _(
            "Members of the chosen groups approve the story kinds chosen; nobody approves their own submission"
        )


class ReviewReminder(models.Model):
    """One overdue-review e-mail sent for one task state, so approvers are told once."""

    task_state = models.OneToOneField(
        "wagtailcore.TaskState", on_delete=models.CASCADE, related_name="hub_review_reminder"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("overdue review reminder")
        verbose_name_plural = _("overdue review reminders")

    def __str__(self) -> str:
        return f"{self.task_state_id} @ {self.sent_at:%Y-%m-%d %H:%M}"
