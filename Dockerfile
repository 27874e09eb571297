# syntax=docker/dockerfile:1
#
# SocketDock in a container: docker build -t socketdock .
#   docker run -p 8765:8765 -e SOCKETDOCK_ENDPOINT=http://<host reachable by the backend>:8765 \
#     -e SOCKETDOCK_BACKEND=http -e SOCKETDOCK_MESSAGE_URI=http://mediator:3000/message socketdock
# Every option is a SOCKETDOCK_<NAME> variable (see `docker run --rm socketdock --help`); logs are
# JSON lines on stderr. DockerfileIT (socketdock-cli) checks this file's structure and runs its ENTRYPOINT
# with its ENV; the image build itself is not run in the project's CI (no container engine there).

# --- build: the Maven wrapper on a JDK 17 ---------------------------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl socketdock-cli -am package -DskipTests \
    && mkdir /dist \
    && tar -xzf socketdock-cli/target/socketdock-*-dist.tar.gz -C /dist --strip-components=1

# --- run: the distribution (bin/socketdock, lib/socketdock.jar) on a JRE 17, unprivileged -------
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 socketdock \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin socketdock
COPY --from=build /dist /app
USER 10001:10001
WORKDIR /app

# Listen on every interface of the container; set SOCKETDOCK_ENDPOINT to the URL the backend uses
# to reach this container (the callback URLs in every event name it).
# JAVA_OPTS goes to the JVM after the launcher's relay defaults (a cap on the JDK's per-thread
# direct-buffer cache, the parallel collector, a 32 MiB young generation; a collector set here
# replaces the last two): the heap follows the container's memory limit.
ENV SOCKETDOCK_BINDIP=0.0.0.0 \
    SOCKETDOCK_BINDPORT=8765 \
    SOCKETDOCK_LOG_FORMAT=json \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8765

# The JRE image has neither curl nor wget, and starting a JVM every 10 s to probe is costly: the
# distribution's bin/socketdock-healthcheck (bash, /dev/tcp) asks GET /healthz where the relay
# listens, read from the relay's own command line and environment (/proc/1): any --bindip (a
# wildcard on its loopback), --bindport, and --proxy-protocol (it then sends a PROXY header
# first), whether given as SOCKETDOCK_* variables or as flags after the image name. With TLS on
# the listener it speaks no TLS: the TLS alert the relay answers with counts as alive.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["/app/bin/socketdock-healthcheck"]

# SIGTERM (docker stop) drains: sockets close with 1001 and the backend gets every disconnect,
# within SOCKETDOCK_SHUTDOWN_TIMEOUT (30s); give docker stop a longer --time than that.
ENTRYPOINT ["/app/bin/socketdock"]
