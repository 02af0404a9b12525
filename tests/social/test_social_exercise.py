"""A drill (payload `exercise: true`) stays in the sandbox on Facebook and X whatever the account's
credentials: posted, edited and deleted there, never on the network."""

from channels.social.models import SandboxPost


def test_facebook_keeps_a_drill_in_the_sandbox_through_its_whole_life(
    http, facebook, fb_account, publication
):
    target = f"account:{fb_account.pk}"
    payload = {**facebook.render(publication, None), "exercise": True}
    assert not fb_account.is_sandbox

    sent = facebook.send(payload, target=target, marker="hub-1")
    facebook.update(payload, target=target, external_id=sent.external_id, marker="hub-2")
    found = facebook.reconcile(payload, target=target, marker="hub-1")
    facebook.retract(target=target, external_id=sent.external_id)

    assert sent.external_id.startswith("sandbox-") and found.external_id == sent.external_id
    assert list(SandboxPost.objects.order_by("pk").values_list("action", flat=True)) == [
        SandboxPost.Action.SEND,
        SandboxPost.Action.UPDATE,
        SandboxPost.Action.RETRACT,
    ]
    assert len(http.calls) == 0


def test_x_keeps_a_drill_in_the_sandbox(http, x, x_account, publication):
    target = f"account:{x_account.pk}"
    payload = {**x.render(publication, None), "exercise": True}
    assert not x_account.is_sandbox

    sent = x.send(payload, target=target, marker="hub-1")
    x.retract(target=target, external_id=sent.external_id)

    assert sent.external_id.startswith("sandbox-")
    assert SandboxPost.objects.filter(action=SandboxPost.Action.RETRACT).count() == 1
    assert len(http.calls) == 0
