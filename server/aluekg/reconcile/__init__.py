"""Reconciliation: match names, codes and identifiers in researchers' tables to the graph's
entities (W3C Reconciliation Service API 0.2 at /reconcile, and `aluekg reconcile` for CSV files).
"""
