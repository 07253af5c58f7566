#!/bin/sh
# The beadpool image's entrypoint: runs `java -jar beadpool.jar "$@"`, after two steps for Compose:
#   - a uid without an account here (Compose runs the container as the repository owner's uid,
#     BEADPOOL_UID) gets a writable HOME, so git and agent CLIs can keep their settings;
#   - a worker given BEADPOOL_WORKSPACE_FROM (a git repository, /repo in Compose) works in a clone
#     of its own, /workspaces/<container id> (cloned on first start, kept across restarts), whose
#     origin is that repository: no two workers share a working tree. A commit on a branch named
#     bead/* is pushed back to origin by the clone's post-commit hook (worktree mode's commits
#     included), so the work lands in the mounted repository.
# JAVA_OPTS, if set, goes to the JVM.
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

if [ "${1:-}" = worker ] && [ -n "${BEADPOOL_WORKSPACE_FROM:-}" ]; then
  source_repo=$BEADPOOL_WORKSPACE_FROM
  workspace=/workspaces/${HOSTNAME:-$(cat /proc/sys/kernel/hostname)}
  if ! [ -e "$workspace" ]; then
    # why: a start that died half-way (restart: unless-stopped runs this again) left a partial copy
    rm -rf "$workspace.tmp"
    if git -C "$source_repo" rev-parse --git-dir >/dev/null 2>&1; then
      git clone --quiet "$source_repo" "$workspace.tmp"
      cat > "$workspace.tmp/.git/hooks/post-commit" <<'HOOK'
#!/bin/sh
# beadpool: a commit on a bead/* branch goes back to the repository this clone was made from
branch=$(git symbolic-ref --quiet --short HEAD) || exit 0
case "$branch" in
  bead/*) git push --quiet --force origin "HEAD:refs/heads/$branch" \
    || echo "beadpool: could not push $branch to origin ($(git remote get-url origin))" >&2 ;;
esac
HOOK
      chmod +x "$workspace.tmp/.git/hooks/post-commit"
    else
      echo "beadpool: $source_repo is not a git repository; the worker works in a copy of it" >&2
      mkdir -p "$workspace.tmp"
      cp -a "$source_repo/." "$workspace.tmp/"
    fi
    mv "$workspace.tmp" "$workspace"
    echo "beadpool: worker workspace $workspace (from $source_repo)" >&2
  fi
  BEADPOOL_WORKDIR=$workspace
  export BEADPOOL_WORKDIR
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} -XX:+ExitOnOutOfMemoryError -jar /opt/beadpool/beadpool.jar "$@"
