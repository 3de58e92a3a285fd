"""The HTTP API and web page over an index (`unres serve`): FastAPI on uvicorn, one shared `Searcher`."""

from .server import is_loopback, serve

__all__ = ["is_loopback", "serve"]
