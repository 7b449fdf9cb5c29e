#!/bin/sh
# Generic webhook / curl example: send a draft to `commlint serve` and act on the decision.
#   COMMLINT_URL=http://127.0.0.1:8080 [COMMLINT_TOKEN=...] integrations/webhook/check.sh draft.html [html|markdown|plain]
# Prints the decision, the reasons and the findings. Exit status:
#   0 pass · 1 warn · 2 block
#   3 the service did not answer (down, unreachable, timed out, 5xx): a fail-open caller may send
#   4 the service refused the request (401 wrong or missing token, 400/422 a bad request, 413 too
#     large): a configuration mistake — fix it rather than sending unchecked
#   5 usage error (no such draft file)
# Needs curl and python3 (for the JSON), nothing else.
set -eu
if [ $# -lt 1 ]; then echo "usage: check.sh DRAFT_FILE [plain|markdown|html]" >&2; exit 5; fi
draft=$1
format=${2:-plain}
if [ ! -r "$draft" ]; then echo "commlint: cannot read the draft '$draft'" >&2; exit 5; fi
url=${COMMLINT_URL:-http://127.0.0.1:8080}

body=$(python3 -c 'import json, sys; print(json.dumps({"text": open(sys.argv[1], encoding="utf-8").read(), "kind": "reply", "format": sys.argv[2]}))' "$draft" "$format")
auth=""
if [ -n "${COMMLINT_TOKEN:-}" ]; then auth="Authorization: Bearer $COMMLINT_TOKEN"; fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=$(printf '%s' "$body" | curl --silent --max-time 10 --output "$out" --write-out '%{http_code}' \
  -H 'Content-Type: application/json' ${auth:+-H "$auth"} --data-binary @- "$url/v1/check") || status=000
answer=$(cat "$out")
case $status in
  200) ;;
  401|400|413|422)
    echo "commlint service refused the request (HTTP $status): $answer" >&2
    echo "  check COMMLINT_TOKEN and the request; nothing was checked" >&2
    exit 4 ;;
  *)
    echo "commlint service did not answer (HTTP $status) at $url: $answer" >&2
    exit 3 ;;
esac

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
