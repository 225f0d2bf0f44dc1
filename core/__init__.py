"""The small neutral core every layer above the ledger may use: the errors actions refuse with,
the few hand-written SQL helpers, instance secrets and the public data files. It imports no
other package of the project."""
