"""User data imported into the user graph of a store, one module per input (register: DUO's school
register; profiles: which interventions a school runs), all through one pipeline (pipeline: read →
check → scoped SHACL → one write)."""
