from hub.cache_backends import CULL_EVERY, FileCache


def test_the_file_cache_still_culls_when_full(tmp_path):
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})

    for number in range(3 * CULL_EVERY):
        cache.set(f"key-{number}", number)

    # Between two counts the cache may overshoot by CULL_EVERY writes; each count culls half.
    assert len(list(tmp_path.glob("*.djcache"))) <= 2 * CULL_EVERY
    assert cache.get(f"key-{3 * CULL_EVERY - 1}") == 3 * CULL_EVERY - 1
