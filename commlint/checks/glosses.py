"""What the acronym and jargon checks share about glosses: text after a term that looks like one
but is not.

"After a change to the TPM, the laptop will ask for the key": a comma and "the" after a term open
an appositive gloss ("the TPM, the security chip in your laptop, …") only when no verb follows the
noun phrase; when one does, the comma closed an opening clause and the main clause begins. Fixed
Python expressions with bounded repetition (linear); nothing here comes from a pack.
"""

from __future__ import annotations

import re

_VERBS = (r"will|would|can|could|should|may|might|must|shall|won't|wouldn't|can't|cannot|couldn't|"
          r"shouldn't|is|isn't|was|wasn't|are|aren't|were|weren't|has|hasn't|have|haven't|had|hadn't|"
          r"does|doesn't|did|didn't|needs|asks|keeps|starts|stops|shows|goes|gets|comes|runs|works|"
          r"fails|stays|looks|tries|seems|appears|reboots|restarts|prompts|locks|drops|loses")
_RELATIVE = r"that|which|who|where|whose|you|we|i|it"
_NEW_CLAUSE = re.compile(
    r"\s*,\s*(?:the|a|an|your|our|these|those|my|its|their)\s+"
    r"(?:(?!(?:" + _RELATIVE + r")\b)[\w'’-]+\s+){0,3}?(?:" + _VERBS + r")\b", re.IGNORECASE)


def opens_new_clause(after: str) -> bool:
    """The text right after a term starts a new clause (", the laptop will ask …"), so its ", the …"
    is no gloss."""
    return _NEW_CLAUSE.match(after) is not None
