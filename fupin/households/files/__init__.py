"""The household file (一户一档): what papers each household owes (checklist, from the
schedule's annex), the dossier that files them (documents, officers, measures, incomes,
exit acceptance), their completeness kept on the household row, and its roll-up.

It reads households through the registry's selectors (../registry), never the other way.
Kept free of imports here: the models read the checklist while apps load.
"""
