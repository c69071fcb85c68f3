namespace CareSim.Reports;

/// <summary>
/// The results directory (or a file in it, or the observed data) is missing or malformed. The
/// message names the file (and line and column where there is one) and what was expected; it is
/// meant to be shown to users as it is.
/// </summary>
public sealed class ReportInputException(string message, Exception? inner = null) : Exception(message, inner);
