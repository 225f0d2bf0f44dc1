"""The register: joint texts, statements and votes in UN forums, each fact with its provenance.

It sits between `orgs` and `letters`: letters keep their own texts in the register in step
(`register.platform`), and the API and the pages read it. `tally` and `votes` are pure functions
over plain data; `importer` and `exporter` move the four CSV formats in and out.
"""
