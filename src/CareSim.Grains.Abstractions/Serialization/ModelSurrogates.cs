using CareSim.Model.Authority;
using CareSim.Model.Commissioners;
using CareSim.Model.Markets;
using CareSim.Model.Outputs;
using CareSim.Model.Plan;
using CareSim.Model.Workforce;

namespace CareSim.Grains.Abstractions.Serialization;

// Orleans serializer surrogates for the model's messages. The model has no Orleans dependency,
// so each message is mapped to a [GenerateSerializer] surrogate. Used only when a message crosses a silo boundary; in-process calls pass
// the arrays by reference inside Immutable<T>. Columns of doubles cross as one block of bytes
// (PackedColumns): copied at memory speed, where Orleans' array codec encodes element by element.
// MetricFrame, which crosses every month, has a codec of its own (MetricFrameCodec).

[GenerateSerializer, Alias("CareSim.WorkforceDrivers")]
public struct WorkforceDriversSurrogate
{
    [Id(0)] public int Month;
    [Id(1)] public int CalendarMonth;
    [Id(2)] public double PostsAdded;
    [Id(3)] public double ExtraAcademyIntakePerYear;
    [Id(4)] public byte[] Columns;
    [Id(5)] public bool SharedMarket;
    [Id(6)] public WorkforceObservation? Observation;
}

[GenerateSerializer, Alias("CareSim.WorkforceObservation")]
public struct WorkforceObservationSurrogate
{
    [Id(0)] public double? SwFte;
    [Id(1)] public double? AgencyFte;
    [Id(2)] public double? VacancyFte;
}

[RegisterConverter]
public sealed class WorkforceObservationConverter : IConverter<WorkforceObservation, WorkforceObservationSurrogate>
{
    public WorkforceObservation ConvertFromSurrogate(in WorkforceObservationSurrogate surrogate) =>
        new(surrogate.SwFte, surrogate.AgencyFte, surrogate.VacancyFte);

    public WorkforceObservationSurrogate ConvertToSurrogate(in WorkforceObservation value) => new()
    {
        SwFte = value.SwFte,
        AgencyFte = value.AgencyFte,
        VacancyFte = value.VacancyFte,
    };
}

[RegisterConverter]
public sealed class WorkforceDriversConverter : IConverter<WorkforceDrivers, WorkforceDriversSurrogate>
{
    public WorkforceDrivers ConvertFromSurrogate(in WorkforceDriversSurrogate surrogate)
    {
        var drivers = WorkforceDrivers.FromColumns(PackedColumns.Unpack(surrogate.Columns));
        drivers.Month = surrogate.Month;
        drivers.CalendarMonth = surrogate.CalendarMonth;
        drivers.PostsAdded = surrogate.PostsAdded;
        drivers.ExtraAcademyIntakePerYear = surrogate.ExtraAcademyIntakePerYear;
        drivers.SharedMarket = surrogate.SharedMarket;
        drivers.Observation = surrogate.Observation;
        return drivers;
    }

    public WorkforceDriversSurrogate ConvertToSurrogate(in WorkforceDrivers value) => new()
    {
        Month = value.Month,
        CalendarMonth = value.CalendarMonth,
        PostsAdded = value.PostsAdded,
        ExtraAcademyIntakePerYear = value.ExtraAcademyIntakePerYear,
        SharedMarket = value.SharedMarket,
        Observation = value.Observation,
        Columns = PackedColumns.Pack(value.ToColumns()),
    };
}

[GenerateSerializer, Alias("CareSim.WorkforceReport")]
public struct WorkforceReportSurrogate
{
    [Id(0)] public byte[] Columns;
}

[RegisterConverter]
public sealed class WorkforceReportConverter : IConverter<WorkforceReport, WorkforceReportSurrogate>
{
    public WorkforceReport ConvertFromSurrogate(in WorkforceReportSurrogate surrogate) => WorkforceReport.FromColumns(PackedColumns.Unpack(surrogate.Columns));

    public WorkforceReportSurrogate ConvertToSurrogate(in WorkforceReport value) => new() { Columns = PackedColumns.Pack(value.ToColumns()) };
}

[GenerateSerializer, Alias("CareSim.MarketSubmission")]
public struct MarketSubmissionSurrogate
{
    [Id(0)] public byte[] Columns;
}

[RegisterConverter]
public sealed class MarketSubmissionConverter : IConverter<MarketSubmission, MarketSubmissionSurrogate>
{
    public MarketSubmission ConvertFromSurrogate(in MarketSubmissionSurrogate surrogate) => MarketSubmission.FromColumns(PackedColumns.Unpack(surrogate.Columns));

    public MarketSubmissionSurrogate ConvertToSurrogate(in MarketSubmission value) => new() { Columns = PackedColumns.Pack(value.ToColumns()) };
}

[GenerateSerializer, Alias("CareSim.MarketAllocation")]
public struct MarketAllocationSurrogate
{
    [Id(0)] public byte[] Columns;
}

