#!/bin/sh
# The beadpool image's entrypoint: runs `java -jar beadpool.jar "$@"`, after a few steps for Compose:
#   - a uid without an account here (Compose runs the container as the repository owner's uid,
#     BEADPOOL_UID) gets a writable HOME, so git and agent CLIs can keep their settings;
#   - the coordinator given BEADPOOL_REPOSITORY_INIT_FROM (your repository, /repo in Compose) makes
#     the code flow's remote once: a bare clone of it at BEADPOOL_REPOSITORY_URL (a path on the
#     `git` volume), with the integration branch (BEADPOOL_REPOSITORY_BRANCH, default main). A URL
#     that is not a local path (the team's ssh/https remote) is left alone;
#   - a worker works in /workspaces/<container id>, a directory of its container alone: its own
#     clone of the remote is made there (.beadpool/clones/<worker id>, by the worker itself), and
#     each bead gets a worktree in it. No two workers share a working tree (docs/code-flow.md).
set -eu

if [ "${HOME:-/}" = / ] || ! [ -w "${HOME}" ]; then
  HOME=/tmp/beadpool-home
  export HOME
  mkdir -p "$HOME"
fi
# why a default identity: agents that commit need one; the repository's own config or the agent's
# settings win over it
if ! git config --global user.email >/dev/null 2>&1; then
  git config --global user.name "beadpool worker ${HOSTNAME:-}"
  git config --global user.email "beadpool@${HOSTNAME:-localhost}"
fi

if [ "${1:-}" = coordinator ] && [ -n "${BEADPOOL_REPOSITORY_INIT_FROM:-}" ]; then
  remote=${BEADPOOL_REPOSITORY_URL:-}
  branch=${BEADPOOL_REPOSITORY_BRANCH:-main}
  case "$remote" in
    /*)
      if ! [ -e "$remote/HEAD" ]; then
        # why the .tmp: a start that died half-way (restart: unless-stopped runs this again) left
        # a partial copy
        rm -rf "$remote.tmp"
        git clone --bare --quiet -- "$BEADPOOL_REPOSITORY_INIT_FROM" "$remote.tmp"
        if ! git -C "$remote.tmp" rev-parse --verify --quiet "refs/heads/$branch" >/dev/null; then
          git -C "$remote.tmp" branch "$branch" HEAD
        fi
        mv "$remote.tmp" "$remote"
        echo "beadpool: code flow remote $remote (from $BEADPOOL_REPOSITORY_INIT_FROM, branch $branch)" >&2
      fi
      ;;
  esac
fi

if [ "${1:-}" = worker ] && [ -z "${BEADPOOL_WORKDIR:-}" ]; then
  BEADPOOL_WORKDIR=/workspaces/${HOSTNAME:-$(cat /proc/sys/kernel/hostname)}
  mkdir -p "$BEADPOOL_WORKDIR"
  export BEADPOOL_WORKDIR
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} -XX:+ExitOnOutOfMemoryError -jar /opt/beadpool/beadpool.jar "$@"
