using ScottPlot;
using ScottPlot.TickGenerators;

namespace CareSim.Reports.Charts;

/// <summary>A chart's size in pixels.</summary>
public sealed record ChartSize(int Width, int Height)
{
    public static ChartSize Default { get; } = new(1000, 520);
}

/// <summary>Quantile bands of a metric over dates (already on the plotted scale).</summary>
public sealed record FanData(DateTime[] Dates, double[] P05, double[] P25, double[] P50, double[] P75, double[] P95, double[] Mean);

/// <summary>A horizontal reference line with a label (e.g. an Ofsted cut point).</summary>
public sealed record ReferenceLine(double Value, string Label);

/// <summary>A line of a line chart.</summary>
public sealed record LineData(string Label, Color Color, DateTime[] Dates, double[] Values, bool Step = false, bool Dashed = false);

/// <summary>A layer of a stacked area chart (values on the plotted scale).</summary>
public sealed record AreaLayer(string Label, Color Color, double[] Values);

/// <summary>A strategy's difference from the baseline with its interval.</summary>
public sealed record WhiskerRow(string Label, double Value, double? Low, double? High);

/// <summary>
/// Renders the report's charts as PNG with ScottPlot 5 (SkiaSharp). Colours are fixed so that the
/// same thing has the same colour in every chart: the simulation in blue, official figures in
/// black, grades in red / amber / green / blue.
/// </summary>
public static class ChartRenderer
{
    public static readonly Color Simulation = Color.FromHex("#0072B2");
    public static readonly Color Official = Color.FromHex("#000000");
    public static readonly Color Inadequate = Color.FromHex("#C0392B");
    public static readonly Color RequiresImprovement = Color.FromHex("#E69F00");
    public static readonly Color Good = Color.FromHex("#009E73");
    public static readonly Color Outstanding = Color.FromHex("#56B4E9");
    public static readonly Color Reference = Color.FromHex("#555555");

    private static readonly Lock FontLock = new();
    private static bool s_fontsChosen;

