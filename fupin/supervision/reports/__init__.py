"""Quarterly reports (季报) and the ledger (动态台账): quarters, the declared figures, the
roll-up from village to province, the report's lines and trace-down, charts, and the report's
flow (build, enter, submit, accept or return) with its pages and API."""
