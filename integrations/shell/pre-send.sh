#!/bin/sh
# Pre-send check for any tool that can run a command before sending (mail client hooks,
# helpdesk macros, a `git commit`-style hook for KB articles): no service needed.
#   integrations/shell/pre-send.sh < draft.txt          (or: pre-send.sh draft.txt)
# Uses `commlint check -` and its exit code: 0 send, 1 findings at or above --fail-on
# (here: error), 2 commlint could not check (bad config, unreadable input).
# Exits 0 to let the send go on, 1 to stop it. Set COMMLINT_FAIL_ON=warning to be stricter,
# COMMLINT_FORMAT=html for HTML drafts, COMMLINT=/path/to/commlint if it is not on PATH.
set -u
commlint=${COMMLINT:-commlint}
fail_on=${COMMLINT_FAIL_ON:-error}
format=${COMMLINT_FORMAT:-plain}

if [ $# -gt 0 ]; then
  if [ ! -r "$1" ]; then
    echo "commlint: cannot read the draft '$1'; could not check it, sending anyway." >&2
    exit 0
  fi
  exec < "$1"
fi
"$commlint" check - --kind reply --input-format "$format" --fail-on "$fail_on" --no-color
status=$?
case $status in
  0) echo "commlint: OK to send." >&2; exit 0 ;;
  1) echo "commlint: not sent — fix the findings above at or above '$fail_on' first." >&2; exit 1 ;;
  *) echo "commlint: could not check the draft (exit $status); sending anyway." >&2; exit 0 ;;
esac
