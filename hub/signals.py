"""Signal wiring of the editorial workflows: groups and workflow kept complete after every migrate."""

from django.db.models.signals import post_migrate


def _ensure_workflow(sender, using="default", **kwargs) -> None:
    from hub.workflows import ensure_workflow

    if using == "default":
        ensure_workflow()


def _discard_unapproved(sender, instance, **kwargs) -> None:
    from hub.workflows import discard_unapproved

    discard_unapproved(workflow_state=instance)


def connect_workflow_signals(app_config) -> None:
    """Run after the last installed app's post_migrate, once every app's permissions exist."""
    from django.apps import apps

    # post_migrate is sent only for apps that have a models module.
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    post_migrate.connect(_ensure_workflow, sender=last, dispatch_uid="hub.ensure_workflow")

    from wagtail.signals import workflow_cancelled, workflow_rejected

    workflow_rejected.connect(_discard_unapproved, dispatch_uid="hub.discard_rejected")
    workflow_cancelled.connect(_discard_unapproved, dispatch_uid="hub.discard_withdrawn")