[RegisterConverter]
public sealed class MarketAllocationConverter : IConverter<MarketAllocation, MarketAllocationSurrogate>
{
    public MarketAllocation ConvertFromSurrogate(in MarketAllocationSurrogate surrogate) => MarketAllocation.FromColumns(PackedColumns.Unpack(surrogate.Columns));

    public MarketAllocationSurrogate ConvertToSurrogate(in MarketAllocation value) => new() { Columns = PackedColumns.Pack(value.ToColumns()) };
}

[GenerateSerializer, Alias("CareSim.CommissionerReport")]
public struct CommissionerReportSurrogate
{
    [Id(0)] public byte[] Columns;
}

[RegisterConverter]
public sealed class CommissionerReportConverter : IConverter<CommissionerReport, CommissionerReportSurrogate>
{
    public CommissionerReport ConvertFromSurrogate(in CommissionerReportSurrogate surrogate) => CommissionerReport.FromColumns(PackedColumns.Unpack(surrogate.Columns));

    public CommissionerReportSurrogate ConvertToSurrogate(in CommissionerReport value) => new() { Columns = PackedColumns.Pack(value.ToColumns()) };
}

[GenerateSerializer, Alias("CareSim.CommissionerDirective")]
public struct CommissionerDirectiveSurrogate
{
    [Id(0)] public double[] Support;
    [Id(1)] public double[] Cost;
    [Id(2)] public int[] Recommendation;
}

[RegisterConverter]
public sealed class CommissionerDirectiveConverter : IConverter<CommissionerDirective, CommissionerDirectiveSurrogate>
{
    public CommissionerDirective ConvertFromSurrogate(in CommissionerDirectiveSurrogate surrogate) =>
        new(surrogate.Support, surrogate.Cost, surrogate.Recommendation);

    public CommissionerDirectiveSurrogate ConvertToSurrogate(in CommissionerDirective value) =>
        new() { Support = value.Support, Cost = value.Cost, Recommendation = value.Recommendation };
}

[GenerateSerializer, Alias("CareSim.AuthorityOutcomes")]
public struct AuthorityOutcomesSurrogate
{
    [Id(0)] public int[] MonthsToRequiresImprovement;
    [Id(1)] public int[] MonthsToGood;
    [Id(2)] public double[] TotalCost;
    [Id(3)] public int[] FinalGrade;
    [Id(4)] public int[] NextInspectionGrade;
    [Id(5)] public int[] MonthsToNextInspection;
}

[RegisterConverter]
public sealed class AuthorityOutcomesConverter : IConverter<AuthorityOutcomes, AuthorityOutcomesSurrogate>
{
    public AuthorityOutcomes ConvertFromSurrogate(in AuthorityOutcomesSurrogate s) =>
        new(s.MonthsToRequiresImprovement, s.MonthsToGood, s.TotalCost, s.FinalGrade, s.NextInspectionGrade, s.MonthsToNextInspection);

    public AuthorityOutcomesSurrogate ConvertToSurrogate(in AuthorityOutcomes v) => new()
    {
        MonthsToRequiresImprovement = v.MonthsToRequiresImprovement,
        MonthsToGood = v.MonthsToGood,
        TotalCost = v.TotalCost,
        FinalGrade = v.FinalGrade,
        NextInspectionGrade = v.NextInspectionGrade,
        MonthsToNextInspection = v.MonthsToNextInspection,
    };
}

[GenerateSerializer, Alias("CareSim.AuthorityMonthInput")]
public struct AuthorityMonthInputSurrogate
{
    [Id(0)] public int Month;
    [Id(1)] public MarketAllocation? Market;
    [Id(2)] public CommissionerDirective? Commissioner;
}

[RegisterConverter]
public sealed class AuthorityMonthInputConverter : IConverter<AuthorityMonthInput, AuthorityMonthInputSurrogate>
{
    public AuthorityMonthInput ConvertFromSurrogate(in AuthorityMonthInputSurrogate s) => new(s.Month, s.Market, s.Commissioner);

    public AuthorityMonthInputSurrogate ConvertToSurrogate(in AuthorityMonthInput v) => new() { Month = v.Month, Market = v.Market, Commissioner = v.Commissioner };
}

[GenerateSerializer, Alias("CareSim.AuthorityMonthOutput")]
public struct AuthorityMonthOutputSurrogate
{
    [Id(0)] public int Month;
    [Id(1)] public MetricFrame Metrics;
    [Id(2)] public MarketSubmission Market;
    [Id(3)] public CommissionerReport Commissioner;
}

[RegisterConverter]
public sealed class AuthorityMonthOutputConverter : IConverter<AuthorityMonthOutput, AuthorityMonthOutputSurrogate>
{
    public AuthorityMonthOutput ConvertFromSurrogate(in AuthorityMonthOutputSurrogate s) => new(s.Month, s.Metrics, s.Market, s.Commissioner);

    public AuthorityMonthOutputSurrogate ConvertToSurrogate(in AuthorityMonthOutput v) => new() { Month = v.Month, Metrics = v.Metrics, Market = v.Market, Commissioner = v.Commissioner };
}
