# syntax=docker/dockerfile:1
# One image for every role of the cluster (docs/cluster.md): `sim silo`, `sim serve`, `sim run --cluster`.
# Build: docker build -t caresim .

# ---- build: the .NET 10 SDK publishes sim and everything it needs
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
# Framework-dependent (the runtime image below provides .NET), precompiled ReadyToRun for the image's platform.
RUN dotnet publish src/CareSim.Cli/CareSim.Cli.csproj -c Release -p:SelfContained=false -o /app --nologo

# ---- runtime: ASP.NET Core runtime (sim serve), no SDK
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# Fonts for the PNG charts of `sim report` (ScottPlot draws with SkiaSharp).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libfontconfig1 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
# Scenarios and data beside the working folder, so `sim run scenarios/...` works as in the repository.
WORKDIR /caresim
COPY scenarios/ scenarios/
COPY data/ data/
RUN mkdir -p results && chown -R app:app /caresim
USER app
# Silo-to-silo, client gateway, HTTP (sim serve --urls http://0.0.0.0:8080).
EXPOSE 11111 30000 8080
# A silo drains on SIGTERM (docker stop); give it the time it needs (stop_grace_period in compose).
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "/app/sim.dll"]
CMD ["--help"]
