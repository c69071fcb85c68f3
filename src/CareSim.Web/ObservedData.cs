using CareSim.Reports.Input;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CareSim.Web;

/// <summary>
/// The official figures (DfE statistics in the baseline dataset, <see cref="ServerOptions.ObservedData"/>)
/// that the dashboard overlays on fan charts, read once. None when the folder does not exist or
/// is not a baseline dataset (logged).
/// </summary>
public sealed class ObservedData(IOptions<ServerOptions> options, ILogger<ObservedData> logger)
{
    private readonly Lazy<ObservedFigures?> _figures = new(() =>
    {
        var folder = options.Value.ObservedData;
        if (string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder)) return null;
        try
        {
            return ObservedFigures.Load(folder);
        }
        catch (Exception e) when (e is CareSim.Reports.ReportInputException or IOException or InvalidDataException)
        {
            logger.LogWarning("no official figures to overlay: {Message}", e.Message);
            return null;
        }
    });

    public ObservedView For(string authority, string metric)
    {
        var figures = _figures.Value;
        if (figures is null || !ObservedFigures.Covers(metric)) return new ObservedView(authority, metric, null, null, []);
        var points = figures.For(authority, metric).Where(p => double.IsFinite(p.Value))
            .Select(p => new ObservedPointView(p.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                p.Date.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), p.Year, p.Value))
            .ToList();
        return new ObservedView(authority, metric, "DfE statistics (" + Path.GetFileName(Path.TrimEndingDirectorySeparator(figures.Directory)) + ")",
            ObservedFigures.ReferenceDay(metric), points);
    }
}
