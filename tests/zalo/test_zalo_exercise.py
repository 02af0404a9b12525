"""A drill stays in the Zalo sandbox on an authorised Official Account: recorded, never sent."""

from channels.zalo.models import ZaloPost


def test_an_authorised_account_keeps_a_drill_in_the_sandbox(http, adapter, account, publication):
    target = f"oa:{account.pk}"
    payload = {**adapter.render(publication, None), "exercise": True}
    assert not account.is_sandbox

    sent = adapter.send(payload, target=target, marker="hub-1")
    adapter.retract(target=target, external_id=sent.external_id)

    post = ZaloPost.objects.get()
    assert post.sandbox and sent.external_id.startswith("sandbox-") and post.removed_at is not None
    assert len(http.calls) == 0
