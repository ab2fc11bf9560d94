"""The HTTP layer: the only package that imports FastAPI and Starlette."""

from fastapi import FastAPI

from aluekg.web.app import create_app

# The application's type, for modules outside web/ that hold one (they may not import FastAPI).
App = FastAPI

__all__ = ["App", "create_app"]
