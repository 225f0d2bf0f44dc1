"""What a document of either flow has in common: a letter circulated for signature and a report
shared with the State concerned are both documents with immutable hashed versions, each with a
note, each recorded as an event in the log; their actions lock, re-read and check the same way,
and their bundles are built the same way. Each flow keeps what is its own (letters/, reports/).
"""
