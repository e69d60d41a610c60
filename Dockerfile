# syntax=docker/dockerfile:1
# The operator image: `make image` (needs docker or podman). Two stages: the SDK publishes the framework-dependent
# operator; the runtime is Microsoft's chiseled ASP.NET Core image (Ubuntu "noble" chiseled: no shell, no package
# manager, a non-root "app" user, UID 1654). ASP.NET Core because the probes and metrics are served by Kestrel.
# The chart and config/manager run it with a read-only root filesystem and an emptyDir on /tmp.

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
# The platform being built for (buildx sets it): ReadyToRun code and the app host are per runtime identifier.
ARG TARGETARCH
WORKDIR /source
# Restore first, from the project files only, so that a source change does not re-download packages. Every project
# the operator references, transitively (tests/Chart.Tests ImageBuildTests restores exactly these files).
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Operator/Operator.csproj src/Operator/
COPY src/OperatorCore/OperatorCore.csproj src/OperatorCore/
COPY src/Entities/Entities.csproj src/Entities/
COPY src/ApiMachinery/ApiMachinery.csproj src/ApiMachinery/
COPY src/ControllerRuntime/ControllerRuntime.csproj src/ControllerRuntime/
COPY src/ControllerRuntime.Meta/ControllerRuntime.Meta.csproj src/ControllerRuntime.Meta/
COPY src/Kmip/Kmip.csproj src/Kmip/
RUN case "$TARGETARCH" in arm64) echo linux-arm64 ;; *) echo linux-x64 ;; esac > /tmp/rid \
    && dotnet restore src/Operator/Operator.csproj -r "$(cat /tmp/rid)"
COPY src/ src/
# ReadyToRun: precompiled code, so start-up JITs little (measured in docs/benchmarks.md, "Footprint").
RUN dotnet publish src/Operator/Operator.csproj -c Release --no-restore -r "$(cat /tmp/rid)" --self-contained false \
    -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app .
# The chiseled image's non-root user, by number so that runAsNonRoot can verify it.
USER 1654
# Server GC sizes its heaps per core; the operator is one small process among many on a node.
ENV DOTNET_gcServer=0 \
    DOTNET_EnableDiagnostics=0
EXPOSE 8443 8081
ENTRYPOINT ["/app/hipaa-mongo"]
CMD ["run"]
