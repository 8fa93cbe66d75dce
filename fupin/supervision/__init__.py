"""Supervision (监督指导), in four parts whose names say what they hold:

- `reports` — quarterly reports and the ledger: quarters, the declared figures, roll-up,
  the report's lines and trace-down, charts, the report's flow, pages and API;
- `federation` — signed report packages between installations (uses `reports`);
- `inspections` — inspections, checklists, findings and evidence, rectification orders,
  assessments, guidance visits (uses `reports` only for the campaign's first year);
- `rules` — local implementation rules, filed through `fupin.filing`.

The root holds the models (one app label, `supervision`, so no table moved), URLs, the
`fupin reports` command group, the landing page and the home-page reminders, which read the
parts; no part imports the root's pages.
"""
