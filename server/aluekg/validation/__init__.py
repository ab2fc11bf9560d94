"""SHACL validation of the data: reading sources into graphs (sources, graphs), pySHACL and its
results (results, parallel, targets, relative_iris), what is validated in which context
(pipeline), uploads to /validate (uploads), where a result's resource is described (locations),
the reports as the maintainer reads them (reporting), and the stamps of data that validated
(stamps). The only code that imports pySHACL.

It exports nothing: importing the package must not import rdflib or pySHACL, which `aluekg
serve` needs only once something is validated (sources, stamps, reporting and locations import
neither; the other modules do).
"""
