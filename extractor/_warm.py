"""Imported once by the batch pool's fork server (see ``extractor.batch``): builds and warms the
default pipeline there, so that every worker process forks from a process that already has it,
and starts in milliseconds instead of seconds. Nothing else imports this module.

``gc.freeze()`` moves what the warm-up created out of the garbage collector's reach, so that the
collections in the workers do not write to (and so copy) the memory they share with the server.
"""

import gc

from .guard import fork_server_ends_with_parent
from .tasks import warm_pipeline

fork_server_ends_with_parent()
warm_pipeline()
gc.freeze()
