"""Document ids sort in the order they were made, even many in one millisecond: the audit log
and "the first asked wins" rules read that order."""

from floorwalker.core.shards import new_id


def test_ids_made_in_one_process_sort_in_the_order_they_were_made():
    ids = [new_id() for _ in range(20_000)]  # thousands share a millisecond
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(len(i) == 26 for i in ids)
