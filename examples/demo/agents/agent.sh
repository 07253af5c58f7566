#!/bin/sh
# A stand-in for a coding agent. beadpool runs it as a child process, never through a shell string:
# the bead arrives in the environment (BEAD_ID, BEAD_TITLE, BEADPOOL_ATTEMPT, ...) and as JSON in
# the file named by BEAD_JSON. Exit 0 = done; anything else = failed (retried, then a failure bead).
echo "[$BEADPOOL_WORKER] $BEAD_ID attempt $BEADPOOL_ATTEMPT: $BEAD_TITLE"
case "$BEAD_TITLE" in
  *"[fails]"*)
    echo "ERROR: speech API credentials missing; 3 tests failed" >&2
    exit 1
    ;;
esac
sleep 0.3
echo "work done, tests pass"
exit 0
