"""A path-prefix index in front of the app's route table.

FastAPI walks every top-level route for every request, and each included router walks its own
routes (twice: once to match, once to handle). With ~150 routes that was a sixth of a payment
notification's CPU. The index maps the first three literal path segments (`api/v1/payments`) to
the top-level routes that can match such a path, in their original order, so a request tries a
handful instead of all of them. Semantics are unchanged: the first route that fully matches is
the one the full table would pick (every route that can match the key is a candidate, and routes
whose first segments are parameters or mounts are candidates for every key); anything else — a
405, a trailing-slash redirect, a front-end fallback, a 404 — goes through FastAPI's own loop."""
from collections import defaultdict

from fastapi import FastAPI
from fastapi.routing import APIRouter, _IncludedRouter
from fastapi.telemetry._api import _route_selected
from starlette.routing import BaseRoute, Match, Mount
from starlette.types import Receive, Scope, Send

DEPTH = 3  # path segments in a key: /api/v1/<domain>


def _key(path: str) -> tuple[str, ...]:
    return tuple(path.split("/", DEPTH + 1)[1:DEPTH + 1])


def _leaf_key(path_format: str) -> tuple[str, ...] | None:
    """The index key of a route path, or None when it can match paths under several keys
    (a parameter in the first segments, or a `:path` parameter before the key is complete)."""
    segments = path_format.split("/")[1:]
    head = segments[:DEPTH]
    if any("{" in s for s in head):
        return None
    if len(segments) < DEPTH and ":path}" in path_format:
        return None
    return tuple(head)


def _leaf_paths(route: BaseRoute) -> list[str] | None:
    """Full paths of the endpoints under a top-level route; None: index it as matching anything."""
    if isinstance(route, _IncludedRouter):
        paths = []
        for ctx in route.effective_route_contexts():
            fmt = getattr(ctx.starlette_route, "path_format", None) or getattr(ctx, "path_format", None)
            if fmt is None or isinstance(ctx.starlette_route or ctx.original_route, Mount):
                return None
            paths.append(fmt)
        return paths
    if isinstance(route, Mount):
        return None
    fmt = getattr(route, "path_format", None)
    return [fmt] if fmt is not None else None


class IndexedRouter(APIRouter):
    """The app's top-level router with the index (installed by `install`)."""

    _index: dict[tuple[str, ...], list[BaseRoute]] | None = None
    _anywhere: list[BaseRoute] = []

    def _mark_routes_changed(self) -> None:
        super()._mark_routes_changed()
        self._index = None

    def _build(self) -> dict[tuple[str, ...], list[BaseRoute]]:
        keyed: dict[tuple[str, ...], set[int]] = defaultdict(set)
        anywhere: set[int] = set()
        for i, route in enumerate(self.routes):
            paths = _leaf_paths(route)
            keys = [_leaf_key(p) for p in paths] if paths is not None else [None]
            for k in keys:
                if k is None:
                    anywhere.add(i)
                else:
                    keyed[k].add(i)
        self._anywhere = [self.routes[i] for i in sorted(anywhere)]
        self._index = {k: [self.routes[i] for i in sorted(ids | anywhere)] for k, ids in keyed.items()}
        return self._index

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            index = self._index if self._index is not None else self._build()
            for route in index.get(_key(scope["path"]), self._anywhere):
                match, child_scope = route.matches(scope)
                if match == Match.FULL:
                    scope.setdefault("router", self)
                    scope.update(child_scope)
                    _route_selected(scope=scope, path=getattr(route, "path_format", None),
                                    mount=isinstance(route, Mount))
                    await route.handle(scope, receive, send)
                    return
        await super().app(scope, receive, send)  # partial matches, redirects, fallbacks, 404, lifespan


def install(app: FastAPI) -> None:
    """Give `app` the indexed router (after its routes are added or before: it rebuilds itself)."""
    app.router.__class__ = IndexedRouter
    app.router._index = None
    if app.router.middleware_stack == APIRouter.app.__get__(app.router):
        app.router.middleware_stack = app.router.app
    else:  # router-level middleware wraps the bound method; none is used here
        raise RuntimeError("router middleware present: install the index before adding it")
