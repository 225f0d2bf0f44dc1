"""The record: an offline, framework-free implementation of docs/record.md.

Only the standard library, ``rfc8785`` and ``nacl`` are imported here, so an auditor can run
the verifier without the server's code.
"""
