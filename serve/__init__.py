"""The HTTP API and web page over an index (`unres serve`): FastAPI on uvicorn, one shared `Searcher`.

It owns the HTTP face only: routes (api.py) that each make one `Searcher` call and serve its result's
`to_dict()`, the documented JSON models (models.py, checked field by field against the results),
error responses (http_errors.py), binding and running (server.py), and the page (static/).
"""

from .server import is_loopback, serve

__all__ = ["is_loopback", "serve"]
