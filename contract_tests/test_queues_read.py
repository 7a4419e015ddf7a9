"""Contract: reading queue items, as properties that hold on any tenant's queues."""

from hypothesis import given
from hypothesis import strategies as st

from uipath_emulator.client import UiPathClient
from uipath_emulator.contract_tests.queues import STATUSES, a_queue_with_items, of_queue
from uipath_emulator.contract_tests.targets import Target
from uipath_emulator.contract_tests.test_machines_read import budget

STABLE = ("Id", "Key", "QueueDefinitionId", "Reference", "OrganizationUnitId")
"""Members an item keeps for life (its Status may move while a robot works on it)."""


def test_listed_items_are_got_by_id_in_their_folder(target: Target, api: UiPathClient) -> None:
    """Each item QueueItems lists in a folder is answered by QueueItems(<id>) in that folder,
    with the same Id, Key, queue, Reference and folder."""
    folder, _queue, items = a_queue_with_items(target, api)

    @budget(target)
    @given(item=st.sampled_from(items))
    def check(item: dict[str, object]) -> None:
        single = api.queues.get_item(int(str(item["Id"])), folder=folder)
        assert {name: single.get(name) for name in STABLE} == {
            name: item.get(name) for name in STABLE
        }

    check()


def test_a_status_filter_returns_only_that_status(target: Target, api: UiPathClient) -> None:
    """`Status eq '<s>'` on a queue's items answers only items in status s, for every status,
    and each of them is in the queue's unfiltered listing."""
    folder, queue, _items = a_queue_with_items(target, api)
    found: dict[str, list[object]] = {}
    for status in STATUSES:
        page = api.queues.list_items(
            folder=folder, filter=f"{of_queue(queue)} and Status eq '{status}'", top=1000
        )
        assert {item["Status"] for item in page.items} <= {status}, status
        found[status] = [item["Id"] for item in page.items]
    listed = {item["Id"] for item in api.queues.iter_items(folder=folder, filter=of_queue(queue))}
    for status, ids in found.items():
        assert set(ids) <= listed, status


def test_paging_returns_each_item_once(target: Target, api: UiPathClient) -> None:
    """Walking a queue's items with `$top=n`/`$skip` (Id order) yields each listed item once."""
    folder, queue, items = a_queue_with_items(target, api)
    listed = [item["Id"] for item in items]

    @budget(target)
    @given(page_size=st.integers(min_value=1, max_value=max(1, min(len(listed) + 1, 50))))
    def check(page_size: int) -> None:
        walked = [
            item["Id"]
            for item in api.queues.iter_items(
                folder=folder, filter=of_queue(queue), page_size=page_size
            )
        ]
        assert walked == listed

    check()


def test_the_cross_folder_listing_covers_the_folders_items(
    target: Target, api: UiPathClient
) -> None:
    """QueueItems without a folder header lists a folder's items too, in the same folder."""
    folder, queue, items = a_queue_with_items(target, api)
    across = api.queues.list_items(filter=of_queue(queue), orderby="Id", top=1000).items
    shown = {item["Id"]: item.get("OrganizationUnitId") for item in across}
    assert {item["Id"]: item.get("OrganizationUnitId") for item in items}.items() <= shown.items()
    assert folder["Id"] in set(shown.values())
