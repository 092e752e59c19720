"""What events mean for a contact: pure functions a reader can check against SPEC.md.

- :mod:`~bouncectl.ledger.rows`: an event and a contact as rows at the store's edge, the event key.
- :mod:`~bouncectl.ledger.fold`: a contact's summary of events (its fold), merged in any order.
- :mod:`~bouncectl.ledger.status`: eligible, hard_bounced, globally_bounced or suppressed (rules 2.1,
  2.2, 2.9), the soft-bounce policy and where a soft streak starts.
- :mod:`~bouncectl.ledger.quota`: how many reactivations a calendar month allows (rule 2.5).
- :mod:`~bouncectl.ledger.reactivation`: the reactivation guards, in order, and what a reactivation lifts.

Each is imported by its own name (``from bouncectl.ledger.quota import monthly_quota``): the package
itself imports none of them, so that a command loads only the rules it uses (``quota`` reads the
quota's rule, not the guards' table nor the erasure's keyed hash).
"""
