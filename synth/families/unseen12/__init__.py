"""The twelfth set of unseen template families, written at stop 45 by an engineer who never read the
classifier, extractor or validator rules (nor the catalog) nor ran the extraction on them: drawn after
what real offices receive from issuers no other family imitates (and unlike every earlier family of
their type), never shaped around what the rules handle, and never tuned on (split.yaml part `unseen`;
report-only). Their truth was checked by looking at the rendered pages. The eleven earlier unseen sets
(synth/families/unseen, unseen2 … unseen11) stay registered; they were looked at while mending rules and
are held out now."""

from __future__ import annotations

from synth.families.common import by_type
from synth.families.unseen12 import discharge, expense_list, filing_form, id_card, invoice

FAMILIES = by_type(invoice.FAMILIES, discharge.FAMILIES, expense_list.FAMILIES, id_card.FAMILIES, filing_form.FAMILIES)
