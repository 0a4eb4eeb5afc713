"""The public shapes the API takes and returns and the events carry, one module per resource.

A table row is never returned as it is: these are built from rows, secrets left out. They
import the models only for their types, so the realtime events can carry them without
depending on the database.
"""
