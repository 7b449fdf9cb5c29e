#!/bin/sh
# Generic webhook / curl example: send a draft to `commlint serve` and act on the decision.
#   COMMLINT_URL=http://127.0.0.1:8080 [COMMLINT_TOKEN=...] integrations/webhook/check.sh draft.html [html|markdown|plain]
# Prints the decision, the reasons and the findings; exits 0 on pass, 1 on warn, 2 on block,
# 3 when the service could not answer. Needs curl and python3 (for the JSON), nothing else.
set -eu
draft=${1:?usage: check.sh DRAFT_FILE [plain|markdown|html]}
format=${2:-plain}
url=${COMMLINT_URL:-http://127.0.0.1:8080}

body=$(python3 -c 'import json, sys; print(json.dumps({"text": open(sys.argv[1], encoding="utf-8").read(), "kind": "reply", "format": sys.argv[2]}))' "$draft" "$format")
auth=""
if [ -n "${COMMLINT_TOKEN:-}" ]; then auth="Authorization: Bearer $COMMLINT_TOKEN"; fi

answer=$(printf '%s' "$body" | curl --silent --show-error --fail-with-body --max-time 10 \
  -H 'Content-Type: application/json' ${auth:+-H "$auth"} --data-binary @- "$url/v1/check") || {
  echo "commlint service did not answer: $answer" >&2
  exit 3
}

printf '%s' "$answer" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("decision: {}  score: {}/100".format(r["decision"], r["score"]))
for reason in r["reasons"]:
    print("  because " + reason)
for f in r["findings"]:
    print("  {line}:{column} {rule}: {message} {suggestion}".format(**f))
sys.exit({"pass": 0, "warn": 1, "block": 2}[r["decision"]])
'
