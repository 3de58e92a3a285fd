"""The HTTP API and web page over an index (`unres serve`): FastAPI on uvicorn, one shared `Searcher`.

It owns the HTTP face only: routes (api.py) that each make one `Searcher` call and serve its result's
`to_dict()`, the documented JSON models (models.py, checked field by field against the results),
error responses (http_errors.py), binding and running (server.py), and the page (static/). What it
refuses: a `Host` that is not its own (hosts.py), pages without their security headers (headers.py),
slow or idle connections (timeouts.py), answers from an index deleted or rebuilt under it (live.py).
"""

from .hosts import is_loopback
from .server import serve

__all__ = ["is_loopback", "serve"]
