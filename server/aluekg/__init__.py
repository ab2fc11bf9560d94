"""aluekg: the open knowledge graph of Finnish regional development programmes."""

__version__ = "0.1.0"
