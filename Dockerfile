# beadpool: the coordinator and the worker, built from source. docker-compose.yml builds it once
# (as ${BEADPOOL_IMAGE:-beadpool:local}) for both services.
#   docker build -t beadpool .
#   docker run --rm beadpool --help
# To give workers a real agent CLI, build an image FROM this one: docker/agents/claude/Dockerfile.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY common common
COPY coordinator coordinator
COPY worker worker
COPY broker broker
COPY cli cli
COPY bench bench
COPY pool-tests pool-tests
RUN ./mvnw -B -q -DskipTests -Dspotless.skip=true -pl cli -am package

FROM eclipse-temurin:17-jre
# why git and a shell: agents are often shell scripts or CLIs that expect them; curl for the
# healthcheck. /workspaces and /logs are writable by any uid: Compose runs the container as the
# repository owner's uid (BEADPOOL_UID), which has no account here. /repo is trusted by git
# whoever owns it (the mount is the user's own repository).
RUN apt-get -qq update \
    && apt-get -qq install -y --no-install-recommends git curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 beadpool \
    && mkdir -p /repo /logs /workspaces /srv/git \
    && chown beadpool /repo && chmod 1777 /logs /workspaces /srv/git \
    && git config --system --add safe.directory /repo
COPY --from=build /src/cli/target/beadpool.jar /opt/beadpool/beadpool.jar
COPY docker/beadpool/ /opt/beadpool/
USER beadpool
WORKDIR /repo
ENTRYPOINT ["/bin/sh", "/opt/beadpool/entrypoint.sh"]
CMD ["--help"]
