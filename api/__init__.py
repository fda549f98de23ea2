"""The plgkg web service: SPARQL endpoint, linked-data URIs, JSON API and HTML pages."""
