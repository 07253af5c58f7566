#!/bin/sh
# A stand-in for a planning agent, run with completion bd-close: it uses the worker's bd exactly as
# a coding agent taught to use bd would. It reads its bead, files three tasks under the feature
# (its parent) with `bd create --parent`, chains them with `bd dep add`, and closes its own bead.
# beadpool applies these changes in one transaction when the run ends, then runs the new tasks.
set -eu
echo "[$BEADPOOL_WORKER] planning $BEAD_ID: $BEAD_TITLE"
bd show "$BEAD_ID" > /dev/null
feature="$BEAD_PARENT"
created() { sed -n 's/^✓ Created issue: //p'; }
t1=$(bd create "Task E.1: Notification model" --parent "$feature" -p 2 \
  --description "Store who wants which notifications." | created)
t2=$(bd create "Task E.2: Email sender" --parent "$feature" -p 2 \
  --description "Send notifications by email." | created)
t3=$(bd create "Task E.3: Notification settings page" --parent "$feature" -p 2 \
  --description "Let users choose their notifications." | created)
bd dep add "$t2" "$t1"
bd dep add "$t3" "$t2"
echo "planned $t1 -> $t2 -> $t3"
bd close "$BEAD_ID" --reason "Planned 3 tasks: $t1, $t2, $t3"
