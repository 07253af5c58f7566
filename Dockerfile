# beadpool: the coordinator and the worker, built from source.
#   docker build -t beadpool .
#   docker run --rm beadpool --help
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
RUN ./mvnw -B -q -DskipTests -pl cli -am package

FROM eclipse-temurin:17-jre
# why: agents are often shell scripts or CLIs that expect git and a POSIX shell
RUN apt-get -qq update && apt-get -qq install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 beadpool && mkdir -p /data /repo /logs && chown beadpool /data /repo /logs
COPY --from=build /src/cli/target/beadpool.jar /opt/beadpool/beadpool.jar
USER beadpool
WORKDIR /repo
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/beadpool/beadpool.jar"]
CMD ["--help"]
