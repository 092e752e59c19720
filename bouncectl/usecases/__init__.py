"""What the commands do, without the terminal: each module is one of the user's tasks.

- :mod:`~bouncectl.usecases.importing`: an import, in one write transaction (its column path:
  :mod:`~bouncectl.usecases.importing_columns`).
- :mod:`~bouncectl.usecases.reactivating`: reactivating ("unbouncing") contacts, guarded and audited.
- :mod:`~bouncectl.usecases.filtering`: filtering a send list, saved lists, soft-bounce settings.
- :mod:`~bouncectl.usecases.stats`: send statistics.
- :mod:`~bouncectl.usecases.explaining`: what an input says, without storing it.
- :mod:`~bouncectl.usecases.exporting`: the export rows.
"""
