# Container image of the service: layered, with a JDK 25 AOT cache trained at build time, running as UID 10001.
#
#   ./mvnw -B -ntp -DskipTests package
#   docker build -t service-template:0.1.0 .
#
# The jar is built OUTSIDE the image, by the Maven wrapper, and copied in. Building it inside would need Maven and
# the Maven registry inside `docker build` (a second dependency download per build, a proxy/mirror set-up in the image,
# and a cache mount that only BuildKit has); the offline CI machines build with the legacy builder and reach the Maven
# registry only through ./mvnw on the host. The trade-off: `docker build` packages whatever is in target/, so run
# `./mvnw package` first (the build fails with "no source files were specified" otherwise).
#
# Base images are build arguments; the defaults are the official images. Offline CI passes local stand-ins
# (.ci/docker/env.sh): docker build --build-arg JDK_IMAGE="$JDK_IMAGE" --build-arg JRE_IMAGE="$JRE_IMAGE" ...
# No `# syntax=` line and no BuildKit-only instructions: the file builds with BuildKit and with the legacy builder.
ARG JDK_IMAGE=eclipse-temurin:25-jdk
ARG JRE_IMAGE=eclipse-temurin:25-jre

# --- Stage 1: unpack the Boot jar into layers and compile the health check (needs javac: the JDK image).
FROM ${JDK_IMAGE} AS build
WORKDIR /build
# One jar: pass JAR_FILE when target/ holds more than one (an old version, for example).
ARG JAR_FILE=target/*.jar
COPY ${JAR_FILE} service.jar
# Without --launcher: the application becomes a plain app.jar whose manifest Class-Path lists lib/*.jar, run with
# `java -jar app.jar`. The AOT cache (like CDS) only holds classes the JVM loads from jar files on the class path;
# with --launcher, Boot's JarLauncher loads them through its own class loader and the cache would miss them.
# --layers keeps the dependency layers apart, so a code change rebuilds a small layer only.
RUN java -Djarmode=tools -jar service.jar extract --layers --application-filename app.jar --destination extracted \
    && test -f extracted/application/app.jar
COPY docker/healthcheck/HealthCheck.java healthcheck/
RUN javac --release 21 -d healthcheck/classes healthcheck/HealthCheck.java

# --- Stage 2: the runtime image.
FROM ${JRE_IMAGE}
ARG JRE_IMAGE
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="service-template" \
      org.opencontainers.image.description="Production-hardened Spring Boot microservice template" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.vendor="com.example" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://example.com/service-template" \
      org.opencontainers.image.documentation="https://example.com/service-template/blob/main/docs/compose.md" \
      org.opencontainers.image.base.name="${JRE_IMAGE}"

# A fixed numeric user and group, so Kubernetes' runAsNonRoot can verify it and volumes get a predictable owner.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app

WORKDIR /app
# Least often changed first: third-party jars, (Boot's loader: empty without --launcher), snapshots, the application.
COPY --from=build /build/extracted/dependencies/ ./
COPY --from=build /build/extracted/spring-boot-loader/ ./
COPY --from=build /build/extracted/snapshot-dependencies/ ./
COPY --from=build /build/extracted/application/ ./
COPY --from=build /build/healthcheck/classes/ /app/healthcheck/

# Container-aware heap (75% of the memory limit) and exit on OutOfMemoryError so the orchestrator restarts the
# container instead of leaving a broken JVM running. In JAVA_TOOL_OPTIONS so a deployment can replace or extend them
# (e.g. JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC"). The collector is left
# to ergonomics (Serial below 2 CPUs or 1792 MiB, G1 above): JDK 25 uses the AOT cache with either (checked with
# -Xlog:aot: heap objects are mapped with G1, loaded with Serial).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

# AOT cache training run (JEP 514/515): start the application, stop right after the context refreshed
# (spring.context.exit=onRefresh), write /app/app.aot. It runs with the production profile, as the container does,
# so the cache holds the production classes (PostgreSQL dialect, structured logging, the inventory client). No
# database is needed: Flyway is off for this run, the dialect is given so Spring Data JDBC does not connect to
# detect it, and Hikari does not connect before the first query. The settings below exist only for this run.
RUN SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:1/training \
    SPRING_FLYWAY_ENABLED=false \
    SPRING_DATA_JDBC_DIALECT=postgresql \
    SERVER_PORT=0 \
    MANAGEMENT_SERVER_PORT=0 \
    APP_SLOT=none \
    APP_LIFECYCLE_DRAIN_DELAY=0s \
    APP_INVENTORY_BASE_URL=http://127.0.0.1:1 \
    APP_SECURITY_API_KEYS=training:c2fb788c7deedbeaa296e424d4c2921b871a4f6cb4cf393c1c1105653ab399b4 \
    java -XX:AOTCacheOutput=/app/app.aot -Xlog:aot=error -Dspring.context.exit=onRefresh -jar /app/app.jar \
    && test -s /app/app.aot

USER 10001:10001
EXPOSE 8080 8081
# Docker/compose health: readiness on the API port, checked by a tiny Java class (no shell, no curl in the check).
# Kubernetes ignores HEALTHCHECK and uses its own probes on the same paths. No GC option here: one in
# JAVA_TOOL_OPTIONS plus another on this command line would stop the check JVM ("Multiple garbage collectors").
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-Xmx16m", "-XX:-UsePerfData", \
         "-cp", "/app/healthcheck", "HealthCheck", "http://127.0.0.1:8080/readyz"]
# Exec form: java is PID 1 and receives SIGTERM from `docker stop` directly (graceful shutdown, exit code 143).
# -XX:AOTCache is on the command line, not in JAVA_TOOL_OPTIONS, so only the application uses it (not the health
# check JVM); a cache that does not match (another JDK, another class path) is ignored with a warning.
ENTRYPOINT ["java", "-XX:AOTCache=/app/app.aot", "-jar", "/app/app.jar"]
