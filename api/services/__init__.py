"""The service layer of the web app: read models that both the JSON API and the HTML pages call.

- reader: runs the named queries (plgkg/queries/<folder>/<name>.rq) with bound values, and the small
  helpers every read model shares (slugs, refs with labels, grouping);
- catalogue: characteristics, interventions, findings, cases, categories, frameworks and sources as the
  JSON API's models;
- schools: the school index, one school and its gap analysis;
- pages: what each HTML page shows (a template and its context), built from the two above and the
  page queries; the bibliography's BibTeX and RIS records live in bibliography.

Services raise domain errors (plgkg) or NotFound; api.errors turns them into responses. They never
see a request: the routers hand them the values they need (ids, language, a View for links).
"""