    /// <summary>Prefers a sans-serif font that exists on the machine (ScottPlot falls back to its default otherwise).</summary>
    private static void ChooseFont()
    {
        lock (FontLock)
        {
            if (s_fontsChosen) return;
            foreach (var name in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica", "Noto Sans" })
            {
                var typeface = Fonts.GetTypeface(name, bold: false, italic: false);
                if (typeface is not null && string.Equals(typeface.FamilyName, name, StringComparison.OrdinalIgnoreCase))
                {
                    Fonts.Default = name;
                    break;
                }
            }
            s_fontsChosen = true;
        }
    }

    private static Plot NewPlot(string title)
    {
        ChooseFont();
        var plot = new Plot();
        plot.Title(title, title.Length > 70 ? 14 : title.Length > 55 ? 16 : 18);
        plot.Axes.Title.Label.Bold = true;
        return plot;
    }

    private static void Save(Plot plot, string path, ChartSize size)
    {
        plot.SavePng(path, size.Width, size.Height);
        plot.Dispose();
    }

    /// <summary>Year ticks (or quarter ticks for short runs) on a date axis from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static void DateAxis(Plot plot, DateTime from, DateTime to, string label)
    {
        var ticks = new NumericManual();
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        var first = new DateTime(from.Year, from.Month, 1).AddMonths(1);
        for (var d = first; d <= to.AddDays(1); d = d.AddMonths(1))
        {
            var major = months > 36 ? d.Month == 1 : months > 12 ? d.Month % 3 == 1 : true;
            var text = months > 36 ? d.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.ToString("MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
            if (major) ticks.AddMajor(d.ToOADate(), text);
            else if (months <= 36 || d.Month % 3 == 1) ticks.AddMinor(d.ToOADate());
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.Axes.SetLimitsX(from.ToOADate() - 10, to.ToOADate() + 10);
        plot.XLabel(label, 14);
    }

    /// <summary>Dotted horizontal lines, each labelled just above it at the left of the chart.</summary>
    private static void ReferenceLines(Plot plot, IReadOnlyList<ReferenceLine> lines, DateTime from)
    {
        foreach (var line in lines)
        {
            var h = plot.Add.HorizontalLine(line.Value, 1.5f, Reference, LinePattern.Dotted);
            h.ExcludeFromLegend = true;
            var text = plot.Add.Text(line.Label, from.AddDays(20).ToOADate(), line.Value);
            text.Alignment = Alignment.LowerLeft;
            text.LabelFontSize = 12;
            text.LabelFontColor = Reference;
            text.LabelBackgroundColor = Colors.White.WithAlpha(0.7);
            text.OffsetY = -2;
        }
    }

    private static void Legend(Plot plot)
    {
        var legend = plot.ShowLegend(Edge.Bottom);
        _ = legend;
        plot.Legend.FontSize = 13;
    }

    /// <summary>
    /// A hex map (<see cref="HexLayout"/>) shaded light to dark blue by each authority's value
    /// (from <paramref name="low"/> to <paramref name="high"/>; no value: grey), with the scale's ends written below.
    /// </summary>
    public static void HexMap(string path, ChartSize size, string title, IReadOnlyList<HexCell> cells, IReadOnlyDictionary<string, double?> values,
        double low, double high, Func<double, string> format)
    {
        var plot = NewPlot(title);
        foreach (var cell in cells)
        {
            var (cx, cy) = HexLayout.Centre(cell);
            var corners = Enumerable.Range(0, 6).Select(k =>
            {
                var angle = Math.PI / 180 * (60 * k - 30);
                return new Coordinates(cx + 0.96 * Math.Cos(angle), -(cy + 0.96 * Math.Sin(angle)));
            }).ToArray();
            var polygon = plot.Add.Polygon(corners);
            polygon.FillColor = values.GetValueOrDefault(cell.Code) is { } v && double.IsFinite(v) ? Shade((v - low) / (high - low)) : Color.FromHex("#D0D5DB");
            polygon.LineColor = Colors.White;
            polygon.LineWidth = 1;
        }
        var bottom = -cells.Max(c => HexLayout.Centre(c).Y) - 2.5;
        for (var k = 0; k < 20; k++)
        {
            var box = plot.Add.Rectangle(k * 0.6, (k + 1) * 0.6, bottom, bottom + 0.8);
            box.FillColor = Shade(k / 19.0);
            box.LineWidth = 0;
        }
        var lowText = plot.Add.Text(format(low), 0, bottom - 0.3);
        lowText.LabelFontSize = 12;
        lowText.Alignment = Alignment.UpperLeft;
        var highText = plot.Add.Text(format(high), 12, bottom - 0.3);
        highText.LabelFontSize = 12;
        highText.Alignment = Alignment.UpperRight;
        plot.Axes.Frameless();
        plot.Title(title);
        plot.HideGrid();
        plot.Axes.SquareUnits();
        Save(plot, path, size);
    }

    /// <summary>Light to dark blue, <paramref name="t"/> from 0 to 1 (the dashboard's scale).</summary>
    private static Color Shade(double t)
    {
        t = Math.Clamp(double.IsFinite(t) ? t : 0, 0, 1);
        byte Mix(int from, int to) => (byte)Math.Round(from + (to - from) * t);
        return new Color(Mix(236, 8), Mix(242, 48), Mix(250, 107));
    }

    /// <summary>A fan chart: p05-p95 light band, p25-p75 darker band, median line, mean dashed; official figures as points; reference lines.</summary>
    public static void Fan(string path, ChartSize size, string title, string yLabel, FanData data, DateTime from, DateTime to,
        IReadOnlyList<(DateTime Date, double Value)> observed, IReadOnlyList<ReferenceLine> lines)
    {
        var plot = NewPlot(title);
        var xs = data.Dates.Select(d => d.ToOADate()).ToArray();
        var outer = plot.Add.FillY(xs, data.P05, data.P95);
        outer.FillColor = Simulation.WithAlpha(0.18);
        outer.LineWidth = 0;
        outer.LegendText = "90% of futures (p05-p95)";
        var inner = plot.Add.FillY(xs, data.P25, data.P75);
        inner.FillColor = Simulation.WithAlpha(0.40);
        inner.LineWidth = 0;
        inner.LegendText = "50% of futures (p25-p75)";
        var median = plot.Add.ScatterLine(xs, data.P50, Simulation);
        median.LineWidth = 2.5f;
        median.LegendText = "median";
        var mean = plot.Add.ScatterLine(xs, data.Mean, Simulation.Darken(0.45));
        mean.LineWidth = 2;
        mean.LinePattern = LinePattern.Dashed;
        mean.LegendText = "mean";
        ReferenceLines(plot, lines, from);
        if (observed.Count > 0)
        {
            var points = plot.Add.Markers(observed.Select(o => o.Date.ToOADate()).ToArray(), observed.Select(o => o.Value).ToArray(),
                MarkerShape.FilledCircle, 9, Official);
            points.LegendText = "official (DfE)";
        }
        DateAxis(plot, from, to, "Date (end of month)");
        plot.YLabel(yLabel, 14);
        Legend(plot);
        Save(plot, path, size);
    }

    /// <summary>A stacked area chart of probabilities (in %), bottom layer first.</summary>
    public static void StackedArea(string path, ChartSize size, string title, string yLabel, DateTime[] dates, IReadOnlyList<AreaLayer> layers, DateTime from, DateTime to)
    {
        var plot = NewPlot(title);
        var xs = dates.Select(d => d.ToOADate()).ToArray();
        var bottom = new double[xs.Length];
        foreach (var layer in layers)
        {
            var top = bottom.Zip(layer.Values, (b, v) => b + v).ToArray();
            var fill = plot.Add.FillY(xs, bottom, top);
            fill.FillColor = layer.Color.WithAlpha(0.85);
            fill.LineWidth = 0;
            fill.LegendText = layer.Label;
            bottom = top;
        }
        DateAxis(plot, from, to, "Date (end of month)");
        plot.Axes.SetLimitsY(0, 100);
        plot.YLabel(yLabel, 14);
        Legend(plot);
        Save(plot, path, size);
    }

    /// <summary>Lines over dates (probabilities in % when <paramref name="percent"/>).</summary>
    public static void Lines(string path, ChartSize size, string title, string yLabel, IReadOnlyList<LineData> lines, DateTime from, DateTime to,
        bool percent, IReadOnlyList<ReferenceLine>? references = null)
    {
        var plot = NewPlot(title);
        // Dashed lines (the baseline) are drawn last, on top.
        foreach (var line in lines.Where(l => !l.Dashed).Concat(lines.Where(l => l.Dashed)))
        {
            var s = plot.Add.ScatterLine(line.Dates.Select(d => d.ToOADate()).ToArray(), line.Values, line.Color);
            s.LineWidth = 2.5f;
            s.LegendText = line.Label;
            if (line.Dashed) s.LinePattern = LinePattern.Dashed;
            if (line.Step) s.ConnectStyle = ConnectStyle.StepHorizontal;
        }
        ReferenceLines(plot, references ?? [], from);
        DateAxis(plot, from, to, "Date (end of month)");
        if (percent) plot.Axes.SetLimitsY(0, 100);
        plot.YLabel(yLabel, 14);
        Legend(plot);
        Save(plot, path, size);
    }

    /// <summary>Horizontal bars, first bar at the top (e.g. mu_star sorted descending).</summary>
    public static void HorizontalBars(string path, ChartSize size, string title, string xLabel, IReadOnlyList<(string Label, double Value)> bars)
    {
        var plot = NewPlot(title);
        var n = bars.Count;
        var list = new List<Bar>();
        var ticks = new NumericManual();
        for (var i = 0; i < n; i++)
        {
            var position = n - 1 - i;
            list.Add(new Bar { Position = position, Value = bars[i].Value, FillColor = Simulation, LineWidth = 0, Size = 0.7, Orientation = Orientation.Horizontal });
            ticks.AddMajor(position, bars[i].Label);
        }
        var barPlot = plot.Add.Bars(list);
        barPlot.Horizontal = true;
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0, right: 0.05, bottom: 0.02, top: 0.02);
        plot.Axes.SetLimitsY(-0.6, n - 0.4);
        plot.XLabel(xLabel, 14);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        Save(plot, path, size);
    }

    /// <summary>Dots with whiskers (differences from the baseline with their intervals), first row at the top; a line at zero.</summary>
    public static void DotWhisker(string path, ChartSize size, string title, string xLabel, IReadOnlyList<WhiskerRow> rows)
    {
        var plot = NewPlot(title);
        var n = rows.Count;
        var ticks = new NumericManual();
        plot.Add.VerticalLine(0, 1.5f, Reference, LinePattern.Dashed);
        for (var i = 0; i < n; i++)
        {
            var y = n - 1 - i;
            var row = rows[i];
            if (row.Low is { } lo && row.High is { } hi)
            {
                var whisker = plot.Add.Line(lo, y, hi, y);
                whisker.LineWidth = 2.5f;
                whisker.LineColor = Simulation;
                whisker.MarkerSize = 0;
                foreach (var x in new[] { lo, hi })
                {
                    var cap = plot.Add.Line(x, y - 0.15, x, y + 0.15);
                    cap.LineWidth = 2.5f;
                    cap.LineColor = Simulation;
                    cap.MarkerSize = 0;
                }
            }
            plot.Add.Marker(row.Value, y, MarkerShape.FilledCircle, 12, Simulation.Darken(0.3));
            ticks.AddMajor(y, row.Label);
        }
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsY(-0.7, n - 0.3);
        var xs = rows.SelectMany(r => new[] { r.Value, r.Low ?? r.Value, r.High ?? r.Value }).Append(0).ToArray();
        var (min, max) = (xs.Min(), xs.Max());
        var pad = Math.Max((max - min) * 0.08, 1e-9);
        plot.Axes.SetLimitsX(min - pad, max + pad);
        plot.XLabel(xLabel, 14);
        Save(plot, path, size);
    }
}
