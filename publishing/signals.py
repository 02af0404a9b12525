"""What the pipeline announces, for other parts of the hub (e.g. syndication) to follow."""

from django.dispatch import Signal

# Sent inside the publishing transaction, once per new Publication: publication=…
publication_created = Signal()
# Sent inside the retraction transaction when a story is unpublished: page=…, publications=[…]
publication_retracted = Signal()
