"""The one way in from Wagtail: a published rebuttal answers the claims it was made from."""


def on_page_published(sender, *, instance, **kwargs) -> None:
    from hub.intake.models import Claim
    from hub.intake.notifications import claim_mark_answered

    for claim in Claim.objects.filter(rebuttal_id=instance.pk):
        claim_mark_answered(claim=claim)
