using CareSim.Data.Baseline;
using CareSim.Estimation.Calibration;

namespace CareSim.Estimation.Backtest;

/// <summary>Settings of a rolling-origin backtest of the workforce and demand figures.</summary>
public sealed record RollingBacktestOptions
{
    /// <summary>The origins: 31 December of each year from <see cref="FirstYear"/> to <see cref="LastYear"/>.</summary>
    public required int FirstYear { get; init; }
    public required int LastYear { get; init; }
    /// <summary>Replicas per authority of each origin's backtest.</summary>
    public int Replicas { get; init; } = 500;
    public ulong Seed { get; init; } = 1;
    public IReadOnlyList<string>? Authorities { get; init; }
    /// <summary>Refit the uncertain parameters on the data known at each origin (false: the defaults everywhere, not a fair test).</summary>
    public bool Refit { get; init; } = true;
    /// <summary>The calibration's settings at each origin (its <c>Until</c> and <c>Authorities</c> are set per origin).</summary>
    public CalibrationOptions Calibration { get; init; } = new();
    public int MaxConcurrency { get; init; }

    public IEnumerable<DateOnly> Origins => Enumerable.Range(FirstYear, LastYear - FirstYear + 1).Select(y => new DateOnly(y, 12, 31));
}

/// <summary>One origin of a rolling backtest: its calibration (null without refitting) and its backtest.</summary>
public sealed record RollingOrigin(DateOnly Origin, CalibrationResult? Calibration, string? ParameterFile, BacktestResult Backtest, bool DemandScored);

public sealed record RollingBacktestResult(RollingBacktestOptions Options, string DataDescription, IReadOnlyList<RollingOrigin> Origins, IReadOnlyList<BacktestRow> Pooled);

/// <summary>
/// The workforce and demand figures backtested from several origins (docs/validation.md#rolling-origins):
/// at each 31 December the uncertain parameters are refitted on the data known then
/// (<see cref="Calibrator"/> with <c>Until</c> = the origin) and the model, seeded from the same data,
/// is scored on every later figure against persistence; then the items of every origin are pooled.
/// Origins before the population estimates score the workforce figures only (their demand side is
/// seeded from the first later population and looked-after figures, <see cref="DataWindow.WithDemandSeeding"/>).
/// Grades are not scored here: the grade model has its own rolling backtest (<c>sim backtest --rolling</c>).
/// </summary>
public static class RollingBacktest
{
    /// <param name="parameterFileFor">Where to write an origin's fitted parameters (the backtest reads them from there); called only when refitting.</param>
    /// <exception cref="CareSimDataException">An origin with nothing after it, or too little data to fit or seed.</exception>
    public static RollingBacktestResult Run(BaselineDataset data, string dataDescription, RollingBacktestOptions options,
        Func<DateOnly, CalibrationResult, string> parameterFileFor, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parameterFileFor);
        var latest = Backtester.LatestDate(data) ?? throw new CareSimDataException("The data hold no figures or inspections.");
        if (new DateOnly(options.LastYear, 12, 31) >= latest)
            throw new CareSimDataException($"--origins: the last origin {options.LastYear}-12-31 leaves nothing to score (the data end {latest:yyyy-MM-dd}); choose an earlier last year.");
        var origins = new List<RollingOrigin>();
        foreach (var origin in options.Origins)
        {
            cancellationToken.ThrowIfCancellationRequested();
            CalibrationResult? calibration = null;
            string? parameterFile = null;
            if (options.Refit)
            {
                log?.WriteLine($"Origin {origin:yyyy-MM-dd}: refitting on the data known then.");
                calibration = Calibrator.Run(data, dataDescription, options.Calibration with { Until = origin, Authorities = options.Authorities },
                    log, cancellationToken);
                parameterFile = parameterFileFor(origin, calibration);
            }
            log?.WriteLine($"Origin {origin:yyyy-MM-dd}: backtest.");
            var demandScored = !DataWindow.NeedsDemandSeeding(data, origin);
            var backtest = Backtester.Run(data, dataDescription, new BacktestOptions
            {
                Origin = origin,
                Replicas = options.Replicas,
                Seed = options.Seed,
                ParameterFile = parameterFile,
                Authorities = options.Authorities,
                MaxConcurrency = options.MaxConcurrency,
                ScoreGrades = false,
                ApproximateDemandSeeding = true,
            }, log, cancellationToken);
            origins.Add(new RollingOrigin(origin, calibration, parameterFile, backtest, demandScored));
        }
        var pooled = Backtester.Table(origins.SelectMany(o => o.Backtest.Items).ToList());
        return new RollingBacktestResult(options, dataDescription, origins, pooled);
    }
}
