"""Query execution and isolation: every query is screened against the SPARQL grammar (grammar,
screen), run in a confined worker process within time, memory and row limits (workers, sandbox,
quota), its answer remembered while the data stay the same (cache); service ties them to the
validated data behind one store."""
