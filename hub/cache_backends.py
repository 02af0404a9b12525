"""The embedded run's file cache, without a directory listing on every write."""

import itertools

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 100


class FileCache(FileBasedCache):
    """Django's file cache, counting its entries every `CULL_EVERY` writes instead of on each one.

    Django lists the whole cache folder on every `set` to decide whether to cull; a portal that
    stores each rendered page paid for that listing on every cache miss.
    """

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes = itertools.count()

    def _cull(self):
        if next(self._writes) % CULL_EVERY == 0:
            super()._cull()
