"""bot/core/ordering.ChatOrder: each chat's work in order, replies in order per sender, strict
updates after everything before them; the next update's work overlaps earlier replies."""

from __future__ import annotations

import asyncio

from bot.core.ordering import ChatOrder, committed


def update(log: list[str], name: str, *, work: float = 0.0, send: float = 0.0,
           plain: bool = True, release: bool = True):  # type: ignore[no-untyped-def]
    async def run() -> None:
        log.append(f"{name} work")
        await asyncio.sleep(work)
        log.append(f"{name} done")
        if release:
            await committed(plain=plain)
        log.append(f"{name} send")
        await asyncio.sleep(send)
        log.append(f"{name} sent")

    return run


async def test_work_in_order_and_overlapping_the_previous_replies() -> None:
    log: list[str] = []
    order = ChatOrder()
    order.submit("g", "a", update(log, "1", work=0.01, send=0.05))
    order.submit("g", "b", update(log, "2", work=0.01))
    await order.drain(5)
    assert log.index("1 done") < log.index("2 work")  # work never overlaps in one chat
    assert log.index("2 work") < log.index("1 sent")  # …but overlaps 1's reply
    assert log.index("2 sent") < log.index("1 sent")  # other sender: not held up


async def test_same_sender_replies_in_order() -> None:
    log: list[str] = []
    order = ChatOrder()
    order.submit("g", "a", update(log, "1", send=0.05))
    order.submit("g", "a", update(log, "2"))
    await order.drain(5)
    assert log.index("2 work") < log.index("1 sent")
    assert log.index("1 sent") < log.index("2 send")


async def test_strict_update_waits_for_every_earlier_reply_and_is_waited_for() -> None:
    log: list[str] = []
    order = ChatOrder()
    order.submit("g", "a", update(log, "1", send=0.05))
    order.submit("g", "b", update(log, "2", plain=False, send=0.02))
    order.submit("g", "c", update(log, "3"))
    await order.drain(5)
    assert log.index("1 sent") < log.index("2 send")
    assert log.index("2 sent") < log.index("3 send")


async def test_without_release_the_next_update_waits_for_the_end() -> None:
    log: list[str] = []
    order = ChatOrder()
    order.submit("g", "a", update(log, "1", send=0.02, release=False))
    order.submit("g", "a", update(log, "2"))
    await order.drain(5)
    assert log.index("1 sent") < log.index("2 work")


async def test_chats_run_concurrently_and_a_failure_frees_the_chat() -> None:
    log: list[str] = []
    order = ChatOrder()

    async def boom() -> None:
        raise RuntimeError("handler bug")

    order.submit("g1", "a", update(log, "slow", work=0.05))
    order.submit("g2", "a", update(log, "fast"))
    order.submit("g3", "a", boom)
    order.submit("g3", "a", update(log, "after"))
    await order.drain(5)
    assert log.index("fast sent") < log.index("slow done")
    assert "after sent" in log
    assert len(order) == 0
